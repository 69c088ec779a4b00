"""Django set up for an in-process benchmark: production-like settings, a fresh database."""

import os
import secrets
import tempfile


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
