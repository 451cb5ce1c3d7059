"""The briefing book: a designed PDF of a visit for one audience.

:func:`build_briefing` reads the visit through the services, filters it for the
audience (:func:`protocol_app.briefing.content.audience_view`, the one place that
decides what a book may hold), checks that every name can be printed, prepares the
photos and lays the book out with reportlab's platypus:

* a cover (page template ``cover``) and body pages (``body``) with a running header
  (the visit and the audience marking) and a footer (the office and "Page N of M");
* a table of contents with page numbers;
* a PDF bookmark and an outline entry for every section, day and profile;
* title, author (the office), subject, keywords and language (``/Lang``) in the
  document information and catalogue.

One layout pass. The numbers that are known only at the end -- the M of "Page N of M"
and the page numbers of the contents -- are drawn as PDF form XObjects referenced where
they belong and defined once the last page is laid out (reportlab resolves a form at
save time). The layout never depends on them: the contents' lines are known before the
pass. reportlab's ``multiBuild`` would lay out and draw the whole book twice for them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from protocol_app.briefing.content import BookContent, gather_content, uncovered_report
from protocol_app.briefing.fonts import (
    BASE_FAMILY,
    face_name,
    font_for,
    is_ignorable,
    register_fonts,
)
from protocol_app.briefing.photos import PhotoError, PreparedPhoto, prepare_photo
from protocol_app.briefing.sections import (
    AUDIENCE_MARKINGS,
    BOOK_KINDS,
    COVER_INSET,
    PHOTO_SIZE,
    Anchor,
    Book,
    build_story,
    needs_shaping,
)
from protocol_app.briefing.styles import AUDIENCE_COLORS, Colors, Geometry, geometry, styles
from protocol_app.briefing.text import draw_text, plain_text_for_metadata, text_width
from protocol_app.errors import ProtocolError
from protocol_app.files import write_private
from protocol_app.records.sensitivity import Audience
from protocol_app.rules.names import display_name

if TYPE_CHECKING:
    from protocol_app.briefing.editions import EditionDraft
    from protocol_app.briefing.service import BriefingSources

__all__ = ["AUDIENCES", "PAPERS", "BriefingResult", "Progress", "build_briefing"]

#: Audiences a book can be made for, most trusted first.
AUDIENCES: tuple[str, ...] = tuple(a.value for a in Audience)
#: Paper sizes a book can be laid out for.
PAPERS: tuple[str, ...] = ("A4", "Letter")

Progress = Callable[[int, int, str], None]
"""``progress(done, total, text)``: how far the build is (``done`` of ``total`` steps)."""

_PROGRESS_TOTAL = 1000
_LAYOUT_LOCK = threading.Lock()
"""reportlab keeps process-wide state (fonts, shaping defaults, caches): one book is
laid out at a time."""
BOOK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class BriefingResult:
    """A built book: where it is, how many pages, and what the office must check."""

    path: Path
    pages: int
    warnings: tuple[str, ...]
    audience: str
    paper: str
    seconds: float = 0.0


class _Reporter:
    """Maps the build's stages onto one progress scale of :data:`_PROGRESS_TOTAL`."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self._last = -1

    def __call__(self, fraction: float, text: str) -> None:
        if self.progress is None:
            return
        done = max(0, min(_PROGRESS_TOTAL, round(fraction * _PROGRESS_TOTAL)))
        done = max(done, self._last)  # never backwards (a third layout pass)
        if done != self._last or text:
            self._last = done
            self.progress(done, _PROGRESS_TOTAL, text)


class BriefingDocTemplate(BaseDocTemplate):
    """The page templates, the running header and footer, bookmarks and contents."""

    def __init__(self, filename: str, book: Book, metadata: dict[str, str],
                 report: _Reporter, flowable_count: int) -> None:
        geo = book.geometry
        super().__init__(
            filename,
            pagesize=(geo.page_width, geo.page_height),
            leftMargin=geo.left,
            rightMargin=geo.right,
            topMargin=geo.top,
            bottomMargin=geo.bottom,
            title=metadata["title"],
            author=metadata["author"],
            subject=metadata["subject"],
            keywords=metadata["keywords"],
            creator="Protocol Desk",
            producer="Protocol Desk (reportlab)",
            lang=BOOK_LANGUAGE,
            initialFontName=BASE_FAMILY,
            initialFontSize=10,
            initialLeading=12,
            displayDocTitle=1,
            allowSplitting=1,
        )
        self.book = book
        self.report = report
        self._flowable_count = max(1, flowable_count)
        self._flowables_done = 0
        self.anchor_pages: dict[str, int] = {}
        """The page of every anchor laid out so far (its key)."""
        self._page_labels: list[tuple[int, float, float]] = []
        """(page, x, y) of every "Page N of M", drawn once M is known."""
        body = Frame(geo.left, geo.bottom, geo.frame_width, geo.frame_height, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(geo.left + COVER_INSET, geo.bottom + 4 * mm, geo.frame_width - COVER_INSET,
                      geo.page_height - geo.bottom - 4 * mm - 40 * mm, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[cover], onPage=self._draw_cover_page,
                         autoNextPageTemplate="body"),
            PageTemplate(id="body", frames=[body], onPage=self._draw_body_page),
        ])

    # the pass -----------------------------------------------------------------------
    def afterFlowable(self, flowable: Flowable) -> None:
        """Bookmarks, outline entries and anchor pages at anchors; progress."""
        if isinstance(flowable, Anchor):
            canvas = self.canv
            canvas.bookmarkPage(flowable.key)
            canvas.addOutlineEntry(flowable.title, flowable.key, level=flowable.level,
                                   closed=flowable.level >= 1)
            self.anchor_pages[flowable.key] = self.page
        self._flowables_done += 1
        if self._flowables_done % 25 == 0:
            within = min(1.0, self._flowables_done / self._flowable_count)
            self.report(0.25 + 0.70 * within, f"Laying out the pages (page {self.page})")

    def _endBuild(self) -> None:
        """After the last page: define the deferred numbers' forms, then save."""
        self._doSave = 0
        super()._endBuild()
        canvas = self.canv
        if canvas._code:  # the last page is still open (save() would show it)
            canvas.showPage()
        total = canvas.getPageNumber() - 1  # the canvas is on the page after the last
        for number, x, y in self._page_labels:
            with _form(canvas, f"page-label-{number}"):
                canvas.setFillColor(Colors.MUTED)
                canvas.setFont(BASE_FAMILY, 7.5)
                canvas.drawRightString(x, y, f"Page {number} of {total}")
        toc = self.book.toc
        for deferred in toc.deferred if toc is not None else ():
            with _form(canvas, deferred.form_name):
                deferred.draw(canvas, self.anchor_pages.get(deferred.key, 0))
        canvas.save()

    # decoration -------------------------------------------------------------------

    def _draw_footer(self, canvas: Canvas) -> None:
        geo: Geometry = self.book.geometry
        y = geo.footer_baseline
        canvas.setStrokeColor(Colors.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(geo.left, y + 10, geo.page_width - geo.right, y + 10)
        canvas.setFillColor(Colors.MUTED)
        left = self.book.content.office_name
        if self.book.edition is not None:
            left = f"{left}  ·  {self.book.edition.stamp}" if left else self.book.edition.stamp
        office = _fit(left, 7.5, geo.frame_width * 0.75)
        _draw_line(canvas, geo.left, y, office, 7.5)
        # "Page N of M": a form, drawn at the end when M is known (see _endBuild)
        number = canvas.getPageNumber()
        self._page_labels.append((number, geo.page_width - geo.right, y))
        canvas.doForm(f"page-label-{number}")

    def _draw_body_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        geo: Geometry = self.book.geometry
        audience = self.book.audience
        canvas.saveState()
        y = geo.page_height - geo.header_baseline
        marking = AUDIENCE_MARKINGS[audience]
        bold = face_name(BASE_FAMILY, bold=True)
        marking_width = canvas.stringWidth(marking, bold, 7.5)
        canvas.setFillColor(AUDIENCE_COLORS[audience.value])
        canvas.setFont(bold, 7.5)
        canvas.drawRightString(geo.page_width - geo.right, y, marking)
        canvas.setFillColor(Colors.MUTED)
        title = _fit(self.book.content.visit.title, 7.5,
                     geo.frame_width - marking_width - 8 * mm)
        _draw_line(canvas, geo.left, y, title, 7.5)
        canvas.setStrokeColor(AUDIENCE_COLORS[audience.value])
        canvas.setLineWidth(1.2)
        canvas.line(geo.left, y - 5, geo.page_width - geo.right, y - 5)
        self._draw_footer(canvas)
        canvas.restoreState()

    def _draw_cover_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        geo: Geometry = self.book.geometry
        audience = self.book.audience
        color = AUDIENCE_COLORS[audience.value]
        canvas.showOutline()  # open the bookmarks pane in PDF viewers
        canvas.saveState()
        band = 16 * mm
        top = geo.page_height
        canvas.setFillColor(color)
        canvas.rect(0, top - band - 10 * mm, geo.page_width, band, stroke=0, fill=1)
        canvas.setFillColor(Colors.WHITE)
        canvas.setFont(face_name(BASE_FAMILY, bold=True), 12)
        canvas.drawString(geo.left + COVER_INSET, top - 10 * mm - band / 2 - 4,
                          AUDIENCE_MARKINGS[audience])
        canvas.setFont(BASE_FAMILY, 9)
        canvas.drawRightString(geo.page_width - geo.right, top - 10 * mm - band / 2 - 3.5,
                               BOOK_KINDS[audience])
        # a thin accent rule along the text's left edge
        canvas.setStrokeColor(Colors.ACCENT)
        canvas.setLineWidth(2)
        canvas.line(geo.left, geo.bottom + 4 * mm, geo.left,
                    top - band - 10 * mm - 14 * mm)
        self._draw_footer(canvas)
        canvas.restoreState()


@contextlib.contextmanager
def _form(canvas: Canvas, name: str) -> Iterator[None]:
    """Draw into the form XObject ``name`` (unclipped: its box is far larger than a page)."""
    canvas.beginForm(name, lowerx=-_FORM_REACH, lowery=-_FORM_REACH,
                     upperx=_FORM_REACH, uppery=_FORM_REACH)
    try:
        yield
    finally:
        canvas.endForm()


_FORM_REACH = 10_000


def _draw_line(canvas: Canvas, x: float, y: float, text: str, size: float) -> None:
    """One line of user text: as a plain string in the text face when that face has
    every character and nothing needs shaping (no ligatures: the text stays findable),
    else with :func:`~protocol_app.briefing.text.draw_text` (fallback fonts, bidi)."""
    if all(font_for(char) == BASE_FAMILY or is_ignorable(char) for char in text) and not (
        needs_shaping(text)
    ):
        canvas.setFont(BASE_FAMILY, size)
        canvas.drawString(x, y, text)
    else:
        draw_text(canvas, x, y, text, size)


@functools.lru_cache(maxsize=256)
def _fit(text: str, size: float, width: float) -> str:
    """``text`` on one line, cut with an ellipsis to fit ``width`` points (remembered:
    the running header and footer fit the same texts on every page)."""
    text = plain_text_for_metadata(text)
    if text_width(text, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + "…", size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _metadata(content: BookContent) -> dict[str, str]:
    visit = content.visit
    audience = content.audience
    title = plain_text_for_metadata(visit.title)
    kind = BOOK_KINDS[audience]
    subject = (f"{kind} ({AUDIENCE_MARKINGS[audience].lower()}) for the visit "
               f"{visit.public_id}, {visit.start_date.isoformat()} to "
               f"{visit.end_date.isoformat()}")
    return {
        "title": f"{title} — {kind}",
        "author": plain_text_for_metadata(content.office_name) or "Office of Protocol",
        "subject": subject,
        "keywords": f"briefing, {audience.value}, {visit.public_id}",
    }


def _prepare_photos(services: BriefingSources, content: BookContent, report: _Reporter
                    ) -> tuple[dict[int, PreparedPhoto | None], list[str]]:
    """Photos of the principals, at print size; a warning for each refused one."""
    photos: dict[int, PreparedPhoto | None] = {}
    warnings: list[str] = []
    principals = [r.person for r in content.principals if r.person.has_photo]
    width, height = PHOTO_SIZE
    for index, person in enumerate(principals, start=1):
        report(0.05 + 0.2 * index / max(1, len(principals)),
               f"Preparing photos ({index} of {len(principals)})")
        try:
            data = services.people.photo(person.id)
        except ProtocolError as exc:
            data, problem = None, str(exc)
        else:
            problem = ""
        if not data:
            photos[person.id] = None
            warnings.append(f"The photo of {display_name(person)} (#{person.id}) could not "
                            f"be read{': ' + problem if problem else ''}; a placeholder is "
                            "printed.")
            continue
        try:
            photos[person.id] = prepare_photo(data, width, height)
        except PhotoError as exc:
            photos[person.id] = None
            warnings.append(f"The photo of {display_name(person)} (#{person.id}) was not "
                            f"printed: {exc}. A placeholder is printed; replace the photo.")
    return photos, warnings


def build_briefing(
    services: BriefingSources,
    visit_ref: int | str,
    audience: Audience | str,
    out_path: str | os.PathLike[str],
    paper: str = "A4",
    progress: Progress | None = None,
    *,
    office_name: str | None = None,
    printed_on: date | None = None,
    person: int | str | None = None,
    edition: EditionDraft | None = None,
) -> BriefingResult:
    """Build the briefing book of a visit for ``audience`` and write it to ``out_path``.

    ``audience``: ``"internal"`` (the principal's book: everything), ``"host"`` (no
    medical or security notes) or ``"guest"`` (the delegation's programme: no protocol,
    medical or security notes, no cancelled events, no gifts). ``paper``: ``"A4"`` or
    ``"Letter"``. ``progress(done, total, text)`` is called as the build goes on (from
    the calling thread). ``office_name`` defaults to the settings' office name.
``person`` (a package ref or person number) makes the personal copy of that
participant: their own programme and details, of everyone else only names, positions
and roles (see :mod:`protocol_app.services.audience`).
    ``edition`` (from :meth:`protocol_app.briefing.editions.EditionService.draft`) prints
    the edition's stamp on the cover and in the footer, and, after an earlier edition,
    the page "Changes since the last edition".

    The file is written whole or not at all (a temporary file is renamed into place).
    Raises :class:`~protocol_app.errors.ProtocolError` for an unknown visit, audience
    or paper size.
    """
    started = time.perf_counter()
    try:
        audience = Audience(audience)
    except ValueError:
        raise ProtocolError(f"The audience must be one of {', '.join(AUDIENCES)}, not "
                            f"'{audience}'.") from None
    if paper not in PAPERS:
        raise ProtocolError(f"The paper size must be one of {', '.join(PAPERS)}, not "
                            f"'{paper}'.")
    from protocol_app.briefing.service import check_readable

    left_out = check_readable(services, audience)  # refuses the internal book if need be
    report = _Reporter(progress)
    report(0.0, "Reading the visit")
    register_fonts()
    if office_name is None:
        from protocol_app.config import Settings

        office_name = Settings.load().office_name
    content = gather_content(services, visit_ref, audience, office_name, person)
    warnings = uncovered_report(content)
    report(0.05, "Checking names and preparing photos")
    photos, photo_warnings = _prepare_photos(services, content, report)
    warnings.extend(photo_warnings)
    if left_out:
        warnings.append(left_out)

    book = Book(content=content, styles=styles(), geometry=geometry(paper), photos=photos,
                edition=edition)
    story = build_story(book, printed_on or date.today())
    target = Path(out_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc: BriefingDocTemplate | None = None

    def lay_out(temp: Path) -> None:
        nonlocal doc, story
        with _LAYOUT_LOCK:
            doc = BriefingDocTemplate(str(temp), book, _metadata(content), report, len(story))
            if book.toc is not None:
                # The contents' lines are known now (their page numbers are drawn at
                # the end): the pass lays out a contents of the right length.
                book.toc.set_entries([(a.toc_level, a.toc_markup, a.key)
                                      for a in book.anchors if a.in_toc])
            report(0.25, "Laying out the pages")
            doc.build(story)
        report(0.97, "Writing the file")

    write_private(target, lay_out)
    assert doc is not None
    report(1.0, "Done")
    return BriefingResult(
        path=target,
        pages=doc.page,
        warnings=tuple(warnings),
        audience=audience.value,
        paper=paper,
        seconds=time.perf_counter() - started,
    )
