"""Free-text search: PostgreSQL's indexes give the answers the full scan gave, and follow edits."""

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, Indicator
from activities.search import CONFIG, RankedPaginator, search_activities
from activities.views.activity import Counted, _grouped_counts, _page_and_facets
from tests.scaling import multiply_programme

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text indexes exist on PostgreSQL only"
)

# Words, phrases, websearch syntax, codes (one printed twice), stop words and nothing at all.
QUERIES = [
    "monitoring", "camera trap", '"camera traps"', "snow leopard", "illegal trade",
    "poaching -snow", "argali or saiga", "GOs", "NGOs", "CMS Secretariat", "database", "2027",
    "transboundary cooperation", "fences", "Kazakhstan", "workshop", "train rangers",
    "linear infrastructure", "report", "3.3", "12.1", "10.4", "1.2", "the", "xyzzy",
]  # fmt: skip


def full_scan(queryset, text):
    """The search as it was before the indexes (every document computed on each query): the
    oracle the indexed search must agree with, row for row and in the same order."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    vector = SearchVector("text", weight="A", config=CONFIG) + SearchVector(
        "responsible_text", weight="C", config=CONFIG
    )
    indicator_matches = Indicator.objects.annotate(
        document=SearchVector("text", config=CONFIG)
    ).filter(activity=OuterRef("pk"), document=query)
    return (
        queryset.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(Q(document=query) | Q(Exists(indicator_matches)) | Q(code=text))
        .order_by("-rank", "position")
    )


def refs(queryset) -> list[str]:
    return list(queryset.values_list("ref", flat=True))


@postgresql_only
def test_indexed_search_lists_what_the_full_scan_listed_in_the_same_order():
    answered = 0
    for text in QUERIES:
        expected = refs(full_scan(Activity.objects.all(), text))
        assert refs(search_activities(Activity.objects.all(), text)) == expected, text
        answered += bool(expected)
    assert answered == len(QUERIES) - 2  # all but the stop word and the nonsense find something


@postgresql_only
def test_indexed_search_agrees_with_the_full_scan_under_other_filters(client):
    kazakhstan = Activity.objects.filter(
        Q(section__kind="thematic") | Q(section__conservation_unit__range_states__iso3="KAZ")
    )
    expected = refs(full_scan(kazakhstan, "monitoring"))
    response = client.get("/api/v1/activities/", {"range_state": "KAZ", "q": "monitoring"})
    assert [row["ref"] for row in response.json()["results"]] == expected[:50]
    assert response.json()["count"] == len(expected) > 10


@postgresql_only
def test_indexes_answer_the_search_at_scale():
    """At 10x data a rare word is found through both GIN indexes, with no indicator read."""
    multiply_programme(10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE activities_activity")
        cursor.execute("ANALYZE activities_indicator")
    found = search_activities(Activity.objects.all(), "Kazakhstan")
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on activities_activity_search_document" in plan, plan
    assert "Bitmap Index Scan on activities_indicator_search_text" in plan, plan
    assert "Seq Scan on activities_indicator" not in plan, plan
    assert found.count() == 10


@pytest.mark.parametrize("url", ["/activities/", "/api/v1/activities/"])
def test_search_runs_as_many_queries_at_10x_as_at_1x(client, url):
    def fetch():
        client.get(url, {"q": "camera trap"})  # fills the per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": "camera trap", "range_state": "KAZ"})
        assert response.status_code == 200
        return len(queries)

    at_1x = fetch()
    multiply_programme(10)
    assert fetch() == at_1x


@postgresql_only
@pytest.mark.parametrize("text", ["monitoring", "camera trap", "12.1", "xyzzy"])
def test_ranked_pages_are_the_pages_django_would_give(text):
    """Ids first, then rows: the same activities in the same order on every page, the same
    count, with or without the count known beforehand, and no page past the last."""
    multiply_programme(3)
    found = search_activities(Activity.objects.select_related("section"), text)
    plain = Paginator(found, 7)
    assert plain.count == (0 if text == "xyzzy" else plain.count) and (
        plain.count or text == "xyzzy"
    )
    for told in (None, plain.count):
        ranked = RankedPaginator(found, 7)
        if told is not None:
            ranked.__dict__["count"] = told
        for number in plain.page_range:
            page = ranked.page(number)
            assert [a.ref for a in page] == [a.ref for a in plain.page(number)], (text, number)
            assert ranked.count == plain.count
        if plain.count:
            with pytest.raises(EmptyPage):
                RankedPaginator(found, 7).page(plain.num_pages + 1)


@postgresql_only
def test_a_ranked_page_reads_its_rows_by_id_without_searching_again(django_assert_num_queries):
    found = search_activities(Activity.objects.select_related("section"), "monitoring")
    with django_assert_num_queries(2) as queries:  # ids with the count, then the rows
        page = RankedPaginator(found, 10).page(2)
        sections = [activity.section.title for activity in page]
    assert len(sections) == 10
    assert "tsquery" in queries.captured_queries[0]["sql"]
    assert "tsquery" not in queries.captured_queries[1]["sql"]


@postgresql_only
@pytest.mark.parametrize("text", ["monitoring", "snow leopard", "xyzzy"])
@pytest.mark.parametrize("number", ["1", "3", "99"])
def test_a_searched_list_counts_its_facets_with_its_page_as_a_grouped_count_would(text, number):
    multiply_programme(3)
    found = search_activities(Activity.objects.select_related("section"), text)
    page, facets = _page_and_facets(found, QueryDict(), number)
    priorities, kinds = _grouped_counts(found)
    expected = Counted(found, 50, sum(priorities.values())).get_page(number)
    assert [a.ref for a in page] == [a.ref for a in expected]
    assert page.number == expected.number and page.paginator.count == expected.paginator.count
    counted = {(name, f.value): f.count for name in facets for f in facets[name]}
    assert counted == {
        **{("priority", value): n for value, n in priorities.items()},
        **{("kind", value): n for value, n in kinds.items()},
        **{key: 0 for key, n in counted.items() if n == 0},
    }


@postgresql_only
def test_a_searched_list_reads_its_matches_once(client):
    client.get("/activities/", {"q": "monitoring"})  # fills the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/activities/", {"q": "monitoring", "page": "x"})
    assert response.context["page"].number == 1
    searching = [q["sql"] for q in queries.captured_queries if "tsquery" in q["sql"]]
    assert len(searching) == 1 and "OVER ()" in searching[0], searching


def test_a_search_past_the_last_page_is_a_404_that_says_so(client):
    response = client.get("/api/v1/activities/", {"q": "monitoring", "page": 99})
    assert response.status_code == 404
    assert "page" in response.json()["detail"].lower()


def search(text: str) -> list[str]:
    return refs(search_activities(Activity.objects.all(), text))


def test_search_follows_an_activity_edited_saved_or_updated():
    activity = Activity.objects.get(ref="12.1")
    assert "12.1" not in search("quokka")
    activity.text += " Surveys of the quokka."
    activity.save()
    assert search("quokka") == ["12.1"]
    Activity.objects.filter(ref="12.1").update(text="Nothing left.", responsible_text="Wombats")
    assert search("quokka") == []
    assert search("wombats") == ["12.1"]


def test_search_follows_activities_and_indicators_bulk_created_edited_and_deleted():
    original = Activity.objects.get(ref="12.1")
    Activity.objects.bulk_create([
        Activity(ref="99.1", code="99.1", section=original.section, position=9999,
                 source_line=1, text="Count the numbat.", priority=original.priority,
                 responsible_text="GOs")
    ])  # fmt: skip
    assert search("numbat") == ["99.1"]
    Indicator.objects.bulk_create([Indicator(activity=original, position=9, text="Bilby counts")])
    assert search("bilby") == ["12.1"]
    Indicator.objects.filter(activity=original, position=9).update(text="Dunnart counts")
    assert (search("bilby"), search("dunnart")) == ([], ["12.1"])
    Indicator.objects.filter(activity=original, position=9).delete()
    assert search("dunnart") == []
