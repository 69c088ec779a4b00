"""The task queue's worker: django-tasks-db's `db_worker`, beside a heartbeat that says every
WORKER_HEARTBEAT seconds that this worker is alive and puts back in the queue the tasks of a
worker that stopped saying so (three beats missed), and of a worker that never said so once
their task has run TASK_STALLED_AFTER seconds. The portal's tasks are idempotent, so running
such a task again finishes its work without doing any part twice."""

import datetime
import logging
import os
import socket
import threading
import time
import uuid

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.db.models.functions import Now
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cami.models import WorkerHeartbeat
from reporting import tasks

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="Run every task waiting, then stop.")  # fmt: skip

    def handle(self, *args, batch=False, **options):
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        beat(worker_id)
        requeued = requeue_stalled()
        if requeued:
            self.stderr.write(f"Back in the queue from a worker that stopped: {requeued} task(s).")
        threading.Thread(target=heartbeat, args=[worker_id], daemon=True, name="heartbeat").start()
        if not batch:
            threading.Thread(target=scheduler, daemon=True, name="scheduler").start()
        # No reloading: a worker restarted by a code change could stop a task half done.
        arguments = ["--no-startup-delay", "--no-reload", "--worker-id", worker_id,
                     *(["--batch"] if batch else [])]  # fmt: skip
        try:
            call_command("db_worker", *arguments, verbosity=options["verbosity"])
        finally:
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


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


def heartbeat(worker_id: str) -> None:
    last = time.monotonic()
    while True:
        time.sleep(settings.WORKER_HEARTBEAT)
        try:
            beat(worker_id)
            # After a gap in its own beats (the database was away) the others may not have
            # beaten again yet either: wait a beat before judging them.
            steady, last = time.monotonic() - last < 2 * settings.WORKER_HEARTBEAT, time.monotonic()
            if steady and (count := requeue_stalled()):
                logger.warning("Back in the queue from a worker that stopped: %s task(s)", count)
        except Exception:  # the database may be restarting: the next beat tries again
            logger.exception("The worker's heartbeat could not reach the database")
        finally:
            close_old_connections()


def beat(worker_id: str) -> None:
    """The database's clock, not the machine's: workers on several machines are judged alike."""
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=Now()):
        WorkerHeartbeat.objects.create(worker_id=worker_id, seen_at=Now())


def requeue_stalled() -> int:
    """The running tasks whose worker stopped beating, or never beat and started long ago."""
    beats = datetime.timedelta(seconds=3 * settings.WORKER_HEARTBEAT)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=Now() - beats)
                .values_list("worker_id", flat=True))  # fmt: skip
    known = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    long_ago = Now() - datetime.timedelta(seconds=settings.TASK_STALLED_AFTER)
    started_long_ago = set(running.filter(started_at__lt=long_ago).values_list("pk", flat=True))
    requeued = 0
    for pk, worker_ids, started_at in running.values_list("pk", "worker_ids", "started_at"):
        owner = worker_ids[-1] if worker_ids else None
        if owner in alive or (owner not in known and pk not in started_long_ago):
            continue
        # Only if still as read: its worker may have finished it meanwhile.
        requeued += running.filter(pk=pk, started_at=started_at).update(
            status=TaskResultStatus.READY, started_at=None
        )
    WorkerHeartbeat.objects.filter(seen_at__lt=Now() - datetime.timedelta(days=1)).delete()
    return requeued
