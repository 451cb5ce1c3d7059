"""Line breaking: the break opportunities of Chinese and Japanese (kinsoku shori), and
where a word too wide for its line may be split (between clusters, never inside one).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

import uharfbuzz
from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase import pdfmetrics

from protocol_app.briefing.fonts import SHAPING_FEATURES
from protocol_app.briefing.text.chars import (
    _NBSP,
    _SOFT_HYPHEN,
    _ZWJ,
    _ZWSP,
    _is_break_space,
    _is_mark,
)

# Chinese and Japanese characters: Han, kana, bopomofo, CJK punctuation and symbols,
# full-width punctuation and half-width kana. A line may break between two of them, or
# between one of them and another character (UAX #14 classes ID, CJ, OP, CL, ...).
# Not here: Hangul (Korean is written with spaces and breaks at them) and the
# full-width letters and digits (they stay together, as words).
_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x2FF0, 0x303F),  # ideographic description characters, CJK symbols and punctuation
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x31FF),  # kanbun, bopomofo extended, CJK strokes, katakana extensions
    (0x3200, 0x4DBF),  # enclosed CJK letters, CJK compatibility, CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFF0F),  # full-width punctuation ...
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF9F),  # ... and half-width CJK punctuation and katakana
    (0xFFE0, 0xFFEF),  # full-width signs
    (0x16FE0, 0x16FFF),  # ideographic symbols and punctuation
    (0x1AFF0, 0x1B16F),  # kana extended and supplement
    (0x20000, 0x3FFFF),  # CJK extensions B to H, compatibility ideographs supplement
)
_CJK_STARTS = [start for start, _end in _CJK_RANGES]
_CJK_ENDS = [end for _start, end in _CJK_RANGES]
# A quick test for text that may hold Chinese or Japanese.
_MAY_NEED_BREAKS = re.compile(
    "[\u2e80-\u9fff\uf900-\ufaff\ufe10-\ufe4f\uff01-\uffef"
    "\U00016fe0-\U0003ffff]"
)

# Kinsoku shori (JIS X 4051, W3C jlreq and clreq): what may not start or end a line.
# reportlab's lists (reportlab.lib.textsplit), completed with the full-width punctuation
# Chinese uses, all small kana, half-width forms, ellipses and hyphens. Characters of
# the classes "close punctuation" (Pe), "final quote" (Pf), "open punctuation" (Ps) and
# "initial quote" (Pi) are in as well (see _may_start_line, _may_end_line).
_CANNOT_START = frozenset(
    ALL_CANNOT_START
    + "，．：；！？）］｝〉》」』】〕〗〙〛｠｡｣､･%"
    + "ゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯｰﾞﾟ"
    + "〜～…‥〻゠·-\u2011\u2013"
    + "ๆฯ"  # Thai: repetition mark, abbreviation mark
)
_CANNOT_END = frozenset(ALL_CANNOT_END + "（［｛〈《「『【〔〖〘〚｟｢\u2011")
# Doubled dashes and ellipses are one sign: never broken apart.
_INSEPARABLE = frozenset("—―…‥")

# Thai vowels written before the consonant they follow in speech: never at a line end.
_THAI_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
# Thai vowels and signs that end a syllable or a word: never at a line start.
_THAI_NO_BREAK_BEFORE = frozenset("\u0e30\u0e32\u0e33\u0e45\u0e46\u0e2f")
# The canonical combining class of viramas (Devanagari ्, Thai ฺ, ...).
_VIRAMA_CLASS = 9


def _is_cjk(char: str) -> bool:
    code_point = ord(char)
    index = bisect_right(_CJK_STARTS, code_point) - 1
    return index >= 0 and code_point <= _CJK_ENDS[index]


def _may_start_line(char: str) -> bool:
    return char not in _CANNOT_START and unicodedata.category(char) not in ("Pe", "Pf")


def _may_end_line(char: str) -> bool:
    return char not in _CANNOT_END and unicodedata.category(char) not in ("Ps", "Pi")


def _continues_cluster(before: str, char: str) -> bool:
    """Whether ``char`` belongs to the grapheme cluster of ``before``."""
    return _is_mark(char) or before == _ZWJ or 0x1F3FB <= ord(char) <= 0x1F3FF


def _breakable_in_syllable(before: str, char: str) -> bool:
    """Whether a break between ``before`` and ``char`` leaves a syllable whole.

    Never before a combining mark, never after a virama (it joins the consonants
    around it into a conjunct: Devanagari ध्य), and in Thai never before a vowel that
    ends a syllable or after a leading vowel (เ แ โ ใ ไ): a line must not start with a
    floating mark or end with a vowel whose consonant went to the next line.
    """
    return not (
        _is_mark(char)
        or unicodedata.combining(before) == _VIRAMA_CLASS
        or char in _THAI_NO_BREAK_BEFORE
        or before in _THAI_LEADING_VOWELS
    )


def _break_opportunities(line: str) -> frozenset[int]:
    """Where a line of user text may break besides its spaces (index of the character
    after the break): between Chinese and Japanese characters unless kinsoku forbids it.
    Never inside a grapheme cluster, never next to a no-break space.
    """
    if not _MAY_NEED_BREAKS.search(line):
        return frozenset()
    found: set[int] = set()
    for index in range(1, len(line)):
        before, char = line[index - 1], line[index]
        if not (_is_cjk(before) or _is_cjk(char)):
            continue
        if (
            _is_break_space(before)
            or _is_break_space(char)
            or _NBSP in (before, char)
            or _ZWSP in (before, char)
            or _continues_cluster(before, char)
            or not _may_end_line(before)
            or not _may_start_line(char)
            or (before == char and char in _INSEPARABLE)
        ):
            continue
        found.add(index)
    return frozenset(found)


def _is_fragile(char: str) -> bool:
    """Characters that make a cluster with their neighbours, and Thai."""
    code_point = ord(char)
    return (
        (_is_mark(char) and char != _SOFT_HYPHEN)
        or 0x0E00 <= code_point <= 0x0E7F  # Thai (leading and final vowels)
        or 0x1100 <= code_point <= 0x11FF  # Hangul jamo
        or 0xA960 <= code_point <= 0xA97F
        or 0xD7B0 <= code_point <= 0xD7FF
        or 0x1F1E6 <= code_point <= 0x1F1FF  # regional indicators (flags)
        or 0x1F3FB <= code_point <= 0x1F3FF  # emoji skin tone modifiers
    )


def needs_cluster_safe_split(text: str) -> bool:
    """Whether a word of ``text`` that is wider than its line must be split between
    clusters rather than at any character, as reportlab splits it.

    True for text with combining marks, joiners, variation selectors, Hangul jamo,
    flags, emoji modifiers, and for Thai.
    """
    return not text.isascii() and any(_is_fragile(char) for char in text)


@lru_cache(maxsize=32)
def _harfbuzz_font(face: str) -> uharfbuzz.Font:
    return uharfbuzz.Font(pdfmetrics.getFont(face).hbFace)


@lru_cache(maxsize=4096)
def _cluster_starts(text: str, face: str) -> tuple[int, ...]:
    """Where ``text`` may be split when it must (never at 0).

    At the starts of the clusters HarfBuzz makes when it shapes ``text`` with ``face``:
    grapheme clusters (a letter with its marks, an emoji sequence joined with ZWJ, a
    flag) and ligatures, whose glyphs stand for several characters; never inside an
    Indic conjunct, and in Thai never after a leading vowel or before a final one (see
    :func:`_breakable_in_syllable`).
    """
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_GRAPHEMES
    uharfbuzz.shape(_harfbuzz_font(face), buffer, dict(SHAPING_FEATURES))
    starts = sorted({info.cluster for info in buffer.glyph_infos})
    return tuple(
        index
        for index in starts
        if 0 < index < len(text) and _breakable_in_syllable(text[index - 1], text[index])
    )
