"""The task queue for real: a worker process on the test database, stopped dead in the middle of a
task and started again, finishes the task's work once, sending nothing twice."""

import datetime
import io
import os
import signal
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cami.management.commands.run_worker import requeue_stalled
from cami.models import WorkerHeartbeat
from conservation_units.models import RangeState
from reporting import notifications, tasks
from reporting.choices import Role
from reporting.models import OutgoingEmail
from tests.factories import CycleFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share (PostgreSQL here)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker(tmp_path, *extra, **more):
    """`manage.py run_worker` on the test database; e-mails go to files in `tmp_path`."""
    database = connection.settings_dict
    env = {
        **os.environ, "DEBUG": "0", "TASKS_BACKEND": "database", "TASK_STALLED_AFTER": "0",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                        f"{database['PORT'] or 5432}/{database['NAME']}",
        "EMAIL_BACKEND": "tests.slow_mail.EmailBackend", "SLOW_MAIL_DIR": str(tmp_path),
        "SLOW_MAIL_SECONDS": "1.5", **more,
    }  # fmt: skip
    return subprocess.Popen([sys.executable, "manage.py", "run_worker", *extra],
                            cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)  # fmt: skip


def sent(tmp_path) -> list[str]:
    """The subjects of the e-mails sent, decoded."""
    return sorted(str(make_header(decode_header(message_from_bytes(path.read_bytes())["Subject"])))
                  for path in tmp_path.glob("*.eml"))  # fmt: skip


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)  # the worker reads what this test commits
def test_a_worker_killed_mid_task_loses_nothing_and_sends_nothing_twice(database_queue, tmp_path):
    subjects = [f"Message {number}" for number in range(1, 4)]
    with transaction.atomic():
        notifications.deliver([(subject, "Body", "cami@example.org", ["fp@example.org"])
                               for subject in subjects])  # fmt: skip
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.READY

    first = worker(tmp_path, WORKER_HEARTBEAT="1")
    try:
        # One sent and marked so, the next on its way.
        wait_for(lambda: OutgoingEmail.objects.filter(sent_at__isnull=False).count() == 1)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING  # as the dead worker left it
    assert OutgoingEmail.objects.filter(sent_at__isnull=False).count() == 1

    time.sleep(3.5)  # three beats missed: the first worker is gone
    # It puts the stalled task back, runs the queue and stops.
    second = worker(tmp_path, "--batch", WORKER_HEARTBEAT="1")
    output = second.communicate(timeout=120)[0].decode()
    assert second.returncode == 0, output
    assert "Back in the queue from a worker that stopped: 1 task(s)." in output
    assert sent(tmp_path) == subjects  # each once
    assert not OutgoingEmail.objects.filter(sent_at=None).exists()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == 2


def test_a_refused_e_mail_is_tried_again_later_then_left_for_an_administrator(
    settings, caplog, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    smtp, port = "django.core.mail.backends.smtp.EmailBackend", closed_port()
    settings.MAILERS = {"default": {"BACKEND": smtp,
                                    "OPTIONS": {"host": "127.0.0.1", "port": port}}}  # fmt: skip
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = smtp, "127.0.0.1", port
    mail = OutgoingEmail.objects.create(subject="Receipt", body="Body", sender="a@example.org",
                                        to="fp@example.org")  # fmt: skip
    waits = []
    for attempt in range(1, tasks.ATTEMPTS + 1):
        before = timezone.now()
        assert tasks.send_emails.call([mail.pk]) == 0
        mail.refresh_from_db()
        assert (mail.attempts, mail.sent_at) == (attempt, None) and mail.last_error
        queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        if attempt < tasks.ATTEMPTS:
            again = queued.get()
            waits.append(round((again.run_after - before).total_seconds() / 60))
            again.delete()
        else:
            assert not queued.exists()  # no more: an administrator sees it in the admin
    assert waits == [1, 2, 4, 8, 16]
    assert f"E-mail {mail.pk} not sent after {tasks.ATTEMPTS} attempts" in caplog.text


def test_an_e_mail_sent_already_is_not_sent_again(mailoutbox):
    mail = OutgoingEmail.objects.create(subject="Once", body="Body", sender="a@example.org",
                                        to="fp@example.org")  # fmt: skip
    assert tasks.send_emails.call([mail.pk, mail.pk]) == 1
    assert tasks.send_emails.call([mail.pk]) == 0
    assert [m.subject for m in mailoutbox] == ["Once"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_administrators_see_what_was_not_sent_and_send_it_again(client, mailoutbox):
    admin = get_user_model().objects.create_superuser("staff", "staff@example.org", "x" * 16)
    client.force_login(admin)
    waiting = OutgoingEmail.objects.create(subject="Waiting", body="B", sender="a@example.org",
                                           to="fp@example.org", attempts=6,
                                           last_error="ConnectionRefusedError")  # fmt: skip
    OutgoingEmail.objects.create(subject="Done", body="B", sender="a@example.org",
                                 to="fp@example.org", sent_at=timezone.now())  # fmt: skip
    url = reverse("admin:reporting_outgoingemail_changelist")
    page = client.get(url, {"sent": "no"}).content.decode()
    assert "Waiting" in page and "ConnectionRefusedError" in page and "Done" not in page
    response = client.post(url, {"action": "send_again", "_selected_action": [waiting.pk]},
                           follow=True)  # fmt: skip
    assert "1 e-mail queued." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.sent_at is not None and [m.subject for m in mailoutbox] == ["Waiting"]


def test_the_daily_notices_are_queued_once_a_day_whoever_asks(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    if not RangeState.objects.exists():  # a transactional test before emptied the database
        call_command("load_work_programme", verbosity=0)
    today = timezone.localdate()
    cycle = CycleFactory(opens_on=today - datetime.timedelta(days=10),
                         due_on=today + datetime.timedelta(days=7),
                         closes_on=today + datetime.timedelta(days=60))  # fmt: skip
    RoleFactory(role=Role.NATIONAL_FOCAL_POINT, range_state=RangeState.objects.get(iso3="KAZ"),
                user__email="kaz@example.org")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_notices.call(today.isoformat()) == 14  # every state reminded
    assert [m.to for m in mailoutbox] == [["kaz@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_notices.call(today.isoformat()) is None  # done already today
        call_command("send_report_reminders", stdout=io.StringIO())  # cron too: nothing more
    assert len(mailoutbox) == 1 and cycle.days_to_due(today) == 7
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert tasks.schedule(today) is False  # the worker's scheduler: today's are done
    assert tasks.schedule(today + datetime.timedelta(days=1)) is True  # tomorrow's are queued
    queued = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert queued.task_path.endswith("send_daily_notices")


def running(worker_id: str, started_seconds_ago: float) -> DBTaskResult:
    """A task marked running by `worker_id`, as db_worker marks the one it claims."""
    task = DBTaskResult.objects.get(pk=tasks.send_emails.enqueue([0]).id)
    started = timezone.now() - datetime.timedelta(seconds=started_seconds_ago)
    marked = {"status": TaskResultStatus.RUNNING, "started_at": started, "worker_ids": [worker_id]}
    DBTaskResult.objects.filter(pk=task.pk).update(**marked)
    return task


def test_a_task_goes_back_when_its_worker_stops_beating_not_when_it_runs_long(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WORKER_HEARTBEAT, settings.TASK_STALLED_AFTER = 10, 1800
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=now - datetime.timedelta(seconds=5))
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=now - datetime.timedelta(seconds=31))
    long_on_a_live_worker = running("alive", started_seconds_ago=7200)
    on_a_dead_worker = running("dead", started_seconds_ago=40)
    of_an_old_worker_lately = running("never-beat", started_seconds_ago=60)
    of_an_old_worker_long_ago = running("never-beat-either", started_seconds_ago=3600)
    assert requeue_stalled() == 2
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[long_on_a_live_worker.pk] == TaskResultStatus.RUNNING
    assert status[on_a_dead_worker.pk] == TaskResultStatus.READY
    assert status[of_an_old_worker_lately.pk] == TaskResultStatus.RUNNING
    assert status[of_an_old_worker_long_ago.pk] == TaskResultStatus.READY
    assert requeue_stalled() == 0  # once


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_takes_over_a_killed_workers_task_without_a_restart(
    database_queue, tmp_path
):
    beats = {"WORKER_HEARTBEAT": "1", "TASK_STALLED_AFTER": "3600"}  # only the heartbeat can tell
    workers = {}
    try:
        for _ in range(2):
            process = worker(tmp_path, **beats)
            workers[process.pid] = process
        wait_for(lambda: WorkerHeartbeat.objects.count() == 2)
        subjects = [f"Message {number}" for number in range(1, 4)]
        with transaction.atomic():
            notifications.deliver([(subject, "Body", "cami@example.org", ["fp@example.org"])
                                   for subject in subjects])  # fmt: skip
        wait_for(lambda: len(sent(tmp_path)) == 1)  # one sent, the next on its way
        task = DBTaskResult.objects.get(task_path__endswith="send_emails")
        owner = workers[int(task.worker_ids[0].split("-")[-2])]
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=30)
        wait_for(lambda: sent(tmp_path) == subjects)  # each once, finished by the other
        wait_for(lambda: DBTaskResult.objects.get(pk=task.pk).status
                 == TaskResultStatus.SUCCESSFUL)  # fmt: skip
        task.refresh_from_db()
        assert len(task.worker_ids) == 2 and task.worker_ids[0] != task.worker_ids[1]
    finally:
        for process in workers.values():
            process.kill()
            process.wait(timeout=30)
    assert not OutgoingEmail.objects.filter(sent_at=None).exists()
