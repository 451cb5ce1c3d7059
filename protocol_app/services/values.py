"""Plain, immutable values returned by the services.

No ORM object ever leaves the service layer: the UI, the command line and every
exporter work with these frozen dataclasses.  Times are aware ``datetime`` values
in UTC; the IANA zone of the place is carried beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from protocol_app.rules.address import FormsOfAddress


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person with the full name model.  ``medical``, ``security`` and
    ``protocol_notes`` are sensitive (see :mod:`protocol_app.records.sensitivity`)."""

    id: int
    family_name: str
    given_name: str = ""
    name_order: str = "given_first"  # or "family_first"
    native_name: str = ""
    pronunciation: str = ""
    gender: str = ""  # "female", "male" or ""
    honorific: str = ""
    title_name: str = ""  # the name used after a title; "" = by the naming custom
    position: str = ""
    organization: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    email: str = ""
    phone: str = ""
    rank: str = ""  # precedence category key
    rank_date: date | None = None  # e.g. credentials presented / took up functions
    languages: tuple[str, ...] = ()
    dietary: str = ""
    medical: str = ""
    security: str = ""
    protocol_notes: str = ""
    bio: str = ""
    has_photo: bool = False
    version: int = 1
    calendar_manager_id: int | None = None  # who receives their invitations, if not them

    @property
    def display_name(self) -> str:
        """The name in its customary order, without honorific."""
        if self.name_order == "family_first":
            return " ".join(p for p in (self.family_name, self.given_name) if p)
        return " ".join(p for p in (self.given_name, self.family_name) if p)


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    """A person taking part in a visit, on one side, in one role."""

    person_id: int
    side: str  # "guest" or "host"
    role: str  # head/member/staff/interpreter/security/host/escort
    person: PersonRecord
    ref: str = ""  # the person's ref inside this visit's package
    #: The person's forms of address, the office's overrides applied (None only when the
    #: record was built without the database, as in tests of pure code).
    forms: FormsOfAddress | None = None
    #: The place in the visit's order of precedence, guests first then hosts (1 is the
    #: first guest), by the office's table and the host's overrides; 0 when not known.
    precedence: int = 0

    @property
    def list_name(self) -> str:
        """The name as lists, pickers and invitations print it: the list form of address
        (the office's override wins), else honorific and name."""
        if self.forms is not None:
            return self.forms.list_form
        return " ".join(p for p in (self.person.honorific, self.person.display_name) if p)


@dataclass(frozen=True, slots=True)
class VisitSummary:
    """One row of the visits list."""

    id: int
    public_id: str
    title: str
    status: str
    start_date: date
    end_date: date
    country: str
    timezone: str
    head_of_delegation: str
    people_count: int
    event_count: int
    version: int


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One item of an itinerary.  ``internal_notes`` are sensitive: for the office only
    (see :mod:`protocol_app.records.sensitivity`); ``notes`` reach every audience that
    may see the event (``visibility``, see :mod:`protocol_app.rules.visibility`)."""

    id: int
    visit_id: int
    ref: str
    title: str
    kind: str
    start_utc: datetime
    end_utc: datetime
    timezone: str
    status: str
    venue_name: str = ""
    venue_address: str = ""
    venue_room: str = ""
    host_person_id: int | None = None
    attendee_ids: tuple[int, ...] = ()
    dress_code: str = ""
    notes: str = ""
    internal_notes: str = ""
    visibility: str | None = None  # "all", "hosts", "attendees"; None = the rules' default
    #: the venue holds controlled technology (a tour of it needs a risk review); 0011
    venue_controlled: bool = False
    #: the risk review's conditions on this event, one a line (sensitive: for the office
    #: and the hosts, see ``records.sensitivity``)
    review_conditions: str = ""
    invitations: str | None = None  # "on", "off"; None = the default of its kind
    uid: str = ""
    sequence: int = 0
    version: int = 1


@dataclass(frozen=True, slots=True)
class GiftRecord:
    """A gift given or received, registered for the record."""

    id: int
    visit_id: int | None
    direction: str  # "received" or "given"
    giver_person_id: int | None
    recipient_person_id: int | None
    description: str
    value: float | None
    currency: str
    date: date | None
    version: int = 1


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """A visit with everything it holds: participants, events and gifts."""

    id: int
    public_id: str
    title: str
    purpose: str
    status: str
    timezone: str
    start_date: date
    end_date: date
    country: str
    organizer_name: str
    organizer_email: str
    responsible_officer: str
    version: int
    participants: tuple[ParticipantRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    gifts: tuple[GiftRecord, ...] = ()

    def person(self, person_id: int) -> PersonRecord | None:
        """The participant person with this id, if they take part in the visit."""
        for p in self.participants:
            if p.person_id == person_id:
                return p.person
        return None

    @property
    def head_of_delegation(self) -> ParticipantRecord | None:
        """The guest participant whose role is "head", if any."""
        for p in self.participants:
            if p.side == "guest" and p.role == "head":
                return p
        return None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One entry of the audit trail."""

    id: int
    at: datetime
    actor: str
    action: str  # "create", "update", "delete"
    entity: str  # "person", "visit", ...
    entity_id: int
    summary: str
    old: dict = field(default_factory=dict)
    new: dict = field(default_factory=dict)
