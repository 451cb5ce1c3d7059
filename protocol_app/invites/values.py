"""Plain, immutable values of the invitations: ledger states, plans, delivery reports.

The desktop app and the command line see only these; none holds an ORM object.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from protocol_app.invites.calendar import METHOD_CANCEL, METHOD_REQUEST, Organizer


class InviteKind(StrEnum):
    """What a message does to the recipient's calendar."""

    NEW = "new"  # a REQUEST for an event they do not have yet
    UPDATE = "update"  # a REQUEST replacing the copy they have
    CANCEL = "cancel"  # a CANCEL removing it
    REMINDER = "reminder"  # the current REQUEST again, to someone who has not answered

    @property
    def method(self) -> str:
        """The iTIP method: REQUEST or CANCEL."""
        return METHOD_CANCEL if self is InviteKind.CANCEL else METHOD_REQUEST

    @property
    def label(self) -> str:
        """How the desktop app names it."""
        return {"new": "Invitation", "update": "Update", "cancel": "Cancellation",
                "reminder": "Reminder"}[self.value]


@dataclass(frozen=True, slots=True)
class EventSnapshot:
    """What a recipient was last told about an event (to say what changed since)."""

    title: str
    start: str  # ISO 8601, UTC
    end: str
    timezone: str
    status: str  # TENTATIVE, CONFIRMED, CANCELLED
    location: str

    def to_json(self) -> str:
        """The snapshot as stored in the ledger."""
        return json.dumps({"title": self.title, "start": self.start, "end": self.end,
                           "timezone": self.timezone, "status": self.status,
                           "location": self.location}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> EventSnapshot:
        """A stored snapshot; missing keys read as empty."""
        try:
            raw = json.loads(text or "{}")
        except ValueError:
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        return cls(**{k: str(raw.get(k, "")) for k in (
            "title", "start", "end", "timezone", "status", "location")})

    def changes_since(self, older: EventSnapshot) -> tuple[str, ...]:
        """What differs from ``older``: any of "time", "time zone", "place", "status",
        "title"."""
        found: list[str] = []
        if (self.start, self.end) != (older.start, older.end):
            found.append("time")
        if self.timezone != older.timezone:
            found.append("time zone")
        if self.location != older.location:
            found.append("place")
        if self.status != older.status:
            found.append("status")
        if self.title != older.title:
            found.append("title")
        return tuple(found)


#: Changes that need a higher SEQUENCE (RFC 5546 "significant" changes).
SIGNIFICANT_CHANGES: frozenset[str] = frozenset({"time", "time zone", "place", "status"})


@dataclass(frozen=True, slots=True)
class LedgerState:
    """The last message one recipient got for one event."""

    event_id: int
    email: str  # lower case
    name: str
    person_id: int | None
    method: str  # REQUEST or CANCEL
    sequence: int
    content_hash: str
    snapshot: EventSnapshot
    sent_to: str = ""  # the calendar manager it went to, if not the attendee

    @property
    def holds_event(self) -> bool:
        """True if the recipient's calendar has the event (last got a REQUEST)."""
        return self.method == METHOD_REQUEST


@dataclass(frozen=True, slots=True)
class PlannedInvite:
    """One message to send: an event, a recipient, what it does, at which SEQUENCE."""

    event_id: int
    event_ref: str
    event_uid: str
    event_title: str
    start_utc: datetime
    end_utc: datetime
    timezone: str
    email: str
    name: str
    person_id: int | None
    kind: InviteKind
    sequence: int
    reason: str  # e.g. "new event", "time changed", "no longer attends"
    changes: tuple[str, ...]
    content_hash: str
    snapshot: EventSnapshot
    #: The calendar manager who receives it for the attendee (``email`` stays the
    #: ATTENDEE, with ``SENT-BY`` naming the manager); empty: the attendee themself.
    sent_to: str = ""
    sent_to_name: str = ""

    @property
    def method(self) -> str:
        """REQUEST or CANCEL."""
        return self.kind.method

    @property
    def deliver_to(self) -> str:
        """The address the message goes to: the calendar manager's, else the attendee's."""
        return self.sent_to or self.email

    @property
    def key(self) -> tuple:
        """What identifies this message in a plan (to check a plan is still current)."""
        return (self.event_id, self.email, self.kind.value, self.sequence, self.content_hash,
                self.sent_to)


@dataclass(frozen=True, slots=True)
class NotInvited:
    """Someone on an event who gets no invitation, and why."""

    event_id: int
    event_title: str
    person_id: int
    name: str
    reason: str  # "no e-mail address", "invitations are off for this event", ...


@dataclass(frozen=True, slots=True)
class InvitePlan:
    """Everything to send for a visit now, before anything is sent."""

    visit_id: int
    visit_public_id: str
    visit_title: str
    organizer: Organizer | None
    items: tuple[PlannedInvite, ...] = ()
    not_invited: tuple[NotInvited, ...] = ()
    problems: tuple[str, ...] = ()  # reasons nothing can be sent (no organizer e-mail)

    @property
    def new(self) -> tuple[PlannedInvite, ...]:
        """The first invitations."""
        return tuple(i for i in self.items if i.kind is InviteKind.NEW)

    @property
    def updates(self) -> tuple[PlannedInvite, ...]:
        """The updates of invitations sent before."""
        return tuple(i for i in self.items if i.kind is InviteKind.UPDATE)

    @property
    def cancellations(self) -> tuple[PlannedInvite, ...]:
        """The cancellations."""
        return tuple(i for i in self.items if i.kind is InviteKind.CANCEL)

    @property
    def is_empty(self) -> bool:
        """True when nothing needs sending."""
        return not self.items

    @property
    def recipients(self) -> tuple[str, ...]:
        """The distinct recipients' addresses, sorted."""
        return tuple(sorted({i.email for i in self.items}))

    @property
    def keys(self) -> tuple[tuple, ...]:
        """The identity of every message (see :attr:`PlannedInvite.key`)."""
        return tuple(i.key for i in self.items)

    def summary(self) -> str:
        """One line: ``3 invitations, 2 updates, 1 cancellation to 4 people`` (or ``12
        reminders to 6 people``)."""
        def count(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"
        if self.is_empty:
            return "Nothing to send: every invitation is up to date."
        people = len(self.recipients)
        whom = f"to {people} {'person' if people == 1 else 'people'}"
        reminders = sum(1 for i in self.items if i.kind is InviteKind.REMINDER)
        if reminders == len(self.items):
            return f"{count(reminders, 'reminder')} {whom}"
        return (f"{count(len(self.new), 'invitation')}, {count(len(self.updates), 'update')}, "
                f"{count(len(self.cancellations), 'cancellation')} {whom}")


@dataclass(frozen=True, slots=True)
class Delivered:
    """A message the mail server accepted (or that was written to a file)."""

    item: PlannedInvite
    message_id: str
    sent_at: datetime
    path: str = ""  # the .eml file, when written to a folder


@dataclass(frozen=True, slots=True)
class FailedDelivery:
    """A message that did not go, and why.  The ledger does not count it as sent."""

    item: PlannedInvite
    error: str


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """The outcome of sending (or writing) a plan."""

    visit_id: int
    channel: str  # "smtp" or "file"
    delivered: tuple[Delivered, ...] = ()
    failed: tuple[FailedDelivery, ...] = ()
    not_invited: tuple[NotInvited, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every message went."""
        return not self.failed

    def lines(self) -> list[str]:
        """A readable report, one line each."""
        verb = "Sent" if self.channel == "smtp" else "Wrote"
        out = [f"{verb} {len(self.delivered)} message{'' if len(self.delivered) == 1 else 's'}"
               + (f"; {len(self.failed)} failed" if self.failed else "") + "."]
        for d in self.delivered:
            where = f" → {d.path}" if d.path else ""
            out.append(f"  {d.item.kind.label}: {d.item.event_title} → {d.item.name} "
                       f"<{d.item.email}> (SEQUENCE {d.item.sequence}){where}")
        for f in self.failed:
            out.append(f"  FAILED {f.item.kind.label}: {f.item.event_title} → {f.item.name} "
                       f"<{f.item.email}>: {f.error}")
        return out


@dataclass(frozen=True, slots=True)
class EventInviteStatus:
    """Where an event stands with its invitations ("changed since invited")."""

    event_id: int
    event_ref: str
    event_title: str
    start_utc: datetime
    state: str  # "not invited", "up to date", "changed", "pending", "no invitations"
    invited: int  # recipients whose calendar has the event now
    new: int = 0
    updates: int = 0
    cancellations: int = 0
    changes: tuple[str, ...] = ()  # what changed since the last invitations

    @property
    def needs_sending(self) -> bool:
        """True when a message is due for this event."""
        return bool(self.new or self.updates or self.cancellations)


@dataclass(frozen=True, slots=True)
class LedgerRecord:
    """One row of the ledger: a message sent."""

    id: int
    event_id: int
    event_title: str
    uid: str
    email: str
    name: str
    method: str
    kind: str
    sequence: int
    sent_at: datetime
    message_id: str
    channel: str
    actor: str


@dataclass(frozen=True, slots=True)
class CalendarExport:
    """A calendar file written."""

    path: str
    events: int
    person: str = ""  # whose itinerary, when it is one person's


@dataclass(frozen=True, slots=True)
class MessagePreview:
    """One planned message as it would go (see ``InviteService.preview``)."""

    key: tuple  # the PlannedInvite's key
    subject: str
    sender: str  # "Name <address>"
    recipient: str
    when: str  # the event's time in its place's zone, named by city
    method: str  # REQUEST or CANCEL
    sequence: int
    text: str  # the plain-text body
    html: str  # the HTML body


# -- replies ------------------------------------------------------------------------------
def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


@dataclass(frozen=True, slots=True)
class RecordedReply:
    """A reply (or counter-proposal) recorded for an invited attendee."""

    event_id: int
    event_ref: str
    event_title: str
    email: str  # the ATTENDEE address
    name: str
    person_id: int | None
    method: str  # REPLY or COUNTER
    partstat: str
    sequence: int
    received_at: datetime
    sent_by: str = ""  # the calendar manager who answered for them
    proposed_start: datetime | None = None  # COUNTER only
    proposed_end: datetime | None = None
    comment: str = ""

    def line(self) -> str:
        """``ACCEPTED: Welcome dinner (e17) ← Anna Smith <a@x> (SEQUENCE 1)``"""
        what = ("proposes " + (_iso(self.proposed_start) or "") if self.method == "COUNTER"
                else self.partstat)
        by = f", sent by {self.sent_by}" if self.sent_by else ""
        return (f"{what}: {self.event_title} ({self.event_ref}) ← {self.name} <{self.email}>"
                f" (SEQUENCE {self.sequence}{by})")


@dataclass(frozen=True, slots=True)
class ReplySourceResult:
    """What became of one file or message: recorded, reported, or refused whole."""

    source: str  # the path as given, or imap://user@host/folder;UID=n
    recorded: tuple[RecordedReply, ...] = ()
    problems: tuple[str, ...] = ()  # answers not counted (stale, not invited, ...)
    error: str = ""  # the whole file refused (not a reply, truncated, ...)
    duplicates: int = 0  # answers already recorded before

    @property
    def stale(self) -> bool:
        """True when it answers an earlier version only."""
        return any("answered an earlier version" in p for p in self.problems)

    def lines(self) -> list[str]:
        """One line per outcome (the reason of a refused file on one line)."""
        if self.error:
            return [f"{self.source}: {self.error}"]
        out = [f"{self.source}: {r.line()}" for r in self.recorded]
        out += [f"{self.source}: {p}" for p in self.problems]
        if self.duplicates:
            out.append(f"{self.source}: already recorded")
        return out


@dataclass(frozen=True, slots=True)
class ReplyImportReport:
    """The outcome of importing (or fetching) replies."""

    results: tuple[ReplySourceResult, ...] = ()

    @property
    def recorded(self) -> tuple[RecordedReply, ...]:
        """Every answer recorded."""
        return tuple(r for result in self.results for r in result.recorded)

    @property
    def refused(self) -> tuple[ReplySourceResult, ...]:
        """The files refused whole or with answers not counted."""
        return tuple(r for r in self.results if r.error or r.problems)

    @property
    def ok(self) -> bool:
        """True when every file counted (or had been recorded before)."""
        return not self.refused

    def lines(self) -> list[str]:
        """A summary line, then one line per outcome."""
        n, bad = len(self.recorded), len(self.refused)
        out = [f"Recorded {n} repl{'y' if n == 1 else 'ies'} from {len(self.results)} "
               f"file{'' if len(self.results) == 1 else 's'}"
               + (f"; {bad} not counted." if bad else ".")]
        for result in self.results:
            out += ["  " + line for line in result.lines()]
        return out


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer that counts now for one invited attendee of one event."""

    event_id: int
    event_ref: str
    event_title: str
    start_utc: datetime
    person_id: int | None
    email: str
    name: str
    partstat: str  # ACCEPTED, DECLINED, TENTATIVE, DELEGATED or NEEDS-ACTION
    answered_at: datetime | None  # when the answer that counts was received
    sequence: int  # of the invitation the attendee holds
    sent_by: str = ""  # the calendar manager who answered, if one did

    def to_json(self) -> dict[str, object]:
        """The ``rsvp --json`` object."""
        return {"event": self.event_ref, "event_title": self.event_title,
                "email": self.email, "name": self.name, "partstat": self.partstat,
                "answered_at": _iso(self.answered_at), "sequence": self.sequence,
                "sent_by": self.sent_by or None}


@dataclass(frozen=True, slots=True)
class AnswerCounts:
    """How many accepted, declined, ... and how many have not answered (waiting)."""

    accepted: int = 0
    declined: int = 0
    tentative: int = 0
    delegated: int = 0
    waiting: int = 0

    @classmethod
    def of(cls, answers: tuple[Answer, ...]) -> AnswerCounts:
        """The counts of these answers."""
        def n(partstat: str) -> int:
            return sum(1 for a in answers if a.partstat == partstat)
        return cls(n("ACCEPTED"), n("DECLINED"), n("TENTATIVE"), n("DELEGATED"),
                   n("NEEDS-ACTION"))

    @property
    def invited(self) -> int:
        """Everyone asked."""
        return self.accepted + self.declined + self.tentative + self.delegated + self.waiting

    def summary(self) -> str:
        """``3 accepted, 1 declined, 0 tentative, 2 waiting`` (delegated when any)."""
        delegated = f", {self.delegated} delegated" if self.delegated else ""
        return (f"{self.accepted} accepted, {self.declined} declined, {self.tentative} "
                f"tentative{delegated}, {self.waiting} waiting")


@dataclass(frozen=True, slots=True)
class Proposal:
    """A COUNTER: an attendee proposes another time.  Shown, never applied."""

    event_id: int
    event_ref: str
    event_title: str
    email: str
    name: str
    proposed_start: datetime
    proposed_end: datetime | None
    comment: str
    received_at: datetime
    sequence: int


@dataclass(frozen=True, slots=True)
class EventAnswers:
    """The answers to one event's invitations."""

    event_id: int
    event_ref: str
    event_title: str
    start_utc: datetime
    counts: AnswerCounts
    answers: tuple[Answer, ...] = ()
    proposals: tuple[Proposal, ...] = ()


@dataclass(frozen=True, slots=True)
class VisitAnswers:
    """The answers to a visit's invitations: totals and per event, in time order."""

    visit_id: int
    visit_title: str
    counts: AnswerCounts
    events: tuple[EventAnswers, ...] = ()
