"""A line of user text as pieces in visual order: single-font runs of words, in the
order HarfBuzz must receive them, with the spaces and break opportunities between them;
and the width reportlab gives a run once shaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from bidi.mirror import MIRRORED
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord

from protocol_app.briefing.fonts import BASE_FAMILY, SHAPING_FEATURES
from protocol_app.briefing.text import linebreak
from protocol_app.briefing.text.bidi_order import (
    _base_level,
    _harfbuzz_rtl,
    _levels,
    _visual_order,
)
from protocol_app.briefing.text.chars import _BIDI_CONTROLS, _ZWSP, Direction, _is_break_space
from protocol_app.briefing.text.fallback import _families


@dataclass(frozen=True, slots=True)
class _Piece:
    """One item of a line in visual order."""

    kind: Literal["text", "space", "break"]
    family: str
    text: str = ""
    glued: bool = False
    """A text piece that follows another text piece of the same word (other font)."""


def _word_pieces(
    line: str, indices: list[int], levels: list[int], families: list[str | None]
) -> Iterator[_Piece]:
    """Cut one word (visual order) into single-font pieces in HarfBuzz input order."""
    start = 0
    first = True
    while start < len(indices):
        family = families[indices[start]] or BASE_FAMILY
        end = start + 1
        while end < len(indices) and (families[indices[end]] or BASE_FAMILY) == family:
            end += 1
        run = indices[start:end]
        visual = "".join(line[index] for index in run)
        if _harfbuzz_rtl(visual):
            # HarfBuzz reverses right-to-left runs and mirrors every mirrorable
            # character in them: feed the reverse of the visual order, mirrored
            # beforehand where the final glyph must not be mirrored.
            text = "".join(
                line[index] if levels[index] % 2 else MIRRORED.get(line[index], line[index])
                for index in reversed(run)
            )
        else:
            text = "".join(
                MIRRORED.get(line[index], line[index]) if levels[index] % 2 else line[index]
                for index in run
            )
        yield _Piece("text", family, text, glued=not first)
        first = False
        start = end


def _line_pieces(line: str, direction: Direction, *, breaks: bool = False) -> list[_Piece]:
    """A cleaned single line as pieces in visual order (whitespace collapsed).

    ``breaks``: with a break piece at each of the line's break opportunities inside
    words (see :func:`_break_opportunities`), for paragraphs.
    """
    if not any(not _is_break_space(char) and char not in _BIDI_CONTROLS for char in line):
        return []
    families = _families(line)
    levels = _levels(line, _base_level(line, direction))
    keep = [char not in _BIDI_CONTROLS for char in line]
    opportunities = linebreak._break_opportunities(line) if breaks else frozenset()
    pieces: list[_Piece] = []
    word: list[int] = []

    def flush() -> None:
        if word:
            pieces.extend(_word_pieces(line, word, levels, families))
            word.clear()

    for index in _visual_order(levels, keep):
        char = line[index]
        if _is_break_space(char):
            flush()
            if pieces and pieces[-1].kind != "space":
                pieces.append(_Piece("space", pieces[-1].family, " "))
        elif char == _ZWSP:
            flush()
            if pieces and pieces[-1].kind == "text":
                pieces.append(_Piece("break", pieces[-1].family))
        else:
            # a break opportunity between two characters that are neighbours on the
            # line too (left to right: Chinese, Japanese and Thai are)
            if index in opportunities and word and word[-1] == index - 1:
                flush()
                pieces.append(_Piece("break", pieces[-1].family))
            word.append(index)
    flush()
    while pieces and pieces[-1].kind != "text":
        pieces.pop()
    return pieces


def _shaped(text: str, face: str, size: float) -> tuple[str, float]:
    """reportlab-shaped text (a ``ShapedStr`` where shaping changed anything) and width."""
    word = [pdfmetrics.stringWidth(text, face, size), (ABag(fontName=face, fontSize=size), text)]
    shaped = shapeFragWord(word, features=dict(SHAPING_FEATURES))[1][1]
    if isinstance(shaped, ShapedStr):
        width = sum(glyph.x_advance for glyph in shaped.__shapeData__) * size / 1000
    else:
        width = pdfmetrics.stringWidth(shaped, face, size)
    return shaped, width
