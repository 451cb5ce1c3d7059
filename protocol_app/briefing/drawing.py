"""Drawing helpers shared by every printed output of a seating plan.

Both :mod:`protocol_app.briefing.seating_chart` (the landscape chart pages) and
:mod:`protocol_app.briefing.cards` (place cards, name badges and the PDF that holds them
all) draw with these: the palette (reportlab colours of
:mod:`protocol_app.rules.seat_style`, which the seating page uses too), one line of user
text shrunk or cut to a width (:func:`fit_size`, :func:`clip_text`, :func:`draw_fitted`,
:func:`draw_label`) and a person's name in their own script (:func:`native_line`).
Text goes through :mod:`protocol_app.briefing.text`, so any script prints with an
embedded font.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from protocol_app.briefing.text import Align, draw_text, text_width
from protocol_app.rules import seat_style as palette
from protocol_app.rules.names import native_script

if TYPE_CHECKING:
    from protocol_app.services.values import PersonRecord

INK = colors.HexColor(palette.INK)
MUTED = colors.HexColor(palette.MUTED)
GUIDE = colors.HexColor(palette.GUIDE)
WHITE = colors.HexColor(palette.WHITE)
TABLE_FILL = colors.HexColor(palette.TABLE_FILL)
DIETARY = colors.HexColor(palette.DIETARY)
INTERPRETER_FILL = colors.HexColor(palette.INTERPRETER_FILL)
COHOST_FILL = colors.HexColor(palette.COHOST_FILL)  # the band of a host's badge


def rl_color(hex_rgb: str) -> colors.Color:
    """A palette colour (``#rrggbb``) for reportlab."""
    return colors.HexColor(hex_rgb)


def native_line(person: PersonRecord, *shown: str) -> str:
    """The person's name in its own script, or "" when it would only repeat a name
    already printed (``shown``) or the name in customary order
    (:func:`protocol_app.rules.names.native_script`)."""
    return native_script(person, *shown)


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
                smallest: float, *, bold: bool = False, align: Align = "center") -> float:
    """Draw one line shrunk (and if need be cut) to ``width``; returns the size used."""
    size = fit_size(text, width, largest, smallest, bold)
    draw_text(canvas, x, y, clip_text(text, width, size, bold), size, bold=bold,
              align=align)
    return size


def draw_label(canvas: Canvas, x: float, y: float, text: str, size: float, *,
           bold: bool = False, align: Align = "left", color: colors.Color = INK) -> float:
    canvas.saveState()
    canvas.setFillColor(color)
    width = draw_text(canvas, x, y, text, size, bold=bold, align=align)
    canvas.restoreState()
    return width
