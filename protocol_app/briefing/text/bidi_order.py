"""Bidi: the embedding level of every character and the visual order of a line.

The levels come from python-bidi (its Rust implementation of the current Unicode
bidirectional algorithm); the reordering (rule L2) and the direction HarfBuzz will
shape a run in are done here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import bidi
import uharfbuzz

from protocol_app.briefing.text.chars import _BIDI_CONTROLS, Direction


def _base_level(line: str, direction: Direction) -> int:
    """Paragraph embedding level: 0 left to right, 1 right to left (rules P2-P3)."""
    if direction == "ltr":
        return 0
    if direction == "rtl":
        return 1
    return bidi.get_base_level(line) if line else 0


# python-bidi's get_display(debug=True) returns the Rust unicode-bidi BidiInfo dump,
# which lists the resolved level of every UTF-8 byte of the text. A newline followed by
# four spaces cannot occur inside the dumped text itself (newlines are escaped there).
_LEVELS_DUMP = re.compile(r"\n    levels: \[(.*?)\n    \]", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(line: str, base_level: int) -> list[int]:
    """Resolved embedding level of every character (UAX #9 up to rule I2).

    The levels come from python-bidi's Rust implementation (unicode-bidi), which
    implements the whole current algorithm: isolates, bracket pairs (rule N0),
    characters newer than Python's Unicode data. Removed characters (bidi controls,
    joiners) carry the level of their neighbour there. Rule L1 is applied here.
    """
    if not line:
        return []
    dump = bidi.get_display(line, base_dir="R" if base_level else "L", debug=True)
    match = _LEVELS_DUMP.search(str(dump))
    byte_levels = [int(level) for level in _LEVEL.findall(match.group(1))] if match else []
    encoded_length = len(line.encode("utf-8"))
    if len(byte_levels) != encoded_length:
        raise RuntimeError("python-bidi returned no per-character levels (unknown debug format)")
    levels: list[int] = []
    offset = 0
    for char in line:
        levels.append(byte_levels[offset])
        offset += len(char.encode("utf-8"))
    # L1: whitespace and bidi controls at the end of the line take the paragraph level
    for index in range(len(line) - 1, -1, -1):
        if line[index].isspace() or line[index] in _BIDI_CONTROLS:
            levels[index] = base_level
        else:
            break
    return levels


def _visual_order(levels: list[int], keep: list[bool]) -> list[int]:
    """Indices of the kept characters in visual order (rule L2 of UAX #9)."""
    order = [index for index, kept in enumerate(keep) if kept]
    if not order:
        return order
    kept_levels = [levels[index] for index in order]
    highest = max(kept_levels)
    odd_levels = [level for level in kept_levels if level % 2]
    if not odd_levels:
        return order
    lowest_odd = min(odd_levels)
    for level in range(highest, lowest_odd - 1, -1):
        position = 0
        while position < len(order):
            if levels[order[position]] >= level:
                end = position
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[position:end] = reversed(order[position:end])
                position = end
            else:
                position += 1
    return order


@lru_cache(maxsize=4096)
def _harfbuzz_rtl(text: str) -> bool:
    """Whether HarfBuzz (as reportlab calls it) will shape ``text`` right to left."""
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    return buffer.direction == "rtl"



_RTL_CLASSES = frozenset(("R", "AL", "AN"))


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)
