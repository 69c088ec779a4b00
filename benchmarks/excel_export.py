"""Time and extra peak memory of the large Excel exports at 100x, against openpyxl alone.

    .venv/bin/python benchmarks/excel_export.py [--scale 100] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cami_bench_wb \\
        .venv/bin/python benchmarks/excel_export.py

Builds the data once: the programme and `generate_synthetic_data --scale N` (the programme
multiplied N times, every Range State's report in one cycle: 13,300 activities and 112,200
entries at 100x), in a fresh SQLite file, or in the database DATABASE_URL names (there it is built
unless that database already holds synthetic data of this scale, which is then used as is).

Then, for the Secretariat's review workbook, the programme workbook and the largest report's
offline template: the portal's workbook built from the database and written to a file as the
download does, against openpyxl's write-only mode writing the same cell values (read back from
the portal's file before the clock starts) with no database work and no styles. Each measurement
runs in a process of its own, portal and openpyxl alternating, `--runs` times: the time is the
fastest run (the machine is shared: the least disturbed run); the CPU ratio compares the
processes' own CPU time, which other work on the machine disturbs less but which leaves out the
database server's share; the memory is the largest rise of the process's peak resident memory
(VmHWM, reset through /proc/self/clear_refs) over what it held just before, once Django, openpyxl
and the cell values were loaded.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import setup_django  # noqa: E402 (needs the path above)
from benchmarks.workbooks import cell_values, save, write_plain  # noqa: E402

# name: (time ratio, extra MB over openpyxl alone): what issue 17 asks; None: no target set
TARGETS = {"review": (1.3, None), "programme": (2.0, 50), "template": (None, None)}
EXPORTS = list(TARGETS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=EXPORTS, nargs="*", default=EXPORTS)
    parser.add_argument("--child", nargs=3, metavar=("EXPORT", "WHO", "PATH"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args()
    if args.child:
        return _child(*args.child)
    workdir = setup_django("cami-excel-")
    facts = _data(args.scale)
    print(f"database: {facts['vendor']}, scale {args.scale}x: {facts['activities']:,} activities, "
          f"{facts['entries']:,} entries in the cycle, the largest report {facts['largest']:,}; "
          f"fastest of {args.runs} runs, each in its own process")  # fmt: skip
    print(f"{'workbook':<11}{'cells':>11}{'queries':>8}{'portal s':>10}{'openpyxl s':>11}"
          f"{'ratio':>7}{'target':>8}{'CPU ratio':>10}{'portal MB':>11}{'openpyxl MB':>12}"
          f"{'extra MB':>10}{'target':>8}")  # fmt: skip
    env = dict(os.environ)  # with the DATABASE_URL set up above
    for name in args.only:
        path = Path(workdir) / f"{name}.xlsx"
        portal, plain = [], []
        for _run in range(args.runs):
            portal.append(_run_child(name, "portal", path, env))
            plain.append(_run_child(name, "openpyxl", path, env))
        seconds = min(r["seconds"] for r in portal), min(r["seconds"] for r in plain)
        cpu = min(r["cpu"] for r in portal) / min(r["cpu"] for r in plain)
        memory = max(r["mb"] for r in portal), max(r["mb"] for r in plain)
        ratio, most = TARGETS[name]
        print(f"{name:<11}{plain[0]['cells']:>11,}{portal[0]['queries']:>8}{seconds[0]:>10.2f}"
              f"{seconds[1]:>11.2f}{seconds[0] / seconds[1]:>7.2f}"
              f"{f'≤ {ratio}' if ratio else '—':>8}{cpu:>10.2f}{memory[0]:>11.1f}{memory[1]:>12.1f}"
              f"{memory[0] - memory[1]:>10.1f}{f'≤ {most}' if most else '—':>8}")  # fmt: skip


def _data(scale: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from activities.models import Activity
    from reporting.models import NationalReport, ReportEntry, ReportingCycle

    call_command("migrate", verbosity=0)
    if not ReportingCycle.objects.filter(slug="synthetic-1").exists():
        call_command("load_work_programme", verbosity=0)
        call_command("generate_synthetic_data", scale=scale, verbosity=0)
    activities = Activity.objects.count()
    if activities != 133 * scale:
        sys.exit(f"The database holds synthetic data of another scale ({activities} activities).")
    cycle = ReportingCycle.objects.get(slug="synthetic-1")
    reports = NationalReport.objects.filter(cycle=cycle).annotate(n=Count("entries"))
    return {
        "vendor": connection.vendor,
        "activities": activities,
        "entries": ReportEntry.objects.filter(report__cycle=cycle).count(),
        "largest": reports.order_by("-n")[0].n,
    }


def _run_child(name: str, who: str, path: Path, env: dict) -> dict:
    found = subprocess.run(
        [sys.executable, __file__, "--child", name, who, str(path)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if found.returncode:
        sys.exit(f"{name} ({who}) failed:\n{found.stderr}")
    return json.loads(found.stdout.splitlines()[-1])


def _child(name: str, who: str, path: str) -> None:
    """One measurement in this fresh process; prints its figures as JSON."""
    setup_django("cami-excel-")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = Path(path)
    if who == "portal":
        build = _builder(name)
        connection.ensure_connection()
        queries = CaptureQueriesContext(connection)
        with queries:
            seconds, cpu, mb = _measured(lambda: save(build(), path))
        print(json.dumps({"seconds": seconds, "cpu": cpu, "mb": mb, "queries": len(queries)}))
    else:
        sheets = cell_values(path)
        plain = path.with_suffix(".openpyxl.xlsx")
        seconds, cpu, mb = _measured(lambda: write_plain(sheets, plain))
        cells = sum(len(row) for rows in sheets.values() for row in rows)
        print(json.dumps({"seconds": seconds, "cpu": cpu, "mb": mb, "cells": cells}))


def _builder(name: str):
    """What the download builds, with its inputs read before the clock starts."""
    from django.db.models import Count
    from django.utils.translation import gettext

    from activities.selectors import activities_for_display
    from activities.workbook import programme_workbook
    from reporting.excel.review import review_workbook
    from reporting.excel.template import template_workbook
    from reporting.models import NationalReport, ReportingCycle

    gettext("Activities")  # the translations loaded, as in a worker that has served a page
    cycle = ReportingCycle.objects.get(slug="synthetic-1")
    if name == "review":
        return lambda: review_workbook(cycle)
    if name == "programme":
        return lambda: programme_workbook(activities_for_display(), {})
    reports = NationalReport.objects.filter(cycle=cycle).annotate(n=Count("entries"))
    largest = reports.order_by("-n")[0]
    return lambda: template_workbook(largest)


def _measured(action) -> tuple[float, float, float]:
    """(seconds, this process's CPU seconds, MB by which the peak resident memory rose above the
    memory held before)."""
    before = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    start, cpu = time.perf_counter(), time.process_time()
    action()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return seconds, cpu, (_status("VmHWM") - before) / 1024


def _status(field: str) -> int:
    """A figure of /proc/self/status, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


if __name__ == "__main__":
    main()
