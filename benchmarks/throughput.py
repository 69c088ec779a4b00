"""Requests per second of the main pages and API lists under gunicorn, as ratios to baselines.

    .venv/bin/python benchmarks/throughput.py [--scales 1 100] [--seconds 10] [--connections 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/throughput.py

For each scale, on a fresh database with the programme loaded (and multiplied by
`generate_synthetic_data --scale N`), starts two gunicorn servers on free ports with the same
workers and no worker recycling: the portal (`benchmarks.settings`, which adds a trivial view) and
`benchmarks/raw_api.py`, a bare WSGI app answering the API's activity list with raw SQL. It checks
that the two answer the same bytes, then drives each URL with wrk (`apt-get install wrk`) in
alternating rounds and prints the median throughput, the server's CPU per request, and each URL's
ratio to its baseline; the API list's target is 0.6 of the raw app. It also prints the workers'
memory before and after, which is what worker recycling (`max_requests`) would be for.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = "/bench/trivial"
API = "/api/v1/activities/?page_size=500"
CASES = [  # (label, server, url, baseline label)
    ("trivial view", "portal", TRIVIAL, None),
    ("home page", "portal", "/", "trivial view"),
    ("activity list page", "portal", "/activities/", "trivial view"),
    ("activity list, filtered", "portal", "/activities/?species=snow-leopard&range_state=KGZ",
     "trivial view"),
    ("activity page", "portal", "/activities/12.1/", "trivial view"),
    ("raw WSGI app, same bytes", "raw", API, None),
    ("API activities, page_size=500", "portal", API, "raw WSGI app, same bytes"),
    ("API Conservation Units", "portal", "/api/v1/conservation-units/", "trivial view"),
]  # fmt: skip
API_TARGET = 0.6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    failures = []
    for scale in args.scales:
        failures += run_scale(scale, args)
    if failures:
        sys.exit("\n".join(failures))


def run_scale(scale: int, args) -> list[str]:
    workdir = Path(tempfile.mkdtemp(prefix="cami-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_HASHED": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "API_ANON_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'db.sqlite3'}")
    _prepare(env, scale)
    servers = {name: _serve(app, env, args.workers) for name, app in
               [("portal", "cami.wsgi"), ("raw", "benchmarks.raw_api:application")]}  # fmt: skip
    failures = []
    try:
        ports = {name: port for name, (_, port) in servers.items()}
        # Asked with the same Host, as the answers' links to other pages are absolute.
        portal, raw = (_fetch(ports[name], API, host=f"127.0.0.1:{ports['portal']}")
                       for name in ("portal", "raw"))  # fmt: skip
        if portal != raw:
            failures.append(f"{scale}x: the raw app's answer differs from the API's")
        rss = {name: [_rss(process)] for name, (process, _) in servers.items()}
        rates, cpus, p50s = {}, {}, {}
        for _ in range(args.rounds):  # alternating rounds: both sides share the same noise
            for label, server, url, _baseline in CASES:
                process, port = servers[server]
                cpu = _cpu(process)
                rate, p50, requests = _wrk(port, url, args)
                rates.setdefault(label, []).append(rate)
                p50s.setdefault(label, []).append(p50)
                cpus.setdefault(label, []).append((_cpu(process) - cpu) / requests * 1000)
            for name, (process, _) in servers.items():
                rss[name].append(_rss(process))
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=20)
        _drop(env)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{scale}x, database {env['DATABASE_URL'].split(':')[0]}, gunicorn {args.workers} "
          f"workers without recycling, wrk {args.connections} connections, {args.rounds} rounds "
          f"of {args.seconds}s per URL (medians); API answer {len(portal):,} bytes, "
          f"{'identical' if portal == raw else 'DIFFERENT'} from the raw app's\n")  # fmt: skip
    print(f"{'what':32} {'req/s':>8} {'p50 ms':>7} {'CPU ms':>7} {'ratio':>6}  baseline")
    median = {label: statistics.median(values) for label, values in rates.items()}
    for label, _server, _url, baseline in CASES:
        ratio = f"{median[label] / median[baseline]:.2f}" if baseline else ""
        print(f"{label:32} {median[label]:8.1f} {statistics.median(p50s[label]):7.2f} "
              f"{statistics.median(cpus[label]):7.2f} {ratio:>6}  {baseline or ''}")  # fmt: skip
    api = median["API activities, page_size=500"] / median["raw WSGI app, same bytes"]
    print(f"\nAPI list / raw app: {api:.2f} (target ≥ {API_TARGET})")
    if api < API_TARGET:
        failures.append(f"{scale}x: the API list reached {api:.2f} of the raw app")
    for name in servers:  # the first round warms up; growth after it is what recycling is for
        series = ", ".join(f"{value / 2**20:.0f}" for value in rss[name])
        print(f"{name} workers' memory, MB, before the rounds and after each: {series}")
    return failures


def _prepare(env: dict, scale: int) -> None:
    python = sys.executable
    if env["DATABASE_URL"].startswith("postgres"):
        _drop(env)
        _psql(env, f'CREATE DATABASE "{env["DATABASE_URL"].rsplit("/", 1)[1]}"')
    commands = [["migrate", "--noinput", "-v0"], ["load_work_programme", "-v0"]]
    if scale > 1:
        commands.append(["generate_synthetic_data", "--scale", str(scale), "-v0"])
    for command in commands:
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)


def _drop(env: dict) -> None:
    if env["DATABASE_URL"].startswith("postgres"):
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        _psql(env, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _psql(env: dict, statement: str) -> None:
    server = env["DATABASE_URL"].rsplit("/", 1)[0]
    subprocess.run(["psql", f"{server}/postgres", "-qc", statement], check=True,
                   capture_output=True)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(app: str, env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--threads", "1", "--max-requests", "0", "--no-control-socket",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(120):
        try:
            _fetch(port, "/api/v1/activities/?page_size=1")
            return process, port
        except OSError:
            time.sleep(0.5)
    process.kill()
    sys.exit(f"{app} did not answer on port {port}")


def _fetch(port: int, url: str, host: str | None = None) -> bytes:
    headers = {"Accept": "application/json", "Host": host or f"127.0.0.1:{port}"}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{url}", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def _children(process: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(pid) for pid in path.read_text().split()]


def _cpu(process: subprocess.Popen) -> float:
    """Seconds of CPU the server's workers have used so far."""
    total = 0
    for pid in _children(process):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _rss(process: subprocess.Popen) -> int:
    pages = sum(int(Path(f"/proc/{pid}/statm").read_text().split()[1])
                for pid in _children(process))  # fmt: skip
    return pages * os.sysconf("SC_PAGE_SIZE")


def _wrk(port: int, url: str, args) -> tuple[float, float, int]:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
         "--timeout", "30s", f"http://127.0.0.1:{port}{url}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output or "Socket errors" in output:
        sys.exit(f"{url} answered errors under load:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    return rate, float(p50.group(1)) * scale, requests


if __name__ == "__main__":
    main()
