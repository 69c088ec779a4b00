"""The REST API: the contract's fields, the shared filters, errors, caching, and the schema."""

import pytest

from activities.models import Activity
from tests.api_schema import assert_matches_schema

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/sections/": {"slug", "number", "title", "kind"},
    "/api/v1/activities/": {"ref", "code", "section", "text", "priority", "responsible_text",
                            "responsible_parties", "indicators", "conservation_unit", "species",
                            "range_states"},
    "/api/v1/conservation-units/": {"slug", "name", "range_states", "species", "score"},
    "/api/v1/species/": {"slug", "common_name", "scientific_name", "cms_appendix", "status"},
    "/api/v1/range-states/": {"iso3", "name", "cms_party"},
    "/api/v1/responsible-parties/": {"slug", "name"},
    "/api/v1/indicators/": {"id", "text", "target_year", "activity"},
    "/api/v1/instruments/": {"slug", "title", "kind", "species"},
}  # fmt: skip
COUNTS = {"/api/v1/sections/": 23, "/api/v1/activities/": 133, "/api/v1/species/": 17,
          "/api/v1/conservation-units/": 12, "/api/v1/range-states/": 14,
          "/api/v1/indicators/": 133, "/api/v1/instruments/": 7}  # fmt: skip


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_every_list_has_the_contract_fields_and_matches_the_schema(client, schema_json, path):
    response = client.get(path, {"page_size": 500})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    if path in COUNTS:
        assert body["count"] == COUNTS[path] == len(body["results"])
    for item in body["results"]:
        assert ENDPOINTS[path] <= set(item)
    assert_matches_schema(schema_json, path, body)


@pytest.mark.parametrize(
    ("path", "detail"),
    [("/api/v1/activities/{ref}/", "/api/v1/activities/3.3-a/"),
     ("/api/v1/conservation-units/{slug}/", "/api/v1/conservation-units/jungarian-gobi/"),
     ("/api/v1/conservation-units/{slug}/", "/api/v1/conservation-units/kopetdag/"),
     ("/api/v1/range-states/{iso3}/", "/api/v1/range-states/IRN/"),
     ("/api/v1/species/{slug}/", "/api/v1/species/pallas-cat/"),
     ("/api/v1/sections/{slug}/", "/api/v1/sections/southwestern-ustyurt/")],
)  # fmt: skip
def test_details_match_the_schema(client, schema_json, path, detail):
    response = client.get(detail)
    assert response.status_code == 200
    assert_matches_schema(schema_json, path, response.json())


def test_activity_shape_follows_the_contract(client):
    body = client.get("/api/v1/activities/18.8/").json()
    assert body["code"] == "18.8" and body["conservation_unit"] == "koytendag-kugitang"
    assert body["section"] == {
        "slug": "koytendag-kugitang",
        "number": "18",
        "title": "Koytendag / Kugitang",
        "kind": "conservation_unit",
    }
    assert body["responsible_text"] == "GOs, NGOs"
    assert [party["slug"] for party in body["responsible_parties"]] == ["gos", "ngos"]
    assert body["indicators"][0]["target_year"] == 2026
    assert body["indicators"][0]["target_date"] == "2026-09-15"
    assert body["range_states"] == ["TKM", "UZB"]
    thematic = client.get("/api/v1/activities/1.2/").json()
    assert thematic["conservation_unit"] is None


def test_unit_score_and_species_appendix_follow_the_contract(client):
    unit = client.get("/api/v1/conservation-units/southwestern-ustyurt/").json()
    assert unit["score"] == {
        "criteria": [8, 3, 3, 3, 3, 3],
        "total": 23,
        "priority": 1,
        "th_study_rank": 2,
        "name_as_printed": "Southwestern Ustyurt",
    }
    assert client.get("/api/v1/conservation-units/jungarian-gobi/").json()["score"] is None
    assert client.get("/api/v1/species/bukhara-deer/").json()["cms_appendix"] == "I & II"
    assert client.get("/api/v1/species/eurasian-lynx/").json()["cms_appendix"] is None


def test_api_and_page_give_the_same_activities_for_the_same_query(client):
    query = {"species": "snow-leopard", "range_state": "KGZ"}
    api = [a["ref"] for a in client.get("/api/v1/activities/", query).json()["results"]]
    page = client.get("/activities/", query).content.decode()
    assert api and all(f'href="/activities/{ref}/"' in page for ref in api)
    assert f"<strong>{len(api)}</strong> activities" in page


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [({"species": "unicorn"}, "species", "Unknown species 'unicorn'"),
     ({"range_state": "XXX"}, "range_state", "Unknown Range State"),
     ({"kind": "regional"}, "kind", "regional is not one of the available choices"),
     ({"responsible": "rangers"}, "responsible", "Unknown responsible party 'rangers'")],
)  # fmt: skip
def test_unknown_filter_value_is_a_400_that_says_why(client, query, field, words):
    response = client.get("/api/v1/activities/", query)
    assert response.status_code == 400
    assert words in response.json()[field][0]


def test_page_size_goes_up_to_500(client, scaled_programme):
    body = client.get("/api/v1/activities/", {"page_size": 500}).json()
    assert len(body["results"]) == min(500, 133 * scaled_programme)
    assert (body["next"] is None) == (scaled_programme == 1)


@pytest.mark.parametrize("size", ["501", "0", "-3", "ten", "2.5"])
def test_a_page_size_outside_1_to_500_is_a_400_that_says_why(client, size):
    response = client.get("/api/v1/species/", {"page_size": size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["page_size must be a whole number from 1 to 500."]}


@pytest.mark.parametrize(
    "path", ["/api/v1/range-states/kaz/", "/api/v1/sections/no.such.section/", "/api/v1/nothing/"]
)
def test_api_not_found_is_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_repeat_clients_get_304(client):
    first = client.get("/api/v1/activities/", {"priority": "Low"})
    again = client.get("/api/v1/activities/", {"priority": "Low"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_anonymous_clients_cannot_write(client):
    before = Activity.objects.get(ref="1.2").text
    response = client.post("/api/v1/activities/", {"ref": "99.9"}, content_type="application/json")
    assert response.status_code in {401, 403}
    patch = client.patch("/api/v1/activities/1.2/", {"text": "x"}, content_type="application/json")
    assert patch.status_code in {401, 403}
    assert Activity.objects.get(ref="1.2").text == before


def test_token_authentication_is_ready_for_scripts(client, django_user_model):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=django_user_model.objects.create_user("script"))
    response = client.get("/api/v1/species/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    bad = client.get("/api/v1/species/", headers={"Authorization": "Token not-a-token"})
    assert bad.status_code == 401


def test_docs_are_served_from_local_assets(client):
    content = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in content
    assert "cdn" not in content.lower() and "https://" not in content
    assert '<html lang="en">' in content  # Swagger UI's own words are English


@pytest.mark.parametrize(
    ("url", "most"),
    [("/api/v1/activities/?page_size=500", 6), ("/api/v1/activities/?q=monitoring", 6),
     ("/api/v1/sections/?page_size=500", 2), ("/api/v1/conservation-units/?page_size=500", 5),
     ("/api/v1/species/?page_size=500", 2), ("/api/v1/range-states/", 2),
     ("/api/v1/responsible-parties/", 2), ("/api/v1/indicators/?page_size=500", 2),
     ("/api/v1/instruments/", 3)],
)  # fmt: skip
def test_api_lists_run_a_bounded_number_of_queries(
    client, scaled_programme, django_assert_max_num_queries, url, most
):
    # Plus one: the programme's revision, which keys the cached answer (tests/test_api_cache.py).
    with django_assert_max_num_queries(most + 1):
        assert client.get(url).status_code == 200
