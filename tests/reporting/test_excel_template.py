"""The offline template: what it holds, and the round trip through a filled copy."""

import pytest
from django.test import Client
from django.urls import reverse

from reporting import services
from reporting.choices import EntryStatus, ReportStatus
from reporting.models import ReportEntry
from tests.reporting.conftest import answer_all
from tests.reporting.excel import (
    PROGRESS,
    STATUS,
    as_upload,
    download,
    fill,
    rows_by_ref,
    snapshot,
    template_url,
    upload,
)

HEADINGS = ["Ref", "Section", "Code", "Activity", "Indicator", "Implementation status *",
            "Progress", "Achieved value", "Year completed", "Partners involved", "Challenges",
            "Evidence links", "Key"]  # fmt: skip
STATUS_LABELS = [str(label) for label in EntryStatus.labels]

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal(people):
    client = Client()
    client.force_login(people["national_focal_point"])
    return client


def entry(report, ref: str) -> ReportEntry:
    return report.entries.select_related("activity").get(activity__ref=ref)


def test_template_has_instructions_a_locked_report_sheet_and_a_hidden_signed_sheet(
    focal, report, people
):
    services.save_entry(entry=entry(report, "1.2"), actor=people["contributor"],
                        expected_revision=0,
                        data={"status": "planned", "narrative": "Draft text"})  # fmt: skip
    book = download(focal, report)
    assert book.sheetnames == ["Instructions", "Report", "Metadata"]
    assert "Kazakhstan" in book["Instructions"]["A1"].value
    sheet = book["Report"]
    assert [c.value for c in sheet[1]] == HEADINGS
    rows = rows_by_ref(book)
    assert len(rows) == report.entries.count() == 92
    assert rows["1.2"][STATUS] == "Planned" and rows["1.2"][PROGRESS] == "Draft text"
    assert rows["1.1"][STATUS] is None
    assert sheet.protection.sheet
    row = rows["1.2"]["row"]
    locked = {h: sheet.cell(row, HEADINGS.index(h) + 1).protection.locked for h in HEADINGS}
    assert [h for h, is_locked in locked.items() if not is_locked] == HEADINGS[5:-1]
    assert sheet.column_dimensions["M"].hidden  # the key column
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    status = validations["F2:F93"]
    assert status.type == "list" and status.formula1 == '"' + ",".join(STATUS_LABELS) + '"'
    assert (validations["H2:H93"].type, validations["H2:H93"].prompt) == (
        "decimal",
        "Where the indicator has a target count. A number.",
    )
    year = validations["I2:I93"]
    assert (year.type, year.formula1, year.formula2) == ("whole", "2000", "2100")
    instructions = [row[0] for row in book["Instructions"].iter_rows(values_only=True) if row[0]]
    assert "• Implementation status *: one of: " + "; ".join(STATUS_LABELS) + "." in instructions
    assert "• Year completed: a year from 2000 to 2100." in instructions
    assert book["Metadata"].sheet_state == "hidden" and book["Metadata"].protection.sheet


def test_round_trip_stores_exactly_what_was_typed_and_downloads_it_again(focal, report):
    book = download(focal, report)
    fill(book, "1.1", **{
        STATUS: "Completed", PROGRESS: "Meeting held in Bishkek.", "Achieved value": 3,
        "Year completed": 2027, "Partners involved": "CMS, UNDP", "Challenges": "Travel costs",
        "Evidence links": "https://example.org/minutes",
    })  # fmt: skip
    fill(book, "12.2", **{STATUS: "in progress", PROGRESS: "=SUM(A1:A3)",
                          "Achieved value": "12.5", "Year completed": "2028"})  # fmt: skip
    fill(book, "3.3-b", **{STATUS: "Not applicable"})
    response = upload(focal, report, as_upload(book))
    assert response.status_code == 200, response.content.decode()
    assert "3 entries updated" in response.content.decode()

    first, second, third = entry(report, "1.1"), entry(report, "12.2"), entry(report, "3.3-b")
    assert first.answer_values() == {
        "status": EntryStatus.COMPLETED, "narrative": "Meeting held in Bishkek.",
        "achieved_value": 3, "year_completed": 2027, "partners": "CMS, UNDP",
        "challenges": "Travel costs",
    }  # fmt: skip
    assert [e.url for e in first.evidence.all()] == ["https://example.org/minutes"]
    assert second.status == EntryStatus.IN_PROGRESS
    assert second.answers["narrative"] == "=SUM(A1:A3)"  # kept as typed, never evaluated
    assert (second.answers["achieved_value"], second.answers["year_completed"]) == (12.5, 2028)
    assert third.status == EntryStatus.NOT_APPLICABLE
    assert first.history.first().history_change_reason == "Excel upload"
    assert report.entries.exclude(status="").count() == 3

    again = rows_by_ref(download(focal, report))
    assert again["1.1"][STATUS] == "Completed"
    assert again["1.1"][PROGRESS] == "Meeting held in Bishkek."
    assert again["1.1"]["Achieved value"] == 3 and again["1.1"]["Year completed"] == 2027
    assert again["1.1"]["Evidence links"] == "https://example.org/minutes"
    assert again["12.2"][PROGRESS] == "=SUM(A1:A3)"
    assert again["12.2"]["Achieved value"] == 12.5


def test_every_bad_cell_is_listed_by_row_and_column_and_nothing_is_saved(focal, report):
    before = snapshot(report)
    book = download(focal, report)
    fill(book, "1.1", **{STATUS: "Completed", PROGRESS: "This one is fine"})
    fill(book, "1.2", **{STATUS: "done"})
    fill(book, "1.3", **{"Achieved value": "many", "Year completed": 1850})
    fill(book, "1.4", **{"Evidence links": "not a link"})
    rows = rows_by_ref(book)
    response = upload(focal, report, as_upload(book))
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    for message in [
        f"Row {rows['1.2']['row']}, column Implementation status: Select a valid choice. done is "
        "not one of the available choices.",
        f"Row {rows['1.3']['row']}, column Achieved value: Enter a number.",
        f"Row {rows['1.3']['row']}, column Year completed: Ensure this value is greater than or "
        "equal to 2000.",
        f"Row {rows['1.4']['row']}, column Evidence links: 'not' is not a web address",
    ]:
        assert message in page
    assert "Nothing was saved: 4 problems in the file" in page
    assert snapshot(report) == before


def test_changes_made_online_since_the_download_are_not_overwritten_silently(focal, report, people):
    book = download(focal, report)
    colleague = people["contributor"]
    services.save_entry(entry=entry(report, "1.1"), actor=colleague, expected_revision=0,
                        data={"status": "planned", "narrative": "Typed online"})  # fmt: skip
    services.save_entry(entry=entry(report, "1.2"), actor=colleague, expected_revision=0,
                        data={"status": "completed"})  # fmt: skip
    fill(book, "1.1", **{STATUS: "Completed", PROGRESS: "Typed offline"})  # changed in both
    fill(book, "1.3", **{STATUS: "Planned"})  # changed only in the file
    before = snapshot(report)

    response = upload(focal, report, as_upload(book))
    assert response.status_code == 409
    page = response.content.decode()
    assert "entries changed on the portal since your download" in page
    assert '<th scope="row">1.1</th><td>contributor</td>' in page
    assert "Implementation status, Progress" in page
    assert snapshot(report) == before

    response = upload(focal, report, as_upload(book), overwrite="on")
    assert response.status_code == 200
    assert entry(report, "1.1").answers["narrative"] == "Typed offline"
    assert entry(report, "1.3").status == EntryStatus.PLANNED
    # 1.2 was changed online only; the file still had the old (empty) answer: kept.
    assert entry(report, "1.2").status == EntryStatus.COMPLETED
    assert "kept the portal's values: 1.2" in response.content.decode()


def test_an_untouched_file_changes_nothing(focal, report):
    book = download(focal, report)
    before = snapshot(report)
    response = upload(focal, report, as_upload(book))
    assert response.status_code == 200
    assert "0 entries updated" in response.content.decode()
    assert snapshot(report) == before


def test_upload_follows_the_same_rules_as_the_online_form(report, people):
    book = download(_client(people["national_focal_point"]), report)
    fill(book, "1.1", **{STATUS: "Completed"})
    contributor = _client(people["contributor"])
    assert upload(contributor, report, as_upload(book)).status_code == 200  # may draft
    for who in ["other_state_focal_point", "no_role"]:
        before = snapshot(report)
        assert upload(_client(people[who]), report, as_upload(book)).status_code == 403
        assert snapshot(report) == before
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    fill(book, "1.2", **{STATUS: "Planned"})
    before = snapshot(report)
    assert upload(_client(people["national_focal_point"]), report, as_upload(book)).status_code \
        == 403  # fmt: skip
    assert snapshot(report) == before
    assert Client().get(template_url(report)).status_code == 302  # to the login page


def test_upload_to_a_returned_report_keeps_it_returned_until_resubmitted(report, people):
    focal = _client(people["national_focal_point"])
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    services.return_report(report=report, actor=people["secretariat"], comment="Add detail.")
    book = download(focal, report)
    fill(book, "1.1", **{PROGRESS: "More detail"})
    assert upload(focal, report, as_upload(book)).status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.entries.get(activity__ref="1.1").answers["narrative"] == "More detail"


def test_report_page_offers_the_template_to_those_who_may_edit(focal, report, people):
    page = focal.get(reverse("report-detail", args=[report.cycle.slug, "KAZ"])).content.decode()
    assert template_url(report) in page and "upload the filled template" in page
    reviewer = _client(people["secretariat"])
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    page = reviewer.get(reverse("report-detail", args=[report.cycle.slug, "KAZ"])).content
    assert template_url(report) in page.decode() and "upload the filled" not in page.decode()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_rows_are_tall_enough_for_their_wrapped_text(focal, report):
    book = download(focal, report)
    sheet = book["Report"]
    text = entry(report, "1.1").activity.text
    lines = -(-len(text) // 60)  # the Activity column is 60 characters wide
    assert lines >= 3
    assert sheet.row_dimensions[rows_by_ref(book)["1.1"]["row"]].height >= 15 * lines


def test_text_typed_in_the_browser_survives_the_round_trip_untouched(focal, report, people):
    colleague = people["contributor"]
    services.save_entry(entry=entry(report, "1.1"), actor=colleague, expected_revision=0,
                        data={"narrative": "First line\r\nSecond line"})  # fmt: skip
    book = download(focal, report)
    services.save_entry(entry=entry(report, "1.1"), actor=colleague, expected_revision=1,
                        data={"narrative": "Changed online\r\nafter the download"})  # fmt: skip
    fill(book, "1.2", **{STATUS: "Planned"})
    history = report.history.count()
    response = upload(focal, report, as_upload(book))
    assert response.status_code == 200, response.content.decode()
    assert entry(report, "1.1").answers["narrative"] == "Changed online\r\nafter the download"
    assert "kept the portal's values: 1.1" in response.content.decode()
    assert report.history.count() == history + 1  # one record for the whole upload


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2,5", 2.5), ("1 234,5", 1234.5), ("1,234.5", 1234.5), ("12.25", 12.25), (7, 7)],
)  # fmt: skip
def test_numbers_are_read_as_people_write_them(focal, report, typed, stored):
    book = download(focal, report)
    fill(book, "1.1", **{"Achieved value": typed, "Year completed": "2027"})
    assert upload(focal, report, as_upload(book)).status_code == 200
    assert entry(report, "1.1").answers["achieved_value"] == stored


def test_odd_digits_and_control_characters_get_a_message_or_a_clean_file(focal, report, people):
    book = download(focal, report)
    fill(book, "1.1", **{"Year completed": "2027²"})
    response = upload(focal, report, as_upload(book))
    assert response.status_code == 400
    assert "column Year completed: Enter a whole number." in response.content.decode()
    pasted = {"narrative": "page 1\x0cpage 2\x0b"}  # control characters pasted from a PDF
    services.save_entry(entry=entry(report, "1.2"), actor=people["contributor"],
                        expected_revision=0, data=pasted)  # fmt: skip
    rows = rows_by_ref(download(focal, report))
    assert rows["1.2"][PROGRESS] == "page 1page 2"
    reviewer = Client()
    reviewer.force_login(people["secretariat"])
    review = reviewer.get(reverse("review-workbook", args=[report.cycle.slug]))
    assert review.status_code == 200 and review.getvalue().startswith(b"PK")
    assert Client().get("/activities/download.xlsx", {"q": "\x01"}).status_code == 200
