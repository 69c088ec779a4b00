"""Where the names go on a map: the states' names inside them where they fit (else beside them,
or left out), the units' names beside their markers, none over another or over a marker.

Positions are in map units; a text's width is estimated from its length, which is close enough
for the portal's sans-serif and errs on the wide side.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from conservation_units.choices import RangeStateRole

if TYPE_CHECKING:
    from conservation_units.maps import Shape, Shapes

PARTICIPANT = RangeStateRole.PARTICIPANT.value
CHARACTER = 0.6  # average width of a character of the portal's sans-serif (semi-bold), in ems
UNIT_CHARACTER = 0.64  # in bold
# Where the states too small for a label inside them are named: a place beside them (longitude,
# latitude, text anchor), with a thin line to the state.
LABEL_PLACES = {
    "GEO": (40.4, 43.9, "end"),
    "ARM": (42.3, 39.4, "end"),
    "AZE": (42.3, 37.9, "end"),
    "BTN": (92.0, 26.0, "start"),
}


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    css: str = ""
    leader: tuple | None = None  # a line from the label to its state: (x1, y1, x2, y2)
    box: tuple = ()  # the space it takes: left, top, right, bottom


def fmt(value: float) -> str:
    """A coordinate as SVG text: one decimal at most, never a locale's comma."""
    return f"{value:.1f}".removesuffix(".0")


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHARACTER


def within(x: float, y: float, view: tuple) -> bool:
    return view[0] <= x <= view[2] and view[1] <= y <= view[3]


def state_labels(shapes: "Shapes", states: list, view: tuple, size: float, taken: list, *,
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
        if not within(x, y, view):  # a zoomed map: name the part in view, if it is large enough
            x, y, room = _anchor(shape, view, text_width(state.name, size))
        css = (
            "map-label-participant"
            if state.role == PARTICIPANT
            else ("map-label-on-dark" if state.highlighted else "")
        )
        place = LABEL_PLACES.get(state.iso3)
        if narrow:
            text = next((t for t, fits in ((state.name, room), (state.iso3, room * 1.3))
                         if text_width(t, size) <= fits), None)  # fmt: skip
            if text:
                label = _fitted(Label(x, y, text, css=css), size, view, taken)
                if label:
                    labels.append(label)
                    taken.append(label.box)
            continue
        if place and text_width(state.name, size) > room * 0.9:
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


def _anchor(shape: "Shape", view: tuple, width: float) -> tuple[float, float, float]:
    """Of the spare label points in view, the one nearest the middle of the state's part in view
    among those with room for the name (else with the most room)."""
    shown = [a for a in shape.anchors if within(a[0], a[1], view)]
    if not shown:
        return -1.0, -1.0, 0.0
    middle_x = (max(view[0], shape.box[0]) + min(view[2], shape.box[2])) / 2
    middle_y = (max(view[1], shape.box[1]) + min(view[3], shape.box[3])) / 2
    roomy = [a for a in shown if a[3] - a[2] >= width] or [max(shown, key=lambda a: a[3] - a[2])]
    x, y, left, right = min(roomy, key=lambda a: (a[0] - middle_x) ** 2 + (a[1] - middle_y) ** 2)
    return x, y, (right - left) * 1.08


def _box(label: Label, size: float, character: float = CHARACTER) -> tuple:
    """The label's extent with a little room around it (its halo)."""
    width = len(label.text) * size * character
    left = {"start": label.x, "end": label.x - width, "middle": label.x - width / 2}[label.anchor]
    halo = size * 0.15
    return (left - halo, label.y - size * 0.6, left + width + halo, label.y + size * 0.55)


def _inside(box: tuple, view: tuple) -> bool:
    return box[0] >= view[0] and box[2] <= view[2] and box[1] >= view[1] and box[3] <= view[3]


def _room(shapes: "Shapes", iso3: str) -> float:
    shape = shapes.countries.get(iso3)
    return shape.room[1] - shape.room[0] if shape else 0.0


def _fitted(label: Label, size: float, view: tuple, taken: list) -> Label | None:
    if not within(label.x, label.y, view):
        return None  # the state's middle is off this view: its name would point elsewhere
    shift = text_width(label.text, size) / 4
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
    width = text_width(text, size)
    start = {"start": px, "end": px - width, "middle": px - width / 2}[anchor]
    lx = min(max(x, start), start + width)
    ly = py - size * 0.45 if y < py - size * 0.45 else (py + size * 0.3 if y > py else py)
    if abs(ly - y) < size and abs(lx - x) < size:
        return None
    return tuple(fmt(v) for v in (lx + (size * 0.3 if lx == start + width else -size * 0.3
                                         if lx == start else 0), ly, x, y))  # fmt: skip


def place_unit_labels(marks: list, view: tuple, size: float, radius: float, markers: list,
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
