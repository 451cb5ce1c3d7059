"""Where the seating page puts tables, seats and labels (pure maths: no Qt needed)."""

from __future__ import annotations

import math
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from protocol_app.services.protocol import SeatView, TableView, parse_tables
from ui.seating.geometry import (
    ROW_WIDTH,
    SEAT_R,
    TABLE_GAP,
    Box,
    layout_tables,
    table_geometry,
)


def table(spec: str, number: int = 1) -> TableView:
    """An empty table of one shape, as the service would give it."""
    shape = parse_tables(spec)[0]
    places = tuple(SeatView(number, s, None) for s in range(1, shape.seats + 1))
    return TableView(number, shape.shape, shape.seats, "", 1, None, None, places)


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def test_round_seats_sit_on_a_ring_outside_the_table_seat_1_at_the_bottom() -> None:
    geometry = table_geometry(table("round:10"))
    top = geometry.top
    assert (top.x + top.w / 2, top.y + top.h / 2) == (0, 0) and top.w == top.h
    radii = {round(math.hypot(s.x, s.y), 6) for s in geometry.seats}
    assert len(radii) == 1 and radii.pop() == pytest.approx(top.w / 2 + SEAT_R + 6)
    first = geometry.seats[0]
    assert first.x == pytest.approx(0) and first.y > 0  # the host's seat, at the bottom
    assert first.align == ("center", "top")  # its label below it
    right = [s for s in geometry.seats if s.x > 0.3 * math.hypot(s.x, s.y)]
    assert right and all(s.align == ("left", "center") and s.label.x > 0 for s in right)
    # no seat's circle or label lies on the table top's circle
    for spot in geometry.seats:
        assert math.hypot(spot.x, spot.y) - SEAT_R > top.w / 2


def test_rectangular_and_head_tables_put_seats_along_their_long_sides() -> None:
    rect = table_geometry(table("rect:16"))
    near = [s for s in rect.seats if s.y > 0]
    far = [s for s in rect.seats if s.y < 0]
    assert len(near) == len(far) == 8
    assert all(s.y - SEAT_R > rect.top.bottom for s in near)
    assert all(s.y + SEAT_R < rect.top.y for s in far)
    head = table_geometry(table("head:8"))
    assert all(s.y - SEAT_R > head.top.bottom for s in head.seats)  # facing the room
    xs = sorted(s.x for s in head.seats)
    assert all(b - a > 2 * SEAT_R for a, b in pairwise(xs))
    # neighbouring labels never overlap
    for geometry in (rect, head):
        boxes = [s.label.moved(s.x, s.y) for s in geometry.seats]
        assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_tables_go_left_to_right_then_wrap_onto_a_new_row() -> None:
    tables = [table(spec, n) for n, spec in enumerate(
        ["rect:16", "round:10", "round:8", "head:8", "round:12"], start=1)]
    placed = layout_tables(tables)
    assert [p.table.number for p in placed] == [1, 2, 3, 4, 5]
    boxes = [p.geometry.bounds().moved(p.dx, p.dy) for p in placed]
    assert boxes[0].x == 0 and boxes[0].y == 0
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    rows = sorted({round(b.y) for b in boxes})
    assert len(rows) > 1  # too wide for one row
    for box in boxes:
        assert box.x == 0 or box.right <= ROW_WIDTH + 1e-6
    second_row = [b for b in boxes if b.y > 0]
    assert min(b.y for b in second_row) >= max(b.bottom for b in boxes if b.y == 0) + TABLE_GAP


def test_the_geometry_needs_no_qt() -> None:
    code = ("import sys; import ui.seating.geometry; "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
