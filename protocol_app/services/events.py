"""Itinerary events: times in UTC with the place's zone, venues, hosts and attendees.

Each event has a calendar UID made once (random, free of personal data) and a SEQUENCE
raised on every change that matters to a calendar (time, place, status), so invites
update the entry people already have.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from protocol_app.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from protocol_app.records.fields import EVENT_FIELDS, validate_event_values
from protocol_app.records.models import Event, EventAttendee, InviteLedgerEntry, Venue, Visit
from protocol_app.services.base import (
    ServiceBase,
    audit_values,
    check_version,
    refuse_unknown_fields,
    to_aware_utc,
    to_naive_utc,
    write_audit,
)
from protocol_app.services.bulk import BATCH, insert_audit, insert_rows, row_view, table_row
from protocol_app.services.lookup import resolve_visit, touch
from protocol_app.services.values import EventRecord

#: Changes that make calendars update the entry (RFC 5546 "significant" changes).
SIGNIFICANT_FIELDS: frozenset[str] = frozenset(
    {"start", "end", "timezone", "status", "venue_name", "venue_address", "venue_room"}
)
UID_DOMAIN = "protocol-desk.invalid"


def new_uid() -> str:
    """A calendar UID: random, stable once stored, and free of personal data."""
    return f"{uuid.uuid4()}@{UID_DOMAIN}"


def event_record(event: Event) -> EventRecord:
    """The frozen value of an event row."""
    venue = event.venue
    return EventRecord(
        id=event.id, visit_id=event.visit_id, ref=event.ref, title=event.title, kind=event.kind,
        start_utc=to_aware_utc(event.start_utc), end_utc=to_aware_utc(event.end_utc),
        timezone=event.timezone, status=event.status,
        venue_name=venue.name if venue else "", venue_address=venue.address if venue else "",
        venue_room=event.room, host_person_id=event.host_person_id,
        attendee_ids=tuple(a.person_id for a in event.attendees),
        dress_code=event.dress_code, notes=event.notes, internal_notes=event.internal_notes,
        visibility=event.visibility, invitations=event.invitations, uid=event.uid,
        venue_controlled=bool(venue and venue.controlled_technology),
        sequence=event.sequence, version=event.version,
    )


def event_values(event: Event) -> dict[str, Any]:
    """An event's writable fields as plain values (for the audit trail and diffs)."""
    r = event_record(event)
    return {
        "ref": r.ref, "title": r.title, "kind": r.kind, "start": r.start_utc.isoformat(),
        "end": r.end_utc.isoformat(), "timezone": r.timezone, "status": r.status,
        "venue_name": r.venue_name, "venue_address": r.venue_address,
        "venue_room": r.venue_room, "host_person_id": r.host_person_id,
        "attendee_ids": list(r.attendee_ids), "dress_code": r.dress_code, "notes": r.notes,
        "internal_notes": r.internal_notes, "visibility": r.visibility,
        "invitations": r.invitations,
    }


#: Known venues of one write, by (name, address): they are looked up once each.
VenueCache = dict[tuple[str, str], Venue]


def _venue(session: Session, name: str, address: str,
           known: VenueCache | None = None) -> Venue | None:
    name, address = name.strip(), address.strip()
    if not name and not address:
        return None
    if known is not None and (name, address) in known:
        return known[(name, address)]
    if known is None:  # one event: the pending venues are flushed so the query sees them
        found = session.scalar(select(Venue).where(Venue.name == name,
                                                   Venue.address == address))
    else:  # many events: the cache holds every venue this write added
        with session.no_autoflush:
            found = session.scalar(select(Venue).where(Venue.name == name,
                                                       Venue.address == address))
    if found is None:
        found = Venue(name=name, address=address)
        session.add(found)
        if known is None:
            session.flush()
    if known is not None:
        known[(name, address)] = found
    return found


def apply_event_values(session: Session, event: Event, values: Mapping[str, Any],
                       venues: VenueCache | None = None) -> None:
    """Write validated values onto an event row (``venues``: see :func:`create_event_rows`)."""
    for name, value in _event_columns(values).items():
        setattr(event, name, value)
    attendees = values.get("attendee_ids")
    if attendees is not None and tuple(a.person_id for a in event.attendees) != tuple(attendees):
        event.attendees = [EventAttendee(person_id=pid, position=i)
                           for i, pid in enumerate(attendees)]
        # a change of attendees is a change of the event: its version must rise,
        # or a second officer's edit would silently overwrite the first
        flag_modified(event, "title")
    if "venue_name" in values or "venue_address" in values:
        current = event.venue
        name = values.get("venue_name", current.name if current else "")
        address = values.get("venue_address", current.address if current else "")
        event.venue = _venue(session, name, address, venues)


def _event_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated values as the event's own columns (the venue and the attendees, which
    are rows of their own, left out)."""
    columns: dict[str, Any] = {}
    for name, value in values.items():
        if name == "start":
            columns["start_utc"] = to_naive_utc(value)
        elif name == "end":
            columns["end_utc"] = to_naive_utc(value)
        elif name == "venue_room":
            columns["room"] = value
        elif name not in ("venue_name", "venue_address", "attendee_ids"):
            columns[name] = value
    return columns


def next_ref(existing: set[str]) -> str:
    """The first unused ref of the form ``e1``, ``e2``..."""
    n = len(existing) + 1
    while f"e{n}" in existing:
        n += 1
    return f"e{n}"


def participant_ids(visit: Visit) -> set[int]:
    return {p.person_id for p in visit.participants}


def create_event_row(session: Session, actor: str, visit: Visit, values: Mapping[str, Any],
                     *, prefix: str = "") -> Event:
    """Validate and insert an event into a visit (inside the caller's session)."""
    (event_id,) = create_event_rows(session, actor, visit, [(values, prefix)])
    return session.get_one(Event, event_id)


def create_event_rows(session: Session, actor: str, visit: Visit,
                      items: Sequence[tuple[Mapping[str, Any], str]], *,
                      participants: Collection[int] | None = None) -> list[int]:
    """Validate and insert events into a visit, each ``(values, path prefix)``; returns
    their ids in the same order.  ``participants``: the ids of the visit's people, when
    the caller knows them (else they are read from the visit).

    Every event is checked first (all problems at once, nothing written on any); refs
    and venues are resolved in memory, and the events, their attendees and their audit
    entries go in by batches of :data:`~protocol_app.services.bulk.BATCH` rows per
    statement, with no object kept per event, so time and memory grow linearly."""
    refs = {e.ref for e in visit.events}
    people = participant_ids(visit) if participants is None else participants
    problems: list[FieldProblem] = []
    checked: list[dict[str, Any]] = []
    for values, prefix in items:
        refuse_unknown_fields(values, EVENT_FIELDS, "event")
        data = dict(values)
        data.setdefault("timezone", visit.timezone)
        data.setdefault("kind", "meeting")
        data.setdefault("status", "tentative")  # confirmed when the office says so
        if not data.get("ref"):
            data["ref"] = next_ref(refs)
        problems += validate_event_values(data, creating=True, participant_ids=people,
                                          prefix=prefix)
        if isinstance(data["ref"], str):
            if data["ref"] in refs:
                problems.append(FieldProblem(prefix + "ref", f"'{data['ref']}' is already used"))
            refs.add(data["ref"])
        checked.append(data)
    if problems:
        raise ValidationError(problems, subject="event")

    def venue_of(data: Mapping[str, Any]) -> Venue | None:
        return _venue(session, data.get("venue_name", ""), data.get("venue_address", ""),
                      venues)

    venues: VenueCache = {}
    for data in checked:
        venue_of(data)
    session.flush()  # the new venues get their ids
    table, ids = Event.__table__, []
    for start in range(0, len(checked), BATCH):
        batch = checked[start:start + BATCH]
        places = [venue_of(data) for data in batch]
        rows = [table_row(table, {**_event_columns(data), "visit_id": visit.id,
                                  "uid": new_uid(), "sequence": 0,
                                  "venue_id": venue.id if venue else None})
                for data, venue in zip(batch, places, strict=True)]
        new_ids = {ref: event_id for event_id, ref in
                   insert_rows(session, table, rows, returning=("id", "ref"))}
        attendees: list[dict[str, Any]] = []
        audit: list[dict[str, Any]] = []
        for data, row, venue in zip(batch, rows, places, strict=True):
            event_id = new_ids[row["ref"]]
            ids.append(event_id)
            mine = [{"event_id": event_id, "person_id": person_id, "position": i}
                    for i, person_id in enumerate(data.get("attendee_ids", ()))]
            attendees += mine
            shown = row_view(row, id=event_id, venue=venue,
                             attendees=[row_view(a) for a in mine])
            audit.append(audit_values(actor, "create", "event", event_id,
                                      new=event_values(shown),
                                      summary=f"Added {row['title']} to {visit.title}"))
        insert_rows(session, EventAttendee.__table__, attendees)
        insert_audit(session, audit)
    if ids:
        session.expire(visit, ["events"])  # read again, with the new rows, when next used
    return ids


def update_event_row(session: Session, actor: str, event: Event,
                     changes: Mapping[str, Any], *, prefix: str = "",
                     venues: VenueCache | None = None) -> bool:
    """Validate and apply changes; raise SEQUENCE when a significant field changed.
    Nothing is flushed here (the caller flushes once, however many events it changed).

    Returns True if anything changed."""
    refuse_unknown_fields(changes, EVENT_FIELDS, "event")
    old = event_values(event)
    merged = {"start": to_aware_utc(event.start_utc), "end": to_aware_utc(event.end_utc),
              **changes}
    problems = validate_event_values(merged, creating=False,
                                     participant_ids=participant_ids(event.visit), prefix=prefix)
    if "ref" in changes and isinstance(changes["ref"], str) and changes["ref"] != event.ref \
            and changes["ref"] in {e.ref for e in event.visit.events}:
        problems.append(FieldProblem(prefix + "ref", f"'{changes['ref']}' is already used"))
    if problems:
        raise ValidationError(problems, subject="event")
    apply_event_values(session, event, changes, venues)
    new = event_values(event)
    if new == old:
        return False
    if any(old[k] != new[k] for k in SIGNIFICANT_FIELDS):
        event.sequence += 1
    write_audit(session, actor, "update", "event", event.id, old=old, new=new,
                summary=f"Changed {event.title}")
    return True


class EventService(ServiceBase):
    """Add, change, move, duplicate, cancel and remove itinerary events."""

    def list(self, visit_id: int | str) -> list[EventRecord]:
        """A visit's events in time order."""
        with self.db.read_session() as session:
            visit = resolve_visit(session, visit_id)
            return [event_record(e) for e in sorted(visit.events,
                                                    key=lambda e: (e.start_utc, e.id))]

    def get(self, event_id: int) -> EventRecord:
        """One event by number."""
        with self.db.read_session() as session:
            return event_record(self._row(session, event_id))

    def create(self, visit_id: int | str, **values: Any) -> EventRecord:
        """Add an event; ``start``/``end`` are aware datetimes, ``timezone`` defaults to the
        visit's; ``ref`` is made when not given."""
        with self.db.session() as session:
            visit = resolve_visit(session, visit_id)
            event = create_event_row(session, self.actor, visit, values)
            touch(visit)
            return event_record(event)

    def update(self, event_id: int, expected_version: int | None,
               seen: Mapping[str, Any] | None = None, **changes: Any) -> EventRecord:
        """Change an event last read at ``expected_version``."""
        with self.db.session() as session:
            event = self._row(session, event_id)
            check_version("event", event_id, event.version, expected_version,
                          event_values(event), seen)
            if update_event_row(session, self.actor, event, changes):
                touch(event.visit)
                session.flush()
            return event_record(event)

    def move(self, event_id: int, expected_version: int | None, start: datetime) -> EventRecord:
        """Move an event to a new start, keeping its length."""
        current = self.get(event_id)
        length = current.end_utc - current.start_utc
        return self.update(event_id, expected_version, start=start, end=start + length)

    def cancel(self, event_id: int, expected_version: int | None) -> EventRecord:
        """Mark an event cancelled; it stays in the record so invites can be withdrawn."""
        return self.update(event_id, expected_version, status="cancelled")

    def duplicate(self, event_id: int) -> EventRecord:
        """A copy of an event with a new ref and calendar UID, marked tentative."""
        source = self.get(event_id)
        return self.create(
            source.visit_id, title=f"{source.title} (copy)", kind=source.kind,
            start=source.start_utc, end=source.end_utc, timezone=source.timezone,
            status="tentative", venue_name=source.venue_name, venue_address=source.venue_address,
            venue_room=source.venue_room, host_person_id=source.host_person_id,
            attendee_ids=source.attendee_ids, dress_code=source.dress_code, notes=source.notes,
            internal_notes=source.internal_notes, visibility=source.visibility,
            invitations=source.invitations,
        )

    def check_deletable(self, event_id: int) -> None:
        """Raise ConflictError if the event cannot be deleted now: it is still in
        people's calendars (its invitations were sent and not cancelled)."""
        with self.db.read_session() as session:
            _refuse_while_in_calendars(session, self._row(session, event_id))

    def delete(self, event_id: int, expected_version: int | None = None) -> None:
        """Remove an event for good.  An event whose invitations are still in someone's
        calendar is refused (see :meth:`check_deletable`): cancel it and send the
        cancellations first, or the calendars would keep it for ever."""
        with self.db.session() as session:
            event = self._row(session, event_id)
            check_version("event", event_id, event.version, expected_version)
            _refuse_while_in_calendars(session, event)
            # the visit is named, so the visit's history keeps its deleted events
            old = {**event_values(event), "visit_id": event.visit_id, "uid": event.uid}
            touch(event.visit)
            session.delete(event)
            write_audit(session, self.actor, "delete", "event", event_id, old=old,
                        summary=f"Deleted {old['title']}")

    @staticmethod
    def _row(session: Session, event_id: int) -> Event:
        event = session.get(Event, event_id)
        if event is None:
            raise NotFoundError(f"There is no event #{event_id} (it may have been deleted).")
        return event


def _refuse_while_in_calendars(session: Session, event: Event) -> None:
    held = calendars_holding(session, [event.id]).get(event.id, 0)
    if held:
        raise ConflictError(
            f"“{event.title}” is in {held} "
            f"{'person’s calendar' if held == 1 else 'people’s calendars'}: its "
            "invitations were sent. Cancel the event and send the cancellations "
            "(Send invites…, or `protocol-app invites VISIT --send`) before deleting it; "
            "nothing was deleted.")


def calendars_holding(session: Session, event_ids: Collection[int]) -> dict[int, int]:
    """Per event, how many addresses' calendars still hold it: those whose last
    invitation message for it was a REQUEST (not a CANCEL).  Events never sent are
    absent."""
    if not event_ids:
        return {}
    last = (select(func.max(InviteLedgerEntry.id).label("id"))
            .where(InviteLedgerEntry.event_id.in_(list(event_ids)))
            .group_by(InviteLedgerEntry.event_id, InviteLedgerEntry.attendee_email)
            .scalar_subquery())
    rows = session.execute(
        select(InviteLedgerEntry.event_id, func.count())
        .where(InviteLedgerEntry.id.in_(last), InviteLedgerEntry.method == "REQUEST")
        .group_by(InviteLedgerEntry.event_id))
    return {event_id: count for event_id, count in rows}
