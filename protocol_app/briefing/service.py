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
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from protocol_app.db.roles import hidden_record_fields
from protocol_app.errors import ProtocolError
from protocol_app.records.sensitivity import (
    SENSITIVE_FIELDS,
    Audience,
    sensitive_label,
    visible_to,
)
from protocol_app.services.audience import GUEST_PRINCIPAL_ROLES, guest_principals

if TYPE_CHECKING:
    from protocol_app.briefing.book import BriefingResult, Progress
    from protocol_app.briefing.editions import EditionDraft, EditionRecord
    from protocol_app.briefing.invitations import CardsResult, InvitationSet
    from protocol_app.records.sensitivity import Audience
    from protocol_app.services.people import PeopleService
    from protocol_app.services.protocol.address import AddressService
    from protocol_app.services.protocol.precedence import PrecedenceService
    from protocol_app.services.values import ParticipantRecord, VisitRecord
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
class PersonalCopy:
    """One guest's personal copy, written by
    :meth:`protocol_app.briefing.editions.EditionService.publish_personal_copies` (its
    edition None when the database could not record it)."""

    person_id: int
    ref: str
    name: str
    result: BriefingResult
    edition: EditionRecord | None = None

    @property
    def path(self) -> Path:
        """Where the copy was written."""
        return self.result.path


def personal_copy_names(principals: list[ParticipantRecord]) -> dict[int, str]:
    """A file name per person id, from the person's name (see
    :func:`protocol_app.files.safe_file_name`); a name met twice gets " (2)", and so on
    (compared case-blind, as Windows and macOS compare names)."""
    from protocol_app.files import safe_file_name
    from protocol_app.rules.names import display_name

    names: dict[int, str] = {}
    taken: set[str] = set()
    for p in principals:
        stem = safe_file_name(display_name(p.person), "", f"person-{p.person_id}")
        name, n = f"{stem}.pdf", 2
        while name.casefold() in taken:
            name, n = f"{stem} ({n}).pdf", n + 1
        taken.add(name.casefold())
        names[p.person_id] = name
    return names


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

    def invitations(self, visit_ref: int | str, event_ref: int | str, *,
                    guests: tuple[str, ...] = ()) -> InvitationSet:
        """The invitation cards of an event and its envelope list, as values (who is
        invited on card: :func:`protocol_app.briefing.invitations.invited_on_card`);
        ``guests``: refs or numbers of some of the invited only."""
        # forms of address: the office's overrides apply
        return self.invitations_for(self.visits.get(visit_ref), event_ref, guests=guests)

    def invitations_for(self, visit: VisitRecord, event_ref: int | str, *,
                        guests: tuple[str, ...] = ()) -> InvitationSet:
        """:meth:`invitations` of a visit already read (``visits.get``)."""
        from protocol_app.briefing.invitations import invitation_set, office_contact
        from protocol_app.config import Settings

        settings = Settings.load()
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
        ``.pdf``).  Nothing is written when the event, a guest or a path is refused.
        Printing records nothing: a set printed for the office is made with
        ``services.editions.publish_invitation_cards`` (an edition); this alone serves
        previews."""
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
                           tuple(warnings), invitations)


def unreadable_fields(sources: BriefingSources, audience: Audience | str) -> list[str]:
    """The sensitive fields an ``audience``'s book would hold that the database login
    may not read (their labels): an assistant's on the office's server.  None on SQLite."""
    hidden = hidden_record_fields(sources.visits.db.hidden_fields)
    return [sensitive_label(field) for kind, fields in hidden.items() for field in sorted(fields)
            if visible_to(field, audience, SENSITIVE_FIELDS[kind])]


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


__all__ = ["GUEST_PRINCIPAL_ROLES", "BriefingService", "BriefingSources", "PersonalCopy",
           "guest_principals", "personal_copy_names"]
