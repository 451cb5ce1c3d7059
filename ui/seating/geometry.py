"""Where the seating page draws tables, seats and their labels: pure layout maths.

No Qt here (not even ``QtCore``), so the layout is unit-tested without an application:
:func:`table_geometry` places one table's top, seats and name labels around (0, 0) in
scene units, from the seat positions of :meth:`protocol_app.rules.seating.Table.position`;
:func:`layout_tables` lays the tables out left to right in rows no wider than
:data:`ROW_WIDTH`.  :mod:`ui.seating.view` turns these boxes into graphics items.

A label's ``align`` is a pair (horizontal, vertical): "left", "right" or "center", and
"top", "bottom" or "center": how its lines sit in their box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from protocol_app.services.protocol import TableView

SEAT_R = 15.0  # a seat's radius, in scene units
ROW_WIDTH = 1800.0  # tables wrap onto a new row past this width
TABLE_GAP = 60.0  # between two tables, across and down
ROUND_LABEL_W, ROUND_LABEL_H = 128.0, 50.0
LONG_PITCH = 118.0  # the room each seat takes along a rectangular or head table
LABEL_H = 50.0


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: left, top, width, height (y grows downwards)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def moved(self, dx: float, dy: float) -> Box:
        """The box shifted by (dx, dy)."""
        return Box(self.x + dx, self.y + dy, self.w, self.h)

    def united(self, other: Box) -> Box:
        """The smallest box holding both."""
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)


@dataclass(frozen=True, slots=True)
class SeatSpot:
    """A seat's centre and its label's box (relative to that centre) and alignment."""

    x: float
    y: float
    label: Box
    align: tuple[str, str]

    def bounds(self) -> Box:
        """The seat's circle and its label, in the table's coordinates."""
        circle = Box(self.x - SEAT_R, self.y - SEAT_R, 2 * SEAT_R, 2 * SEAT_R)
        return circle.united(self.label.moved(self.x, self.y))


@dataclass(frozen=True, slots=True)
class TableGeometry:
    """A table top's box and its seats' spots, in seat order, around (0, 0)."""

    top: Box
    seats: tuple[SeatSpot, ...]

    def bounds(self) -> Box:
        """The table with every seat and label."""
        box = self.top
        for spot in self.seats:
            box = box.united(spot.bounds())
        return box


@dataclass(frozen=True, slots=True)
class PlacedTable:
    """A table's geometry and the offset that puts it in the scene."""

    table: TableView
    geometry: TableGeometry
    dx: float
    dy: float


def _round_table(table: TableView) -> TableGeometry:
    rule = table.to_table()
    n = table.seat_count
    radius = max(55.0, n * 9.5)
    ring = radius + SEAT_R + 6
    width, height = ROUND_LABEL_W, ROUND_LABEL_H
    spots: list[SeatSpot] = []
    for seat in range(1, n + 1):
        pos = rule.position(seat)
        if abs(pos.x) < 0.3:  # at the top or bottom: the label above or below the seat
            below = -pos.y > 0
            label = Box(-width / 2, SEAT_R + 4 if below else -SEAT_R - 4 - height,
                        width, height)
            align = ("center", "top" if below else "bottom")
        elif pos.x > 0:
            label = Box(SEAT_R + 5, -height / 2, width, height)
            align = ("left", "center")
        else:
            label = Box(-SEAT_R - 5 - width, -height / 2, width, height)
            align = ("right", "center")
        spots.append(SeatSpot(pos.x * ring, -pos.y * ring, label, align))
    return TableGeometry(Box(-radius, -radius, 2 * radius, 2 * radius), tuple(spots))


def _long_table(table: TableView) -> TableGeometry:
    rule = table.to_table()
    head = table.shape == "head"
    per_side = table.seat_count if head else table.seat_count // 2
    width = per_side * LONG_PITCH
    height = 60.0 if head else 90.0
    spots: list[SeatSpot] = []
    for seat in range(1, table.seat_count + 1):
        pos = rule.position(seat)
        below = head or pos.y < 0  # a head table faces the room, drawn below it
        y = height / 2 + SEAT_R + 6 if below else -height / 2 - SEAT_R - 6
        label = Box(-LONG_PITCH / 2 + 3, SEAT_R + 4 if below else -SEAT_R - 4 - LABEL_H,
                    LONG_PITCH - 6, LABEL_H)
        spots.append(SeatSpot(pos.x * width / 2, y, label,
                              ("center", "top" if below else "bottom")))
    return TableGeometry(Box(-width / 2, -height / 2, width, height), tuple(spots))


def table_geometry(table: TableView) -> TableGeometry:
    """The table top's box and, per seat, its centre and label box, in scene units with
    the table centred on (0, 0): seats round a round table, along the long sides of a
    rectangular one, along the room side of a head table."""
    return _round_table(table) if table.shape == "round" else _long_table(table)


def layout_tables(tables: Sequence[TableView]) -> list[PlacedTable]:
    """Each table's geometry and offset: left to right with :data:`TABLE_GAP` between
    them, a new row when the next table would pass :data:`ROW_WIDTH`."""
    placed: list[PlacedTable] = []
    x = y = row_height = 0.0
    for table in tables:
        geometry = table_geometry(table)
        bounds = geometry.bounds()
        if x > 0 and x + bounds.w > ROW_WIDTH:
            x, y, row_height = 0.0, y + row_height + TABLE_GAP, 0.0
        placed.append(PlacedTable(table, geometry, x - bounds.x, y - bounds.y))
        x += bounds.w + TABLE_GAP
        row_height = max(row_height, bounds.h)
    return placed
