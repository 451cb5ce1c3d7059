"""The page "Changes since the last edition" that opens a new edition of a book.

It prints the :class:`~protocol_app.briefing.editions.EditionDraft`'s report: the
difference of two snapshots filtered for the book's audience
(:mod:`protocol_app.services.changes`), so it names nothing the book may not show.
Events first (added, cancelled, moved, venue, room, host, dress code), then people;
one row each, in words a principal reads in a minute.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from protocol_app.briefing.sections import Book, _p, _table, user_text
from protocol_app.briefing.styles import grid_style
from protocol_app.services.changes import Change

#: Column heads of the page's tables; how each change is named in its second column.
_HOW_LABELS: dict[str, str] = {
    "added": "Added", "cancelled": "Cancelled", "reinstated": "Back on the programme",
    "moved": "Moved", "retitled": "Renamed", "venue": "Venue", "room": "Room",
    "host": "Host", "dress_code": "Dress code", "attendees": "Attendees",
    "removed": "No longer takes part", "renamed": "Name", "position": "Position",
    "form_of_address": "Form of address", "seat": "Seat",
}


def has_changes_page(book: Book) -> bool:
    """A book printed as an edition after an earlier one opens with the page."""
    edition = book.edition
    return edition is not None and edition.number > 1


def _value(change: Change) -> str:
    if change.old is not None and change.new is not None:
        if change.how == "attendees":
            parts = [f"+ {change.new}" if change.new else "", f"− {change.old}" if change.old
                     else ""]
            return "   ".join(p for p in parts if p)
        return f"{change.old or '—'}  →  {change.new or '—'}"
    return change.new or change.old or ""


def _rows(book: Book, changes: list[Change]) -> list[list]:
    s = book.styles
    rows: list[list] = [[_p(h, s.cell_head) for h in ("WHAT", "CHANGE", "DETAILS")]]
    for change in changes:
        rows.append([user_text(change.name, s.cell_bold),
                     _p(escape(_HOW_LABELS[change.how]), s.cell),
                     user_text(_value(change), s.cell)])
    return rows


def changes_section(book: Book) -> list[Flowable]:
    """The changes page (see the module); nothing for a first edition."""
    edition = book.edition
    if edition is None or not has_changes_page(book):
        return []
    s = book.styles
    report = edition.report
    flow = book.section_head("changes", "Changes since the last edition",
                             f"Edition {edition.number}")
    if report.note:
        flow.append(_p(escape(report.note + " This edition's own content is kept, so the "
                              "next edition will list what changes after it."), s.body))
        return flow
    flow.append(_p(escape(f"Since {report.since}."), s.muted))
    if not report.changes:
        flow.append(_p("Nothing this book shows has changed since then.", s.body))
        return flow
    w = book.width
    widths = (w * 0.34, w * 0.2, w * 0.46)
    for subject, heading in (("event", "Programme"), ("person", "People")):
        chosen = [c for c in report.changes if c.subject == subject]
        if not chosen:
            continue
        head: Paragraph = _p(escape(heading), s.subhead)
        head.keepWithNext = True
        rows = _rows(book, chosen)
        flow.extend([head, _table(rows, widths, grid_style(rows=len(rows)))])
    return flow


__all__ = ["changes_section", "has_changes_page"]
