"""Helpers for the Excel tests: download a template, fill it like a person would, upload it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from reporting.excel.template import HEADERS
from reporting.models.entries import ANSWER_FIELDS


def template_url(report) -> str:
    return reverse("report-template", args=[report.cycle.slug, report.range_state.iso3])


def upload_url(report) -> str:
    return reverse("report-upload", args=[report.cycle.slug, report.range_state.iso3])


def download(client, report):
    response = client.get(template_url(report))
    assert response.status_code == 200, response
    return load_workbook(io.BytesIO(response.getvalue()))


def rows_by_ref(book) -> dict[str, dict]:
    """The Report sheet as {ref: {header: value}}, with each row's number under 'row'."""
    sheet = book["Report"]
    found = {}
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        row = dict(zip(HEADERS, values, strict=False))
        found[row["Ref"]] = {**row, "row": number}
    return found


def fill(book, ref: str, **values) -> None:
    """Types `values` (by column header) into the row of activity `ref`."""
    sheet = book["Report"]
    number = rows_by_ref(book)[ref]["row"]
    for header, value in values.items():
        sheet.cell(number, HEADERS.index(header) + 1).value = value


def as_upload(book, name: str = "filled.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, report, content, **extra):
    return client.post(upload_url(report), {"file": content, **extra})


def snapshot(report) -> list[tuple]:
    """Every answer, revision and evidence link of the report: to prove nothing changed."""
    entries = report.entries.order_by("pk")
    return [
        (*values, tuple(sorted(links)))
        for values, links in zip(
            entries.values_list("pk", "revision", *ANSWER_FIELDS),
            (
                [e.url for e in entry.evidence.all()]
                for entry in entries.prefetch_related("evidence")
            ),
            strict=True,
        )
    ]
