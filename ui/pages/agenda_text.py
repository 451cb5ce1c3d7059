"""The text of the agenda's cards: which lines a card shows, in which font.

Pure layout over font metrics (no painting), so the canvas paints what
:func:`card_lines` decides and a test can ask the same.  A title wraps onto two lines
before it is cut: a card two title lines tall shows "10:00 Signing of the Memorandum /
of Understanding on…" rather than one cut line and the times; a taller card adds the
times and the venue; only a card one line tall cuts the title to one line.  A cut title
is whole in the card's tooltip (the canvas's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetrics

#: A card's title takes at most this many lines.
MAX_TITLE_LINES = 3


def wrap_lines(text: str, metrics: QFontMetrics, width: int, max_lines: int) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines of ``width``; the last elided."""
    if max_lines <= 0 or width <= 4:
        return []
    words = text.split()
    lines: list[str] = []
    current = ""
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if metrics.horizontalAdvance(candidate) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[i:])
            break
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1:])]
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


@dataclass(frozen=True, slots=True)
class CardLine:
    """One line of a card: its text, and whether it is set in the title's font."""

    text: str
    title: bool


def card_lines(title: str, when: str, venue: str, start_prefix: str, *,
               title_metrics: QFontMetrics, small_metrics: QFontMetrics,
               width: int, height: float) -> list[CardLine]:
    """The lines a card of ``width`` × ``height`` (its text box) shows.

    ``start_prefix`` ("10:00 ") leads the title when the times have no line of their
    own; ``when`` (times, zone, status) and ``venue`` follow the title when there is room.
    """
    title_line, small_line = title_metrics.lineSpacing(), small_metrics.lineSpacing()
    lines_free = int((height + 2) // title_line)
    if lines_free <= 0 or width <= 4:
        return []
    alone = start_prefix + title
    if lines_free == 1:
        return [CardLine(title_metrics.elidedText(alone, Qt.TextElideMode.ElideRight, width),
                         True)]
    whole_on_one = title_metrics.horizontalAdvance(title) <= width
    room_for_when = title_line * 2 + small_line <= height + 2
    if not whole_on_one and not room_for_when:  # two lines: the title before the times
        return [CardLine(line, True) for line in wrap_lines(alone, title_metrics, width, 2)]
    extras = [extra for extra in (when, venue) if extra]
    title_lines = max(1, min(MAX_TITLE_LINES, lines_free - 1 - (1 if venue and lines_free >= 4
                                                                 else 0)))
    if not whole_on_one:
        title_lines = max(2, title_lines)
    lines = [CardLine(line, True) for line in wrap_lines(title, title_metrics, width,
                                                         title_lines)]
    used = title_line * len(lines)
    for extra in extras:
        if used + small_line > height + 2:
            break
        lines.append(CardLine(small_metrics.elidedText(extra, Qt.TextElideMode.ElideRight,
                                                       width), False))
        used += small_line
    return lines



def grown_to_two_lines(cards: Sequence[tuple[QRectF, Any]], height: float, bottom: float
                       ) -> list[tuple[QRectF, Any]]:
    """``(rect, segment)`` cards, each shorter than ``height`` grown down towards it as far
    as the free space below allows: never over another card of its day (a card below it
    that it overlaps sideways) nor past ``bottom``.  Lanes are unchanged, so a day
    keeps its width; only the empty space under a short card is used."""
    grown = []
    for rect, segment in cards:
        if rect.height() >= height:
            grown.append((rect, segment))
            continue
        limit = min(rect.top() + height, bottom)
        for other, other_segment in cards:
            beside = (other.left() < rect.right() and rect.left() < other.right())
            if (other_segment.day_index == segment.day_index and beside
                    and other.top() >= rect.bottom() - 0.5):
                limit = min(limit, other.top() - 2)
        grown.append((QRectF(rect.left(), rect.top(), rect.width(),
                             max(rect.height(), limit - rect.top())), segment))
    return grown
