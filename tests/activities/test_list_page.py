"""The activities list: an address that holds only the filters in use, facets that filter,
compact rows with a priority mark, and the document's quirks behind a disclosure."""

import re
from html import unescape

import pytest

from activities.models import Activity, Section
from conservation_units.models import ConservationUnit

pytestmark = pytest.mark.django_db

EMPTY_FORM = {"q": "", "section": "", "kind": "", "conservation_unit": "", "species": "",
              "range_state": "", "priority": "High", "responsible": ""}  # fmt: skip


def test_a_plain_submit_is_redirected_to_the_filters_in_use(client):
    response = client.get("/activities/", EMPTY_FORM)
    assert response.status_code == 302
    assert response["Location"] == "/activities/?priority=High"
    everything_empty = client.get("/activities/", {**EMPTY_FORM, "priority": ""})
    assert everything_empty["Location"] == "/activities/"
    clean = client.get("/activities/", {"priority": "High", "q": "monitoring"})
    assert clean.status_code == 200  # nothing to take away: no redirect


def test_htmx_pushes_only_the_filters_in_use(client):
    response = client.get(
        "/activities/", {**EMPTY_FORM, "species": "saiga-antelope"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/activities/?species=saiga-antelope&priority=High"
    cleared = client.get(
        "/activities/", {**EMPTY_FORM, "priority": ""}, headers={"HX-Request": "true"}
    )
    assert cleared["HX-Push-Url"] == "/activities/"


def test_the_downloads_and_pages_carry_only_the_filters_in_use(client):
    content = client.get("/activities/", {"kind": "thematic"}).content.decode()
    assert 'href="/activities/download.csv?kind=thematic"' in content
    assert "page=2" in content and "?kind=thematic&amp;page=2" in content


def facet_links(content: str) -> dict[str, str]:
    """Each facet link's label (without its count) and its address."""
    links = re.findall(r'<a class="facet[^"]*" href="([^"]+)"[^>]*>(.*?)</a>', content, re.S)
    return {
        re.sub(r"<[^>]+>|\d+|×|\(.*\)", "", text).strip(): unescape(href) for href, text in links
    }


def listed_count(content: str) -> int:
    return int(re.search(r'<p class="count"><strong>(\d+)</strong>', content).group(1))


def test_each_facet_count_is_a_link_that_applies_its_filter(client):
    thematic = client.get("/activities/", {"kind": "thematic"}).context
    links = facet_links(client.get("/activities/", {"kind": "thematic"}).content.decode())
    for facet in thematic["facets"]["priority"]:
        if not facet.count:
            assert facet.label not in links  # nothing to show: not a link
            continue
        assert links[facet.label] == f"/activities/?kind=thematic&priority={facet.value}"
        followed = client.get(links[facet.label])
        assert listed_count(followed.content.decode()) == facet.count
    assert (
        thematic["facets"]["priority"][0].count
        == Activity.objects.filter(section__kind="thematic", priority="High").count()
    )


def test_an_applied_facet_links_back_to_the_list_without_it(client):
    content = client.get(
        "/activities/", {"priority": "Medium", "kind": "thematic"}
    ).content.decode()
    selected = re.search(r'<a class="facet selected" href="([^"]+)" aria-current="true"', content)
    assert unescape(selected.group(1)) == "/activities/?kind=thematic"


def test_rows_show_the_priority_as_a_small_mark_with_its_name(client):
    content = client.get("/activities/").content.decode()
    table = content.split('<table class="activities">')[1]
    assert 'class="priority' not in table  # no pill on every row
    assert table.count('role="img" aria-label="High priority"') == 50 - table.count(
        'aria-label="Medium priority"'
    ) - table.count('aria-label="Low priority"')


def test_the_list_in_document_order_names_each_section_once(client):
    content = client.get("/activities/", {"kind": "thematic"}).content.decode()
    first = Section.objects.filter(kind="thematic").order_by("position").first()
    assert content.count(f'<a href="/sections/{first.slug}/">') == 1
    assert f"{first.number}. {first.title}</span>" not in content  # not repeated on each row


def page_with_a_note(kind: str) -> tuple[str, str]:
    """A page that shows a quirk of the source, and the note it must show."""
    activity = Activity.objects.exclude(source_note="").first()
    section = Section.objects.exclude(source_note="").first()
    unit = ConservationUnit.objects.exclude(source_note="").first()
    return {
        "activity": (f"/activities/{activity.ref}/", activity.source_note),
        "section": (f"/sections/{section.slug}/", section.source_note),
        "unit": (f"/conservation-units/{unit.slug}/", unit.source_note),
        "scoring table": ("/conservation-units/", unit.source_note),
        "list": (f"/activities/?section={activity.section.slug}", activity.source_note),
    }[kind]


@pytest.mark.parametrize("kind", ["activity", "section", "unit", "scoring table", "list"])
def test_a_quirk_of_the_source_is_a_quiet_disclosure(client, kind):
    url, note = page_with_a_note(kind)
    content = client.get(url).content.decode()
    assert "notice quirk" not in content and "quirk-flag" not in content
    disclosures = re.findall(r'<details class="source-note[^"]*">(.*?)</details>', content, re.S)
    assert any(unescape(note) in unescape(d) for d in disclosures), url
    assert all("<summary>" in d for d in disclosures)


def test_the_filters_fold_under_one_summary_and_open_when_a_filter_is_refused(client):
    content = client.get("/activities/", {"species": "saiga-antelope"}).content.decode()
    assert '<details class="more-filters">' in content
    assert re.search(r"<summary>Filters <span[^>]*>\(1 in use\)</span></summary>", content)
    refused = client.get("/activities/", {"species": "unicorn"}).content.decode()
    assert '<details class="more-filters" open>' in refused
