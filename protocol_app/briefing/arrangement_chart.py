"""The seating PDF's page for an arrangement that is not a banquet table: a signing table,
a meeting's two sides, a receiving line, front rows or a car plan.

It draws the layout of :func:`protocol_app.services.protocol.diagrams.diagram_of` (the
same one the seating page draws) with the page head and foot of
:mod:`protocol_app.briefing.seating_chart` and the palette of
:mod:`protocol_app.rules.seat_style`: a seat is a numbered circle, a place to stand a
numbered square (nobody has a chair there), the driver's seat a dashed grey circle.
Under the drawing come its numbered lists (a reception's order of announcement) and
everyone not placed, each with the reason (:attr:`SeatingPlanView.left_out`).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfgen.canvas import Canvas

from protocol_app.briefing.drawing import (
    GUIDE,
    INK,
    MUTED,
    TABLE_FILL,
    draw_fitted,
    draw_label,
    native_line,
    rl_color,
)
from protocol_app.briefing.left_out import HEADING, left_out_lines
from protocol_app.briefing.seating_chart import (
    FOOTER_H,
    MARGIN,
    _chart_footer,
    _chart_header,
    _draw_seat,
)
from protocol_app.briefing.text import Align, draw_text
from protocol_app.rules.seat_style import seat_style
from protocol_app.services.protocol.diagrams import Diagram, Outline, Spot
from protocol_app.services.protocol.values import SeatingPlanView

LIST_LINE = 12.0  # one line of a list under the drawing
LIST_COLUMN_W = 260.0
STANDING = "A square is a place to stand (no chair); D is the driver's seat"


def _label_lines(view: SeatingPlanView, spot: Spot, shown: set[int]
                 ) -> list[tuple[str, float, bool]]:
    """(text, size, bold) of a spot's label: the place-card form, the name in its own
    script, what the place is, and anyone behind the seat not drawn on their own."""
    if spot.person is None:
        return [(spot.caption or "(empty)", 7.0, False)] if spot.caption else []
    name = view.place_card(spot.person)
    lines = [(name, 8.5, True)]
    native = native_line(spot.person, name)
    if native:
        lines.append((native, 7.5, False))
    if spot.caption:
        lines.append((spot.caption, 7.0, False))
    if spot.place is not None:
        lines.extend((f"behind: {view.place_card(b)}", 7.0, False)
                     for b in spot.place.behind if b.id not in shown)
    return lines


def _draw_outline(canvas: Canvas, outline: Outline, x: float, top: float, scale: float
                  ) -> None:
    """A table, stage, car or entrance; (x, top) is its top left corner on the page."""
    w, h = outline.w * scale, outline.h * scale
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1.1)
    canvas.setFillColor(TABLE_FILL if outline.kind in ("table", "stage") else rl_color("#ffffff"))
    if outline.kind == "car":
        canvas.roundRect(x, top - h, w, h, 18 * scale, stroke=1, fill=1)
        canvas.setStrokeColor(GUIDE)  # the windscreen, towards the front (top)
        canvas.line(x + 10 * scale, top - h * 0.18, x + w - 10 * scale, top - h * 0.18)
        canvas.setFillColor(INK)
        draw_fitted(canvas, x + w / 2, top + 16, outline.title, w + 40, 11, 7, bold=True)
        if outline.subtitle:
            canvas.setFillColor(MUTED)
            draw_fitted(canvas, x + w / 2, top + 5, outline.subtitle, w + 40, 8, 6)
        canvas.restoreState()
        return
    if outline.kind == "entrance":
        canvas.setDash(3, 2)
    canvas.rect(x, top - h, w, h, stroke=1, fill=1)
    canvas.setFillColor(INK)
    middle = top - h / 2
    draw_fitted(canvas, x + w / 2, middle + (1 if outline.subtitle else -4), outline.title,
                w - 6, 12, 7, bold=True)
    if outline.subtitle:
        canvas.setFillColor(MUTED)
        draw_fitted(canvas, x + w / 2, middle - 11, outline.subtitle, w - 6, 8, 6)
    canvas.restoreState()


def _draw_mark(canvas: Canvas, spot: Spot, x: float, y: float, radius: float) -> None:
    """The spot itself: a seat's circle (its plan seat when it has one), a square to
    stand on, or the driver's dashed circle."""
    if spot.place is not None:
        _draw_seat(canvas, x, y, spot.place)
        return
    look = seat_style(occupied=spot.person is not None, side=spot.side,
                      role="interpreter" if spot.posture == "behind" else "")
    canvas.saveState()
    canvas.setFillColor(rl_color(look.fill))
    canvas.setStrokeColor(rl_color(look.border))
    canvas.setLineWidth(0.8)
    if look.dashed:
        canvas.setDash(2, 2)
    if spot.posture == "standing":
        canvas.rect(x - radius, y - radius, 2 * radius, 2 * radius, stroke=1, fill=1)
    else:
        canvas.circle(x, y, radius, stroke=1, fill=1)
    canvas.setFillColor(rl_color(look.text))
    draw_fitted(canvas, x, y - 2.6, spot.number, 2 * radius - 2, 7.5, 5, bold=True)
    canvas.restoreState()


def _draw_label(canvas: Canvas, lines: Sequence[tuple[str, float, bool]], spot: Spot,
                x: float, y: float, radius: float, scale: float) -> None:
    """The label beside, under or above the spot at (x, y)."""
    if spot.label == "none" or not lines:
        return
    height = sum(size * 1.2 for _, size, _ in lines)
    width = spot.label_w * scale
    align: Align = "center"
    if spot.label == "below":
        top, left = y - radius - 3, x
    elif spot.label == "above":
        top, left = y + radius + 3 + height, x
    else:
        top = y + height / 2
        left = x - radius - 5 if spot.label == "left" else x + radius + 5
        align = "right" if spot.label == "left" else "left"
    canvas.saveState()
    for text, size, bold in lines:
        top -= size
        canvas.setFillColor(INK if bold else MUTED)
        draw_fitted(canvas, left, top, text, width, size, max(size - 3, 5), bold=bold,
                    align=align)
        top -= size * 0.2
    canvas.restoreState()


def _draw_lists(canvas: Canvas, sections: Sequence[tuple[str, Sequence[str]]], left: float,
                top: float, right: float, bottom: float) -> None:
    """Numbered lists and the people not placed, in columns from (left, top)."""
    x, y = left, top
    columns_left = max(1, int((right - left) // LIST_COLUMN_W))

    def next_line(extra: float = LIST_LINE) -> bool:
        nonlocal x, y, columns_left
        if y - extra < bottom:
            columns_left -= 1
            if columns_left <= 0:
                return False
            x, y = x + LIST_COLUMN_W, top
        y -= extra
        return True

    for heading, lines in sections:
        if not lines:
            continue
        if not next_line(LIST_LINE + 6):
            return
        draw_label(canvas, x, y, heading, 9.5, bold=True)
        for line in lines:
            if not next_line():
                draw_label(canvas, x, y, "… (more in the app)", 7.5, color=MUTED)
                return
            canvas.saveState()
            canvas.setFillColor(INK)
            draw_fitted(canvas, x + 6, y, line, LIST_COLUMN_W - 12, 8, 6, align="left")
            canvas.restoreState()
        y -= 4


def draw_arrangement_chart(canvas: Canvas, view: SeatingPlanView, diagram: Diagram,
                           page: tuple[float, float], *, office: str = "") -> None:
    """One landscape page: the arrangement drawn to fit, its lists and those not placed
    under it (the caller shows the page)."""
    width, _height = page
    rule = _chart_header(canvas, view, page, diagram.heading)
    sections: list[tuple[str, Sequence[str]]] = [*diagram.lists]
    if view.left_out:
        sections.append((HEADING, left_out_lines(view)))
    if view.unseated:
        sections.append(("Without a place yet", [view.place_card(p) for p in view.unseated]))
    area_w = width - 2 * MARGIN
    area_top = rule - 12
    pad = 36.0  # labels beside the outermost spots
    scale = min(1.0, (area_w - 2 * pad) / diagram.width)
    # the lists get what the drawing leaves, at least a few lines
    room = area_top - (MARGIN + FOOTER_H) - 8
    lists_h = max(5 * LIST_LINE, room - diagram.height * scale - 2 * pad) if sections else 0.0
    area_bottom = MARGIN + FOOTER_H + lists_h + 8
    scale = min(scale, (area_top - area_bottom - 2 * pad) / max(diagram.height, 1))
    left = MARGIN + (area_w - diagram.width * scale) / 2
    top = area_top - pad * 0.6
    for outline in diagram.outlines:
        _draw_outline(canvas, outline, left + outline.x * scale, top - outline.y * scale,
                      scale)
    canvas.saveState()
    for caption in diagram.captions:
        size = {"side": 10.0, "row": 10.0, "list": 7.5}.get(caption.kind, 8.0)
        canvas.setFillColor(INK if caption.kind in ("side", "row") else MUTED)
        align: Align = "center" if caption.align == "center" else (
            "left" if caption.align == "left" else "right")
        draw_text(canvas, left + caption.x * scale, top - caption.y * scale, caption.text,
                  max(5.5, size * min(1.0, scale + 0.15)), bold=caption.kind in ("side", "row"),
                  align=align)
    canvas.restoreState()
    shown = {s.person.id for s in diagram.spots if s.person is not None and s.place is None}
    radius = 9.0
    for spot in diagram.spots:
        x, y = left + spot.x * scale, top - spot.y * scale
        _draw_label(canvas, _label_lines(view, spot, shown), spot, x, y, radius, scale)
        _draw_mark(canvas, spot, x, y, radius)
    if sections:
        canvas.saveState()
        canvas.setStrokeColor(GUIDE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, area_bottom - 2, width - MARGIN, area_bottom - 2)
        canvas.restoreState()
        _draw_lists(canvas, sections, MARGIN, area_bottom - 4, width - MARGIN,
                    MARGIN + FOOTER_H)
    _chart_footer(canvas, page, office, STANDING, legend=True)
