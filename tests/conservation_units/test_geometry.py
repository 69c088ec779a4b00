"""The map's arithmetic, on a topology small enough to check by hand: two squares of one
quantised TopoJSON sharing an edge."""

import math

import pytest

from conservation_units import geometry
from conservation_units.management.commands import build_map

# Quantised positions: the left square (0,0)-(4,4), the right one (4,0)-(8,4); arc 0 is the
# edge they share, from (4,0) up to (4,4). Each arc gives its first position, then differences.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [60, 40]},
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "398", "properties": {"name": "Left"}, "arcs": [[0, 1]]},
        {"type": "Polygon", "id": "417", "properties": {"name": "Right"}, "arcs": [[-1, 2]]},
        {"type": "Polygon", "properties": {"name": "No code"}, "arcs": [[3]]},
    ]}},
    "arcs": [
        [[4, 0], [0, 4]],
        [[4, 4], [-4, 0], [0, -4], [4, 0]],
        [[4, 0], [4, 0], [0, 4], [-4, 0]],
        [[0, 8], [2, 0], [0, 2], [-2, 0], [0, -2]],
    ],
}  # fmt: skip


def test_quantised_arcs_are_decoded_from_differences_into_degrees():
    arcs = geometry.decode_arcs(TOPOLOGY)
    assert arcs[0] == [(62.0, 40.0), (62.0, 41.0)]
    assert arcs[1] == [(62.0, 41.0), (60.0, 41.0), (60.0, 40.0), (62.0, 40.0)]


def test_an_unquantised_topology_keeps_its_positions():
    assert geometry.decode_arcs({"arcs": [[[61.5, 40.25], [62, 41]]]}) == [
        [(61.5, 40.25), (62, 41)]
    ]


def test_rings_follow_their_arcs_and_a_negative_index_walks_an_arc_backwards():
    arcs = geometry.decode_arcs(TOPOLOGY)
    left, right, _ = TOPOLOGY["objects"]["countries"]["geometries"]
    assert geometry.polygons_of(left, arcs) == [
        [[(62.0, 40.0), (62.0, 41.0), (60.0, 41.0), (60.0, 40.0), (62.0, 40.0)]]
    ]
    assert geometry.polygons_of(right, arcs) == [
        [[(62.0, 41.0), (62.0, 40.0), (64.0, 40.0), (64.0, 41.0), (62.0, 41.0)]]
    ]
    assert geometry.polygons_of({"type": "LineString", "arcs": [0]}, arcs) == []


def test_the_projection_is_equal_area_and_north_is_up():
    projection = geometry.Projection(74.0, 32.0, (25.0, 50.0), scale=1000.0)

    def cell_area(longitude, latitude):  # one degree square, projected
        corners = [(longitude, latitude), (longitude + 1, latitude),
                   (longitude + 1, latitude + 1), (longitude, latitude + 1)]  # fmt: skip
        return geometry.area([projection(*corner) for corner in corners])

    # On the sphere a cell's area is proportional to sin(north) - sin(south).
    def sphere(latitude):
        return math.sin(math.radians(latitude + 1)) - math.sin(math.radians(latitude))

    ratio = cell_area(60, 50) / cell_area(100, 25)
    assert ratio == pytest.approx(sphere(50) / sphere(25), rel=1e-3)
    assert projection.sphere(74.0, 40.0)[0] == pytest.approx(0.0)
    assert projection(74.0, 50.0)[1] < projection(74.0, 30.0)[1]  # y grows downwards, as in SVG
    assert geometry.Projection.from_dict(projection.as_dict()) == projection


def test_simplifying_keeps_the_ends_and_drops_what_lies_on_the_line():
    line = [(0, 0), (1, 0.01), (2, 0), (3, 5), (4, 0)]
    assert geometry.simplify(line, 0.1) == [(0, 0), (2, 0), (3, 5), (4, 0)]


def test_a_ring_is_clipped_to_the_box_along_its_edge():
    ring = [(-5, 2), (5, 2), (5, 8), (-5, 8)]
    clipped = geometry.clip_ring(ring, (0, 0, 10, 10))
    assert min(x for x, _ in clipped) == 0
    assert geometry.area(clipped) == pytest.approx(30)


def test_path_data_is_one_absolute_move_then_relative_steps():
    assert geometry.path_data([[(10, 10), (20, 10), (20, 5)]]) == "M10 10l10 0 0-5z"


def test_a_label_point_lies_inside_a_curved_polygon():
    # A U shape: its centre of area lies in the gap between the arms.
    u_shape = [[(0, 0), (30, 0), (30, 30), (20, 30), (20, 10), (10, 10), (10, 30), (0, 30)]]
    point = geometry.label_point(u_shape)
    assert geometry.inside(point, u_shape)


def test_the_build_keeps_shared_borders_identical_and_names_countries_by_iso3():
    shapes = build_map.build_shapes(TOPOLOGY)
    by_code = {shape["iso3"]: shape for shape in shapes["countries"]}
    # ISO 3166 numeric 398 and 417; the square without a code lies north of the frame, which is
    # fitted to the programme's states, and is cut away.
    assert set(by_code) == {"KAZ", "KGZ"}
    assert shapes["width"] == build_map.WIDTH
    projection = geometry.Projection.from_dict(shapes["projection"])

    def vertices(d):
        x, y, points = 0, 0, set()
        for part in d.replace("-", " -").replace("M", "|M ").replace("l", " l ").split("|")[1:]:
            numbers = [int(n) for n in part.replace("M", "").replace("l", "").replace("z", "")
                       .split()]  # fmt: skip
            x, y = numbers[0], numbers[1]
            points.add((x, y))
            for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
                x, y = x + dx, y + dy
                points.add((x, y))
        return points

    shared = vertices(by_code["KAZ"]["d"]) & vertices(by_code["KGZ"]["d"])
    # The shared edge's two ends, projected, are vertices of both.
    for corner in [(62.0, 40.0), (62.0, 41.0)]:
        x, y = projection(*corner)
        assert (round(x), round(y)) in shared
    left, top, right, bottom = by_code["KAZ"]["box"]
    x, y = by_code["KAZ"]["label"]
    assert left <= x <= right and top <= y <= bottom


def test_path_data_reads_back_into_its_rings():
    rings = [[(10, 10), (20, 10), (20, 5)], [(-3, 4), (0, 0), (7, -2)]]
    assert geometry.path_rings(geometry.path_data(rings)) == rings
