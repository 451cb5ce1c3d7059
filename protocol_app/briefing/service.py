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

if TYPE_CHECKING:
    from protocol_app.briefing.book import BriefingResult, Progress
    from protocol_app.briefing.editions import EditionDraft
    from protocol_app.records.sensitivity import Audience
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
              person: int | str | None = None,
              edition: EditionDraft | None = None) -> BriefingResult:
        """Build the book and write it to ``out_path`` (see
        :func:`protocol_app.briefing.book.build_briefing`; ``person``: whose personal copy;
        ``edition``: the edition it is printed as, from ``services.editions.draft``: its
        stamp on the cover and footer, its changes page).  Building records nothing: a
        saved or printed book is recorded with ``services.editions.record`` (or made
        with ``services.editions.publish_book``)."""
        from protocol_app.briefing.book import build_briefing

        return build_briefing(self, visit_ref, audience, out_path, paper, progress,
                              office_name=office_name, printed_on=printed_on, person=person,
                              edition=edition)


__all__ = ["BriefingService", "BriefingSources"]
