"""Characters of user text: cleaning, and the classes the other modules ask about.

:func:`_clean` makes user text safe to lay out (NFC, one kind of newline, no control
characters); the sets and predicates here name the characters that are whitespace,
bidi controls, joiners or combining marks.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from protocol_app.briefing.fonts import BASE_FAMILY

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


def plain_text_for_metadata(text: object) -> str:
    """User text fit for PDF metadata and bookmarks: logical order, one line.

    NFC, controls and bidi formatting characters removed, whitespace collapsed. PDF
    viewers lay out and shape metadata themselves, so nothing is reordered here.
    """
    cleaned = "".join(char for char in _clean(text) if char not in _BIDI_CONTROLS)
    return " ".join(cleaned.replace(_ZWSP, " ").split())
