"""Production refuses to serve without a real secret key and host names; tooling still runs."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="cami.settings")
    return subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=clean,
                          capture_output=True, text=True)  # fmt: skip


SERVE = "import cami.wsgi"


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "cami.example.org"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "django-insecure-" + "k" * 40, "ALLOWED_HOSTS": "x"},
         "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS must list"),
    ],
)  # fmt: skip
def test_production_refuses_to_serve_without_secret_and_hosts(env, complaint):
    result = run(SERVE, **env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_the_asgi_entry_point_refuses_too():
    result = run("import cami.asgi", DEBUG="0")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_check_deploy_names_what_is_missing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
        | {"DEBUG": "0"}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "cami.E001" in result.stderr and "ALLOWED_HOSTS must list" in result.stderr


def test_production_serves_with_secret_and_hosts():
    assert (
        run(SERVE, DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="cami.example.org").returncode == 0
    )


def test_migrations_tooling_runs_without_production_secrets():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR, capture_output=True, text=True,
        env={k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
        | {"DEBUG": "0"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_development_starts_with_nothing_set():
    assert run(SERVE, DEBUG="1").returncode == 0


def test_make_runs_mail_is_written_to_the_folder_it_names(tmp_path):
    """`make run` sets the file backend and its folder: a message lands there, readable."""
    code = ("import django; django.setup(); from django.core.mail import send_mail; "
            "send_mail('Hello', 'Open it: http://127.0.0.1:8123/', 'a@example.org', "
            "['b@example.org'])")  # fmt: skip
    folder = tmp_path / "mail"
    result = run(code, DEBUG="1", EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                 EMAIL_FILE_PATH=str(folder))  # fmt: skip
    assert result.returncode == 0, result.stderr
    [message] = folder.iterdir()
    assert "Open it: http://127.0.0.1:8123/" in message.read_text()
    assert "AXES: BEGIN" not in result.stderr  # the first run's screen stays quiet
