"""Printed invitations: who is invited on card to an event, and what each card says.

Some guests (heads of mission, ministers) are invited on card, not by e-mail. This
module decides the cards of one event and their wording as plain values
(:class:`InvitationCard`, :class:`EnvelopeEntry`); :mod:`protocol_app.briefing.invitation_cards`
prints them. No reportlab here.

Who gets a card (:func:`invited_on_card`): for a meal, ceremony, meeting or tour
(:data:`CARD_KINDS`; transport, press and private events get no cards), the event's
attendees on the guest side whose role is head of delegation or member -- the
principals. Staff, interpreters, security officers and escorts accompany them and get
none; hosts are the ones inviting. The cards are in the guests' order of precedence.

The wording follows the classic engraved card::

    [the host's name]                       the written name of the address block
    [the host's office]                     its position and organization lines
    requests the pleasure of the company of
    [the guest's name]                      the written name of the guest's address block
    [the name in its own script]
    at the [event]
    on [Weekday D Month YYYY] at [h:mm p.m.]
    [venue, room]
    [venue address]
    Dress: [dress code]          R.S.V.P. [the office's name and e-mail]

Every name comes from the forms of address the protocol rules produce with the office's
overrides applied (:func:`protocol_app.services.lookup.forms_in`, as on place cards);
the envelope carries the whole address block. The host of the event is its recorded host,
else the visit's first host in precedence, else the office. Nothing but names, positions,
organizations and the event's public facts is read: no note of any kind reaches a card.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from protocol_app.errors import FieldProblem, NotFoundError, ValidationError
from protocol_app.formatting import country_name, format_date, format_time_of_day
from protocol_app.rules.address import FormsOfAddress
from protocol_app.services.values import EventRecord, ParticipantRecord, VisitRecord

#: Roles invited on card: the principals of the delegation.
CARD_ROLES: frozenset[str] = frozenset({"head", "member"})
#: Kinds of event one is invited to (as the issue's defaults for invitations have it):
#: nobody gets a card for a motorcade, an arrival or a private meeting.
CARD_KINDS: tuple[str, ...] = ("meal", "ceremony", "meeting", "tour")


@dataclass(frozen=True, slots=True)
class Contact:
    """Where replies go: the office's name and e-mail (either may be blank)."""

    name: str
    email: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        """The contact's non-blank lines."""
        return tuple(line for line in (self.name.strip(), self.email.strip()) if line)


def office_contact(visit: VisitRecord, *, office_name: str, organizer_name: str = "",
                   organizer_email: str = "") -> Contact:
    """Where replies go: the visit's organizer, else the settings' organizer; named by
    the office (``office_name``) when the organizer has no name."""
    if visit.organizer_email.strip() or visit.organizer_name.strip():
        return Contact(visit.organizer_name.strip() or office_name, visit.organizer_email.strip())
    return Contact(organizer_name.strip() or office_name, organizer_email.strip())


@dataclass(frozen=True, slots=True)
class InvitationCard:
    """The wording of one invitation card."""

    person_id: int
    host_name: str  # "Dr. Caroline Mercer"
    host_office: tuple[str, ...]  # ("President", "Alderbrook University")
    guest_name: str  # "His Excellency Professor Võ Thanh Tùng"
    guest_native: str  # the name in its own script, or ""
    event_line: str  # "at the State dinner in honour of the Minister"
    when_line: str  # "on Saturday 13 March 2027 at 7:30 p.m."
    venue_lines: tuple[str, ...]  # ("Marlowe Pavilion", "Garden room", "12 Elm Street")
    dress: str  # "Black tie; national dress welcome" or ""
    rsvp: tuple[str, ...]  # the office's contact lines

    @property
    def text(self) -> str:
        """The card's wording as one sentence and its footer (for tests, previews)."""
        parts = [self.host_name, *self.host_office, "requests the pleasure of the company of",
                 self.guest_name, self.guest_native, self.event_line, self.when_line,
                 *self.venue_lines]
        if self.dress:
            parts.append(f"Dress: {self.dress}")
        parts.append(" ".join(("R.S.V.P.", *self.rsvp)))
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class CardsResult:
    """Invitation cards written: where, how many, and what the office must check."""

    path: Path
    cards: int
    sheets: int
    guests: tuple[str, ...]  # the names on the cards, in order
    envelopes: Path | None = None
    warnings: tuple[str, ...] = ()  # characters no bundled font prints
    invitations: InvitationSet | None = None  # what the cards say (for the edition)


@dataclass(frozen=True, slots=True)
class EnvelopeEntry:
    """One line of the envelope list."""

    person_id: int
    name: str  # the name as written ("His Excellency Mr. Đỗ Quang Huy")
    envelope: tuple[str, ...]  # the address block, line by line
    position: str
    organization: str
    country: str  # the UN short name


@dataclass(frozen=True, slots=True)
class InvitationSet:
    """The cards of one event, and its envelope list (both in order of precedence)."""

    visit_title: str
    event_ref: str
    event_title: str
    cards: tuple[InvitationCard, ...]
    envelopes: tuple[EnvelopeEntry, ...]


def printed_values(invitations: InvitationSet) -> dict[int, dict[str, str]]:
    """What each card of a set prints, per person id (an edition's snapshot): the name,
    the name in its own script and the whole wording."""
    return {card.person_id: {"name": card.guest_name, "native": card.guest_native,
                             "text": card.text} for card in invitations.cards}


# -- names --------------------------------------------------------------------------------


def split_address_block(forms: FormsOfAddress | None,
                        participant: ParticipantRecord) -> tuple[str, tuple[str, ...]]:
    """(the written name on one line, the office lines after it) of an address block.

    The office lines are the block's trailing lines that repeat the person's position or
    organization; an office's own wording of the block keeps whatever else it says in
    the name."""
    person = participant.person
    if forms is None:
        return participant.list_name, tuple(
            p for p in (person.position.strip(), person.organization.strip()) if p)
    lines = [line.strip() for line in forms.address_lines if line.strip()]
    office_words = {w.casefold() for w in (person.position.strip(),
                                           person.organization.strip()) if w}
    office: list[str] = []
    while len(lines) > 1 and lines[-1].casefold() in office_words:
        office.insert(0, lines.pop())
    return " ".join(lines) or participant.list_name, tuple(office)


def _native(participant: ParticipantRecord, *shown: str) -> str:
    """The name in its own script unless it only repeats a name printed."""
    native = " ".join(participant.person.native_name.split())
    if not native:
        return ""
    repeats = {" ".join(s.split()).casefold()
               for s in (*shown, participant.person.display_name) if s}
    return "" if native.casefold() in repeats else native


def _event_phrase(title: str) -> str:
    """``at the State dinner…``; a title that starts with an article keeps its own."""
    first = title.split(" ", 1)[0].casefold()
    return f"at {title}" if first in ("a", "an", "the") else f"at the {title}"


# -- who, and what ------------------------------------------------------------------------


def find_event(visit: VisitRecord, event_ref: str | int) -> EventRecord:
    """An event of the visit by its ref (``e17``) or number; a clear error otherwise."""
    wanted = str(event_ref).strip()
    for event in visit.events:
        if wanted in (event.ref, str(event.id)):
            return event
    refs = ", ".join(e.ref for e in visit.events) or "none"
    raise NotFoundError(f"{visit.title} has no event '{event_ref}' (its events: {refs}).")


def invited_on_card(visit: VisitRecord, event: EventRecord) -> tuple[ParticipantRecord, ...]:
    """The guests of ``event`` who get a card: guest-side heads and members who attend
    it, in order of precedence; none for an event of a kind without cards (see the
    module's rule)."""
    if event.kind not in CARD_KINDS:
        return ()
    attending = set(event.attendee_ids)
    chosen = [p for p in visit.participants
              if p.person_id in attending and p.side == "guest" and p.role in CARD_ROLES]
    return tuple(sorted(chosen, key=lambda p: (p.precedence or 10**6,
                                               event.attendee_ids.index(p.person_id))))


def _host(visit: VisitRecord, event: EventRecord) -> ParticipantRecord | None:
    """The event's host; else the visit's first host in precedence; else None."""
    hosts = [p for p in visit.participants if p.side == "host"]
    for p in hosts:
        if p.person_id == event.host_person_id:
            return p
    principals = [p for p in hosts if p.role == "host"] or hosts
    return min(principals, key=lambda p: p.precedence or 10**6) if principals else None


def _venue_lines(event: EventRecord) -> tuple[str, ...]:
    """The venue and room on one line, its address (lines joined) on the next."""
    place = ", ".join(p for p in (event.venue_name.strip(), event.venue_room.strip()) if p)
    address = ", ".join(line.strip() for line in event.venue_address.splitlines()
                        if line.strip())
    return tuple(line for line in (place, address) if line)


def invitation_set(visit: VisitRecord, event_ref: str | int, contact: Contact, *,
                   office_name: str = "", only: tuple[str, ...] = ()) -> InvitationSet:
    """The cards and envelope list of one event of ``visit`` (read with its forms of
    address).  ``only``: refs or numbers of the guests to print (a reprint); each must
    be one of the invited.  Refuses a cancelled event, and an event without guests to
    invite, with a message naming the event."""
    event = find_event(visit, event_ref)
    if event.status == "cancelled":
        raise ValidationError([FieldProblem(
            "event", f"“{event.title}” ({event.ref}) is cancelled: no invitations are printed "
                     "for it")], subject="invitation cards")
    if event.kind not in CARD_KINDS:
        raise ValidationError([FieldProblem(
            "event", f"“{event.title}” ({event.ref}) is a {event.kind} event: invitation cards "
                     f"are printed for {', '.join(CARD_KINDS[:-1])} and {CARD_KINDS[-1]} "
                     "events")], subject="invitation cards")
    invited = invited_on_card(visit, event)
    if not invited:
        raise ValidationError([FieldProblem(
            "event", f"“{event.title}” ({event.ref}) has no guests to invite: cards go to the "
                     "heads of delegation and members attending it (not to staff, "
                     "interpreters, security or hosts)")], subject="invitation cards")
    if only:
        by_ref = {key: p for p in invited for key in (p.ref, str(p.person_id)) if key}
        unknown = [ref for ref in only if ref.strip() not in by_ref]
        if unknown:
            names = ", ".join(p.ref or str(p.person_id) for p in invited)
            raise ValidationError([FieldProblem(
                "person", f"{', '.join(unknown)} is not invited on card to “{event.title}” "
                          f"(the invited: {names})")], subject="invitation cards")
        picked = {by_ref[ref.strip()].person_id for ref in only}
        invited = tuple(p for p in invited if p.person_id in picked)
    host = _host(visit, event)
    if host is not None:
        host_name, host_office = split_address_block(host.forms, host)
    else:
        host_name, host_office = office_name or contact.name or "The Office of Protocol", ()
    local = event.start_utc.astimezone(ZoneInfo(event.timezone))
    when = f"on {format_date(local.date(), weekday=True)} at {format_time_of_day(local)}"
    venue = _venue_lines(event)
    cards: list[InvitationCard] = []
    envelopes: list[EnvelopeEntry] = []
    for guest in invited:
        name, office = split_address_block(guest.forms, guest)
        cards.append(InvitationCard(
            person_id=guest.person_id, host_name=host_name, host_office=host_office,
            guest_name=name, guest_native=_native(guest, name), event_line=_event_phrase(
                event.title), when_line=when, venue_lines=venue,
            dress=event.dress_code.strip(), rsvp=contact.lines))
        block = guest.forms.address_lines if guest.forms else (name, *office)
        envelopes.append(EnvelopeEntry(
            person_id=guest.person_id, name=name, envelope=tuple(block),
            position=guest.person.position.strip(),
            organization=guest.person.organization.strip(),
            country=country_name(guest.person.country)))
    return InvitationSet(visit.title, event.ref, event.title, tuple(cards), tuple(envelopes))


__all__ = [
    "CARD_KINDS",
    "CARD_ROLES",
    "CardsResult",
    "Contact",
    "EnvelopeEntry",
    "InvitationCard",
    "InvitationSet",
    "find_event",
    "invitation_set",
    "invited_on_card",
    "office_contact",
    "printed_values",
    "split_address_block",
]
