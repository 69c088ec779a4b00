"""gunicorn settings for the portal: `gunicorn cami.wsgi` reads this file from the checkout."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core plus one is the usual starting point for a database-bound Django app.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then, against slow memory growth
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Long filter URLs (several values of several filters) fit, as they do behind nginx's 8 KB
# header buffers; gunicorn's default of 4 KB answered 414 to such requests.
limit_request_line = 8190
