"""Builds the boundaries of the portal's maps from Natural Earth, as the npm package world-atlas
ships them, into conservation_units/map/shapes.json (generated, never committed).

The package's tarball comes from the npm registry once, is checked against the integrity the
registry publishes for that version (written here, so a changed file is refused), and is kept
beside the output: later runs need no network. Nothing of it is copied into the repository.
"""

import base64
import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_countries import countries

from conservation_units import geometry

PACKAGE = "world-atlas"
VERSION = "2.0.2"
# The registry's `dist.integrity` for world-atlas 2.0.2 (npm view world-atlas@2.0.2 dist.integrity).
INTEGRITY = (
    "sha512-"
    "IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
)
TARBALL_URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
MEMBER = "package/countries-50m.json"  # Natural Earth 1:50m admin-0 countries

FOLDER = Path(settings.BASE_DIR) / "conservation_units" / "map"
OUTPUT = FOLDER / "shapes.json"

# The region: from Turkey to the Daurian steppe, from southern India to southern Siberia.
# Countries reaching into this window are drawn; the map's frame is fitted to the CAMI states
# inside it (Russia and north-eastern China are cut at its edges: the steppes and mountains the
# programme works in stay large on a page).
WINDOW = (24.0, 5.0, 124.0, 57.0)  # west, south, east, north (degrees)
# Only looked at, never drawn in full: countries far outside the window.
NEAR = (5.0, -12.0, 160.0, 80.0)
PROJECTION = geometry.Projection(
    central_meridian=74.0, origin_latitude=32.0, standard_parallels=(25.0, 50.0)
)
# Map units across. The page scales the drawing; whole units are fine enough for a zoomed map
# of a unit's neighbourhood (one unit is about 5 km).
WIDTH = 2000
MARGIN = 12  # map units around the fitted frame
TOLERANCE = 0.7  # map units a simplified border may stray from Natural Earth's
SMALLEST = 12.0  # square map units: smaller islands are left out
CLIP_MARGIN = 8  # clipped edges run just outside the frame, so no border is drawn along it
# Spare label points inside each country, for a zoomed map that shows only part of it.
ANCHOR_STEP = 60
ANCHOR_CLEARANCE = 16


class Command(BaseCommand):
    help = "Build the maps' boundaries (Natural Earth via npm world-atlas) into shapes.json."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=OUTPUT)
        parser.add_argument(
            "--tarball",
            type=Path,
            default=FOLDER / f"{PACKAGE}-{VERSION}.tgz",
            help="Where the package is kept between runs (downloaded when missing).",
        )

    def handle(self, *args, output: Path, tarball: Path, **options):
        data = read_tarball(tarball, self.stdout)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise CommandError(f"{tarball} has no {MEMBER}")
            topology = json.load(member)
        shapes = build_shapes(topology)
        output.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(shapes, ensure_ascii=False, separators=(",", ":"))
        temporary = output.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(output)  # whole or not at all, for a server reading it meanwhile
        self.stdout.write(
            f"Wrote {output} ({len(shapes['countries'])} countries, {len(text) // 1024} KiB)."
        )


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def read_tarball(path: Path, stdout) -> bytes:
    """The package's bytes, from the kept copy or else the registry; either must match INTEGRITY."""
    if path.exists():
        data = path.read_bytes()
        if integrity_of(data) == INTEGRITY:
            return data
        stdout.write(f"{path} does not match {PACKAGE} {VERSION}'s integrity; downloading again.")
    stdout.write(f"Downloading {TARBALL_URL}")
    try:
        with urllib.request.urlopen(TARBALL_URL, timeout=60) as response:  # noqa: S310 (fixed https URL)
            data = response.read()
    except OSError as error:
        raise CommandError(
            f"Could not download {TARBALL_URL} ({error}). The maps need it once; put the file "
            f"at {path} to build without a network."
        ) from error
    if integrity_of(data) != INTEGRITY:
        raise CommandError(
            f"{TARBALL_URL} does not match the integrity the npm registry publishes for "
            f"{PACKAGE} {VERSION}; nothing was written."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def _iso3(feature: dict) -> str:
    """ISO 3166-1 alpha-3 from Natural Earth's numeric code; '' for areas without one
    (Siachen Glacier, Kosovo, Somaliland...)."""
    code = feature.get("id")
    alpha2 = countries.alpha2(code) if code else ""
    return countries.alpha3(alpha2) if alpha2 else ""


def _overlaps(box: tuple, rings: list) -> bool:
    west, south, east, north = box
    left, bottom, right, top = geometry.bounds(rings)
    return left <= east and right >= west and bottom <= north and top >= south


def _in_window(ring: list) -> list:
    """The ring cut to the window in degrees: what frames the map."""
    west, south, east, north = WINDOW
    return geometry.clip_ring(ring, (west, south, east, north))


def build_shapes(topology: dict) -> dict:
    """Every country reaching into the window, projected, simplified, clipped to the frame and
    rounded to whole map units, with a point for its label."""
    arcs = geometry.decode_arcs(topology)
    features = []
    for feature in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.polygons_of(feature, arcs)
        rings = [ring for polygon in polygons for ring in polygon]
        if rings and _overlaps(NEAR, rings) and _overlaps(WINDOW, rings):
            features.append((feature, polygons))

    # The frame: the projected extent of the programme's states inside the window.
    programme = json.loads(Path(settings.WORK_PROGRAMME_FIXTURE).read_text(encoding="utf-8"))
    focus = {state["iso3"] for state in programme["range_states"]}
    inside = [
        PROJECTION.sphere(*point)
        for feature, polygons in features
        if _iso3(feature) in focus
        for polygon in polygons
        for point in _in_window(polygon[0])
    ]
    left, top, right, bottom = geometry.bounds([inside])  # y up: "top" is the smallest y here
    scale = (WIDTH - 2 * MARGIN) / (right - left)
    projection = PROJECTION.framed(scale, left - MARGIN / scale, bottom + MARGIN / scale)
    height = round((bottom - top) * scale + 2 * MARGIN)

    # Arcs are projected and simplified once each, so neighbours' shared borders still meet.
    used = {i if i >= 0 else ~i for feature, _ in features for i in _arc_indexes(feature)}
    drawn = {
        i: geometry.simplify([projection(*point) for point in arcs[i]], TOLERANCE) for i in used
    }
    frame = (-CLIP_MARGIN, -CLIP_MARGIN, WIDTH + CLIP_MARGIN, height + CLIP_MARGIN)
    shapes = []
    for feature, _ in features:
        polygons = geometry.polygons_of(feature, _ArcView(drawn))
        kept = []
        for polygon in polygons:
            rings = [geometry.clip_ring(ring, frame) for ring in polygon]
            rings = [ring for ring in rings if len(ring) >= 3]
            if rings and geometry.area(rings[0]) >= SMALLEST:
                kept.append(rings)
        if not kept:
            continue
        largest = max(kept, key=lambda rings: geometry.area(rings[0]))
        label = geometry.label_point(largest)
        rings = [geometry.rounded(ring) for polygon in kept for ring in polygon]
        rings = [ring for ring in rings if ring]
        shapes.append({
            "iso3": _iso3(feature),
            "name": feature.get("properties", {}).get("name", ""),
            "d": geometry.path_data(rings),
            "label": [round(label[0]), round(label[1])],
            "room": [round(x) for x in geometry.room(label, largest)],
            "box": [round(x) for x in geometry.bounds(rings)],
            "anchors": [[round(x) for x in anchor]
                        for anchor in geometry.anchors(kept, ANCHOR_STEP, ANCHOR_CLEARANCE)],
        })  # fmt: skip
    shapes.sort(key=lambda shape: (shape["iso3"] or "~", shape["name"]))
    return {
        "source": {
            "package": f"{PACKAGE}@{VERSION}",
            "integrity": INTEGRITY,
            "file": MEMBER.removeprefix("package/"),
            "data": "Natural Earth 1:50m Admin 0 countries (public domain)",
        },
        "projection": projection.as_dict(),
        "width": WIDTH,
        "height": height,
        "countries": shapes,
    }


def _arc_indexes(feature: dict):
    rings = feature["arcs"] if feature["type"] == "Polygon" else [
        ring for polygon in feature["arcs"] for ring in polygon
    ]  # fmt: skip
    for ring in rings:
        yield from ring


class _ArcView:
    """The drawn arcs by index, as `geometry.ring_of` reads a list of arcs."""

    def __init__(self, arcs: dict):
        self.arcs = arcs

    def __getitem__(self, index: int):
        return self.arcs[index]
