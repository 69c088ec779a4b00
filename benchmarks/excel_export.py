"""Time and peak memory of the large Excel exports at 100x, against openpyxl alone.

    .venv/bin/python benchmarks/excel_export.py [--scale 100] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/excel_export.py

Builds a fresh database with `generate_synthetic_data --scale N` (the programme multiplied N
times, every Range State's report in one cycle: about 112,000 entries at 100x), then builds the
Secretariat's review workbook, the largest report's offline template and the programme workbook.
The limit for each is openpyxl's write-only mode writing the same cell values with no database
work and no styles: the values are read back from the portal's file before the clock starts.
"""

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import setup_django  # noqa: E402 (needs the path above)
from benchmarks.workbooks import cell_values, save, write_plain  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = setup_django("cami-excel-")
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from activities.selectors import activities_for_display
    from activities.workbook import programme_workbook
    from reporting.excel.review import review_workbook
    from reporting.excel.template import template_workbook
    from reporting.models import NationalReport, ReportEntry, ReportingCycle

    call_command("migrate", verbosity=0)
    call_command("load_work_programme", verbosity=0)
    call_command("generate_synthetic_data", scale=args.scale, verbosity=0)
    cycle = ReportingCycle.objects.get(slug="synthetic-1")
    largest = (
        NationalReport.objects.filter(cycle=cycle).annotate(n=Count("entries")).order_by("-n")[0]
    )
    entries = ReportEntry.objects.filter(report__cycle=cycle).count()
    print(f"database: {connection.vendor}, scale {args.scale}x: {entries:,} entries in the "
          f"cycle; largest report {largest.n:,} entries; median of {args.runs} runs")  # fmt: skip
    print(f"{'workbook':<22}{'cells':>11}{'portal s':>10}{'limit s':>9}{'ratio':>7}"
          f"{'portal MB':>11}{'limit MB':>10}{'ratio':>7}")  # fmt: skip
    exports = {
        "review (per cycle)": lambda: review_workbook(cycle),
        "offline template": lambda: template_workbook(largest),
        "programme": lambda: programme_workbook(activities_for_display(), {}),
    }
    for name, build in exports.items():
        path = Path(workdir) / "export.xlsx"
        portal = _measure(lambda build=build, path=path: save(build(), path), args.runs)
        sheets = cell_values(path)
        limit = _measure(lambda sheets=sheets, path=path: write_plain(sheets, path), args.runs)
        cells = sum(len(row) for rows in sheets.values() for row in rows)
        print(f"{name:<22}{cells:>11,}{portal[0]:>10.2f}{limit[0]:>9.2f}"
              f"{portal[0] / limit[0]:>7.1f}{portal[1]:>11.1f}{limit[1]:>10.1f}"
              f"{portal[1] / limit[1]:>7.1f}")  # fmt: skip


def _measure(action, runs: int) -> tuple[float, float]:
    """(median seconds, peak traced MB); memory is traced in a separate run, not timed."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 1_048_576


if __name__ == "__main__":
    main()
