"""Invitation cards and the envelope list, printed (reportlab).

The wording comes from :mod:`protocol_app.briefing.invitations`; every piece of text
goes through :mod:`protocol_app.briefing.text` with the books' fonts, so any script
prints (Vietnamese, Arabic joined and right to left, Chinese, Devanagari...).

**The card: 7 × 5 inches (178 × 127 mm), landscape, two to a sheet.** 5 × 7 in is the
usual size of a formal invitation where this office works (it goes in an A7 envelope,
and a C6 one takes it too); it leaves room for the long styles diplomatic cards carry
("His Excellency Professor Võ Thanh Tùng", a host's office on two lines), which an A6
card (148 × 105 mm) would have to shrink. Two such cards fit one A4 or Letter sheet, one
above the other sharing one cut, with crop marks outside them (at least 20 pt from the
sheet's edge even on Letter, inside what office printers print); the office prints on
card stock and cuts along the marks (the double rule is inside the card).
Each card's text is centred in the frame and shrunk together (never cut) when a long
name or venue would not fit.

**The envelope list** is a CSV file (for a mail merge or labels; UTF-8 with a byte-order
mark so that spreadsheet programs read the accents) or a PDF table, by the file's
extension: the name as written, the envelope's address block, position, organization,
country (the person model records no postal or mission address yet: the envelope's
block ends with the organization, the embassy for a head of mission).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer

from protocol_app.briefing.fonts import BASE_FAMILY, register_fonts
from protocol_app.briefing.invitations import EnvelopeEntry, InvitationCard, InvitationSet
from protocol_app.briefing.styles import PAPER_SIZES, Colors, grid_style
from protocol_app.briefing.text import (
    draw_text,
    paragraph_style,
    plain_text_for_metadata,
    user_paragraph,
)

CARD_WIDTH, CARD_HEIGHT = 7 * inch, 5 * inch
CARDS_PER_SHEET = 2
#: Inset of the double rule from the card's edge, and of the text from the rule.
FRAME_INSET, TEXT_INSET = 5 * mm, 9 * mm
ENVELOPE_FORMATS: tuple[str, ...] = (".csv", ".pdf")


def sheet_size(paper: str) -> tuple[float, float]:
    """The portrait sheet of "A4" or "Letter"."""
    for name, size in PAPER_SIZES.items():
        if name.casefold() == paper.strip().casefold():
            return size
    raise ValueError(f"paper must be A4 or Letter, not {paper!r}")


# -- one card -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    """One centred paragraph of a card: its text, size, weight, colour, space above."""

    text: str
    size: float
    bold: bool = False
    color: colors.Color = Colors.INK
    space: float = 0.0


def _card_lines(card: InvitationCard) -> list[_Line]:
    lines = [_Line(card.host_name, 15)]
    lines += [_Line(office, 9.5, color=Colors.MUTED, space=1) for office in card.host_office]
    lines.append(_Line("requests the pleasure of the company of", 10.5, color=Colors.MUTED,
                       space=11))
    lines.append(_Line(card.guest_name, 17, bold=True, space=9))
    if card.guest_native:
        lines.append(_Line(card.guest_native, 12.5, color=Colors.MUTED, space=2))
    lines.append(_Line(card.event_line, 12, space=11))
    lines.append(_Line(card.when_line, 12, space=3))
    for n, venue in enumerate(card.venue_lines):
        lines.append(_Line(venue, 12 if n == 0 else 9.5,
                           color=Colors.INK if n == 0 else Colors.MUTED, space=3 if n else 9))
    return lines


def _paragraphs(lines: Sequence[_Line], scale: float, width: float
                ) -> tuple[list[tuple[Paragraph, float, float]], float]:
    """The lines as wrapped paragraphs at ``scale``: (paragraph, space above, height)
    each, and the total height."""
    out: list[tuple[Paragraph, float, float]] = []
    total = 0.0
    for line in lines:
        size = line.size * scale
        style = paragraph_style("InvitationLine", size=size, leading=size * 1.3, alignment=1,
                                textColor=line.color)
        para = user_paragraph(line.text, style, bold=line.bold)
        _w, height = para.wrap(width, 10_000)
        space = line.space * scale
        out.append((para, space, height))
        total += space + height
    return out, total


def _footer_block(canvas: Canvas, label: str, lines: Sequence[str], x: float, top: float,
                  width: float, align: int) -> None:
    """A bold label with its lines under it, hanging from ``top``."""
    canvas.saveState()
    canvas.setFillColor(Colors.INK)
    edge = x + width if align == 2 else x
    draw_text(canvas, edge, top - 9, label, 9, bold=True, align="right" if align == 2
              else "left")
    canvas.restoreState()
    cursor = top - 12
    style = paragraph_style(f"InvitationFooter{align}", size=8.5, leading=11, alignment=align,
                            textColor=Colors.INK)
    for text in lines:
        para = user_paragraph(text, style)
        _w, h = para.wrap(width, 200)
        cursor -= h
        para.drawOn(canvas, x, cursor)


def _footer_height(lines: Sequence[str], width: float) -> float:
    style = paragraph_style("InvitationFooterMeasure", size=8.5, leading=11)
    return 12 + sum(user_paragraph(t, style).wrap(width, 200)[1] for t in lines)


def _footer(canvas: Canvas, card: InvitationCard, left: float, right: float,
            bottom: float) -> float:
    """R.S.V.P. and the office's contact at the lower left, the dress code at the lower
    right, their labels on one line; returns the height they take."""
    half = (right - left) * 0.48
    dress = [card.dress] if card.dress else []
    height = max(_footer_height(card.rsvp, half), _footer_height(dress, half))
    top = bottom + height
    _footer_block(canvas, "R.S.V.P.", card.rsvp, left, top, half, 0)
    if dress:
        _footer_block(canvas, "Dress", dress, right - half, top, half, 2)
    return height


def draw_invitation_card(canvas: Canvas, card: InvitationCard, x: float, y: float) -> None:
    """One card with its lower-left corner at (x, y): the double rule, the wording
    centred (shrunk together until it fits), the footer."""
    canvas.saveState()
    canvas.setStrokeColor(Colors.ACCENT)
    canvas.setLineWidth(0.9)
    canvas.rect(x + FRAME_INSET, y + FRAME_INSET, CARD_WIDTH - 2 * FRAME_INSET,
                CARD_HEIGHT - 2 * FRAME_INSET)
    canvas.setLineWidth(0.35)
    inner = FRAME_INSET + 1.6 * mm
    canvas.rect(x + inner, y + inner, CARD_WIDTH - 2 * inner, CARD_HEIGHT - 2 * inner)
    canvas.restoreState()

    left, right = x + FRAME_INSET + TEXT_INSET, x + CARD_WIDTH - FRAME_INSET - TEXT_INSET
    bottom = y + FRAME_INSET + 6 * mm
    footer = _footer(canvas, card, left, right, bottom)
    top = y + CARD_HEIGHT - FRAME_INSET - 8 * mm
    floor = bottom + footer + 5 * mm
    width = right - left
    lines = _card_lines(card)
    scale = 1.0
    paragraphs, total = _paragraphs(lines, scale, width)
    while total > top - floor and scale > 0.55:
        scale -= 0.05
        paragraphs, total = _paragraphs(lines, scale, width)
    cursor = top - max(0.0, (top - floor - total) / 2)
    for para, space, height in paragraphs:
        cursor -= space + height
        para.drawOn(canvas, left, cursor)


def _crop_marks(canvas: Canvas, x: float, cuts: Sequence[float]) -> None:
    """Marks where the sheet is cut: beside each horizontal cut (``cuts``, bottom to top),
    and above and below the cards' two vertical edges."""
    length, gap = 4 * mm, 1.5 * mm
    canvas.saveState()
    canvas.setStrokeColor(Colors.FAINT)
    canvas.setLineWidth(0.3)
    for y in cuts:
        canvas.line(x - gap, y, x - gap - length, y)
        canvas.line(x + CARD_WIDTH + gap, y, x + CARD_WIDTH + gap + length, y)
    for edge in (x, x + CARD_WIDTH):
        canvas.line(edge, cuts[0] - gap, edge, cuts[0] - gap - length)
        canvas.line(edge, cuts[-1] + gap, edge, cuts[-1] + gap + length)
    canvas.restoreState()


def draw_invitation_cards(canvas: Canvas, cards: Sequence[InvitationCard],
                          sheet: tuple[float, float]) -> int:
    """Two cards to a sheet, one above the other and sharing a cut, centred, with crop
    marks; returns the sheets drawn."""
    width, height = sheet
    x = (width - CARD_WIDTH) / 2
    bottom = (height - CARDS_PER_SHEET * CARD_HEIGHT) / 2
    top = height - bottom
    sheets = 0
    for start in range(0, len(cards), CARDS_PER_SHEET):
        chunk = cards[start:start + CARDS_PER_SHEET]
        for slot, card in enumerate(chunk):
            draw_invitation_card(canvas, card, x, top - (slot + 1) * CARD_HEIGHT)
        _crop_marks(canvas, x, [top - n * CARD_HEIGHT for n in range(len(chunk), -1, -1)])
        canvas.showPage()
        sheets += 1
    return sheets


def cards_pdf(invitations: InvitationSet, *, paper: str = "A4", office: str = ""
              ) -> tuple[bytes, int]:
    """The cards of ``invitations`` as a PDF: (its bytes, the number of sheets)."""
    register_fonts()
    sheet = sheet_size(paper)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sheet, initialFontName=BASE_FAMILY)
    canvas.setTitle(plain_text_for_metadata(f"Invitations – {invitations.event_title}"))
    canvas.setAuthor(plain_text_for_metadata(office or "Protocol Desk"))
    canvas.setSubject(plain_text_for_metadata(invitations.visit_title))
    canvas.setCreator("Protocol Desk")
    sheets = draw_invitation_cards(canvas, invitations.cards, sheet)
    canvas.save()
    return buffer.getvalue(), sheets


# -- the envelope list ----------------------------------------------------------------

ENVELOPE_COLUMNS: tuple[str, ...] = ("Name", "Envelope", "Position", "Organization",
                                     "Country")


def _envelope_row(entry: EnvelopeEntry) -> tuple[str, ...]:
    return (entry.name, "\n".join(entry.envelope), entry.position, entry.organization,
            entry.country)


def envelope_csv(invitations: InvitationSet) -> bytes:
    """The envelope list as CSV (a header row, then one row per guest; the envelope's
    lines in one cell), UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ENVELOPE_COLUMNS)
    writer.writerows(_envelope_row(e) for e in invitations.envelopes)
    return out.getvalue().encode("utf-8-sig")


def envelope_pdf(invitations: InvitationSet, *, paper: str = "A4", office: str = "") -> bytes:
    """The envelope list as a landscape PDF table (the books' fonts)."""
    register_fonts()
    buffer = io.BytesIO()
    page = landscape(sheet_size(paper))
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=plain_text_for_metadata(
                                f"Envelope list – {invitations.event_title}"),
                            author=plain_text_for_metadata(office or "Protocol Desk"),
                            creator="Protocol Desk")
    title = paragraph_style("EnvelopeTitle", size=14, leading=18, textColor=Colors.INK)
    sub = paragraph_style("EnvelopeSub", size=9, leading=12, textColor=Colors.MUTED)
    cell = paragraph_style("EnvelopeCell", size=8.5, leading=11)
    head = paragraph_style("EnvelopeHead", size=8.5, leading=11, textColor=Colors.INK)
    rows: list[list[Paragraph]] = [[user_paragraph(h, head, bold=True)
                                    for h in ("No.", *ENVELOPE_COLUMNS)]]
    for n, entry in enumerate(invitations.envelopes, start=1):
        values = _envelope_row(entry)
        rows.append([user_paragraph(str(n), cell),
                     *(user_paragraph(v.replace("\n", " / ") if i != 1 else v, cell)
                       for i, v in enumerate(values))])
    usable = page[0] - 30 * mm
    shares = (0.04, 0.2, 0.3, 0.18, 0.18, 0.1)
    table = LongTable(rows, colWidths=[usable * s for s in shares], repeatRows=1)
    table.setStyle(grid_style(rows=len(rows)))
    story = [user_paragraph(f"Envelope list – {invitations.event_title}", title, bold=True),
             user_paragraph(f"{invitations.visit_title} · {len(invitations.envelopes)} "
                            f"invitation{'' if len(invitations.envelopes) == 1 else 's'}",
                            sub),
             Spacer(1, 6 * mm), table]
    doc.build(story)
    return buffer.getvalue()


def envelope_format_problem(file_name: str | Path) -> str | None:
    """Why the envelope list cannot be written as ``file_name`` (not .csv or .pdf)."""
    if Path(file_name).suffix.lower() in ENVELOPE_FORMATS:
        return None
    return f"the envelope list is written as .csv or .pdf, not '{Path(file_name).name}'"


def envelope_list(invitations: InvitationSet, file_name: str, *, paper: str = "A4",
                  office: str = "") -> bytes:
    """The envelope list as CSV or PDF, by the extension of ``file_name``."""
    problem = envelope_format_problem(file_name)
    if problem:
        raise ValueError(problem)
    if Path(file_name).suffix.lower() == ".csv":
        return envelope_csv(invitations)
    return envelope_pdf(invitations, paper=paper, office=office)


__all__ = [
    "CARD_HEIGHT",
    "CARD_WIDTH",
    "ENVELOPE_COLUMNS",
    "ENVELOPE_FORMATS",
    "cards_pdf",
    "draw_invitation_card",
    "draw_invitation_cards",
    "envelope_csv",
    "envelope_format_problem",
    "envelope_list",
    "envelope_pdf",
    "sheet_size",
]
