"""A visit's history, read from the audit trail: who changed what and when, by save.

The audit trail has one entry per record changed; the entries of one visit are those
of the visit itself, its events (deleted ones too: their deletion names the visit),
its participants, the people taking part, its seating plans and its gifts.  The entries
of one *save* (one transaction) carry the same ``save_id`` and are grouped by it; entries
written before the trail had save ids (schema 0015) are grouped when the same actor wrote
them less than :data:`SAVE_GAP` apart.  Sensitive values are shown as "changed", as the
trail records them (it never holds their content).

:meth:`HistoryService.visit_as_of` rolls the visit back through the trail to an earlier
moment (for ``changes --since DATE`` when no edition was printed before that date).
"""

from __future__ import annotations

import builtins
import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select

from protocol_app.formatting import format_datetime
from protocol_app.records.models import AuditEntry, Event, Gift, Participant, SeatingPlanRow
from protocol_app.records.sensitivity import is_sensitive, sensitive_label
from protocol_app.services.base import ServiceBase, to_aware_utc, to_naive_utc
from protocol_app.services.lookup import resolve_visit
from protocol_app.services.values import EventRecord, ParticipantRecord, PersonRecord, VisitRecord
from protocol_app.services.visits import VisitService

#: Entries without a save id, of one actor and closer than this, are one save.
SAVE_GAP = timedelta(seconds=2)
CHANGED = "changed"
"""How a sensitive value is shown: that it changed, never what it holds."""

_FIELD_LABELS: dict[str, str] = {
    "start": "start", "end": "end", "venue_name": "venue", "venue_room": "room",
    "venue_address": "address", "host_person_id": "host", "attendee_ids": "attendees",
    "dress_code": "dress code", "family_name": "family name", "given_name": "given name",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one record: its label, and the old and new values as shown."""

    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One audit entry of the visit: what record, how, which fields."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int
    subject: str
    """The record named: an event's title, a person's name, the visit's title."""
    summary: str
    fields: tuple[FieldChange, ...]
    event_id: int | None = None
    person_id: int | None = None
    save_id: str | None = None
    """The save (transaction) that wrote it; None for entries older than save ids."""

    @property
    def text(self) -> str:
        """"State dinner: start 2027-03-09T18:00 → 2027-03-10T18:30; room → Hall B"."""
        parts = [f"{f.label}: {f.old or '—'} → {f.new or '—'}" for f in self.fields]
        head = self.summary or f"{self.action.capitalize()} {self.entity} {self.subject}"
        return head + (f" ({'; '.join(parts)})" if parts and self.action == "update" else "")


@dataclass(frozen=True, slots=True)
class HistorySave:
    """The entries one person wrote in one save."""

    at: datetime
    actor: str
    lines: tuple[HistoryLine, ...]


def _shown(field: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if is_sensitive(field) or (isinstance(value, str) and value.startswith("(sensitive")):
        return CHANGED
    if isinstance(value, bool):  # a tick (a locked seat), not Python's True/False
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    keys = dict.fromkeys([*old, *new])
    out = []
    for key in keys:
        label = sensitive_label(key) if is_sensitive(key) else _FIELD_LABELS.get(
            key, key.replace("_", " "))
        out.append(FieldChange(key, label, _shown(key, old.get(key)), _shown(key, new.get(key))))
    return tuple(out)


class HistoryService(ServiceBase):
    """A visit's history from the audit trail (``services.history``)."""

    def _entries(self, session: Any, visit_id: int,
                 since: datetime | None = None) -> tuple[list[AuditEntry], dict[str, Any]]:
        """Every audit entry of the visit (one query, plus one per kind of part)."""
        event_ids = list(session.scalars(select(Event.id).where(Event.visit_id == visit_id)))
        parts = session.execute(select(Participant.id, Participant.person_id)
                                .where(Participant.visit_id == visit_id)).all()
        plans = session.execute(select(SeatingPlanRow.id, SeatingPlanRow.event_id)
                                .join(Event, Event.id == SeatingPlanRow.event_id)
                                .where(Event.visit_id == visit_id)).all()
        gift_ids = list(session.scalars(select(Gift.id).where(Gift.visit_id == visit_id)))
        marker = f'"visit_id": {visit_id}'
        deleted = list(session.scalars(select(AuditEntry.entity_id).where(
            AuditEntry.entity == "event", AuditEntry.action == "delete",
            or_(AuditEntry.old_values.like(f"%{marker},%"),
                AuditEntry.old_values.like(f"%{marker}}}%")))))
        person_ids = [pid for _, pid in parts]
        conditions = [and_(AuditEntry.entity == "visit", AuditEntry.entity_id == visit_id)]
        for entity, ids in (("event", event_ids + deleted),
                            ("participant", [i for i, _ in parts]),
                            ("person", person_ids), ("seating_plan", [i for i, _ in plans]),
                            ("gift", gift_ids)):
            if ids:
                conditions.append(and_(AuditEntry.entity == entity,
                                       AuditEntry.entity_id.in_(ids)))
        stmt = select(AuditEntry).where(or_(*conditions)).order_by(AuditEntry.id)
        if since is not None:
            stmt = stmt.where(AuditEntry.at >= to_naive_utc(since))
        context = {"participants": dict(parts), "plans": dict(plans)}
        return list(session.scalars(stmt)), context

    def visit_history(self, visit_ref: int | str, *, event_id: int | None = None,
                      person_id: int | None = None) -> builtins.list[HistorySave]:
        """Who changed what and when, newest save first; only the lines about one
        event or one person when ``event_id`` or ``person_id`` is given."""
        visit = VisitService(self.db, self.actor).get(visit_ref)
        with self.db.read_session() as session:
            entries, context = self._entries(session, visit.id)
        names = {p.person_id: p.person.display_name for p in visit.participants}
        titles = {e.id: e.title for e in visit.events}
        lines = [self._line(entry, visit, names, titles, context) for entry in entries]
        if event_id is not None:
            lines = [line for line in lines if line.event_id == event_id]
        if person_id is not None:
            lines = [line for line in lines if line.person_id == person_id
                     or _mentions(line, person_id)]
        return list(reversed(group_saves(lines)))

    @staticmethod
    def _line(entry: AuditEntry, visit: VisitRecord, names: Mapping[int, str],
              titles: Mapping[int, str], context: Mapping[str, Any]) -> HistoryLine:
        old, new = json.loads(entry.old_values), json.loads(entry.new_values)
        event_id = person_id = None
        subject = visit.title
        if entry.entity == "event":
            event_id = entry.entity_id
            subject = titles.get(entry.entity_id) or old.get("title") or new.get("title") or (
                f"event #{entry.entity_id}")
        elif entry.entity == "person":
            person_id = entry.entity_id
            subject = names.get(entry.entity_id, f"person #{entry.entity_id}")
        elif entry.entity == "participant":
            person_id = context["participants"].get(entry.entity_id)
            subject = names.get(person_id or -1, "a participant")
        elif entry.entity == "seating_plan":
            event_id = context["plans"].get(entry.entity_id)
            subject = f"seating of {titles.get(event_id or -1, 'an event')}"
        fields = _field_changes(old, new)
        if entry.entity == "event":  # hosts and attendees by name, times on the clock
            zone = new.get("timezone") or old.get("timezone") or visit.timezone
            fields = tuple(_timed(_named(f, old, new, names), zone) for f in fields)
        return HistoryLine(entry.id, to_aware_utc(entry.at), entry.actor, entry.action,
                           entry.entity, entry.entity_id, subject, entry.summary, fields,
                           event_id, person_id, entry.save_id)

    # -- the visit as it was ------------------------------------------------------------
    def visit_as_of(self, visit_ref: int | str, moment: datetime) -> VisitRecord:
        """The visit as it stood at ``moment``: its events and participants rolled back
        through the audit entries written since (newest first).  People taken off the
        visit come back by name; sensitive fields are never rolled back (the trail does
        not hold them)."""
        visit = VisitService(self.db, self.actor).get(visit_ref)
        with self.db.read_session() as session:
            entries, _context = self._entries(session, resolve_visit(session, visit.id).id,
                                              since=moment)
        events = {e.id: e for e in visit.events}
        participants = list(visit.participants)
        for entry in reversed(entries):
            old, new = json.loads(entry.old_values), json.loads(entry.new_values)
            if entry.entity == "event":
                if entry.action == "create":
                    events.pop(entry.entity_id, None)
                elif entry.action == "delete":
                    events[entry.entity_id] = _event_from(entry.entity_id, visit, old)
                elif entry.entity_id in events:
                    events[entry.entity_id] = _rolled_back(events[entry.entity_id], old)
            elif entry.entity == "visit" and "participant" in new and "participant" not in old:
                participants = [p for p in participants
                                if p.person.display_name != new["participant"]]
            elif entry.entity == "visit" and "participant" in old and "participant" not in new:
                person = PersonRecord(id=-entry.id, family_name=old["participant"])
                participants.append(ParticipantRecord(-entry.id, "guest", "member", person))
            elif entry.entity == "person":
                participants = [_person_rolled_back(p, entry.entity_id, old)
                                for p in participants]
        return dataclasses.replace(visit, participants=tuple(participants),
                                   events=tuple(sorted(events.values(),
                                                       key=lambda e: (e.start_utc, e.id))))


def group_saves(lines: Iterable[HistoryLine]) -> list[HistorySave]:
    """Lines (oldest first) grouped into saves, by save id (two workstations' saves may
    interleave on a server); lines without one (older entries) by the same actor, each
    within :data:`SAVE_GAP` of the one before."""
    saves: list[list[HistoryLine]] = []
    by_id: dict[str, list[HistoryLine]] = {}
    for line in lines:
        if line.save_id is not None:
            group = by_id.get(line.save_id)
            if group is None:
                group = by_id[line.save_id] = []
                saves.append(group)
            group.append(line)
            continue
        last = saves[-1][-1] if saves else None
        if last is not None and last.save_id is None and last.actor == line.actor \
                and line.at - last.at <= SAVE_GAP:
            saves[-1].append(line)
        else:
            saves.append([line])
    return [HistorySave(group[0].at, group[0].actor, tuple(group)) for group in saves]


def _mentions(line: HistoryLine, person_id: int) -> bool:
    return line.entity == "event" and any(
        f.field in ("host_person_id", "attendee_ids") and (
            f"(#{person_id})" in f.old or f"(#{person_id})" in f.new) for f in line.fields)


def _named(change: FieldChange, old: Mapping[str, Any], new: Mapping[str, Any],
           names: Mapping[int, str]) -> FieldChange:
    if change.field not in ("host_person_id", "attendee_ids"):
        return change

    def show(value: Any) -> str:
        ids = value if isinstance(value, list) else [value] if value is not None else []
        return ", ".join(f"{names.get(i, 'person')} (#{i})" for i in ids)

    return dataclasses.replace(change, old=show(old.get(change.field)),
                               new=show(new.get(change.field)))


def _timed(change: FieldChange, zone: str) -> FieldChange:
    """Start and end as "Thu 11 Mar 14:35" on the event's clock, not ISO text."""
    if change.field not in ("start", "end"):
        return change

    def show(value: str) -> str:
        try:
            return format_datetime(datetime.fromisoformat(value), zone, short=True)
        except ValueError:
            return value

    return dataclasses.replace(change, old=show(change.old) if change.old else "",
                               new=show(change.new) if change.new else "")


_EVENT_KEYS: dict[str, str] = {
    "ref": "ref", "title": "title", "kind": "kind", "timezone": "timezone", "status": "status",
    "venue_name": "venue_name", "venue_address": "venue_address", "venue_room": "venue_room",
    "host_person_id": "host_person_id", "dress_code": "dress_code", "notes": "notes",
    "visibility": "visibility", "uid": "uid",
}


def _event_changes(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {_EVENT_KEYS[k]: v for k, v in values.items()
                           if k in _EVENT_KEYS and not is_sensitive(k, "event")}
    if "start" in values:
        out["start_utc"] = datetime.fromisoformat(values["start"])
    if "end" in values:
        out["end_utc"] = datetime.fromisoformat(values["end"])
    if "attendee_ids" in values:
        out["attendee_ids"] = tuple(values["attendee_ids"] or ())
    return out


def _rolled_back(event: EventRecord, old: Mapping[str, Any]) -> EventRecord:
    return dataclasses.replace(event, **_event_changes(old))


def _event_from(event_id: int, visit: VisitRecord, old: Mapping[str, Any]) -> EventRecord:
    values = _event_changes(old)
    return EventRecord(id=event_id, visit_id=visit.id, ref=values.pop("ref", ""),
                       title=values.pop("title", ""), kind=values.pop("kind", ""),
                       start_utc=values.pop("start_utc"), end_utc=values.pop("end_utc"),
                       timezone=values.pop("timezone", visit.timezone),
                       status=values.pop("status", "confirmed"), **values)


_PERSON_NAME_FIELDS = ("family_name", "given_name", "name_order", "honorific", "title_name",
                       "position", "organization")


def _person_rolled_back(participant: ParticipantRecord, person_id: int,
                        old: Mapping[str, Any]) -> ParticipantRecord:
    if participant.person_id != person_id:
        return participant
    values = {k: v for k, v in old.items() if k in _PERSON_NAME_FIELDS and v is not None}
    if not values:
        return participant
    return dataclasses.replace(participant, person=dataclasses.replace(participant.person,
                                                                       **values), forms=None)


__all__ = ["CHANGED", "SAVE_GAP", "FieldChange", "HistoryLine", "HistorySave",
           "HistoryService", "group_saves"]
