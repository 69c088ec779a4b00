"""The portal's maps: the CAMI states as inline SVG drawn on the server.

No tiles, no script, nothing fetched: the boundaries come from conservation_units/map/shapes.json
(made by `manage.py build_map` from Natural Earth), the states' roles and the units' markers from
the database. Each Range State is a link to its page with an accessible name; participating
states are hatched (a pattern, not a colour alone) and have no page; other countries are plain
grey. Colours and patterns are classes of the page's stylesheet or SVG presentation attributes,
never inline styles, as the Content-Security-Policy requires. Without the built file a map is
left out and its text alternative (the list of states) is shown alone.
"""

import functools
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from cami.content import translated_field
from conservation_units import geometry
from conservation_units.choices import RangeStateRole
from conservation_units.map_labels import Label, fmt, place_unit_labels, state_labels, within

logger = logging.getLogger(__name__)

SHAPES = Path(settings.BASE_DIR) / "conservation_units" / "map" / "shapes.json"
TEMPLATE = "conservation_units/_map.html"
RANGE_STATE, PARTICIPANT = RangeStateRole.RANGE_STATE.value, RangeStateRole.PARTICIPANT.value

# Sizes for a view 1000 units across: labels of about 12 px where the map is 760 px wide beside
# its list, and, for the larger labels shown on a phone's 360 px, about 11 px.
WIDE_LABEL = 16
NARROW_LABEL = 31
UNIT_LABEL = 15
COMPACT = 1.4  # the narrower map of a detail page (38rem beside its list, not 52rem)
COMPACT_WHOLE = 1.15  # the same, showing the whole region: Central Asia's names are crowded
NUMBER_LABEL = 11
MARKER_RADIUS = 5.5
NUMBERED_RADIUS = 8.5
# Where a map about one place centres on it, the least of the whole map it shows (a share of its
# width), so that the neighbourhood stays in view.
NEAREST_ZOOM = 0.38


@dataclass(frozen=True)
class Shape:
    """One country as built: its path, where its label goes and the room beside that point."""

    iso3: str
    d: str
    label: tuple[float, float]
    room: tuple[float, float]  # the polygon's extent left and right of the label point
    box: tuple[float, float, float, float]  # left, top, right, bottom
    anchors: tuple = ()  # other points well inside it: (x, y, room left, room right)


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process
class Shapes:
    width: int
    height: int
    projection: geometry.Projection
    countries: dict[str, Shape]
    unnamed: str  # areas without an ISO code (Siachen Glacier...), drawn as other countries
    source: dict


_loaded: dict[str, Shapes] = {}


def load(path: Path | None = None) -> Shapes | None:
    """The built shapes, read once per process; None (and a warning) while they are not built."""
    path = path or SHAPES
    key = str(path)
    if key not in _loaded:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            logger.warning("%s is missing: run `manage.py build_map`; maps are left out", path)
            return None
        countries_ = {}
        unnamed = []
        for item in data["countries"]:
            if not item["iso3"]:
                unnamed.append(item["d"])
                continue
            countries_[item["iso3"]] = Shape(
                item["iso3"], item["d"], tuple(item["label"]), tuple(item["room"]),
                tuple(item["box"]), tuple(tuple(anchor) for anchor in item.get("anchors", ())),
            )  # fmt: skip
        _loaded[key] = Shapes(
            width=data["width"], height=data["height"],
            projection=geometry.Projection.from_dict(data["projection"]),
            countries=countries_, unnamed="".join(unnamed), source=data["source"],
        )  # fmt: skip
    return _loaded[key]


@functools.cache
def code_digest() -> str:
    """What a map's markup is made by besides its data: this code, its template and the built
    shapes, so that markup kept in a shared cache is never served by another release."""
    from django.template.loader import get_template

    parts = [Path(__file__).read_bytes(), Path(geometry.__file__).read_bytes(),
             get_template(TEMPLATE).template.source.encode(),
             SHAPES.read_bytes() if SHAPES.exists() else b""]  # fmt: skip
    return hashlib.sha256(b"\x1f".join(parts)).hexdigest()


@functools.lru_cache(maxsize=8)
def _background(shapes: Shapes, drawn: frozenset) -> str:
    """Every country not drawn on its own, as one path: grey, unnamed, no link."""
    others = [shape.d for iso3, shape in shapes.countries.items() if iso3 not in drawn]
    return "".join(others) + shapes.unnamed


@functools.lru_cache(maxsize=256)
def outline_path(outline_json: str, projection: geometry.Projection, frame: tuple) -> str:
    """An uploaded outline in map units (one decimal: a unit's outline is small on the map)."""
    rings = []
    for polygon in json.loads(outline_json)["coordinates"]:
        for ring in polygon:
            points = geometry.simplify([projection(p[0], p[1]) for p in ring], 0.15)
            points = geometry.clip_ring(points, frame)
            if len(points) >= 3:
                rings.append(points)
    parts = []
    for ring in rings:
        steps = " ".join(f"{x:.1f} {y:.1f}" for x, y in ring[1:])
        parts.append(f"M{ring[0][0]:.1f} {ring[0][1]:.1f}L{steps}z")
    return "".join(parts)


def touches(outline: dict, iso3s: list[str], samples: int = 200) -> bool:
    """Whether the outline has a point inside one of these states (on the built map; True when
    the map is not built, since nothing can be checked)."""
    shapes = load()
    if shapes is None:
        return True
    states = [geometry.path_rings(shapes.countries[code].d) for code in iso3s
              if code in shapes.countries]  # fmt: skip
    points = [position for polygon in outline["coordinates"] for position in polygon[0]]
    for position in points[:: max(1, len(points) // samples)]:
        point = shapes.projection(position[0], position[1])
        if any(geometry.inside(point, rings) for rings in states):
            return True
    return False


# --- What a map shows --------------------------------------------------------------------------


@dataclass
class MapState:
    """A CAMI state on a map."""

    iso3: str
    name: str
    role: str
    d: str
    url: str = ""
    highlighted: bool = False
    category: str = ""
    category_label: str = ""
    pattern: str = ""

    @property
    def css(self) -> str:
        kind = "map-range-state" if self.role == RANGE_STATE else "map-participant"
        classes = ["map-state", kind]
        if self.highlighted:
            classes.append("map-highlight")
        if self.category:
            classes.append(f"map-cat-{self.category}")
        return " ".join(classes)

    @property
    def accessible_name(self) -> str:
        words = [self.name]
        if self.highlighted:
            words.append(_("highlighted"))
        if self.category_label:
            words.append(str(self.category_label))
        if self.role == PARTICIPANT:
            words.append(_("participating state"))
        return ", ".join(words)


@dataclass
class UnitMark:
    """A Conservation Unit on a map: its outline if uploaded, else a marker at its point."""

    name: str
    url: str
    x: float
    y: float
    number: int | None = None
    outline: str = ""
    label: Label | None = None
    approximate: bool = False


@dataclass
class Category:
    key: str
    label: str
    pattern: str = ""  # "lines" or "dots" over the colour, so no category is told by colour alone
    states: list = field(default_factory=list)


def state_name(state) -> str:
    return countries.name(state.country.code) or state.iso3


def build(
    states,
    *,
    highlight=(),
    categories: dict | None = None,
    category_labels: dict | None = None,
    category_patterns: dict | None = None,
    units=(),
    numbered: bool = False,
    focus: str = "",
    title: str = "",
    caption: str = "",
    map_id: str = "map",
) -> dict:
    """The template context of one map (`conservation_units/_map.html`).

    `states`: the programme's RangeState rows (Range States and participants). `highlight`: ISO3
    codes drawn stronger. `categories`: ISO3 -> a key of `category_labels` ({key: words}, in the
    legend's order), each a class of its own. `units`: Conservation Units to mark (numbered, or
    labelled with their names). `focus`: "units" or "highlight" centres the map on those.
    """
    shapes = load()
    highlight = set(highlight)
    categories = categories or {}
    category_labels = category_labels or {}
    map_states = []
    for state in sorted(states, key=lambda s: (s.role != RANGE_STATE, state_name(s))):
        map_states.append(MapState(
            iso3=state.iso3, name=state_name(state), role=state.role,
            d=shapes.countries[state.iso3].d if shapes and state.iso3 in shapes.countries else "",
            url=reverse("range-state-detail", kwargs={"iso3": state.iso3})
            if state.role == RANGE_STATE else "",
            highlighted=state.iso3 in highlight, category=categories.get(state.iso3, ""),
            category_label=category_labels.get(categories.get(state.iso3, ""), ""),
        ))  # fmt: skip
    patterns = category_patterns or {}
    legend_categories = [
        Category(key, str(words), patterns.get(key, ""),
                 [s for s in map_states if s.category == key])
        for key, words in category_labels.items()
    ]  # fmt: skip
    for state in map_states:
        state.pattern = patterns.get(state.category, "")
    context = {
        "map_id": map_id,
        "title": title or _("Map of the CAMI Range States"),
        "caption": caption,
        "range_states": [s for s in map_states if s.role == RANGE_STATE],
        "participants": [s for s in map_states if s.role == PARTICIPANT],
        "highlighted": [s for s in map_states if s.highlighted],
        "categories": legend_categories,
        "units": [],
        "numbered": numbered,
        "shapes": shapes,
    }
    unit_list = list(units)
    if shapes is None:
        context["units"] = [UnitMark(translated_field(u, "name"), _unit_url(u), 0, 0,
                                     number=u.position if numbered else None)
                            for u in unit_list]  # fmt: skip
        return context

    marks = [_unit_mark(unit, shapes, numbered) for unit in unit_list]
    view = _view(shapes, map_states, marks, focus)
    # Sizes below are given for a view 1000 units across, and scale with the view: a zoomed map
    # shows its labels and markers at the same size on the page as the whole map does.
    scale = (view[2] - view[0]) / 1000
    # A map beside a page's facts (highlighting or colouring states) is narrower: larger type.
    whole = view[2] - view[0] >= shapes.width
    wide_scale = scale * ((COMPACT_WHOLE if whole else COMPACT) if highlight or categories else 1)
    frame = (view[0] - 5 * scale, view[1] - 5 * scale, view[2] + 5 * scale, view[3] + 5 * scale)
    for mark, unit in zip(marks, unit_list, strict=True):
        if unit.outline:
            mark.outline = outline_path(
                json.dumps(unit.outline, sort_keys=True), shapes.projection, frame
            )
    radius = (NUMBERED_RADIUS if numbered else MARKER_RADIUS) * wide_scale
    shown = [mark for mark in marks if within(mark.x, mark.y, view)]
    for mark in marks:
        mark.radius = fmt(radius)
    markers = [(m.x - radius, m.y - radius, m.x + radius, m.y + radius) for m in shown]
    wide = state_labels(shapes, map_states, view, WIDE_LABEL * wide_scale, markers, narrow=False)
    if not numbered:
        place_unit_labels(shown, view, UNIT_LABEL * wide_scale, radius, markers,
                           [label.box for label in wide])  # fmt: skip
    drawn = frozenset(s.iso3 for s in map_states)
    context.update(
        view=" ".join(fmt(v) for v in (view[0], view[1], view[2] - view[0], view[3] - view[1])),
        sea=(fmt(view[0]), fmt(view[1])),
        background=_background(shapes, drawn),
        units=marks,
        wide_labels=wide,
        narrow_labels=state_labels(shapes, map_states, view, NARROW_LABEL * scale, markers,
                                    narrow=True),
        wide_size=fmt(WIDE_LABEL * wide_scale),
        narrow_size=fmt(NARROW_LABEL * scale),
        unit_size=fmt((NUMBER_LABEL if numbered else UNIT_LABEL) * wide_scale),
        stroke=fmt(0.8 * scale),
        hatch=fmt(7 * scale),
        has_outlines=any(m.outline for m in marks),
        has_markers=any(not m.outline for m in marks),
        approximate=any(m.approximate and not m.outline for m in marks),
    )  # fmt: skip
    return context


def _unit_url(unit) -> str:
    return reverse("unit-detail", kwargs={"slug": unit.slug})


def _unit_mark(unit, shapes: Shapes, numbered: bool) -> UnitMark:
    if unit.has_marker:
        x, y = shapes.projection(unit.marker_longitude, unit.marker_latitude)
    elif unit.outline:  # the middle of the outline's extent
        rings = [polygon[0] for polygon in unit.outline["coordinates"]]
        west, south, east, north = geometry.bounds(rings)
        x, y = shapes.projection((west + east) / 2, (south + north) / 2)
    else:
        x = y = -1000.0  # no point yet: listed beside the map only
    return UnitMark(
        name=translated_field(unit, "name"), url=_unit_url(unit), x=x, y=y,
        number=unit.position if numbered else None,
        approximate=bool(unit.marker_note), outline="",
    )  # fmt: skip


def _view(shapes: Shapes, states: list, marks: list, focus: str) -> tuple:
    """The part of the map shown: all of it, or the focus with its neighbourhood, in the full
    map's proportions."""
    full = (0.0, 0.0, float(shapes.width), float(shapes.height))
    boxes = []
    if focus == "units":
        boxes = [(m.x, m.y, m.x, m.y) for m in marks if m.x > -1000]
    elif focus == "highlight":
        boxes = [shapes.countries[s.iso3].box for s in states
                 if s.highlighted and s.iso3 in shapes.countries]  # fmt: skip
        boxes += [(m.x, m.y, m.x, m.y) for m in marks if m.x > -1000]
    if not boxes:
        return full
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    ratio = shapes.height / shapes.width
    width = max((right - left) * 1.3, (bottom - top) * 1.3 / ratio, NEAREST_ZOOM * shapes.width)
    width = min(width, shapes.width)
    height = width * ratio
    cx, cy = (left + right) / 2, (top + bottom) / 2
    x0 = min(max(cx - width / 2, 0.0), shapes.width - width)
    y0 = min(max(cy - height / 2, 0.0), shapes.height - height)
    return (x0, y0, x0 + width, y0 + height)
