"""The sections of the briefing book, as reportlab flowables.

Over 800 lines because the sections share one set of private block builders (events,
key-value tables, zone labels, paragraphs): split, each would import the others' privates.

Each ``*_section`` function takes a :class:`Book` (the filtered content, the styles, the
page geometry, the prepared photos) and returns the flowables of one section. Every
user string goes through :func:`user_text` (escaped, font fallback, bidi, shaping);
only the book's own labels are written as markup.

Sections start on a new page and open with an :class:`Anchor`: the document template
turns it into a PDF bookmark, an outline entry and a line of the table of contents.
"""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from protocol_app import formatting
from protocol_app.briefing.content import (
    BookContent,
    Ranked,
    SensitiveNote,
    country_name,
    gift_people,
    language_names,
    printable,
    sensitive_notes,
)
from protocol_app.briefing.fonts import font_for
from protocol_app.briefing.photos import PhotoFrame, PreparedPhoto
from protocol_app.briefing.styles import (
    TABLE_FONT,
    Colors,
    Geometry,
    Styles,
    grid_style,
    key_value_style,
)
from protocol_app.briefing.text import (
    UserTextParagraph,
    needs_cluster_safe_split,
    para_markup,
    plain_text_for_metadata,
    user_paragraph,
    word_separator,
)
from protocol_app.records.sensitivity import SENSITIVE_EVENT_FIELDS, Audience
from protocol_app.rules.names import display_name, emphasized_name
from protocol_app.services.values import EventRecord, ParticipantRecord, PersonRecord

if TYPE_CHECKING:
    from protocol_app.briefing.editions import EditionDraft

__all__ = [
    "AUDIENCE_MARKINGS",
    "BOOK_KINDS",
    "COVER_INSET",
    "PHOTO_SIZE",
    "Anchor",
    "Book",
    "CoverFootnote",
    "build_story",
    "format_date",
    "format_date_range",
    "needs_shaping",
    "user_text",
]

#: The marking printed on the cover and in every running header.
AUDIENCE_MARKINGS: dict[Audience, str] = {
    Audience.INTERNAL: "INTERNAL · CONFIDENTIAL",
    Audience.HOST: "HOSTS' COPY · NOT FOR THE DELEGATION",
    Audience.GUEST: "DELEGATION'S COPY",
}

#: What the book is called on its cover, per audience.
BOOK_KINDS: dict[Audience, str] = {
    Audience.INTERNAL: "Briefing book",
    Audience.HOST: "Briefing for the hosts",
    Audience.GUEST: "Programme of the visit",
}

_AUDIENCE_NOTES: dict[Audience, str] = {
    Audience.INTERNAL: (
        "Internal book for the principal and the Office of Protocol. It holds protocol, "
        "medical and security notes and the internal notes on events: do not copy it, do "
        "not leave it in a meeting room, return it to the Office after the visit."
    ),
    Audience.HOST: (
        "For the hosts taking part in the visit. It holds protocol notes on the guests: "
        "do not hand it to the delegation. It holds no medical or security notes and "
        "none of the office's internal notes on events."
    ),
    Audience.GUEST: (
        "The programme of the visit, prepared for the delegation by its hosts."
    ),
}

#: How much further in than the body text the cover's text starts.
COVER_INSET = 6 * mm
#: Printed size of a profile photo (width, height).
PHOTO_SIZE: tuple[float, float] = (34 * mm, 42 * mm)

_LONG_TEXT = 1200
"""Characters beyond which a text is not kept whole with its label (it may split)."""


_STATUS_LABELS = {"tentative": "Tentative", "cancelled": "Cancelled"}
_STATUS_COLORS = {"tentative": Colors.TENTATIVE, "cancelled": Colors.CANCELLED}


# ------------------------------------------------------------------------- helpers


class BookParagraph(Paragraph):
    """A paragraph that remembers its line breaking for each width it was wrapped at.

    Tables wrap their cells more than once and the contents need two layout passes;
    the text never changes, so neither do its lines.
    """

    _line_cache: dict | None = None

    def breakLines(self, width):
        """reportlab's line breaking, cached per width (and per fragment list)."""
        key = (id(self.frags), tuple(width) if isinstance(width, list | tuple) else width)
        cache = self._line_cache
        if cache is None:
            cache = self._line_cache = {}
        found = cache.get(key)
        if found is None:
            found = cache[key] = super().breakLines(width)
        return found


class _UserBookParagraph(UserTextParagraph, BookParagraph):
    """User text whose words too wide for a line must be split between clusters
    (see :class:`~protocol_app.briefing.text.UserTextParagraph`), with its line breaking
    remembered per width."""


_RTL_CLASSES = frozenset(("R", "AL", "AN"))
_SHAPED_FAMILIES = frozenset(
    ("NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoSansThai")
)


def needs_shaping(text: str) -> bool:
    """Whether HarfBuzz must shape ``text``: complex scripts, or combining marks left
    after NFC. Latin, Greek, Cyrillic, CJK and Hangul print right without it."""
    if text.isascii():
        return False
    for char in text:
        if ord(char) < 0x300:
            continue
        if unicodedata.category(char)[0] == "M" or char in "\u200c\u200d":
            return True
        if font_for(char) in _SHAPED_FAMILIES:
            return True
    return False


@lru_cache(maxsize=4096)
def _markup(text: str, bold: bool, shaping: bool = True) -> str:
    """:func:`para_markup`, remembered: names and places recur all through a book.

    ``shaping=False`` for a paragraph style without shaping."""
    return para_markup(text, bold=bold, shaping=shaping)


@cache
def _plain_style(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` without shaping (for text that needs none: much faster to lay out)."""
    return ParagraphStyle(f"{style.name}-plain", parent=style, shaping=0)


def user_text(text: object, style: ParagraphStyle, *, bold: bool | None = None) -> Paragraph:
    """A paragraph of user text: literal, in any script (uncovered characters as U+FFFD).

    ``bold`` defaults to the style's weight (the fallback fonts are chosen per run, so
    the style's own font name does not decide it). Right-to-left text goes through
    :func:`~protocol_app.briefing.text.user_paragraph` (which keeps the line order of a
    wrapped right-to-left passage); other text gets the same markup, shaped only where
    the script needs it: shaping Latin text would also apply ligatures ("fi"), which
    PDF viewers then cannot find when searching. Chinese and Japanese break between
    characters, Thai between words, and a word too wide for its line that holds
    clusters (marks, conjuncts, emoji sequences) is split between them (see
    :mod:`protocol_app.briefing.text`).
    """
    if bold is None:
        bold = style.fontName.endswith("-Bold")
    value = printable(str(text or ""))
    if any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in value):
        return user_paragraph(value, style, bold=bold)
    shaped = needs_shaping(value)
    if needs_cluster_safe_split(value):
        return _UserBookParagraph.of(value, style if shaped else _plain_style(style), bold=bold)
    return BookParagraph(_markup(value, bold, shaped), style if shaped else _plain_style(style))


def user_markup(text: object, *, bold: bool = False) -> str:
    """Markup for user text inside the book's own markup (one line, short texts only)."""
    return _markup(printable(str(text or "")), bold)


def _p(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of the book's own markup (labels; never user text)."""
    return BookParagraph(markup, _plain_style(style))


def _titled(tag: str, text: object, style: ParagraphStyle) -> list[Paragraph]:
    """User text after a short label of the book's markup (``tag``, may be empty).

    On one line when the text is left-to-right; right-to-left text gets a paragraph of
    its own, so that it keeps its line order when it wraps.
    """
    value = printable(str(text or ""))
    bold = style.fontName.endswith("-Bold")
    if any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in value):
        return [*([_p(tag, style)] if tag else []), user_text(value, style)]
    shaped = needs_shaping(value)
    if needs_cluster_safe_split(value):
        return [_UserBookParagraph.of(value, style if shaped else _plain_style(style),
                                      bold=bold, prefix=tag)]
    return [BookParagraph(tag + _markup(value, bold, shaped),
                          style if shaped else _plain_style(style))]


def format_date(day: date, *, weekday: bool = True) -> str:
    """"Thursday 11 March 2027" (English, whatever the machine's locale)."""
    return formatting.format_date(day, weekday=weekday)


format_date_range = formatting.format_date_range


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def _zone_label(zone: str, moment: datetime) -> str:
    """"New York time (EST, UTC–5)": the zone as every screen names it
    (:func:`protocol_app.formatting.zone_label`), its minus sign printed as an en dash,
    since the book's text face (Noto Sans) has no U+2212 and would print "UTC5"."""
    return formatting.zone_label(zone, moment).replace("\u2212", "\u2013")


def _city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _time_range(event: EventRecord, zone: str) -> str:
    """"09:00–09:45"; "19:30–00:15 (+1)" when the end falls on a later day."""
    start, end = _local(event.start_utc, zone), _local(event.end_utc, zone)
    text = f"{start:%H:%M}–{end:%H:%M}"
    days = (end.date() - start.date()).days
    if days > 0:
        text += f" (+{days})"
    return text


def _status_tag(status: str) -> str:
    label = _STATUS_LABELS.get(status)
    if not label:
        return ""
    color = _STATUS_COLORS[status].hexval()[2:]
    return f'<font color="#{color}"><b>{label.upper()}</b></font>  '


class Anchor(Flowable):
    """An invisible mark: a bookmark, an outline entry and a contents line.

    ``level`` 0 for sections, 1 for days and profiles. ``toc_markup`` is paragraph
    markup (user text already escaped); ``title`` is the plain outline title.
    """

    _ZERO = 0.0

    def __init__(self, key: str, level: int, title: str, toc_markup: str, *,
                 in_toc: bool = True, toc_level: int | None = None) -> None:
        super().__init__()
        self.in_toc = in_toc
        self.toc_level = level if toc_level is None else toc_level
        """The contents' style level (2: a level-1 entry that must be shaped)."""
        self.key = key
        self.level = level
        self.title = title
        # reportlab 5.1 fails to break a shaped word directly followed by the contents'
        # page-number callback (IndexError in breakLines): end the word first.
        self.toc_markup = toc_markup + word_separator()
        self.keepWithNext = True
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Takes no room."""
        return 0, 0

    def draw(self) -> None:
        """Draws nothing; the document template reacts to it in ``afterFlowable``."""


@dataclass
class Book:
    """What the sections need: the content, the look, the photos."""

    content: BookContent
    styles: Styles
    geometry: Geometry
    photos: dict[int, PreparedPhoto | None] = field(default_factory=dict)
    """Prepared photo per principal id; ``None`` for a photo that was refused."""
    toc: DeferredTableOfContents | None = None
    anchors: list[Anchor] = field(default_factory=list)
    edition: EditionDraft | None = None
    """The edition the book is printed as (its stamp, its changes page); None: a preview."""

    @property
    def audience(self) -> Audience:
        """Whom the book is for."""
        return self.content.audience

    @property
    def width(self) -> float:
        """Width of the text frame."""
        return self.geometry.frame_width

    def anchor(self, key: str, level: int, title: str, toc_markup: str | None = None, *,
               in_toc: bool = True, shaped: bool = False) -> Anchor:
        """A new anchor, remembered so the contents can be laid out before the first pass.

        ``shaped``: the contents line holds text in a script that must be shaped."""
        mark = Anchor(key, level, plain_text_for_metadata(title),
                      toc_markup if toc_markup is not None else escape(title), in_toc=in_toc,
                      toc_level=2 if shaped and level == 1 else level)
        self.anchors.append(mark)
        return mark

    def section_head(self, key: str, title: str, kicker: str = "", *,
                     in_toc: bool = True) -> list[Flowable]:
        """A section's opening: anchor, small kicker, title."""
        flow: list[Flowable] = [self.anchor(key, 0, title, in_toc=in_toc)]
        if kicker:
            kick = _p(escape(kicker.upper()), self.styles.section_kicker)
            kick.keepWithNext = True
            flow.append(kick)
        head = _p(escape(title), self.styles.section)
        head.keepWithNext = True
        flow.append(head)
        return flow

    # names ----------------------------------------------------------------------
    def list_name(self, person: PersonRecord) -> str:
        """The name as delegation lists print it ("H.E. Mr. VÕ Thanh Tùng")."""
        forms = self.content.forms.get(person.id)
        return forms.list_form if forms is not None else emphasized_name(person)

    def short_name(self, person: PersonRecord) -> str:
        """The name with the family name in capitals, no titles ("VÕ Thanh Tùng")."""
        return emphasized_name(person) or display_name(person) or f"#{person.id}"

    def native_line(self, person: PersonRecord) -> str:
        """The name in its own script, when it is not just the Latin name again."""
        native = person.native_name.strip()
        if not native or native.casefold() == display_name(person).casefold():
            return ""
        return native

    def name_cell(self, person: PersonRecord, style: ParagraphStyle,
                  extra: Sequence[Paragraph] = ()) -> list[Paragraph]:
        """A table cell: the list name, then the name in its own script."""
        cell = [user_text(self.list_name(person), style)]
        native = self.native_line(person)
        if native:
            cell.append(user_text(native, self.styles.cell))
        cell.extend(extra)
        return cell


def _table(rows: list[list], widths: Sequence[float], style, *, repeat: int = 1) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=repeat, splitInRow=1,
                  hAlign="LEFT")
    table.setStyle(style)
    return table


def _key_values(book: Book, pairs: Iterable[tuple[str, Flowable | list | None]],
                label_width: float = 38 * mm, width: float | None = None) -> Table | None:
    """Label/value rows (rows whose value is ``None`` are left out)."""
    rows = [
        [_p(escape(label.upper()), book.styles.label), value]
        for label, value in pairs
        if value is not None and value != []
    ]
    if not rows:
        return None
    total = book.width if width is None else width
    return _table(rows, (label_width, total - label_width), key_value_style(), repeat=0)


def _unbroken(text: str) -> str:
    """``text`` with no-break spaces: a phone number is never cut over two lines."""
    return " ".join(text.split()).replace(" ", "\xa0")


def _role_label(book: Book, participant: ParticipantRecord) -> str:
    return book.content.role_label(participant)


def _side_title(book: Book, side: str) -> str:
    return book.content.guests_title if side == "guest" else "Hosts"


# --------------------------------------------------------------------------- cover


def cover_section(book: Book) -> list[Flowable]:
    """The cover: office, kind of book, visit, dates, delegation, head, host, marking."""
    s, content = book.styles, book.content
    visit = content.visit
    flow: list[Flowable] = [book.anchor("cover", 0, "Cover", in_toc=False), Spacer(1, 30 * mm)]
    flow.append(user_text(content.office_name, s.cover_office))
    flow.append(_p(escape(BOOK_KINDS[book.audience].upper()), s.cover_kind))
    flow.append(user_text(visit.title, s.cover_title))
    days = (visit.end_date - visit.start_date).days + 1
    flow.append(_p(escape(f"{format_date_range(visit.start_date, visit.end_date)}"
                          f"  ·  {days} day{'s' if days != 1 else ''}"), s.cover_line))
    if content.delegation_line:
        flow.append(_p(escape(content.delegation_line), s.cover_line))
    if book.edition is not None:
        flow.append(_p(f"<b>{escape(book.edition.stamp)}</b>", s.cover_line))
    flow.append(Spacer(1, 12 * mm))
    pairs: list[tuple[str, Flowable | list | None]] = []
    if content.owner is not None:
        pairs.append(("Personal copy of", book.name_cell(content.owner.person, s.cover_line)))
    head = content.head_of_delegation
    if head is not None:
        pairs.append(("Head of delegation", book.name_cell(head.person, s.cover_line)))
    host = next((r for r in content.hosts if r.participant.role == "host"), None)
    if host is not None:
        pairs.append(("Host", book.name_cell(host.person, s.cover_line)))
    table = _key_values(book, pairs, label_width=42 * mm, width=book.width - COVER_INSET)
    if table is not None:
        flow.append(table)
    return flow


def cover_footnote(book: Book, printed_on: date) -> list[Flowable]:
    """The small print at the foot of the cover."""
    s, visit = book.styles, book.content.visit
    lines = [_AUDIENCE_NOTES[book.audience]]
    if book.content.owner is not None:
        lines.append("A personal copy: its owner's own programme and details; of everyone "
                     "else only names, positions and roles.")
    lines.append(
        f"Prepared on {format_date(printed_on, weekday=False)} from version {visit.version} "
        f"of the visit record ({visit.public_id}). Check the latest version before a meeting."
    )
    return [_p(escape(line), s.cover_small) for line in lines]


class CoverFootnote(Flowable):
    """The cover's small print, set at the foot of the cover frame."""

    def __init__(self, paragraphs: list[Paragraph]) -> None:
        super().__init__()
        self.paragraphs = paragraphs
        self._heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Takes all the room left in the frame, to sit at its bottom."""
        self._heights = [p.wrap(availWidth, availHeight)[1] for p in self.paragraphs]
        self.width = availWidth
        self.height = max(availHeight, sum(self._heights) + 4 * len(self._heights))
        return self.width, self.height

    def draw(self) -> None:
        """Draw the paragraphs bottom up, above a hairline."""
        y = 0.0
        for paragraph, height in reversed(list(zip(self.paragraphs, self._heights,
                                                   strict=True))):
            paragraph.drawOn(self.canv, 0, y)
            y += height + 4
        self.canv.setStrokeColor(Colors.RULE)
        self.canv.setLineWidth(0.5)
        self.canv.line(0, y + 2, self.width, y + 2)


# ------------------------------------------------------------------------ contents


@dataclass(frozen=True, slots=True)
class DeferredPageNumber:
    """The page number (and dot leader) of one contents line, drawn once it is known.

    Where the line ends, the contents draws the form XObject ``form_name``; the
    document template defines it after the last page with :meth:`draw`.
    """

    form_name: str
    key: str
    style: ParagraphStyle
    x: float
    y: float
    avail_width: float
    avail_height: float
    dot: str

    def draw(self, canvas: Canvas, page: int) -> None:
        """Draw the dots and ``page`` as reportlab's contents would, where it would
        (without its link: a form holds no links; see :meth:`link`)."""
        canvas._curr_tx_info = {"cur_x": self.x, "cur_y": self.y}
        drawPageNumbers(canvas, self.style, [(page, None)], self.avail_width,
                        self.avail_height, self.dot)

    def link(self, canvas: Canvas) -> None:
        """On the page: the dots and the number link to the entry's page."""
        canvas.linkRect("", self.key, (self.x, self.y, self.avail_width,
                                       self.y + self.style.leading), relative=1)


class DeferredTableOfContents(TableOfContents):
    """reportlab's contents, laid out once: its lines are set before the layout
    (:meth:`set_entries`) and their page numbers drawn as forms filled in at the end
    (:class:`DeferredPageNumber`), so the book needs no second layout pass."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.deferred: list[DeferredPageNumber] = []

    def set_entries(self, entries: Iterable[tuple[int, str, str]]) -> None:
        """The contents' lines: (level, markup, anchor key)."""
        self._lastEntries = [(level, markup, 0, key) for level, markup, key in entries]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)

        def entry_end(canvas: Canvas, _kind: str, label: str) -> None:
            _page, level_text, key_text = label.split(",")
            level = int(level_text)
            key = ast.literal_eval(key_text)
            deferred = DeferredPageNumber(
                f"toc-{len(self.deferred)}", key, self.getLevelStyle(level),
                canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"],
                availWidth, availHeight,
                " . " if 0 <= self.dotsMinLevel <= level else "",
            )
            self.deferred.append(deferred)
            canvas.doForm(deferred.form_name)
            deferred.link(canvas)

        self.canv.setNamedCB("drawTOCEntryEnd", entry_end)
        return size


def contents_section(book: Book) -> list[Flowable]:
    """The table of contents (its page numbers are filled in after the layout)."""
    toc = DeferredTableOfContents(levelStyles=list(book.styles.toc_levels), dotsMinLevel=1,
                          rightColumnWidth=36, tableStyle=TableStyle([
                              TABLE_FONT,
                              ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                          ]))
    book.toc = toc
    return [*book.section_head("contents", "Contents", in_toc=False), toc]


# -------------------------------------------------------------------- at a glance


def overview_section(book: Book) -> list[Flowable]:
    """The visit at a glance: purpose, dates, delegation, head, host, key contacts."""
    s, content = book.styles, book.content
    visit = content.visit
    flow = book.section_head("overview", "The visit at a glance", "Overview")
    days = (visit.end_date - visit.start_date).days + 1
    guests = [r for r in content.guests]
    hosts = [r for r in content.hosts]
    head = content.head_of_delegation
    host = next((r for r in hosts if r.participant.role == "host"), None)
    first_event = min((e.start_utc for e in visit.events), default=None)
    times = "Every time in this book is the local time of the place."
    if first_event is not None:
        times = (f"Every time in this book is the local time of the place: "
                 f"{_zone_label(visit.timezone, first_event)} unless marked.")
        if book.audience is Audience.GUEST and any(content.home_time_differs(e)
                                                   for e in visit.events):
            assert content.home_zone is not None
            home = _zone_label(content.home_zone, first_event)
            times += f" The delegation's home time, {home}, is shown beside each event."
    pairs: list[tuple[str, Flowable | list | None]] = [
        ("Visit", user_text(visit.title, s.body_small, bold=True)),
        ("Purpose", user_text(visit.purpose, s.body_small) if visit.purpose.strip() else None),
        ("Dates", _p(escape(
            (format_date(visit.start_date) if visit.start_date == visit.end_date
             else f"{format_date(visit.start_date)} to {format_date(visit.end_date)}")
            + f" ({days} day{'s' if days != 1 else ''})"), s.body_small)),
        ("Delegation", _p(escape(
            f"{_delegation_summary(content)}: {len(guests)} "
            f"{'person' if len(guests) == 1 else 'people'}; {len(hosts)} "
            f"host{'s' if len(hosts) != 1 else ''}; {len(visit.events)} "
            f"event{'s' if len(visit.events) != 1 else ''}"), s.body_small)),
        ("Head of delegation", _person_with_position(book, head.person) if head else None),
        ("Host", _person_with_position(book, host.person) if host else None),
        ("Status", _p(escape(visit.status.capitalize()), s.body_small)),
        ("Times", _p(escape(times), s.body_small)),
    ]
    flow.append(_key_values(book, pairs))
    flow.append(Spacer(1, 4 * mm))
    flow.extend(_key_contacts(book))
    return flow


def _delegation_summary(content: BookContent) -> str:
    """"Viet Nam"; "9 delegations" when the guests come from several."""
    if content.several_delegations:
        return f"{len(set(content.delegations.values()))} delegations"
    return country_name(content.visit.country) or content.visit.country


def _person_with_position(book: Book, person: PersonRecord) -> list[Paragraph]:
    s = book.styles
    cell = book.name_cell(person, s.body_small)
    detail = ", ".join(x for x in (person.position.strip(), person.organization.strip()) if x)
    if detail:
        cell.append(user_text(detail, s.muted))
    return cell


def _contact_rows(book: Book, people: Iterable[Ranked]) -> list[list]:
    s = book.styles
    rows = []
    for ranked in people:
        person = ranked.person
        rows.append([
            book.name_cell(person, s.cell),
            [user_text(_role_label(book, ranked.participant), s.cell),
             *([user_text(person.position, s.cell_muted)] if person.position.strip() else [])],
            user_text(_unbroken(person.phone), s.cell),
            user_text(person.email, s.cell),
        ])
    return rows


def _contact_table(book: Book, rows: list[list]) -> Table:
    s, w = book.styles, book.width
    widths = (w * 0.24, w * 0.22, w * 0.16, w * 0.38)
    head = [_p(x, s.cell_head) for x in ("NAME", "ROLE", "PHONE", "E-MAIL")]
    return _table([head, *rows], widths, grid_style(rows=len(rows) + 1))


def _key_contacts(book: Book) -> list[Flowable]:
    s, content = book.styles, book.content
    visit = content.visit
    flow: list[Flowable] = [_p("Key contacts", s.subhead)]
    office = []
    if visit.organizer_name.strip() or visit.organizer_email.strip():
        office.append(("Organizer", visit.organizer_name, visit.organizer_email))
    if visit.responsible_officer.strip():
        office.append(("Responsible officer", visit.responsible_officer, ""))
    rows = [
        [user_text(name, s.cell), user_text(role, s.cell), user_text("", s.cell),
         user_text(email, s.cell)]
        for role, name, email in office
    ]
    staff_roles = {"staff", "escort"}
    rows += _contact_rows(book, [r for r in content.participants
                                 if r.participant.role in staff_roles])
    if rows:
        flow.append(_contact_table(book, rows))
    else:
        flow.append(_p("No contacts are recorded for this visit.", s.muted))
    return flow


# ---------------------------------------------------------------- schedule at a glance


def schedule_section(book: Book) -> list[Flowable]:
    """One compact table per day: time, event, venue, host."""
    s, content = book.styles, book.content
    flow = book.section_head("schedule", "Schedule at a glance", "Overview")
    days = content.days()
    if not days:
        flow.append(_p("No events are scheduled yet.", s.muted))
        return flow
    show_home = book.audience is Audience.GUEST and any(
        content.home_time_differs(e) for e in content.visit.events)
    w = book.width
    if show_home:
        widths = (w * 0.14, w * 0.15, w * 0.37, w * 0.34)
        heads = ("TIME", "HOME TIME", "EVENT", "VENUE")
    else:
        widths = (w * 0.15, w * 0.43, w * 0.26, w * 0.16)
        heads = ("TIME", "EVENT", "VENUE", "HOST")
    for index, (day, events) in enumerate(days, start=1):
        title = _p(escape(f"Day {index} · {format_date(day)}"), s.subhead)
        rows: list[list] = [[_p(h, s.cell_head) for h in heads]]
        for event in events:
            time_cell = [_p(escape(_time_range(event, event.timezone)), s.cell_bold)]
            if event.timezone != content.visit.timezone:
                time_cell.append(_p(escape(_zone_label(event.timezone, event.start_utc)),
                                    s.cell_muted))
            title_cell = _titled(_status_tag(event.status), event.title, s.cell)
            venue_cell = [user_text(event.venue_name, s.cell)]
            if event.venue_room.strip():
                venue_cell.append(user_text(event.venue_room, s.cell_muted))
            if show_home:
                assert content.home_zone is not None
                home = (_home_time(event, content.home_zone)
                        if content.home_time_differs(event) else "same")
                rows.append([time_cell, _p(escape(home), s.cell_muted), title_cell,
                             venue_cell])
            else:
                host = content.person(event.host_person_id)
                host_cell = user_text(book.short_name(host), s.cell) if host else ""
                rows.append([time_cell, title_cell, venue_cell, host_cell])
        table = _table(rows, widths, grid_style(rows=len(rows)))
        flow.append(CondPageBreak(40 * mm))
        title.keepWithNext = True
        flow.extend([title, table])
    return flow


def _home_time(event: EventRecord, zone: str) -> str:
    """The event's time in the delegation's home zone, with the weekday when it differs."""
    local_day = _local(event.start_utc, event.timezone).date()
    start = _local(event.start_utc, zone)
    text = _time_range(event, zone)
    if start.date() != local_day:
        text = f"{formatting.weekday_name(start, short=True)} {text}"
    return text


# ----------------------------------------------------------------------- itinerary


def itinerary_section(book: Book) -> list[Flowable]:
    """The itinerary day by day, every event with its place, people and notes."""
    s, content = book.styles, book.content
    flow = book.section_head("itinerary", "Itinerary", "Day by day")
    days = content.days()
    if not days:
        flow.append(_p("No events are scheduled yet.", s.muted))
        return flow
    order = {r.person.id: i for i, r in enumerate(content.participants)}
    for index, (day, events) in enumerate(days, start=1):
        if index > 1:
            flow.append(PageBreak())
        title = f"Day {index} · {format_date(day)}"
        flow.append(book.anchor(f"day-{day.isoformat()}", 1, title))
        head = _p(escape(title), s.day)
        head.keepWithNext = True
        flow.append(head)
        note = f"Times: {_zone_label(content.visit.timezone, events[0].start_utc)}"
        if (book.audience is Audience.GUEST and content.home_zone
                and any(content.home_time_differs(e) for e in events)):
            note += (f". Home time of the delegation: "
                     f"{_zone_label(content.home_zone, events[0].start_utc)}")
        flow.append(_p(escape(note + "."), s.day_note))
        for event in events:
            flow.extend(_event_block(book, event, order))
    return flow


_TIME_COLUMN = 30 * mm


def _event_block(book: Book, event: EventRecord, order: dict[int, int]) -> list[Flowable]:
    s, content = book.styles, book.content
    time_cell: list[Flowable] = [_p(escape(_time_range(event, event.timezone)), s.event_time)]
    if event.timezone != content.visit.timezone:
        time_cell.append(_p(escape(_zone_label(event.timezone, event.start_utc)),
                            s.event_home_time))
    if book.audience is Audience.GUEST and content.home_time_differs(event):
        assert content.home_zone is not None
        time_cell.append(_p(escape(f"Home {_home_time(event, content.home_zone)}"),
                            s.event_home_time))
    title_cell: list[Flowable] = [
        *_titled(_status_tag(event.status), event.title, s.event_title),
        _p(escape(event.kind.capitalize()), s.event_meta),
    ]
    header = Table([[time_cell, title_cell]], colWidths=[_TIME_COLUMN, book.width - _TIME_COLUMN],
                   hAlign="LEFT", splitInRow=1)
    header.setStyle([
        TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, Colors.INK),
    ])
    restricted = sensitive_notes(event, book.audience, SENSITIVE_EVENT_FIELDS)
    long_notes = len(event.notes) + sum(len(n.text) for n in restricted) > _LONG_TEXT
    header.keepWithNext = not long_notes

    host = content.person(event.host_person_id)
    attendees = sorted(
        (p for p in (content.person(pid) for pid in event.attendee_ids) if p is not None),
        key=lambda p: order.get(p.id, len(order)),
    )
    venue: list[Flowable] = []
    if event.venue_name.strip():
        venue.append(user_text(event.venue_name, s.body_small, bold=True))
    if event.venue_room.strip():
        venue.append(user_text(event.venue_room, s.body_small))
    if event.venue_address.strip():
        venue.append(user_text(event.venue_address, s.muted))
    pairs: list[tuple[str, Flowable | list | None]] = [
        ("Venue", venue or None),
        ("Host", user_text(book.list_name(host), s.body_small) if host else None),
        ("Attendees", user_text("; ".join(book.short_name(p) for p in attendees),
                                s.body_small) if attendees else None),
        ("Dress code", user_text(event.dress_code, s.body_small)
         if event.dress_code.strip() else None),
        ("Notes", user_text(event.notes, s.body_small) if event.notes.strip() else None),
    ]
    details = _key_values_indented(book, pairs)
    flow: list[Flowable] = [CondPageBreak(60 * mm), header] if long_notes else [header]
    if details is not None:
        flow.append(details)
    if restricted:
        flow.append(_event_sensitive_notes(book, restricted))
    flow.append(Spacer(1, 5))
    return flow


def _note_label(book: Book, note: SensitiveNote) -> Paragraph:
    """What the note is and who may read it: "MEDICAL NOTES · INTERNAL ONLY"."""
    return _p(f"{escape(note.label.upper())}"
              f'<font color="#{Colors.MUTED.hexval()[2:]}"> · '
              f"{escape(note.restricted_label.upper())}</font>", book.styles.note_label)


def _note_body(book: Book, note: SensitiveNote) -> Paragraph:
    s = book.styles
    return user_text(note.text, s.warn_body if note.most_restricted else s.note_body)


def _event_sensitive_notes(book: Book, notes: list[SensitiveNote]) -> Table:
    """An event's sensitive notes (already filtered for the book's audience), marked as
    the profiles mark a person's, under the event's details."""
    cell: list[Flowable] = []
    for note in notes:
        cell += [_note_label(book, note), _note_body(book, note)]
    table = Table([["", cell]], colWidths=[_TIME_COLUMN, book.width - _TIME_COLUMN],
                  hAlign="LEFT", splitInRow=1)
    table.setStyle([
        TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ])
    return table


def _key_values_indented(book: Book, pairs: Iterable[tuple[str, Flowable | list | None]]
                         ) -> Table | None:
    rows = [
        [_p(escape(label.upper()), book.styles.label), value]
        for label, value in pairs
        if value is not None
    ]
    if not rows:
        return None
    label_width = 22 * mm
    table = Table(
        [["", label, value] for label, value in rows],
        colWidths=[_TIME_COLUMN, label_width, book.width - _TIME_COLUMN - label_width],
        hAlign="LEFT", splitInRow=1,
    )
    table.setStyle([
        TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (1, 0), (1, -1), 2.6),
    ])
    return table


# ---------------------------------------------------------------------- delegation


def delegation_section(book: Book) -> list[Flowable]:
    """Everybody in order of precedence: the delegation, then the hosts."""
    s, content = book.styles, book.content
    flow = book.section_head("delegation", "Delegation and hosts", "In order of precedence")
    w = book.width
    widths = (w * 0.06, w * 0.38, w * 0.38, w * 0.18)
    for side, ranked in (("guest", content.guests), ("host", content.hosts)):
        heading = _p(escape(_side_title(book, side)), s.subhead)
        heading.keepWithNext = True
        flow.append(heading)
        if not ranked:
            flow.append(_p("Nobody is recorded yet.", s.muted))
            continue
        rows: list[list] = [[_p(h, s.cell_head) for h in ("", "NAME", "POSITION", "ROLE")]]
        for r in ranked:
            person = r.person
            extra = []
            if book.audience is Audience.INTERNAL and r.explanation:
                extra.append(user_text(r.explanation, s.cell_muted))
            position = [user_text(x, s.cell if i == 0 else s.cell_muted)
                        for i, x in enumerate((person.position, person.organization))
                        if x.strip()]
            rows.append([
                _p(str(r.position), s.cell_muted),
                book.name_cell(person, s.cell_bold, extra),
                position,
                user_text(_role_label(book, r.participant), s.cell),
            ])
        flow.append(_table(rows, widths, grid_style(rows=len(rows))))
    return flow


# ------------------------------------------------------------------------ profiles


def profiles_section(book: Book) -> list[Flowable]:
    """A page for each principal (heads, members, hosts)."""
    s, content = book.styles, book.content
    principals = content.principals
    flow = book.section_head("profiles", "Profiles", "The principals")
    if not principals:
        flow.append(_p("No principals are recorded yet.", s.muted))
        return flow
    for index, ranked in enumerate(principals):
        if index:
            flow.append(PageBreak())
        flow.extend(_profile(book, ranked))
    return flow


def _labelled(label: Flowable, body: Flowable, length: int) -> list[Flowable]:
    """A label and its text: kept together when the text is short; a long text starts
    on the same page when at least a few lines fit there, else on the next page."""
    if length <= _LONG_TEXT:
        label.keepWithNext = True
        return [label, body]
    return [CondPageBreak(35 * mm), label, body]


def _initials(person: PersonRecord) -> str:
    parts = [person.given_name.strip(), person.family_name.strip()]
    if person.name_order == "family_first":
        parts.reverse()
    return "".join(p[0] for p in parts if p)[:3].upper()


def _profile(book: Book, ranked: Ranked) -> list[Flowable]:
    s, content = book.styles, book.content
    person = ranked.person
    participant = ranked.participant
    forms = content.forms.get(person.id)
    toc_text = user_markup(book.short_name(person))
    native = book.native_line(person)
    if native:
        toc_text += "  " + user_markup(native)
    outline = display_name(person) or f"#{person.id}"
    if native:
        outline += f" ({native})"
    anchor = book.anchor(f"person-{person.id}", 1, outline, toc_text,
                         shaped=needs_shaping(printable(outline)))
    if participant.side == "guest":
        country = country_name(person.country or content.visit.country)
        label = _role_label(book, participant)
        kicker = f"{label} · {country}" if country and country not in label else label
    else:
        kicker = _role_label(book, participant)
    kicker = kicker.upper()
    block: list[Flowable] = [_p(escape(kicker), s.section_kicker),
                             user_text(book.short_name(person), s.profile_name)]
    if native:
        block.append(user_text(native, s.profile_native))
    if person.pronunciation.strip():
        block.extend(_titled(
            f'<font color="#{Colors.MUTED.hexval()[2:]}">Pronunciation: </font>',
            person.pronunciation, s.profile_meta))
    if person.position.strip():
        block.append(user_text(person.position, s.profile_meta, bold=True))
    if person.organization.strip():
        block.append(user_text(person.organization, s.profile_meta))
    photo_w, photo_h = PHOTO_SIZE
    frame = PhotoFrame(photo_w, photo_h, book.photos.get(person.id), _initials(person),
                       refused=person.id in book.photos and book.photos[person.id] is None)
    header = Table([[frame, block]], colWidths=[photo_w + 6 * mm, book.width - photo_w - 6 * mm],
                   hAlign="LEFT", splitInRow=1)
    header.setStyle([
        TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ])
    flow: list[Flowable] = [anchor, header]

    pairs: list[tuple[str, Flowable | list | None]] = [
        ("Honorific", user_text(person.honorific, s.body_small)
         if person.honorific.strip() else None),
    ]
    if forms is not None:
        pairs += [
            ("In writing", user_text(forms.list_form, s.body_small)),
            ("Salutation", user_text(forms.salutation, s.body_small)),
            ("In conversation", user_text(forms.spoken, s.body_small)),
        ]
    languages = language_names(person.languages)
    pairs += [
        ("Country", _p(escape(country_name(person.country)), s.body_small)
         if person.country.strip() else None),
        ("Languages", user_text(", ".join(languages), s.body_small) if languages else None),
        ("Dietary needs", user_text(person.dietary, s.body_small)
         if person.dietary.strip() else None),
    ]
    facts = _key_values(book, pairs)
    if facts is not None:
        flow.append(facts)
    if person.bio.strip():
        flow.extend(_labelled(_p("BIOGRAPHY", s.note_label), user_text(person.bio, s.body),
                              len(person.bio)))
    for note in sensitive_notes(person, book.audience):
        flow.extend(_labelled(_note_label(book, note), _note_body(book, note),
                              len(note.text)))
    return flow


# --------------------------------------------------------------------------- gifts


def gifts_section(book: Book) -> list[Flowable]:
    """The gifts given and received during the visit."""
    s, content = book.styles, book.content
    flow = book.section_head("gifts", "Gifts", "For the record")
    gifts = sorted(content.visit.gifts, key=lambda g: (g.date or date.max, g.id))
    if not gifts:
        flow.append(_p("No gifts are registered for this visit.", s.muted))
        return flow
    w = book.width
    widths = (w * 0.13, w * 0.11, w * 0.19, w * 0.19, w * 0.26, w * 0.12)
    rows: list[list] = [[_p(h, s.cell_head) for h in
                         ("DATE", "", "FROM", "TO", "DESCRIPTION", "VALUE")]]
    for gift in gifts:
        giver, recipient = gift_people(gift, content)
        value = ""
        if gift.value is not None:
            amount = f"{gift.value:,.2f}".removesuffix(".00")
            value = f"{amount} {gift.currency}".strip()
        rows.append([
            _p(escape(format_date(gift.date, weekday=False)) if gift.date else "", s.cell),
            _p(escape(gift.direction.capitalize()), s.cell_muted),
            user_text(giver, s.cell),
            user_text(recipient, s.cell),
            user_text(gift.description, s.cell),
            user_text(value, s.cell_right),
        ])
    flow.append(_table(rows, widths, grid_style(rows=len(rows))))
    return flow


# ------------------------------------------------------------------------ contacts


def contacts_section(book: Book) -> list[Flowable]:
    """Phone numbers and e-mail addresses of everybody taking part."""
    s, content = book.styles, book.content
    visit = content.visit
    flow = book.section_head("contacts", "Contacts", "Who to call")
    office_rows = []
    if visit.organizer_name.strip() or visit.organizer_email.strip():
        office_rows.append([user_text(visit.organizer_name, s.cell_bold),
                            _p("Organizer", s.cell), "", user_text(visit.organizer_email,
                                                                   s.cell)])
    if visit.responsible_officer.strip():
        office_rows.append([user_text(visit.responsible_officer, s.cell_bold),
                            _p("Responsible officer", s.cell), "", ""])
    if office_rows:
        heading = user_text(content.office_name, s.subhead)
        heading.keepWithNext = True
        flow.extend([heading, _contact_table(book, office_rows)])
    for side, ranked in (("guest", content.guests), ("host", content.hosts)):
        if not ranked:
            continue
        heading = _p(escape(_side_title(book, side)), s.subhead)
        heading.keepWithNext = True
        flow.extend([heading, _contact_table(book, _contact_rows(book, ranked))])
    return flow


# --------------------------------------------------------------------------- story


def build_story(book: Book, printed_on: date) -> list[Flowable]:
    """The whole book, cover to contacts, for the document template."""
    story: list[Flowable] = [*cover_section(book)]
    story.append(CoverFootnote(cover_footnote(book, printed_on)))
    story += [NextPageTemplate("body"), PageBreak()]
    from protocol_app.briefing.changes_page import changes_section, has_changes_page

    sections = [contents_section, overview_section, schedule_section, itinerary_section,
                delegation_section, profiles_section]
    if has_changes_page(book):
        sections.insert(0, changes_section)
    if book.audience is not Audience.GUEST and book.content.visit.gifts:
        sections.append(gifts_section)
    sections.append(contacts_section)
    for index, section in enumerate(sections):
        if index:
            # A section's closing space would spill onto a new page when the section
            # fills its last one, and the break would then leave that page blank.
            while type(story[-1]) is Spacer:
                story.pop()
            story.append(PageBreak())
        story.extend(section(book))
    return story
