"""Seating plans of meals, ceremonies, meetings and motorcades: made automatically by
precedence and convention, edited seat by seat (swap, move, lock), stored with a version.

Over 800 lines because every edit shares one private plan context (the visit, the
attendees, the stored plan and its version); the next clean cut is the arrangements'
planning (``_auto_plan`` and the roster), which can move to a module of its own.

* **Arrangement.**  Each plan has an arrangement (:mod:`protocol_app.rules.arrangements`):
  tables, a signing table, two sides facing, a receiving line, front rows or a car plan.
  It defaults from the event's kind and title; the officer may choose another
  (:attr:`SeatingOptions.arrangement`).  Only a seated meal takes the officer's tables
  and keeps locked seats when planned again; the other arrangements lay out their own.
* **Who is placed.**  Security officers, staff and escorts are on duty and left out by
  default, each with the reason (:attr:`SeatingPlanView.left_out`); the officer may seat
  them anyway (:meth:`SeatingService.seat_anyway`), after every guest and host of rank.
  In a motorcade everybody rides.

* **Who is the host side.**  The event's host sits at the place of honour of the first
  table.  The host side is the event host's side (the host side of the visit when the
  event names no host); its other attendees follow in order of precedence, so the
  second becomes the co-host.  To change the co-host, add a precedence override.
* **Interpreters.**  An attendee whose role in the visit is ``"interpreter"`` sits with
  a principal.  The plan stores a mapping interpreter -> principal
  (:attr:`SeatingOptions.interpreters`); an interpreter not in it is linked by default
  to the head of delegation when on the guest side, and to the event's host (else the
  first host) when on the host side, provided that person attends.  An interpreter
  whose principal does not attend is seated like any other attendee.
* **Locked seats** are kept when the plan is made again; a person may not be moved
  into or out of a locked seat until it is unlocked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from protocol_app.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from protocol_app.records.models import (
    Event,
    PrecedenceOverrideRow,
    SeatingPlanRow,
    SeatRow,
)
from protocol_app.rules import arrangements as layouts
from protocol_app.rules import seating as seating_rules
from protocol_app.rules.arrangements import NOT_SEATED_ROLES, Arrangement, Attendee
from protocol_app.rules.names import display_name
from protocol_app.rules.precedence import PrecedenceCategory
from protocol_app.rules.seating import (
    ROUND,
    SeatAssignment,
    SeatingFinding,
    SeatingPlan,
    SeatRef,
    Table,
)
from protocol_app.rules.visibility import is_diplomatic_corps
from protocol_app.services.base import (
    ServiceBase,
    check_version,
    stored_now,
    to_aware_utc,
    write_audit,
)
from protocol_app.services.events import event_record
from protocol_app.services.protocol.address import forms_in
from protocol_app.services.protocol.precedence import (
    override_rows,
    ranked_entries,
    rule_categories_in,
)
from protocol_app.services.protocol.values import (
    SEATED_KINDS,
    DietaryNote,
    LeftOutView,
    SeatingOptions,
    SeatingPlanView,
    SeatSpec,
    SeatView,
    TableView,
    has_dietary_need,
    suggest_tables,
    validate_tables,
)
from protocol_app.services.values import EventRecord, PersonRecord, VisitRecord
from protocol_app.services.visits import resolve_visit, visit_record


def _pairs(raw: object) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, list | tuple) and len(item) == 2:
            out.append((int(item[0]), int(item[1])))
    return tuple(out)


def _plan_options_json(row: SeatingPlanRow) -> dict[str, Any]:
    """The plan's options object (the ``interpreters`` column): ``{"interpreters": {id:
    principal}, "arrangement", "seat_anyway": [ids], "left_out": [{"person", "reason"}]}``.
    Plans stored before arrangements hold the interpreters mapping alone."""
    raw = json.loads(row.interpreters or "{}")
    if not isinstance(raw, dict):
        return {}
    return raw if "interpreters" in raw else {"interpreters": raw}


def _options(row: SeatingPlanRow) -> SeatingOptions:
    stored = _plan_options_json(row)
    interpreters = stored.get("interpreters") or {}
    arrangement = str(stored.get("arrangement") or "")
    return SeatingOptions(
        couples_together=bool(row.couples_together),
        couples=_pairs(json.loads(row.couples or "[]")),
        not_together=_pairs(json.loads(row.not_together or "[]")),
        interpreters=tuple((int(k), int(p)) for k, p in interpreters.items()),
        interpreters_at_table=bool(row.interpreters_at_table),
        arrangement=arrangement if arrangement in set(Arrangement) else "",
        seat_anyway=tuple(int(p) for p in stored.get("seat_anyway") or ()),
    )


def _store_options(row: SeatingPlanRow, options: SeatingOptions,
                   left_out: Sequence[layouts.LeftOut] | None = None) -> None:
    """Store the options; ``left_out`` (as last planned) is kept when not given."""
    row.couples_together = options.couples_together
    row.couples = json.dumps([list(p) for p in options.couples])
    row.not_together = json.dumps([list(p) for p in options.not_together])
    kept = _plan_options_json(row).get("left_out", []) if row.interpreters else []
    row.interpreters = json.dumps({
        "interpreters": {str(i): p for i, p in options.interpreters},
        "arrangement": options.arrangement,
        "seat_anyway": list(options.seat_anyway),
        "left_out": kept if left_out is None else [
            {"person": lo.person_id, "reason": lo.reason} for lo in left_out],
    }, ensure_ascii=False)
    row.interpreters_at_table = options.interpreters_at_table


def _tables_json(tables: Sequence[Table]) -> str:
    return json.dumps([
        {"number": t.number, "shape": t.shape, "seats": t.seats, "name": t.name} for t in tables
    ], ensure_ascii=False)


def _tables_from_json(text: str) -> tuple[Table, ...]:
    return tuple(
        Table(int(t["number"]), int(t["seats"]), str(t.get("shape", ROUND)),
              str(t.get("name", "")))
        for t in json.loads(text or "[]")
    )


def _plain_options(options: SeatingOptions) -> dict[str, Any]:
    return {
        "couples_together": options.couples_together,
        "couples": [list(p) for p in options.couples],
        "not_together": [list(p) for p in options.not_together],
        "interpreters": [list(p) for p in options.interpreters],
        "interpreters_at_table": options.interpreters_at_table,
        "arrangement": options.arrangement,
        "seat_anyway": list(options.seat_anyway),
    }


def _seat_text(table: int, seat: int) -> str:
    return f"seat {seat} at table {table}"


@dataclass
class _SeatingContext:
    """What the seating of one event is made from, read in one session."""

    visit: VisitRecord
    event: EventRecord
    event_row: Event
    plan: SeatingPlanRow | None
    attendees: list[int]
    people: dict[int, PersonRecord]
    sides: dict[int, tuple[str, str]]
    categories: tuple[PrecedenceCategory, ...]
    overrides: list[PrecedenceOverrideRow]
    refs: dict[int, str]

    def arrangement(self, options: SeatingOptions) -> Arrangement:
        """The chosen arrangement, else the default for the event's kind and title."""
        if options.arrangement:
            return Arrangement(options.arrangement)
        return (layouts.default_arrangement(self.event.kind, self.event.title)
                or Arrangement.TABLES)

    def attendees_as_placed(self) -> list[Attendee]:
        """The attendees as the arrangements see them."""
        return [Attendee(p, *self.sides.get(p, ("host", "host"))) for p in self.attendees]


@dataclass(frozen=True)
class _Layout:
    """An automatic plan: the seats (none for a receiving line), who was left out, and a
    reception's line."""

    arrangement: Arrangement
    plan: SeatingPlan
    roster: layouts.Roster
    line: layouts.ReceivingLine | None = None


class SeatingService(ServiceBase):
    """Seating plans of a visit's meals and ceremonies."""

    def seating_events(self, visit: int | str) -> list[EventRecord]:
        """The visit's events (not cancelled) that have an arrangement: meals, ceremonies,
        meetings, press events and transport (not tours or private time)."""
        with self.db.read_session() as session:
            row = resolve_visit(session, visit)
            return [event_record(e) for e in sorted(row.events, key=lambda e: (e.start_utc, e.id))
                    if _arranged(e) and e.status != "cancelled"]

    def seating_plans(self, visit: int | str) -> dict[str, int]:
        """Event ref -> plan version, for the visit's events that have a stored plan."""
        with self.db.read_session() as session:
            row = resolve_visit(session, visit)
            refs = {e.id: e.ref for e in row.events}
            if not refs:
                return {}
            return {refs[p.event_id]: p.version for p in session.scalars(
                select(SeatingPlanRow).where(SeatingPlanRow.event_id.in_(list(refs))))}

    def seating_plan(self, visit: int | str, event_ref: str | int,
                     options: SeatingOptions | None = None) -> SeatingPlanView:
        """The stored plan of an event; without one, an empty view (``stored`` False, no
        tables) made with ``options`` (the arrangement about to be chosen, say)."""
        with self.db.read_session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            if ctx.plan is None and options is not None:
                return self._view_of_plan(session, ctx, None, options, stored=False)
            return self._view(session, ctx, ctx.plan)

    def preview_plan(self, visit: int | str, event_ref: str | int,
                     tables: Sequence[Table | Mapping[str, Any]] | None = None,
                     options: SeatingOptions | None = None) -> SeatingPlanView:
        """An automatic plan, not saved (the stored plan's locked seats are kept).
        Without ``tables``: the stored tables, else :func:`suggest_tables`."""
        with self.db.read_session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            table_specs, opts = self._plan_inputs(ctx, tables, options)
            layout = self._auto_plan(ctx, table_specs, opts)
            locked = self._locked(ctx, table_specs) if self._keeps_locks(ctx, layout) else {}
            return self._view_of_plan(session, ctx, layout.plan, opts, stored=False,
                                      locked=locked)

    def plan_seating(self, visit: int | str, event_ref: str | int,
                     tables: Sequence[Table | Mapping[str, Any]] | None = None,
                     options: SeatingOptions | None = None, *,
                     expected_version: int | None = None) -> SeatingPlanView:
        """Make the plan automatically (by precedence and convention) and store it,
        keeping locked seats.  ``tables`` and ``options`` default to the stored ones
        (else :func:`suggest_tables` and :class:`SeatingOptions`).  ``expected_version``
        is the plan's version as read (0 = there was no plan)."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            self._check_plan_version(ctx, expected_version)
            table_specs, opts = self._plan_inputs(ctx, tables, options)
            layout = self._auto_plan(ctx, table_specs, opts)
            plan = layout.plan
            locked = self._locked(ctx, table_specs) if self._keeps_locks(ctx, layout) else {}
            seats = [SeatSpec(a.seat.table, a.seat.seat, a.person_id,
                              not a.behind and locked.get(a.seat) == a.person_id, a.behind)
                     for a in plan.assignments]
            created = ctx.plan is None
            row = self._write_plan(session, ctx, plan.tables, seats, opts,
                                   left_out=layout.roster.left_out)
            write_audit(session, self.actor, "create" if created else "update", "seating_plan",
                        row.id, new={"tables": json.loads(row.tables),
                                     "arrangement": layout.arrangement.value,
                                     "seated": len(plan.seated_ids), "locked_kept": len(locked),
                                     "unseated": list(plan.unseated),
                                     "left_out": [lo.person_id for lo in layout.roster.left_out]},
                        summary=f"Planned the seating of {ctx.event.title} automatically"
                                + (f", keeping {len(locked)} locked seats" if locked else ""))
            return self._view(session, ctx, row)

    def save_plan(self, visit: int | str, event_ref: str | int,
                  tables: Sequence[Table | Mapping[str, Any]], seats: Iterable[SeatSpec],
                  options: SeatingOptions | None = None, *,
                  expected_version: int | None = None) -> SeatingPlanView:
        """Store a plan exactly as given (used to undo an automatic plan).  Seats must
        exist, hold one person each (plus anyone behind), and seat attendees only once."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            self._check_plan_version(ctx, expected_version)
            opts = options or (_options(ctx.plan) if ctx.plan else SeatingOptions())
            self._validate_options(opts, ctx)
            no_seats = not ctx.arrangement(opts).has_seats
            table_specs = validate_tables(tables, allow_none=no_seats)
            specs = list(seats)
            self._validate_seats(ctx, table_specs, specs)
            created = ctx.plan is None
            row = self._write_plan(session, ctx, table_specs, specs, opts)
            write_audit(session, self.actor, "create" if created else "update", "seating_plan",
                        row.id, new={"tables": json.loads(row.tables), "seats": len(specs)},
                        summary=f"Saved the seating of {ctx.event.title}")
            return self._view(session, ctx, row)

    def set_seating_options(self, visit: int | str, event_ref: str | int,
                            options: SeatingOptions, *,
                            expected_version: int | None = None) -> SeatingPlanView:
        """Change how a stored plan is made (couples, pairs to keep apart, interpreters);
        the seats stay as they are until the plan is made again.  The arrangement and the
        people seated anyway are kept: they change with :meth:`set_arrangement` and
        :meth:`seat_anyway`, which plan again."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            self._validate_options(options, ctx)
            row = self._existing_plan(ctx)
            stored = _options(row)
            options = replace(options, arrangement=stored.arrangement,
                              seat_anyway=stored.seat_anyway)
            check_version("seating plan", row.id, row.version, expected_version)
            old = _plain_options(_options(row))
            _store_options(row, options)
            self._touch(row)
            session.flush()
            write_audit(session, self.actor, "update", "seating_plan", row.id, old=old,
                        new=_plain_options(options),
                        summary=f"Changed the seating options of {ctx.event.title}")
            return self._view(session, ctx, row)

    def set_arrangement(self, visit: int | str, event_ref: str | int,
                        arrangement: Arrangement | str, *,
                        expected_version: int | None = None) -> SeatingPlanView:
        """Lay the event out in another arrangement ("" = the default for its kind) and
        plan it again automatically (saved)."""
        value = str(getattr(arrangement, "value", arrangement))
        if value and value not in set(Arrangement):
            raise ValidationError([FieldProblem(
                "arrangement", f"{value!r} is not one of "
                               f"{', '.join(a.value for a in Arrangement)}")],
                subject="seating plan")
        current = self.seating_plan(visit, event_ref)
        options = replace(current.options, arrangement=value)
        return self.plan_seating(visit, event_ref, None, options,
                                 expected_version=expected_version)

    def seat_anyway(self, visit: int | str, event_ref: str | int, person_id: int, *,
                    expected_version: int | None = None) -> SeatingPlanView:
        """Seat a person left out because they are on duty (security, staff, escort):
        the plan is made again (saved) with them placed after every guest and host of
        rank."""
        current = self.seating_plan(visit, event_ref)
        if person_id not in current.attendee_ids:
            raise ValidationError([FieldProblem(
                "person_id", f"person #{person_id} does not attend {current.event.title}")],
                subject="seating plan")
        wanted = tuple(dict.fromkeys([*current.options.seat_anyway, person_id]))
        options = replace(current.options, seat_anyway=wanted)
        return self.plan_seating(visit, event_ref, None, options,
                                 expected_version=expected_version)

    def delete_plan(self, visit: int | str, event_ref: str | int, *,
                    expected_version: int | None = None) -> None:
        """Remove a meal's seating plan."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            old = {"tables": json.loads(row.tables), "seats": len(row.seats)}
            session.delete(row)
            write_audit(session, self.actor, "delete", "seating_plan", row.id, old=old,
                        summary=f"Removed the seating plan of {ctx.event.title}")

    def swap(self, visit: int | str, event_ref: str | int, seat_a: tuple[int, int],
             seat_b: tuple[int, int], *, expected_version: int | None = None) -> SeatingPlanView:
        """Exchange who sits at two seats (anyone behind a seat follows its person);
        either seat may be empty.  Locked seats are refused."""
        a, b = SeatRef(*seat_a), SeatRef(*seat_b)
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            tables = {t.number: t for t in _tables_from_json(row.tables)}
            for ref in (a, b):
                self._check_seat(tables, ref)
            at_a = [s for s in row.seats if (s.table, s.seat) == a]
            at_b = [s for s in row.seats if (s.table, s.seat) == b]
            self._refuse_locked(ctx, at_a + at_b)
            if a == b or not (at_a or at_b):
                return self._view(session, ctx, row)
            self._swap_rows(row, a, b)
            self._touch(row)
            session.flush()
            names = [self._name(ctx, s.person_id) for s in (at_a + at_b) if not s.behind]
            write_audit(session, self.actor, "update", "seating_plan", row.id,
                        old={"seat_a": list(a), "seat_b": list(b)},
                        new={"moved": [s.person_id for s in at_a + at_b]},
                        summary=f"Swapped {_seat_text(*a)} and {_seat_text(*b)} "
                                f"({' and '.join(names)}) at {ctx.event.title}")
            return self._view(session, ctx, row)

    def move_seat(self, visit: int | str, event_ref: str | int, person_id: int,
                  to: tuple[int, int] | None, *,
                  expected_version: int | None = None) -> SeatingPlanView:
        """Put an attendee in a seat; ``to=None`` unseats them.

        A seated person moving to an occupied seat swaps with its occupant (anyone behind
        either seat follows their person); an unseated person (or an interpreter from a
        chair behind) takes the seat and its occupant becomes unseated.  Locked seats
        are refused."""
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            if person_id not in ctx.attendees:
                raise ValidationError([FieldProblem(
                    "person_id", f"{self._name(ctx, person_id)} does not attend "
                                 f"{ctx.event.title}")], subject="seating plan")
            tables = {t.number: t for t in _tables_from_json(row.tables)}
            target = SeatRef(*to) if to is not None else None
            if target is not None:
                self._check_seat(tables, target)
            mine = next((s for s in row.seats if s.person_id == person_id), None)
            origin = SeatRef(mine.table, mine.seat) if mine is not None else None
            occupant = next((s for s in row.seats if target is not None and not s.behind
                             and (s.table, s.seat) == target and s is not mine), None)
            self._refuse_locked(ctx, [s for s in (mine, occupant) if s is not None])
            if target is None:
                if mine is not None:
                    row.seats.remove(mine)
            elif mine is not None and not mine.behind:
                if origin is not None and origin != target:
                    self._swap_rows(row, origin, target)
            else:
                if occupant is not None:
                    row.seats.remove(occupant)
                if mine is None:
                    row.seats.append(SeatRow(table=target.table, seat=target.seat,
                                             person_id=person_id, locked=False, behind=False))
                else:
                    mine.table, mine.seat, mine.behind = target.table, target.seat, False
            self._touch(row)
            session.flush()
            where = _seat_text(*target) if target else "no seat"
            displaced = [occupant.person_id] if occupant is not None else []
            write_audit(session, self.actor, "update", "seating_plan", row.id,
                        old={"person_id": person_id, "seat": list(origin) if origin else None},
                        new={"person_id": person_id, "seat": list(target) if target else None,
                             "displaced": displaced},
                        summary=f"Moved {self._name(ctx, person_id)} to {where} at "
                                f"{ctx.event.title}")
            return self._view(session, ctx, row)

    @staticmethod
    def _swap_rows(row: SeatingPlanRow, a: SeatRef, b: SeatRef) -> None:
        at_a = [s for s in row.seats if (s.table, s.seat) == a]
        at_b = [s for s in row.seats if (s.table, s.seat) == b]
        for s in at_a:
            s.table, s.seat = b
        for s in at_b:
            s.table, s.seat = a

    def set_locked(self, visit: int | str, event_ref: str | int, seat: tuple[int, int],
                   locked: bool, *, expected_version: int | None = None) -> SeatingPlanView:
        """Lock a seat (kept as it is when the plan is made again) or unlock it."""
        ref = SeatRef(*seat)
        with self.db.session() as session:
            ctx = self._seating_context(session, visit, event_ref)
            row = self._existing_plan(ctx)
            check_version("seating plan", row.id, row.version, expected_version)
            self._check_seat({t.number: t for t in _tables_from_json(row.tables)}, ref)
            occupant = next((s for s in row.seats
                             if (s.table, s.seat) == ref and not s.behind), None)
            if occupant is None:
                raise ValidationError([FieldProblem(
                    "seat", f"{_seat_text(*ref)} is empty; only a seat with someone in it "
                            "can be locked")], subject="seating plan")
            if occupant.locked != locked:
                occupant.locked = locked
                self._touch(row)
                session.flush()
                write_audit(session, self.actor, "update", "seating_plan", row.id,
                            old={"seat": list(ref), "locked": not locked},
                            new={"seat": list(ref), "locked": locked},
                            summary=f"{'Locked' if locked else 'Unlocked'} {_seat_text(*ref)} "
                                    f"({self._name(ctx, occupant.person_id)}) at "
                                    f"{ctx.event.title}")
            return self._view(session, ctx, row)

    def lock(self, visit: int | str, event_ref: str | int, seat: tuple[int, int], *,
             expected_version: int | None = None) -> SeatingPlanView:
        """Lock a seat: re-planning keeps its person there."""
        return self.set_locked(visit, event_ref, seat, True, expected_version=expected_version)

    def unlock(self, visit: int | str, event_ref: str | int, seat: tuple[int, int], *,
               expected_version: int | None = None) -> SeatingPlanView:
        """Unlock a seat."""
        return self.set_locked(visit, event_ref, seat, False, expected_version=expected_version)

    # -- seating internals ------------------------------------------------------------------

    def _seating_context(self, session: Session, visit: int | str,
                         event_ref: str | int) -> _SeatingContext:
        row = resolve_visit(session, visit)
        record = visit_record(row)
        event_row = next((e for e in row.events if e.ref == event_ref or (
            isinstance(event_ref, int) and e.id == event_ref)), None)
        if event_row is None:
            refs = ", ".join(e.ref for e in row.events if _arranged(e)) or "none"
            raise NotFoundError(f"{row.title} has no event '{event_ref}' (its events with "
                                f"a seating plan: {refs}).")
        event = event_record(event_row)
        if event.kind not in SEATED_KINDS:
            raise ValidationError([FieldProblem(
                "event", f"“{event.title}” is a {event.kind}; only meals, ceremonies, "
                         "meetings, press events and transport have seating plans")],
                subject="seating plan")
        people = {p.person_id: p.person for p in record.participants}
        attendees = [p for p in dict.fromkeys(
            [*event.attendee_ids, *([event.host_person_id] if event.host_person_id else [])])
            if p in people]
        plan = session.scalar(select(SeatingPlanRow).where(
            SeatingPlanRow.event_id == event.id))
        return _SeatingContext(
            visit=record, event=event, event_row=event_row, plan=plan, attendees=attendees,
            people=people, sides={p.person_id: (p.side, p.role) for p in record.participants},
            categories=rule_categories_in(session),
            overrides=override_rows(session, record.id),
            refs={p.person_id: p.ref for p in record.participants},
        )

    @staticmethod
    def _name(ctx: _SeatingContext, person_id: int) -> str:
        person = ctx.people.get(person_id)
        return (display_name(person) if person else "") or f"person {person_id}"

    @staticmethod
    def _touch(row: SeatingPlanRow) -> None:
        row.updated_at = stored_now()

    @staticmethod
    def _existing_plan(ctx: _SeatingContext) -> SeatingPlanRow:
        if ctx.plan is None:
            raise NotFoundError(f"“{ctx.event.title}” has no seating plan yet; make one first "
                                "(Plan automatically).")
        return ctx.plan

    @staticmethod
    def _check_plan_version(ctx: _SeatingContext, expected: int | None) -> None:
        current = ctx.plan.version if ctx.plan is not None else 0
        check_version("seating plan", ctx.plan.id if ctx.plan else ctx.event.id, current,
                      expected)

    @staticmethod
    def _check_seat(tables: Mapping[int, Table], ref: SeatRef) -> None:
        table = tables.get(ref.table)
        if table is None or not table.has_seat(ref.seat):
            raise ValidationError([FieldProblem(
                "seat", f"{_seat_text(*ref)} does not exist in this plan")],
                subject="seating plan")

    def _refuse_locked(self, ctx: _SeatingContext, rows: Iterable[SeatRow]) -> None:
        for s in rows:
            if s.locked and not s.behind:
                raise ConflictError(
                    f"{_seat_text(s.table, s.seat)} ({self._name(ctx, s.person_id)}) is "
                    "locked; unlock it first. Nothing was changed.")

    def _validate_options(self, options: SeatingOptions,
                          ctx: _SeatingContext | None = None) -> None:
        problems: list[FieldProblem] = []
        interpreters = [i for i, _ in options.interpreters]
        if len(set(interpreters)) != len(interpreters):
            problems.append(FieldProblem("interpreters", "an interpreter has one principal"))
        for name, pairs in (("couples", options.couples),
                            ("not_together", options.not_together),
                            ("interpreters", options.interpreters)):
            for i, (a, b) in enumerate(pairs):
                if a == b:
                    problems.append(FieldProblem(f"{name}[{i}]", "names the same person twice"))
                elif ctx is not None:
                    for pid in (a, b):
                        if pid not in ctx.people:
                            problems.append(FieldProblem(
                                f"{name}[{i}]", f"person #{pid} does not take part in the "
                                                "visit"))
        if problems:
            raise ValidationError(problems, subject="seating options")

    def _plan_inputs(self, ctx: _SeatingContext,
                     tables: Sequence[Table | Mapping[str, Any]] | None,
                     options: SeatingOptions | None) -> tuple[tuple[Table, ...], SeatingOptions]:
        opts = options if options is not None else (
            _options(ctx.plan) if ctx.plan is not None else SeatingOptions())
        self._validate_options(opts, ctx)
        if tables is not None and not opts.arrangement:  # tables given: a seated meal
            opts = replace(opts, arrangement=Arrangement.TABLES.value)
        arrangement = ctx.arrangement(opts)
        if arrangement is not Arrangement.TABLES:
            if tables is not None:
                raise ValidationError([FieldProblem(
                    "tables", f"only a seated meal takes tables; the {arrangement.label} "
                              "is laid out by the rules")], subject="seating plan")
            return (), opts
        stored_tables = (ctx.plan is not None and
                         ctx.arrangement(_options(ctx.plan)) is Arrangement.TABLES)
        if tables is not None:
            table_specs = validate_tables(tables)
        elif stored_tables and ctx.plan is not None and _tables_from_json(ctx.plan.tables):
            table_specs = _tables_from_json(ctx.plan.tables)
        else:
            table_specs = suggest_tables(len(self._roster(ctx, opts).precedence))
        return table_specs, opts

    def _locked(self, ctx: _SeatingContext,
                tables: Sequence[Table]) -> dict[SeatRef | tuple[int, int], int]:
        """The stored plan's locked seats, checked against (new) tables."""
        if ctx.plan is None:
            return {}
        by_number = {t.number: t for t in tables}
        locked: dict[SeatRef | tuple[int, int], int] = {}
        problems: list[FieldProblem] = []
        for s in ctx.plan.seats:
            if not s.locked or s.behind or s.person_id not in ctx.attendees:
                continue
            table = by_number.get(s.table)
            if table is None or not table.has_seat(s.seat):
                problems.append(FieldProblem(
                    "tables", f"{_seat_text(s.table, s.seat)} is locked for "
                              f"{self._name(ctx, s.person_id)} but the new tables have no such "
                              "seat; unlock it first"))
                continue
            locked[SeatRef(s.table, s.seat)] = s.person_id
        if problems:
            raise ValidationError(problems, subject="seating plan")
        return locked

    def _hosts(self, ctx: _SeatingContext, ranked: Sequence[int]) -> list[int]:
        """The host first, then the host side by precedence (co-host second)."""
        host = ctx.event.host_person_id if ctx.event.host_person_id in ctx.attendees else None
        host_side = ctx.sides[host][0] if host is not None else "host"
        others = [p for p in ranked if ctx.sides[p][0] == host_side and p != host]
        return ([host] if host is not None else []) + others

    def _interpreters(self, ctx: _SeatingContext, options: SeatingOptions,
                      hosts: Sequence[int]) -> dict[int, int]:
        """Interpreter -> principal for this event (see the module docstring)."""
        mapping: dict[int, int] = {}
        stored = dict(options.interpreters)
        head = ctx.visit.head_of_delegation
        for pid in ctx.attendees:
            side, role = ctx.sides[pid]
            if role != "interpreter":
                continue
            principal = stored.get(pid)
            if principal is None:
                if side == "guest":
                    principal = head.person_id if head is not None else None
                else:
                    principal = next((h for h in hosts if ctx.sides[h][1] != "interpreter"),
                                     None)
            if principal is not None and principal in ctx.attendees and principal != pid:
                mapping[pid] = principal
        return mapping

    def _ranking(self, ctx: _SeatingContext) -> list[int]:
        ranked = ranked_entries(ctx.visit, ctx.categories, ctx.overrides, only=ctx.attendees)
        return [r.person.id for r in ranked]

    def _roster(self, ctx: _SeatingContext, options: SeatingOptions) -> layouts.Roster:
        """Who is placed (people on duty left out unless seated anyway), host first.  An
        event "hosted" by someone on duty (an escort leading a motorcade) is headed by
        the host side's highest-ranking person instead."""
        host = ctx.event.host_person_id
        if host not in ctx.attendees or ctx.sides.get(host, ("", ""))[1] in NOT_SEATED_ROLES:
            host = None
        return layouts.seating_roster(
            ctx.attendees_as_placed(), self._ranking(ctx), ctx.arrangement(options),
            host=host, seat_anyway=set(options.seat_anyway))

    @staticmethod
    def _keeps_locks(ctx: _SeatingContext, layout: _Layout) -> bool:
        """Locked seats are kept by a seated meal planned again as a seated meal."""
        return (layout.arrangement is Arrangement.TABLES and ctx.plan is not None
                and ctx.arrangement(_options(ctx.plan)) is Arrangement.TABLES)

    def _auto_plan(self, ctx: _SeatingContext, tables: Sequence[Table],
                   options: SeatingOptions) -> _Layout:
        arrangement = ctx.arrangement(options)
        roster = self._roster(ctx, options)
        placed = set(roster.precedence)
        interpreters = {i: p for i, p in self._interpreters(ctx, options, roster.hosts).items()
                        if i in placed and p in placed}
        attendees = ctx.attendees_as_placed()
        if arrangement is Arrangement.RECEIVING_LINE:
            plan = SeatingPlan(tables=(), assignments=(), hosts=frozenset(roster.hosts))
            return _Layout(arrangement, plan, roster, self._receiving_line(ctx, roster))
        if arrangement is Arrangement.SIGNING:
            plan = layouts.plan_signing(roster, attendees, interpreters)
        elif arrangement is Arrangement.FACING:
            plan = layouts.plan_facing(roster, attendees, interpreters,
                                       interpreters_at_table=options.interpreters_at_table)
        elif arrangement is Arrangement.ROWS:
            plan = layouts.plan_rows(roster, attendees, interpreters=interpreters)
        elif arrangement is Arrangement.CARS:
            plan = layouts.plan_cars(roster, attendees, interpreters=interpreters)
        else:
            locked = self._locked(ctx, tables) if ctx.plan is not None and ctx.arrangement(
                _options(ctx.plan)) is Arrangement.TABLES else {}
            try:
                plan = seating_rules.plan_seating(
                    roster.precedence, roster.hosts, tables, roster.precedence,
                    couples_together=options.couples_together, couples=options.couples,
                    locked=locked, interpreters=interpreters,
                    interpreters_at_table=options.interpreters_at_table,
                )
            except ValueError as exc:
                raise ValidationError([FieldProblem("tables", str(exc))],
                                      subject="seating plan") from None
        return _Layout(arrangement, plan, roster)

    def _validate_seats(self, ctx: _SeatingContext, tables: Sequence[Table],
                        seats: Sequence[SeatSpec]) -> None:
        problems: list[FieldProblem] = []
        by_number = {t.number: t for t in tables}
        taken: set[tuple[int, int]] = set()
        people: set[int] = set()
        for i, s in enumerate(seats):
            table = by_number.get(s.table)
            if table is None or not table.has_seat(s.seat):
                problems.append(FieldProblem(f"seats[{i}]",
                                             f"{_seat_text(s.table, s.seat)} does not exist"))
            if s.person_id in people:
                problems.append(FieldProblem(f"seats[{i}]",
                                             f"{self._name(ctx, s.person_id)} is seated twice"))
            if s.person_id not in ctx.people:
                problems.append(FieldProblem(f"seats[{i}]", f"person #{s.person_id} does not "
                                                            "take part in the visit"))
            if not s.behind:
                if (s.table, s.seat) in taken:
                    problems.append(FieldProblem(
                        f"seats[{i}]", f"{_seat_text(s.table, s.seat)} is given twice"))
                taken.add((s.table, s.seat))
            people.add(s.person_id)
        if problems:
            raise ValidationError(problems, subject="seating plan")

    def _write_plan(self, session: Session, ctx: _SeatingContext,
                    tables: Sequence[Table], seats: Iterable[SeatSpec],
                    options: SeatingOptions,
                    left_out: Sequence[layouts.LeftOut] | None = None) -> SeatingPlanRow:
        row = ctx.plan
        if row is None:
            row = SeatingPlanRow(event_id=ctx.event.id, updated_at=stored_now(),
                                 updated_by=self.actor)
            session.add(row)
        row.tables = _tables_json(tables)
        _store_options(row, options, left_out)
        row.updated_at, row.updated_by = stored_now(), self.actor
        if row.seats:  # old seats go first: a person may keep their seat row's key
            row.seats.clear()
            session.flush()
        row.seats = [SeatRow(table=s.table, seat=s.seat, person_id=s.person_id,
                             locked=s.locked and not s.behind, behind=s.behind) for s in seats]
        session.flush()
        ctx.plan = row
        return row

    def _view(self, session: Session, ctx: _SeatingContext,
              row: SeatingPlanRow | None) -> SeatingPlanView:
        if row is None:
            return self._view_of_plan(session, ctx, None, SeatingOptions(), stored=False)
        tables = _tables_from_json(row.tables)
        assignments = tuple(SeatAssignment(SeatRef(s.table, s.seat), s.person_id, s.behind)
                            for s in row.seats)
        options = _options(row)
        roster = self._roster(ctx, options)
        interpreters = self._interpreters(ctx, options, roster.hosts)
        seated = {a.person_id for a in assignments}
        plan = SeatingPlan(
            tables=tables, assignments=assignments,
            unseated=tuple(p for p in ctx.attendees if p not in seated),
            interpreters=MappingProxyType(interpreters), hosts=frozenset(roster.hosts),
        )
        locked: dict[SeatRef | tuple[int, int], int] = {
            SeatRef(s.table, s.seat): s.person_id for s in row.seats if s.locked and not s.behind}
        return self._view_of_plan(session, ctx, plan, options, stored=True, locked=locked,
                                  version=row.version, updated_at=row.updated_at,
                                  updated_by=row.updated_by)

    def _view_of_plan(self, session: Session, ctx: _SeatingContext,
                      plan: SeatingPlan | None, options: SeatingOptions, *, stored: bool,
                      locked: Mapping[SeatRef | tuple[int, int], int] | None = None,
                      version: int = 0,
                      updated_at: datetime | None = None, updated_by: str = "") -> SeatingPlanView:
        locked = locked or {}
        ranked = self._ranking(ctx)
        hosts = self._hosts(ctx, ranked)
        everyone = list(dict.fromkeys([*ctx.attendees,
                                       *(plan.seated_ids if plan is not None else ())]))
        people = {pid: ctx.people[pid] for pid in everyone if pid in ctx.people}
        forms = forms_in(session, people.values())
        arrangement = ctx.arrangement(options)
        roster = self._roster(ctx, options)
        seated_now = set(plan.seated_ids) if plan is not None else set()
        left_out = tuple(LeftOutView(people[lo.person_id], lo.reason,
                                     ctx.refs.get(lo.person_id, ""))
                         for lo in roster.left_out
                         if lo.person_id not in seated_now and lo.person_id in people)
        left_ids = {lo.person.id for lo in left_out}
        to_seat = [p for p in ctx.attendees if p not in left_ids]
        extra: dict[str, Any] = {"arrangement": arrangement, "left_out": left_out}
        if arrangement is Arrangement.RECEIVING_LINE:
            line = self._receiving_line(ctx, roster)
            extra.update(receiving_line=tuple(people[p] for p in line.line),
                         announced=tuple(people[p] for p in line.announced))
            to_seat = []
        if plan is None or arrangement is Arrangement.RECEIVING_LINE:
            return SeatingPlanView(
                visit_id=ctx.visit.id, visit_title=ctx.visit.title, event=ctx.event,
                stored=stored and plan is not None, version=version, tables=(),
                unseated=tuple(people[p] for p in to_seat), findings=(),
                options=options, interpreters=tuple(self._interpreters(ctx, options, hosts)
                                                    .items()),
                host_ids=tuple(hosts), attendee_ids=tuple(ctx.attendees),
                forms=MappingProxyType(forms),
                updated_at=to_aware_utc(updated_at) if updated_at else None,
                updated_by=updated_by, **extra,
            )
        # Dietary needs as the caterer reads them: "None" on record is no need.
        checked = {pid: replace(p, dietary=p.dietary if has_dietary_need(p.dietary) else "")
                   for pid, p in people.items()}
        plan = replace(plan, unseated=tuple(p for p in plan.unseated if p not in left_ids))
        findings = seating_rules.check_seating(plan, checked, options.not_together, to_seat)
        if arrangement is not Arrangement.TABLES:  # nobody eats in a car or at a signing
            findings = [f for f in findings if f.code != "dietary_summary"]
        for stray in plan.seated_ids:
            if stray not in ctx.attendees:
                where = next(a.seat for a in plan.assignments if a.person_id == stray)
                findings.append(SeatingFinding(
                    "warning", "seated_not_attending",
                    f"{self._name(ctx, stray)} has {_seat_text(*where)} but does not attend "
                    f"{ctx.event.title} any more", where.table, (where,), (stray,)))
        dietary = seating_rules.dietary_by_table(plan, checked)
        tables: list[TableView] = []
        for index, table in enumerate(plan.tables):
            places: list[SeatView] = []
            for seat in range(1, table.seats + 1):
                ref = SeatRef(table.number, seat)
                pid = plan.person_at(ref)
                person = people.get(pid) if pid is not None else None
                side, role = ctx.sides.get(pid, ("", "")) if pid is not None else ("", "")
                marker = _marker(table, seat, index, arrangement, side)
                places.append(SeatView(
                    table=table.number, seat=seat, person=person,
                    locked=locked.get(ref) == pid and pid is not None,
                    behind=tuple(people[b] for b in plan.behind_of(ref) if b in people),
                    marker=marker, side=side, role=role,
                ))
            notes = tuple(
                DietaryNote(need, ids, tuple(self._name(ctx, i) for i in ids))
                for need, ids in dietary.get(table.number, {}).items() if need
            )
            tables.append(TableView(
                number=table.number, shape=table.shape, seat_count=table.seats,
                name=table.name, host_seat=table.host_seat, cohost_seat=table.cohost_seat,
                guest_of_honour_seat=table.guest_of_honour_seat, places=tuple(places),
                dietary=notes))
        return SeatingPlanView(
            visit_id=ctx.visit.id, visit_title=ctx.visit.title, event=ctx.event, stored=stored,
            version=version, tables=tuple(tables),
            unseated=tuple(people[p] for p in to_seat if p not in seated_now),
            findings=tuple(findings), options=options,
            interpreters=tuple(plan.interpreters.items()),
            host_ids=tuple(hosts),
            attendee_ids=tuple(ctx.attendees), forms=MappingProxyType(forms),
            updated_at=to_aware_utc(updated_at) if updated_at else None, updated_by=updated_by,
            **extra,
        )

    @staticmethod
    def _receiving_line(ctx: _SeatingContext,
                        roster: layouts.Roster) -> layouts.ReceivingLine:
        """The hosts in line (the head of delegation beside the host) and the order in
        which the guests are announced.  A reception for guests of several delegations
        (a diplomatic corps) is held for none of them: the hosts alone receive, and every
        guest, the most senior first, is announced."""
        head = ctx.visit.head_of_delegation
        if is_diplomatic_corps(ctx.visit):
            head = None
        return layouts.plan_receiving_line(
            roster, ctx.attendees_as_placed(),
            guest_of_honour=head.person_id if head is not None else None)


def _arranged(event: Event) -> bool:
    """True for an event that has an arrangement (it can have a seating plan)."""
    return (event.kind in SEATED_KINDS
            and layouts.default_arrangement(event.kind, event.title) is not None)


def _marker(table: Table, seat: int, index: int, arrangement: Arrangement,
            side: str = "") -> str:
    """"host", "guest_of_honour", "cohost" or "" for a seat.  At a meeting the seat
    opposite the host is the guest side's head, not a co-host; in a motorcade only the
    principals' car (the first) has the host's and the guest of honour's seats.  A mark
    names the side of whoever sits there (``side``): a guest in the seat opposite the
    host, where no co-host of the host side attends, is no co-host, and a host in a
    guest's place no guest of honour."""
    marker = _seat_marker(table, seat, index, arrangement)
    if side == "guest" and marker in ("host", "cohost"):
        return ""
    if side == "host" and marker == "guest_of_honour":
        return ""
    return marker


def _seat_marker(table: Table, seat: int, index: int, arrangement: Arrangement) -> str:
    """The mark of a seat by its place alone (see :func:`_marker`)."""
    if arrangement is Arrangement.CARS and index > 0:
        return ""
    if seat == table.host_seat:
        return "host"
    if arrangement is Arrangement.FACING:
        return "guest_of_honour" if seat == table.cohost_seat else ""
    if seat == table.guest_of_honour_seat and index == 0:
        return "guest_of_honour"
    if seat == table.cohost_seat:
        return "cohost"
    return ""


__all__ = ["SeatingService"]
