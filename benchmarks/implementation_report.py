"""Time, size, pages and queries of the Secretariat's implementation report and of a national
report's PDF at 1x or 100x data, against the review workbook of the same cycle.

    .venv/bin/python benchmarks/implementation_report.py [--scale 100] [--no-national]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/implementation_report.py

Builds a fresh database with the programme and `generate_synthetic_data --scale N` (at 100x:
13,300 activities, every Range State's report in one cycle, 112,200 entries), then files and
accepts each state's report as a version (entries in every status; a progress line on each
answered entry, an obstacle on every fifth), as the implementation report reads them. Then, in
the worker's way and in this order (the process's peak memory only grows, so it is printed after
each step): the review workbook, the synthesis (its queries counted: the same at every scale),
the Word document, the PDF, and the PDF of the largest national report. One run each.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import setup_django  # noqa: E402 (needs the path above)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--no-national", action="store_true",
                        help="skip the national report's PDF (the slowest at 100x)")  # fmt: skip
    args = parser.parse_args()
    workdir = Path(setup_django("cami-implementation-"))
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation
    from weasyprint import HTML

    from benchmarks.workbooks import save
    from reporting import documents, implementation, services
    from reporting.excel.review import review_workbook
    from reporting.implementation_docx import word_document
    from reporting.models import NationalReport, ReportDocument, ReportVersion
    from reporting.synthesis import synthesise

    settings.MEDIA_ROOT = str(workdir / "media")
    call_command("migrate", verbosity=0)
    call_command("load_work_programme", verbosity=0)
    call_command("generate_synthetic_data", scale=args.scale, verbosity=0)
    reports = NationalReport.objects.filter(cycle__slug="synthetic-1").select_related("cycle")
    now = timezone.now()
    for report in reports:
        entries = services.version_entries(report)
        for n, item in enumerate(entries):
            if item["answers"].get("status"):
                item["answers"]["narrative"] = f"Progress on {item['ref']}: " + "surveys, " * 20
                if n % 5 == 0:
                    item["answers"]["challenges"] = "Too few rangers; " * 8
        ReportVersion.objects.create(report=report, number=1, submitted_at=now, accepted_at=now,
                                     form=report.form, answers={}, entries=entries)  # fmt: skip
    cycle = reports[0].cycle
    total = sum(len(v.entries) for v in ReportVersion.objects.filter(report__cycle=cycle))
    print(f"database: {connection.vendor}; scale {args.scale}; {reports.count()} accepted "
          f"reports, {total:,} entries")  # fmt: skip

    def step(name, work, size=None, pages=None):
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        rows.append((name, seconds, size(result) if size else None,
                     pages(result) if pages else None, peak))  # fmt: skip
        return result

    rows = []
    step("review workbook", lambda: save(review_workbook(cycle), workdir / "review.xlsx"))
    with CaptureQueriesContext(connection) as queries:
        made = step("synthesis", lambda: synthesise(cycle))
    step("Word document", lambda: word_document(made), size=len)
    html = render_to_string("reporting/pdf/implementation.html", implementation.context(made))
    pdf = step("PDF", lambda: HTML(string=html, base_url=str(ROOT)).render(),
               pages=lambda rendered: len(rendered.pages))  # fmt: skip
    rows[-1] = (*rows[-1][:2], len(pdf.write_pdf()), *rows[-1][3:])
    if not args.no_national:
        largest = max(ReportVersion.objects.filter(report__cycle=cycle),
                      key=lambda version: len(version.entries))  # fmt: skip
        with translation.override("en"):
            document = ReportDocument.objects.create(version=largest, variant="complete",
                                                     language="en")  # fmt: skip
            step(f"national PDF ({len(largest.entries):,} entries)",
                 lambda: documents.make(document))  # fmt: skip
        rows[-1] = (rows[-1][0], rows[-1][1], document.size, document.pages, rows[-1][4])
    workbook = rows[0][1]
    print(f"synthesis queries: {len(queries)}")
    for name, seconds, size, pages, peak in rows:
        size = f"{size:>12,} B" if size else " " * 14
        pages = f"{pages:>6} pages" if pages else " " * 12
        print(f"{name:34} {seconds:8.1f} s  {size}  {pages}  {seconds / workbook:6.2f}x the "
              f"review workbook   peak so far {peak} MB")  # fmt: skip


if __name__ == "__main__":
    main()
