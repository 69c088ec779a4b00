"""CSV and XLSX downloads of the filtered activity list."""

import csv
import io

import pytest
from openpyxl import load_workbook

from activities.exports import HEADERS
from activities.filtersets import ActivityFilterSet
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
    assert about["Activities sheet"] == "filtered: Species = Argali"
    expected = Activity.objects.filter(species__slug="argali").count()
    assert book["Activities"].max_row - 1 == about["Activities"] == expected


FILTERS = [{}, {"species": "argali", "range_state": "KGZ"}, {"q": "monitoring population"}]


def workbook_rows(response) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(response.getvalue()), read_only=True)
    return {sheet.title: list(sheet.iter_rows(min_row=2, values_only=True)) for sheet in book}


def cells(values) -> tuple:
    """Values as a spreadsheet gives them back: an empty text is an empty cell."""
    return tuple(None if value == "" else value for value in values)


def activities_as_models(query: dict) -> list[tuple]:
    """The Activities sheet's rows worked out the plain way, from model instances."""
    filterset = ActivityFilterSet(query, queryset=Activity.objects.all())
    assert filterset.is_valid()
    found = filterset.qs.select_related("section__conservation_unit").prefetch_related(
        "indicators", "species", "range_states"
    )
    expected = []
    for activity in found:
        unit = activity.section.conservation_unit
        indicators = list(activity.indicators.all())
        years = [indicator.target_year for indicator in indicators if indicator.target_year]
        expected.append(cells([
            activity.ref, activity.code, activity.section.number, activity.section.title,
            activity.section.get_kind_display(), unit.name if unit else "", activity.text,
            activity.responsible_text, " | ".join(indicator.text for indicator in indicators),
            max(years) if years else "", activity.get_priority_display(),
            ", ".join(species.common_name for species in activity.species.all()),
            ", ".join(state.iso3 for state in activity.range_states.all()), activity.source_note,
        ]))  # fmt: skip
    return expected


def other_sheets_as_models() -> dict[str, list[tuple]]:
    units = [
        cells([
            unit.name, ", ".join(state.iso3 for state in unit.range_states.all()),
            ", ".join(species.common_name for species in unit.species.all()),
            *([*unit.score.criteria, unit.score.total, unit.score.priority,
               unit.score.th_study_rank] if hasattr(unit, "score") else [None] * 9),
            unit.source_note,
        ])
        for unit in ConservationUnit.objects.select_related("score").prefetch_related(
            "range_states", "species")
    ]  # fmt: skip
    species = [
        cells([
            item.common_name, item.scientific_name, item.cms_appendix, item.get_status_display(),
            ", ".join(item.red_list_names), "; ".join(i.title for i in item.instruments.all()),
        ])
        for item in Species.objects.prefetch_related("instruments")
    ]  # fmt: skip
    states = [
        cells([
            state.name, state.iso3, state.get_role_display(),
            {True: "yes", False: "no"}.get(state.cms_party, ""),
            ", ".join(unit.name for unit in state.conservation_units.all()),
        ])
        for state in RangeState.objects.prefetch_related("conservation_units")
    ]  # fmt: skip
    return {"Conservation Units": units, "Species": species, "Range States": states}


@pytest.mark.parametrize("query", FILTERS, ids=["all", "species-and-state", "search"])
def test_programme_workbook_cells_are_what_the_database_says(client, scaled_programme, query):
    """Every cell of every sheet but About, against the same rows read through model instances
    (the workbook reads values), at 1x and 10x, with text that looks like a formula and breaks
    lines."""
    Activity.objects.filter(ref="1.2").update(text=HOSTILE + "\nsecond line",
                                              responsible_text="+SUM(1,2)")  # fmt: skip
    sheets = workbook_rows(client.get("/activities/download.xlsx", query))
    expected = activities_as_models(query)
    assert expected and sheets["Activities"] == expected
    if not query:
        assert len(expected) == Activity.objects.count() == 133 * scaled_programme
        assert any(row[6] == HOSTILE + "\nsecond line" for row in sheets["Activities"])
    for name, rows in other_sheets_as_models().items():
        assert sheets[name] == rows, name


@pytest.mark.parametrize(("query", "most"), list(zip(FILTERS, [11, 13, 11], strict=True)),
                         ids=["all", "species-and-state", "search"])  # fmt: skip
def test_programme_workbook_reads_the_same_queries_whatever_the_programmes_size(
    client, scaled_programme, django_assert_max_num_queries, query, most
):
    """The rows are read as values: one query for the activities (streamed in chunks: on
    PostgreSQL one server-side cursor; on SQLite one statement stepped through), one per
    relation shown, one per other sheet and its relations."""
    with django_assert_max_num_queries(most):
        response = client.get("/activities/download.xlsx", query)
    assert response.status_code == 200
