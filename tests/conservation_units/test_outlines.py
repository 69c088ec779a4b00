"""A Conservation Unit's outline is uploaded in the admin as GeoJSON: a good file is kept as the
maps draw it; a bad one is refused with a sentence saying what to do, and nothing is stored."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conservation_units import outlines
from conservation_units.models import ConservationUnit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RING = [[56.5, 37.5], [59.0, 37.3], [59.2, 38.2], [56.8, 38.4], [56.5, 37.5]]
FEATURES = {
    "type": "FeatureCollection",
    "features": [{"type": "Feature", "properties": {"name": "Kopetdag"},
                  "geometry": {"type": "Polygon", "coordinates": [RING]}}],
}  # fmt: skip


class FormFields(HTMLParser):
    """The change form's fields as a browser would send them (inputs, selections, text)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on"))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def unit():
    return ConservationUnit.objects.get(slug="kopetdag")


def change_url(unit) -> str:
    return f"/admin/conservation_units/conservationunit/{unit.pk}/change/"


def upload(admin_client, unit, content: bytes, name="kopetdag.geojson", **extra):
    page = admin_client.get(change_url(unit))
    assert page.status_code == 200
    fields = FormFields()
    fields.feed(page.content.decode())
    data = {**fields.data, **extra}
    data["outline_file"] = SimpleUploadedFile(name, content, "application/geo+json")
    return admin_client.post(change_url(unit), data)


def errors_of(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>',
                               response.content.decode(), re.S))  # fmt: skip


def test_a_good_geojson_file_is_stored_as_one_multipolygon(admin_client, unit):
    response = upload(admin_client, unit, json.dumps(FEATURES).encode())
    assert response.status_code == 302, errors_of(response)
    unit.refresh_from_db()
    assert unit.outline == {"type": "MultiPolygon", "coordinates": [[RING]]}
    page = admin_client.get(change_url(unit)).content.decode()
    assert "1 polygon(s), 5 points." in page


def test_the_outline_is_kept_simplified_and_its_rings_closed():
    # A ring with points a few metres off its straight sides: only the corners are kept.
    wiggly = [[56.5, 37.5], [57.75, 37.40001], [59.0, 37.3], [59.2, 38.2], [56.8, 38.4],
              [56.5, 37.5]]  # fmt: skip
    kept = outlines.parse_outline(json.dumps({"type": "Polygon", "coordinates": [wiggly]})
                                  .encode())  # fmt: skip
    assert kept["coordinates"] == [[RING]]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"name,lat,lon\nKopetdag,37.8,57.8\n", "could not be read as JSON"),
        (json.dumps({"type": "Point", "coordinates": [57.8, 37.8]}).encode(),
         "must be an area: a Polygon or a MultiPolygon"),
        (json.dumps({"type": "Polygon", "coordinates": [[[6300000, 4200000], [6400000, 4200000],
                     [6400000, 4300000], [6300000, 4200000]]]}).encode(),
         "not a longitude and latitude in degrees"),
        (json.dumps({"type": "Polygon", "coordinates": [RING[:-1]]}).encode(),
         "is not closed"),
        (json.dumps({"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in RING]]})
         .encode(), "lies outside the unit&#x27;s Range States (Iran, Turkmenistan). Are "
                    "longitude and latitude swapped?"),
        (json.dumps({"type": "Polygon", "coordinates": [[[-lon, lat] for lon, lat in RING]]})
         .encode(), "outside the CAMI region"),
        (json.dumps({"type": "FeatureCollection", "features": []}).encode(),
         "holds no features"),
        (json.dumps({"features": []}).encode(), "it has no \"type\""),
        (json.dumps({**FEATURES["features"][0]["geometry"],
                     "crs": {"type": "name", "properties": {"name": "EPSG:32641"}}}).encode(),
         "another reference system"),
        (b"[" * 100_000, "could not be read as JSON"),
        (b" " * (outlines.MAX_BYTES + 1), "an outline may be at most 2 MB"),
    ],
    ids=["csv", "point", "metres", "open-ring", "swapped", "americas", "empty", "not-geojson",
         "crs", "deep", "too-large"],
)  # fmt: skip
def test_a_bad_file_is_refused_with_a_sentence_and_nothing_is_stored(
    admin_client, unit, content, says
):
    response = upload(admin_client, unit, content)
    assert response.status_code == 200  # the form again, with its error
    assert says.replace('"', "&quot;") in errors_of(response)
    unit.refresh_from_db()
    assert unit.outline is None
    assert unit.marker_latitude is not None  # the rest of the unit untouched as well


def test_the_outline_can_be_removed_again(admin_client, unit):
    unit.outline = {"type": "MultiPolygon", "coordinates": [[RING]]}
    unit.save()
    page = admin_client.get(change_url(unit))
    fields = FormFields()
    fields.feed(page.content.decode())
    response = admin_client.post(change_url(unit), {**fields.data, "remove_outline": "on"})
    assert response.status_code == 302, errors_of(response)
    unit.refresh_from_db()
    assert unit.outline is None


def test_a_bad_outline_cannot_be_stored_by_any_other_way(unit):
    unit.outline = {"type": "Polygon", "coordinates": [RING]}
    with pytest.raises(ValidationError, match="MultiPolygon"):
        unit.full_clean()
