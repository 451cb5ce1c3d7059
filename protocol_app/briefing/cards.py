"""Place cards and name badges of a seating plan, and the PDF that holds every printed part.

Everything is drawn with reportlab on a canvas; every piece of user text (names, native
names, organizations) goes through :mod:`protocol_app.briefing.text`, so any script
prints with an embedded font, Arabic and Hebrew shaped and right to left.

* **Place cards** - folded tent cards, two per portrait page: each card has a fold
  line across its middle; the upper half carries the name upright, the lower half the
  same text turned 180 degrees, so that once folded the name reads from both sides of
  the table.  Under the name in its place-card form comes the name in its own script.
* **Name badges** - eight per page (2 x 4, 90 x 60 mm): the name in its badge form,
  the native-script name, the organization and the country.

:func:`write_seating_pdf` assembles the parts (:data:`PARTS`) into one PDF: the
landscape seating chart pages (table plan, seating list A–Z, a page per table: see
:mod:`protocol_app.briefing.seating_chart`), then the place cards, then the badges.

The inputs are plain values: :class:`PlaceCard` and :class:`Badge` (built from a
:class:`~protocol_app.services.protocol.values.SeatingPlanView` by :func:`place_cards_for`
and :func:`badges_for`) and the plan view itself for the chart.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from protocol_app.briefing.arrangement_chart import draw_arrangement_chart
from protocol_app.briefing.drawing import (
    COHOST_FILL,
    GUIDE,
    INK,
    MUTED,
    WHITE,
    clip_text,
    draw_fitted,
    draw_label,
    fit_size,
    native_line,
)
from protocol_app.briefing.fonts import BASE_FAMILY, register_fonts, uncovered_characters
from protocol_app.briefing.seating_chart import (
    draw_seating_chart,
    draw_seating_list,
    draw_table_plan,
    has_seating_list,
    has_table_plan,
)
from protocol_app.briefing.text import (
    draw_text,
    paragraph_style,
    plain_text_for_metadata,
    user_paragraph,
)
from protocol_app.formatting import country_name
from protocol_app.rules.names import display_name, fold, sort_key
from protocol_app.services.protocol.diagrams import diagram_of

if TYPE_CHECKING:
    from protocol_app.services.protocol.values import SeatingPlanView

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "LETTER": letter}
PARTS: tuple[str, ...] = ("chart", "cards", "badges")


# -- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceCard:
    """One tent card: the name in place-card form, the native-script name (or "")
    and, for staff, where it goes."""

    name: str
    native: str = ""
    table: int | None = None
    seat: int | None = None
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class Badge:
    """One name badge."""

    name: str
    native: str = ""
    organization: str = ""
    country: str = ""  # the country's name, printed in capitals
    side: str = ""  # "guest" or "host": the colour of the band
    person_id: int | None = None


def place_cards_for(view: SeatingPlanView) -> list[PlaceCard]:
    """A place card for everyone with a seat at a table, table by table, seat by seat
    (interpreters on a chair behind someone get none; nor does anyone in a car, and a
    receiving line has no seats)."""
    cards: list[PlaceCard] = []
    for table in view.tables:
        if table.shape == "car":
            continue
        for place in table.places:
            if place.person is None:
                continue
            name = view.place_card(place.person)
            cards.append(PlaceCard(name, native_line(place.person, name), table.number,
                                   place.seat, place.person.id))
    return cards


def badges_for(view: SeatingPlanView, sides: dict[int, str] | None = None) -> list[Badge]:
    """A badge for everyone attending (seated or not), alphabetical by family name
    (letters with a stroke sort with their base letter: "Đỗ" with "Do")."""
    people = view.people
    sides = sides or {}
    host_ids = set(view.host_ids)
    out: list[tuple[tuple, Badge]] = []
    for pid, person in people.items():
        forms = view.forms.get(pid)
        name = forms.badge if forms else display_name(person)
        side = sides.get(pid) or ("host" if pid in host_ids else "guest")
        key = sort_key(person)
        out.append(((fold(key[0]), fold(key[1]), *key), Badge(name, native_line(person, name),
                                            person.organization, country_name(person.country),
                                            side, pid)))
    return [b for _, b in sorted(out, key=lambda item: item[0])]


# -- place cards ------------------------------------------------------------------------


def _card_face(canvas: Canvas, card: PlaceCard, cx: float, cy: float, width: float) -> None:
    """The name and native name centred in one half of a tent card (upright frame)."""
    name_size = fit_size(card.name, width, 34, 14, bold=True)
    native_size = fit_size(card.native, width, min(24, name_size * 0.75), 10) if card.native \
        else 0.0
    block = name_size * 0.72 + (native_size * 1.35 if card.native else 0.0)
    top = cy + block / 2
    canvas.setFillColor(INK)
    draw_text(canvas, cx, top - name_size * 0.72, clip_text(card.name, width, name_size, True),
              name_size, bold=True, align="center")
    if card.native:
        canvas.setFillColor(MUTED)
        draw_text(canvas, cx, top - name_size * 0.72 - native_size * 1.35,
                  clip_text(card.native, width, native_size), native_size, align="center")


def draw_place_card(canvas: Canvas, card: PlaceCard, x: float, y: float, width: float,
                    height: float) -> None:
    """One tent card in the box (x, y, width, height): fold line across the middle,
    upper half upright, lower half turned 180 degrees."""
    half = height / 2
    inner = width - 24 * mm
    canvas.saveState()
    # fold line
    canvas.setStrokeColor(GUIDE)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    canvas.line(x, y + half, x + width, y + half)
    canvas.setDash()
    canvas.setFillColor(GUIDE)
    draw_text(canvas, x + 6 * mm, y + half + 2, "fold", 6.5)
    draw_text(canvas, x + width - 6 * mm, y + half + 2, "fold", 6.5, align="right")
    # upper half: upright
    _card_face(canvas, card, x + width / 2, y + half + half / 2, inner)
    if card.table is not None and card.seat is not None:
        canvas.setFillColor(GUIDE)
        draw_text(canvas, x + width - 6 * mm, y + height - 6 * mm,
                  f"Table {card.table} · Seat {card.seat}", 6.5, align="right")
    # lower half: the same text turned 180 degrees
    canvas.saveState()
    canvas.translate(x + width / 2, y + half / 2)
    canvas.rotate(180)
    _card_face(canvas, card, 0, 0, inner)
    canvas.restoreState()
    canvas.restoreState()


def draw_place_cards(canvas: Canvas, cards: Sequence[PlaceCard],
                     page: tuple[float, float]) -> None:
    """Place cards, two per page (each half a page high), with a cutting line between
    them; ends with the last page shown."""
    width, height = page
    card_h = height / 2
    for index, card in enumerate(cards):
        slot = index % 2
        y = height - card_h * (slot + 1)
        draw_place_card(canvas, card, 0, y, width, card_h)
        if slot == 0:
            canvas.saveState()
            canvas.setStrokeColor(GUIDE)
            canvas.setLineWidth(0.4)
            canvas.setDash(1, 3)
            canvas.line(0, card_h, width, card_h)
            canvas.setFillColor(GUIDE)
            draw_text(canvas, width / 2, card_h + 2, "cut", 6.5, align="center")
            canvas.restoreState()
        if slot == 1 or index == len(cards) - 1:
            canvas.showPage()


# -- name badges --------------------------------------------------------------------------

BADGE_W, BADGE_H = 90 * mm, 60 * mm
BADGE_COLUMNS, BADGE_ROWS = 2, 4


def draw_badge(canvas: Canvas, badge: Badge, x: float, y: float, *, title: str = "") -> None:
    """One badge with its lower-left corner at (x, y)."""
    w, h = BADGE_W, BADGE_H
    pad = 5 * mm
    band = 9 * mm
    canvas.saveState()
    canvas.setStrokeColor(GUIDE)
    canvas.setLineWidth(0.5)
    canvas.roundRect(x, y, w, h, 3 * mm, stroke=1, fill=0)
    canvas.setFillColor(INK if badge.side != "host" else COHOST_FILL)
    path = canvas.beginPath()
    r = 3 * mm
    path.moveTo(x, y + h - band)
    path.lineTo(x, y + h - r)
    path.arcTo(x, y + h - 2 * r, x + 2 * r, y + h, startAng=180, extent=-90)
    path.lineTo(x + w - r, y + h)
    path.arcTo(x + w - 2 * r, y + h - 2 * r, x + w, y + h, startAng=90, extent=-90)
    path.lineTo(x + w, y + h - band)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    if title:
        canvas.setFillColor(WHITE)
        draw_fitted(canvas, x + w / 2, y + h - band + 3.2 * mm, title, w - 2 * pad, 8, 5,
                    align="center")
    inner = w - 2 * pad
    cursor = y + h - band - 6 * mm
    name_size = fit_size(badge.name, inner, 18, 9, bold=True)
    cursor -= name_size * 0.5
    canvas.setFillColor(INK)
    draw_text(canvas, x + w / 2, cursor, clip_text(badge.name, inner, name_size, True),
              name_size, bold=True, align="center")
    cursor -= name_size * 0.45
    if badge.native:
        native_size = fit_size(badge.native, inner, 14, 8)
        cursor -= native_size * 1.05
        canvas.setFillColor(INK)
        draw_text(canvas, x + w / 2, cursor, clip_text(badge.native, inner, native_size),
                  native_size, align="center")
        cursor -= native_size * 0.35
    bottom = y + pad
    if badge.country:
        canvas.setFillColor(MUTED)
        draw_fitted(canvas, x + w / 2, bottom, badge.country.upper(), inner, 8.5, 6,
                    bold=True, align="center")
        bottom += 12
    if badge.organization:
        style = paragraph_style("BadgeOrg", size=9, leading=11.5, alignment=1,
                                textColor=INK)
        para = user_paragraph(badge.organization, style)
        _pw, ph = para.wrap(inner, 100)
        room = cursor - bottom - 4
        if ph <= room:
            para.drawOn(canvas, x + pad, bottom + (room - ph) / 2 + 1)
        else:
            canvas.setFillColor(INK)
            draw_fitted(canvas, x + w / 2, bottom + 2, badge.organization, inner, 9, 6,
                        align="center")
    canvas.restoreState()


def draw_badges(canvas: Canvas, badges: Sequence[Badge], page: tuple[float, float], *,
                title: str = "") -> None:
    """Badges, eight per page (two columns, four rows), with light cutting guides."""
    width, height = page
    gap_x = (width - BADGE_COLUMNS * BADGE_W) / (BADGE_COLUMNS + 1)
    gap_y = (height - BADGE_ROWS * BADGE_H) / (BADGE_ROWS + 1)
    per_page = BADGE_COLUMNS * BADGE_ROWS
    for index, badge in enumerate(badges):
        slot = index % per_page
        col, row = slot % BADGE_COLUMNS, slot // BADGE_COLUMNS
        x = gap_x + col * (BADGE_W + gap_x)
        y = height - (row + 1) * (BADGE_H + gap_y)
        draw_badge(canvas, badge, x, y, title=title)
        if slot == per_page - 1 or index == len(badges) - 1:
            canvas.showPage()


# -- the whole document -------------------------------------------------------------------


def page_size(paper: str = "A4") -> tuple[float, float]:
    """Portrait page size for "A4" or "Letter"."""
    try:
        return PAGE_SIZES[paper.strip().upper() or "A4"]
    except KeyError:
        raise ValueError(f"paper must be A4 or Letter, not {paper!r}") from None


def uncovered_names(view: SeatingPlanView) -> dict[str, set[str]]:
    """Names in the plan with characters no bundled font prints (they would show as
    boxes): name -> the characters."""
    out: dict[str, set[str]] = {}
    for pid, person in view.people.items():
        forms = view.forms.get(pid)
        for text in (person.native_name, display_name(person),
                     forms.place_card if forms else "", forms.badge if forms else ""):
            missing = uncovered_characters(text) if text else set()
            if missing:
                out[text] = missing
    return out


def _write_chart(canvas: Canvas, view: SeatingPlanView, portrait: tuple[float, float],
                 office: str) -> int:
    """The chart part, on landscape pages: the table plan and the A–Z seating list when
    the plan calls for them (:func:`has_table_plan`, :func:`has_seating_list`), then a
    page per table, each part with its outline entry; returns the pages drawn."""
    page = landscape(portrait)
    canvas.setPageSize(page)
    diagram = diagram_of(view)
    if diagram is not None:  # not a banquet: one page for the whole arrangement
        canvas.bookmarkPage("arrangement")
        canvas.addOutlineEntry(view.arrangement.label, "arrangement", 0)
        draw_arrangement_chart(canvas, view, diagram, page, office=office)
        canvas.showPage()
        return 1
    pages = 0
    for key, title, wanted, draw in (
            ("table-plan", "Table plan", has_table_plan(view), draw_table_plan),
            ("seating-list", "Seating list A–Z", has_seating_list(view), draw_seating_list)):
        if wanted:
            canvas.bookmarkPage(key)
            canvas.addOutlineEntry(title, key, 0)
            pages += draw(canvas, view, page, office=office)
    for index, table in enumerate(view.tables):
        canvas.bookmarkPage(f"table-{table.number}")
        canvas.addOutlineEntry(f"Seating chart – {table.title}", f"table-{table.number}", 0)
        draw_seating_chart(canvas, view, table, page, office=office, left_out=index == 0)
        canvas.showPage()
        pages += 1
    return pages


def write_seating_pdf(target: str | Path | IO[bytes], view: SeatingPlanView, *,
                      parts: Iterable[str] = PARTS, paper: str = "A4",
                      office: str = "", only: Collection[int] | None = None) -> None:
    """Write the chart (one page per table), the place cards and the badges of a plan
    into one PDF.  ``parts`` picks among "chart", "cards" and "badges"; ``only`` (person
    ids) prints the cards and badges of those people alone (a reprint)."""
    wanted = [p for p in PARTS if p in set(parts)]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s) {', '.join(sorted(unknown))}; choose from "
                         f"{', '.join(PARTS)}")
    register_fonts()
    portrait = page_size(paper)
    # the canvas's initial font is ours too: no standard (unembedded) font in the file
    canvas = Canvas(str(target) if isinstance(target, str | Path) else target,
                    pagesize=portrait, initialFontName=BASE_FAMILY)
    title = plain_text_for_metadata(f"{view.event.title} – seating")
    canvas.setTitle(title)
    canvas.setAuthor(plain_text_for_metadata(office or "Protocol Desk"))
    canvas.setSubject(plain_text_for_metadata(view.visit_title))
    canvas.setCreator("Protocol Desk")
    pages = _write_chart(canvas, view, portrait, office) if "chart" in wanted else 0
    if "cards" in wanted:
        cards = [c for c in place_cards_for(view) if only is None or c.person_id in only]
        if cards:
            canvas.setPageSize(portrait)
            canvas.bookmarkPage("place-cards")
            canvas.addOutlineEntry("Place cards", "place-cards", 0)
            draw_place_cards(canvas, cards, portrait)
            pages += 1
    if "badges" in wanted:
        badges = [b for b in badges_for(view) if only is None or b.person_id in only]
        if badges:
            canvas.setPageSize(portrait)
            canvas.bookmarkPage("badges")
            canvas.addOutlineEntry("Name badges", "badges", 0)
            draw_badges(canvas, badges, portrait, title=view.event.title)
            pages += 1
    if not pages:
        canvas.setPageSize(portrait)
        draw_label(canvas, 72, portrait[1] - 72, f"{view.event.title}: no seating plan yet.", 12)
        canvas.showPage()
    canvas.save()
