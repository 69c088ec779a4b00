"""CPU time of one /dashboard/ request at 1x and 100x data, against the 15 ms target.

    .venv/bin/python benchmarks/dashboard.py [--scales 1 100] [--runs 9]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cami_bench \
        .venv/bin/python benchmarks/dashboard.py

Each scale runs in its own process on a fresh test database (in-memory SQLite, or test_<name>
beside DATABASE_URL's PostgreSQL database): the programme multiplied by the scale
(`reporting/synthetic.py`, the suite's 10x helper), a cycle with every Range State's report
opened, its entries in every status and the reports accepted (so the public sees every figure).
The page is fetched in-process with Django's test client as the public and as a Secretariat
reviewer, and the CPU time of each request (time.process_time: this process only, so the
database server's work is not counted, the database driver's is) is the median of --runs:

- warm: the cached figures are in the cache (the usual request);
- cold: the cache is cleared before each request (the first request after a report is accepted).

It also runs the raw GROUP BY statements behind the status figures, for scale. It prints each
time, its ratio to the 15 ms target and the ratio of the largest scale to the smallest.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import child_env, each_scale  # noqa: E402 (needs the path above)

TARGET_MS = 15.0
URL = "/dashboard/?cycle=bench"
# The same aggregates the dashboard shows, as plain SQL (one statement each).
RAW = [
    """SELECT a.section_id, e.status, COUNT(*) FROM reporting_reportentry e
       JOIN activities_activity a ON a.id = e.activity_id
       JOIN reporting_nationalreport r ON r.id = e.report_id WHERE r.cycle_id = %s
       GROUP BY a.section_id, e.status""",
    """SELECT s.conservation_unit_id, e.status, COUNT(*) FROM reporting_reportentry e
       JOIN activities_activity a ON a.id = e.activity_id
       JOIN activities_section s ON s.id = a.section_id
       JOIN reporting_nationalreport r ON r.id = e.report_id
       WHERE r.cycle_id = %s AND s.conservation_unit_id IS NOT NULL
       GROUP BY s.conservation_unit_id, e.status""",
    """SELECT sp.species_id, e.status, COUNT(*) FROM reporting_reportentry e
       JOIN activities_activity_species sp ON sp.activity_id = e.activity_id
       JOIN reporting_nationalreport r ON r.id = e.report_id WHERE r.cycle_id = %s
       GROUP BY sp.species_id, e.status""",
    """SELECT r.range_state_id, e.status, COUNT(*) FROM reporting_reportentry e
       JOIN reporting_nationalreport r ON r.id = e.report_id WHERE r.cycle_id = %s
       GROUP BY r.range_state_id, e.status""",
]
CASES = [("public", "warm"), ("public", "cold"), ("secretariat", "warm"),
         ("secretariat", "cold")]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )  # fmt: skip
    parser.add_argument("--scales", "--scale", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    env = child_env()
    if args.one_scale:
        os.environ.update(env)
        print(json.dumps(_measure(args.one_scale, args.runs)))
        return
    results = each_scale(__file__, args.scales, "--runs", str(args.runs), env=env)
    _print(results, args.scales, args.runs)


def _measure(scale: int, runs: int) -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.core.management import call_command

        call_command("load_work_programme", verbosity=0)
        cycle, reviewer, entries = _build(scale)
        clients = {"public": Client(), "secretariat": Client()}
        clients["secretariat"].force_login(reviewer)
        result = {"vendor": connection.vendor, "entries": entries}
        for who, cache_state in CASES:
            client = clients[who]

            def fetch(client=client, cold=cache_state == "cold"):
                if cold:
                    cache.clear()
                start = time.process_time()
                response = client.get(URL)
                spent = time.process_time() - start
                assert response.status_code == 200, response.status_code
                return spent

            fetch()  # warms the per-process caches (templates, translations, the figures)
            result[f"{who} {cache_state}"] = statistics.median(fetch() for _ in range(runs))

        def raw():
            start = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in RAW:
                    cursor.execute(sql, [cycle.pk])
                    cursor.fetchall()
            return time.perf_counter() - start

        result["raw SQL (wall clock)"] = statistics.median(raw() for _ in range(runs))
        return result
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _build(scale: int):
    from django.contrib.auth import get_user_model
    from django.db.models import F

    from conservation_units.models import RangeState
    from reporting import services
    from reporting.choices import EntryStatus, ReportStatus
    from reporting.models import NationalReport, ReportEntry, ReportingCycle, ReportingRole
    from reporting.synthetic import multiply_programme  # the suite's 10x helper, at any scale

    multiply_programme(scale)
    today = datetime.date.today()
    cycle = ReportingCycle.objects.create(
        title="Benchmark cycle", slug="bench", period_start=2026, period_end=2028,
        opens_on=today - datetime.timedelta(days=30), due_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )  # fmt: skip
    reviewer = get_user_model().objects.create_user("bench-reviewer")
    ReportingRole.objects.create(user=reviewer, role="secretariat")
    for state in RangeState.objects.range_states():
        services.open_report(cycle=cycle, range_state=state, actor=reviewer)
    statuses = [*EntryStatus.values, ""]
    for index, status in enumerate(statuses):
        ReportEntry.objects.annotate(slot=F("id") % len(statuses)).filter(slot=index).update(
            status=status, complete=bool(status)
        )
    NationalReport.objects.update(status=ReportStatus.ACCEPTED)
    return cycle, reviewer, ReportEntry.objects.count()


def _print(results: dict, scales: list[int], runs: int) -> None:
    first, last = scales[0], scales[-1]
    print(f"database: {results[first]['vendor']}; CPU time per request (time.process_time), "
          f"median of {runs}; target {TARGET_MS:g} ms")  # fmt: skip
    print(f"{'':22}" + "".join(f"{f'{s}x ms':>10}{'/ target':>10}" for s in scales)
          + (f"{f'{last}x / {first}x':>12}" if len(scales) > 1 else ""))  # fmt: skip
    for label in [f"{who} {state}" for who, state in CASES] + ["raw SQL (wall clock)"]:
        line = f"{label:22}"
        for scale in scales:
            ms = results[scale][label] * 1000
            line += f"{ms:10.1f}{ms / TARGET_MS:10.2f}"
        if len(scales) > 1:
            line += f"{results[last][label] / results[first][label]:12.2f}"
        print(line)
    print("report entries: " + ", ".join(f"{s}x {results[s]['entries']:,}" for s in scales))


if __name__ == "__main__":
    main()
