"""User text for reportlab: escaping, font fallback, shaping and right-to-left layout.

Names and notes arrive in any script. This module turns such a string into something
reportlab prints correctly, either as paragraph markup (:func:`para_markup`, for
``Paragraph``) or straight onto a canvas (:func:`draw_text`, for place cards and
headers). User text is data: it is escaped, never interpreted as markup.

How it is done
--------------
* **Fonts.** Each character goes to the first font of the fallback chain
  (:mod:`protocol_app.briefing.fonts`) that covers it. Punctuation, digits and
  symbols follow the letters of their word when that font has them, and combining
  marks and joiners stay with their base character, so a word is cut between fonts
  as rarely as possible.
* **Shaping** (Arabic joining, Devanagari conjuncts and vowel signs, Thai mark
  stacking, kerning) is reportlab's own: reportlab 5.1 shapes TrueType text with
  uharfbuzz when a paragraph style has ``shaping=1`` (``ttfonts.shapeFragWord``) and
  draws the glyphs with HarfBuzz's offsets; :func:`draw_text` calls the same
  ``shapeFragWord`` and draws the resulting ``ShapedStr`` on the canvas. The
  discretionary ligatures reportlab would also apply are switched off (see
  ``fonts.register_fonts``). reportlab shapes each paragraph word (text between
  spaces) with the font of the word's first fragment, so where one word needs two
  fonts (``(محمد)``, ``כהן,``, ``東京1-2``) :func:`para_markup` ends the word between
  them with a space in a zero-size font (:func:`word_separator`).
* **Bidi.** reportlab's own bidi support needs ``rlbidi``, which is not on PyPI, and
  is off for paragraphs with several fonts anyway. Here python-bidi (its Rust
  implementation of the current Unicode bidirectional algorithm, with isolates and
  bracket pairs) resolves the embedding level of every character -- each line of the
  user text is one bidi paragraph, its direction taken from its first strong
  character unless given -- and the line is reordered to visual order (rule L2).
  Each word is then handed to HarfBuzz the way it shapes right-to-left text: the
  characters of a right-to-left word in logical order (HarfBuzz reverses them and
  joins the Arabic letters), brackets and other mirrored characters pre-mirrored so
  that a glyph ends up mirrored exactly when its level is odd.

* **Line breaking.** reportlab breaks lines at spaces only (and splits a word longer
  than a line at any character). :func:`para_markup` adds the break opportunities of
  scripts written without spaces, as zero-width word separators
  (:func:`word_separator`), so that reportlab's own line breaker uses them:

  - Chinese and Japanese may break between any two characters, except where kinsoku
    shori forbids it: no line starts with closing punctuation, small kana, the
    prolonged sound mark or iteration marks, and none ends with an opening bracket
    (reportlab's lists in ``reportlab.lib.textsplit``, completed with the full-width
    punctuation Chinese uses). Latin words and numbers inside Chinese or Japanese text
    still break only at spaces. Korean is written with spaces and keeps to them.
  - Thai, written without spaces between words, breaks at its spaces (between
    phrases); finding its word boundaries needs a dictionary segmenter, and none small
    and well kept is available (see Limits).
  - A word that is wider than the line and made of clusters of several characters
    (combining accents, Devanagari conjuncts, Thai vowel and tone marks, emoji joined
    with ZWJ) is split only between clusters (HarfBuzz's clusters, which are
    grapheme clusters or ligatures), and a Thai word never after a leading vowel;
    :class:`UserTextParagraph` does this for the width it is wrapped at. Other
    over-long words are split by reportlab as before.

  reportlab's own ``wordWrap='CJK'`` is not used: it breaks every paragraph character
  by character without shaping, splits Latin words and emoji sequences, lets lines
  start with full-width commas and end with opening brackets.

Limits
------
* Bidi reordering is done per line of user text, before reportlab wraps a paragraph:
  a right-to-left passage that reportlab wraps over several lines would have its
  lines in the wrong order. :func:`user_paragraph` avoids that (it breaks such text
  itself for the width it gets); with bare :func:`para_markup`, pass ``wrap_width``.
* Thai breaks only at spaces, that is between phrases, and an over-long phrase is split
  between clusters, possibly inside a word (never inside a cluster, never after a
  leading vowel). Word boundaries would need a dictionary segmenter: PyThaiNLP is 67 MB
  installed, and the small ones are young single-author native libraries. Lao, Khmer
  and Burmese (no bundled font either) break only at spaces.
* In a paragraph that is shaped, a word printed in two fonts is cut between them (see
  :func:`word_separator`), and reportlab may break the line there: a quotation mark
  the Chinese font lacks (“ ”) may then end or start a line. Chinese and Japanese text
  alone needs no shaping (:func:`para_markup` with ``shaping=False``), and keeps the
  rules there too.
* Emoji and other uncovered characters print as the font's empty box;
  :func:`~protocol_app.briefing.fonts.uncovered_characters` reports them beforehand.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from xml.sax.saxutils import escape

import bidi
import uharfbuzz
from bidi.mirror import MIRRORED
from reportlab.lib.abag import ABag
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from protocol_app.briefing.fonts import (
    BASE_FAMILY,
    SHAPING_FEATURES,
    coverage,
    face_name,
    font_for,
    register_fonts,
)

__all__ = [
    "Align",
    "Direction",
    "UserTextParagraph",
    "draw_text",
    "needs_cluster_safe_split",
    "para_markup",
    "paragraph_style",
    "plain_text_for_metadata",
    "text_width",
    "user_paragraph",
    "word_separator",
]

Align = Literal["left", "center", "right"]
Direction = Literal["auto", "ltr", "rtl"]


def word_separator() -> str:
    """Markup that ends a reportlab paragraph word without printing anything.

    A space in a zero-size font: reportlab splits words at it, and a zero-size space
    has no width, so nothing is added between the two neighbours (not even for
    justification). :func:`para_markup` puts it where one word needs two fonts in a
    shaped paragraph, so that reportlab shapes each font's part on its own, and at the
    break opportunities it adds (there, inside a run of one font, a zero-size space in
    that font: ``<font size="0"> </font>``).
    """
    return _WORD_SEPARATOR


_WORD_SEPARATOR = f'<font name="{BASE_FAMILY}" size="0"> </font>'

_ZWJ, _ZWNJ, _ZWSP = "\u200d", "\u200c", "\u200b"
_SOFT_HYPHEN = "\xad"
# Explicit bidi formatting characters: they steer the bidi algorithm and are then dropped.
_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
    "\u200e\u200f\u061c"  # LRM RLM ALM
)
# Format characters that stay in the text because shaping or hyphenation uses them.
_KEPT_FORMAT = frozenset((_ZWJ, _ZWNJ, _SOFT_HYPHEN))
_LINE_SEPARATORS = str.maketrans(
    {
        "\r": "\n",
        "\x0b": "\n",
        "\x0c": "\n",
        "\x1c": "\n",
        "\x1d": "\n",
        "\x1e": "\n",
        "\x85": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
        "\t": " ",
        # reportlab keeps only U+00A0 together; the other no-break spaces become it
        "\u202f": "\xa0",
        "\u2007": "\xa0",
    }
)
_NBSP = "\xa0"


def _is_break_space(char: str) -> bool:
    """Whitespace that separates words (a no-break space does not)."""
    return char.isspace() and char != _NBSP


# --------------------------------------------------------------------------- cleaning


def _clean(text: object) -> str:
    """NFC text with one kind of newline, no control characters, no lone surrogates."""
    value = "" if text is None else str(text)
    # Pair up surrogates that came in as two code units; a lone one becomes U+FFFD.
    value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    value = value.replace("\r\n", "\n").translate(_LINE_SEPARATORS)
    value = unicodedata.normalize("NFC", value)
    kept: list[str] = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cc" and char != "\n":
            continue
        if category == "Cf" and char not in _KEPT_FORMAT and char not in _BIDI_CONTROLS:
            if char == _ZWSP:
                kept.append(char)  # a break opportunity: becomes a zero-width separator
            continue
        kept.append(char)
    return "".join(kept)


# ------------------------------------------------------------------------------ fonts


def _is_joiner(char: str) -> bool:
    """Joiners, variation selectors and soft hyphens: invisible, kept with their base."""
    code_point = ord(char)
    return (
        char in (_ZWJ, _ZWNJ, _SOFT_HYPHEN, "\u034f")
        or 0xFE00 <= code_point <= 0xFE0F
        or 0xE0100 <= code_point <= 0xE01EF
    )


def _is_mark(char: str) -> bool:
    """Combining marks and joiners: they belong to the font of the character before."""
    return _is_joiner(char) or unicodedata.category(char)[0] == "M"


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


# ------------------------------------------------------------------------------- bidi


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


# ----------------------------------------------------------------------------- pieces


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
    opportunities = _break_opportunities(line) if breaks else frozenset()
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


# ---------------------------------------------------------------------- line breaking

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


def _piece_width(piece: _Piece, size: float, bold: bool, shaping: bool) -> float:
    """The width of a text piece as reportlab measures it, shaped or not."""
    face = face_name(piece.family, bold=bold)
    if shaping:
        return _shaped(piece.text, face, size)[1]
    return pdfmetrics.stringWidth(piece.text, face, size)


def _splits_long_piece(
    piece: _Piece, width: float, size: float, bold: bool, shaping: bool
) -> bool:
    """Whether ``piece`` is a text piece wider than ``width`` to be split between
    clusters (left-to-right text only: right-to-left words are split by reportlab)."""
    return (
        piece.kind == "text"
        and needs_cluster_safe_split(piece.text)
        and not _harfbuzz_rtl(piece.text)
        and _piece_width(piece, size, bold, shaping) > width
    )


def _split_long_pieces(
    pieces: list[_Piece], width: float | None, size: float, bold: bool, shaping: bool
) -> list[_Piece]:
    """``pieces`` with each text piece to split (see :func:`_splits_long_piece`) cut at
    its cluster starts, a break between each two parts."""
    if width is None:
        return pieces
    result: list[_Piece] = []
    for piece in pieces:
        if not _splits_long_piece(piece, width, size, bold, shaping):
            result.append(piece)
            continue
        previous = 0
        starts = _cluster_starts(piece.text, face_name(piece.family, bold=bold))
        for start in (*starts, len(piece.text)):
            if previous:
                result.append(_Piece("break", piece.family))
            glued = piece.glued and not previous
            result.append(_Piece("text", piece.family, piece.text[previous:start], glued))
            previous = start
    return result


def _widest_fragile_piece(
    text: str, size: float, bold: bool, direction: Direction, shaping: bool
) -> float:
    """Width of the widest piece of ``text`` that would be split between clusters."""
    widest = 0.0
    for line in _clean(text).split("\n"):
        for piece in _line_pieces(line, direction, breaks=True):
            if _splits_long_piece(piece, widest, size, bold, shaping):
                widest = _piece_width(piece, size, bold, shaping)
    return widest


# ----------------------------------------------------------------------------- markup


def para_markup(
    text: object,
    *,
    bold: bool = False,
    direction: Direction = "auto",
    wrap_width: float | None = None,
    font_size: float = 10.0,
    split_width: float | None = None,
    shaping: bool = True,
) -> str:
    """Paragraph markup that prints ``text`` literally, in any script.

    The result is for a reportlab ``Paragraph`` whose style has ``shaping=1`` and a
    TrueType font as ``fontName`` (see :func:`paragraph_style`; with another style
    reportlab does not shape, and Arabic prints unjoined). It can be embedded in larger
    markup (``f"<b>Guest:</b> {para_markup(name)}"``).

    * ``&``, ``<`` and ``>`` are escaped: user markup, ``<img>`` or ``<a href>`` never
      runs and nothing is fetched.
    * Each run is wrapped in ``<font name="...">`` with the first font of the chain
      covering it (``bold`` picks the bold faces, where bundled).
    * Right-to-left text is reordered to visual order per line; Arabic, Devanagari and
      Thai are shaped by reportlab.
    * Newlines become ``<br/>``.
    * Chinese and Japanese text gets a break opportunity between characters (kinsoku
      rules kept): zero-width word separators, see the module documentation.
    * ``direction`` sets each line's base direction (default: from its first strong
      character). ``wrap_width`` (points, with ``font_size``) breaks lines here,
      before the bidi reordering, which keeps a long right-to-left passage in order
      over several lines; without it reportlab wraps the visually ordered text.
    * ``split_width`` (points, with ``font_size``): words wider than this that hold
      clusters of several characters get a break opportunity between each two
      clusters, so that reportlab never splits them inside one.
    * ``shaping=False`` for a paragraph style without shaping: a word printed in two
      fonts is then not cut between them (see :func:`word_separator`; without shaping
      reportlab needs no cut), so a line never breaks there either -- between a
      Chinese character and a quotation mark the Chinese font lacks, say.
    """
    register_fonts()
    lines = _clean(text).split("\n")
    out_lines: list[str] = []
    for line in lines:
        if wrap_width is not None:
            # the base direction belongs to the whole line, not to each wrapped part
            base: Direction = "rtl" if _base_level(line, direction) else "ltr"
            parts = _wrap_logical(line, wrap_width, font_size, bold, base)
        else:
            base, parts = direction, [line]
        out_lines.extend(
            _pieces_markup(
                _split_long_pieces(
                    _line_pieces(part, base, breaks=True), split_width, font_size, bold, shaping
                ),
                bold,
                shaping,
            )
            for part in parts
        )
    return "<br/>".join(out_lines)


# A break opportunity inside a run of one font: a zero-size space in that font.
_IN_RUN_SEPARATOR = '<font size="0"> </font>'


def _pieces_markup(pieces: list[_Piece], bold: bool, shaping: bool = True) -> str:
    """Markup for one line of pieces: runs of one face merged into one ``<font>``.

    ``shaping``: the paragraph is shaped, so a word is cut where its font changes.
    """
    parts: list[str] = []
    open_face: str | None = None
    for index, piece in enumerate(pieces):
        face = face_name(piece.family, bold=bold)
        if piece.kind == "break" and open_face is not None:
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            if (
                following is not None
                and following.kind == "text"
                and not following.glued
                and face_name(following.family, bold=bold) == open_face
            ):
                # the run goes on in the same font after the break: stay in it
                parts.append(_IN_RUN_SEPARATOR)
                continue
        if piece.kind == "break" or (piece.kind == "text" and piece.glued and shaping):
            if open_face is not None:
                parts.append("</font>")
                open_face = None
            parts.append(word_separator())
            if piece.kind == "break":
                continue
        if piece.kind == "space":
            parts.append(" ")
            continue
        if face != open_face:
            if open_face is not None:
                parts.append("</font>")
            parts.append(f'<font name="{face}">')
            open_face = face
        parts.append(escape(piece.text))
    if open_face is not None:
        parts.append("</font>")
    return "".join(parts)


def _wrap_logical(
    line: str, width: float, size: float, bold: bool, direction: Direction
) -> list[str]:
    """Greedy line breaking of one logical line by shaped width: at spaces, and at the
    break opportunities of Chinese and Japanese (see :func:`_break_opportunities`).
    """
    opportunities = _break_opportunities(line)
    # (what joins the token to the one before it: a space or nothing, token)
    tokens: list[tuple[str, str]] = []
    joiner = ""
    start: int | None = None
    for index, char in enumerate(line):
        if _is_break_space(char):
            if start is not None:
                tokens.append((joiner, line[start:index]))
                start = None
            joiner = " " if tokens else ""
        elif start is None:
            start = index
        elif index in opportunities:
            tokens.append((joiner, line[start:index]))
            joiner, start = "", index
    if start is not None:
        tokens.append((joiner, line[start:]))
    if not tokens:
        return [""]
    lines: list[str] = []
    current = ""
    for joiner, token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if current and text_width(candidate, size, bold=bold, direction=direction) > width:
            lines.append(current)
            current = token
        else:
            current = candidate
    lines.append(current)
    return lines


# ----------------------------------------------------------------------------- canvas


def _shaped(text: str, face: str, size: float) -> tuple[str, float]:
    """reportlab-shaped text (a ``ShapedStr`` where shaping changed anything) and width."""
    word = [pdfmetrics.stringWidth(text, face, size), (ABag(fontName=face, fontSize=size), text)]
    shaped = shapeFragWord(word, features=dict(SHAPING_FEATURES))[1][1]
    if isinstance(shaped, ShapedStr):
        width = sum(glyph.x_advance for glyph in shaped.__shapeData__) * size / 1000
    else:
        width = pdfmetrics.stringWidth(shaped, face, size)
    return shaped, width


_BREAK_SPACES = re.compile(r"[^\S\xa0]+")


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


# --------------------------------------------------------------------------- helpers


def paragraph_style(
    name: str = "UserText",
    *,
    parent: ParagraphStyle | None = None,
    size: float | None = None,
    leading: float | None = None,
    **overrides: object,
) -> ParagraphStyle:
    """A paragraph style fit for :func:`para_markup` output.

    Base font: the bundled text face; ``shaping=1`` (reportlab shapes with uharfbuzz);
    long words are split. Without ``parent`` the size defaults to 10 pt; the leading
    defaults to 1.35 times the size, room for Thai and Devanagari marks.
    """
    register_fonts()
    font_size = size if size is not None else (parent.fontSize if parent else 10.0)
    values: dict[str, object] = {
        "fontName": BASE_FAMILY,
        "fontSize": font_size,
        "leading": leading if leading is not None else round(font_size * 1.35, 2),
        "shaping": 1,
        "splitLongWords": 1,
    }
    values.update(overrides)
    return ParagraphStyle(name, parent=parent, **values)


_RTL_CLASSES = frozenset(("R", "AL", "AN"))


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)


class UserTextParagraph(Paragraph):
    """A ``Paragraph`` of user text; made by :func:`user_paragraph` or :meth:`of`.

    Its markup is made anew for the width it is wrapped at when the text holds
    right-to-left characters, or clusters of several characters:

    * right-to-left text: each :meth:`wrap` breaks the lines for the available width
      before the bidi reordering (``para_markup(wrap_width=)``), so that a
      right-to-left passage keeps its lines in order;
    * a word wider than the line that holds clusters (combining marks, Devanagari
      conjuncts, Thai, emoji sequences) gets break opportunities between its clusters
      (``para_markup(split_width=)``), so that reportlab splits it between two.

    Pieces made by :meth:`split` are ordinary paragraphs of already broken lines.
    """

    _user_text: str | None = None
    _bold: bool = False
    _direction: Direction = "auto"
    _prefix: str = ""
    _rtl: bool = False
    _wrapped_width: float | None = None
    _split_width: float | None = None
    _widest: tuple[float, float] | None = None
    """(font size, width of the widest piece to split between clusters at that size)."""

    @classmethod
    def of(
        cls,
        text: object,
        style: ParagraphStyle,
        *,
        bold: bool = False,
        direction: Direction = "auto",
        prefix: str = "",
    ) -> UserTextParagraph:
        """A paragraph of ``prefix`` (paragraph markup: a label) and user ``text``.

        ``style`` is used as it is (see :func:`user_paragraph`, which adapts it); the
        markup is made for it, shaped or not.
        """
        register_fonts()
        cleaned = _clean(text)
        markup = para_markup(cleaned, bold=bold, direction=direction, shaping=_shapes(style))
        paragraph = cls(prefix + markup, style)
        rtl = _has_rtl(cleaned)
        if rtl or needs_cluster_safe_split(cleaned):
            paragraph._user_text = cleaned
            paragraph._bold = bold
            paragraph._direction = direction
            paragraph._prefix = prefix
            paragraph._rtl = rtl
        return paragraph

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Make the markup for ``availWidth`` where it depends on it, then wrap."""
        if self._user_text is not None and availWidth != self._wrapped_width:
            style = self.style
            indent = style.leftIndent + style.rightIndent + max(0.0, style.firstLineIndent)
            width = max(availWidth - indent - _WRAP_SLACK, 1.0)
            markup: str | None = None
            shaping = _shapes(style)
            if self._rtl:
                markup = para_markup(
                    self._user_text,
                    bold=self._bold,
                    direction=self._direction,
                    wrap_width=width,
                    font_size=style.fontSize,
                    split_width=width,
                    shaping=shaping,
                )
            else:
                split = width if self._widest_piece(style.fontSize) > width else None
                if split != self._split_width:
                    markup = para_markup(
                        self._user_text,
                        bold=self._bold,
                        direction=self._direction,
                        font_size=style.fontSize,
                        split_width=split,
                        shaping=shaping,
                    )
                self._split_width = split
            if markup is not None:
                self._setup(self._prefix + markup, style, self.bulletText, None,
                            cleanBlockQuotedText)
            self._wrapped_width = availWidth
        return super().wrap(availWidth, availHeight)

    def _widest_piece(self, size: float) -> float:
        if self._widest is None or self._widest[0] != size:
            assert self._user_text is not None
            widest = _widest_fragile_piece(
                self._user_text, size, self._bold, self._direction, _shapes(self.style)
            )
            self._widest = (size, widest)
        return self._widest[1]


def _shapes(style: ParagraphStyle) -> bool:
    """Whether reportlab shapes the words of a paragraph of ``style``."""
    return bool(style.shaping) and bool(pdfmetrics.getFont(style.fontName).shapable)


# Lines are broken this much narrower than reportlab's limit, so that reportlab's own
# measurement (summed differently) never breaks them a second time.
_WRAP_SLACK = 1.0


def user_paragraph(
    text: object,
    style: ParagraphStyle | None = None,
    *,
    bold: bool = False,
    direction: Direction = "auto",
) -> Paragraph:
    """A ``Paragraph`` printing user ``text`` (see :func:`para_markup`).

    ``style`` defaults to :func:`paragraph_style`; a style without ``shaping``, or
    whose font is not a TrueType font (reportlab shapes only then), is adapted.
    Right-to-left text keeps its line order when the paragraph wraps, and words too
    wide for a line are never split inside a cluster (see :class:`UserTextParagraph`).
    """
    register_fonts()
    if style is None:
        style = paragraph_style()
    elif not style.shaping or not pdfmetrics.getFont(style.fontName).shapable:
        # reportlab shapes only when the style's own font is a TrueType font
        font_name = style.fontName
        if not pdfmetrics.getFont(font_name).shapable:
            font_name = BASE_FAMILY
        style = ParagraphStyle(f"{style.name}+shaping", parent=style, shaping=1, fontName=font_name)
    return UserTextParagraph.of(text, style, bold=bold, direction=direction)


def plain_text_for_metadata(text: object) -> str:
    """User text fit for PDF metadata and bookmarks: logical order, one line.

    NFC, controls and bidi formatting characters removed, whitespace collapsed. PDF
    viewers lay out and shape metadata themselves, so nothing is reordered here.
    """
    cleaned = "".join(char for char in _clean(text) if char not in _BIDI_CONTROLS)
    return " ".join(cleaned.replace(_ZWSP, " ").split())
