"""Response time of /dashboard/ at 100x data, against the plain aggregate SQL it needs.

    .venv/bin/python benchmarks/dashboard.py [--scale 100] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/dashboard.py

Builds a fresh database with the programme multiplied by --scale and every Range State's report
filled in, then times the Secretariat's dashboard (the view, rendered in-process) and the raw
GROUP BY queries that produce its figures, and prints the ratio.
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import setup_django  # noqa: E402 (needs the path above)

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django("cami-dashboard-")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("load_work_programme", verbosity=0)
    cycle, reviewer, entries = _build(args.scale)
    client = Client()
    client.force_login(reviewer)
    client.get("/dashboard/")  # warm up
    page = _time(lambda: client.get("/dashboard/"), args.runs)

    def raw():
        with connection.cursor() as cursor:
            for sql in RAW:
                cursor.execute(sql, [cycle.pk])
                cursor.fetchall()

    sql = _time(raw, args.runs)
    print(f"database: {connection.vendor}, scale {args.scale}x: {entries} report entries")
    print(f"dashboard page (median of {args.runs}):   {page * 1000:8.1f} ms")
    print(f"its aggregates as raw SQL:            {sql * 1000:8.1f} ms")
    print(f"ratio page / raw SQL:                 {page / sql:8.1f}")


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
            status=status
        )
    NationalReport.objects.update(status=ReportStatus.ACCEPTED)
    return cycle, reviewer, ReportEntry.objects.count()


def _time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
