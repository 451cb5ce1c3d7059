"""Printed outputs of a seating plan: the seating chart, place cards and name badges.

Everything is drawn with reportlab on a canvas; every piece of user text (names, native
names, organizations, dietary needs) goes through :mod:`protocol_app.briefing.text`, so
any script prints with an embedded font, Arabic and Hebrew shaped and right to left.

* **Seating chart** - one landscape page per table: the table drawn as a circle or a
  rectangle with numbered seats, each seat's name (place-card form, native script
  under it), the host, guest of honour and co-host marked, locked seats and
  interpreters shown, a legend and the table's dietary needs beside it.
* **Place cards** - folded tent cards, two per portrait page: each card has a fold
  line across its middle; the upper half carries the name upright, the lower half the
  same text turned 180 degrees, so that once folded the name reads from both sides of
  the table.  Under the name in its place-card form comes the name in its own script.
* **Name badges** - eight per page (2 x 4, 90 x 60 mm): the name in its badge form,
  the native-script name, the organization and the country.

The inputs are plain values: :class:`PlaceCard` and :class:`Badge` (built from a
:class:`~protocol_app.services.protocol.SeatingPlanView` by :func:`place_cards_for`
and :func:`badges_for`) and the plan view itself for the chart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import IO, TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from protocol_app.briefing.fonts import BASE_FAMILY, register_fonts, uncovered_characters
from protocol_app.briefing.text import (
    draw_text,
    paragraph_style,
    plain_text_for_metadata,
    text_width,
    user_paragraph,
)
from protocol_app.rules.names import display_name, fold, sort_key

if TYPE_CHECKING:
    from protocol_app.services.protocol import SeatingPlanView, SeatView, TableView
    from protocol_app.services.values import PersonRecord

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "LETTER": letter}
PARTS: tuple[str, ...] = ("chart", "cards", "badges")

INK = colors.HexColor("#1b2a41")
MUTED = colors.HexColor("#5b6775")
HOST_FILL = colors.HexColor("#1b2a41")
HOST_SIDE_FILL = colors.HexColor("#dbe7f3")
HONOUR_FILL = colors.HexColor("#d4a72c")
COHOST_FILL = colors.HexColor("#7d95b5")
TABLE_FILL = colors.HexColor("#f4efe4")
DIETARY = colors.HexColor("#c0392b")
GUIDE = colors.HexColor("#9aa5b1")


# -- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceCard:
    """One tent card: the name in place-card form, the native-script name (or "")
    and, for staff, where it goes."""

    name: str
    native: str = ""
    table: int | None = None
    seat: int | None = None


@dataclass(frozen=True, slots=True)
class Badge:
    """One name badge."""

    name: str
    native: str = ""
    organization: str = ""
    country: str = ""  # the country's name, printed in capitals
    side: str = ""  # "guest" or "host": the colour of the band


def native_line(person: PersonRecord, *shown: str) -> str:
    """The person's name in its own script, or "" when it would only repeat a name
    already printed (``shown``) or the name in customary order."""
    native = " ".join(person.native_name.split())
    if not native:
        return ""
    repeats = {" ".join(s.split()).casefold() for s in (*shown, display_name(person)) if s}
    return "" if native.casefold() in repeats else native


def country_name(code: str) -> str:
    """The common English name of an ISO 3166-1 alpha-2 code ("VN" -> "Viet Nam")."""
    code = code.strip().upper()
    if not code:
        return ""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return getattr(found, "common_name", None) or found.name


def place_cards_for(view: SeatingPlanView) -> list[PlaceCard]:
    """A place card for everyone with a seat at a table, table by table, seat by seat
    (interpreters on a chair behind someone get none)."""
    cards: list[PlaceCard] = []
    for table in view.tables:
        for place in table.places:
            if place.person is None:
                continue
            name = view.place_card(place.person)
            cards.append(PlaceCard(name, native_line(place.person, name), table.number,
                                   place.seat))
    return cards


def badges_for(view: SeatingPlanView, sides: dict[int, str] | None = None) -> list[Badge]:
    """A badge for everyone attending (seated or not), alphabetical by family name
    (letters with a stroke sort with their base letter: "Đỗ" with "Do")."""
    people = view.people
    sides = sides or {}
    host_ids = set(view.host_ids)
    out: list[tuple[tuple, Badge]] = []
    for pid, person in people.items():
        forms = view.forms.get(pid)
        name = forms.badge if forms else display_name(person)
        side = sides.get(pid) or ("host" if pid in host_ids else "guest")
        key = sort_key(person)
        out.append(((fold(key[0]), fold(key[1]), *key), Badge(name, native_line(person, name),
                                            person.organization, country_name(person.country),
                                            side)))
    return [b for _, b in sorted(out, key=lambda item: item[0])]


# -- small drawing helpers ----------------------------------------------------------------


def fit_size(text: str, width: float, largest: float, smallest: float,
             bold: bool = False) -> float:
    """The largest font size (steps of 0.5 pt) at which ``text`` fits ``width``, not
    below ``smallest``."""
    if not text:
        return largest
    measured = text_width(text, largest, bold=bold)
    if measured <= width:
        return largest
    size = largest * width / measured
    size = math.floor(size * 2) / 2
    while size > smallest and text_width(text, size, bold=bold) > width:
        size -= 0.5
    return max(size, smallest)


def clip_text(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` cut with "…" so that it fits ``width`` at ``size``."""
    if text_width(text, size, bold=bold) <= width:
        return text
    words = text
    while words and text_width(words + "…", size, bold=bold) > width:
        words = words[:-1].rstrip()
    return words + "…" if words else ""


def draw_fitted(canvas: Canvas, x: float, y: float, text: str, width: float, largest: float,
                smallest: float, *, bold: bool = False, align: str = "center") -> float:
    """Draw one line shrunk (and if need be cut) to ``width``; returns the size used."""
    size = fit_size(text, width, largest, smallest, bold)
    draw_text(canvas, x, y, clip_text(text, width, size, bold), size, bold=bold,
              align=align)  # type: ignore[arg-type]
    return size


def _label(canvas: Canvas, x: float, y: float, text: str, size: float, *,
           bold: bool = False, align: str = "left", color: colors.Color = INK) -> float:
    canvas.saveState()
    canvas.setFillColor(color)
    width = draw_text(canvas, x, y, text, size, bold=bold, align=align)  # type: ignore[arg-type]
    canvas.restoreState()
    return width


def _event_when(view: SeatingPlanView) -> str:
    event = view.event
    try:
        zone = ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC  # type: ignore[assignment]
    start = event.start_utc.astimezone(zone)
    end = event.end_utc.astimezone(zone)
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}–{end:%H:%M} {start.tzname()}"


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


def _seat_fill(place: SeatView) -> tuple[colors.Color, colors.Color]:
    """Fill and number colour of a seat."""
    if place.marker == "host" and place.person is not None:
        return HOST_FILL, colors.white
    if place.marker == "guest_of_honour" and place.person is not None:
        return HONOUR_FILL, INK
    if place.marker == "cohost" and place.person is not None:
        return COHOST_FILL, colors.white
    if place.side == "host" and place.person is not None:
        return HOST_SIDE_FILL, INK
    return colors.white, INK


def _draw_seat(canvas: Canvas, x: float, y: float, place: SeatView, dietary: bool) -> None:
    fill, ink = _seat_fill(place)
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.setFillColor(fill)
    if place.person is None:
        canvas.setDash(2, 2)
    canvas.circle(x, y, SEAT_R, stroke=1, fill=1)
    canvas.setDash()
    canvas.setFillColor(ink)
    draw_text(canvas, x, y - 2.6, str(place.seat), 7.5, bold=True, align="center")
    if place.locked:
        _draw_lock(canvas, x + SEAT_R * 0.75, y + SEAT_R * 0.75)
    if dietary:
        canvas.setFillColor(DIETARY)
        canvas.setStrokeColor(colors.white)
        canvas.circle(x - SEAT_R * 0.8, y + SEAT_R * 0.8, 2.6, stroke=1, fill=1)
    canvas.restoreState()


def _draw_lock(canvas: Canvas, x: float, y: float, scale: float = 1.0) -> None:
    """A small padlock centred at (x, y)."""
    canvas.saveState()
    canvas.setLineWidth(0.9 * scale)
    canvas.setStrokeColor(INK)
    canvas.setFillColor(colors.white)
    w, h = 6.0 * scale, 4.6 * scale
    canvas.arc(x - w * 0.32, y, x + w * 0.32, y + h * 1.1, 0, 180)
    canvas.setFillColor(INK)
    canvas.rect(x - w / 2, y - h / 2, w, h, stroke=0, fill=1)
    canvas.restoreState()


def _has_dietary(place: SeatView) -> bool:
    from protocol_app.services.protocol import has_dietary_need

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
                      top: float, width: float, align: str) -> None:
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
    _label(canvas, cx, cy + 4, f"Table {table.number}", 13, bold=True, align="center")
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
        _draw_seat(canvas, lab.sx, lab.sy, lab.seat, _has_dietary(lab.seat))


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
    _label(canvas, cx, ty + table_h / 2 - 2, f"Table {table.number}", 13, bold=True,
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
        _draw_seat(canvas, sx, sy, place, _has_dietary(place))
    if head:
        _label(canvas, cx, y0 + 2, "the room (the head table faces this way)", 7.5,
               align="center", color=MUTED)


def _legend(canvas: Canvas, x: float, y: float) -> None:
    items: list[tuple[str, colors.Color, str]] = [
        ("host", HOST_FILL, "Host (place of honour)"),
        ("honour", HONOUR_FILL, "Guest of honour (host's right)"),
        ("cohost", COHOST_FILL, "Co-host"),
        ("hostside", HOST_SIDE_FILL, "Host side"),
        ("guest", colors.white, "Guest"),
    ]
    cursor = x
    canvas.saveState()
    for _key, fill, text in items:
        canvas.setFillColor(fill)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.7)
        canvas.circle(cursor + 5, y + 3, 5, stroke=1, fill=1)
        cursor += 13
        cursor += _label(canvas, cursor, y, text, 7.5, color=INK) + 14
    canvas.setFillColor(DIETARY)
    canvas.setStrokeColor(colors.white)
    canvas.circle(cursor + 3, y + 3, 2.6, stroke=1, fill=1)
    cursor += 10
    cursor += _label(canvas, cursor, y, "Dietary need (see notes)", 7.5) + 14
    _draw_lock(canvas, cursor + 3, y + 2.5)
    cursor += 10
    _label(canvas, cursor, y, "Locked seat", 7.5)
    canvas.restoreState()


def _dietary_panel(canvas: Canvas, view: SeatingPlanView, table: TableView, x: float,
                   top: float, width: float, bottom: float) -> None:
    _label(canvas, x, top - 11, "Dietary needs at this table", 10, bold=True)
    y = top - 20
    if not table.dietary:
        _label(canvas, x, y - 9, "None on record.", 8.5, color=MUTED)
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
                _label(canvas, x, y - 9, "… (more in the plan)", 8, color=MUTED)
                return
            para.drawOn(canvas, x, y - ph)
            y -= ph
        y -= 5


def draw_seating_chart(canvas: Canvas, view: SeatingPlanView, table: TableView,
                       page: tuple[float, float], *, office: str = "") -> None:
    """One page of the chart: one table with its seats, names, legend and dietary
    needs."""
    width, height = page
    margin = 30.0
    canvas.saveState()
    canvas.setFillColor(INK)
    draw_fitted(canvas, margin, height - margin - 14, view.event.title, width - 2 * margin,
                16, 9, bold=True, align="left")
    canvas.setFillColor(MUTED)
    draw_fitted(canvas, margin, height - margin - 30,
                " · ".join(p for p in (_event_when(view), _where(view)) if p),
                width - 2 * margin, 9.5, 6, align="left")
    shape = {"round": "round", "rectangular": "rectangular", "head": "head table"}[table.shape]
    canvas.setFillColor(INK)
    heading = f"Seating chart – {table.title} ({shape}, {table.seat_count} seats)"
    draw_fitted(canvas, margin, height - margin - 48, heading, width - 2 * margin, 12, 8,
                bold=True, align="left")
    canvas.setStrokeColor(GUIDE)
    canvas.setLineWidth(0.6)
    canvas.line(margin, height - margin - 56, width - margin, height - margin - 56)
    panel_w = 170.0
    diagram = (margin, margin + 34, width - 2 * margin - panel_w - 14,
               height - 2 * margin - 56 - 34 - 10)
    if table.shape == "round":
        _draw_round_table(canvas, view, table, diagram)
    else:
        _draw_long_table(canvas, view, table, diagram)
    px = width - margin - panel_w
    canvas.setStrokeColor(GUIDE)
    canvas.line(px - 8, margin + 30, px - 8, height - margin - 62)
    _dietary_panel(canvas, view, table, px, height - margin - 62, panel_w, margin + 34)
    canvas.setStrokeColor(GUIDE)
    canvas.line(margin, margin + 22, width - margin, margin + 22)
    _legend(canvas, margin, margin + 8)
    footer = " · ".join(p for p in (office, "Seats are numbered towards each diner's right")
                        if p)
    _label(canvas, width - margin, margin - 10, footer, 7, align="right", color=MUTED)
    canvas.restoreState()


# -- place cards ------------------------------------------------------------------------


def _card_face(canvas: Canvas, card: PlaceCard, cx: float, cy: float, width: float) -> None:
    """The name and native name centred in one half of a tent card (upright frame)."""
    name_size = fit_size(card.name, width, 34, 14, bold=True)
    native_size = fit_size(card.native, width, min(24, name_size * 0.75), 10) if card.native \
        else 0.0
    block = name_size * 0.72 + (native_size * 1.35 if card.native else 0.0)
    top = cy + block / 2
    canvas.setFillColor(INK)
    draw_text(canvas, cx, top - name_size * 0.72, clip_text(card.name, width, name_size, True),
              name_size, bold=True, align="center")
    if card.native:
        canvas.setFillColor(MUTED)
        draw_text(canvas, cx, top - name_size * 0.72 - native_size * 1.35,
                  clip_text(card.native, width, native_size), native_size, align="center")


def draw_place_card(canvas: Canvas, card: PlaceCard, x: float, y: float, width: float,
                    height: float) -> None:
    """One tent card in the box (x, y, width, height): fold line across the middle,
    upper half upright, lower half turned 180 degrees."""
    half = height / 2
    inner = width - 24 * mm
    canvas.saveState()
    # fold line
    canvas.setStrokeColor(GUIDE)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    canvas.line(x, y + half, x + width, y + half)
    canvas.setDash()
    canvas.setFillColor(GUIDE)
    draw_text(canvas, x + 6 * mm, y + half + 2, "fold", 6.5)
    draw_text(canvas, x + width - 6 * mm, y + half + 2, "fold", 6.5, align="right")
    # upper half: upright
    _card_face(canvas, card, x + width / 2, y + half + half / 2, inner)
    if card.table is not None and card.seat is not None:
        canvas.setFillColor(GUIDE)
        draw_text(canvas, x + width - 6 * mm, y + height - 6 * mm,
                  f"Table {card.table} · Seat {card.seat}", 6.5, align="right")
    # lower half: the same text turned 180 degrees
    canvas.saveState()
    canvas.translate(x + width / 2, y + half / 2)
    canvas.rotate(180)
    _card_face(canvas, card, 0, 0, inner)
    canvas.restoreState()
    canvas.restoreState()


def draw_place_cards(canvas: Canvas, cards: Sequence[PlaceCard],
                     page: tuple[float, float]) -> None:
    """Place cards, two per page (each half a page high), with a cutting line between
    them; ends with the last page shown."""
    width, height = page
    card_h = height / 2
    for index, card in enumerate(cards):
        slot = index % 2
        y = height - card_h * (slot + 1)
        draw_place_card(canvas, card, 0, y, width, card_h)
        if slot == 0:
            canvas.saveState()
            canvas.setStrokeColor(GUIDE)
            canvas.setLineWidth(0.4)
            canvas.setDash(1, 3)
            canvas.line(0, card_h, width, card_h)
            canvas.setFillColor(GUIDE)
            draw_text(canvas, width / 2, card_h + 2, "cut", 6.5, align="center")
            canvas.restoreState()
        if slot == 1 or index == len(cards) - 1:
            canvas.showPage()


# -- name badges --------------------------------------------------------------------------

BADGE_W, BADGE_H = 90 * mm, 60 * mm
BADGE_COLUMNS, BADGE_ROWS = 2, 4


def draw_badge(canvas: Canvas, badge: Badge, x: float, y: float, *, title: str = "") -> None:
    """One badge with its lower-left corner at (x, y)."""
    w, h = BADGE_W, BADGE_H
    pad = 5 * mm
    band = 9 * mm
    canvas.saveState()
    canvas.setStrokeColor(GUIDE)
    canvas.setLineWidth(0.5)
    canvas.roundRect(x, y, w, h, 3 * mm, stroke=1, fill=0)
    canvas.setFillColor(INK if badge.side != "host" else COHOST_FILL)
    path = canvas.beginPath()
    r = 3 * mm
    path.moveTo(x, y + h - band)
    path.lineTo(x, y + h - r)
    path.arcTo(x, y + h - 2 * r, x + 2 * r, y + h, startAng=180, extent=-90)
    path.lineTo(x + w - r, y + h)
    path.arcTo(x + w - 2 * r, y + h - 2 * r, x + w, y + h, startAng=90, extent=-90)
    path.lineTo(x + w, y + h - band)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    if title:
        canvas.setFillColor(colors.white)
        draw_fitted(canvas, x + w / 2, y + h - band + 3.2 * mm, title, w - 2 * pad, 8, 5,
                    align="center")
    inner = w - 2 * pad
    cursor = y + h - band - 6 * mm
    name_size = fit_size(badge.name, inner, 18, 9, bold=True)
    cursor -= name_size * 0.5
    canvas.setFillColor(INK)
    draw_text(canvas, x + w / 2, cursor, clip_text(badge.name, inner, name_size, True),
              name_size, bold=True, align="center")
    cursor -= name_size * 0.45
    if badge.native:
        native_size = fit_size(badge.native, inner, 14, 8)
        cursor -= native_size * 1.05
        canvas.setFillColor(INK)
        draw_text(canvas, x + w / 2, cursor, clip_text(badge.native, inner, native_size),
                  native_size, align="center")
        cursor -= native_size * 0.35
    bottom = y + pad
    if badge.country:
        canvas.setFillColor(MUTED)
        draw_fitted(canvas, x + w / 2, bottom, badge.country.upper(), inner, 8.5, 6,
                    bold=True, align="center")
        bottom += 12
    if badge.organization:
        style = paragraph_style("BadgeOrg", size=9, leading=11.5, alignment=1,
                                textColor=INK)
        para = user_paragraph(badge.organization, style)
        _pw, ph = para.wrap(inner, 100)
        room = cursor - bottom - 4
        if ph <= room:
            para.drawOn(canvas, x + pad, bottom + (room - ph) / 2 + 1)
        else:
            canvas.setFillColor(INK)
            draw_fitted(canvas, x + w / 2, bottom + 2, badge.organization, inner, 9, 6,
                        align="center")
    canvas.restoreState()


def draw_badges(canvas: Canvas, badges: Sequence[Badge], page: tuple[float, float], *,
                title: str = "") -> None:
    """Badges, eight per page (two columns, four rows), with light cutting guides."""
    width, height = page
    gap_x = (width - BADGE_COLUMNS * BADGE_W) / (BADGE_COLUMNS + 1)
    gap_y = (height - BADGE_ROWS * BADGE_H) / (BADGE_ROWS + 1)
    per_page = BADGE_COLUMNS * BADGE_ROWS
    for index, badge in enumerate(badges):
        slot = index % per_page
        col, row = slot % BADGE_COLUMNS, slot // BADGE_COLUMNS
        x = gap_x + col * (BADGE_W + gap_x)
        y = height - (row + 1) * (BADGE_H + gap_y)
        draw_badge(canvas, badge, x, y, title=title)
        if slot == per_page - 1 or index == len(badges) - 1:
            canvas.showPage()


# -- the whole document -------------------------------------------------------------------


def page_size(paper: str = "A4") -> tuple[float, float]:
    """Portrait page size for "A4" or "Letter"."""
    try:
        return PAGE_SIZES[paper.strip().upper() or "A4"]
    except KeyError:
        raise ValueError(f"paper must be A4 or Letter, not {paper!r}") from None


def uncovered_names(view: SeatingPlanView) -> dict[str, set[str]]:
    """Names in the plan with characters no bundled font prints (they would show as
    boxes): name -> the characters."""
    out: dict[str, set[str]] = {}
    for pid, person in view.people.items():
        forms = view.forms.get(pid)
        for text in (person.native_name, display_name(person),
                     forms.place_card if forms else "", forms.badge if forms else ""):
            missing = uncovered_characters(text) if text else set()
            if missing:
                out[text] = missing
    return out


def write_seating_pdf(target: str | Path | IO[bytes], view: SeatingPlanView, *,
                      parts: Iterable[str] = PARTS, paper: str = "A4",
                      office: str = "") -> None:
    """Write the chart (one page per table), the place cards and the badges of a plan
    into one PDF.  ``parts`` picks among "chart", "cards" and "badges"."""
    wanted = [p for p in PARTS if p in set(parts)]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s) {', '.join(sorted(unknown))}; choose from "
                         f"{', '.join(PARTS)}")
    register_fonts()
    portrait = page_size(paper)
    # the canvas's initial font is ours too: no standard (unembedded) font in the file
    canvas = Canvas(str(target) if isinstance(target, str | Path) else target,
                    pagesize=portrait, initialFontName=BASE_FAMILY)
    title = plain_text_for_metadata(f"{view.event.title} – seating")
    canvas.setTitle(title)
    canvas.setAuthor(plain_text_for_metadata(office or "Protocol Desk"))
    canvas.setSubject(plain_text_for_metadata(view.visit_title))
    canvas.setCreator("Protocol Desk")
    pages = 0
    if "chart" in wanted:
        for table in view.tables:
            canvas.setPageSize(landscape(portrait))
            canvas.bookmarkPage(f"table-{table.number}")
            canvas.addOutlineEntry(f"Seating chart – {table.title}", f"table-{table.number}", 0)
            draw_seating_chart(canvas, view, table, landscape(portrait), office=office)
            canvas.showPage()
            pages += 1
    if "cards" in wanted:
        cards = place_cards_for(view)
        if cards:
            canvas.setPageSize(portrait)
            canvas.bookmarkPage("place-cards")
            canvas.addOutlineEntry("Place cards", "place-cards", 0)
            draw_place_cards(canvas, cards, portrait)
            pages += 1
    if "badges" in wanted:
        badges = badges_for(view)
        if badges:
            canvas.setPageSize(portrait)
            canvas.bookmarkPage("badges")
            canvas.addOutlineEntry("Name badges", "badges", 0)
            draw_badges(canvas, badges, portrait, title=view.event.title)
            pages += 1
    if not pages:
        canvas.setPageSize(portrait)
        _label(canvas, 72, portrait[1] - 72, f"{view.event.title}: no seating plan yet.", 12)
        canvas.showPage()
    canvas.save()
