"""Production settings refuse to start without a real secret key and host names."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def start(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="cami.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "cami.example.org"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_secret_and_hosts(env, complaint):
    result = start(**env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_with_secret_and_hosts():
    assert start(DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="cami.example.org").returncode == 0


def test_development_starts_with_nothing_set():
    assert start(DEBUG="1").returncode == 0
