"""Time of one report's offline template (92 entries, a 12-question form), against openpyxl alone.

    .venv/bin/python benchmarks/template_timing.py [--runs 5] [--language en]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/template_timing.py

Builds a fresh database with the programme, a cycle whose form asks 12 questions (the default six
and one of each other kind: a conditional list, a bounded required number, a date, a yes or no, a
web address, and a number per species on the Conservation Units' activities), opens Kazakhstan's
report (92 entries) and answers every question of every entry. Then it times what the download
does (the workbook built from the database and written to a file) against openpyxl's write-only
mode writing the same cell values with no database work, no styles and no validations (the values
are read back from the portal's file before the clock starts). The target is under one second.
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
from benchmarks.workbooks import cell_values, save, write_plain  # noqa: E402

TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", default="en", help="the language the template is written in")
    args = parser.parse_args()
    workdir = Path(setup_django("cami-template-"))
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from reporting.excel.layout import Layout
    from reporting.excel.template import template_workbook

    call_command("migrate", verbosity=0)
    call_command("load_work_programme", verbosity=0)
    report = _report()
    layout = Layout(report)
    path = workdir / "template.xlsx"
    with translation.override(args.language):
        save(template_workbook(report), path)  # warm up (translations, imports)
        with CaptureQueriesContext(connection) as queries:
            save(template_workbook(report), path)
        portal = _time(lambda: save(template_workbook(report), path), args.runs)
    sheets = cell_values(path)
    limit = _time(lambda: write_plain(sheets, workdir / "plain.xlsx"), args.runs)
    cells = sum(len(row) for rows in sheets.values() for row in rows)
    questions = len(layout.definition.by_code)
    print(f"database: {connection.vendor}; {len(layout.entries)} entries, {questions} questions "
          f"({len(layout.columns)} columns, {len(layout.breakdown_rows)} rows per species); "
          f"{cells:,} cells in {len(sheets)} sheets; median of {args.runs} runs")  # fmt: skip
    print(f"portal template ({args.language}):   {portal * 1000:8.1f} ms, "
          f"{len(queries)} queries")  # fmt: skip
    print(f"openpyxl alone, same values: {limit * 1000:8.1f} ms")
    print(f"ratio portal / openpyxl:     {portal / limit:8.1f}")
    verdict = "within" if portal < TARGET_SECONDS else "OVER"
    print(f"target {TARGET_SECONDS:.0f} s: {verdict}")


def _report():
    """Kazakhstan's report on a 12-question form, every question answered."""
    from django.contrib.auth import get_user_model

    from conservation_units.models import RangeState
    from reporting import services
    from reporting.default_form import default_form
    from reporting.definition import Definition
    from reporting.form_data import create_form
    from reporting.models import ReportEntry, ReportingCycle, ReportingRole

    today = datetime.date.today()
    cycle = ReportingCycle.objects.create(
        title="Benchmark cycle", slug="bench", period_start=2026, period_end=2028,
        opens_on=today - datetime.timedelta(days=30), due_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )  # fmt: skip
    create_form(cycle, _twelve_questions(default_form()), revision=cycle.forms.count() + 1)
    reviewer = get_user_model().objects.create_user("bench-reviewer")
    ReportingRole.objects.create(user=reviewer, role="secretariat")
    report = services.open_report(
        cycle=cycle, range_state=RangeState.objects.get(iso3="KAZ"), actor=reviewer
    )
    definition = Definition(report.form)
    entries = list(
        report.entries.select_related("activity__section").prefetch_related("activity__species")
    )
    for number, entry in enumerate(entries):
        answers = {
            "narrative": f"Progress on {entry.activity.ref}: " + "workshops held, " * 12,
            "achieved_value": number * 1.5, "year_completed": 2026 + number % 3,
            "partners": "CMS, UNDP, national agencies", "challenges": "Funding and access.",
            "delay_reason": "funding", "people_trained": number % 500,
            "started_on": f"2026-{1 + number % 12:02d}-15", "joint": number % 2 == 0,
            "website": f"https://example.org/{entry.activity.ref}",
        }  # fmt: skip
        if definition.applies(definition.by_code["population"], entry.activity):
            answers["population"] = {s.slug: 10 + number for s in entry.activity.species.all()}
        entry.set_answers({"status": "planned", **answers})
    ReportEntry.objects.bulk_update(entries, ["status", "answers"])
    return report


def _twelve_questions(sections: list[dict]) -> list[dict]:
    def text(en, ru):
        return {"en": en, "ru": ru}

    sections[0]["questions"] += [
        {"code": "delay_reason", "type": "choice", "label": text("Reason for delay", "Причина"),
         "show_if": "status", "show_if_values": ["not_started", "planned"],
         "choices": [{"value": "funding", "label": text("Funding", "Финансы")},
                     {"value": "access", "label": text("Access", "Доступ")}]},
        {"code": "people_trained", "type": "number", "label": text("People trained", "Обучено"),
         "required": True, "min_value": 0, "max_value": 500},
        {"code": "started_on", "type": "date", "label": text("Started on", "Начато")},
        {"code": "joint", "type": "yes_no", "label": text("Joint with a neighbour", "Совместно")},
        {"code": "website", "type": "url", "label": text("Web page", "Веб-страница")},
        {"code": "population", "type": "number", "breakdown": "species",
         "label": text("Population counted", "Численность"),
         "only_kinds": ["conservation_unit"]},
    ]  # fmt: skip
    assert sum(len(section["questions"]) for section in sections) == 12
    return sections


def _time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
