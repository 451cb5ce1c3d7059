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
    from protocol_app.briefing.invitations import CardsResult, InvitationSet
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
              person: int | str | None = None) -> BriefingResult:
        """Build the book and write it to ``out_path`` (see
        :func:`protocol_app.briefing.book.build_briefing`; ``person``: whose personal copy)."""
        from protocol_app.briefing.book import build_briefing

        return build_briefing(self, visit_ref, audience, out_path, paper, progress,
                              office_name=office_name, printed_on=printed_on, person=person)

    def invitations(self, visit_ref: int | str, event_ref: int | str, *,
                    guests: tuple[str, ...] = ()) -> InvitationSet:
        """The invitation cards of an event and its envelope list, as values (who is
        invited on card: :func:`protocol_app.briefing.invitations.invited_on_card`);
        ``guests``: refs or numbers of some of the invited only."""
        from protocol_app.briefing.invitations import invitation_set, office_contact
        from protocol_app.config import Settings

        settings = Settings.load()
        visit = self.visits.get(visit_ref)  # forms of address: the office's overrides apply
        contact = office_contact(visit, office_name=settings.office_name,
                                 organizer_name=settings.organizer_name,
                                 organizer_email=settings.organizer_email)
        return invitation_set(visit, event_ref, contact, office_name=settings.office_name,
                              only=guests)

    def invitation_cards(self, visit_ref: int | str, event_ref: int | str,
                         out_path: str | os.PathLike[str], *, paper: str = "A4",
                         envelopes: str | os.PathLike[str] | None = None,
                         guests: tuple[str, ...] = ()) -> CardsResult:
        """Print the invitation cards of an event to ``out_path`` (a PDF, two 7 × 5 in
        cards to a sheet) and, with ``envelopes``, its envelope list (``.csv`` or
        ``.pdf``).  Nothing is written when the event, a guest or a path is refused."""
        from pathlib import Path

        from protocol_app.briefing.fonts import uncovered_characters
        from protocol_app.briefing.invitation_cards import (
            cards_pdf,
            envelope_format_problem,
            envelope_list,
            sheet_size,
        )
        from protocol_app.briefing.invitations import CardsResult
        from protocol_app.config import Settings
        from protocol_app.errors import FieldProblem, ValidationError
        from protocol_app.files import write_private

        problems = []
        try:
            sheet_size(paper)
        except ValueError as exc:
            problems.append(FieldProblem("paper", str(exc)))
        wrong_format = (envelope_format_problem(Path(envelopes)) if envelopes is not None
                        else None)
        if wrong_format:
            problems.append(FieldProblem("envelopes", wrong_format))
        if problems:
            raise ValidationError(problems, subject="invitation cards")
        invitations = self.invitations(visit_ref, event_ref, guests=guests)
        office = Settings.load().office_name
        # both files are made before either is written: none is written when one fails
        cards, sheets = cards_pdf(invitations, paper=paper, office=office)
        envelope_path = Path(envelopes).expanduser() if envelopes is not None else None
        listing = (envelope_list(invitations, envelope_path.name, paper=paper, office=office)
                   if envelope_path is not None else b"")
        target = Path(out_path).expanduser()
        for path, data in ((target, cards), (envelope_path, listing)):
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_private(path, data)
        warnings = []
        for card in invitations.cards:
            missing = {c for text in card.text.splitlines() for c in uncovered_characters(text)}
            if missing:
                warnings.append(f"no bundled font prints {' '.join(sorted(missing))} on the "
                                f"card of {card.guest_name}")
        return CardsResult(target, len(invitations.cards), sheets,
                           tuple(c.guest_name for c in invitations.cards), envelope_path,
                           tuple(warnings))


__all__ = ["BriefingService", "BriefingSources"]
