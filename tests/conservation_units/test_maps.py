"""The map of the CAMI states: every Range State a shape and a link with an accessible name,
participating states told apart by more than colour, units marked, one query per map, and the
home page with its map small enough to send."""

import gzip
import json
import re

import pytest
from django.template import Context, Template
from django.test import Client

from conservation_units import maps
from conservation_units.choices import RangeStateRole
from conservation_units.models import ConservationUnit, ConservationUnitSpecies, RangeState
from species.models import Species

pytestmark = pytest.mark.django_db

DISCLAIMER = (
    "The boundaries and names shown and the designations used on this map do not imply "
    "official endorsement or acceptance by the United Nations."
)
HOME_BUDGET = 150 * 1024  # the home page with its map, compressed


def render(source: str, **context) -> str:
    return Template("{% load maps %}" + source).render(Context(context))


def svg_of(html: str) -> str:
    return html[html.index("<svg") : html.index("</svg>")]


def state_links(svg: str) -> dict[str, str]:
    """ISO3 -> the accessible name of the state's link on the map, for links with a shape."""
    found = re.findall(
        r'<a href="/range-states/([A-Z]{3})/" class="[^"]*" aria-label="([^"]+)">'
        r"<title>[^<]+</title><path d=\"M[^\"]+\"",
        svg,
    )
    return dict(found)


def classes_of(svg: str, iso3: str) -> str:
    return re.search(rf'<a href="/range-states/{iso3}/" class="([^"]+)"', svg).group(1)


def unit_labels(svg: str) -> list[str]:
    return re.findall(r'<text class="map-unit-label"[^>]*>([^<]+)</text>', svg)


def test_every_range_state_has_a_shape_and_a_link_with_its_name_on_the_home_page():
    html = Client().get("/").content.decode()
    links = state_links(svg_of(html))
    for state in RangeState.objects.range_states():
        assert links[state.iso3].startswith(state.name), state.iso3
    assert len(links) == 14


def test_participating_states_are_hatched_and_named_but_not_links():
    svg = svg_of(Client().get("/").content.decode())
    for state in RangeState.objects.filter(role=RangeStateRole.PARTICIPANT):
        assert f'href="/range-states/{state.iso3}/"' not in svg  # they have no page
        assert Client().get(f"/range-states/{state.iso3}/").status_code == 404
        shape = re.search(
            rf'<g class="map-state map-participant" role="img" aria-label="{state.name}, '
            r'participating state"><title>[^<]+</title><path d="M[^"]+" fill="url\(#([\w-]+)\)"',
            svg,
        )
        assert shape, state.iso3
        assert f'<pattern id="{shape.group(1)}"' in svg  # a pattern, not a colour alone


def test_the_map_has_a_legend_the_disclaimer_and_the_states_as_a_list_beside_it():
    html = Client().get("/").content.decode()
    figure = html[html.index('<figure class="state-map') : html.index("</figure>")]
    assert DISCLAIMER in figure
    assert "Participating state (not a Range State)" in figure
    listed = figure[figure.index('<div class="state-map-list">') :]
    for state in RangeState.objects.range_states():
        assert f'href="/range-states/{state.iso3}/">{state.name}</a>' in listed
    for unit in ConservationUnit.objects.all():
        assert f'href="/conservation-units/{unit.slug}/">' in listed


def test_the_map_is_drawn_without_inline_styles_or_scripts():
    svg = svg_of(Client().get("/").content.decode())
    assert " style=" not in svg and "<style" not in svg and "<script" not in svg
    assert "on" + "click" not in svg


def test_every_conservation_unit_is_marked_on_the_home_page_by_its_number():
    svg = svg_of(Client().get("/").content.decode())
    for unit in ConservationUnit.objects.all():
        assert unit.has_marker, unit.slug
        marker = re.search(
            rf'<a href="/conservation-units/{unit.slug}/" class="map-unit" '
            rf'aria-label="Conservation Unit {re.escape(unit.name)}">.*?'
            r'<text class="map-unit-number"[^>]*>(\d+)</text>',
            svg,
        )
        assert marker and marker.group(1) == str(unit.position), unit.slug


def test_home_page_with_its_map_stays_within_its_compressed_budget():
    content = Client().get("/").content
    compressed = len(gzip.compress(content))
    assert "<svg" in content.decode()
    assert compressed <= HOME_BUDGET, f"home page: {compressed / 1024:.1f} KB compressed"


def test_a_units_map_highlights_its_states_and_names_it():
    unit = ConservationUnit.objects.prefetch_related("range_states").get(slug="kopetdag")
    svg = svg_of(render("{% unit_map unit %}", unit=unit))
    for iso3 in ("IRN", "TKM"):
        assert "map-highlight" in classes_of(svg, iso3)
        assert state_links(svg)[iso3].endswith("highlighted")
    assert "map-highlight" not in classes_of(svg, "KAZ")
    assert unit_labels(svg) == ["Kopetdag"]


def test_a_range_states_map_highlights_it_and_names_its_units():
    state = RangeState.objects.get(iso3="KAZ")
    units = state.conservation_units.all()
    svg = svg_of(render("{% range_state_map state units %}", state=state, units=units))
    assert [iso3 for iso3 in state_links(svg) if "map-highlight" in classes_of(svg, iso3)] == [
        "KAZ"
    ]
    assert sorted(unit_labels(svg)) == sorted(unit.name for unit in units)


def test_a_species_map_highlights_the_states_of_the_units_where_it_occurs():
    camel = Species.objects.get(slug="wild-camel")  # only in the Trans-Altai Gobi
    links = ConservationUnitSpecies.objects.filter(species=camel).select_related(
        "conservation_unit"
    )
    svg = svg_of(render("{% species_map species links %}", species=camel, links=links))
    highlighted = {iso3 for iso3 in state_links(svg) if "map-highlight" in classes_of(svg, iso3)}
    assert highlighted == {"CHN", "MNG"}
    assert unit_labels(svg) == ["Trans-Altai Gobi"]


def test_an_uploaded_outline_is_drawn_instead_of_the_marker():
    unit = ConservationUnit.objects.get(slug="kopetdag")
    unit.outline = {"type": "MultiPolygon", "coordinates": [
        [[[56.5, 37.5], [59.0, 37.3], [59.2, 38.2], [56.8, 38.4], [56.5, 37.5]]]
    ]}  # fmt: skip
    unit.full_clean()
    unit.save()
    unit = ConservationUnit.objects.prefetch_related("range_states").get(pk=unit.pk)
    html = render("{% unit_map unit %}", unit=unit)
    svg = svg_of(html)
    assert re.search(r'<path class="map-unit-outline" d="M[\d.]+ [\d.]+L', svg)
    assert '<circle class="map-unit-marker"' not in svg
    assert unit_labels(svg) == ["Kopetdag"] and "Conservation Unit outline" in html


def test_each_map_reads_the_states_in_one_query_at_any_scale(
    scaled_programme, django_assert_num_queries
):
    state = RangeState.objects.get(iso3="KAZ")
    units = list(state.conservation_units.all())
    unit = ConservationUnit.objects.prefetch_related("range_states").get(slug="kopetdag")
    argali = Species.objects.get(slug="argali")
    links = list(ConservationUnitSpecies.objects.filter(species=argali)
                 .select_related("conservation_unit"))  # fmt: skip
    home_units = list(ConservationUnit.objects.all())
    for source, context in [
        ("{% programme_map units %}", {"units": home_units}),
        ("{% unit_map unit %}", {"unit": unit}),
        ("{% range_state_map state units %}", {"state": state, "units": units}),
        ("{% species_map species links %}", {"species": argali, "links": links}),
    ]:
        with django_assert_num_queries(1):
            assert "<svg" in render(source, **context)


def test_without_the_built_shapes_the_list_is_shown_alone(monkeypatch, tmp_path):
    monkeypatch.setattr(maps, "SHAPES", tmp_path / "missing.json")
    html = Client().get("/").content.decode()
    figure = html[html.index('<figure class="state-map') : html.index("</figure>")]
    assert "state-map-text-only" in figure and "<svg" not in figure
    assert 'href="/range-states/KAZ/">Kazakhstan</a>' in figure


def test_the_built_shapes_come_from_the_pinned_package_and_hold_every_programme_state(
    map_shapes,
):
    data = json.loads(map_shapes.read_text(encoding="utf-8"))
    assert data["source"]["package"] == "world-atlas@2.0.2"
    codes = {country["iso3"] for country in data["countries"]}
    assert set(RangeState.objects.values_list("iso3", flat=True)) <= codes
    for country in data["countries"]:
        left, top, right, bottom = country["box"]
        assert -10 <= left <= right <= data["width"] + 10
        assert -10 <= top <= bottom <= data["height"] + 10


def test_the_map_speaks_russian_on_russian_pages():
    html = Client(headers={"accept-language": "ru"}).get("/").content.decode()
    svg = svg_of(html)
    assert state_links(svg)["KAZ"].startswith("Казахстан")


def test_each_units_marker_lies_in_one_of_its_range_states():
    from conservation_units import geometry

    shapes = maps.load()
    for unit in ConservationUnit.objects.prefetch_related("range_states"):
        x, y = shapes.projection(unit.marker_longitude, unit.marker_latitude)
        # Within about 50 km of a border counts: the points are approximate centres, and a
        # transboundary landscape is often centred on the border itself.
        near = [(x + dx, y + dy) for dx in (-10, 0, 10) for dy in (-10, 0, 10)]
        states = [shapes.countries[state.iso3] for state in unit.range_states.all()]
        assert any(geometry.inside(point, geometry.path_rings(shape.d)) for shape in states
                   for point in near), unit.slug  # fmt: skip
        assert "Approximate" in unit.marker_note
