"""Undoable edits of visits, delegations and gifts (one QUndoStack per main window).

Every public method performs the change at once through the services, so the caller sees
a refusal (:class:`ValidationError`, :class:`StaleWriteError`...) as an exception and can
show it in place; only a change that succeeded is pushed on the undo stack.  Undo and
redo later re-check what they are about to overwrite: they change a field only if it
still holds the value this session wrote, and otherwise raise :class:`StaleWriteError`
listing what someone else changed.  Nothing is ever overwritten silently.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from protocol_app.errors import ProtocolError, StaleWriteError
from protocol_app.records import vocab
from protocol_app.services.values import GiftRecord, ParticipantRecord, VisitRecord
from ui.undo import ServiceCommand

VISIT_FIELDS: tuple[str, ...] = (
    "public_id", "title", "purpose", "status", "timezone", "start_date", "end_date",
    "country", "organizer_name", "organizer_email", "responsible_officer",
)
GIFT_FIELDS: tuple[str, ...] = ("direction", "giver_person_id", "recipient_person_id",
                                "description", "value", "currency", "date")


def plain(value: Any) -> Any:
    """A value as the audit trail and the version check compare it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def visit_fields(visit: VisitRecord, names: tuple[str, ...] = VISIT_FIELDS) -> dict[str, Any]:
    """Some fields of a visit record."""
    return {name: getattr(visit, name) for name in names}


def status_path(old: str, new: str) -> list[str]:
    """The shortest chain of allowed status changes from ``old`` to ``new``."""
    if old == new:
        return []
    queue: deque[tuple[str, list[str]]] = deque([(old, [])])
    seen = {old}
    while queue:
        current, path = queue.popleft()
        for nxt in vocab.VISIT_TRANSITIONS.get(current, ()):
            if nxt in seen:
                continue
            if nxt == new:
                return [*path, nxt]
            seen.add(nxt)
            queue.append((nxt, [*path, nxt]))
    return [new]  # not reachable: let the service say why


class AppliedCommand(ServiceCommand):
    """A command whose change was already made: pushing it does not make it again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        super().redo()


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

    # -- plumbing ------------------------------------------------------------------
    def _later_error(self, error: ProtocolError) -> None:
        QTimer.singleShot(0, lambda: self.failed.emit(error))

    def _push(self, text: str, do: Callable[[], object], undo: Callable[[], object],
              visit_id: int | None) -> None:
        command = AppliedCommand(text, do, undo, on_error=self._later_error,
                                 on_done=lambda: self.changed.emit(visit_id))
        self.stack.push(command)
        self.changed.emit(visit_id)

    def _guarded_update(self, visit_id: int, expect: Mapping[str, Any],
                        changes: Mapping[str, Any]) -> VisitRecord:
        """Change fields of a visit only if they still hold ``expect``."""
        current = self.services.visits.get(visit_id)
        conflicts = {name: (plain(expect[name]), plain(getattr(current, name)))
                     for name in expect if getattr(current, name) != expect[name]}
        if conflicts:
            raise StaleWriteError("visit", visit_id, current.version, current.version, conflicts)
        fields = {k: v for k, v in changes.items() if k != "status"}
        steps = status_path(current.status, changes["status"]) if "status" in changes else []
        if steps:
            fields["status"] = steps[0]
        record = current
        if fields:
            record = self.services.visits.update(visit_id, current.version, **fields)
        for status in steps[1:]:
            record = self.services.visits.update(visit_id, record.version, status=status)
        return record

    # -- visits --------------------------------------------------------------------
    def create_visit(self, values: Mapping[str, Any]) -> VisitRecord:
        """Create a visit (undo deletes it again, if nobody changed it since)."""
        record = self.services.visits.create(**values)
        state = {"id": record.id, "version": record.version}
        again = {**values, "public_id": record.public_id}

        def do() -> None:
            made = self.services.visits.create(**again)
            state.update(id=made.id, version=made.version)
            self.created.emit(made.id)

        def undo() -> None:
            self.services.visits.delete(state["id"], state["version"])

        self._push(f"Create visit “{record.title}”", do, undo, None)
        return record

    def duplicate_visit(self, source: int, start_date: date, title: str | None) -> VisitRecord:
        """Copy a visit as a template to a new start date (undo deletes the copy)."""
        record = self.services.visits.duplicate(source, start_date, title=title)
        state = {"id": record.id, "version": record.version, "public_id": record.public_id}

        def do() -> None:
            made = self.services.visits.duplicate(source, start_date, title=title,
                                                  public_id=state["public_id"])
            state.update(id=made.id, version=made.version)
            self.created.emit(made.id)

        def undo() -> None:
            self.services.visits.delete(state["id"], state["version"])

        self._push(f"Duplicate “{record.title}”", do, undo, None)
        return record

    def edit_visit(self, visit: VisitRecord, changes: Mapping[str, Any]) -> VisitRecord:
        """Save changes of a visit's fields, based on the version the user saw.

        If only other parts of the visit changed meanwhile (someone added an event), the
        fields the user saw are all still stored, so the write is made on the stored
        version.  If a field changed, :class:`StaleWriteError` says which."""
        changes = {k: v for k, v in changes.items() if getattr(visit, k) != v}
        if not changes:
            return visit
        seen = {name: plain(getattr(visit, name)) for name in VISIT_FIELDS}
        try:
            record = self.services.visits.update(visit.id, visit.version, seen=seen, **changes)
        except StaleWriteError as exc:
            if exc.changed_fields:
                raise
            record = self._guarded_update(visit.id, visit_fields(visit, tuple(changes)),
                                          changes)
        before = visit_fields(visit, tuple(changes))
        after = visit_fields(record, tuple(changes))
        names = ", ".join(k.replace("_", " ") for k in changes)
        self._push(f"Edit {names} of “{record.title}”",
                   lambda: self._guarded_update(visit.id, before, after),
                   lambda: self._guarded_update(visit.id, after, before), visit.id)
        return record

    def cancel_visit(self, visit: VisitRecord) -> VisitRecord:
        """Mark a visit cancelled (undo restores its status)."""
        before = {"status": visit.status}
        after = {"status": "cancelled"}
        record = self._guarded_update(visit.id, before, after)
        self._push(f"Cancel “{visit.title}”", lambda: self._guarded_update(visit.id, before, after),
                   lambda: self._guarded_update(visit.id, after, before), visit.id)
        return record

    # -- delegation ----------------------------------------------------------------
    def add_participant(self, visit_id: int, person_id: int, side: str, role: str,
                        name: str = "") -> VisitRecord:
        """Add a person to a visit."""
        record = self.services.visits.add_participant(visit_id, person_id, side, role)
        self._push(f"Add {name or 'a person'} to the visit",
                   lambda: self.services.visits.add_participant(visit_id, person_id, side, role),
                   lambda: self.services.visits.remove_participant(visit_id, person_id),
                   visit_id)
        return record

    def remove_participant(self, visit: VisitRecord, participant: ParticipantRecord,
                           name: str = "") -> VisitRecord:
        """Take a person off a visit; undo puts them back, with their place in every event
        they attended or hosted."""
        pid = participant.person_id
        attended = [(e.id, e.attendee_ids.index(pid)) for e in visit.events
                    if pid in e.attendee_ids]
        hosted = [e.id for e in visit.events if e.host_person_id == pid]
        record = self.services.visits.remove_participant(visit.id, pid)

        def put_back() -> None:
            self.services.visits.add_participant(visit.id, pid, participant.side,
                                                 participant.role)
            for event_id in {eid for eid, _ in attended} | set(hosted):
                event = self.services.events.get(event_id)
                changes: dict[str, Any] = {}
                position = next((i for eid, i in attended if eid == event_id), None)
                if position is not None and pid not in event.attendee_ids:
                    ids = list(event.attendee_ids)
                    ids.insert(min(position, len(ids)), pid)
                    changes["attendee_ids"] = tuple(ids)
                if event_id in hosted and event.host_person_id is None:
                    changes["host_person_id"] = pid
                if changes:
                    self.services.events.update(event_id, event.version, **changes)

        self._push(f"Remove {name or 'a person'} from the visit",
                   lambda: self.services.visits.remove_participant(visit.id, pid),
                   put_back, visit.id)
        return record

    def change_participant(self, visit_id: int, participant: ParticipantRecord, side: str,
                           role: str, name: str = "") -> VisitRecord:
        """Change a participant's side and role (checked against what the user saw)."""
        pid = participant.person_id
        before = (participant.side, participant.role)
        after = (side, role)

        def apply(expect: tuple[str, str], wanted: tuple[str, str]) -> VisitRecord:
            current = self.services.visits.get(visit_id)
            now = next((p for p in current.participants if p.person_id == pid), None)
            if now is not None and (now.side, now.role) != expect:
                raise StaleWriteError("visit", visit_id, current.version, current.version, {
                    "side": (expect[0], now.side), "role": (expect[1], now.role)})
            return self.services.visits.update_participant(visit_id, pid, side=wanted[0],
                                                           role=wanted[1])

        record = apply(before, after)
        self._push(f"Make {name or 'a person'} {role}", lambda: apply(before, after),
                   lambda: apply(after, before), visit_id)
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
    def add_gift(self, visit_id: int, values: Mapping[str, Any]) -> GiftRecord:
        """Register a gift."""
        gift = self.services.gifts.create(visit_id, **values)
        state = {"id": gift.id, "version": gift.version}

        def do() -> None:
            made = self.services.gifts.create(visit_id, **values)
            state.update(id=made.id, version=made.version)

        self._push("Register gift", do,
                   lambda: self.services.gifts.delete(state["id"], state["version"]), visit_id)
        return gift

    def edit_gift(self, gift: GiftRecord, changes: Mapping[str, Any]) -> GiftRecord:
        """Change a gift based on the version the user saw."""
        record = self.services.gifts.update(gift.id, gift.version, **changes)
        before = {k: getattr(gift, k) for k in changes}
        state = {"version": record.version}

        def apply(values: Mapping[str, Any]) -> None:
            made = self.services.gifts.update(gift.id, state["version"], **values)
            state["version"] = made.version

        self._push("Edit gift", lambda: apply(changes), lambda: apply(before), gift.visit_id)
        return record

    def delete_gift(self, gift: GiftRecord) -> None:
        """Remove a gift from the register (undo registers it again)."""
        self.services.gifts.delete(gift.id, gift.version)
        values = {k: getattr(gift, k) for k in GIFT_FIELDS}
        state = {"id": gift.id, "version": gift.version}

        def undo() -> None:
            made = self.services.gifts.create(gift.visit_id, **values)
            state.update(id=made.id, version=made.version)

        self._push("Delete gift",
                   lambda: self.services.gifts.delete(state["id"], state["version"]), undo,
                   gift.visit_id)
