"""The offline template in either language: written in the active one, read back in any.

Each test runs twice: with the portal's Russian catalogue as it stands, and with a pseudo-Russian
one that wraps every message in «», so that the mechanism is proven even while (or where) the real
catalogue does not yet translate a string.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import trans_real
from openpyxl import load_workbook

from reporting.choices import EntryStatus
from reporting.excel.template import (
    COLUMNS,
    METADATA_SHEET,
    REPORT_SHEET,
    headers,
    portal_languages,
    status_labels,
    template_workbook,
)
from reporting.excel.upload import TemplateRefused, upload_template

pytestmark = pytest.mark.django_db

CONTEXT = "\x04"  # gettext's separator between a message's context and its text


@pytest.fixture(params=["catalogue", "pseudo"])
def russian(request, monkeypatch):
    """Russian as the portal's catalogue has it, or every message wrapped in «» ("pseudo")."""
    if request.param == "pseudo":
        catalogue = trans_real.translation("ru")
        real = catalogue.gettext

        def pseudo(message):
            text = real(message)
            if CONTEXT in text:  # untranslated pgettext: the text without its context
                text = text.split(CONTEXT, 1)[1]
            return f"«{text}»"

        monkeypatch.setattr(catalogue, "gettext", pseudo)
    return request.param


def template_in(language: str, report) -> bytes:
    with translation.override(language):
        response = template_workbook(report).response("template.xlsx")
    return b"".join(response.streaming_content)


def report_sheet(book, language: str):
    with translation.override(language):
        return book[str(REPORT_SHEET)]


def rows_by_ref(sheet) -> dict[str, int]:
    return {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value}


def status_column() -> int:
    return next(i for i, column in enumerate(COLUMNS, start=1) if column.field == "status")


def upload_in(language: str, report, actor, book):
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override(language):
        return upload_template(
            report=report, actor=actor, upload=SimpleUploadedFile("filled.xlsx", buffer.getvalue())
        )


def stored(report, ref: str) -> str:
    return report.entries.get(activity__ref=ref).status


@pytest.mark.parametrize(("written", "read"), [("ru", "en"), ("en", "ru")])
def test_template_written_in_one_language_is_read_in_the_other(
    russian, report, people, written, read
):
    book = load_workbook(io.BytesIO(template_in(written, report)))
    sheet = report_sheet(book, written)
    with translation.override(written):
        assert [cell.value for cell in sheet[1]] == headers()
        labels = dict(zip(EntryStatus.values, status_labels(), strict=True))
    rows = rows_by_ref(sheet)
    column = status_column()
    sheet.cell(rows["1.1"], column).value = labels["completed"]
    sheet.cell(rows["1.2"], column).value = labels["in_progress"].upper()  # as a person may type
    with translation.override(read):
        sheet.cell(rows["2.1"], column).value = str(dict(EntryStatus.choices)["planned"])
    sheet.cell(rows["2.2"], column).value = "not_applicable"  # the code works in any language
    result = upload_in(read, report, people["national_focal_point"], book)
    assert sorted(result.updated) == ["1.1", "1.2", "2.1", "2.2"]
    assert [stored(report, ref) for ref in ["1.1", "1.2", "2.1", "2.2"]] == [
        "completed", "in_progress", "planned", "not_applicable",
    ]  # fmt: skip


def test_pseudo_russian_template_is_really_in_another_language(report, monkeypatch):
    """Guards the test above: under pseudo-Russian every name the upload relies on differs."""
    catalogue = trans_real.translation("ru")
    real = catalogue.gettext
    monkeypatch.setattr(
        catalogue, "gettext", lambda message: f"«{real(message).split(CONTEXT)[-1]}»"
    )
    book = load_workbook(io.BytesIO(template_in("ru", report)))
    with translation.override("ru"):
        report_sheet, metadata_sheet = str(REPORT_SHEET), str(METADATA_SHEET)
    assert report_sheet.startswith("«") and metadata_sheet.startswith("«")
    assert report_sheet in book.sheetnames and metadata_sheet in book.sheetnames
    assert "Report" not in book.sheetnames
    assert book[report_sheet]["F1"].value.startswith("«")
    with translation.override("ru"):
        labels = [f"«{label}»" for label in EntryStatus.labels]
    assert book[report_sheet]["F3"].value in (None, *labels)


@pytest.mark.parametrize("uploader", ["en", "ru"])
def test_header_row_of_either_language_is_recognised(russian, report, people, uploader):
    book = load_workbook(io.BytesIO(template_in("en", report)))
    sheet = report_sheet(book, "en")
    with translation.override("ru"):
        russian_headers = headers()
    for number, header in enumerate(russian_headers, start=1):
        sheet.cell(1, number).value = header
    sheet.cell(rows_by_ref(sheet)["1.1"], status_column()).value = "Completed"
    result = upload_in(uploader, report, people["national_focal_point"], book)
    assert result.updated == ["1.1"] and stored(report, "1.1") == "completed"


@pytest.mark.parametrize("uploader", ["en", "ru"])
def test_problems_are_told_in_the_uploaders_language(russian, report, people, uploader):
    book = load_workbook(io.BytesIO(template_in("ru", report)))
    sheet = report_sheet(book, "ru")
    row = rows_by_ref(sheet)["1.1"]
    sheet.cell(row, status_column()).value = "Finished, more or less"
    with pytest.raises(TemplateRefused) as refusal:
        upload_in(uploader, report, people["national_focal_point"], book)
    (problem,) = refusal.value.errors
    with translation.override(uploader):
        expected_labels = ", ".join(status_labels())
        status_header = str(COLUMNS[status_column() - 1].header)
    assert f"{row}" in problem and status_header in problem and expected_labels in problem
    if uploader == "en":
        assert problem.startswith(f"Row {row}, column Status: 'Finished, more or less'")
    assert stored(report, "1.1") == ""


def test_headers_of_neither_language_are_refused_with_the_template_headings(report, people):
    book = load_workbook(io.BytesIO(template_in("ru", report)))
    sheet = report_sheet(book, "ru")
    sheet.cell(1, status_column()).value = "State"
    with pytest.raises(TemplateRefused) as refusal:
        upload_in("en", report, people["national_focal_point"], book)
    assert refusal.value.errors == [
        "Row 1: the column headings are not the template's (" + ", ".join(headers()[:-1])
        + "). Columns must not be moved, renamed or removed."
    ]  # fmt: skip


def test_sheets_are_found_by_their_name_in_any_language(russian, report, people):
    book = load_workbook(io.BytesIO(template_in("ru", report)))
    with translation.override("ru"):
        names = {str(REPORT_SHEET), str(METADATA_SHEET)}
    assert names <= set(book.sheetnames)
    sheet = report_sheet(book, "ru")
    sheet.cell(rows_by_ref(sheet)["3.1"], status_column()).value = "no_information"
    assert upload_in("en", report, people["national_focal_point"], book).updated == ["3.1"]


def test_status_labels_of_every_language_fit_an_excel_drop_down(russian):
    """Excel's list validation splits on commas and holds at most 255 characters."""
    for language in portal_languages():
        with translation.override(language):
            labels = status_labels()
        assert all("," not in label for label in labels), (language, labels)
        assert len(",".join(labels)) + 2 <= 255, language
        assert len(set(labels)) == len(labels), language


def test_portal_languages_are_the_two_the_portal_offers():
    assert portal_languages() == ["en", "ru"]


def test_russian_template_names_sections_in_russian_and_keeps_untranslated_texts(report):
    book = load_workbook(io.BytesIO(template_in("ru", report)))
    with translation.override("ru"):
        sheet = book[str(REPORT_SHEET)]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in rows} >= {"3. Законодательство", "12. Западный Тянь-Шань"}
    first = report.entries.select_related("activity").order_by("activity__position").first()
    assert rows[0][3] == first.activity.text  # no Russian text yet: the English as printed
