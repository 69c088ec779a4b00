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

logger = logging.getLogger(__name__)

SHAPES = Path(settings.BASE_DIR) / "conservation_units" / "map" / "shapes.json"
TEMPLATE = "conservation_units/_map.html"
RANGE_STATE, PARTICIPANT = RangeStateRole.RANGE_STATE.value, RangeStateRole.PARTICIPANT.value

# Sizes for a view 1000 units across: labels of about 12 px where the map is 760 px wide beside
# its list, and, for the larger labels shown on a phone's 360 px, about 11 px.
WIDE_LABEL = 16
NARROW_LABEL = 31
CHARACTER = 0.6  # average width of a character of the portal's sans-serif (semi-bold), in ems
UNIT_CHARACTER = 0.64  # in bold
UNIT_LABEL = 15
COMPACT = 1.4  # the narrower map of a detail page (38rem beside its list, not 52rem)
NUMBER_LABEL = 11
MARKER_RADIUS = 5.5
NUMBERED_RADIUS = 8.5
# Where the states too small for a label inside them are named: a place beside them (longitude,
# latitude, text anchor), with a thin line to the state.
LABEL_PLACES = {
    "GEO": (40.4, 43.9, "end"),
    "ARM": (42.3, 39.4, "end"),
    "AZE": (42.3, 37.9, "end"),
    "BTN": (92.0, 26.0, "start"),
}
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
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    css: str = ""
    leader: tuple | None = None  # a line from the label to its state: (x1, y1, x2, y2)
    box: tuple = ()  # the space it takes: left, top, right, bottom


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


def _fmt(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHARACTER


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
    # A map beside a page's facts (one with highlighted states) is drawn narrower: larger type.
    wide_scale = scale * (COMPACT if highlight else 1.0)
    frame = (view[0] - 5 * scale, view[1] - 5 * scale, view[2] + 5 * scale, view[3] + 5 * scale)
    for mark, unit in zip(marks, unit_list, strict=True):
        if unit.outline:
            mark.outline = outline_path(
                json.dumps(unit.outline, sort_keys=True), shapes.projection, frame
            )
    radius = (NUMBERED_RADIUS if numbered else MARKER_RADIUS) * wide_scale
    shown = [mark for mark in marks if _within(mark.x, mark.y, view)]
    for mark in marks:
        mark.radius = _fmt(radius)
    markers = [(m.x - radius, m.y - radius, m.x + radius, m.y + radius) for m in shown]
    wide = _state_labels(shapes, map_states, view, WIDE_LABEL * wide_scale, markers, narrow=False)
    if not numbered:
        _place_unit_labels(shown, view, UNIT_LABEL * wide_scale, radius, markers,
                           [label.box for label in wide])  # fmt: skip
    drawn = frozenset(s.iso3 for s in map_states)
    context.update(
        view=" ".join(_fmt(v) for v in (view[0], view[1], view[2] - view[0], view[3] - view[1])),
        sea=(_fmt(view[0]), _fmt(view[1])),
        background=_background(shapes, drawn),
        units=marks,
        wide_labels=wide,
        narrow_labels=_state_labels(shapes, map_states, view, NARROW_LABEL * scale, markers,
                                    narrow=True),
        wide_size=_fmt(WIDE_LABEL * wide_scale),
        narrow_size=_fmt(NARROW_LABEL * scale),
        unit_size=_fmt((NUMBER_LABEL if numbered else UNIT_LABEL) * wide_scale),
        stroke=_fmt(0.8 * scale),
        hatch=_fmt(7 * scale),
        has_outlines=any(m.outline for m in marks),
        has_markers=any(not m.outline for m in marks),
        approximate=any(m.approximate and not m.outline for m in marks),
    )  # fmt: skip
    return context


def _within(x: float, y: float, view: tuple) -> bool:
    return view[0] <= x <= view[2] and view[1] <= y <= view[3]


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


def _state_labels(shapes: Shapes, states: list, view: tuple, size: float, taken: list, *,
                  narrow: bool) -> list[Label]:  # fmt: skip
    """Names inside the states where they fit (on a phone, the code where the name does not);
    the smallest states named beside them on wide screens. A label moves up or down off a
    marker, and along its row to stay inside the view; one that cannot is left out."""
    labels = []
    taken = list(taken)
    # The tightest first: a large state's label has room to move aside.
    for state in sorted(states, key=lambda s: _room(shapes, s.iso3)):
        shape = shapes.countries.get(state.iso3)
        if shape is None:
            continue
        x, y, room = *shape.label, (shape.room[1] - shape.room[0]) * 1.08
        if not _within(x, y, view):  # a zoomed map: name the part in view, if it is large enough
            x, y, room = _anchor(shape, view, _text_width(state.name, size))
        css = (
            "map-label-participant"
            if state.role == PARTICIPANT
            else ("map-label-on-dark" if state.highlighted else "")
        )
        place = LABEL_PLACES.get(state.iso3)
        if narrow:
            text = next((t for t, fits in ((state.name, room), (state.iso3, room * 1.3))
                         if _text_width(t, size) <= fits), None)  # fmt: skip
            if text:
                label = _fitted(Label(x, y, text, css=css), size, view, taken)
                if label:
                    labels.append(label)
                    taken.append(label.box)
            continue
        if place and _text_width(state.name, size) > room * 0.9:
            px, py = shapes.projection(place[0], place[1])
            label = Label(px, py, state.name, place[2], css.replace("map-label-on-dark", ""),
                          leader=_leader(px, py, place[2], x, y, state.name, size))  # fmt: skip
            label.box = _box(label, size)
            if _inside(label.box, view):
                labels.append(label)
                taken.append(label.box)
            continue
        label = _fitted(Label(x, y, state.name, css=css), size, view, taken)
        if label:
            labels.append(label)
            taken.append(label.box)
    for label in labels:
        label.y += size * 0.35  # from the middle of the letters to their baseline
    return labels


def _anchor(shape: Shape, view: tuple, width: float) -> tuple[float, float, float]:
    """Of the spare label points in view, the one nearest the middle of the state's part in view
    among those with room for the name (else with the most room)."""
    shown = [a for a in shape.anchors if _within(a[0], a[1], view)]
    if not shown:
        return -1.0, -1.0, 0.0
    middle_x = (max(view[0], shape.box[0]) + min(view[2], shape.box[2])) / 2
    middle_y = (max(view[1], shape.box[1]) + min(view[3], shape.box[3])) / 2
    roomy = [a for a in shown if a[3] - a[2] >= width] or [max(shown, key=lambda a: a[3] - a[2])]
    x, y, left, right = min(roomy, key=lambda a: (a[0] - middle_x) ** 2 + (a[1] - middle_y) ** 2)
    return x, y, (right - left) * 1.08


def _box(label: Label, size: float, character: float = CHARACTER) -> tuple:
    width = len(label.text) * size * character
    left = {"start": label.x, "end": label.x - width, "middle": label.x - width / 2}[label.anchor]
    return (left, label.y - size * 0.55, left + width, label.y + size * 0.5)


def _inside(box: tuple, view: tuple) -> bool:
    return box[0] >= view[0] and box[2] <= view[2] and box[1] >= view[1] and box[3] <= view[3]


def _room(shapes: Shapes, iso3: str) -> float:
    shape = shapes.countries.get(iso3)
    return shape.room[1] - shape.room[0] if shape else 0.0


def _fitted(label: Label, size: float, view: tuple, taken: list) -> Label | None:
    if not _within(label.x, label.y, view):
        return None  # the state's middle is off this view: its name would point elsewhere
    shift = _text_width(label.text, size) / 4
    for dx, dy in ((0, 0), (0, -size), (0, size), (-shift, 0), (shift, 0), (-shift, -size),
                   (shift, -size), (-shift, size), (shift, size), (0, -1.8 * size),
                   (0, 1.8 * size)):  # fmt: skip
        moved = Label(label.x + dx, label.y + dy, label.text, label.anchor, label.css)
        box = _box(moved, size)
        if box[0] < view[0]:
            moved.x += view[0] - box[0] + size * 0.2
        elif box[2] > view[2]:
            moved.x -= box[2] - view[2] + size * 0.2
        moved.box = _box(moved, size)
        if _inside(moved.box, view) and not any(_overlap(moved.box, t) for t in taken):
            return moved
    return None


def _leader(px, py, anchor, x, y, text, size) -> tuple | None:
    """A line from the side of the label nearest its state to the state's label point."""
    width = _text_width(text, size)
    start = {"start": px, "end": px - width, "middle": px - width / 2}[anchor]
    lx = min(max(x, start), start + width)
    ly = py - size * 0.45 if y < py - size * 0.45 else (py + size * 0.3 if y > py else py)
    if abs(ly - y) < size and abs(lx - x) < size:
        return None
    return tuple(_fmt(v) for v in (lx + (size * 0.3 if lx == start + width else -size * 0.3
                                         if lx == start else 0), ly, x, y))  # fmt: skip


def _place_unit_labels(marks: list, view: tuple, size: float, radius: float, markers: list,
                       names: list) -> None:  # fmt: skip
    """Each marker's name beside it (right, left, above, below, then the corners): the first
    place that covers nothing, else the one that covers least, a marker or another unit's name
    counting more than a state's name."""
    taken = [(box, 10.0) for box in markers] + [(box, 3.0) for box in names]
    for mark in marks:
        gap = radius + size * 0.2
        rise = size * 0.55 + gap
        candidates = [
            Label(mark.x + gap, mark.y, mark.name, "start"),
            Label(mark.x - gap, mark.y, mark.name, "end"),
            Label(mark.x, mark.y - rise, mark.name),
            Label(mark.x, mark.y + rise, mark.name),
            Label(mark.x + gap, mark.y - rise, mark.name, "start"),
            Label(mark.x + gap, mark.y + rise, mark.name, "start"),
            Label(mark.x - gap, mark.y - rise, mark.name, "end"),
            Label(mark.x - gap, mark.y + rise, mark.name, "end"),
        ]
        for label in candidates:
            label.box = _box(label, size, UNIT_CHARACTER)
        inside = [label for label in candidates if _inside(label.box, view)] or candidates
        mark.label = min(inside, key=lambda label: sum(
            weight * _shared(label.box, box) for box, weight in taken
        ))  # fmt: skip
        taken.append((mark.label.box, 10.0))
        mark.label.y += size * 0.35


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _shared(a: tuple, b: tuple) -> float:
    """The area two boxes share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
