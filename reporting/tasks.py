"""Work the task queue does for reporting. Each task is idempotent (running it twice does what
running it once does) and retried with back-off when a service it needs refuses."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from cami.tasks import task
from reporting import reminders
from reporting.models import ImplementationReport, OutgoingEmail, ReportDocument, ScheduledRun
from reporting.models.documents import DocumentStatus

logger = logging.getLogger(__name__)

ATTEMPTS = 6  # then the e-mail waits for an administrator (admin: outgoing e-mails)


@task()
def send_emails(ids: list[int]) -> int:
    """Sends the outgoing e-mails `ids` not sent yet, each marked sent in the transaction that
    sends it; those the mail server refuses are tried again later. Returns how many were sent."""
    sent, refused = 0, []
    for pk in ids:
        with transaction.atomic():
            mail = (
                OutgoingEmail.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at=None)
                .first()
            )
            if mail is None:  # sent already, or being sent by another worker
                continue
            mail.attempts += 1
            try:
                EmailMessage(mail.subject, mail.body, mail.sender, [mail.to]).send()
            except OSError as error:  # smtplib's errors included
                mail.last_error = f"{type(error).__name__}: {error}"[:2000]
                refused.append(mail)
                logger.warning("E-mail %s not sent (attempt %s): %s", pk, mail.attempts, error)
            else:
                mail.sent_at, mail.last_error = timezone.now(), ""
                sent += 1
            mail.save(update_fields=["attempts", "sent_at", "last_error"])
    _again(refused)
    return sent


def _again(refused: list[OutgoingEmail]) -> None:
    """Refused e-mails go back to the queue after 1, 2, 4, 8, 16 minutes, then stop (logged)."""
    later = [mail for mail in refused if mail.attempts < ATTEMPTS]
    for mail in set(refused) - set(later):
        logger.error("E-mail %s not sent after %s attempts: %s", mail.pk, mail.attempts,
                     mail.last_error)  # fmt: skip
    if not later or not send_emails.get_backend().supports_defer:
        return
    wait = datetime.timedelta(minutes=2 ** (min(mail.attempts for mail in later) - 1))
    send_emails.using(run_after=timezone.now() + wait).enqueue([mail.pk for mail in later])


@task()
def send_daily_notices(day: str) -> int | None:
    """The day's notices (reporting.reminders), once whoever asks and however often."""
    return reminders.daily_notices(datetime.date.fromisoformat(day))


def schedule(today: datetime.date | None = None) -> bool:
    """Queues today's notices unless they were queued already; the worker calls it every hour."""
    today = today or timezone.localdate()
    name = reminders.run_name(settings.REMINDER_DAYS)
    if ScheduledRun.objects.filter(name=name, day=today).exists():
        return False
    send_daily_notices.enqueue(today.isoformat())
    return True


@task()
def render_report_pdf(document_id: int) -> int | None:
    """Makes a report document (reporting.documents); a failure is stored on the document, for
    the person who asked and for the admin. Returns its number of pages."""
    from reporting import documents  # which queues this task

    document = ReportDocument.objects.select_related("version").filter(pk=document_id).first()
    if document is None:
        return None
    return document.pages if _made(document, documents.make) else None


@task()
def make_implementation_report(draft_id: int) -> int | None:
    """Makes the Secretariat's implementation report (reporting.implementation); a failure is
    stored on it, for the person who asked and for the admin. Returns its PDF's pages."""
    from reporting import implementation  # which queues this task

    draft = ImplementationReport.objects.select_related("cycle").filter(pk=draft_id).first()
    if draft is None:
        return None
    return draft.pdf_pages if _made(draft, implementation.make) else None


def _made(document, make) -> bool:
    """Runs `make(document)`; a failure is stored on the document (shown on the page that asked
    for it and in the admin) and logged for administrators."""
    try:
        make(document)
    except Exception as error:
        logger.exception("%s %s not made", type(document).__name__, document.pk)
        document.status, document.error = DocumentStatus.FAILED, f"{type(error).__name__}: {error}"
        document.save(update_fields=["status", "error"])
        return False
    return True
