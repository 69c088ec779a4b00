"""A Conservation Unit's outline: GeoJSON the Secretariat uploads, checked and kept as one
MultiPolygon in longitude and latitude (WGS 84), as GeoJSON (RFC 7946) defines them.

It is kept as the maps draw it, simplified to about half a kilometre: a unit is a landscape of
thousands of square kilometres, and its row stays small enough to load with every list of units.
Every refusal is a sentence the person who uploaded the file can act on.
"""

import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from conservation_units.geometry import simplify

MAX_BYTES = 2 * 1024 * 1024
MAX_POSITIONS = 100_000  # in the file; far fewer are kept
KEPT_DEGREES = 0.005  # what a kept ring may stray from the file's (about 500 m)
DECIMALS = 4  # about 10 m
# The region the portal's map shows, generously: an outline elsewhere is a mistake (often
# latitude and longitude swapped, or coordinates in metres of another projection).
REGION = (15.0, 0.0, 145.0, 70.0)  # west, south, east, north
AREAL = ("Polygon", "MultiPolygon")


def parse_outline(data: bytes) -> dict:
    """The uploaded file as a normalised MultiPolygon, or a ValidationError that says why not."""
    check_size(len(data))
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ValidationError(
            _("This file is not GeoJSON: it could not be read as JSON text (%(problem)s). "
              "Export the outline from your GIS as GeoJSON (.geojson).")
            % {"problem": getattr(error, "msg", None) or str(error)},
            code="not_json",
        ) from error  # fmt: skip
    return normalise(value)


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; an outline may be at most %(limit)s MB. Simplify it "
              "(e.g. in QGIS: Vector > Geometry Tools > Simplify) and upload it again.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024},
            code="too_large",
        )  # fmt: skip


def normalise(value) -> dict:
    """A Polygon, a MultiPolygon, a Feature holding one, or a FeatureCollection of them, as a
    single checked MultiPolygon."""
    polygons = []
    for geometry in _geometries(value):
        if geometry["type"] == "Polygon":
            polygons.append(geometry.get("coordinates"))
        else:
            coordinates = geometry.get("coordinates")
            if not isinstance(coordinates, list):
                raise _shape_error()
            polygons.extend(coordinates)
    outline = {"type": "MultiPolygon", "coordinates": polygons}
    validate_outline(outline)
    return {"type": "MultiPolygon", "coordinates": [_kept(polygon) for polygon in polygons]}


def _kept(polygon: list) -> list:
    """The polygon simplified and rounded, each ring still closed with at least four positions
    (a ring simplified to less keeps the outer shape of the original's first positions)."""
    rings = []
    for ring in polygon:
        points = [(round(p[0], DECIMALS), round(p[1], DECIMALS)) for p in ring]
        kept = simplify(points, KEPT_DEGREES)
        if len(kept) < 4:
            kept = points if len(points) <= 4 else [*points[:3], points[0]]
        rings.append([list(point) for point in kept])
    return rings


def _geometries(value):
    if not isinstance(value, dict) or "type" not in value:
        raise ValidationError(
            _("This JSON file is not GeoJSON: it has no \"type\". Export the outline from your "
              "GIS as GeoJSON."),
            code="not_geojson",
        )  # fmt: skip
    kind = value["type"]
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError(_("The file holds no features: it has no outline to show."),
                                  code="empty")  # fmt: skip
        for feature in features:
            yield from _geometries(feature)
    elif kind == "Feature":
        geometry = value.get("geometry")
        if geometry is None:
            raise ValidationError(_("A feature in the file has no geometry."), code="empty")
        yield from _geometries(geometry)
    elif kind in AREAL:
        _check_crs(value)
        yield value
    else:
        raise ValidationError(
            _("The file holds a %(type)s; an outline must be an area: a Polygon or a "
              "MultiPolygon (points and lines cannot outline a Conservation Unit).")
            % {"type": kind},
            code="not_an_area",
        )  # fmt: skip


def _check_crs(value: dict):
    crs = value.get("crs")
    name = str((crs or {}).get("properties", {}).get("name", ""))
    if crs and not name.upper().endswith(("CRS84", "4326")):
        raise ValidationError(
            _("The file's coordinates are in another reference system (%(crs)s). Export it "
              "again in WGS 84 (EPSG:4326), longitude and latitude in degrees.")
            % {"crs": name or "?"},
            code="crs",
        )  # fmt: skip


def _shape_error() -> ValidationError:
    return ValidationError(
        _("The outline's coordinates are not laid out as GeoJSON polygons are: each ring is a "
          "list of [longitude, latitude] positions."),
        code="shape",
    )  # fmt: skip


def validate_outline(outline) -> None:
    """A stored outline: a MultiPolygon whose rings are closed, in degrees, inside the region."""
    if outline is None:
        return
    if not isinstance(outline, dict) or outline.get("type") != "MultiPolygon":
        raise ValidationError(_("An outline is stored as a GeoJSON MultiPolygon."), code="shape")
    polygons = outline.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The outline has no polygon."), code="empty")
    count = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise _shape_error()
        for ring in polygon:
            if not isinstance(ring, list):
                raise _shape_error()
            _check_ring(ring)
            count += len(ring)
    if count > MAX_POSITIONS:
        raise ValidationError(
            _("The outline has %(count)s points; at most %(limit)s are kept. Simplify it "
              "(e.g. in QGIS: Vector > Geometry Tools > Simplify) and upload it again.")
            % {"count": f"{count:,}", "limit": f"{MAX_POSITIONS:,}"},
            code="too_many_points",
        )  # fmt: skip
    _check_region(polygons)


def _check_ring(ring: list) -> None:
    for position in ring:
        if not (isinstance(position, list) and len(position) >= 2
                and all(_is_number(n) for n in position[:2])):  # fmt: skip
            raise _shape_error()
        longitude, latitude = position[0], position[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise ValidationError(
                _("The position [%(lon)s, %(lat)s] is not a longitude and latitude in degrees: "
                  "the file may be in metres of a projection. Export it again in WGS 84 "
                  "(EPSG:4326).") % {"lon": longitude, "lat": latitude},
                code="out_of_range",
            )  # fmt: skip
    if len(ring) < 4 or ring[0][:2] != ring[-1][:2]:
        raise ValidationError(
            _("A ring of the outline is not closed: it needs at least four positions and must "
              "end where it starts."),
            code="open_ring",
        )  # fmt: skip


def _check_region(polygons: list) -> None:
    west, south, east, north = REGION
    for polygon in polygons:
        for longitude, latitude, *_rest in polygon[0]:
            if not (west <= longitude <= east and south <= latitude <= north):
                raise ValidationError(
                    _("The outline reaches [%(lon)s, %(lat)s], outside the CAMI region "
                      "(longitude %(west)s to %(east)s, latitude %(south)s to %(north)s). Are "
                      "longitude and latitude swapped? GeoJSON puts longitude first.")
                    % {"lon": longitude, "lat": latitude, "west": int(west), "east": int(east),
                       "south": int(south), "north": int(north)},
                    code="outside_region",
                )  # fmt: skip


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def summary(outline: dict | None) -> str:
    """A line for the admin: how many polygons and points the stored outline has."""
    if not outline:
        return _("No outline: the map shows the unit's Range States and its marker.")
    polygons = outline["coordinates"]
    points = sum(len(ring) for polygon in polygons for ring in polygon)
    return _("%(polygons)s polygon(s), %(points)s points.") % {
        "polygons": len(polygons),
        "points": points,
    }
