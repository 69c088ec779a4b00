"""The public pages of the contract, with the loaded programme."""

import re

import pytest

from activities.models import Activity

pytestmark = pytest.mark.django_db

CONTRACT_PAGES = [
    "/", "/activities/", "/activities/1.2/", "/activities/3.3-b/", "/sections/",
    "/sections/legislation/", "/sections/southwestern-ustyurt/", "/conservation-units/",
    "/conservation-units/western-tian-shan/", "/conservation-units/jungarian-gobi/", "/species/",
    "/species/snow-leopard/", "/range-states/", "/range-states/KAZ/", "/range-states/BTN/",
    "/activities/download.csv", "/activities/download.xlsx", "/healthz", "/api/docs/",
]  # fmt: skip


def listed_refs(response) -> list[str]:
    return re.findall(r'href="/activities/([^/"]+)/"', response.content.decode())[::2]


@pytest.mark.parametrize("url", CONTRACT_PAGES)
def test_contract_page_answers(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/activities/9.99/", "/sections/nowhere/", "/conservation-units/atlantis/",
     "/species/unicorn/", "/range-states/FRA/", "/range-states/XX/", "/no-such-page/"],
)  # fmt: skip
def test_unknown_things_answer_404_with_the_sites_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Not found</h1>" in content and 'aria-label="Main"' in content


def test_species_country_and_kind_filters_combine(client):
    response = client.get(
        "/activities/",
        {"species": "snow-leopard", "range_state": "KGZ", "kind": "conservation_unit"},
    )
    assert response.status_code == 200
    # 17.4 names the Argali only, so it is not a Snow Leopard activity (importer/species_names.py)
    assert listed_refs(response) == [
        "12.1", "12.2", "12.3", "12.4", "17.1", "17.2", "17.3",
    ]  # fmt: skip
    assert "<strong>7</strong> activities" in response.content.decode()


def test_range_state_filter_means_thematic_plus_its_units(client):
    bhutan = client.get("/activities/", {"range_state": "BTN", "page": 1})
    thematic = Activity.objects.filter(section__kind="thematic").count()
    assert f"<strong>{thematic}</strong> activities" in bhutan.content.decode()
    kazakhstan = (
        Activity.objects.filter(section__kind="thematic").count()
        + Activity.objects.filter(section__conservation_unit__range_states__iso3="KAZ").count()
    )
    response = client.get("/activities/", {"range_state": "KAZ"})
    assert f"<strong>{kazakhstan}</strong> activities" in response.content.decode()


def test_text_search_finds_every_activity_mentioning_camera_traps(client):
    expected = {
        a.ref for a in Activity.objects.prefetch_related("indicators")
        if "camera trap" in a.text.lower()
        or any("camera trap" in i.text.lower() for i in a.indicators.all())
    }  # fmt: skip
    assert len(expected) >= 8
    response = client.get("/activities/", {"q": "camera trap"})
    assert set(listed_refs(response)) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"species": "unicorn"}, "Unknown species &#x27;unicorn&#x27;"),
        ({"range_state": "kgz"}, "Unknown Range State (ISO 3166 alpha-3 code) &#x27;kgz&#x27;"),
        ({"priority": "Urgent"}, "Select a valid choice. Urgent is not one of"),
        ({"section": "nowhere", "species": "argali"}, "Unknown section &#x27;nowhere&#x27;"),
    ],
)
def test_unknown_filter_value_is_a_visible_400(client, query, message):
    response = client.get("/activities/", query)
    assert response.status_code == 400
    content = response.content.decode()
    assert "That filter cannot be applied" in content
    assert message in content
    assert 'id="id_q"' in content  # the filters stay usable


def test_htmx_request_gets_only_the_results(client):
    response = client.get("/activities/", {"priority": "Low"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content and "<strong>1</strong> activity" in content
    assert "HX-Request" in response["Vary"]
    full = client.get("/activities/", {"priority": "Low"})
    assert "<html" in full.content.decode()


def test_repeated_number_lists_its_activities_and_a_unique_one_redirects(client):
    response = client.get("/activities/11.1/")
    assert response.status_code == 300
    assert "/activities/11.1-a/" in response.content.decode()
    assert "/activities/11.1-b/" in response.content.decode()
    assert client.get("/activities/22.1/").status_code == 200


def test_activity_page_shows_quirk_indicator_instruments_and_citation(client):
    content = client.get("/activities/11.1-b/").content.decode()
    assert "Note on the source document" in content
    assert "/activities/11.1-a/" in content
    assert "Medium-term International Work Programme for the Saiga Antelope" in content
    assert "required by the unit" in content
    assert "Joint funding proposals submitted to various donors" in content
    assert "activity 11.1 [ref 11.1-b]" in content
    dated = client.get("/activities/18.8/").content.decode()
    assert '<time datetime="2026-09-15">15 September 2026</time>' in dated


def test_sub_items_render_as_a_list(client):
    content = client.get("/activities/3.3-a/").content.decode()
    assert content.count('<span class="label">') == 5
    assert '<ol class="sub-items lettered">' in content


def test_scoring_table_sorts_and_keeps_the_unscored_unit_last(client):
    for sort, first in [("total", "Southwestern Ustyurt"), ("name", "Aral Sea / Western"),
                        ("th_study_rank", "Trans-Altai Gobi")]:  # fmt: skip
        content = client.get("/conservation-units/", {"sort": sort}).content.decode()
        table = content.split('<table class="scoring">')[1].split("</table>")[0]
        names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)
        assert names[0].startswith(first), sort
        if sort != "name":
            assert names[-1] == "Jungarian Gobi"


def test_range_state_page_counts_what_applies(client):
    content = client.get("/range-states/BTN/").content.decode()
    assert "reports on the thematic activities only" in content
    assert "not a Party to CMS" in content


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/", 7), ("/activities/", 13), ("/activities/?range_state=KAZ&q=monitoring", 14),
        ("/activities/12.1/", 9), ("/sections/", 1), ("/sections/legislation/", 6),
        ("/conservation-units/", 5), ("/conservation-units/kopetdag/", 11), ("/species/", 1),
        ("/species/argali/", 8), ("/range-states/", 1), ("/range-states/KAZ/", 10),
        ("/activities/download.csv", 5), ("/activities/download.xlsx?species=argali", 13),
    ],
)  # fmt: skip
def test_pages_run_a_bounded_number_of_queries(
    client, scaled_programme, django_assert_max_num_queries, url, most
):
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert response.status_code == 200
