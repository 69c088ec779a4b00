"""The species page, the activity page's species and the API's species links."""

import re

import pytest

pytestmark = pytest.mark.django_db


def activity_refs(content: str) -> set[str]:
    return set(re.findall(r'<th scope="row" class="code"><a href="/activities/([^/]+)/"', content))


def test_saiga_page_lists_saiga_activities_and_not_kulan_ones(client):
    content = client.get("/species/saiga-antelope/").content.decode()
    refs = activity_refs(content)
    assert {"14.2", "16.2", "16.5"} <= refs
    assert not {"14.3", "16.1", "16.9"} & refs
    assert "Activities listed: 13; named in their text: 5." in content


def test_species_page_says_what_it_is_what_covers_it_and_where_it_lives(client):
    content = client.get("/species/saiga-antelope/").content.decode()
    assert "<i>Saiga spp.</i>" in content
    instruments = content.split("Action plans and instruments</dt>")[1].split("</dd>")[0]
    assert "Medium-term International Work Programme for the Saiga Antelope (2025–2030)" in (
        instruments
    )
    units = re.findall(r'<a href="/conservation-units/([^/]+)/">', content)
    assert units == [
        "southwestern-ustyurt", "eastern-ustyurt", "aral-sea-western-kyzylkum-desert",
    ]  # fmt: skip
    states = re.findall(r'<li><a href="/range-states/([A-Z]{3})/">', content)
    assert states == ["KAZ", "TKM", "UZB"]  # the states of its units, in the document's order
    bukhara = client.get("/species/bukhara-deer/").content.decode()
    assert "I &amp; II" in bukhara
    assert "None: it is in no Conservation Unit" in bukhara


def test_species_activities_are_grouped_in_collapsed_sections_with_counts(client):
    content = client.get("/species/asiatic-wild-ass/").content.decode()
    groups = re.findall(
        r'<details class="species-group">\s*<summary>'
        r'<span class="species-group-title">([^<]+)</span> <span class="muted">([^<]+)</span>',
        content,
    )
    by_title = dict(groups)
    assert by_title["16. Aral Sea / Western Kyzylkum Desert"] == "8 activities · 2 name it"
    assert by_title["14. Eastern Ustyurt"] == "2 activities · 2 name it"  # not 14.2 (Saiga)
    assert "open" not in re.findall(r"<details[^>]*>", content)[0]
    kulan, cami = '<span lang="en">Kulan</span>', '<span lang="en">CAMI species</span>'
    assert f"named in the activity (as “{kulan}”)" not in content  # "Asiatic Wild Ass (Kulan)"
    assert f"species of this Conservation Unit (through the words “{cami}”)" in content


def test_species_page_queries_do_not_grow_with_the_programme(
    client, scaled_programme, django_assert_max_num_queries
):
    for slug in ("saiga-antelope", "eurasian-lynx", "bukhara-deer"):
        with django_assert_max_num_queries(8):
            response = client.get(f"/species/{slug}/")
        assert response.status_code == 200


def test_species_page_keeps_its_size_at_scale(client, scaled_programme):
    response = client.get("/species/eurasian-lynx/")
    assert len(response.content) < 300_000


def test_activity_page_says_why_each_species_is_linked(client):
    content = client.get("/activities/16.5/").content.decode()
    assert 'Goitered Gazelle</a> <span class="muted">— named in the activity</span>' in content
    assert (
        'Saiga Antelope</a> <span class="muted">— species of Conservation Unit Aral Sea / '
        'Western Kyzylkum Desert (through the words “<span lang="en">CAMI species</span>”)</span>'
    ) in content
    saiga = client.get("/activities/14.2/").content.decode()
    assert 'named in the activity (as “<span lang="en">Saiga</span>”)' in saiga
    assert "Asiatic Wild Ass" not in saiga.split('id="cite"')[0].split("Species</dt>")[1]
    thematic = client.get("/activities/1.1/").content.decode()
    assert "All CAMI species (a thematic activity that names none)" in thematic


def test_api_adds_why_beside_the_species_slugs(client):
    body = client.get("/api/v1/activities/14.3/").json()
    assert body["species"] == ["asiatic-wild-ass"]
    assert body["species_links"] == [
        {"species": "asiatic-wild-ass", "reason": "named", "named_as": "Asiatic Wild Ass"}
    ]
    listed = client.get("/api/v1/activities/", {"species": "saiga-antelope"}).json()
    assert listed["count"] == 13
    for activity in listed["results"]:
        assert [link["species"] for link in activity["species_links"]] == activity["species"]
