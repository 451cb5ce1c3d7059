"""Bundled fonts for printed output: registration with reportlab, fallback chain, coverage.

Every font here is a TrueType-outline file under ``resources/fonts`` (reportlab's
``TTFont`` cannot embed CFF/PostScript-outline OpenType fonts), licensed under the SIL
Open Font License 1.1 or the Apache License 2.0; ``resources/fonts/README.md`` lists
them with their sources and licences.

The fonts form one ordered fallback chain. A character is printed with the first font
of the chain whose ``cmap`` maps it to a real glyph:

1. Noto Sans -- Latin (with Vietnamese), Greek, Cyrillic; also the base font of a
   paragraph (``BASE_FAMILY``)
2. Noto Sans Arabic
3. Noto Sans Hebrew
4. Noto Sans Devanagari
5. Noto Sans Thai
6. Droid Sans Fallback Full -- Han ideographs (Simplified and Traditional Chinese,
   Japanese kanji), kana, CJK punctuation
7. NanumGothic -- Korean Hangul

Each family is registered with reportlab under its family name (the regular face) and,
where a bold file is bundled, ``<family>-Bold``; ``registerFontFamily`` maps ``<b>``
and ``<i>`` in paragraph markup onto these faces (no italics are bundled: italic maps
to the upright face). reportlab subsets every ``TTFont`` it embeds, so a PDF carries
only the glyphs it uses.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from protocol_app.resources import resource_path

__all__ = [
    "BASE_FAMILY",
    "FALLBACK_CHAIN",
    "SHAPING_FEATURES",
    "FallbackFont",
    "coverage",
    "face_name",
    "fallback_chain",
    "font_for",
    "is_ignorable",
    "register_fonts",
    "uncovered_characters",
]


@dataclass(frozen=True)
class FallbackFont:
    """One family of the fallback chain: its reportlab name and its bundled files."""

    family: str
    """reportlab font name of the regular face; also the family name for ``<b>``."""
    regular_file: str
    """File name of the regular face under ``resources/fonts``."""
    bold_file: str | None
    """File name of the bold face, or ``None`` when only a regular face is bundled."""
    coverage_note: str
    """What the family is in the chain for (documentation only)."""

    @property
    def bold_face(self) -> str:
        """reportlab name of the bold face (the regular face when no bold is bundled)."""
        return f"{self.family}-Bold" if self.bold_file else self.family


FALLBACK_CHAIN: tuple[FallbackFont, ...] = (
    FallbackFont(
        "NotoSans",
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        "Latin incl. Vietnamese, Greek, Cyrillic, general punctuation",
    ),
    FallbackFont(
        "NotoSansArabic",
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic-Bold.ttf",
        "Arabic, Persian, Urdu letters",
    ),
    FallbackFont(
        "NotoSansHebrew",
        "NotoSansHebrew-Regular.ttf",
        "NotoSansHebrew-Bold.ttf",
        "Hebrew",
    ),
    FallbackFont(
        "NotoSansDevanagari",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        "Devanagari (Hindi, Marathi, Nepali)",
    ),
    FallbackFont(
        "NotoSansThai",
        "NotoSansThai-Regular.ttf",
        "NotoSansThai-Bold.ttf",
        "Thai",
    ),
    FallbackFont(
        "DroidSansFallback",
        "DroidSansFallbackFull.ttf",
        None,
        "Han ideographs (Chinese Simplified and Traditional, Japanese kanji), kana",
    ),
    FallbackFont(
        "NanumGothic",
        "NanumGothic.ttf",
        "NanumGothicBold.ttf",
        "Korean Hangul",
    ),
)
"""The fallback chain, in the order in which fonts are tried."""

BASE_FAMILY: str = FALLBACK_CHAIN[0].family
"""The text face: the font of paragraph styles and of characters any font could print."""

_FAMILIES: dict[str, FallbackFont] = {font.family: font for font in FALLBACK_CHAIN}
_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] | None = None


def fallback_chain() -> list[tuple[str, Path]]:
    """The chain as ordered ``(family name, regular font file)`` pairs."""
    return [(font.family, resource_path("fonts", font.regular_file)) for font in FALLBACK_CHAIN]


def face_name(family: str, *, bold: bool = False) -> str:
    """The registered reportlab font name for ``family`` in the wanted weight."""
    try:
        font = _FAMILIES[family]
    except KeyError:
        raise ValueError(f"unknown font family {family!r}") from None
    return font.bold_face if bold else font.family


def _cmap_coverage(font: TTFont) -> frozenset[int]:
    """Code points the font maps to a real glyph (not ``.notdef``)."""
    return frozenset(cp for cp, glyph in font.face.charToGlyph.items() if glyph)


def _register_face(name: str, file_name: str) -> tuple[TTFont, bool]:
    """Register one face unless a font of that name is already registered.

    Returns the registered font and whether this call created it.
    """
    if name in pdfmetrics.getRegisteredFontNames():
        existing = pdfmetrics.getFont(name)
        if isinstance(existing, TTFont):
            return existing, False
        raise RuntimeError(f"font name {name!r} is already registered for a non-TrueType font")
    font = TTFont(name, str(resource_path("fonts", file_name)))
    pdfmetrics.registerFont(font)
    return font, True


SHAPING_FEATURES: dict[str, bool] = {"kern": True, "liga": True}
"""OpenType features reportlab shapes with, besides those HarfBuzz always applies."""


def _use_standard_shaping_features() -> None:
    """Stop reportlab from applying discretionary ligatures (``dlig``) when shaping.

    reportlab 5.1 shapes paragraph words with ``kern``, ``liga`` and ``dlig`` on (the
    default argument of ``ttfonts.shapeFragWord``; there is no setting for it).
    OpenType meant ``dlig`` to be off unless asked for, and with it on the bundled
    fonts print wrong names: Noto Sans Arabic replaces every "محمد", even inside
    "محمدرضا", with the vocalised ligature U+FDF4, and Noto Sans Hebrew turns "וי"
    in "יוסף" into the Yiddish ligature U+05F1. This narrows that default, in place,
    to :data:`SHAPING_FEATURES`; it affects all reportlab shaping in the process.
    """
    defaults = ttfonts.shapeFragWord.__defaults__ or ()
    if defaults and isinstance(defaults[0], dict):
        defaults[0].clear()
        defaults[0].update(SHAPING_FEATURES)


def register_fonts() -> None:
    """Register every bundled face and family with reportlab (idempotent, thread-safe).

    Also reads each regular face's ``cmap`` once to build the coverage sets used by
    :func:`font_for`, and switches reportlab's shaping to the standard OpenType
    features (see :func:`_use_standard_shaping_features`). Call it before building a
    PDF; the text helpers call it for you.
    """
    global _coverage
    if _coverage is not None:
        return
    with _lock:
        if _coverage is not None:
            return
        _use_standard_shaping_features()
        coverage_sets: dict[str, frozenset[int]] = {}
        for font in FALLBACK_CHAIN:
            regular, fresh = _register_face(font.family, font.regular_file)
            if not fresh:
                # Someone registered it before us and may have shaped text with it:
                # reportlab's shaping adds private-use code points to a face's
                # charToGlyph for glyphs that have no character. Read the file anew.
                regular = TTFont(font.family, str(resource_path("fonts", font.regular_file)))
            coverage_sets[font.family] = _cmap_coverage(regular)
            if font.bold_file:
                _register_face(font.bold_face, font.bold_file)
            pdfmetrics.registerFontFamily(
                font.family,
                normal=font.family,
                bold=font.bold_face,
                italic=font.family,
                boldItalic=font.bold_face,
            )
        _coverage = coverage_sets


def coverage(family: str) -> frozenset[int]:
    """Code points that ``family``'s regular face has glyphs for (from its ``cmap``)."""
    register_fonts()
    assert _coverage is not None
    try:
        return _coverage[family]
    except KeyError:
        raise ValueError(f"unknown font family {family!r}") from None


@lru_cache(maxsize=16384)
def font_for(char: str) -> str | None:
    """The family name of the first font in the chain that covers ``char``, or ``None``."""
    if len(char) != 1:
        raise ValueError(f"font_for takes one character, got {char!r}")
    register_fonts()
    assert _coverage is not None
    code_point = ord(char)
    for font in FALLBACK_CHAIN:
        if code_point in _coverage[font.family]:
            return font.family
    return None


_VARIATION_SELECTORS = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))


def is_ignorable(char: str) -> bool:
    """Whitespace, control and invisible format characters: never reported as uncovered.

    These need no glyph: whitespace becomes space, controls are dropped, and format
    characters (joiners, bidi marks, variation selectors) steer shaping or layout only.
    """
    if char.isspace():
        return True
    if ord(char) in _VARIATION_SELECTORS:
        return True
    return unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def uncovered_characters(text: str) -> set[str]:
    """Characters of ``text`` that no bundled font can print (they would show as boxes).

    The text is NFC-normalised first, as the printing helpers do; whitespace, control
    and format characters are ignored. Emoji are reported: no emoji font is bundled.
    """
    normalized = unicodedata.normalize("NFC", text)
    return {char for char in set(normalized) if not is_ignorable(char) and font_for(char) is None}
