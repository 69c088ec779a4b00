"""Time, size and pages of a national report's PDF (92 entries, 12 questions), against the review
workbook of the same cycle.

    .venv/bin/python benchmarks/report_pdf.py [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/report_pdf.py

Builds a fresh database with the programme and Kazakhstan's report with every question of a
12-question form answered (as benchmarks/template_timing.py does), submits it, then makes its PDF
the way the task queue does (reporting.documents.make: the page rendered in the language, then
drawn by WeasyPrint) for each variant and language, and times the Secretariat's review workbook of
the cycle for comparison. Prints the median time, the queries the document reads, pages, bytes,
and the process's peak memory.
"""

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import setup_django  # noqa: E402 (needs the path above)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(setup_django("cami-pdf-"))
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.template_timing import _report
    from benchmarks.workbooks import save
    from reporting import documents, services
    from reporting.excel.review import review_workbook
    from reporting.models import ReportDocument

    settings.MEDIA_ROOT = str(workdir / "media")
    call_command("migrate", verbosity=0)
    call_command("load_work_programme", verbosity=0)
    report = _report()
    report.entries.update(complete=True)  # answered in bulk: every required answer is there
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("bench-admin", "a@example.org", "x" * 16)
    services.enter_on_behalf(report=report, actor=admin, reason="Benchmark")
    services.submit_report(report=report, actor=admin)
    version = report.versions.get()

    def make(variant, language):
        ReportDocument.objects.filter(version=version).delete()
        document = ReportDocument.objects.create(version=version, variant=variant,
                                                 language=language)  # fmt: skip
        documents.make(document)
        return document

    make("complete", "en")  # warm up (fonts, templates, translations)
    print(f"database: {connection.vendor}; {len(version.entries)} entries; median of "
          f"{args.runs} runs")  # fmt: skip
    rows = []
    for variant, language in [("complete", "en"), ("complete", "ru"), ("answered", "en")]:
        document = ReportDocument(version=version, variant=variant, language=language)
        with CaptureQueriesContext(connection) as queries:
            documents.context(document)
        seconds = statistics.median(_timed(lambda v=variant, lang=language: make(v, lang))
                                    for _ in range(args.runs))  # fmt: skip
        made = ReportDocument.objects.get(version=version)
        rows.append((f"PDF {variant}, {language}", seconds, made.pages, made.size,
                     len(queries)))  # fmt: skip
    workbook = statistics.median(
        _timed(lambda: save(review_workbook(report.cycle), workdir / "review.xlsx"))
        for _ in range(args.runs)
    )
    for name, seconds, pages, size, queries in rows:
        print(f"{name:22} {seconds * 1000:8.0f} ms  {pages:3} pages  {size:8,} bytes  "
              f"{queries} queries  {seconds / workbook:5.1f}x the review workbook")  # fmt: skip
    print(f"{'review workbook':22} {workbook * 1000:8.0f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory of the process: {peak} MB")


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
