"""Settings for the CAMI portal, all read from environment variables.

Development: `DEBUG=1` (the Makefile's `run` target sets it). Production: `DEBUG` unset or 0, and
then `SECRET_KEY` and `ALLOWED_HOSTS` must be given or the portal refuses to serve (cami/wsgi.py,
cami/asgi.py, `check --deploy`); commands that need neither, such as migrations, still run.
"""

import os
from pathlib import Path

import dj_database_url
import django
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
MISSING_FOR_PRODUCTION = []  # what stops the portal from serving with DEBUG off
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    if len(SECRET_KEY) < 40 or SECRET_KEY.startswith("django-insecure"):
        MISSING_FOR_PRODUCTION.append(
            "SECRET_KEY must be set to a random string of at least 40 characters when DEBUG is "
            "off. For local development set DEBUG=1 instead."
        )
    if not ALLOWED_HOSTS:
        MISSING_FOR_PRODUCTION.append(
            "ALLOWED_HOSTS must list the host names the portal serves when DEBUG is off "
            "(comma-separated)."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "species",
    "conservation_units",
    "activities",
    "reporting",
    "cami",
    "django_tasks_db",
]
if django.VERSION < (6, 0):  # the backport of django.tasks
    INSTALLED_APPS.insert(-1, "django_tasks")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET, so repeat clients of pages and API get 304 Not Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "cami.middleware.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "cami.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cami.wsgi.application"

# SQLite is the embedded default so that a fresh machine needs nothing else; PostgreSQL is chosen
# by DATABASE_URL (postgres://user@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait their turn instead of failing at once: IMMEDIATE takes the write lock when a
    # transaction begins (so a waiting writer never deadlocks upgrading a read lock), and the
    # timeout is how long it waits before the busy-database answer (a 503, never a 500).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
    }
    # Tests on a file rather than in memory: an in-memory database is one connection that the
    # live server's request threads would share (concurrent autosaves then fail at random),
    # where a file gives each thread its own connection and the locking production has.
    if test_name := os.environ.get("SQLITE_TEST_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / test_name)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English and Russian, the working language of most Range States' ministries. The browser's
# Accept-Language chooses until the person picks one (a cookie); the URLs stay the same.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
# LOCALE_PATH lets the catalogue test extract messages into a copy instead of the real files.
LOCALE_PATHS = [Path(os.environ.get("LOCALE_PATH", BASE_DIR / "locale"))]
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
FORMAT_MODULE_PATH = ["cami.formats"]  # dates by name, in each language
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files need `collectstatic`; development and the test suite serve from the
# apps' folders instead (STATIC_HASHED=0).
STATIC_HASHED = env_bool("STATIC_HASHED", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_HASHED
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Nothing serves MEDIA_ROOT as a folder: evidence goes out through a permission-checked view,
# which in production hands the bytes to the web server (docs/deploy.md): nginx with
# EVIDENCE_ACCEL_REDIRECT=/protected-media/ (an internal location), Apache with
# EVIDENCE_SENDFILE=1 (mod_xsendfile).
EVIDENCE_ACCEL_REDIRECT = os.environ.get("EVIDENCE_ACCEL_REDIRECT", "")
EVIDENCE_SENDFILE = env_bool("EVIDENCE_SENDFILE")

# Where the programme is loaded from; the document itself sits beside it in fixtures/source/.
WORK_PROGRAMME_FIXTURE = BASE_DIR / "fixtures" / "work_programme.json"
WORK_PROGRAMME_SOURCE = BASE_DIR / "fixtures" / "source" / "cami-work-programme-2026-2031-draft.txt"
# The programme in other languages, one file per language code; they fill only what the admin
# has left empty.
WORK_PROGRAMME_TRANSLATIONS = BASE_DIR / "fixtures" / "translations"  # <language code>.json

# Evidence uploads and request bodies: size caps everywhere.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
# A filled reporting template is about 30 KB per hundred entries.
TEMPLATE_MAX_BYTES = int(os.environ.get("TEMPLATE_MAX_BYTES", 5 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Console by default; SMTP when EMAIL_BACKEND names it. Django 6.1 configures mail as MAILERS
# and deprecates the EMAIL_* settings that 5.2 (on Debian 12's Python) still needs.
_MAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_SMTP = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS"),
}
# The file backend (what `make run` uses) writes each message to a file in EMAIL_FILE_PATH.
_MAIL_FOLDER = os.environ.get("EMAIL_FILE_PATH")
_MAIL_OPTIONS = {}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = _SMTP
elif _MAIL_BACKEND.endswith("filebased.EmailBackend"):
    _MAIL_OPTIONS = {"file_path": _MAIL_FOLDER}
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
else:
    EMAIL_BACKEND, EMAIL_FILE_PATH = _MAIL_BACKEND, _MAIL_FOLDER
    EMAIL_HOST, EMAIL_PORT = _SMTP["host"], _SMTP["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _SMTP["username"], _SMTP["password"]
    EMAIL_USE_TLS = _SMTP["use_tls"]
# Background work: Django's tasks framework with its database backend (django-tasks-db), the
# queue being a table of the portal's own database, run by `manage.py run_worker` (which `make
# run` starts beside the server). TASKS_BACKEND=immediate runs each task at once instead (tests).
_TASKS_FRAMEWORK = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"
TASKS = {
    "default": {
        "BACKEND": f"{_TASKS_FRAMEWORK}.backends.immediate.ImmediateBackend"
        if os.environ.get("TASKS_BACKEND") == "immediate"
        else "django_tasks_db.DatabaseBackend",
    }
}
# Each task worker says it is alive every WORKER_HEARTBEAT seconds; a running task whose worker
# missed three beats goes back in the queue (tasks are idempotent). A task whose worker never beat
# (one of an older release) is put back once it has run TASK_STALLED_AFTER seconds.
WORKER_HEARTBEAT = int(os.environ.get("WORKER_HEARTBEAT", "10"))
TASK_STALLED_AFTER = int(os.environ.get("TASK_STALLED_AFTER", "1800"))
# Days before the due date when states that have not submitted are reminded (the worker's daily
# notices, or `manage.py send_report_reminders`).
REMINDER_DAYS = [int(day) for day in os.environ.get("REMINDER_DAYS", "30,7").split(",") if day]
SCHEDULER_INTERVAL = int(os.environ.get("SCHEDULER_INTERVAL", "3600"))  # seconds

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CAMI portal <no-reply@cami.example.org>")
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")

# Login throttling: a user name from one address is locked after AXES_FAILURE_LIMIT failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no "AXES: BEGIN" line from every command; failures are still logged
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# How many proxies (a TLS terminator, a load balancer) stand in front and append the client's
# address to X-Forwarded-For: the login lockout and the API throttle both take the address the
# nearest proxy saw, never what a client wrote in the header itself. None in front: the socket's.
PROXY_COUNT = int(
    os.environ.get("PROXY_COUNT", "1" if env_bool("SECURE_PROXY_SSL_HEADER") else "0")
)
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT

# Two-factor log-in to the admin: staff also give a code from an authenticator app, enrolled in
# the admin as a TOTP device. Off until every administrator has one, or nobody could get in.
ADMIN_REQUIRE_OTP = env_bool("ADMIN_REQUIRE_OTP")
OTP_TOTP_ISSUER = "CAMI portal"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reporting-home"
LOGOUT_REDIRECT_URL = "home"

# Security headers. Production (DEBUG off) is strict by default; a server behind a TLS-terminating
# proxy sets SECURE_PROXY_SSL_HEADER=1 so that Django knows the original request was HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe gunicorn directly over HTTP; the health check answers them there too.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Joining the browsers' HSTS preload list is the domain owner's decision (SECURE_HSTS_PRELOAD=1).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything comes from this server; no inline script or style anywhere (htmx's own indicator
# styles are switched off in base.html, Swagger UI starts from a separate script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# DRF's throttles count in the default cache. Local memory is per process, so with several
# gunicorn workers or app servers each counts alone; REDIS_URL gives them one shared count.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cami",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

REST_FRAMEWORK = {
    # Token first, so that a bad token answers 401 with WWW-Authenticate rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "cami.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cami.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "600/minute")},
    "NUM_PROXIES": PROXY_COUNT,  # without it DRF counts per X-Forwarded-For, which a client writes
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CAMI Work Programme API",
    "DESCRIPTION": (
        "The Work Programme 2026–2031 of the Central Asian Mammals Initiative (UNEP/CMS/CAMI-TW/"
        "Doc.3): sections, activities with their indicators and responsible parties, Conservation "
        "Units with their scores, species, instruments and Range States. Read-only and public."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cami.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SectionKindEnum": "activities.choices.SectionKind",
        "PartyKindEnum": "activities.choices.PartyKind",
        "InstrumentKindEnum": "species.choices.InstrumentKind",
    },
}

# LOG_FORMAT=json gives one JSON object per line (production); plain text is easier to read locally.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "cami.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
