"""Who is not placed at an event, and why: the block every seating page prints.

People on duty (close protection, staff, escorts) are left out of a plan by default
(:attr:`SeatingPlanView.left_out`); the officer must see who and why on paper as on
screen, so a banquet's first table page (:mod:`protocol_app.briefing.seating_chart`) and
the page of any other arrangement (:mod:`protocol_app.briefing.arrangement_chart`) both
print them with the same lines.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from protocol_app.briefing.drawing import MUTED, draw_label
from protocol_app.briefing.text import paragraph_style, user_paragraph
from protocol_app.services.protocol.values import SeatingPlanView

HEADING = "Not seated (on duty), with the reason"


def left_out_lines(view: SeatingPlanView) -> list[str]:
    """Everyone not placed, with the reason: "Mr. Caldwell – escorts are on duty; ..."."""
    return [f"{view.place_card(lo.person)} – {lo.reason}" for lo in view.left_out]


def draw_left_out_panel(canvas: Canvas, view: SeatingPlanView, x: float, bottom: float,
                        width: float, top: float) -> float:
    """The heading and one wrapped line per person, from ``bottom`` up (never above
    ``top``); returns the y of the block's top (``bottom`` when nobody is left out)."""
    lines = left_out_lines(view)
    if not lines:
        return bottom
    style = paragraph_style("LeftOut", size=7.5, leading=9.5)
    paragraphs = [user_paragraph(line, style) for line in lines]
    heights = [p.wrap(width, 1000)[1] for p in paragraphs]
    room = top - bottom - 16
    shown = 0
    while shown < len(paragraphs) and sum(heights[:shown + 1]) <= room:
        shown += 1
    y = bottom + sum(heights[:shown]) + (10 if shown < len(paragraphs) else 0)
    block_top = y + 14
    draw_label(canvas, x, y + 4, HEADING, 8.5, bold=True)
    for paragraph, height in zip(paragraphs[:shown], heights[:shown], strict=True):
        paragraph.drawOn(canvas, x, y - height)
        y -= height
    if shown < len(paragraphs):
        draw_label(canvas, x, bottom, f"… and {len(paragraphs) - shown} more (see the app)",
                   7, color=MUTED)
    return block_top
