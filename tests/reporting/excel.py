"""Helpers for the Excel tests: download a template, fill it like a person would, upload it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from reporting.default_form import default_form
from reporting.excel.layout import REQUIRED
from reporting.form_data import create_form

STATUS = "Implementation status"  # the default form's labels, as the Report sheet heads them
PROGRESS = "Progress"


def template_url(report) -> str:
    return reverse("report-template", args=[report.cycle.slug, report.range_state.iso3])


def upload_url(report) -> str:
    return reverse("report-upload", args=[report.cycle.slug, report.range_state.iso3])


def download(client, report):
    response = client.get(template_url(report))
    assert response.status_code == 200, response
    return load_workbook(io.BytesIO(response.getvalue()))


def headings(sheet) -> list[str]:
    """A sheet's first row, without the mark of required questions."""
    return [str(c.value or "").removesuffix(REQUIRED) for c in sheet[1]]


def rows_by_ref(book, sheet_name: str = "Report") -> dict[str, dict]:
    """The Report sheet as {ref: {heading: value}}, with each row's number under 'row'."""
    sheet = book[sheet_name]
    names = headings(sheet)
    found = {}
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        row = dict(zip(names, values, strict=False))
        found[row["Ref"]] = {**row, "row": number}
    return found


def fill(book, ref: str, **values) -> None:
    """Types `values` (by column heading, without its *) into the row of activity `ref`."""
    sheet = book["Report"]
    names = headings(sheet)
    number = rows_by_ref(book)[ref]["row"]
    for name, value in values.items():
        sheet.cell(number, names.index(name) + 1).value = value


def fill_cells(source, target, values: dict[tuple[str, str], object]) -> None:
    """The template file `source` with `values` ({(ref, heading): value}) typed into its Report
    sheet, saved as `target`."""
    book = load_workbook(source)
    for (ref, heading), value in values.items():
        fill(book, ref, **{heading: value})
    book.save(target)


def fill_rows(book, sheet_name: str, match, value) -> list[int]:
    """Types `value` in the Answer column of each row of `sheet_name` for which
    `match({heading: value})` holds; returns the rows' numbers."""
    sheet = book[sheet_name]
    names = headings(sheet)
    answer = names.index("Answer") + 1
    numbers = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if match(dict(zip(names, values, strict=False))):
            sheet.cell(number, answer).value = value
            numbers.append(number)
    return numbers


def as_upload(book, name: str = "filled.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, report, content, **extra):
    return client.post(upload_url(report), {"file": content, **extra})


def snapshot(report) -> list[tuple]:
    """Every answer, revision and evidence link of the report: to prove nothing changed."""
    entries = report.entries.order_by("pk").prefetch_related("evidence")
    report.refresh_from_db()
    return [
        (report.answers, report.answers_revision),
        *(
            (entry.pk, entry.revision, entry.answer_values(),
             tuple(sorted(e.url for e in entry.evidence.all())))
            for entry in entries
        ),
    ]  # fmt: skip


CU_ONLY = ["conservation_unit"]


def text(en: str, ru: str) -> dict:
    return {"en": en, "ru": ru}


def rich_form() -> list[dict]:
    """The default form and a question of each kind the template must handle."""
    sections = default_form()
    sections[0]["questions"] += [
        {"code": "delay_reason", "type": "choice", "label": text("Reason for delay", "Причина"),
         "show_if": "status", "show_if_values": ["not_started", "planned"],
         "choices": [{"value": "funding", "label": text("Funding, or its lack", "Финансы, их нет")},
                     {"value": "access", "label": text("Permits, access", "Доступ, разрешения")}]},
        {"code": "people_trained", "type": "number", "label": text("People trained", "Обучено"),
         "required": True, "min_value": 0, "max_value": 500,
         "help": text("Rangers and staff.", "Егеря и сотрудники.")},
        {"code": "started_on", "type": "date", "label": text("Started on", "Начато")},
        {"code": "joint", "type": "yes_no", "label": text("Joint with a neighbour", "Совместно")},
        {"code": "unit_note", "type": "text", "label": text("Unit note", "Заметка"),
         "only_kinds": CU_ONLY},
        {"code": "population", "type": "number", "breakdown": "species",
         "label": text("Population counted", "Численность"), "only_kinds": CU_ONLY},
    ]  # fmt: skip
    sections.append({
        "scope": "report", "title": text("About the report", "О докладе"),
        "questions": [
            {"code": "coordinator", "type": "text", "label": text("Coordinator", "Координатор"),
             "required": True},
            {"code": "national_plan", "type": "yes_no",
             "label": text("National plan adopted", "Национальный план")},
            {"code": "plan_year", "type": "year", "label": text("Year adopted", "Год"),
             "show_if": "national_plan", "show_if_values": ["yes"]},
            {"code": "units_covered", "type": "yes_no", "breakdown": "conservation_unit",
             "label": text("Unit covered", "Единица охвачена")},
        ],
    })  # fmt: skip
    return sections


def new_revision(cycle, sections: list[dict]):
    """The cycle's form redesigned: a new revision, which reports opened from now on answer."""
    return create_form(cycle, sections, revision=cycle.forms.count() + 1)
