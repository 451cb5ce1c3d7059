"""Font fallback: which font of the chain prints each character of a line.

Each character goes to the first font of the fallback chain
(:mod:`protocol_app.briefing.fonts`) that covers it. Punctuation, digits and symbols
follow the letters of their word when that font has them, and combining marks and
joiners stay with their base character, so a word is cut between fonts as rarely as
possible.
"""

from __future__ import annotations

import unicodedata

from protocol_app.briefing.fonts import BASE_FAMILY, coverage, font_for
from protocol_app.briefing.text.chars import (
    _BIDI_CONTROLS,
    _ZWSP,
    _is_break_space,
    _is_joiner,
    _is_mark,
)


def _word_families(word: str) -> list[str]:
    """The font family of each character of one whitespace-free word (logical order)."""
    families: list[str | None] = [None] * len(word)
    # 1. letters take the first font that covers them
    for index, char in enumerate(word):
        if unicodedata.category(char)[0] == "L" and not _is_mark(char):
            families[index] = font_for(char)
    strong = list(families)

    def neighbour(index: int, step: int) -> str | None:
        position = index + step
        while 0 <= position < len(word):
            if strong[position] is not None:
                return strong[position]
            position += step
        return None

    # 2. punctuation, digits, symbols and uncovered letters follow their word's letters
    for index, char in enumerate(word):
        if families[index] is not None or _is_mark(char):
            continue
        before, after = neighbour(index, -1), neighbour(index, 1)
        for candidate in (before, after):
            if candidate is not None and _covers(candidate, char):
                families[index] = candidate
                break
        else:
            # no letter's font has it: its own font, else (uncovered) the letters' font
            families[index] = font_for(char) or before or after or BASE_FAMILY
    # 3. marks and joiners stay with the character before them (HarfBuzz needs them
    #    in the same run); a mark that font lacks goes to a font that has it
    for index, char in enumerate(word):
        if families[index] is not None:
            continue
        previous = families[index - 1] if index else None
        following = next((f for f in families[index + 1 :] if f is not None), None)
        base = previous or following
        if base is not None and (_is_joiner(char) or _covers(base, char)):
            families[index] = base
        else:
            families[index] = font_for(char) or base or BASE_FAMILY
    return [family or BASE_FAMILY for family in families]


def _covers(family: str, char: str) -> bool:
    return ord(char) in coverage(family)


def _families(line: str) -> list[str | None]:
    """Font family per character of a line; ``None`` for whitespace and separators."""
    families: list[str | None] = [None] * len(line)
    start = None
    for index, char in enumerate([*line, " "]):
        boundary = _is_break_space(char) or char == _ZWSP or char in _BIDI_CONTROLS
        if boundary:
            if start is not None:
                families[start:index] = _word_families(line[start:index])
                start = None
        elif start is None:
            start = index
    return families
