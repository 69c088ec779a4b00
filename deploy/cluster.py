"""Two gunicorn instances behind haproxy, with task workers, on one machine: the portal as it runs
on several application servers, for trying it out and for benchmarks/cluster_run.py.

    apt-get install haproxy postgresql redis-server
    .venv/bin/python deploy/cluster.py --database-url postgres://postgres@127.0.0.1:5432/cami_cluster

Every instance gets the same SECRET_KEY, DATABASE_URL (sessions, login lockouts, row locks and
the task queue live there), REDIS_URL (the shared cache: the API's throttle counts),
MEDIA_ROOT (uploaded evidence and made documents, one folder all of them write) and mail
folder; each gets a free port, its own control socket and pid file (gunicorn.conf.py). haproxy
balances round-robin, checks /healthz every second and sends a request that could not reach an
instance to the other one (a GET also when the instance died before answering). It migrates
the database and loads the programme first, prints the balancer's address and runs until
Ctrl-C. Not for production as such: there each piece is a systemd unit (docs/deploy.md).
"""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HAPROXY = """\
global
    maxconn 2000
defaults
    mode http
    option forwardfor
    timeout connect 2s
    timeout client 60s
    timeout server 120s
    # A request that never reached an instance goes to another one; so does a GET whose
    # instance died before answering. A POST or PATCH is not sent twice: it may have been saved.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
frontend portal
    bind 127.0.0.1:{port}
    http-request disable-l7-retry if !METH_GET !METH_HEAD
    default_backend app_servers
backend app_servers
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 1s fall 2 rise 1
    http-response set-header X-Served-By %[srv_name]  # which instance answered (for the run)
{servers}
"""


def free_port() -> int:
    """A port nobody listens on now (the kernel picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing answered at {url}")
        time.sleep(0.2)


class Cluster:
    """The processes of a cluster on this machine; each in its own process group, so that
    killing one kills all its children too, as a machine that fails would."""

    def __init__(
        self, folder: Path, database_url: str, redis_url: str, *, instances: int = 2,
        workers: int = 2, gunicorn_workers: int = 3, extra_env: dict | None = None,
    ):  # fmt: skip
        if not shutil.which("haproxy"):
            sys.exit("haproxy is needed: apt-get install haproxy")
        self.folder = folder
        self.media = folder / "media"
        self.mail = folder / "mail"
        for path in (self.media, self.mail, folder / "run", folder / "logs"):
            path.mkdir(parents=True, exist_ok=True)
        self.ports = [free_port() for _ in range(instances)]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),  # the same on every instance
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(self.media),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "PORTAL_URL": self.url,
            "STATIC_HASHED": "0",  # no collectstatic into the checkout
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
            "SECURE_COOKIES": "0",
            "PROXY_COUNT": "1",  # haproxy appends the client's address to X-Forwarded-For
            "GUNICORN_WORKERS": str(gunicorn_workers),
            "LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        self.apps: list[subprocess.Popen | None] = [None] * instances
        self.workers: list[subprocess.Popen | None] = [None] * workers
        self.balancer: subprocess.Popen | None = None

    def manage(self, *command: str, **env) -> None:
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT,
                       env={**self.env, **env}, check=True)  # fmt: skip

    def prepare(self) -> None:
        for command in ["migrate --noinput", "load_work_programme", "seed_reporting_cycles"]:
            self.manage(*command.split(), "-v0")

    def _spawn(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = (self.folder / "logs" / f"{name}.log").open("ab")
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip

    def start_app(self, index: int) -> None:
        bind = f"127.0.0.1:{self.ports[index]}"
        run = self.folder / "run"
        env = {**self.env, "GUNICORN_BIND": bind,
               "GUNICORN_CONTROL_SOCKET": str(run / f"app{index + 1}.ctl"),
               "GUNICORN_PIDFILE": str(run / f"app{index + 1}.pid")}  # fmt: skip
        command = [sys.executable, "-m", "gunicorn", "cami.wsgi", "-c", "gunicorn.conf.py"]
        self.apps[index] = self._spawn(f"app{index + 1}", command, env)
        wait_for(f"http://{bind}/healthz")

    def start_worker(self, index: int, **env) -> None:
        self.workers[index] = self._spawn(f"worker{index + 1}", [
            sys.executable, "manage.py", "run_worker", "-v0"], {**self.env, **env})  # fmt: skip

    def start_balancer(self) -> None:
        servers = "\n".join(f"    server app{i + 1} 127.0.0.1:{port} check"
                            for i, port in enumerate(self.ports))  # fmt: skip
        config = self.folder / "haproxy.cfg"
        config.write_text(HAPROXY.format(port=self.port, servers=servers))
        self.balancer = self._spawn("haproxy", ["haproxy", "-db", "-f", str(config)], self.env)
        wait_for(f"{self.url}/healthz")

    def start(self, workers: int | None = None) -> None:
        for index in range(len(self.apps)):
            self.start_app(index)
        for index in range(len(self.workers) if workers is None else workers):
            self.start_worker(index)
        self.start_balancer()

    @staticmethod
    def kill(process: subprocess.Popen | None, sig: int = signal.SIGKILL) -> None:
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        for process in [self.balancer, *self.apps, *self.workers]:
            self.kill(process, signal.SIGTERM)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cami_cluster"))  # fmt: skip
    parser.add_argument("--redis-url", default=os.environ.get(
        "REDIS_URL", "redis://127.0.0.1:6379/0"))  # fmt: skip
    parser.add_argument(
        "--folder",
        type=Path,
        default=Path("/tmp/cami-cluster"),
        help="media, mail, logs, haproxy.cfg, control sockets, pid files",
    )
    parser.add_argument("--workers", type=int, default=2, help="task workers")
    args = parser.parse_args()
    cluster = Cluster(args.folder, args.database_url, args.redis_url, workers=args.workers)
    cluster.prepare()
    try:
        cluster.start()
        print(f"The portal: {cluster.url}/ (instances on ports "
              f"{', '.join(map(str, cluster.ports))}; logs in {args.folder / 'logs'})")  # fmt: skip
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stops as Ctrl-C does
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
