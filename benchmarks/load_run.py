"""A sustained load run under production settings, then a PostgreSQL restart under load.

    .venv/bin/python benchmarks/load_run.py [--seconds 60] [--connections 32]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python benchmarks/load_run.py

Needs wrk (`apt-get install wrk`), a local PostgreSQL cluster and the right to restart it
(root or postgres: `pg_ctlcluster --skip-systemctl-redirect`). Creates the database if missing,
migrates it, loads the programme and the reporting cycles, and starts gunicorn with
gunicorn.conf.py (DEBUG=0, plain HTTP on loopback, no API throttle). Then:

1. wrk drives a round-robin mix of public pages and API lists; prints requests, req/s,
   p50/p95/p99 latency, non-2xx/3xx answers and socket errors, and the ratios to the trivial
   view (benchmarks/urls.py) on the same server. Any error answer fails the run.
2. Client threads hit /healthz and an API list while PostgreSQL is restarted; prints a
   per-second timeline, the failed requests, the time from the restart to the first success
   after the outage and to the last failure, and fails the run if any request started after
   that first success failed: persistent connections are health-checked before reuse
   (CONN_HEALTH_CHECKS), so the portal must recover by itself. Then PostgreSQL is restarted
   once more while the portal is idle, and no request after it may fail.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/cami_bench"
TRIVIAL = "/bench/trivial"
MIX = [
    "/", "/activities/", "/activities/12.1/", "/activities/?species=snow-leopard&range_state=KGZ",
    "/sections/", "/conservation-units/", "/conservation-units/western-tian-shan/", "/species/",
    "/species/snow-leopard/",
    "/range-states/", "/range-states/KAZ/", "/dashboard/",
    "/api/v1/activities/", "/api/v1/sections/", "/api/v1/conservation-units/",
    "/api/v1/species/", "/api/v1/range-states/", "/api/v1/instruments/", "/api/v1/cycles/",
]  # fmt: skip
RESTART_PROBES = ["/healthz", "/api/v1/species/"]

# Each wrk thread walks the list from its own start; done() prints one JSON line of totals.
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n - 1) %% #paths + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "non_2xx_3xx": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "timeout": %%d, "p50": %%d, "p95": %%d, "p99": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )  # fmt: skip
    parser.add_argument("--seconds", type=int, default=60, help="length of the mixed run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--baseline-seconds", type=int, default=15, help="trivial view run")
    parser.add_argument("--restart-seconds", type=int, default=30, help="length of run 2")
    parser.add_argument("--restart-after", type=int, default=10, help="restart at this second")
    parser.add_argument("--clients", type=int, default=8, help="client threads in run 2")
    parser.add_argument("--no-restart", action="store_true", help="skip run 2")
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database: the run restarts PostgreSQL")
    workdir = Path(tempfile.mkdtemp(prefix="cami-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",  # adds the trivial view
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_HASHED": "0",  # no collectstatic into the checkout
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "API_ANON_RATE": "100000000/minute",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
    }
    _create_database(database_url)
    for command in ["migrate --noinput", "load_work_programme", "seed_reporting_cycles"]:
        subprocess.run([sys.executable, "manage.py", *command.split(), "-v0"],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
    log_path = workdir / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cami.wsgi", "-c", "gunicorn.conf.py"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    failed = False
    try:
        _wait_for(f"{base}/healthz")
        _print_machine()
        failed |= _mixed_run(base, args, workdir, log_path)
        if not args.no_restart:
            failed |= _restart_run(base, args, database_url)
    finally:
        server.terminate()
        server.wait(timeout=40)
    if failed:
        sys.exit(f"FAILED (server log: {log_path})")
    shutil.rmtree(workdir, ignore_errors=True)
    print("\nOK")


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _wait_for(url: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"server did not answer at {url}")


def _print_machine() -> None:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), "unknown CPU",
    )  # fmt: skip
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    workers = os.environ.get("GUNICORN_WORKERS", os.cpu_count() * 2 + 1)
    print(f"machine: {os.cpu_count()} cores ({cpu}), {memory_kib / 2**20:.1f} GiB RAM")
    print(f"gunicorn.conf.py: {workers} workers x {os.environ.get('GUNICORN_THREADS', 2)} threads")


def _mixed_run(base: str, args, workdir: Path, log_path: Path) -> bool:
    print(f"\n1. Mixed load: {len(MIX)} URLs round-robin, {args.connections} connections\n")
    trivial = _wrk(base, [TRIVIAL], args.baseline_seconds, args.connections, workdir)
    mixed = _wrk(base, MIX, args.seconds, args.connections, workdir)
    print(f"{'':26} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
          f" {'non-2xx/3xx':>12} {'socket errors':>14}")  # fmt: skip
    for label, result in [(f"trivial view, {args.baseline_seconds}s", trivial),
                          (f"mix, {args.seconds}s", mixed)]:  # fmt: skip
        print(f"{label:26} {result['requests']:9d} {result['rate']:8.1f} {result['p50']:8.1f} "
              f"{result['p95']:8.1f} {result['p99']:8.1f} {result['non_2xx_3xx']:12d} "
              f"{result['socket_errors']:14d}")  # fmt: skip
    print(f"{'mix / trivial':26} {'':9} {mixed['rate'] / trivial['rate']:8.2f} "
          f"{mixed['p50'] / trivial['p50']:8.1f}")  # fmt: skip
    errors = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in (trivial, mixed))
    tracebacks = log_path.read_text(errors="replace").count("Traceback")
    print(
        f"\nerror answers and socket errors: {errors}; tracebacks in the server log: {tracebacks}"
    )
    return bool(errors or tracebacks)


def _wrk(base: str, paths: list[str], seconds: int, connections: int, workdir: Path) -> dict:
    script = workdir / "mix.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
         base],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = json.loads(output.strip().splitlines()[-1])
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    for percentile in ("p50", "p95", "p99"):
        result[percentile] /= 1000  # microseconds to milliseconds
    return result


def _restart_run(base: str, args, database_url: str) -> bool:
    restart = ["pg_ctlcluster", "--skip-systemctl-redirect",
               *_cluster(urlsplit(database_url).port or 5432), "restart"]  # fmt: skip
    print(f"\n2. PostgreSQL ({' '.join(restart[2:4])}) restarted at +{args.restart_after}s, "
          f"{args.clients} client threads on {', '.join(RESTART_PROBES)}\n")  # fmt: skip
    results = []  # (start, end, ok, what)
    stop = threading.Event()

    def client(offset: int) -> None:
        n = offset
        while not stop.is_set():
            start = time.monotonic()
            ok, what = _get(base + RESTART_PROBES[n % len(RESTART_PROBES)])
            results.append((start, time.monotonic(), ok, what))
            n += 1

    begin = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    time.sleep(args.restart_after)
    restart_at = time.monotonic()
    subprocess.run(restart, check=True)
    up_at = time.monotonic()  # pg_ctlcluster returns once the server accepts connections
    time.sleep(max(0.0, begin + args.restart_seconds - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join()
    failed = _report_restart(results, begin, restart_at, up_at)
    return _idle_restart(base, restart, args.clients) or failed


def _idle_restart(base: str, restart: list[str], clients: int) -> bool:
    """Connections idle across a restart are stale: each must be checked, not fail once."""
    urls = [base + path for path in RESTART_PROBES] * 100
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(_get, urls))  # every worker thread now holds a database connection
        subprocess.run(restart, check=True)
        failures = [what for ok, what in pool.map(_get, urls) if not ok]
    print(f"\nrestart while idle, then {len(urls)} requests: {len(failures)} failed")
    return bool(failures)


def _get(url: str) -> tuple[bool, int | str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return True, response.status
    except urllib.error.HTTPError as error:
        return False, error.code
    except OSError as error:
        return False, type(error).__name__


def _cluster(port: int) -> tuple[str, str]:
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
    for line in listing.splitlines():
        version, cluster, cluster_port, *_ = line.split()
        if int(cluster_port) == port:
            return version, cluster
    sys.exit(f"no local PostgreSQL cluster on port {port} (pg_lsclusters)")


def _report_restart(results, begin: float, restart_at: float, up_at: float) -> bool:
    print(f"{'second':>6} {'ok':>6} {'failed':>7}")
    for second in range(int(max(end for _, end, _, _ in results) - begin) + 1):
        done = [ok for _, end, ok, _ in results if second <= end - begin < second + 1]
        marks = [label for label, at in (("restart issued", restart_at), ("restart done", up_at))
                 if second <= at - begin < second + 1]  # fmt: skip
        print(f"{second:6d} {done.count(True):6d} {done.count(False):7d}  {', '.join(marks)}")
    failures = [r for r in results if not r[2]]
    kinds = sorted({str(what) for _, _, _, what in failures})
    print(f"\nrequests: {len(results)}, failed: {len(failures)} ({', '.join(kinds) or 'none'})")
    print(f"pg_ctlcluster restart took {up_at - restart_at:.2f} s")
    if not failures:
        return False
    # Recovered: the first success of a request started after the outage was first seen.
    outage_seen = min(end for _, end, ok, _ in failures)
    recovered = min((end for start, end, ok, _ in results if ok and start > outage_seen),
                    default=None)  # fmt: skip
    if recovered is None:
        print("no request succeeded after the outage")
        return True
    after = [r for r in failures if r[0] > recovered]
    print(f"restart to first failure: {outage_seen - restart_at:.2f} s")
    print(f"restart to first success after the outage: {recovered - restart_at:.2f} s")
    print(f"restart to last failure: {max(end for _, end, _, _ in failures) - restart_at:.2f} s")
    print(f"failures among requests started after that first success: {len(after)}")
    return bool(after)


if __name__ == "__main__":
    main()
