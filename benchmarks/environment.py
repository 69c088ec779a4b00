"""Django set up for an in-process benchmark: production-like settings, a fresh database."""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path


def setup_django(prefix: str) -> str:
    """Configures Django (DEBUG off, a random key) on a fresh SQLite file in a new temporary
    folder, unless DATABASE_URL names a database; returns the folder."""
    workdir = tempfile.mkdtemp(prefix=prefix)
    os.environ.update(DJANGO_SETTINGS_MODULE="cami.settings", DEBUG="0", STATIC_HASHED="0",
                      SECURE_SSL_REDIRECT="0", SECRET_KEY=secrets.token_urlsafe(50),
                      ALLOWED_HOSTS="testserver", LOG_LEVEL="WARNING")  # fmt: skip
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/db.sqlite3")
    import django

    django.setup()
    return workdir


def child_env(**more: str) -> dict[str, str]:
    """The environment of a benchmark's child process: production-like settings, no throttle."""
    return {
        "DJANGO_SETTINGS_MODULE": "cami.settings", "DEBUG": "0", "STATIC_HASHED": "0",
        "SECURE_SSL_REDIRECT": "0", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver", "API_ANON_RATE": "100000000/minute", "LOG_LEVEL": "ERROR",
        **more,
    }  # fmt: skip


def each_scale(script: str, scales: list[int], *arguments: str, env: dict) -> dict[int, object]:
    """Runs `script --one-scale N *arguments` in a child process of its own for each scale (a
    fresh database, and memory that one scale does not leave to the next); returns what each
    printed last, as JSON."""
    results = {}
    for scale in scales:
        print(f"{scale}x ...", file=sys.stderr, flush=True)
        output = subprocess.run(
            [sys.executable, script, "--one-scale", str(scale), *arguments],
            env={**os.environ, **env}, cwd=Path(script).resolve().parent.parent,
            capture_output=True, text=True,
        )  # fmt: skip
        if output.returncode:
            sys.exit(f"{scale}x failed:\n{output.stderr}")
        results[scale] = json.loads(output.stdout.strip().splitlines()[-1])
    return results
