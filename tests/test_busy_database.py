"""Concurrent saves on the embedded SQLite database: one winner, the rest told why, never a 500.

A real gunicorn with several worker processes on a SQLite file, as `make run` users have it.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

SETUP = """
import django; django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from conservation_units.models import RangeState
from reporting import services
from reporting.models import ReportingCycle, ReportingRole
kaz = RangeState.objects.get(iso3="KAZ")
user = get_user_model().objects.create_user("kaz")
ReportingRole.objects.create(user=user, role="national_focal_point", range_state=kaz)
cycle = ReportingCycle.objects.order_by("opens_on").first()
cycle.opens_on = cycle.opens_on.replace(year=2020)
cycle.closes_on = cycle.closes_on.replace(year=2099)
cycle.save()
report = services.open_report(cycle=cycle, range_state=kaz, actor=user)
print(Token.objects.create(user=user).key, report.entries.order_by("pk").first().pk)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A migrated SQLite file with the programme, a focal point's token and one entry."""
    folder = tmp_path_factory.mktemp("busy")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "DEBUG": "0",
           "SECRET_KEY": "busy-database-test-" * 3, "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "0", "API_ANON_RATE": "100000/minute",
           "DJANGO_SETTINGS_MODULE": "cami.settings", "MEDIA_ROOT": str(folder)}  # fmt: skip

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                       check=True, capture_output=True, timeout=300)  # fmt: skip

    manage("migrate", "--noinput")
    manage("load_work_programme")
    manage("seed_reporting_cycles")
    made = subprocess.run([sys.executable, "-c", SETUP], cwd=settings.BASE_DIR, env=env,
                          check=True, capture_output=True, text=True, timeout=120)  # fmt: skip
    token, entry = made.stdout.split()[-2:]
    return env, token, int(entry)


def _serve(env, timeout: str):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cami.wsgi", "-b", f"127.0.0.1:{port}", "-w", "4"],
        cwd=settings.BASE_DIR, env={**env, "SQLITE_TIMEOUT": timeout},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server, port
        except OSError:
            time.sleep(0.5)
    server.kill()
    pytest.fail("gunicorn did not start")


def _patch_all_at_once(port, token, entry, count=20) -> list[tuple[int, dict]]:
    url = f"http://127.0.0.1:{port}/api/v1/entries/{entry}/"
    loaded = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(loaded, timeout=30) as response:
        revision = json.loads(response.read())["revision"]
    start = threading.Barrier(count)
    answers = []

    def patch(number):
        body = json.dumps({"revision": revision, "answers": {"narrative": f"Save {number}"}})
        body = body.encode()
        request = urllib.request.Request(
            url, data=body, method="PATCH",
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )  # fmt: skip
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answers.append((response.status, json.loads(response.read())))
        except urllib.error.HTTPError as error:
            body = error.read()
            answers.append((error.code, json.loads(body) if body.startswith(b"{") else {}))

    threads = [threading.Thread(target=patch, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.parametrize(("timeout", "busy_allowed"), [("20", False), ("0", True)],
                         ids=["waiting", "no-patience"])  # fmt: skip
def test_twenty_simultaneous_saves_give_one_winner_and_no_500(portal, timeout, busy_allowed):
    env, token, entry = portal
    server, port = _serve(env, timeout)
    try:
        answers = _patch_all_at_once(port, token, entry)
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1]
    codes = sorted(code for code, _body in answers)
    assert len(codes) == 20 and 500 not in codes, (codes, log[-2000:])
    assert codes.count(200) <= 1 and set(codes) <= {200, 409, 503}, codes
    for code, body in answers:
        if code == 503:
            assert "database is busy" in body["detail"]
    if not busy_allowed:  # with time to wait, every save is decided by its revision
        assert codes == [200] + [409] * 19, codes
