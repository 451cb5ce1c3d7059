"""The look of the briefing book: paper, margins, colours, paragraph and table styles.

Every style prints with the bundled fonts (:mod:`protocol_app.briefing.fonts`) and has
reportlab's shaping on, so that user text made by
:func:`protocol_app.briefing.text.user_paragraph` joins Arabic letters and stacks
Devanagari marks. Nothing here knows about visits or people.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from protocol_app.briefing.fonts import BASE_FAMILY, face_name, register_fonts
from protocol_app.briefing.text import paragraph_style

__all__ = [
    "AUDIENCE_COLORS",
    "PAPER_SIZES",
    "TABLE_FONT",
    "Colors",
    "Geometry",
    "Styles",
    "geometry",
    "grid_style",
    "key_value_style",
    "styles",
]

#: Paper sizes the book is laid out for (points, portrait).
PAPER_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}


class Colors:
    """The palette: one dark ink, one accent, quiet greys."""

    INK = colors.HexColor("#1d2433")
    TEXT = colors.HexColor("#22262e")
    MUTED = colors.HexColor("#5f6673")
    FAINT = colors.HexColor("#8a909b")
    RULE = colors.HexColor("#c9ced6")
    HEADER_FILL = colors.HexColor("#e9edf3")
    ZEBRA = colors.HexColor("#f6f7f9")
    ACCENT = colors.HexColor("#9c7a45")
    NOTE_FILL = colors.HexColor("#fbf7ef")
    NOTE_RULE = colors.HexColor("#d9c7a6")
    WARN_FILL = colors.HexColor("#fbf0f0")
    WARN_RULE = colors.HexColor("#d9a6a6")
    CANCELLED = colors.HexColor("#a33a3a")
    TENTATIVE = colors.HexColor("#8a6d1f")
    WHITE = colors.white


#: The colour of each audience's marking (cover band, running header).
AUDIENCE_COLORS: dict[str, colors.Color] = {
    "internal": colors.HexColor("#8b1e2d"),
    "host": colors.HexColor("#1f4e79"),
    "guest": colors.HexColor("#2e6b4f"),
}


@dataclass(frozen=True)
class Geometry:
    """Where things go on a page (points)."""

    page_width: float
    page_height: float
    left: float = 20 * mm
    right: float = 20 * mm
    top: float = 26 * mm
    bottom: float = 22 * mm
    header_baseline: float = 14 * mm
    """Distance from the top edge of the page to the running header's baseline."""
    footer_baseline: float = 11 * mm
    """Distance from the bottom edge of the page to the footer's baseline."""

    @property
    def frame_width(self) -> float:
        """Width of the text frame."""
        return self.page_width - self.left - self.right

    @property
    def frame_height(self) -> float:
        """Height of the text frame."""
        return self.page_height - self.top - self.bottom


def geometry(paper: str) -> Geometry:
    """The page geometry for ``"A4"`` or ``"Letter"``."""
    try:
        width, height = PAPER_SIZES[paper]
    except KeyError:
        raise ValueError(
            f"paper size must be one of {', '.join(PAPER_SIZES)}, not {paper!r}"
        ) from None
    return Geometry(width, height)


@dataclass(frozen=True)
class Styles:
    """Every paragraph style of the book."""

    body: ParagraphStyle
    body_small: ParagraphStyle
    muted: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_muted: ParagraphStyle
    cell_head: ParagraphStyle
    cell_right: ParagraphStyle
    section: ParagraphStyle
    section_kicker: ParagraphStyle
    day: ParagraphStyle
    day_note: ParagraphStyle
    subhead: ParagraphStyle
    event_time: ParagraphStyle
    event_home_time: ParagraphStyle
    event_title: ParagraphStyle
    event_meta: ParagraphStyle
    profile_name: ParagraphStyle
    profile_native: ParagraphStyle
    profile_meta: ParagraphStyle
    note_label: ParagraphStyle
    note_body: ParagraphStyle
    warn_body: ParagraphStyle
    cover_office: ParagraphStyle
    cover_kind: ParagraphStyle
    cover_title: ParagraphStyle
    cover_line: ParagraphStyle
    cover_small: ParagraphStyle
    toc_levels: tuple[ParagraphStyle, ...]


@cache
def styles() -> Styles:
    """The book's paragraph styles (made once; fonts registered on first use)."""
    register_fonts()
    ink, text, muted = Colors.INK, Colors.TEXT, Colors.MUTED
    body = paragraph_style("Body", size=9.5, textColor=text, spaceAfter=4)
    cell = paragraph_style("Cell", size=8.5, textColor=text, leading=11.5)
    return Styles(
        body=body,
        body_small=paragraph_style("BodySmall", size=8.5, textColor=text, leading=11.5),
        muted=paragraph_style("Muted", size=8.5, textColor=muted, leading=11.5),
        label=paragraph_style(
            "Label", size=7.2, leading=9.5, textColor=muted,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        cell=cell,
        cell_bold=paragraph_style("CellBold", parent=cell, fontName=face_name(BASE_FAMILY,
                                                                               bold=True)),
        cell_muted=paragraph_style("CellMuted", parent=cell, size=7.8, leading=10.5,
                                   textColor=muted),
        cell_head=paragraph_style(
            "CellHead", size=7.5, leading=9.5, textColor=ink,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        cell_right=paragraph_style("CellRight", parent=cell, alignment=TA_RIGHT),
        section=paragraph_style(
            "Section", size=20, leading=25, textColor=ink, spaceAfter=10,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        section_kicker=paragraph_style(
            "SectionKicker", size=8, leading=10, textColor=Colors.ACCENT, spaceAfter=1,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        day=paragraph_style(
            "Day", size=14, leading=18, textColor=ink, spaceBefore=2, spaceAfter=1,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        day_note=paragraph_style("DayNote", size=8.5, leading=11, textColor=muted,
                                 spaceAfter=8),
        subhead=paragraph_style(
            "Subhead", size=11, leading=14, textColor=ink, spaceBefore=10, spaceAfter=4,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        event_time=paragraph_style(
            "EventTime", size=10, leading=13, textColor=ink,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        event_home_time=paragraph_style("EventHomeTime", size=7.8, leading=10,
                                        textColor=muted),
        event_title=paragraph_style(
            "EventTitle", size=10.5, leading=13.5, textColor=ink,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        event_meta=paragraph_style("EventMeta", size=8.5, leading=11.5, textColor=muted),
        profile_name=paragraph_style(
            "ProfileName", size=19, leading=25, textColor=ink,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        profile_native=paragraph_style("ProfileNative", size=16, leading=24, textColor=ink),
        profile_meta=paragraph_style("ProfileMeta", size=9.5, leading=13, textColor=text),
        note_label=paragraph_style(
            "NoteLabel", size=7.5, leading=10, textColor=Colors.ACCENT, spaceBefore=8,
            spaceAfter=3, fontName=face_name(BASE_FAMILY, bold=True),
        ),
        note_body=paragraph_style(
            "NoteBody", size=9, leading=12.5, textColor=text, backColor=Colors.NOTE_FILL,
            borderColor=Colors.NOTE_RULE, borderWidth=0.6, borderPadding=(5, 6, 5, 6),
            leftIndent=6, rightIndent=6, spaceBefore=4, spaceAfter=8,
        ),
        warn_body=paragraph_style(
            "WarnBody", size=9, leading=12.5, textColor=text, backColor=Colors.WARN_FILL,
            borderColor=Colors.WARN_RULE, borderWidth=0.6, borderPadding=(5, 6, 5, 6),
            leftIndent=6, rightIndent=6, spaceBefore=4, spaceAfter=8,
        ),
        cover_office=paragraph_style(
            "CoverOffice", size=10, leading=13, textColor=muted,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        cover_kind=paragraph_style(
            "CoverKind", size=11, leading=14, textColor=Colors.ACCENT, spaceBefore=2,
            fontName=face_name(BASE_FAMILY, bold=True),
        ),
        cover_title=paragraph_style(
            "CoverTitle", size=27, leading=34, textColor=ink, spaceBefore=10, spaceAfter=14,
            fontName=face_name(BASE_FAMILY, bold=True), alignment=TA_LEFT,
        ),
        cover_line=paragraph_style("CoverLine", size=12.5, leading=17, textColor=text),
        cover_small=paragraph_style("CoverSmall", size=8.5, leading=11.5, textColor=muted),
        # Contents levels: 0 sections, 1 days and profiles, 2 the same as 1 but shaped
        # (for entries in complex scripts; shaping elsewhere would turn "fi" into a
        # ligature that PDF viewers cannot find when searching).
        toc_levels=(
            paragraph_style(
                "TOC0", size=10.5, leading=14, textColor=ink, spaceBefore=7,
                fontName=face_name(BASE_FAMILY, bold=True), rightIndent=28, shaping=0,
            ),
            paragraph_style(
                "TOC1", size=9, leading=12.5, textColor=text, leftIndent=14,
                rightIndent=28, spaceBefore=0.5, shaping=0,
            ),
            paragraph_style(
                "TOC2", size=9, leading=12.5, textColor=text, leftIndent=14,
                rightIndent=28, spaceBefore=0.5,
            ),
        ),
    )


TABLE_FONT: tuple = ("FONT", (0, 0), (-1, -1), BASE_FAMILY, 8.5)
"""Every table's cell font: reportlab sets it for each cell even when the cell holds
only flowables, and its default is the non-embedded Helvetica."""


def grid_style(*, header_rows: int = 1, zebra: bool = True, rows: int = 0) -> TableStyle:
    """A quiet data table: tinted header row, hairlines between rows, no vertical rules."""
    commands: list[tuple] = [
        TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.6),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.35, Colors.RULE),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), Colors.HEADER_FILL),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, Colors.INK),
        ]
    if zebra:
        for row in range(header_rows + 1, rows, 2):
            commands.append(("BACKGROUND", (0, row), (-1, row), Colors.ZEBRA))
    return TableStyle(commands)


def key_value_style() -> TableStyle:
    """Label/value rows: labels in a narrow left column, hairlines between rows."""
    return TableStyle(
        [
            TABLE_FONT,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, Colors.RULE),
        ]
    )

