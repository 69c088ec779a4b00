"""gunicorn settings for the portal: `gunicorn cami.wsgi` reads this file from the checkout."""

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core plus one is the usual starting point for a database-bound Django app.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# No recycling by default: a recycled worker imports Django again (about a second of CPU), and with
# max_requests=2000 and no jitter all workers recycled together, halving /healthz's throughput
# and multiplying its p99 by seven at 32 connections. Nothing needs it: the workers' memory is
# flat after the first requests (benchmarks/throughput.py prints it: 223 -> 229 -> 228 -> 228 ->
# 229 MB over 4 rounds of every URL). Where a leak shows up, GUNICORN_MAX_REQUESTS turns it on,
# with a 10% jitter so that workers never restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Long filter URLs (several values of several filters) fit, as they do behind nginx's 8 KB
# header buffers; gunicorn's default of 4 KB answered 414 to such requests.
limit_request_line = 8190

# Each instance its own control socket (for `gunicornc`) and, when asked, pid file: gunicorn's
# default control socket is one path per user, so a second instance on the machine took it over
# and removed it when it stopped. GUNICORN_CONTROL_SOCKET and GUNICORN_PIDFILE name them (the
# cluster script and the systemd units in docs/deploy.md do); without, the socket is named after
# the master's process id, which this file is read in, so no two instances share it whatever
# address each is given on the command line. (Not GUNICORN_PID: gunicorn sets that itself when it
# re-executes on USR2.) The default folder is $XDG_RUNTIME_DIR, else ~/.gunicorn.
_runtime = os.environ.get("XDG_RUNTIME_DIR", "")
_folder = Path(_runtime) if _runtime and os.path.isdir(_runtime) else Path.home() / ".gunicorn"
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or str(
    _folder / f"gunicorn-{os.getpid()}.ctl"
)
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
for _path in filter(None, (control_socket, pidfile)):
    Path(_path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
