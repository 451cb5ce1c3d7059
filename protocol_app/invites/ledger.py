"""The plan of what to send: a pure function of the visit as it is now and the ledger of
what was sent before.  No database, no clock, no network here.

The rules (RFC 5546, iTIP):

- Whether an event invites at all: its own switch (``invitations``: on or off), else the
  default of its kind (:data:`DEFAULT_INVITE_KINDS`, changeable in the preferences).
  An event that does not invite sends no new invitations; people who already have it
  in their calendar still get its updates and its cancellation (no calendar is left
  wrong).
- The recipients of an event are the people on it (its host and its attendees) who have
  a valid e-mail address or a calendar manager with one, except the organizer, who
  sends.  A person's calendar manager receives the message: the person stays the
  ATTENDEE, with ``SENT-BY`` naming the manager (RFC 5545 §3.2.18, RFC 5546 §2.1.4);
  a person without an address of their own is the ATTENDEE at the manager's address.
  The others are listed as not invited, with the reason.
- NEW: a recipient whose calendar does not have the event (never sent, or last got a
  CANCEL) gets a REQUEST.
- UPDATE: a recipient whose copy differs from the event as it is now gets a REQUEST
  replacing it.  What counts is what the event says (title, times, zone, status, place,
  notes, dress code, host); a change in who else attends concerns only the people
  added or removed.  With ``resend_all``, every current recipient gets a REQUEST.
- CANCEL: a recipient whose calendar has the event gets a CANCEL when they are no
  longer on it, or when the event or the whole visit is cancelled.
- SEQUENCE: one number per event per round: the event's stored SEQUENCE, never lower
  than anything sent before for that event, and strictly higher than anything sent
  before when the round carries a cancellation, a re-invitation after a cancellation
  or a significant change (time, zone, place, status) — so every client takes the
  message as newer than the copy it holds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from protocol_app.invites.calendar import (
    ROLE_CHAIR,
    ROLE_REQUIRED,
    CalendarAttendee,
    Organizer,
    PersonLabels,
    event_attendee_ids,
    event_details,
    event_is_cancelled,
    event_location,
    event_status,
    public_person,
)
from protocol_app.invites.values import (
    SIGNIFICANT_CHANGES,
    EventSnapshot,
    InviteKind,
    InvitePlan,
    LedgerState,
    NotInvited,
    PlannedInvite,
)
from protocol_app.records.fields import email_problem
from protocol_app.services.values import EventRecord, VisitRecord

_KIND_ORDER = {InviteKind.CANCEL: 0, InviteKind.UPDATE: 1, InviteKind.NEW: 2,
               InviteKind.REMINDER: 3}

#: The event kinds that invite their attendees unless the office changes it (Settings).
DEFAULT_INVITE_KINDS: frozenset[str] = frozenset({"meeting", "meal", "tour", "ceremony",
                                                  "press"})


def event_invites(event: EventRecord, invite_kinds: frozenset[str] = DEFAULT_INVITE_KINDS,
                  ) -> bool:
    """Whether the event invites its attendees: its switch, else its kind's default."""
    if event.invitations in ("on", "off"):
        return event.invitations == "on"
    return event.kind in invite_kinds


def no_invitation_reason(event: EventRecord) -> str:
    """Why an event that does not invite sends no invitation."""
    if event.invitations == "off":
        return "invitations are off for this event"
    return f"{event.kind} events send no invitations (preferences)"


@dataclass(frozen=True, slots=True)
class CalendarManager:
    """Who receives a person's invitations for them (a chief of staff, an assistant)."""

    person_id: int
    name: str
    email: str


def normalize_email(address: str) -> str:
    """The form addresses are compared and stored in: trimmed, lower case."""
    return address.strip().lower()


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone on an event who gets its invitations."""

    email: str  # lower case: the ATTENDEE address
    name: str
    person_id: int
    role: str
    sent_to: str = ""  # the calendar manager who receives the message, if any
    sent_to_name: str = ""

    def attendee(self) -> CalendarAttendee:
        """The ATTENDEE line for this recipient."""
        return CalendarAttendee(email=self.email, name=self.name, role=self.role,
                                sent_by=self.sent_to)


def event_snapshot(event: EventRecord, visit: VisitRecord) -> EventSnapshot:
    """What a recipient is told about an event now."""
    return EventSnapshot(title=event.title, start=event.start_utc.isoformat(),
                         end=event.end_utc.isoformat(), timezone=event.timezone,
                         status=event_status(event, visit), location=event_location(event))


def content_hash(event: EventRecord, visit: VisitRecord, labels: PersonLabels | None = None) -> str:
    """A digest of everything an invitation says about the event itself (not who else
    attends): two equal digests mean the recipient's copy is current."""
    snap = event_snapshot(event, visit)
    notes, dress, host = event_details(event, visit, labels)
    payload = json.dumps([snap.title, snap.start, snap.end, snap.timezone, snap.status,
                          snap.location, notes, dress, host], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _manager_address(manager: CalendarManager | None, organizer_email: str) -> str:
    email = normalize_email(manager.email) if manager is not None else ""
    if not email or email_problem(email) or email == organizer_email:
        return ""
    return email


def event_recipients(visit: VisitRecord, event: EventRecord, organizer: Organizer | None,
                     managers: Mapping[int, CalendarManager] | None = None,
                     ) -> tuple[list[Recipient], list[NotInvited]]:
    """Who gets this event's invitations, and who on it does not (with the reason).
    ``managers``: each person's calendar manager, if they have one."""
    people = {p.person_id: p.person for p in visit.participants}
    managers = managers or {}
    organizer_email = normalize_email(organizer.email) if organizer else ""
    recipients: list[Recipient] = []
    left_out: list[NotInvited] = []
    seen: set[str] = set()
    for person_id in event_attendee_ids(event):
        person = people.get(person_id)
        if person is None:
            continue
        shown = public_person(person)
        name = shown.display_name
        email = normalize_email(shown.email)
        manager = managers.get(person_id)
        sent_to = _manager_address(manager, organizer_email)
        if sent_to and (not email or email_problem(email)):
            email, sent_to = sent_to, ""  # the ATTENDEE at the manager's address
        elif sent_to == email:
            sent_to = ""
        reason = ""
        if not email:
            reason = "no e-mail address"
        elif email_problem(email):
            reason = f"e-mail address '{shown.email}' is not valid"
        elif email == organizer_email:
            reason = "is the organizer (sends the invitations)"
        elif email in seen:
            continue  # two people sharing one mailbox get one message
        if reason:
            left_out.append(NotInvited(event.id, event.title, person_id, name, reason))
            continue
        seen.add(email)
        role = ROLE_CHAIR if person_id == event.host_person_id else ROLE_REQUIRED
        recipients.append(Recipient(email, name, person_id, role, sent_to,
                                    manager.name if sent_to and manager else ""))
    return recipients, left_out


def _cancel_reason(event: EventRecord, visit: VisitRecord, state: LedgerState,
                   current_people: set[int]) -> str:
    if visit.status == "cancelled":
        return "visit cancelled"
    if event.status == "cancelled":
        return "event cancelled"
    if state.person_id is not None and state.person_id in current_people:
        return "e-mail address changed"
    return "no longer on the event"


def plan_event(visit: VisitRecord, event: EventRecord,
               latest: Mapping[str, LedgerState], top_sequence: int | None, *,
               organizer: Organizer | None, resend_all: bool = False,
               labels: PersonLabels | None = None,
               managers: Mapping[int, CalendarManager] | None = None,
               invite_kinds: frozenset[str] = DEFAULT_INVITE_KINDS,
               ) -> tuple[list[PlannedInvite], list[NotInvited]]:
    """The messages due for one event.  ``latest`` maps each address to the last
    message it got for this event; ``top_sequence`` is the highest SEQUENCE ever sent
    for it (None if nothing was)."""
    labels = labels or PersonLabels(visit)
    cancelled = event_is_cancelled(event, visit)
    snapshot = event_snapshot(event, visit)
    digest = content_hash(event, visit, labels)
    recipients: list[Recipient]
    left_out: list[NotInvited]
    if cancelled:
        recipients, left_out = [], []
    else:
        recipients, left_out = event_recipients(visit, event, organizer, managers)
        if not event_invites(event, invite_kinds):
            why = no_invitation_reason(event)
            holding = [r for r in recipients if (s := latest.get(r.email)) and s.holds_event]
            left_out += [NotInvited(event.id, event.title, r.person_id, r.name, why)
                         for r in recipients if r not in holding]
            recipients = holding
    wanted = {r.email for r in recipients}
    drafts: list[tuple[InviteKind, Recipient | LedgerState, tuple[str, ...]]] = []
    bump = False
    for r in recipients:
        state = latest.get(r.email)
        if state is None:
            drafts.append((InviteKind.NEW, r, ()))
        elif not state.holds_event:
            bump = True  # re-invited after a CANCEL: must outrank it
            drafts.append((InviteKind.NEW, r, ()))
        elif state.content_hash != digest:
            changes = snapshot.changes_since(state.snapshot) or ("details",)
            bump = bump or bool(SIGNIFICANT_CHANGES.intersection(changes))
            drafts.append((InviteKind.UPDATE, r, changes))
        elif state.sent_to != r.sent_to:
            drafts.append((InviteKind.UPDATE, r, ("calendar manager",)))
        elif resend_all:
            drafts.append((InviteKind.UPDATE, r, ()))
    current_people = {r.person_id for r in recipients}
    for email, state in sorted(latest.items()):
        if state.holds_event and email not in wanted:
            bump = True
            reason = _cancel_reason(event, visit, state, current_people)
            drafts.append((InviteKind.CANCEL, state, (reason,)))
    if not drafts:
        return [], left_out
    floor = -1 if top_sequence is None else top_sequence
    sequence = max(event.sequence, floor + 1 if bump else floor)
    items = []
    for kind, who, changes in drafts:
        email, name, person_id = who.email, who.name, who.person_id
        if kind is InviteKind.CANCEL:
            reason, changes = changes[0], ()
        elif kind is InviteKind.NEW:
            state = latest.get(email)
            reason = "invited again" if state is not None else (
                "new event" if top_sequence is None else "new attendee")
        elif changes:
            reason = ", ".join(changes) + " changed"
        else:
            reason = "sent again"
        items.append(PlannedInvite(
            event_id=event.id, event_ref=event.ref, event_uid=event.uid,
            event_title=event.title, start_utc=event.start_utc, end_utc=event.end_utc,
            timezone=event.timezone, email=email, name=name, person_id=person_id,
            kind=kind, sequence=sequence, reason=reason, changes=changes,
            content_hash=digest, snapshot=snapshot, sent_to=who.sent_to,
            sent_to_name=who.sent_to_name if isinstance(who, Recipient) else ""))
    return items, left_out


def plan_invites(visit: VisitRecord, latest: Mapping[tuple[int, str], LedgerState],
                 top_sequence: Mapping[int, int], *, organizer: Organizer | None,
                 resend_all: bool = False,
                 managers: Mapping[int, CalendarManager] | None = None,
                 invite_kinds: frozenset[str] = DEFAULT_INVITE_KINDS) -> InvitePlan:
    """Every message due for ``visit``: ``latest`` maps (event id, address) to the last
    message sent there, ``top_sequence`` each event to the highest SEQUENCE sent;
    ``managers`` each person's calendar manager; ``invite_kinds`` the kinds that invite
    by default."""
    by_event: dict[int, dict[str, LedgerState]] = {}
    for (event_id, email), state in latest.items():
        by_event.setdefault(event_id, {})[email] = state
    labels = PersonLabels(visit)
    items: list[PlannedInvite] = []
    left_out: list[NotInvited] = []
    for event in visit.events:
        planned, skipped = plan_event(visit, event, by_event.get(event.id, {}),
                                      top_sequence.get(event.id), organizer=organizer,
                                      resend_all=resend_all, labels=labels,
                                      managers=managers, invite_kinds=invite_kinds)
        items.extend(planned)
        left_out.extend(skipped)
    items.sort(key=lambda i: (i.start_utc, i.event_id, _KIND_ORDER[i.kind], i.name.casefold(),
                              i.email))
    problems: list[str] = []
    if items and (organizer is None or not organizer.email):
        problems.append("The visit has no organizer e-mail address, so invitations cannot be "
                        "sent: set the visit's organizer (or the organizer in Settings).")
    elif items and organizer is not None and email_problem(organizer.email):
        problems.append(f"The organizer's e-mail address '{organizer.email}' is not valid.")
    return InvitePlan(visit_id=visit.id, visit_public_id=visit.public_id,
                      visit_title=visit.title, organizer=organizer, items=tuple(items),
                      not_invited=tuple(left_out), problems=tuple(problems))
