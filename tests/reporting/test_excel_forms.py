"""The template follows the report's form: questions added, conditional, bounded, per species or
unit, or asked once per report all become columns, sheets and checks, and come back in an upload.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from conservation_units.models import RangeState
from reporting import services
from reporting.excel.layout import BREAKDOWN_SHEET, REPORT_QUESTIONS_SHEET, REPORT_SHEET
from reporting.excel.template import template_workbook
from reporting.excel.upload import TemplateConflict, TemplateRefused, upload_template
from reporting.models import Question
from tests.reporting.excel import (
    STATUS,
    as_upload,
    download,
    fill,
    fill_rows,
    headings,
    new_revision,
    rich_form,
    rows_by_ref,
    snapshot,
    text,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(cycle, kazakhstan, people):
    new_revision(cycle, rich_form())
    return services.open_report(cycle=cycle, range_state=kazakhstan,
                                actor=people["national_focal_point"])  # fmt: skip


@pytest.fixture
def focal(people):
    client = Client()
    client.force_login(people["national_focal_point"])
    return client


def entry(report, ref: str):
    return report.entries.select_related("activity").get(activity__ref=ref)


def refused(client, report, book) -> str:
    before = snapshot(report)
    response = upload(client, report, as_upload(book))
    assert response.status_code == 400, response.content.decode()
    assert snapshot(report) == before
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def saved(client, report, book, **extra) -> str:
    response = upload(client, report, as_upload(book), **extra)
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def instructions(book) -> list[str]:
    return [row[0] for row in book["Instructions"].iter_rows(values_only=True) if row[0]]


def test_a_question_added_to_the_form_as_data_is_a_column_read_back_by_the_upload(focal, report):
    form = report.form
    Question.objects.create(
        form=form, section=form.sections.get(), position=20, code="budget", type="number",
        label=text("Budget spent", "Израсходовано"), unit=text("USD", "долл."),
    )  # fmt: skip
    book = download(focal, report)
    assert headings(book["Report"])[-3:] == ["Budget spent", "Evidence links", "Key"]
    assert "• Budget spent: a number, in USD." in instructions(book)
    fill(book, "1.1", **{"Budget spent": "1 500,5"})
    assert "1 entry updated: 1.1" in saved(focal, report, book)
    assert entry(report, "1.1").answers == {"budget": 1500.5}
    assert rows_by_ref(download(focal, report))["1.1"]["Budget spent"] == 1500.5


def test_a_conditional_question_is_read_only_when_its_condition_holds(focal, rich):
    book = download(focal, rich)
    assert ("• Reason for delay: one of: Funding, or its lack; Permits, access; asked only when "
            "“Implementation status” is Not started or Planned; otherwise leave it empty."
            ) in instructions(book)  # fmt: skip
    row = rows_by_ref(book)["1.1"]["row"]
    fill(book, "1.1", **{STATUS: "Completed", "Reason for delay": "Funding, or its lack"})
    assert (f"Row {row}, column Reason for delay: asked only when "
            "“Implementation status” is Not started or Planned; otherwise leave it empty."
            ) in refused(focal, rich, book)  # fmt: skip

    fill(book, "1.1", **{STATUS: "Planned"})
    saved(focal, rich, book)
    assert entry(rich, "1.1").answer_values() == {"status": "planned", "delay_reason": "funding"}
    # The status changed in a later copy, the reason left as it was: dropped, as online.
    book = download(focal, rich)
    fill(book, "1.1", **{STATUS: "Completed"})
    saved(focal, rich, book)
    assert entry(rich, "1.1").answer_values() == {"status": "completed"}


def test_a_required_number_with_bounds_is_refused_out_of_range_naming_row_and_question(focal, rich):
    book = download(focal, rich)
    sheet = book["Report"]
    assert "People trained *" in [c.value for c in sheet[1]]
    assert any("Questions marked * must be answered" in line for line in instructions(book))
    column = headings(sheet).index("People trained") + 1
    (validation,) = [v for v in sheet.data_validations.dataValidation
                     if str(v.sqref).startswith(sheet.cell(2, column).column_letter)]  # fmt: skip
    assert (validation.type, validation.formula1, validation.formula2) == ("decimal", "0", "500")
    assert validation.prompt == "Rangers and staff. A number from 0 to 500."
    rows = rows_by_ref(book)
    fill(book, "1.1", **{"People trained": 600})
    fill(book, "1.2", **{"People trained": "-3"})
    fill(book, "1.3", **{"People trained": "twelve"})
    page = refused(focal, rich, book)
    for ref, problem in [("1.1", "Ensure this value is less than or equal to 500."),
                         ("1.2", "Ensure this value is greater than or equal to 0."),
                         ("1.3", "Enter a number.")]:  # fmt: skip
        assert f"Row {rows[ref]['row']}, column People trained: {problem}" in page
    assert "3 problems in the file" in page
    fill(book, "1.1", **{"People trained": 500})
    fill(book, "1.2", **{"People trained": None})  # a draft may leave it empty
    fill(book, "1.3", **{"People trained": "12"})
    saved(focal, rich, book)
    assert entry(rich, "1.1").answers == {"people_trained": 500}
    assert not entry(rich, "1.1").complete  # the status, also required, is still missing


def test_a_question_not_asked_about_an_activity_is_a_grey_locked_cell(focal, rich):
    book = download(focal, rich)
    sheet = book["Report"]
    rows = rows_by_ref(book)
    column = headings(sheet).index("Unit note") + 1
    thematic, unit = sheet.cell(rows["1.1"]["row"], column), sheet.cell(rows["12.1"]["row"], column)
    assert thematic.protection.locked and thematic.fill.start_color.rgb.endswith("EEEEEE")
    assert not unit.protection.locked
    fill(book, "1.1", **{"Unit note": "typed anyway"})
    assert (f"Row {rows['1.1']['row']}, column Unit note: this question is not asked about "
            "activity 1.1; leave the cell empty.") in refused(focal, rich, book)  # fmt: skip


def test_a_breakdown_per_species_round_trips_through_its_sheet(focal, rich):
    book = download(focal, rich)
    assert book.sheetnames == ["Instructions", "Report", "Per species or unit", "Once per report",
                               "Lists", "Metadata"]  # fmt: skip
    sheet = book["Per species or unit"]
    assert headings(sheet)[:5] == ["Ref", "Activity", "Question", "Species or unit", "Answer"]
    assert [sheet.column_dimensions[c].hidden for c in "FGH"] == [True, True, True]
    lines = [dict(zip(headings(sheet), row, strict=True))
             for row in sheet.iter_rows(min_row=2, values_only=True)]  # fmt: skip
    expected = [(e.activity.ref, s.common_name) for e in rich.entries.filter(
        activity__section__kind="conservation_unit").order_by("activity__position")
        .prefetch_related("activity__species") for s in e.activity.species.all()]  # fmt: skip
    assert [(line["Ref"], line["Species or unit"]) for line in lines] == expected
    assert {line["Question"] for line in lines} == {"Population counted"}
    counts = {"snow-leopard": 40, "argali": "1 200", "eurasian-lynx": None}  # by hidden row key
    numbers = fill_rows(book, "Per species or unit",
                        lambda line: line["Ref"] == "12.1", None)  # fmt: skip
    for number in numbers:
        sheet.cell(number, 5).value = counts[sheet.cell(number, 8).value]
    saved(focal, rich, book)
    assert entry(rich, "12.1").answers == {"population": {"snow-leopard": 40, "argali": 1200}}
    again = download(focal, rich)["Per species or unit"]
    assert {row[7]: row[4] for row in again.iter_rows(min_row=2, values_only=True)
            if row[0] == "12.1"} == {"snow-leopard": 40, "argali": 1200,
                                     "eurasian-lynx": None}  # fmt: skip

    book = download(focal, rich)
    (number,) = fill_rows(book, "Per species or unit",
                          lambda line: (line["Ref"], line["Species or unit"]) == ("12.1", "Argali"),
                          "lots")  # fmt: skip
    assert (f"Per species or unit sheet, row {number}: Population counted — Argali: Enter a "
            "number.") in refused(focal, rich, book)  # fmt: skip
    fill_rows(
        book,
        "Per species or unit",
        lambda line: (line["Ref"], line["Species or unit"]) == ("12.1", "Argali"),
        None,
    )
    saved(focal, rich, book)  # an emptied cell clears that species' answer, the others stay
    assert entry(rich, "12.1").answers == {"population": {"snow-leopard": 40}}


def test_report_level_answers_round_trip_and_are_guarded_against_lost_updates(focal, rich, people):
    book = download(focal, rich)
    sheet = book["Once per report"]
    assert headings(sheet)[:3] == ["Question", "Help", "Answer"]
    questions = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert questions[:3] == ["Coordinator *", "National plan adopted", "Year adopted"]
    units = [q.removeprefix("Unit covered — ") for q in questions[3:]]
    assert units == [unit.name for unit in rich.range_state.conservation_units.order_by(
        "position")]  # fmt: skip
    answers = {"Coordinator *": "A. Focal", "National plan adopted": "Yes", "Year adopted": 2024,
               f"Unit covered — {units[0]}": "No"}  # fmt: skip
    fill_rows(book, "Once per report", lambda line: True, None)
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        sheet.cell(number, 3).value = answers.get(row[0])
    page = saved(focal, rich, book)
    assert "1 entry updated: Once per report" in page  # the report's own answers, no entry
    rich.refresh_from_db()
    unit_slug = rich.range_state.conservation_units.order_by("position")[0].slug
    assert rich.answers == {"coordinator": "A. Focal", "national_plan": True, "plan_year": 2024,
                            "units_covered": {unit_slug: False}}  # fmt: skip
    assert rich.history.first().history_change_reason == "Excel upload"

    stale = download(focal, rich)
    services.save_report_answers(report=rich, actor=people["contributor"],
                                 data={"coordinator": "B. Online"},
                                 expected_revision=rich.answers_revision)  # fmt: skip
    fill_rows(stale, "Once per report", lambda line: line["Question"] == "Coordinator *",
              "C. Offline")  # fmt: skip
    response = upload(focal, rich, as_upload(stale))
    assert response.status_code == 409
    assert '<th scope="row">Once per report</th><td>contributor</td>' in response.content.decode()
    saved(focal, rich, stale, overwrite="on")
    rich.refresh_from_db()
    assert rich.answers["coordinator"] == "C. Offline"


def test_choice_lists_too_long_for_a_cell_go_to_a_hidden_sheet(focal, rich):
    book = download(focal, rich)
    sheet = book["Report"]
    column = sheet.cell(1, headings(sheet).index("Reason for delay") + 1).column_letter
    (validation,) = [v for v in sheet.data_validations.dataValidation
                     if str(v.sqref).startswith(column)]  # fmt: skip
    assert validation.type == "list" and validation.formula1 == "'Lists'!$A$1:$A$2"
    assert book["Lists"].sheet_state == "hidden"
    assert [row[0] for row in book["Lists"].iter_rows(values_only=True)] == [
        "Funding, or its lack", "Permits, access"]  # fmt: skip


def test_a_template_downloaded_in_russian_uploads_in_english(rich, people):
    with translation.override("ru"):
        response = template_workbook(rich).response("template.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    with translation.override("ru"):
        names = str(REPORT_SHEET), str(BREAKDOWN_SHEET), str(REPORT_QUESTIONS_SHEET)
    sheet = book[names[0]]
    header = [c.value for c in sheet[1]]
    assert "Обучено *" in header and "Причина" in header
    rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    planned = next(choice for choice in rich.form.questions.get(code="status").choices
                   if choice["value"] == "planned")  # fmt: skip
    typed = {"Причина": "Финансы, их нет", "Обучено *": "2,5", "Начато": "31.03.2027",
             "Совместно": "Да", header[5]: planned["label"]["ru"].upper()}  # fmt: skip
    for title, value in typed.items():
        sheet.cell(rows["12.1"], header.index(title) + 1).value = value
    breakdown = book[names[1]]
    for row in breakdown.iter_rows(min_row=2):
        if row[0].value == "12.1":
            row[4].value = 7
    once = book[names[2]]
    for row in once.iter_rows(min_row=2):
        if row[3].value == "coordinator":
            row[2].value = "Координатор доклада"
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override("en"):
        result = upload_template(
            report=rich,
            actor=people["national_focal_point"],
            upload=SimpleUploadedFile("filled.xlsx", buffer.getvalue()),
        )
    assert result.updated == ["12.1", "Once per report"]
    answers = entry(rich, "12.1").answer_values()
    assert {k: v for k, v in answers.items() if k != "population"} == {
        "status": "planned", "delay_reason": "funding", "people_trained": 2.5,
        "started_on": "2027-03-31", "joint": True,
    }  # fmt: skip
    assert set(answers["population"].values()) == {7}
    rich.refresh_from_db()
    assert rich.answers == {"coordinator": "Координатор доклада"}


def test_an_upload_that_disagrees_with_its_form_is_refused_and_changes_nothing(rich, people):
    book = load_workbook(io.BytesIO(b"".join(
        template_workbook(rich).response("t.xlsx").streaming_content)))  # fmt: skip
    rich.form = new_revision(rich.cycle, rich_form())
    rich.save(update_fields=["form"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TemplateRefused) as refusal:
        upload_template(
            report=rich,
            actor=people["national_focal_point"],
            upload=SimpleUploadedFile("filled.xlsx", buffer.getvalue()),
        )
    assert "made for an earlier revision of the report's questions" in refusal.value.errors[0]


def test_a_conflict_names_the_questions_that_differ(rich, people, focal):
    book = download(focal, rich)
    services.save_entry(entry=entry(rich, "12.1"), actor=people["contributor"],
                        expected_revision=0, data={"people_trained": 3})  # fmt: skip
    fill(book, "12.1", **{"People trained": 4, "Unit note": "offline"})
    with pytest.raises(TemplateConflict) as conflict:
        upload_template(report=rich, actor=people["national_focal_point"],
                        upload=as_upload(book))  # fmt: skip
    (found,) = conflict.value.conflicts
    assert (found.ref, found.fields) == ("12.1", ["People trained", "Unit note"])


def thirty_questions() -> list[dict]:
    """A form of 30 questions: the rich one, widened with questions of every plain type."""
    sections = rich_form()
    kinds = ["text", "long_text", "number", "year", "date", "yes_no", "url", "multi_choice"]
    asked = sum(len(section["questions"]) for section in sections)
    choices = [{"value": v, "label": text(v.title(), v)} for v in ("a", "b", "c")]
    for n in range(30 - asked):
        kind = kinds[n % len(kinds)]
        sections[0]["questions"].append({
            "code": f"extra_{n}", "type": kind, "label": text(f"Extra {n}", f"Доп {n}"),
            **({"choices": choices} if kind == "multi_choice" else {}),
        })  # fmt: skip
    assert sum(len(section["questions"]) for section in sections) == 30
    return sections


@pytest.mark.parametrize(("form", "download_most", "upload_most"),
                         [("default", 8, 24), ("thirty questions", 12, 30)])  # fmt: skip
def test_template_and_upload_run_a_bounded_number_of_queries(
    scaled_programme, cycle, people, focal, form, download_most, upload_most,
    django_assert_max_num_queries,
):  # fmt: skip
    """The same bounds whatever the programme's size (1x, 10x) and the number of questions and
    entries. A form with breakdowns reads the species and units once (four queries more)."""
    if form != "default":
        new_revision(cycle, thirty_questions())
    state = RangeState.objects.get(iso3="KAZ")
    report = services.open_report(cycle=cycle, range_state=state,
                                  actor=people["national_focal_point"])  # fmt: skip
    with django_assert_max_num_queries(download_most):
        book = download(focal, report)
    fill(book, "1.1", **{STATUS: "Completed"})
    content = as_upload(book)
    # Reading and checking are fixed; saving is the services' (five queries per changed entry).
    with django_assert_max_num_queries(upload_most):
        response = upload(focal, report, content)
    assert response.status_code == 200, response.content.decode()
    assert "1 entry updated: 1.1" in response.content.decode()
