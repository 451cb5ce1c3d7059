"""The seating chart: the landscape pages at the front of a plan's seating PDF.

Over 800 lines because the chart, the table plan and the seating list share the page
head, foot, seat drawing and label fitting; it stays whole while seating by kind of event
is built on it (next cut: the seating list, from ``ListRow`` down, into its own module).

Everything is drawn with reportlab on a canvas; every piece of user text (names, native
names, dietary needs) goes through :mod:`protocol_app.briefing.text`, so any script
prints with an embedded font, Arabic and Hebrew shaped and right to left.  Every page has
the same head (:func:`_chart_header`: the event, when and where, the page's heading) and
foot (:func:`_chart_footer`: the seat legend and the office's name).

* **Seating chart** (:func:`draw_seating_chart`) - one landscape page per table: the
  table drawn as a circle or a rectangle with numbered seats, each seat's name
  (place-card form, native script under it), the host, guest of honour and co-host
  marked, locked seats and interpreters shown, a legend and the table's dietary needs
  beside it (on the first table's page, under them, those not seated and why:
  :mod:`protocol_app.briefing.left_out`).
* **Table plan** (:func:`draw_table_plan`) - for a plan with more than one table
  (:func:`has_table_plan`), before the table pages: every table drawn small, with its
  host, guest of honour and how many sit there.
* **Seating list A–Z** (:func:`draw_seating_list`, rows from :func:`seating_list`) -
  everyone, "FAMILY, Given", with table and seat, then those not seated; for more than
  one table, or a single table with more than 16 people (:func:`has_seating_list`).

:func:`protocol_app.briefing.cards.write_seating_pdf` puts these pages, in that order
(table plan, list, a page per table), into the PDF with the place cards and badges.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from protocol_app.briefing.drawing import (
    DIETARY,
    GUIDE,
    INK,
    INTERPRETER_FILL,
    MUTED,
    TABLE_FILL,
    WHITE,
    clip_text,
    draw_fitted,
    draw_label,
    fit_size,
    native_line,
    rl_color,
)
from protocol_app.briefing.left_out import draw_left_out_panel
from protocol_app.briefing.text import Align, draw_text, paragraph_style, text_width, user_paragraph
from protocol_app.formatting import format_date, zone_label
from protocol_app.rules.names import display_name, list_form, sort_key
from protocol_app.rules.seat_style import KINDS, MARKS, SeatStyle, kind_style, style_of_seat

if TYPE_CHECKING:
    from protocol_app.services.protocol.values import SeatingPlanView, SeatView, TableView
    from protocol_app.services.values import PersonRecord

SHAPE_NAMES: dict[str, str] = {"round": "round", "rectangular": "rectangular",
                               "head": "head table", "car": "car"}


def _event_when(view: SeatingPlanView) -> str:
    event = view.event
    try:
        zone: tzinfo = ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    start = event.start_utc.astimezone(zone)
    end = event.end_utc.astimezone(zone)
    return (f"{format_date(start.date(), weekday=True)}, {start:%H:%M}–{end:%H:%M} "
            f"{zone_label(zone, start)}")


def _where(view: SeatingPlanView) -> str:
    event = view.event
    return ", ".join(p for p in (event.venue_name, event.venue_room) if p.strip())


# -- the seating chart --------------------------------------------------------------------


@dataclass
class _SeatLabel:
    seat: SeatView
    sx: float  # seat centre
    sy: float
    y: float  # label baseline of the first line (after spreading)
    right: bool


SEAT_R = 9.0
NAME_SIZE = 9.0
NATIVE_SIZE = 7.5
LABEL_GAP = 4.0


def _label_lines(view: SeatingPlanView, place: SeatView) -> list[tuple[str, float, bool]]:
    """(text, size, bold) lines of a seat's label."""
    if place.person is None:
        return [("(empty)", NAME_SIZE - 1, False)]
    name = view.place_card(place.person)
    lines = [(name, NAME_SIZE, True)]
    native = native_line(place.person, name)
    if native:
        lines.append((native, NATIVE_SIZE, False))
    for person in place.behind:
        lines.append((f"behind: {display_name(person)}", NATIVE_SIZE, False))
    return lines


def _label_height(lines: Sequence[tuple[str, float, bool]]) -> float:
    return sum(size * 1.25 for _, size, _ in lines)


def _seat_style(place: SeatView) -> SeatStyle:
    """The seat's look: the palette the seating page draws with too."""
    return style_of_seat(place, dietary=_has_dietary(place))


def _swatch(canvas: Canvas, x: float, y: float, radius: float, look: SeatStyle,
            width: float = 0.8) -> None:
    """A seat's circle in its colours (dashed for an empty seat)."""
    canvas.saveState()
    canvas.setStrokeColor(rl_color(look.border))
    canvas.setFillColor(rl_color(look.fill))
    canvas.setLineWidth(width)
    if look.dashed:
        canvas.setDash(2, 2)
    canvas.circle(x, y, radius, stroke=1, fill=1)
    canvas.restoreState()


def _draw_dietary(canvas: Canvas, x: float, y: float) -> None:
    """The dietary-need dot, ringed in white so that it shows on any fill."""
    canvas.saveState()
    canvas.setFillColor(DIETARY)
    canvas.setStrokeColor(WHITE)
    canvas.circle(x, y, 2.6, stroke=1, fill=1)
    canvas.restoreState()


def _draw_interpreter(canvas: Canvas, x: float, y: float) -> None:
    """The interpreter badge: a small circled "i"."""
    canvas.saveState()
    canvas.setFillColor(INTERPRETER_FILL)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.circle(x, y, 3.4, stroke=1, fill=1)
    canvas.setFillColor(INK)
    draw_text(canvas, x, y - 1.6, "i", 5, bold=True, align="center")
    canvas.restoreState()


def _draw_seat(canvas: Canvas, x: float, y: float, place: SeatView) -> None:
    look = _seat_style(place)
    _swatch(canvas, x, y, SEAT_R, look)
    canvas.saveState()
    canvas.setFillColor(rl_color(look.text))
    draw_text(canvas, x, y - 2.6, str(place.seat), 7.5, bold=True, align="center")
    canvas.restoreState()
    if "locked" in look.marks:
        _draw_lock(canvas, x + SEAT_R * 0.75, y + SEAT_R * 0.75)
    if "dietary" in look.marks:
        _draw_dietary(canvas, x - SEAT_R * 0.8, y + SEAT_R * 0.8)
    if "interpreter" in look.marks:
        _draw_interpreter(canvas, x + SEAT_R * 0.8, y - SEAT_R * 0.8)


def _draw_lock(canvas: Canvas, x: float, y: float, scale: float = 1.0) -> None:
    """A small padlock centred at (x, y)."""
    canvas.saveState()
    canvas.setLineWidth(0.9 * scale)
    canvas.setStrokeColor(INK)
    canvas.setFillColor(WHITE)
    w, h = 6.0 * scale, 4.6 * scale
    canvas.arc(x - w * 0.32, y, x + w * 0.32, y + h * 1.1, 0, 180)
    canvas.setFillColor(INK)
    canvas.rect(x - w / 2, y - h / 2, w, h, stroke=0, fill=1)
    canvas.restoreState()


def _has_dietary(place: SeatView) -> bool:
    from protocol_app.services.protocol.values import has_dietary_need

    return place.person is not None and has_dietary_need(place.person.dietary)


def _spread(labels: list[_SeatLabel], heights: dict[int, float], top: float,
            bottom: float) -> None:
    """Move label baselines apart so that no two overlap, staying in [bottom, top]."""
    labels.sort(key=lambda lab: -lab.sy)
    # each label is centred on its seat: first line baseline = centre + half height - size
    for lab in labels:
        h = heights[lab.seat.seat]
        lab.y = lab.sy + h / 2
    # top-down: no overlap
    previous_bottom = top
    for lab in labels:
        h = heights[lab.seat.seat]
        lab.y = min(lab.y, previous_bottom)
        previous_bottom = lab.y - h - LABEL_GAP
    # bottom-up: stay above the bottom edge
    floor = bottom
    for lab in reversed(labels):
        h = heights[lab.seat.seat]
        if lab.y - h < floor:
            lab.y = floor + h
        floor = lab.y + LABEL_GAP


def _draw_label_block(canvas: Canvas, view: SeatingPlanView, place: SeatView, x: float,
                      top: float, width: float, align: Align) -> None:
    y = top
    for text, size, bold in _label_lines(view, place):
        y -= size
        color = INK if bold else MUTED
        if place.person is None:
            color = GUIDE
        canvas.saveState()
        canvas.setFillColor(color)
        draw_fitted(canvas, x, y, text, width, size, max(size - 3, 5), bold=bold, align=align)
        canvas.restoreState()
        y -= size * 0.25


def _draw_round_table(canvas: Canvas, view: SeatingPlanView, table: TableView,
                      box: tuple[float, float, float, float]) -> None:
    x0, y0, w, h = box
    column = min(150.0, w * 0.25)
    radius = max(40.0, min(h / 2 - SEAT_R * 2 - 14, (w - 2 * column) / 2 - SEAT_R * 2 - 24))
    cx, cy = x0 + w / 2, y0 + h / 2
    canvas.saveState()
    canvas.setFillColor(TABLE_FILL)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1.2)
    canvas.circle(cx, cy, radius, stroke=1, fill=1)
    canvas.restoreState()
    draw_label(canvas, cx, cy + 4, f"Table {table.number}", 13, bold=True, align="center")
    if table.name:
        canvas.saveState()
        canvas.setFillColor(MUTED)
        draw_fitted(canvas, cx, cy - 10, table.name, radius * 1.6, 9, 6)
        canvas.restoreState()
    ring = radius + SEAT_R + 4
    labels: list[_SeatLabel] = []
    heights: dict[int, float] = {}
    rule_table = table.to_table()
    for place in table.places:
        pos = rule_table.position(place.seat)
        sx, sy = cx + pos.x * ring, cy + pos.y * ring
        right = pos.x > -1e-6 if abs(pos.x) > 1e-6 else pos.y < 0
        labels.append(_SeatLabel(place, sx, sy, sy, right))
        heights[place.seat] = _label_height(_label_lines(view, place))
    right_x = cx + ring + SEAT_R + 18
    left_x = cx - ring - SEAT_R - 18
    for side in (True, False):
        group = [lab for lab in labels if lab.right == side]
        _spread(group, heights, y0 + h, y0)
    for lab in labels:
        h_label = heights[lab.seat.seat]
        anchor_x = right_x if lab.right else left_x
        mid_y = lab.y - h_label / 2 + 2
        canvas.saveState()
        canvas.setStrokeColor(GUIDE)
        canvas.setLineWidth(0.5)
        dx, dy = lab.sx - cx, lab.sy - cy
        dist = math.hypot(dx, dy) or 1
        ex, ey = lab.sx + dx / dist * SEAT_R, lab.sy + dy / dist * SEAT_R
        elbow_x = anchor_x - 6 if lab.right else anchor_x + 6
        path = canvas.beginPath()
        path.moveTo(ex, ey)
        path.lineTo(elbow_x, mid_y)
        path.lineTo(anchor_x - (2 if lab.right else -2), mid_y)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()
        width = (x0 + w - anchor_x) if lab.right else (anchor_x - x0)
        _draw_label_block(canvas, view, lab.seat, anchor_x, lab.y, width,
                          "left" if lab.right else "right")
    for lab in labels:
        _draw_seat(canvas, lab.sx, lab.sy, lab.seat)


def _draw_rotated_label(canvas: Canvas, view: SeatingPlanView, place: SeatView, x: float,
                        y: float, length: float, pitch: float, upward: bool) -> None:
    """A seat's label written along the page's vertical, read with the head turned
    left; it starts at (x, y) and runs up (``upward``) or down, away from the table."""
    lines = _label_lines(view, place)
    total = _label_height(lines)
    scale = min(1.0, (pitch - 2) / total) if total else 1.0
    canvas.saveState()
    canvas.translate(x, y)
    canvas.rotate(90)
    # in this frame: +x is up the page, +y is to the left of the page
    offset = total * scale / 2
    for text, size, bold in lines:
        size = size * scale
        offset -= size
        color = GUIDE if place.person is None else (INK if bold else MUTED)
        canvas.setFillColor(color)
        draw_fitted(canvas, 0, offset + size * 0.15, text, length, size,
                    max(size - 3, 4.5), bold=bold, align="left" if upward else "right")
        offset -= size * 0.25
    canvas.restoreState()


def _draw_long_table(canvas: Canvas, view: SeatingPlanView, table: TableView,
                     box: tuple[float, float, float, float]) -> None:
    x0, y0, w, h = box
    n = table.seat_count
    head = table.shape == "head"
    per_side = n if head else n // 2
    pitch = min(70.0, (w - 40) / max(per_side, 1))
    table_w = pitch * per_side
    table_h = 46.0 if head else 70.0
    cx = x0 + w / 2
    # a head table faces the room, drawn below it
    ty = y0 + h - table_h - 30 if head else y0 + h / 2 - table_h / 2
    tx = cx - table_w / 2
    canvas.saveState()
    canvas.setFillColor(TABLE_FILL)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1.2)
    canvas.rect(tx, ty, table_w, table_h, stroke=1, fill=1)
    canvas.restoreState()
    draw_label(canvas, cx, ty + table_h / 2 - 2, f"Table {table.number}", 13, bold=True,
           align="center")
    if table.name:
        canvas.saveState()
        canvas.setFillColor(MUTED)
        draw_fitted(canvas, cx, ty + table_h / 2 - 15, table.name, table_w - 10, 9, 6)
        canvas.restoreState()
    rule_table = table.to_table()
    below = ty - SEAT_R - 5
    above = ty + table_h + SEAT_R + 5
    length_below = below - SEAT_R - 6 - y0
    length_above = y0 + h - (above + SEAT_R + 6)
    for place in table.places:
        pos = rule_table.position(place.seat)
        sx = cx + pos.x * table_w / 2
        near = head or pos.y < 0
        sy = below if near else above
        if near:
            _draw_rotated_label(canvas, view, place, sx, sy - SEAT_R - 4, length_below,
                                pitch, upward=False)
        else:
            _draw_rotated_label(canvas, view, place, sx, sy + SEAT_R + 4, length_above,
                                pitch, upward=True)
        _draw_seat(canvas, sx, sy, place)
    if head:
        draw_label(canvas, cx, y0 + 2, "the room (the head table faces this way)", 7.5,
               align="center", color=MUTED)


def _legend(canvas: Canvas, x: float, y: float, *, full: bool = True) -> None:
    """The key to the seat colours in one line from (x, y), from the palette of
    :mod:`protocol_app.rules.seat_style`; ``full`` adds the dietary, locked and
    interpreter marks (the table plan shows none: it shows empty seats instead)."""
    cursor = x
    for kind, text in KINDS:
        if kind == "empty" and full:
            continue
        _swatch(canvas, cursor + 5, y + 3, 5, kind_style(kind), width=0.7)
        cursor += 13
        cursor += draw_label(canvas, cursor, y, text, 7.5, color=INK) + 14
    if not full:
        return
    draw_mark = {"dietary": lambda at: _draw_dietary(canvas, at, y + 3),
                 "locked": lambda at: _draw_lock(canvas, at, y + 2.5),
                 "interpreter": lambda at: _draw_interpreter(canvas, at, y + 3)}
    for mark, text in MARKS:
        draw_mark[mark](cursor + 3)
        cursor += 10
        cursor += draw_label(canvas, cursor, y, text, 7.5) + 14


def _dietary_panel(canvas: Canvas, view: SeatingPlanView, table: TableView, x: float,
                   top: float, width: float, bottom: float) -> None:
    draw_label(canvas, x, top - 11, "Dietary needs at this table", 10, bold=True)
    y = top - 20
    if not table.dietary:
        draw_label(canvas, x, y - 9, "None on record.", 8.5, color=MUTED)
        return
    seat_of = {p.person.id: p.seat for p in table.places if p.person is not None}
    style = paragraph_style("Dietary", size=8.5, leading=11)
    for note in table.dietary:
        who = "; ".join(
            f"seat {seat_of[pid]}: {name}" if pid in seat_of else name
            for pid, name in zip(note.person_ids, note.names, strict=False)
        )
        for text, bold in ((note.need, True), (who, False)):
            para = user_paragraph(text, style, bold=bold)
            _w, ph = para.wrap(width, 1000)
            if y - ph < bottom:
                draw_label(canvas, x, y - 9, "… (more in the plan)", 8, color=MUTED)
                return
            para.drawOn(canvas, x, y - ph)
            y -= ph
        y -= 5


MARGIN = 30.0  # page margin of the landscape chart pages
HEADER_H = 56.0  # from the top margin down to the rule under a chart page's header
FOOTER_H = 34.0  # the legend band above the bottom margin


def _chart_header(canvas: Canvas, view: SeatingPlanView, page: tuple[float, float],
                  heading: str) -> float:
    """The head of every landscape chart page: the event's title, when and where, the
    page's ``heading`` and a rule; returns the rule's y (the content goes below it)."""
    width, height = page
    top = height - MARGIN
    canvas.saveState()
    canvas.setFillColor(INK)
    draw_fitted(canvas, MARGIN, top - 14, view.event.title, width - 2 * MARGIN, 16, 9,
                bold=True, align="left")
    canvas.setFillColor(MUTED)
    draw_fitted(canvas, MARGIN, top - 30,
                " · ".join(p for p in (_event_when(view), _where(view)) if p),
                width - 2 * MARGIN, 9.5, 6, align="left")
    canvas.setFillColor(INK)
    draw_fitted(canvas, MARGIN, top - 48, heading, width - 2 * MARGIN, 12, 8, bold=True,
                align="left")
    canvas.setStrokeColor(GUIDE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - HEADER_H, width - MARGIN, top - HEADER_H)
    canvas.restoreState()
    return top - HEADER_H


def _chart_footer(canvas: Canvas, page: tuple[float, float], office: str, note: str = "",
                  *, legend: bool | None = None) -> None:
    """The foot of a landscape chart page: a rule and the seat legend (``legend``: True
    for the full one, False for the seat colours only, None for none), then the office's
    name and ``note`` right-aligned under the bottom margin line."""
    width, _height = page
    if legend is not None:
        canvas.saveState()
        canvas.setStrokeColor(GUIDE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, MARGIN + 22, width - MARGIN, MARGIN + 22)
        canvas.restoreState()
        _legend(canvas, MARGIN, MARGIN + 8, full=legend)
    footer = " · ".join(p for p in (office, note) if p)
    draw_label(canvas, width - MARGIN, MARGIN - 10, footer, 7, align="right", color=MUTED)


def draw_seating_chart(canvas: Canvas, view: SeatingPlanView, table: TableView,
                       page: tuple[float, float], *, office: str = "",
                       left_out: bool = False) -> None:
    """One page of the chart: one table with its seats, names, legend and dietary
    needs (with ``left_out``, and under them, those not seated and why)."""
    width = page[0]
    shape = SHAPE_NAMES[table.shape]
    rule = _chart_header(canvas, view, page, f"Seating chart – {table.title} ({shape}, "
                                             f"{table.seat_count} seats)")
    panel_w = 170.0
    diagram = (MARGIN, MARGIN + FOOTER_H, width - 2 * MARGIN - panel_w - 14,
               rule - 10 - MARGIN - FOOTER_H)
    if table.shape == "round":
        _draw_round_table(canvas, view, table, diagram)
    else:
        _draw_long_table(canvas, view, table, diagram)
    px = width - MARGIN - panel_w
    canvas.saveState()
    canvas.setStrokeColor(GUIDE)
    canvas.setLineWidth(0.6)
    canvas.line(px - 8, MARGIN + 30, px - 8, rule - 6)
    canvas.restoreState()
    bottom = MARGIN + FOOTER_H
    if left_out:
        bottom = draw_left_out_panel(canvas, view, px, bottom, panel_w, (rule + bottom) / 2)
    _dietary_panel(canvas, view, table, px, rule - 6, panel_w, bottom)
    _chart_footer(canvas, page, office, "Seats are numbered towards each diner's right",
                  legend=True)


# -- the table plan: every table on one page ----------------------------------------------

PLAN_CELL_W, PLAN_CELL_H = 125.0, 104.0  # the smallest cell of the table plan's grid
PLAN_CELL_MAX_W, PLAN_CELL_MAX_H = 250.0, 200.0  # and the largest (for a few tables)
PLAN_PAD = 6.0  # inside a cell's frame
PLAN_TITLE_H = 14.0  # the table's title above its drawing
PLAN_LINE_H = 10.0  # each line under the drawing: host, guest of honour, how many seated
PLAN_LINES = 3
MINI_DOT = 3.5  # a seat's dot in a small table drawing, where the seats leave room
LIST_ALWAYS_FROM = 16  # a single table with more people than this gets the A–Z list too


def has_table_plan(view: SeatingPlanView) -> bool:
    """Whether the chart starts with the table plan: only for more than one table (a
    single table's chart page already shows everything)."""
    return len(view.tables) > 1


def has_seating_list(view: SeatingPlanView) -> bool:
    """Whether the chart has the A–Z seating list: for more than one table, or a single
    table with more than :data:`LIST_ALWAYS_FROM` people (at it or behind a seat)."""
    return len(view.tables) > 1 or (bool(view.tables)
                                    and len(view.seated_ids) > LIST_ALWAYS_FROM)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _paged(heading: str, index: int, total: int) -> str:
    """A page heading with "(page 2 of 3)"; later pages are marked as continued."""
    if total == 1:
        return heading
    return f"{heading} (page 1 of {total})" if index == 0 else \
        f"{heading} (continued, page {index + 1} of {total})"


def _plan_pages(count: int, area: tuple[float, float]) -> list[range]:
    """The tables (by index) on each page of the table plan: as few pages as cells of
    the smallest size allow, the tables spread evenly over them."""
    width, height = area
    capacity = max(1, int(width // PLAN_CELL_W)) * max(1, int(height // PLAN_CELL_H))
    per_page = math.ceil(count / max(1, math.ceil(count / capacity)))
    return [range(start, min(start + per_page, count)) for start in range(0, count, per_page)]


def _plan_grid(count: int, area: tuple[float, float]) -> tuple[int, int]:
    """(columns, rows) of the grid that gives ``count`` tables the largest drawings in
    ``area`` with no cell below the smallest size (wide cells preferred a little: long
    tables and names need width); on a tie, fewer rows, then fewer columns."""
    width, height = area
    text_h = PLAN_TITLE_H + PLAN_LINES * PLAN_LINE_H + 2 * PLAN_PAD
    columns = max(1, int(width // PLAN_CELL_W))
    best = (-math.inf, 0, 0)
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        cell_w, cell_h = width / cols, height / rows
        if cell_w < PLAN_CELL_W or cell_h < PLAN_CELL_H:
            continue
        room = min(min(cell_w, PLAN_CELL_MAX_W) - 2 * PLAN_PAD,
                   (min(cell_h, PLAN_CELL_MAX_H) - text_h) * 1.5)
        best = max(best, (room, -rows, -cols))
    columns = -best[2] or columns
    return columns, math.ceil(count / columns)


def _mini_seat(canvas: Canvas, x: float, y: float, radius: float, place: SeatView) -> None:
    """A seat of a small table drawing: a dot in the chart's colours (an empty seat
    smaller, in its grey outline)."""
    look = _seat_style(place)
    canvas.setFillColor(rl_color(look.fill))
    canvas.setStrokeColor(rl_color(look.border))
    canvas.circle(x, y, radius if place.person is not None else radius * 0.6, stroke=1,
                  fill=1)


def _mini_number(canvas: Canvas, table: TableView, cx: float, cy: float, width: float,
                 height: float) -> None:
    """The table's number centred in its small drawing."""
    size = max(5.0, min(12.0, height * 0.6))
    canvas.setFillColor(INK)
    draw_fitted(canvas, cx, cy - size * 0.35, str(table.number), width, size, 5, bold=True)


def _mini_round(canvas: Canvas, table: TableView, box: tuple[float, float, float, float]
                ) -> None:
    """A round table in ``box``: a circle with a dot per seat around it, placed as the
    chart places them (seat 1 at the bottom)."""
    x0, y0, w, h = box
    cx, cy, outer = x0 + w / 2, y0 + h / 2, min(w, h) / 2
    spacing = math.pi * outer / table.seat_count  # half the room between seats
    dot = min(max(MINI_DOT, outer * 0.07), max(1.2, spacing * 0.35))
    ring = outer - dot - 0.5
    radius = ring - dot - 1.5
    canvas.setFillColor(TABLE_FILL)
    canvas.setStrokeColor(INK)
    canvas.circle(cx, cy, radius, stroke=1, fill=1)
    _mini_number(canvas, table, cx, cy, radius * 1.3, radius * 1.4)
    rule_table = table.to_table()
    for place in table.places:
        pos = rule_table.position(place.seat)
        _mini_seat(canvas, cx + pos.x * ring, cy + pos.y * ring, dot, place)


def _mini_long(canvas: Canvas, table: TableView, box: tuple[float, float, float, float]
               ) -> None:
    """A rectangular or head table in ``box``: a rectangle with a dot per seat along
    its long sides (a head table: along the side facing the room, drawn below)."""
    x0, y0, w, h = box
    head = table.shape == "head"
    per_side = table.seat_count if head else table.seat_count // 2
    pitch = min(max(24.0, h * 0.25), w / max(per_side, 1))
    dot = min(max(MINI_DOT, h * 0.035), max(1.2, pitch * 0.32))
    band = 2 * dot + 2  # the height a row of seats takes
    sides = 1 if head else 2
    table_h = max(6.0, min(h * (0.3 if head else 0.45), 36.0, h - sides * band))
    table_w = pitch * per_side
    cx = x0 + w / 2
    ty = y0 + h / 2 - (table_h + sides * band) / 2 + band  # the table's lower edge
    canvas.setFillColor(TABLE_FILL)
    canvas.setStrokeColor(INK)
    canvas.rect(cx - table_w / 2, ty, table_w, table_h, stroke=1, fill=1)
    _mini_number(canvas, table, cx, ty + table_h / 2, table_w - 4, table_h)
    rule_table = table.to_table()
    for place in table.places:
        pos = rule_table.position(place.seat)
        near = head or pos.y < 0
        sy = ty - band / 2 if near else ty + table_h + band / 2
        _mini_seat(canvas, cx + pos.x * table_w / 2, sy, dot, place)


def _plan_lines(view: SeatingPlanView, table: TableView
                ) -> list[tuple[colors.Color | None, str, colors.Color]]:
    """(dot colour, text, text colour) of the lines under a table in the table plan:
    its host, its guest of honour (if it has one) and how many sit there."""
    lines: list[tuple[colors.Color | None, str, colors.Color]] = []
    for marker, role in (("host", "Host"), ("guest_of_honour", "Guest of honour")):
        fill = rl_color(kind_style(marker).fill)
        place = next((p for p in table.places if p.marker == marker), None)
        if place is None:
            continue
        if place.person is None:
            lines.append((fill, f"{role}: seat empty", GUIDE))
        else:
            lines.append((fill, view.place_card(place.person), INK))
    seated = sum(1 for p in table.places if p.person is not None)
    behind = sum(len(p.behind) for p in table.places)
    count = f"{SHAPE_NAMES[table.shape].capitalize()}, {table.seat_count} seats · " \
            f"{seated} seated" + (f" · {behind} behind" if behind else "")
    lines.append((None, count, MUTED))
    return lines


def _plan_cell_title(canvas: Canvas, table: TableView, cx: float, y: float,
                     width: float) -> None:
    """"Table 3" in bold and the table's name after it (cut short to ``width``, the
    number never), centred on ``cx``."""
    number = f"Table {table.number}"
    number_w = text_width(number, 9.5, bold=True)
    name_size, gap = 8.0, 5.0
    room = width - number_w - gap
    name = clip_text(table.name, room, name_size) if table.name and room > 20 else ""
    total = number_w + (gap + text_width(name, name_size) if name else 0.0)
    draw_label(canvas, cx - total / 2, y, number, 9.5, bold=True)
    if name:
        draw_label(canvas, cx - total / 2 + number_w + gap, y, name, name_size, color=MUTED)


def _draw_plan_cell(canvas: Canvas, view: SeatingPlanView, table: TableView,
                    box: tuple[float, float, float, float]) -> None:
    """One table of the table plan in ``box``: a light frame, the table's title, its
    small drawing and the lines of :func:`_plan_lines` under it."""
    x0, y0, w, h = box
    inner_x, inner_w = x0 + PLAN_PAD, w - 2 * PLAN_PAD
    canvas.saveState()
    canvas.setStrokeColor(GUIDE)
    canvas.setLineWidth(0.4)
    canvas.roundRect(x0 + 2, y0 + 2, w - 4, h - 4, 4, stroke=1, fill=0)
    _plan_cell_title(canvas, table, x0 + w / 2, y0 + h - PLAN_PAD - 9, inner_w)
    text_top = y0 + PLAN_PAD + PLAN_LINES * PLAN_LINE_H
    drawing = (inner_x, text_top + 3, inner_w, h - PLAN_TITLE_H - 2 * PLAN_PAD - 6
               - PLAN_LINES * PLAN_LINE_H)
    canvas.setLineWidth(0.6)
    if table.shape == "round":
        _mini_round(canvas, table, drawing)
    else:
        _mini_long(canvas, table, drawing)
    y = text_top
    for dot, text, color in _plan_lines(view, table):
        y -= PLAN_LINE_H
        indent = 0.0
        if dot is not None:
            canvas.setFillColor(dot)
            canvas.setStrokeColor(INK)
            canvas.circle(inner_x + 3, y + 2.8, 3, stroke=1, fill=1)
            indent = 9.0
        canvas.setFillColor(color)
        draw_fitted(canvas, inner_x + indent, y + 0.5, text, inner_w - indent,
                    8 if dot is not None else 7, 5.5, bold=dot is not None, align="left")
    canvas.restoreState()


def draw_table_plan(canvas: Canvas, view: SeatingPlanView, page: tuple[float, float], *,
                    office: str = "") -> int:
    """The table plan: every table drawn small in a grid, in table-number order, with
    its host, guest of honour and how many are seated; on more pages when the cells
    would get too small.  Shows each page; returns how many there were."""
    width, height = page
    tables = sorted(view.tables, key=lambda t: t.number)
    area_h = height - MARGIN - HEADER_H - 8 - MARGIN - FOOTER_H
    area = (width - 2 * MARGIN, area_h)
    chunks = _plan_pages(len(tables), area)
    seated = sum(1 for t in tables for p in t.places if p.person is not None)
    behind = sum(len(p.behind) for t in tables for p in t.places)
    heading = f"Table plan – {_plural(len(tables), 'table')}, {seated} seated" + \
        (f", {behind} behind" if behind else "")
    for index, chunk in enumerate(chunks):
        rule = _chart_header(canvas, view, page, _paged(heading, index, len(chunks)))
        columns, rows = _plan_grid(len(chunk), area)
        cell_w = min(PLAN_CELL_MAX_W, area[0] / columns)
        cell_h = min(PLAN_CELL_MAX_H, area[1] / rows)
        left = (width - columns * cell_w) / 2  # a few tables: the grid centred
        for slot, table_index in enumerate(chunk):
            col, row = slot % columns, slot // columns
            box = (left + col * cell_w, rule - 8 - (row + 1) * cell_h, cell_w, cell_h)
            _draw_plan_cell(canvas, view, tables[table_index], box)
        _chart_footer(canvas, page, office, "Each table has its own page after this list",
                      legend=False)
        canvas.showPage()
    return len(chunks)


# -- the seating list A–Z -----------------------------------------------------------------

LIST_ROW_H = 12.5  # one person
LIST_HEADING_H = 24.0  # a heading such as "Not seated", with room above it
LIST_COLUMNS = 2  # columns on a page
LIST_GAP = 24.0  # between the columns
LIST_GUTTER = 14.0  # the initial letter, left of the names
LIST_SIZE = 8.5
LIST_NATIVE_MIN = 48.0  # the least room a native name keeps beside a long list-form name


@dataclass(frozen=True, slots=True)
class ListRow:
    """One line of the A–Z seating list: a person (the name in list form, the name in
    its own script, the letter they are filed under and where they sit: "Table 2",
    the table's name, "seat 5" or "behind seat 5"; no table for someone not seated)
    or, when ``heading`` is set, a heading such as "Not seated"."""

    name: str = ""
    native: str = ""
    letter: str = ""
    table: str = ""
    table_name: str = ""
    seat: str = ""
    heading: str = ""

    @property
    def height(self) -> float:
        """The row's height in the list."""
        return LIST_HEADING_H if self.heading else LIST_ROW_H

    @property
    def place(self) -> str:
        """Where the person sits: "Table 2 (Garden), seat 5"; "" when not seated."""
        return self.place_within(math.inf)

    def place_within(self, width: float, size: float = LIST_SIZE) -> str:
        """:attr:`place` for ``width`` at ``size``: the table's name cut short (or left
        out) so that the table and seat numbers always show."""
        if not self.table:
            return ""
        full = self.table + (f" ({self.table_name})" if self.table_name else "") + \
            f", {self.seat}"
        if not self.table_name or text_width(full, size) <= width:
            return full
        room = width - text_width(f"{self.table} (), {self.seat}", size)
        name = clip_text(self.table_name, room, size) if room >= 24 else ""
        return f"{self.table} ({name}), {self.seat}" if name else f"{self.table}, {self.seat}"


def _list_entry(person: PersonRecord, table: TableView | None = None, seat: int = 0,
                behind: bool = False) -> tuple[tuple[str, ...], ListRow]:
    """A person's sort key and row in the A–Z list (at ``seat`` of ``table``, or
    ``behind`` it; not seated without a table)."""
    key = sort_key(person)
    name = list_form(person)
    row = ListRow(name, native_line(person, name), (key[0] or key[1])[:1].upper())
    if table is not None:
        row = replace(row, table=f"Table {table.number}", table_name=table.name,
                      seat=f"{'behind seat' if behind else 'seat'} {seat}")
    return key, row


def seating_list(view: SeatingPlanView) -> list[ListRow]:
    """Everyone at a table or behind a seat, in alphabetical order of family name
    (:func:`~protocol_app.rules.names.sort_key`) with where they sit; then, under a
    "Not seated" heading, those without a seat."""
    seated: list[tuple[tuple[str, ...], ListRow]] = []
    for table in view.tables:
        for place in table.places:
            if place.person is not None:
                seated.append(_list_entry(place.person, table, place.seat))
            seated.extend(_list_entry(person, table, place.seat, behind=True)
                          for person in place.behind)
    rows = [row for _key, row in sorted(seated, key=lambda item: item[0])]
    if view.unseated:
        rows.append(ListRow(heading="Not seated"))
        unseated = sorted((_list_entry(p) for p in view.unseated), key=lambda item: item[0])
        rows.extend(row for _key, row in unseated)
    return rows


def _list_columns(rows: Sequence[ListRow], height: float) -> list[list[ListRow]]:
    """The rows cut into columns no taller than ``height``; a heading always has the
    row after it in its column."""
    columns: list[list[ListRow]] = [[]]
    used = 0.0
    for row in rows:
        need = row.height + (LIST_ROW_H if row.heading else 0.0)
        if columns[-1] and used + need > height:
            columns.append([])
            used = 0.0
        columns[-1].append(row)
        used += row.height
    return columns


def _draw_list_entry(canvas: Canvas, row: ListRow, x: float, y: float, width: float,
                     place_w: float) -> None:
    """One person on baseline ``y``: the name in list form and its native form from
    ``x``, a dotted leader, and where they sit in the last ``place_w`` of ``width``.
    The list form comes first: the native name gets the room it leaves (at least
    :data:`LIST_NATIVE_MIN`, cut short if need be)."""
    place_x = x + width - place_w
    name_w = place_x - 10 - x if row.place else width
    gap = 6.0 if row.native else 0.0
    native_w = min(text_width(row.native, LIST_SIZE - 0.5), LIST_NATIVE_MIN) if row.native \
        else 0.0
    size = fit_size(row.name, name_w - native_w - gap, LIST_SIZE, 6.5, bold=True)
    canvas.setFillColor(INK)
    end = x + draw_text(canvas, x, y, clip_text(row.name, name_w - native_w - gap, size,
                                                bold=True), size, bold=True)
    if row.native:
        room = x + name_w - end - gap
        native_size = fit_size(row.native, room, LIST_SIZE - 0.5, 6)
        canvas.setFillColor(MUTED)
        end += gap + draw_text(canvas, end + gap, y, clip_text(row.native, room, native_size),
                               native_size)
    if not row.place:
        return
    if place_x - end > 16:
        canvas.saveState()
        canvas.setStrokeColor(GUIDE)
        canvas.setLineWidth(0.6)
        canvas.setDash(0.6, 2.4)
        canvas.line(end + 4, y + 1.2, place_x - 5, y + 1.2)
        canvas.restoreState()
    canvas.setFillColor(INK)
    draw_fitted(canvas, place_x, y, row.place_within(place_w), place_w, LIST_SIZE, 6.5,
                align="left")


def _draw_list_column(canvas: Canvas, rows: Sequence[ListRow], x: float, top: float,
                      width: float, place_w: float) -> None:
    """One column of the A–Z list from ``top`` down; each letter's first row (and the
    column's first) shows the letter in the gutter, and a hairline opens each new
    letter."""
    y, letter = top, ""
    canvas.saveState()
    for row in rows:
        y -= row.height
        if row.heading:
            draw_label(canvas, x, y + 4, row.heading, 10.5, bold=True)
            letter = ""
            continue
        if row.letter != letter:
            if letter:
                canvas.setStrokeColor(GUIDE)
                canvas.setLineWidth(0.3)
                canvas.line(x, y + LIST_ROW_H - 0.5, x + width, y + LIST_ROW_H - 0.5)
            canvas.setFillColor(MUTED)
            draw_fitted(canvas, x, y + 3.5, row.letter, LIST_GUTTER - 2, 9.5, 6, bold=True,
                        align="left")
            letter = row.letter
        _draw_list_entry(canvas, row, x + LIST_GUTTER, y + 3.5, width - LIST_GUTTER,
                         place_w)
    canvas.restoreState()


def draw_seating_list(canvas: Canvas, view: SeatingPlanView, page: tuple[float, float], *,
                      office: str = "") -> int:
    """The seating list A–Z: everyone seated, "FAMILY, Given" (and the name in its own
    script) with their table and seat, in columns over as many pages as needed, then
    those not seated.  Shows each page; returns how many there were."""
    width, height = page
    rows = seating_list(view)
    column_w = (width - 2 * MARGIN - (LIST_COLUMNS - 1) * LIST_GAP) / LIST_COLUMNS
    top = height - MARGIN - HEADER_H - 6
    columns = _list_columns(rows, top - MARGIN - 6)
    pages = [columns[i:i + LIST_COLUMNS] for i in range(0, len(columns), LIST_COLUMNS)]
    place_w = min(column_w * 0.42, max((text_width(r.place, LIST_SIZE) for r in rows),
                                       default=0.0) + 2)
    seated = len(view.seated_ids)
    people = "1 person" if seated == 1 else f"{seated} people"
    heading = f"Seating list A–Z – {people} at {_plural(len(view.tables), 'table')}"
    for index, page_columns in enumerate(pages):
        _chart_header(canvas, view, page, _paged(heading, index, len(pages)))
        for number, column in enumerate(page_columns):
            x = MARGIN + number * (column_w + LIST_GAP)
            _draw_list_column(canvas, column, x, top, column_w, place_w)
        _chart_footer(canvas, page, office, "Sorted by family name")
        canvas.showPage()
    return len(pages)
