"""A mail backend for the worker tests: each message is written to a file of its own in
SLOW_MAIL_DIR after SLOW_MAIL_SECONDS, as a slow mail server would take it, so that a test can stop
the worker between one message and the next."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["SLOW_MAIL_DIR"])
        for message in email_messages:
            time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "1")))
            (folder / f"{uuid.uuid4()}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
