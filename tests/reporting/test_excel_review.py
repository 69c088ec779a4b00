"""The Secretariat's review workbook, and the Excel round trip through the API."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from activities.models import Activity
from conservation_units.models import RangeState
from reporting import services
from reporting.choices import LOOKS, NOT_FOR_STATE, EntryStatus
from reporting.dashboard import UNANSWERED
from reporting.excel.review import MATRIX_FILLS, review_workbook
from reporting.models import ReportEntry
from tests.api_schema import assert_matches_schema
from tests.reporting.conftest import answer_all
from tests.reporting.excel import (
    PROGRESS,
    STATUS,
    as_upload,
    fill,
    new_revision,
    rich_form,
    snapshot,
)

pytestmark = pytest.mark.django_db


def review_url(cycle) -> str:
    return reverse("review-workbook", args=[cycle.slug])


@pytest.fixture
def reviewed(report, people):
    """Kazakhstan drafting (section 1 completed), Uzbekistan submitted, the others not started."""
    report.entries.filter(activity__section__number="1").update(status=EntryStatus.COMPLETED,
                                                                 complete=True)  # fmt: skip
    report.entries.filter(activity__ref="2.1").update(status=EntryStatus.PLANNED, complete=True)
    uzbekistan = services.open_report(
        cycle=report.cycle, range_state=RangeState.objects.get(iso3="UZB"),
        actor=people["secretariat"],
    )  # fmt: skip
    answer_all(uzbekistan, EntryStatus.NOT_STARTED)
    services.submit_report(report=uzbekistan, actor=people["other_state_focal_point"])
    return report


def workbook_of(client, cycle):
    response = client.get(review_url(cycle))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'cami-review-{cycle.slug}.xlsx"')
    content = response.getvalue()
    return load_workbook(io.BytesIO(content)), content


def test_summary_gives_each_states_report_and_each_sections_shares(reviewed, people):
    client = Client()
    client.force_login(people["secretariat"])
    book, _content = workbook_of(client, reviewed.cycle)
    assert book.sheetnames == ["Summary", "Chart", "Matrix", "Entries"]
    rows = list(book["Summary"].iter_rows(values_only=True))
    states = {row[1]: row for row in rows[1:15]}
    assert set(states) == set(RangeState.objects.range_states().values_list("iso3", flat=True))
    completed = reviewed.entries.filter(status=EntryStatus.COMPLETED).count() + 1  # and planned
    assert states["KAZ"][2:7] == ("drafting", 0, 92, completed, pytest.approx(completed / 92))
    assert states["UZB"][2] == "submitted" and states["UZB"][5] == states["UZB"][4]
    assert states["BTN"][2:6] == ("not started", None, 0, 0)
    top = next(i for i, row in enumerate(rows) if row[0] == "Section")
    sections = {row[0]: row for row in rows[top + 1 :] if row[0] and row[1] is not None}
    header = rows[top]
    section = Activity.objects.get(ref="1.1").section
    in_section = ReportEntry.objects.filter(report__cycle=reviewed.cycle,
                                            activity__section=section)  # fmt: skip
    row = dict(zip(header, sections[section.title], strict=True))
    assert row["Entries"] == in_section.count()
    assert row["Completed"] == in_section.filter(status=EntryStatus.COMPLETED).count()
    assert row["Not started"] == in_section.filter(status=EntryStatus.NOT_STARTED).count()
    assert row["Share completed"] == pytest.approx(row["Completed"] / row["Entries"])
    funding = dict(zip(header, sections[Activity.objects.get(ref="2.1").section.title],
                       strict=True))  # fmt: skip
    assert funding["Planned"] == 1
    assert funding["Share in progress"] == pytest.approx(1 / funding["Entries"])


def test_matrix_shows_status_as_text_with_colour_and_stripes_what_does_not_apply(reviewed, people):
    reviewed.entries.filter(activity__ref="2.2").update(status=EntryStatus.NOT_APPLICABLE)
    client = Client()
    client.force_login(people["secretariat"])
    book, _content = workbook_of(client, reviewed.cycle)
    sheet = book["Matrix"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[1].value}
    kaz, btn, uzb = header.index("KAZ"), header.index("BTN"), header.index("UZB")
    assert rows["1.1"][kaz].value == "Completed"
    assert rows["1.1"][kaz].fill.start_color.rgb.endswith(LOOKS["completed"].colour)
    assert rows["1.1"][kaz].font.color.rgb.endswith(LOOKS["completed"].ink)
    assert rows["2.1"][kaz].value == "Planned"
    assert rows["1.1"][uzb].value == "Not started"
    assert rows["1.1"][btn].value == "No report"
    outside = Activity.objects.exclude(section__conservation_unit=None).exclude(
        section__conservation_unit__range_states__iso3="KAZ").first()  # fmt: skip
    # Not for this state: its own words and stripes, never the answer "Not applicable".
    assert rows[outside.ref][kaz].value == "Not for this state"
    assert rows[outside.ref][kaz].fill.fill_type == "lightUp"
    assert rows[outside.ref][kaz].fill.start_color.rgb.endswith(LOOKS[NOT_FOR_STATE].colour)
    answered = rows["2.2"][kaz]
    assert (answered.value, answered.fill.fill_type) == ("Not applicable", "solid")
    assert answered.fill.start_color.rgb.endswith(LOOKS["not_applicable"].colour)
    assert len(rows) == Activity.objects.count()


def test_entries_sheet_has_every_entry_and_the_chart_is_native(reviewed, people):
    client = Client()
    client.force_login(people["secretariat"])
    book, content = workbook_of(client, reviewed.cycle)
    rows = list(book["Entries"].iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) - 1 == ReportEntry.objects.filter(report__cycle=reviewed.cycle).count()
    first = dict(zip(header, rows[1], strict=True))
    assert (first["ISO3"], first["Status code"], first["Status label"]) == ("KAZ", "completed",
                                                                       "Completed")  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    assert "<barChart>" in chart and '<grouping val="stacked"' in chart
    assert "'Summary'!$B$" in chart and "'Summary'!$A$" in chart


def test_only_the_secretariat_gets_the_review_workbook(reviewed, people):
    url = review_url(reviewed.cycle)
    assert Client().get(url).status_code == 302
    focal = Client()
    focal.force_login(people["national_focal_point"])
    assert focal.get(url).status_code == 403
    api = APIClient()
    api_url = f"/api/v1/cycles/{reviewed.cycle.slug}/workbook/"
    assert api.get(api_url).status_code == 401
    api.force_authenticate(people["national_focal_point"])
    assert api.get(api_url).status_code == 403
    api.force_authenticate(people["secretariat"])
    response = api.get(api_url)
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.getvalue())).sheetnames[0] == "Summary"


def test_api_round_trip_with_refusals_and_conflicts(report, people, schema_json):
    api = APIClient()
    api.force_authenticate(people["national_focal_point"])
    url = f"/api/v1/reports/{report.pk}/"
    response = api.get(url + "template/")
    assert response.status_code == 200
    content = response.getvalue()
    book = load_workbook(io.BytesIO(content))
    fill(book, "1.1", **{STATUS: "Completed", PROGRESS: "Through the API"})
    path = "/api/v1/reports/{id}/upload/"

    bad = load_workbook(io.BytesIO(content))
    fill(bad, "1.1", **{STATUS: "done"})
    before = snapshot(report)
    refused = api.post(url + "upload/", {"file": as_upload(bad)}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["errors"][0].startswith(
        "Row 2, column Implementation status: Select a valid choice. done is not one of"
    )
    assert_matches_schema(schema_json, path, refused.json(), "400", "post")
    assert snapshot(report) == before

    services.save_entry(entry=report.entries.get(activity__ref="1.1"),
                        actor=people["contributor"], data={"status": "planned"},
                        expected_revision=0)  # fmt: skip
    conflict = api.post(url + "upload/", {"file": as_upload(book)}, format="multipart")
    assert conflict.status_code == 409
    assert conflict.json()["conflicts"][0]["ref"] == "1.1"
    assert_matches_schema(schema_json, path, conflict.json(), "409", "post")

    saved = api.post(url + "upload/", {"file": as_upload(book), "overwrite": "true"},
                     format="multipart")  # fmt: skip
    assert saved.status_code == 200
    assert saved.json()["updated"] == ["1.1"]
    assert_matches_schema(schema_json, path, saved.json(), "200", "post")
    assert report.entries.get(activity__ref="1.1").answers["narrative"] == "Through the API"
    api.force_authenticate(people["other_state_focal_point"])
    assert api.post(url + "upload/", {"file": as_upload(book)}, format="multipart").status_code \
        in {403, 404}  # fmt: skip


@pytest.fixture
def every_state_reporting(scaled_programme, cycle, people):
    """Every Range State's report in the cycle (entries grow with the programme's scale)."""
    for state in RangeState.objects.range_states():
        services.open_report(cycle=cycle, range_state=state, actor=people["secretariat"])
    ReportEntry.objects.update(status=EntryStatus.IN_PROGRESS)
    return cycle


@pytest.mark.parametrize(("what", "most"), [("review", 16), ("template", 8)])
def test_workbooks_run_a_bounded_number_of_queries(
    every_state_reporting, people, django_assert_max_num_queries, what, most
):
    client = Client()
    client.force_login(people["secretariat"])
    cycle = every_state_reporting
    url = review_url(cycle) if what == "review" else reverse(
        "report-template", args=[cycle.slug, "KAZ"])  # fmt: skip
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert response.status_code == 200


def test_no_exported_cell_is_a_live_formula(report, people):
    hostile = '=HYPERLINK("http://evil.example","click")'
    report.entries.filter(activity__ref="1.1").update(answers={
        "narrative": hostile, "partners": "@SUM(1)", "challenges": "#N/A"})  # fmt: skip
    client = Client()
    client.force_login(people["secretariat"])
    for url in [reverse("report-template", args=[report.cycle.slug, "KAZ"]),
                review_url(report.cycle)]:  # fmt: skip
        content = client.get(url).getvalue()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            assert all(b"<f>" not in archive.read(name) for name in sheets), url
        book = load_workbook(io.BytesIO(content))
        found = [cell for sheet in book for row in sheet.iter_rows() for cell in row
                 if cell.value == hostile]  # fmt: skip
        assert found and all(cell.data_type == "s" for cell in found), url


def test_api_upload_without_a_file_is_refused_in_the_documented_shape(report, people, schema_json):
    api = APIClient()
    api.force_authenticate(people["national_focal_point"])
    response = api.post(f"/api/v1/reports/{report.pk}/upload/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == ["file: No file was submitted."]
    assert_matches_schema(schema_json, "/api/v1/reports/{id}/upload/", response.json(), "400",
                          "post")  # fmt: skip


@pytest.fixture
def two_revisions(report, people):
    """Kazakhstan on the cycle's first form; the form then redesigned (questions added, some per
    species or unit, some once per report) and Uzbekistan's report opened on it."""
    services.save_entry(entry=report.entries.get(activity__ref="1.1"),
                        actor=people["national_focal_point"], expected_revision=0,
                        data={"status": "completed", "narrative": "Done"})  # fmt: skip
    new_revision(report.cycle, rich_form())
    uzbekistan = services.open_report(
        cycle=report.cycle, range_state=RangeState.objects.get(iso3="UZB"),
        actor=people["secretariat"],
    )  # fmt: skip
    unit = uzbekistan.range_state.conservation_units.order_by("position").first()
    cu_entry = uzbekistan.entries.filter(activity__section__conservation_unit=unit).first()
    species = cu_entry.activity.species.first() or unit.species.first()
    services.save_entries(report=uzbekistan, actor=people["other_state_focal_point"],
                          source="web form", changes=[
        (uzbekistan.entries.get(activity__ref="1.1"),
         {"status": "planned", "delay_reason": "funding", "people_trained": 12,
          "started_on": "2027-03-31"}, 0),
        (cu_entry, {"population": {species.slug: 40}}, 0),
    ])  # fmt: skip
    services.save_report_answers(report=uzbekistan, actor=people["other_state_focal_point"],
                                 data={"coordinator": "A. Focal",
                                       "units_covered": {unit.slug: True}},
                                 expected_revision=0)  # fmt: skip
    return report, uzbekistan, cu_entry, unit, species


def test_review_columns_are_every_question_of_the_cycles_form_revisions(two_revisions, people):
    kazakhstan, uzbekistan, cu_entry, unit, species = two_revisions
    client = Client()
    client.force_login(people["secretariat"])
    book, _content = workbook_of(client, kazakhstan.cycle)
    assert book.sheetnames == ["Summary", "Chart", "Matrix", "Entries", "Report answers",
                               "Per species or unit"]  # fmt: skip
    rows = list(book["Entries"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[header.index("Status label") + 1 : header.index("Evidence items")] == [
        "Progress", "Achieved value", "Year completed", "Partners involved", "Challenges",
        "Reason for delay", "People trained", "Started on", "Joint with a neighbour", "Unit note",
    ]  # fmt: skip
    entries = {(row[2], row[4]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    kaz, uzb = entries["KAZ", "1.1"], entries["UZB", "1.1"]
    assert (kaz["Status code"], kaz["Progress"], kaz["People trained"]) == (
        "completed",
        "Done",
        None,
    )
    assert (uzb["Status label"], uzb["Reason for delay"], uzb["People trained"]) == (
        "Planned", "Funding, or its lack", 12)  # fmt: skip
    assert uzb["Started on"].date().isoformat() == "2027-03-31"  # a date cell, not text

    answers = list(book["Report answers"].iter_rows(values_only=True))
    assert answers[0] == ("Range State", "ISO3", "Report", "Form revision", "Coordinator",
                          "National plan adopted", "Year adopted")  # fmt: skip
    by_state = {row[1]: row for row in answers[1:]}
    assert by_state["UZB"][3:5] == (2, "A. Focal") and by_state["KAZ"][3:5] == (1, None)

    breakdowns = list(book["Per species or unit"].iter_rows(values_only=True))
    found = [dict(zip(breakdowns[0], row, strict=True)) for row in breakdowns[1:]]
    assert [(r["ISO3"], r["Ref"], r["Question"], r["Species or unit"], r["Answer"])
            for r in found] == [
        ("UZB", None, "Unit covered", unit.name, "Yes"),
        ("UZB", cu_entry.activity.ref, "Population counted", species.common_name, 40),
    ]  # fmt: skip


def test_review_of_a_redesigned_form_runs_a_bounded_number_of_queries(
    scaled_programme, cycle, people, django_assert_max_num_queries
):
    """Two revisions, breakdowns and report-level questions: three queries more than the default
    form (the species and units for the breakdowns' names), at 1x as at 10x."""
    new_revision(cycle, rich_form())
    for state in RangeState.objects.range_states():
        services.open_report(cycle=cycle, range_state=state, actor=people["secretariat"])
    client = Client()
    client.force_login(people["secretariat"])
    with django_assert_max_num_queries(18):
        assert client.get(review_url(cycle)).status_code == 200


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_row_names_its_state_in_the_workbooks_language(two_revisions, language):
    """The names are worked out once per workbook, not per row: still each state's own name,
    in the language the workbook is written in, on every entry and breakdown row."""
    kazakhstan, uzbekistan, *_rest = two_revisions
    with translation.override(language):
        book = review_workbook(kazakhstan.cycle)
        names = {state.iso3: state.name for state in RangeState.objects.all()}
    with translation.override("en"):
        assert (names["KAZ"] == "Kazakhstan") == (language == "en")
    content = b"".join(book.response("review.xlsx").streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    entries, breakdowns = (
        list(workbook.worksheets[index].iter_rows(min_row=2, values_only=True))
        for index in (3, 5)  # Entries, Per species or unit (their names are translated)
    )
    assert len(entries) == kazakhstan.entries.count() + uzbekistan.entries.count()
    assert {row[2] for row in entries} == {"KAZ", "UZB"}
    assert {row[2] for row in breakdowns} == {"UZB"}
    assert all(row[1] == names[row[2]] for row in [*entries, *breakdowns])


def test_matrix_cells_are_what_the_database_says(every_state_reporting, people):
    """Every cell of the matrix, at 1x and 10x: each state's status for each activity, a dash
    where the activity's unit leaves the state out, with the status's fill."""
    cycle = every_state_reporting
    ReportEntry.objects.filter(activity__position__lt=40).update(status=EntryStatus.COMPLETED)
    ReportEntry.objects.filter(activity__section__number="2").update(status="")
    client = Client()
    client.force_login(people["secretariat"])
    book, _content = workbook_of(client, cycle)
    sheet = book["Matrix"]
    states = list(RangeState.objects.range_states())
    assert [cell.value for cell in sheet[1]][3:] == [state.iso3 for state in states]
    status = {(entry.activity_id, entry.report.range_state_id): entry.status
              for entry in ReportEntry.objects.filter(report__cycle=cycle)
              .select_related("report")}  # fmt: skip
    activities = list(Activity.objects.select_related("section__conservation_unit")
                      .prefetch_related("section__conservation_unit__range_states"))  # fmt: skip
    rows = [row for row in sheet.iter_rows(min_row=2) if row[1].value]
    assert len(rows) == len(activities)
    labels = {"completed": "Completed", "in_progress": "In progress", "": "Not answered"}
    for activity, row in zip(activities, rows, strict=True):
        unit = activity.section.conservation_unit
        assert (row[0].value, row[1].value) == (activity.ref, activity.section.number)
        for state, found in zip(states, row[3:], strict=True):
            if unit and state not in unit.range_states.all():
                assert (found.value, found.fill.start_color.rgb[-6:]) == (
                    "Not for this state",
                    LOOKS[NOT_FOR_STATE].colour,
                )
            else:
                value = status[activity.pk, state.pk]
                assert found.value == labels[value], (activity.ref, state.iso3)
                assert found.fill.start_color.rgb[-6:] == MATRIX_FILLS[value or UNANSWERED]
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, 3 + len(states)).column_letter}" \
        f"{len(activities) + 1}"  # fmt: skip
