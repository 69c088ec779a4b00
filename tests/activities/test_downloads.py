"""CSV and XLSX downloads of the filtered activity list."""

import csv
import io

import pytest
from openpyxl import load_workbook

from activities.exports import HEADERS
from activities.models import Activity
from conservation_units.models import ConservationUnit, RangeState
from species.models import Species

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example","click")'


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    return load_workbook(io.BytesIO(response.getvalue()))["Activities"]


def test_csv_has_the_pages_columns_and_the_filtered_rows(client):
    response = client.get(
        "/activities/download.csv", {"species": "snow-leopard", "range_state": "KGZ"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == HEADERS
    page = client.get("/activities/", {"species": "snow-leopard", "range_state": "KGZ"})
    assert f"<strong>{len(rows) - 1}</strong> activities" in page.content.decode()
    by_ref = {row[0]: row for row in rows[1:]}
    assert by_ref["12.2"][HEADERS.index("Conservation Unit")] == "Western Tian Shan"
    assert by_ref["12.2"][HEADERS.index("Priority")] == "Medium"


def test_xlsx_is_formatted_for_people(client):
    sheet = read_xlsx(client.get("/activities/download.xlsx"))
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 134
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(HEADERS)).column_letter}134"
    assert sheet["A1"].font.bold
    assert sheet["G2"].alignment.wrap_text
    assert sheet.column_dimensions["G"].width >= 60
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert refs[:3] == ["1.1", "1.2", "1.3"] and "3.3-b" in refs


def test_cells_that_look_like_formulas_stay_text(client):
    Activity.objects.filter(ref="1.2").update(text=HOSTILE, responsible_text="+SUM(1,2)")
    rows = read_csv(
        client.get(
            "/activities/download.csv", {"section": "cami-wp-implementation-and-coordination"}
        )
    )
    row = next(r for r in rows if r[0] == "1.2")
    assert row[HEADERS.index("Activity")] == "'" + HOSTILE
    assert row[HEADERS.index("Responsible")] == "'+SUM(1,2)"
    sheet = read_xlsx(client.get("/activities/download.xlsx", {"priority": "High"}))
    cell = next(r[6] for r in sheet.iter_rows(min_row=2) if r[0].value == "1.2")
    assert cell.value == HOSTILE
    assert cell.data_type == "s"  # a string, not a formula ("f")


def test_invalid_filter_is_refused_with_a_message(client):
    response = client.get("/activities/download.xlsx", {"species": "unicorn"})
    assert response.status_code == 400
    assert "Unknown species 'unicorn'" in response.content.decode()


def test_programme_workbook_carries_units_with_scores_species_and_range_states(client):
    book = load_workbook(io.BytesIO(client.get("/activities/download.xlsx").getvalue()))
    assert book.sheetnames == ["Activities", "Conservation Units", "Species", "Range States",
                               "About"]  # fmt: skip
    units = {
        row[0]: row for row in book["Conservation Units"].iter_rows(min_row=2, values_only=True)
    }
    assert len(units) == ConservationUnit.objects.count() == 12
    for unit in ConservationUnit.objects.select_related("score"):
        row = units[unit.name]
        score = getattr(unit, "score", None)
        assert list(row[3:12]) == (
            [*score.criteria, score.total, score.priority, score.th_study_rank]
            if score else [None] * 9
        )  # fmt: skip
    assert set(units["Western Tian Shan"][1].split(", ")) == set(
        ConservationUnit.objects.get(name="Western Tian Shan").range_states.values_list(
            "iso3", flat=True
        )
    )
    species = [row[0] for row in book["Species"].iter_rows(min_row=2, values_only=True)]
    assert species == list(Species.objects.values_list("common_name", flat=True))
    states = {row[1] for row in book["Range States"].iter_rows(min_row=2, values_only=True)}
    assert states == set(RangeState.objects.values_list("iso3", flat=True))


def test_programme_workbook_says_which_filter_its_activities_follow(client):
    book = load_workbook(io.BytesIO(
        client.get("/activities/download.xlsx", {"species": "argali"}).getvalue()
    ))  # fmt: skip
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Activities sheet"] == "filtered: species = argali"
    expected = Activity.objects.filter(species__slug="argali").count()
    assert book["Activities"].max_row - 1 == about["Activities"] == expected
