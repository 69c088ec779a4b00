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
from reporting.definition import Definition
from reporting.excel.layout import (
    DESCRIBED,
    INSTRUCTIONS_SHEET,
    METADATA_SHEET,
    REPORT_SHEET,
    Layout,
    choice_labels,
    portal_languages,
)
from reporting.excel.template import template_workbook
from reporting.excel.upload import TemplateRefused, upload_template
from reporting.models.forms import STATUS

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


def status_question(report):
    return Definition(report.form).by_code[STATUS]


def status_column() -> int:
    return len(DESCRIBED) + 1  # the default form asks the status first


def status_labels(report, language: str) -> list[str]:
    """The status's choices as the form words them in `language`."""
    with translation.override(language):
        return choice_labels(status_question(report))


def headers(report, language: str) -> list[str]:
    with translation.override(language):
        return Layout(report).headings()


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
    assert [cell.value for cell in sheet[1]] == headers(report, written)
    labels = dict(zip(EntryStatus.values, status_labels(report, written), strict=True))
    rows = rows_by_ref(sheet)
    column = status_column()
    sheet.cell(rows["1.1"], column).value = labels["completed"]
    sheet.cell(rows["1.2"], column).value = labels["in_progress"].upper()  # as a person may type
    in_reader = dict(zip(EntryStatus.values, status_labels(report, read), strict=True))
    sheet.cell(rows["2.1"], column).value = in_reader["planned"]
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
    assert book[report_sheet]["A1"].value.startswith("«")
    # Questions are worded by the form itself, in each language: not by the catalogue.
    status = status_question(report)
    assert book[report_sheet]["F1"].value == status.label["ru"] + " *"
    assert book[report_sheet]["F1"].value != status.label["en"] + " *"
    labels = [choice["label"]["ru"] for choice in status.choices]
    assert book[report_sheet]["F3"].value in (None, *labels)


@pytest.mark.parametrize("uploader", ["en", "ru"])
def test_header_row_of_either_language_is_recognised(russian, report, people, uploader):
    book = load_workbook(io.BytesIO(template_in("en", report)))
    sheet = report_sheet(book, "en")
    for number, header in enumerate(headers(report, "ru"), start=1):
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
    status_header = status_question(report).label[uploader]
    assert f"{row}" in problem and status_header in problem and "Finished, more or less" in problem
    if uploader == "en":
        assert problem == (
            f"Row {row}, column Implementation status: Select a valid choice. "
            "Finished, more or less is not one of the available choices."
        )
    assert stored(report, "1.1") == ""


def test_headers_of_neither_language_are_refused_with_the_template_headings(report, people):
    book = load_workbook(io.BytesIO(template_in("ru", report)))
    sheet = report_sheet(book, "ru")
    sheet.cell(1, status_column()).value = "State"
    with pytest.raises(TemplateRefused) as refusal:
        upload_in("en", report, people["national_focal_point"], book)
    expected = ", ".join(headers(report, "en")[:-1])
    assert refusal.value.errors == [
        f"Row 1: the column headings are not the template's ({expected}). Columns must not be "
        "moved, renamed or removed."
    ]


def test_sheets_are_found_by_their_name_in_any_language(russian, report, people):
    book = load_workbook(io.BytesIO(template_in("ru", report)))
    with translation.override("ru"):
        names = {str(REPORT_SHEET), str(METADATA_SHEET)}
    assert names <= set(book.sheetnames)
    sheet = report_sheet(book, "ru")
    sheet.cell(rows_by_ref(sheet)["3.1"], status_column()).value = "no_information"
    assert upload_in("en", report, people["national_focal_point"], book).updated == ["3.1"]


def test_status_labels_of_every_language_fit_an_excel_drop_down(russian, report):
    """Excel's list validation splits on commas and holds at most 255 characters (a longer list
    goes to a hidden sheet: see test_excel_forms); the status's fits in the cell's own."""
    for language in portal_languages():
        labels = status_labels(report, language)
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
    assert rows[0][3] == first.activity.translation("text", "ru")  # the team's Russian
    with translation.override("ru"):
        instructions = book[str(INSTRUCTIONS_SHEET)]
    lines = [row[0] for row in instructions.iter_rows(values_only=True) if row[0]]
    assert any("неофициальный перевод" in line for line in lines)


def test_russian_template_keeps_the_english_of_a_text_not_translated_yet(report):
    first = report.entries.select_related("activity").order_by("activity__position").first()
    type(first.activity).objects.filter(pk=first.activity_id).update(translations={})
    book = load_workbook(io.BytesIO(template_in("ru", report)))
    with translation.override("ru"):
        sheet = book[str(REPORT_SHEET)]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][3] == first.activity.text  # the English as printed
