"""One line of user text measured (:func:`text_width`) and drawn on a canvas
(:func:`draw_text`) with fallback fonts, shaping and bidi: place cards, headers."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from protocol_app.briefing.fonts import face_name, register_fonts
from protocol_app.briefing.text.chars import Align, Direction, _clean
from protocol_app.briefing.text.pieces import _line_pieces, _shaped


def _single_line(text: object) -> str:
    return " ".join(_clean(text).split("\n"))


def text_width(
    text: object, size: float, bold: bool = False, *, direction: Direction = "auto"
) -> float:
    """Width in points of ``text`` as :func:`draw_text` draws it (newlines as spaces)."""
    register_fonts()
    total = 0.0
    for piece in _line_pieces(_single_line(text), direction):
        face = face_name(piece.family, bold=bold)
        if piece.kind == "text":
            total += _shaped(piece.text, face, size)[1]
        elif piece.kind == "space":
            total += pdfmetrics.stringWidth(" ", face, size)
    return total


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: object,
    size: float,
    *,
    bold: bool = False,
    align: Align = "left",
    direction: Direction = "auto",
) -> float:
    """Draw one line of user text on a canvas with fallback fonts, shaping and bidi.

    ``x`` is the left edge, the centre or the right edge of the text for ``align``
    ``"left"``, ``"center"`` or ``"right"``; ``y`` is the baseline. Newlines are drawn
    as spaces. The canvas keeps its font and other state. Returns the drawn width.
    """
    if align not in ("left", "center", "right"):
        raise ValueError(f"align must be 'left', 'center' or 'right', not {align!r}")
    register_fonts()
    drawn: list[tuple[str, str, float]] = []
    for piece in _line_pieces(_single_line(text), direction):
        face = face_name(piece.family, bold=bold)
        if piece.kind == "text":
            shaped, width = _shaped(piece.text, face, size)
            drawn.append((face, shaped, width))
        elif piece.kind == "space":
            drawn.append((face, "", pdfmetrics.stringWidth(" ", face, size)))
    total = sum(width for _face, _text, width in drawn)
    start = {"left": x, "center": x - total / 2, "right": x - total}[align]
    # One text object: the PDF positions each shaped run after the previous one, and
    # text extraction sees one line. saveState/restoreState keep the canvas font.
    canvas.saveState()
    try:
        text_object = canvas.beginText(start, y)
        for face, shaped, _width in drawn:
            text_object.setFont(face, size)
            text_object.textOut(shaped or " ")
        canvas.drawText(text_object)
    finally:
        canvas.restoreState()
    return total
