"""Typed SQLAlchemy 2 models.  Schema changes go through Alembic migrations only
(``protocol_app/db/migrations``); these classes describe the head revision.

Times are stored as naive UTC ``DateTime`` values (SQLite has no zone type); the
services convert them to aware UTC datetimes.  Every editable record carries a
``version`` column used for optimistic locking.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    deferred,
    mapped_column,
    relationship,
)

if TYPE_CHECKING:
    from sqlalchemy.sql import FromClause


class Base(DeclarativeBase):
    """Declarative base of every record."""


class Versioned:
    """Mixin: an integer version raised on every write (optimistic locking)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    if TYPE_CHECKING:  # declarative gives every mapped subclass its table
        __table__: ClassVar[FromClause]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


class Organization(Versioned, Base):
    """A university, ministry, embassy or company people belong to."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    country: Mapped[str] = mapped_column(String(2), default="")


class Person(Versioned, Base):
    """A dignitary, delegate, host or staff member, with the full name model."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str] = mapped_column(String(200), default="")
    name_order: Mapped[str] = mapped_column(String(20), default="given_first")
    native_name: Mapped[str] = mapped_column(String(300), default="")
    pronunciation: Mapped[str] = mapped_column(String(300), default="")
    gender: Mapped[str] = mapped_column(String(10), default="")
    honorific: Mapped[str] = mapped_column(String(100), default="")
    #: The name used with a title when the office chooses it; "" = by the naming custom
    #: (``rules.names.default_title_name``).  Added in 0008.
    title_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    position: Mapped[str] = mapped_column(String(300), default="")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), nullable=True
    )
    country: Mapped[str] = mapped_column(String(2), default="")
    email: Mapped[str] = mapped_column(String(320), default="", index=True)
    phone: Mapped[str] = mapped_column(String(60), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")  # comma-separated BCP 47
    rank: Mapped[str] = mapped_column(String(60), default="")
    rank_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    dietary: Mapped[str] = mapped_column(Text, default="")
    medical: Mapped[str] = mapped_column(Text, default="")
    security: Mapped[str] = mapped_column(Text, default="")
    protocol_notes: Mapped[str] = mapped_column(Text, default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    has_photo: Mapped[bool] = mapped_column(default=False)
    #: Who receives this person's invitations (a chief of staff); added in 0010.
    calendar_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True, default=None)

    organization: Mapped[Organization | None] = relationship(lazy="joined")
    __table_args__ = (Index("ix_people_family_given", "family_name", "given_name"),)


class Venue(Base):
    """A place where events happen (a building, a hotel, a restaurant)."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str] = mapped_column(Text, default="")
    #: Holds export-controlled technology: a tour of it needs a risk review (0011).
    controlled_technology: Mapped[bool] = mapped_column(default=False, server_default=false())

    __table_args__ = (UniqueConstraint("name", "address", name="uq_venues_name_address"),)


class Visit(Versioned, Base):
    """A visit of a delegation: who comes, when, where, and its itinerary."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(2))
    organizer_name: Mapped[str] = mapped_column(String(300), default="")
    organizer_email: Mapped[str] = mapped_column(String(320), default="")
    responsible_officer: Mapped[str] = mapped_column(String(300), default="")

    participants: Mapped[list[Participant]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Participant.id"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Event.start_utc"
    )
    gifts: Mapped[list[Gift]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Gift.id"
    )


class Participant(Base):
    """A person taking part in a visit, on the guest or the host side."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    side: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str] = mapped_column(String(120), default="")

    visit: Mapped[Visit] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("visit_id", "person_id", name="uq_participant"),)


class EventAttendee(Base):
    """Association of an event and a person attending it."""

    __tablename__ = "event_attendees"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Event(Versioned, Base):
    """One item of a visit's itinerary, stored in UTC with its place's IANA zone."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String(120))
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), default="meeting")
    start_utc: Mapped[datetime] = mapped_column(DateTime)
    end_utc: Mapped[datetime] = mapped_column(DateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="confirmed")
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id", ondelete="SET NULL"), nullable=True
    )
    room: Mapped[str] = mapped_column(String(200), default="")
    host_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    dress_code: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: For the office only (sensitive: see ``records.sensitivity``); added in 0006.
    internal_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Who may see it: "all", "hosts" or "attendees"; NULL = the default of
    #: ``rules.visibility``; added in 0007.
    visibility: Mapped[str | None] = mapped_column(String(20), nullable=True, default=None)
    #: "on" or "off"; NULL = the default of its kind (preferences); added in 0010.
    invitations: Mapped[str | None] = mapped_column(String(10), nullable=True, default=None)

    visit: Mapped[Visit] = relationship(back_populates="events")
    venue: Mapped[Venue | None] = relationship(lazy="joined")
    attendees: Mapped[list[EventAttendee]] = relationship(
        cascade="all, delete-orphan", order_by="EventAttendee.position", lazy="selectin"
    )
    __table_args__ = (
        UniqueConstraint("visit_id", "ref", name="uq_event_ref"),
        Index("ix_events_visit_start", "visit_id", "start_utc"),
    )


class Gift(Versioned, Base):
    """A gift given or received, registered for the record."""

    __tablename__ = "gifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), nullable=True
    )
    direction: Mapped[str] = mapped_column(String(10))
    giver_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    recipient_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    description: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="")
    date: Mapped[date | None] = mapped_column(Date, nullable=True)

    visit: Mapped[Visit | None] = relationship(back_populates="gifts")


class AuditEntry(Base):
    """Who changed which record, when, from what to what.  Never edited."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    old_values: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    new_values: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    save_id: Mapped[str | None] = mapped_column(String(32), nullable=True, default=None)
    """The same for every entry one save (one transaction) wrote; NULL before 0015."""

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class InviteLedgerEntry(Base):
    """One invitation message sent (or written for sending): which event, to whom, with
    which iTIP method and SEQUENCE, when, and its Message-ID.  Rows are only ever added;
    the latest row per event and address says what that calendar holds."""

    __tablename__ = "invite_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    attendee_email: Mapped[str] = mapped_column(String(320))  # lower case
    attendee_name: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(String(10))  # REQUEST or CANCEL
    kind: Mapped[str] = mapped_column(String(10))  # new, update or cancel
    sequence: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    snapshot: Mapped[str] = mapped_column(Text, default="{}")  # JSON: what the message said
    sent_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    message_id: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[str] = mapped_column(String(10), default="smtp")  # smtp or file
    actor: Mapped[str] = mapped_column(String(200), default="")
    #: The calendar manager's address when the message went to them; added in 0010.
    sent_to: Mapped[str] = mapped_column(String(320), default="", server_default="")

    __table_args__ = (
        Index("ix_invite_ledger_event_email", "event_id", "attendee_email"),
    )


# -- protocol rules: precedence table, host overrides, forms of address, seating, travel --


class PrecedenceCategoryRow(Versioned, Base):
    """One line of the office's table of precedence (see
    :class:`protocol_app.rules.precedence.PrecedenceCategory`); ``order``: lower first."""

    __tablename__ = "precedence_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    plural: Mapped[str] = mapped_column(String(200), default="")
    order: Mapped[int] = mapped_column("sort_order", Integer)
    tie_rule: Mapped[str] = mapped_column(String(30), default="none")
    excellency: Mapped[bool] = mapped_column(default=False)
    equivalents: Mapped[str] = mapped_column(Text, default="")


class PrecedenceOverrideRow(Base):
    """The host's decision, for one visit, to place a person before or after another,
    with the reason shown in the order of precedence.  Applied in ``id`` order."""

    __tablename__ = "precedence_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    place: Mapped[str] = mapped_column(String(10))  # "before" or "after"
    other_person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)  # UTC

    __table_args__ = (
        UniqueConstraint("visit_id", "person_id", name="uq_precedence_override_person"),
    )


class AddressOverride(Versioned, Base):
    """A form of address the office decided on for a person, replacing the generated
    one (``form`` is one of ``protocol_app.rules.address.FORM_NAMES``)."""

    __tablename__ = "address_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    form: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("person_id", "form", name="uq_address_override"),)


class SeatingPlanRow(Versioned, Base):
    """The seating plan of one meal or ceremony.  JSON columns: ``tables`` a list of
    ``{"number", "shape", "seats", "name"}``; ``couples`` and ``not_together`` lists of
    person-id pairs; ``interpreters`` an object interpreter id -> principal id."""

    __tablename__ = "seating_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    tables: Mapped[str] = mapped_column(Text, default="[]")
    couples_together: Mapped[bool] = mapped_column(default=True)
    couples: Mapped[str] = mapped_column(Text, default="[]")
    not_together: Mapped[str] = mapped_column(Text, default="[]")
    interpreters: Mapped[str] = mapped_column(Text, default="{}")
    interpreters_at_table: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    updated_by: Mapped[str] = mapped_column(String(200), default="")

    seats: Mapped[list[SeatRow]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="SeatRow.id",
        lazy="selectin",
    )


class SeatRow(Base):
    """A person in a seat of a plan; ``behind``: an interpreter on a chair behind it."""

    __tablename__ = "seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("seating_plans.id", ondelete="CASCADE"))
    table: Mapped[int] = mapped_column("table_number", Integer)
    seat: Mapped[int] = mapped_column("seat_number", Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    locked: Mapped[bool] = mapped_column(default=False)
    behind: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[SeatingPlanRow] = relationship(back_populates="seats")
    __table_args__ = (UniqueConstraint("plan_id", "person_id", name="uq_seat_person"),)


class TravelTime(Base):
    """Minutes to get from one venue to another, either way (stored once per pair, with
    ``venue_a_id < venue_b_id``)."""

    __tablename__ = "travel_times"

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_a_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    venue_b_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    minutes: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("venue_a_id", "venue_b_id", name="uq_travel_pair"),)


class FindingAcknowledgement(Base):
    """A clash finding the office has seen and accepted, with its reason (migration 0007).

    ``finding_key`` identifies the finding across runs of the checks (its code and the
    events and people it names, :func:`protocol_app.services.findings.finding_key`); a
    new acknowledgement of the same finding replaces the old one."""

    __tablename__ = "finding_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"),
                                          index=True)
    finding_key: Mapped[str] = mapped_column(String(400))
    code: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("visit_id", "finding_key", name="uq_finding_ack"),)

from protocol_app.records import editions as _editions  # noqa: E402,F401  (the editions table)
from protocol_app.records import replies as _replies  # noqa: E402,F401  (its tables)
from protocol_app.records import reviews as _reviews  # noqa: E402,F401  (0011: risk reviews)
from protocol_app.records import screening as _screening  # noqa: E402,F401  (tables of 0012)
