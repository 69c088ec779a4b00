"""The task queue's worker: django-tasks-db's `db_worker`, after putting back in the queue the
tasks a worker that died left marked running (settings.TASK_STALLED_AFTER seconds after they
started). The portal's tasks are idempotent, so running such a task again finishes its work
without doing any part twice."""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reporting import tasks

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="Run every task waiting, then stop.")  # fmt: skip

    def handle(self, *args, batch=False, **options):
        requeued = requeue_stalled()
        if requeued:
            self.stderr.write(f"Back in the queue from a worker that stopped: {requeued} task(s).")
        if not batch:
            threading.Thread(target=scheduler, daemon=True, name="scheduler").start()
        # No reloading: a worker restarted by a code change could stop a task half done.
        call_command("db_worker", "--no-startup-delay", "--no-reload",
                     *(["--batch"] if batch else []), verbosity=options["verbosity"])  # fmt: skip


def scheduler() -> None:
    """Every hour, the daily work that is due (today's notices) goes into the queue, once a day
    however many workers run (reporting.tasks.schedule)."""
    while True:
        try:
            tasks.schedule()
        except Exception:  # the next hour tries again; the worker keeps working
            logger.exception("The scheduler could not queue today's work")
        finally:
            close_old_connections()
        time.sleep(settings.SCHEDULER_INTERVAL)


def requeue_stalled() -> int:
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.TASK_STALLED_AFTER)
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
