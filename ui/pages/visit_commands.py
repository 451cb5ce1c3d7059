"""Undoable edits of visits, delegations and gifts (one QUndoStack per main window).

Every public method performs the change at once through the services, so the caller sees
a refusal (:class:`ValidationError`, :class:`StaleWriteError`...) as an exception and can
show it in place; only a change that succeeded is pushed on the undo stack, as a
:class:`~ui.undo.VersionedCommand`.  Undo and redo later go through the services' checked
writes: a visit's fields through ``VisitService.guarded_update`` (which changes them only
if they still hold the values this session wrote, and otherwise raises
:class:`StaleWriteError` listing what someone else changed), a participant's side and role
through ``update_participant`` with the values seen, gifts at the version last written.
Nothing is ever overwritten silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from protocol_app.errors import ProtocolError
from protocol_app.records.fields import GIFT_FIELDS, VISIT_FIELDS
from protocol_app.services.values import GiftRecord, ParticipantRecord, VisitRecord
from ui.undo import RecordHandle, Step, VersionedCommand


def visit_fields(visit: VisitRecord, names: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Some of a visit's own fields (all of them by default) as the record holds them."""
    if names is None:
        names = VISIT_FIELDS
    return {name: getattr(visit, name) for name in names}


class VisitCommands(QObject):
    """Makes changes through the services and records how to undo them."""

    #: A visit changed (its id), or None when the list of visits changed.
    changed = Signal(object)
    #: A visit was created (by a command or its redo): its id.
    created = Signal(int)
    #: An undo or redo was refused (shown by the window).
    failed = Signal(object)

    def __init__(self, services: Any, stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.stack = stack
        self._visit_handles: list[RecordHandle] = []

    # -- plumbing ------------------------------------------------------------------
    def _later_error(self, error: ProtocolError) -> None:
        QTimer.singleShot(0, lambda: self.failed.emit(error))

    def _visit_handle(self, visit: VisitRecord) -> RecordHandle:
        """The handle every command on this visit shares, at the version just written."""
        for handle in self._visit_handles:
            if handle.id == visit.id:
                handle.version = visit.version
                return handle
        handle = RecordHandle(visit.id, visit.version)
        self._visit_handles.append(handle)
        return handle

    def _push(self, text: str, handle: RecordHandle, redo: Step, undo: Step,
              visit_id: int | None) -> None:
        """Record a change already made (the command's first redo does nothing)."""
        command = VersionedCommand(text, handle, redo, undo, on_error=self._later_error,
                                   on_done=lambda: self.changed.emit(visit_id), applied=True)
        self.stack.push(command)
        self.changed.emit(visit_id)

    def _field_steps(self, before: Mapping[str, Any], after: Mapping[str, Any],
                     ) -> tuple[Step, Step]:
        """Redo and undo of a change of a visit's fields from ``before`` to ``after``."""
        visits = self.services.visits
        return (lambda h: visits.guarded_update(h.existing_id(), h.version, seen=before, **after),
                lambda h: visits.guarded_update(h.existing_id(), h.version, seen=after, **before))

    # -- visits --------------------------------------------------------------------
    def create_visit(self, values: Mapping[str, Any]) -> VisitRecord:
        """Create a visit (undo deletes it again, if nobody changed it since)."""
        visits = self.services.visits
        record = visits.create(**values)
        again = {**values, "public_id": record.public_id}

        def redo(_handle: RecordHandle) -> VisitRecord:
            made = visits.create(**again)
            self.created.emit(made.id)
            return made

        def undo(handle: RecordHandle) -> None:
            visits.delete(handle.existing_id(), handle.version)

        self._push(f"Create visit “{record.title}”", self._visit_handle(record), redo, undo,
                   None)
        return record

    def duplicate_visit(self, source: int, start_date: date, title: str | None) -> VisitRecord:
        """Copy a visit as a template to a new start date (undo deletes the copy)."""
        visits = self.services.visits
        record = visits.duplicate(source, start_date, title=title)

        def redo(_handle: RecordHandle) -> VisitRecord:
            made = visits.duplicate(source, start_date, title=title,
                                    public_id=record.public_id)
            self.created.emit(made.id)
            return made

        def undo(handle: RecordHandle) -> None:
            visits.delete(handle.existing_id(), handle.version)

        self._push(f"Duplicate “{record.title}”", self._visit_handle(record), redo, undo, None)
        return record

    def edit_visit(self, visit: VisitRecord, changes: Mapping[str, Any]) -> VisitRecord:
        """Save changes of a visit's fields, based on the version the user saw.

        If only other parts of the visit changed meanwhile (someone added an event), the
        fields the user saw are all still stored, so the write is made on the stored
        version.  If a field changed, :class:`StaleWriteError` says which."""
        changes = {k: v for k, v in changes.items() if getattr(visit, k) != v}
        if not changes:
            return visit
        record = self.services.visits.guarded_update(visit.id, visit.version,
                                                     seen=visit_fields(visit), **changes)
        before = visit_fields(visit, tuple(changes))
        after = visit_fields(record, tuple(changes))
        names = ", ".join(k.replace("_", " ") for k in changes)
        self._push(f"Edit {names} of “{record.title}”", self._visit_handle(record),
                   *self._field_steps(before, after), visit.id)
        return record

    def cancel_visit(self, visit: VisitRecord) -> VisitRecord:
        """Mark a visit cancelled (undo restores its status)."""
        before = {"status": visit.status}
        after = {"status": "cancelled"}
        record = self.services.visits.guarded_update(visit.id, visit.version, seen=before,
                                                     **after)
        self._push(f"Cancel “{visit.title}”", self._visit_handle(record),
                   *self._field_steps(before, after), visit.id)
        return record

    # -- delegation ----------------------------------------------------------------
    # Adding and removing a person is checked by the person's presence, not by the visit's
    # version: that rises with every change of the itinerary, made on other pages.
    def add_participant(self, visit_id: int, person_id: int, side: str, role: str,
                        name: str = "") -> VisitRecord:
        """Add a person to a visit."""
        visits = self.services.visits
        record = visits.add_participant(visit_id, person_id, side, role)
        self._push(f"Add {name or 'a person'} to the visit", self._visit_handle(record),
                   lambda h: visits.add_participant(h.existing_id(), person_id, side, role),
                   lambda h: visits.remove_participant(h.existing_id(), person_id), visit_id)
        return record

    def remove_participant(self, visit: VisitRecord, participant: ParticipantRecord,
                           name: str = "") -> VisitRecord:
        """Take a person off a visit; undo puts them back, with their place in every event
        they attended or hosted."""
        visits, events = self.services.visits, self.services.events
        pid = participant.person_id
        attended = [(e.id, e.attendee_ids.index(pid)) for e in visit.events
                    if pid in e.attendee_ids]
        hosted = [e.id for e in visit.events if e.host_person_id == pid]
        record = visits.remove_participant(visit.id, pid)

        def put_back(handle: RecordHandle) -> VisitRecord:
            visits.add_participant(handle.existing_id(), pid, participant.side, participant.role)
            for event_id in {eid for eid, _ in attended} | set(hosted):
                event = events.get(event_id)
                changes: dict[str, Any] = {}
                position = next((i for eid, i in attended if eid == event_id), None)
                if position is not None and pid not in event.attendee_ids:
                    ids = list(event.attendee_ids)
                    ids.insert(min(position, len(ids)), pid)
                    changes["attendee_ids"] = tuple(ids)
                if event_id in hosted and event.host_person_id is None:
                    changes["host_person_id"] = pid
                if changes:
                    events.update(event_id, event.version, **changes)
            return visits.get(handle.existing_id())

        self._push(f"Remove {name or 'a person'} from the visit", self._visit_handle(record),
                   lambda h: visits.remove_participant(h.existing_id(), pid), put_back, visit.id)
        return record

    def change_participant(self, visit_id: int, participant: ParticipantRecord, side: str,
                           role: str, name: str = "") -> VisitRecord:
        """Change a participant's side and role (checked against what the user saw)."""
        visits = self.services.visits
        pid = participant.person_id
        before = {"side": participant.side, "role": participant.role}
        after = {"side": side, "role": role}

        def apply(seen: Mapping[str, str], wanted: Mapping[str, str]) -> Step:
            return lambda h: visits.update_participant(
                h.existing_id(), pid, side=wanted["side"], role=wanted["role"],
                expected_version=h.version, seen=seen)

        record = visits.update_participant(visit_id, pid, side=side, role=role, seen=before)
        self._push(f"Make {name or 'a person'} {role}", self._visit_handle(record),
                   apply(before, after), apply(after, before), visit_id)
        return record

    def make_head(self, visit: VisitRecord, participant: ParticipantRecord,
                  name: str = "") -> VisitRecord:
        """Make a guest the head of delegation; the former head becomes a member."""
        self.stack.beginMacro(f"Make {name or 'a person'} head of delegation")
        try:
            current = visit.head_of_delegation
            if current is not None and current.person_id != participant.person_id:
                visit = self.change_participant(visit.id, current, "guest", "member")
            record = self.change_participant(visit.id, participant, "guest", "head", name)
        finally:
            self.stack.endMacro()
        return record

    # -- gifts ---------------------------------------------------------------------
    def _push_gift(self, text: str, gift: GiftRecord, redo: Step, undo: Step) -> None:
        self._push(text, RecordHandle(gift.id, gift.version), redo, undo, gift.visit_id)

    def add_gift(self, visit_id: int, values: Mapping[str, Any]) -> GiftRecord:
        """Register a gift."""
        gifts = self.services.gifts
        gift = gifts.create(visit_id, **values)
        self._push_gift("Register gift", gift, lambda _h: gifts.create(visit_id, **values),
                        lambda h: gifts.delete(h.existing_id(), h.version))
        return gift

    def edit_gift(self, gift: GiftRecord, changes: Mapping[str, Any]) -> GiftRecord:
        """Change a gift based on the version the user saw."""
        gifts = self.services.gifts
        record = gifts.update(gift.id, gift.version, **changes)
        before = {k: getattr(gift, k) for k in changes}
        self._push_gift("Edit gift", record,
                        lambda h: gifts.update(h.existing_id(), h.version, **changes),
                        lambda h: gifts.update(h.existing_id(), h.version, **before))
        return record

    def delete_gift(self, gift: GiftRecord) -> None:
        """Remove a gift from the register (undo registers it again)."""
        gifts = self.services.gifts
        gifts.delete(gift.id, gift.version)
        values = {k: getattr(gift, k) for k in GIFT_FIELDS}
        self._push_gift("Delete gift", gift, lambda h: gifts.delete(h.existing_id(), h.version),
                        lambda _h: gifts.create(gift.visit_id, **values))
