"""Requests per second of the main pages and API lists under gunicorn, as ratios to baselines.

    .venv/bin/python benchmarks/throughput.py [--seconds 10] [--connections 16]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/throughput.py

Starts gunicorn (2 workers, like the 2-core machines here) on a fresh database with the
programme loaded, drives it with wrk (`apt-get install wrk`), and prints each URL's throughput
and its ratio to the same server's trivial view; the API list is also compared with a view
returning the same activity rows read by one raw SQL query and dumped with json.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8790
TRIVIAL = "/bench/trivial"
CASES = [  # (label, url, baseline url)
    ("trivial view", TRIVIAL, None),
    ("home page", "/", TRIVIAL),
    ("activity list page", "/activities/", TRIVIAL),
    ("activity list, filtered", "/activities/?species=snow-leopard&range_state=KGZ", TRIVIAL),
    ("activity page", "/activities/12.1/", TRIVIAL),
    ("raw SQL + json, 500 rows", "/bench/raw-activities", TRIVIAL),
    ("API activities, page_size=500", "/api/v1/activities/?page_size=500", "/bench/raw-activities"),
    ("API Conservation Units", "/api/v1/conservation-units/", TRIVIAL),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
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
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [python, "manage.py", "load_work_programme", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "cami.wsgi",
         "-b", f"127.0.0.1:{PORT}", "-w", "2", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/healthz")
        results = {}
        print(f"database: {env['DATABASE_URL'].split(':')[0]}, gunicorn 2 workers, wrk "
              f"{args.connections} connections x {args.seconds}s per URL\n")  # fmt: skip
        print(f"{'what':34} {'req/s':>9} {'p50 ms':>8} {'ratio':>8}  baseline")
        for label, url, baseline in CASES:
            rate, latency = _wrk(url, args)
            results[url] = rate
            ratio = f"{rate / results[baseline]:.2f}" if baseline else ""
            base = next((lab for lab, u, _ in CASES if u == baseline), "") if baseline else ""
            print(f"{label:34} {rate:9.1f} {latency:8.2f} {ratio:>8}  {base}")
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_for(url: str) -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"server did not answer at {url}")


def _wrk(url: str, args) -> tuple[float, float]:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
         f"http://127.0.0.1:{PORT}{url}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output:
        sys.exit(f"{url} answered errors under load:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    return rate, float(p50.group(1)) * scale


if __name__ == "__main__":
    main()
