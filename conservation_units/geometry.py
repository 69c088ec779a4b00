"""The arithmetic of the server-drawn maps: TopoJSON decoded, projected, simplified and clipped.

Plain functions on lists of points, so that `build_map` (which turns Natural Earth's boundaries,
as the npm package world-atlas ships them, into conservation_units/map/shapes.json) and the pages
(which place Conservation Units' markers and uploaded outlines on that map) share one projection.
"""

import math
from dataclasses import asdict, dataclass

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # the outer ring, then any holes


# --- TopoJSON (https://github.com/topojson/topojson-specification) -----------------------------


def decode_arcs(topology: dict) -> list[Ring]:
    """Every arc as absolute positions: a quantised topology stores each arc's first position
    and then the differences, in integer steps of `transform`."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for position in arc:
                x += position[0]
                y += position[1]
                points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        else:
            points = [(position[0], position[1]) for position in arc]
        arcs.append(points)
    return arcs


def ring_of(arc_indexes: list[int], arcs: list[Ring]) -> Ring:
    """A closed ring from its arcs; a negative index (~i) is arc i walked backwards, and each
    arc after the first starts where the last one ended, so that shared point is kept once."""
    ring: Ring = []
    for index in arc_indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def polygons_of(geometry: dict, arcs: list[Ring]) -> list[Polygon]:
    """A TopoJSON Polygon or MultiPolygon as polygons of rings; other types have no area."""
    if geometry.get("type") == "Polygon":
        return [[ring_of(ring, arcs) for ring in geometry["arcs"]]]
    if geometry.get("type") == "MultiPolygon":
        return [[ring_of(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    return []


# --- Projection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Albers equal-area conic on the sphere, then scaled to the map's units (y down).

    Equal-area, so that the steppes of Kazakhstan and Mongolia are not inflated against the
    mountains of the south, as they would be on a Mercator map.
    """

    central_meridian: float
    origin_latitude: float
    standard_parallels: tuple[float, float]
    scale: float = 1.0  # map units per sphere radius
    left: float = 0.0  # projected x at the map's left edge
    top: float = 0.0  # projected y at the map's top edge

    def __post_init__(self):
        phi1, phi2 = (math.radians(p) for p in self.standard_parallels)
        n = (math.sin(phi1) + math.sin(phi2)) / 2
        c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
        object.__setattr__(self, "_n", n)
        object.__setattr__(self, "_c", c)
        rho0 = math.sqrt(c - 2 * n * math.sin(math.radians(self.origin_latitude))) / n
        object.__setattr__(self, "_rho0", rho0)

    def sphere(self, longitude: float, latitude: float) -> Point:
        """Projected position on the unit sphere, y up."""
        delta = (longitude - self.central_meridian + 180) % 360 - 180
        theta = self._n * math.radians(delta)
        rho = math.sqrt(max(0.0, self._c - 2 * self._n * math.sin(math.radians(latitude))))
        rho /= self._n
        return rho * math.sin(theta), self._rho0 - rho * math.cos(theta)

    def __call__(self, longitude: float, latitude: float) -> Point:
        """Position in map units, y down, as SVG draws."""
        x, y = self.sphere(longitude, latitude)
        return (x - self.left) * self.scale, (self.top - y) * self.scale

    def framed(self, scale: float, left: float, top: float) -> "Projection":
        return Projection(self.central_meridian, self.origin_latitude,
                          self.standard_parallels, scale, left, top)  # fmt: skip

    def as_dict(self) -> dict:
        return {**asdict(self), "standard_parallels": list(self.standard_parallels)}

    @classmethod
    def from_dict(cls, data: dict) -> "Projection":
        return cls(**{**data, "standard_parallels": tuple(data["standard_parallels"])})


# --- Simplifying and clipping ------------------------------------------------------------------


def _segment_distance(point: Point, start: Point, end: Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify(line: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: drops the points closer than `tolerance` to the line kept. The ends stay,
    so arcs shared by two countries, simplified once, still meet."""
    if len(line) < 3:
        return list(line)
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = 0, -1.0
        for index in range(first + 1, last):
            d = _segment_distance(line[index], line[first], line[last])
            if d > distance:
                farthest, distance = index, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(line, keep, strict=True) if kept]


def clip_ring(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman against the box (left, top, right, bottom): what lies outside is
    replaced by a walk along the box's edge."""
    left, top, right, bottom = box
    edges = [
        (lambda p: p[0] >= left, lambda a, b: _cross_x(a, b, left)),
        (lambda p: p[0] <= right, lambda a, b: _cross_x(a, b, right)),
        (lambda p: p[1] >= top, lambda a, b: _cross_y(a, b, top)),
        (lambda p: p[1] <= bottom, lambda a, b: _cross_y(a, b, bottom)),
    ]
    points = list(ring)
    for inside, crossing in edges:
        if not points:
            break
        clipped = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(crossing(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(crossing(previous, point))
            previous = point
        points = clipped
    return points


def _cross_x(a: Point, b: Point, x: float) -> Point:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _cross_y(a: Point, b: Point, y: float) -> Point:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def area(ring: Ring) -> float:
    """Unsigned area (shoelace formula)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def bounds(rings: list[Ring]) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def rounded(ring: Ring) -> list[tuple[int, int]]:
    """Whole map units, without the repeats rounding makes; a ring that collapses is empty."""
    points: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x), round(y))
        if not points or points[-1] != point:
            points.append(point)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points if len(points) >= 3 else []


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """SVG path data, each ring an absolute move then relative steps: the shortest text."""
    parts = []
    for ring in rings:
        (x, y), steps = ring[0], []
        for nx, ny in ring[1:]:
            steps.append(f"{nx - x} {ny - y}")
            x, y = nx, ny
        parts.append(f"M{ring[0][0]} {ring[0][1]}l{' '.join(steps)}z")
    return "".join(parts).replace(" -", "-")


def path_rings(d: str) -> list[list[tuple[int, int]]]:
    """The rings of path data as `path_data` writes it."""
    rings = []
    for part in d.split("M")[1:]:
        head, _, steps = part.partition("l")
        x, y = (int(n) for n in head.replace("-", " -").split())
        ring = [(x, y)]
        numbers = [int(n) for n in steps.rstrip("z").replace("-", " -").split()]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


# --- Where a label goes ------------------------------------------------------------------------


def inside(point: Point, rings: list[Ring]) -> bool:
    """Even-odd rule over the polygon's rings (holes included)."""
    x, y = point
    result = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (x2 - x1) * (y - y1) / (y2 - y1):
                result = not result
    return result


def _edge_distance(point: Point, rings: list[Ring]) -> float:
    return min(
        _segment_distance(point, a, b)
        for ring in rings
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def label_point(rings: list[Ring], steps: int = 24) -> Point:
    """A point well inside the polygon (far from its edges), found by a grid search refined
    twice around the best point: a centroid may fall outside a curved country."""
    left, top, right, bottom = bounds(rings)
    best = ((left + right) / 2, (top + bottom) / 2)
    best_distance = _edge_distance(best, rings) if inside(best, rings) else -1.0
    half_width, half_height = (right - left) / 2, (bottom - top) / 2
    centre = best
    for _ in range(3):
        for i in range(steps + 1):
            for j in range(steps + 1):
                point = (
                    centre[0] - half_width + 2 * half_width * i / steps,
                    centre[1] - half_height + 2 * half_height * j / steps,
                )
                if not inside(point, rings):
                    continue
                distance = _edge_distance(point, rings)
                if distance > best_distance:
                    best, best_distance = point, distance
        centre = best
        half_width, half_height = half_width * 4 / steps, half_height * 4 / steps
    return best


def room(point: Point, rings: list[Ring]) -> tuple[float, float]:
    """How far the polygon reaches left and right of the point along its row: the width a label
    centred there may take."""
    x, y = point
    crossings = sorted(
        x1 + (x2 - x1) * (y - y1) / (y2 - y1)
        for ring in rings
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
        if (y1 > y) != (y2 > y)
    )
    left = max((c for c in crossings if c <= x), default=x)
    right = min((c for c in crossings if c > x), default=x)
    half = min(x - left, right - x)  # the label is centred on the point
    return x - half, x + half


def anchors(polygons: list[list[Ring]], step: float, clearance: float) -> list[tuple]:
    """Points on a grid well inside the polygons, each with its horizontal room: where a map
    showing only part of a large country can still name it."""
    found = []
    for rings in polygons:
        left, top, right, bottom = bounds(rings)
        y = top + step / 2
        while y < bottom:
            x = left + step / 2
            while x < right:
                if inside((x, y), rings) and _edge_distance((x, y), rings) >= clearance:
                    found.append((x, y, *room((x, y), rings)))
                x += step
            y += step
    return found
