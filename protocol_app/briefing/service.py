"""The briefing service: builds a visit's briefing book from the services it reads.

:class:`BriefingSources` names what the book is read from; the
:class:`~protocol_app.services.Services` container provides it, and so does
:class:`BriefingService` (``services.briefing``).  Reportlab is imported only when a
book is built.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from protocol_app.db.roles import RECORD_TABLES
from protocol_app.errors import ProtocolError
from protocol_app.records.sensitivity import (
    SENSITIVE_FIELDS,
    Audience,
    sensitive_label,
    visible_to,
)

if TYPE_CHECKING:
    from protocol_app.briefing.book import BriefingResult, Progress
    from protocol_app.services.people import PeopleService
    from protocol_app.services.protocol.address import AddressService
    from protocol_app.services.protocol.precedence import PrecedenceService
    from protocol_app.services.visits import VisitService


class BriefingSources(Protocol):
    """What a briefing book is read from: the visit, its people (and their photos),
    the order of precedence and the forms of address (read-only, so a frozen holder
    matches)."""

    @property
    def visits(self) -> VisitService: ...
    @property
    def people(self) -> PeopleService: ...
    @property
    def precedence(self) -> PrecedenceService: ...
    @property
    def address(self) -> AddressService: ...


@dataclass(frozen=True, slots=True)
class BriefingService:
    """Briefing books of visits, read through the services it holds."""

    visits: VisitService
    people: PeopleService
    precedence: PrecedenceService
    address: AddressService

    def build(self, visit_ref: int | str, audience: Audience | str,
              out_path: str | os.PathLike[str], paper: str = "A4",
              progress: Progress | None = None, *, office_name: str | None = None,
              printed_on: date | None = None,
              person: int | str | None = None) -> BriefingResult:
        """Build the book and write it to ``out_path`` (see
        :func:`protocol_app.briefing.book.build_briefing`; ``person``: whose personal copy)."""
        from protocol_app.briefing.book import build_briefing

        return build_briefing(self, visit_ref, audience, out_path, paper, progress,
                              office_name=office_name, printed_on=printed_on, person=person)


def unreadable_fields(sources: BriefingSources, audience: Audience | str) -> list[str]:
    """The sensitive fields an ``audience``'s book would hold that the database login
    may not read (their labels): an assistant's on the office's server.  None on SQLite."""
    hidden = sources.visits.db.hidden_fields
    kinds = {RECORD_TABLES[kind]: fields for kind, fields in SENSITIVE_FIELDS.items()}
    return [sensitive_label(column) for table, columns in hidden.items()
            for column in sorted(columns)
            if table in kinds and visible_to(column, audience, kinds[table])]


def check_readable(sources: BriefingSources, audience: Audience | str) -> str | None:
    """Refuse the internal book to a login that may not read every field it holds;
    for another audience, the warning to print when some of its fields are left out."""
    unreadable = unreadable_fields(sources, audience)
    if not unreadable:
        return None
    if Audience(audience) is Audience.INTERNAL:
        raise ProtocolError(
            f"Your database login ({sources.visits.db.login_name()}) may not read "
            f"{', '.join(unreadable)}, so it cannot build the internal book, which holds "
            "them; nothing was written. Build the hosts' or guests' book, or ask an "
            "officer.")
    return f"Left out: {', '.join(unreadable)} (your database login may not read them)."


__all__ = ["BriefingService", "BriefingSources"]
