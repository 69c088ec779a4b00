"""A filter by a row of the programme is a menu while the rows are few and a typed field taking
the same value when they are many: the activities list and the dashboard never list them all,
and a typed slug filters the page exactly as the API."""

import re

import pytest

from activities.models import Activity
from cami.filter_widgets import MENU_LIMIT
from species.models import Species
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db

PAGES = ["/activities/", "/dashboard/"]
# Kind and priority (a handful each), Range States (14) and responsible parties: never scaled.
FEW = 60


def options(html: str) -> int:
    return html.count("<option")


def select(html: str, name: str) -> str | None:
    found = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    return found.group(0) if found else None


@pytest.fixture
def cycle(db):
    return CycleFactory()  # the dashboard shows its filter form only within a cycle


@pytest.mark.parametrize("url", PAGES)
def test_menus_stay_menus_at_the_programmes_size(client, cycle, url):
    html = client.get(url).content.decode()
    for name, count in [("section", 23), ("conservation_unit", 12), ("species", 17)]:
        menu = select(html, name)
        assert menu is not None, name
        assert options(menu) == count + 1, name  # every row, and "All ..."
    assert 'type="text" name="species"' not in html


@pytest.mark.parametrize("url", PAGES)
def test_many_choices_become_typed_fields_with_a_label_and_a_hint(client, cycle, url):
    from tests.scaling import multiply_programme

    multiply_programme(10)  # 230 sections, 120 units, 170 species: each past MENU_LIMIT
    assert Species.objects.count() > MENU_LIMIT
    html = client.get(url).content.decode()
    assert options(html) <= FEW
    for name in ["section", "conservation_unit", "species"]:
        assert select(html, name) is None, name
        field = re.search(rf'<input type="text" name="{name}"[^>]*>', html).group(0)
        assert f'id="id_{name}"' in field
        assert f'aria-describedby="id_{name}_hint"' in field
        assert f'<label for="id_{name}">' in html
        hint = re.search(rf'<small [^>]*id="id_{name}_hint">(.*?)</small>', html, re.S).group(1)
        assert "<code>" in hint and "e.g." in hint
    assert select(html, "range_state") is not None  # 14 states: still a menu


def test_a_typed_slug_filters_the_page_as_the_api_does(client):
    from tests.scaling import multiply_programme

    multiply_programme(10)
    # Copies of activities keep the original species, so filter by an original one: at 10x its
    # field is typed all the same.
    query = {"species": "snow-leopard", "range_state": "KGZ", "page_size": 500}
    page = client.get("/activities/", query)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="species" value="snow-leopard"' in html  # the typed value stays in its field
    api = client.get("/api/v1/activities/", query).json()
    listed = page.context["page"].paginator.object_list
    assert sorted(a.ref for a in listed) == sorted(a["ref"] for a in api["results"])
    assert api["count"] == page.context["page"].paginator.count > 0
    expected = Activity.objects.filter(species__slug="snow-leopard").values_list("ref", flat=True)
    assert {a.ref for a in listed} <= set(expected)


@pytest.mark.parametrize("url", PAGES)
def test_an_unknown_typed_value_is_refused_in_words(client, cycle, url):
    from tests.scaling import multiply_programme

    multiply_programme(10)
    response = client.get(url, {"species": "snow-leopard-99"})
    assert response.status_code == 400
    assert "Unknown species &#x27;snow-leopard-99&#x27;" in response.content.decode()
    assert client.get("/api/v1/activities/", {"species": "snow-leopard-99"}).status_code == 400


def test_the_facets_beside_the_list_are_bounded(client):
    from tests.scaling import multiply_programme

    multiply_programme(10)
    facets = client.get("/activities/").context["facets"]
    assert sum(len(counts) for counts in facets.values()) <= 10
    assert sum(facet.count for facet in facets["priority"]) == Activity.objects.count()
