"""Seating plans: tables, seats, the placement convention, and checks of a plan.

Seat geometry
-------------
Seats are numbered from 1.  Everything is said from the point of view of the person
sitting in the seat: *the right of seat s* is the seat at their right hand as they sit
facing the table (facing the room, at a head table).

``round``
    Seats go round the table towards each diner's right, that is counter-clockwise seen
    from above: ``right_of(s) == s + 1`` (after the last seat comes seat 1).  Seat 1 is
    the host's seat (the place of honour) and the co-host sits opposite, at seat
    ``1 + n // 2`` (for tables of four or more).
``rectangular``
    Seats on the two long sides only, ``n`` even, ``k = n / 2`` per side.  Seats 1..k on
    the near side, left to right as seen by the people sitting there; seats k+1..n on the
    far side, continuing round the table (seat k+1 faces seat k).  Seat ``s`` faces seat
    ``n + 1 - s``.  There is no neighbour round the corners.  The host sits in the middle
    of the near side (seat ``(k + 1) // 2``), the co-host opposite (French style).
``head``
    A head table: everybody on one side, facing the room, seats numbered towards the
    diners' right (so seat 1 is at the room's right end as the audience sees it).  The
    host sits in the middle, seat ``(n + 1) // 2``; there is no co-host seat.
``car``
    A car's passenger seats, as its passengers face forward: seat 1 rear right (the seat
    of honour, at the host's right), seat 2 rear left (the host's), seat 3 the front
    passenger seat, beside nobody (see :mod:`protocol_app.rules.arrangements`).

Placement convention (:func:`plan_seating`)
-------------------------------------------
The host takes the place of honour of the first table, the guest of honour the seat at
the host's right, the co-host the seat opposite the host and the second guest the seat
at the co-host's right; then the third guest at the host's left, the fourth at the
co-host's left, and so on outwards by rank.  Seats at an odd distance from the host or
co-host are guest places, at an even distance host places, so guests and hosts
alternate; when one side runs out the other fills in.  Each further table gets a host at
its place of honour while hosts last.  Locked seats are kept as given; interpreters sit
beside (or behind) their principal; partners sit side by side or apart as asked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from protocol_app.rules.names import NamedPerson, display_name

ROUND = "round"
RECTANGULAR = "rectangular"
HEAD = "head"
CAR = "car"
TABLE_SHAPES: tuple[str, ...] = (ROUND, RECTANGULAR, HEAD, CAR)


class SeatRef(NamedTuple):
    """A seat: table number and seat number.  A plain ``(table, seat)`` tuple equals it."""

    table: int
    seat: int


@dataclass(frozen=True, slots=True)
class SeatPosition:
    """Where a seat is, for drawing: ``x`` and ``y`` in [-1, 1] (y up, the near side of a
    rectangular table at y = -1), and ``facing``, the direction the diner looks, in
    degrees counter-clockwise from the +x axis."""

    x: float
    y: float
    facing: float


@dataclass(frozen=True, slots=True)
class Table:
    """A table with ``seats`` numbered seats; ``number`` names it in the plan.

    Tables are listed in order of importance: the first is the top table.
    """

    number: int
    seats: int
    shape: str = ROUND
    name: str = ""

    def __post_init__(self) -> None:
        if self.shape not in TABLE_SHAPES:
            raise ValueError(
                f"table {self.number}: shape {self.shape!r} is not one of {', '.join(TABLE_SHAPES)}"
            )
        if self.seats < 1:
            raise ValueError(f"table {self.number} needs at least one seat, not {self.seats}")
        if self.shape == CAR and self.seats != 3:
            raise ValueError(f"table {self.number}: a car has 3 passenger seats, not "
                             f"{self.seats}")
        if self.shape == RECTANGULAR and self.seats % 2:
            raise ValueError(
                f"table {self.number}: a rectangular table seats the same number on both "
                f"sides; {self.seats} is odd"
            )

    # -- geometry ---------------------------------------------------------------------

    def _check(self, seat: int) -> None:
        if not 1 <= seat <= self.seats:
            raise ValueError(f"table {self.number} has seats 1 to {self.seats}, not {seat}")

    def has_seat(self, seat: int) -> bool:
        """True if the table has this seat number."""
        return 1 <= seat <= self.seats

    def right_of(self, seat: int) -> int | None:
        """The seat at the right hand of the person in ``seat``, or None at an end."""
        self._check(seat)
        n = self.seats
        if self.shape == CAR:
            return 1 if seat == 2 else None
        if self.shape == ROUND:
            return seat % n + 1 if n > 1 else None
        if self.shape == RECTANGULAR:
            return None if seat in (n // 2, n) else seat + 1
        return seat + 1 if seat < n else None

    def left_of(self, seat: int) -> int | None:
        """The seat at the left hand of the person in ``seat``, or None at an end."""
        self._check(seat)
        n = self.seats
        if self.shape == CAR:
            return 2 if seat == 1 else None
        if self.shape == ROUND:
            return (seat - 2) % n + 1 if n > 1 else None
        if self.shape == RECTANGULAR:
            return None if seat in (1, n // 2 + 1) else seat - 1
        return seat - 1 if seat > 1 else None

    def neighbours(self, seat: int) -> tuple[int, ...]:
        """The seats next to ``seat`` (right first), without duplicates."""
        out: list[int] = []
        for s in (self.right_of(seat), self.left_of(seat)):
            if s is not None and s != seat and s not in out:
                out.append(s)
        return tuple(out)

    def opposite(self, seat: int) -> int | None:
        """The seat across the table (for an odd round table, the one ``n // 2`` seats to
        the right); None at a head table."""
        self._check(seat)
        n = self.seats
        if self.shape == ROUND:
            return (seat - 1 + n // 2) % n + 1 if n > 1 else None
        if self.shape == RECTANGULAR:
            return n + 1 - seat
        return None  # head tables and cars

    @property
    def host_seat(self) -> int:
        """The place of honour, where the host of this table sits."""
        if self.shape == ROUND:
            return 1
        if self.shape == RECTANGULAR:
            return (self.seats // 2 + 1) // 2
        if self.shape == CAR:
            return 2
        return (self.seats + 1) // 2

    @property
    def cohost_seat(self) -> int | None:
        """The co-host's seat, opposite the host, or None (head tables, round tables of
        fewer than four)."""
        if self.shape in (HEAD, CAR) or (self.shape == ROUND and self.seats < 4):
            return None
        return self.opposite(self.host_seat)

    @property
    def guest_of_honour_seat(self) -> int | None:
        """The seat at the host's right."""
        return self.right_of(self.host_seat)

    def position(self, seat: int) -> SeatPosition:
        """Drawing coordinates of a seat (see :class:`SeatPosition`)."""
        self._check(seat)
        n = self.seats
        if self.shape == ROUND:
            angle = -90.0 + (seat - 1) * 360.0 / n
            rad = math.radians(angle)
            return SeatPosition(
                round(math.cos(rad), 9), round(math.sin(rad), 9), (angle + 180.0) % 360.0
            )
        if self.shape == RECTANGULAR:
            k = n // 2
            if seat <= k:
                return SeatPosition(-1.0 + (2 * seat - 1) / k, -1.0, 90.0)
            j = seat - k
            return SeatPosition(1.0 - (2 * j - 1) / k, 1.0, 270.0)
        if self.shape == CAR:  # seen from above, the car's front at the top
            return {1: SeatPosition(0.5, -0.6, 90.0), 2: SeatPosition(-0.5, -0.6, 90.0),
                    3: SeatPosition(0.5, 0.6, 90.0)}[seat]
        return SeatPosition(1.0 - (2 * seat - 1) / n, 0.0, 270.0)

    def anchors(self) -> tuple[int, ...]:
        """The host's and co-host's seats."""
        cohost = self.cohost_seat
        return (self.host_seat,) if cohost is None else (self.host_seat, cohost)

    def distance_to_anchor(self, seat: int) -> int:
        """Seats between ``seat`` and the nearer of host and co-host (0 at their seats)."""
        self._check(seat)
        frontier, seen, distance = set(self.anchors()), set(self.anchors()), 0
        while frontier:
            if seat in frontier:
                return distance
            nxt = {m for s in frontier for m in self.neighbours(s)} - seen
            seen |= nxt
            frontier, distance = nxt, distance + 1
        return self.seats  # not reachable (cannot happen with the shapes above)

    def is_guest_place(self, seat: int) -> bool:
        """True for guest places: an odd distance from the host or co-host."""
        return self.distance_to_anchor(seat) % 2 == 1

    def honour_order(self) -> tuple[int, ...]:
        """Seats from the most to the least honourable: host, host's right, co-host,
        co-host's right, host's left, co-host's left, then outwards the same way."""
        order: list[int] = []

        def add(seat: int | None) -> None:
            if seat is not None and seat not in order:
                order.append(seat)

        host, cohost = self.host_seat, self.cohost_seat
        add(host)
        add(self.right_of(host))
        add(cohost)
        for distance in range(1, self.seats + 1):
            for step in (self.right_of, self.left_of):
                for anchor in self.anchors():
                    seat: int | None = anchor
                    for _ in range(distance):
                        seat = step(seat) if seat is not None else None
                    add(seat)
        for seat in range(1, self.seats + 1):  # defensive: every seat appears once
            add(seat)
        return tuple(order)


@dataclass(frozen=True, slots=True)
class SeatAssignment:
    """A person in a seat; ``behind`` marks an interpreter on a chair behind that seat."""

    seat: SeatRef
    person_id: int
    behind: bool = False


@dataclass(frozen=True)
class SeatingPlan:
    """Who sits where.  ``interpreters`` maps interpreter id -> principal id;
    ``hosts`` are the host side's ids; ``unseated`` could not be given a seat."""

    tables: tuple[Table, ...]
    assignments: tuple[SeatAssignment, ...]
    unseated: tuple[int, ...] = ()
    interpreters: Mapping[int, int] = field(default_factory=dict)
    hosts: frozenset[int] = frozenset()

    def table(self, number: int) -> Table | None:
        """The table with this number."""
        return next((t for t in self.tables if t.number == number), None)

    def person_at(self, seat: SeatRef | tuple[int, int]) -> int | None:
        """The person sitting at ``seat`` (not an interpreter behind it)."""
        return next(
            (a.person_id for a in self.assignments if a.seat == seat and not a.behind), None
        )

    def seat_of(self, person_id: int) -> SeatRef | None:
        """The seat of a person at a table (None if unseated or only behind someone)."""
        return next(
            (a.seat for a in self.assignments if a.person_id == person_id and not a.behind), None
        )

    def behind_of(self, seat: SeatRef | tuple[int, int]) -> tuple[int, ...]:
        """Who sits behind ``seat``."""
        return tuple(a.person_id for a in self.assignments if a.seat == seat and a.behind)

    @property
    def seated_ids(self) -> tuple[int, ...]:
        """Everyone with a seat or a chair behind one, in plan order, without repeats."""
        return tuple(dict.fromkeys(a.person_id for a in self.assignments))

    def neighbours_of(self, person_id: int) -> tuple[int, ...]:
        """The people at the table next to ``person_id`` (right first)."""
        seat = self.seat_of(person_id)
        table = self.table(seat.table) if seat else None
        if seat is None or table is None or not table.has_seat(seat.seat):
            return ()
        out = (self.person_at(SeatRef(seat.table, s)) for s in table.neighbours(seat.seat))
        return tuple(p for p in out if p is not None)


# -- planning -----------------------------------------------------------------------------


class _Planner:
    def __init__(
        self,
        tables: Sequence[Table],
        interpreters: Mapping[int, int],
        partners: Mapping[int, int],
        couples_together: bool,
        interpreters_at_table: bool,
    ) -> None:
        self.tables = {t.number: t for t in tables}
        self.order = list(tables)
        self.interpreters_of: dict[int, list[int]] = {}
        for interpreter, principal in interpreters.items():
            self.interpreters_of.setdefault(principal, []).append(interpreter)
        self.partners = partners
        self.couples_together = couples_together
        self.interpreters_at_table = interpreters_at_table
        self.at_seat: dict[SeatRef, int] = {}
        self.placed: dict[int, SeatAssignment] = {}
        self.assignments: list[SeatAssignment] = []
        self.pools: dict[str, list[int]] = {"guest": [], "host": []}
        self.pinned: set[int] = set()  # never pulled next to someone as a companion
        self.protected: set[SeatRef] = set()
        for t in tables:
            for seat in (t.host_seat, t.guest_of_honour_seat, t.cohost_seat):
                if seat is not None:
                    self.protected.add(SeatRef(t.number, seat))

    def free_seats(self) -> int:
        return sum(t.seats for t in self.order) - len(self.at_seat)

    def free(self, ref: SeatRef) -> bool:
        return ref not in self.at_seat

    def seat(self, person: int, ref: SeatRef, behind: bool = False) -> None:
        assignment = SeatAssignment(ref, person, behind)
        self.assignments.append(assignment)
        self.placed[person] = assignment
        if not behind:
            self.at_seat[ref] = person
        for pool in self.pools.values():
            if person in pool:
                pool.remove(person)

    def adjacent_free(self, ref: SeatRef) -> list[SeatRef]:
        """Free, unprotected seats next to ``ref``, farthest from the host first."""
        table = self.tables[ref.table]
        seats = [
            SeatRef(ref.table, s)
            for s in table.neighbours(ref.seat)
            if self.free(SeatRef(ref.table, s)) and SeatRef(ref.table, s) not in self.protected
        ]
        seats.sort(key=lambda r: -table.distance_to_anchor(r.seat))
        return seats

    def seat_companions(self, person: int) -> None:
        """Interpreters beside or behind ``person``; their partner beside them if asked."""
        queue = [person]
        while queue:
            principal = queue.pop(0)
            ref = self.placed[principal].seat
            if self.placed[principal].behind:
                continue
            for interpreter in self.interpreters_of.get(principal, []):
                if interpreter in self.placed:
                    continue
                # An interpreter takes a seat only if that leaves one for everyone waiting.
                spare = self.free_seats() > sum(len(pool) for pool in self.pools.values())
                spots = self.adjacent_free(ref) if self.interpreters_at_table and spare else []
                if spots:
                    self.seat(interpreter, spots[0])
                    queue.append(interpreter)
                else:
                    self.seat(interpreter, ref, behind=True)
            partner = self.partners.get(principal)
            if (
                self.couples_together
                and partner is not None
                and partner not in self.placed
                and partner not in self.pinned
                and any(partner in pool for pool in self.pools.values())
            ):
                spots = self.adjacent_free(ref)
                if spots:
                    self.seat(partner, spots[0])
                    queue.append(partner)

    def pick(self, pool: list[int], ref: SeatRef, exempt: bool) -> int:
        """The first in ``pool``, skipping (if couples sit apart) anyone whose partner
        would be their neighbour."""
        if self.couples_together or exempt:
            return pool[0]
        table = self.tables[ref.table]
        near = {self.at_seat.get(SeatRef(ref.table, s)) for s in table.neighbours(ref.seat)}
        for person in pool:
            partner = self.partners.get(person)
            if partner is None or partner not in near:
                return person
        return pool[0]


def plan_seating(
    attendees: Iterable[int],
    hosts: Sequence[int],
    tables: Sequence[Table],
    precedence: Sequence[int] = (),
    *,
    couples_together: bool = False,
    couples: Iterable[tuple[int, int]] = (),
    locked: Mapping[SeatRef | tuple[int, int], int] | None = None,
    interpreters: Mapping[int, int] | None = None,
    interpreters_at_table: bool = True,
) -> SeatingPlan:
    """Seat people at tables by the convention described in the module docstring.

    ``attendees``: everyone to seat (person ids; hosts may be listed or not).  ``hosts``:
    the host side, the host first, the co-host second; the others and all guests follow
    ``precedence`` (person ids, highest first; people not in it come after, in the order
    given).  ``couples``: pairs of partners, seated side by side if ``couples_together``,
    else kept apart where the order allows.  ``locked``: seats decided in advance, kept as
    they are.  ``interpreters``: interpreter id -> principal id; an interpreter sits next
    to the principal (on the side away from the host), or behind them when no seat there
    is free, when taking a seat would leave someone without one, or when
    ``interpreters_at_table`` is false.  No companion (interpreter or partner) ever takes a
    table's host seat, the seat at its host's right or the co-host's seat.

    Raises ``ValueError`` for duplicate table numbers, a locked seat that does not exist,
    or a person locked in two seats.
    """
    numbers = [t.number for t in tables]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"table numbers must be distinct: {numbers}")
    by_number = {t.number: t for t in tables}
    locks: dict[SeatRef, int] = {}
    for raw, person in (locked or {}).items():
        ref = SeatRef(*raw)
        table = by_number.get(ref.table)
        if table is None or not table.has_seat(ref.seat):
            raise ValueError(f"locked seat {ref.seat} at table {ref.table} does not exist")
        if person in locks.values():
            raise ValueError(f"person {person} is locked in two seats")
        locks[ref] = person
    interpreters = dict(interpreters or {})
    partners: dict[int, int] = {}
    for a, b in couples:
        if a != b:
            partners[a], partners[b] = b, a

    host_list = list(dict.fromkeys(hosts))
    host_set = set(host_list)
    everyone = list(dict.fromkeys([*attendees, *host_list, *locks.values()]))
    for interpreter, principal in interpreters.items():
        if principal in everyone and interpreter not in everyone:
            everyone.append(interpreter)
    rank = {pid: i for i, pid in enumerate(dict.fromkeys(precedence))}
    given_index = {pid: i for i, pid in enumerate(everyone)}

    def by_rank(pid: int) -> tuple[int, int]:
        return (rank.get(pid, len(rank)), given_index[pid])

    # Interpreters sit with their principal; one whose principal is not at this meal (or
    # is an interpreter too) is seated like any other attendee.
    companions = {
        i for i, p in interpreters.items() if p in everyone and i != p and p not in interpreters
    }
    planner = _Planner(tables, interpreters, partners, couples_together, interpreters_at_table)
    guests = sorted((p for p in everyone if p not in host_set and p not in companions), key=by_rank)
    host_pool = host_list[:2] + sorted(host_list[2:], key=by_rank)
    host_pool = [p for p in host_pool if p not in companions]
    planner.pools["guest"] = [p for p in guests if p not in locks.values()]
    planner.pools["host"] = [p for p in host_pool if p not in locks.values()]
    planner.pinned = {pool[0] for pool in planner.pools.values() if pool}

    for ref, person in locks.items():
        planner.seat(person, ref)
    for person in list(locks.values()):
        planner.seat_companions(person)

    first_table = tables[0].number if tables else None
    for index, table in enumerate(tables):
        for seat in table.honour_order():
            ref = SeatRef(table.number, seat)
            if not planner.free(ref):
                continue
            hosts_left, guests_left = planner.pools["host"], planner.pools["guest"]
            if not hosts_left and not guests_left:
                break
            later_host_seats = sum(
                1 for t in tables[index + 1 :]
                if planner.free(SeatRef(t.number, t.host_seat))
            )
            if seat == table.host_seat:
                usable_hosts = len(hosts_left)
            else:
                usable_hosts = len(hosts_left) - later_host_seats
            if table.is_guest_place(seat):
                pool = guests_left or (hosts_left if usable_hosts > 0 else [])
            else:
                pool = hosts_left if usable_hosts > 0 else guests_left
            if not pool:
                continue  # left for the final sweep
            exempt = table.number == first_table and seat in (
                table.host_seat, table.guest_of_honour_seat
            )
            person = planner.pick(pool, ref, exempt)
            planner.seat(person, ref)
            planner.seat_companions(person)

    # Final sweep: anyone still waiting takes any free seat, so that nobody is left
    # without a seat while one is free.
    for table in tables:
        for seat in table.honour_order():
            ref = SeatRef(table.number, seat)
            waiting = planner.pools["guest"] + planner.pools["host"]
            if not waiting:
                break
            if planner.free(ref):
                person = planner.pick(waiting, ref, exempt=False)
                planner.seat(person, ref)
                planner.seat_companions(person)

    unseated = [p for p in everyone if p not in planner.placed]
    return SeatingPlan(
        tables=tuple(tables),
        assignments=tuple(planner.assignments),
        unseated=tuple(unseated),
        interpreters=MappingProxyType(dict(interpreters)),
        hosts=frozenset(host_set),
    )


# -- checks -------------------------------------------------------------------------------


class SeatedPerson(NamedPerson, Protocol):
    """What the seating checks read from a person (e.g. a ``PersonRecord``): the name
    (to print it) and more."""

    @property
    def id(self) -> int: ...
    @property
    def languages(self) -> tuple[str, ...]: ...
    @property
    def dietary(self) -> str: ...


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class SeatingFinding:
    """Something to fix or know about a seating plan."""

    severity: str  # "error", "warning" or "info"
    code: str
    message: str
    table: int | None = None
    seats: tuple[SeatRef, ...] = ()
    person_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "table": self.table,
            "seats": [[s.table, s.seat] for s in self.seats],
            "person_ids": list(self.person_ids),
        }


def _language(code: str) -> str:
    """"en-GB" and "EN" compare equal; names of languages compare case-insensitively."""
    return code.strip().casefold().replace("_", "-").split("-")[0]


def _as_people(people: Mapping[int, SeatedPerson] | Iterable[SeatedPerson]) -> dict[int, Any]:
    if isinstance(people, Mapping):
        return dict(people)
    return {p.id: p for p in people}


def dietary_by_table(
    plan: SeatingPlan, people: Mapping[int, SeatedPerson] | Iterable[SeatedPerson]
) -> dict[int, dict[str, tuple[int, ...]]]:
    """For the caterer: table number -> dietary need -> ids of those at the table with it.

    Needs are grouped case-insensitively under their first spelling; people with none on
    record are under ``""``.  Interpreters behind a seat are not counted.
    """
    known = _as_people(people)
    out: dict[int, dict[str, list[int]]] = {t.number: {} for t in plan.tables}
    spelling: dict[tuple[int, str], str] = {}
    for a in plan.assignments:
        if a.behind or a.seat.table not in out:
            continue
        person = known.get(a.person_id)
        need = (person.dietary.strip() if person is not None else "")
        label = spelling.setdefault((a.seat.table, need.casefold()), need)
        out[a.seat.table].setdefault(label, []).append(a.person_id)
    return {t: {need: tuple(ids) for need, ids in needs.items()} for t, needs in out.items()}


def check_seating(
    plan: SeatingPlan,
    people: Mapping[int, SeatedPerson] | Iterable[SeatedPerson],
    not_together: Iterable[tuple[int, int]] = (),
    attendees: Iterable[int] = (),
) -> list[SeatingFinding]:
    """Check a seating plan; findings sorted by severity, then table.

    Reports seats that do not exist, two people in one seat, a person seated twice,
    attendees (and ``plan.unseated``) left without a seat, ``not_together`` pairs seated
    side by side, a guest (anyone not in ``plan.hosts`` and not an interpreter) who shares
    no language with either neighbour - directly, or through that neighbour's interpreter -
    and has no interpreter beside or behind them (only judged when everybody involved has
    languages on record; "en-GB" and "en" count as one language), and, as information,
    each table's dietary needs.
    """
    known = _as_people(people)

    def name(pid: int) -> str:
        person = known.get(pid)
        return (display_name(person) if person is not None else "") or f"person {pid}"

    findings: list[SeatingFinding] = []
    by_seat: dict[SeatRef, list[int]] = {}
    seats_of: dict[int, list[SeatAssignment]] = {}
    for a in plan.assignments:
        ref = SeatRef(*a.seat)
        table = plan.table(ref.table)
        if table is None or not table.has_seat(ref.seat):
            findings.append(SeatingFinding(
                "error", "seat_not_on_table",
                f"{name(a.person_id)} is placed at seat {ref.seat} of table {ref.table}, "
                "which does not exist",
                ref.table, (ref,), (a.person_id,),
            ))
        if not a.behind:
            by_seat.setdefault(ref, []).append(a.person_id)
        seats_of.setdefault(a.person_id, []).append(a)

    for ref, ids in by_seat.items():
        if len(ids) > 1:
            findings.append(SeatingFinding(
                "error", "seat_taken_twice",
                f"Seat {ref.seat} at table {ref.table} is given to "
                f"{_and(name(i) for i in ids)}",
                ref.table, (ref,), tuple(ids),
            ))
    for pid, places in seats_of.items():
        if len(places) > 1:
            where = _and(
                f"{'behind ' if a.behind else ''}seat {a.seat.seat} at table {a.seat.table}"
                for a in places
            )
            findings.append(SeatingFinding(
                "error", "seated_twice", f"{name(pid)} is seated twice: {where}",
                places[0].seat.table, tuple(a.seat for a in places), (pid,),
            ))
    for pid in dict.fromkeys([*plan.unseated, *attendees]):
        if pid not in seats_of:
            findings.append(SeatingFinding(
                "error", "unseated", f"{name(pid)} has no seat", None, (), (pid,)
            ))

    reported: set[frozenset[int]] = set()
    for one, other in not_together:
        if frozenset((one, other)) in reported or other not in plan.neighbours_of(one):
            continue
        reported.add(frozenset((one, other)))
        seats = tuple(s for s in (plan.seat_of(one), plan.seat_of(other)) if s is not None)
        findings.append(SeatingFinding(
            "warning", "not_together_adjacent",
            f"{name(one)} and {name(other)} should not sit together but are neighbours at "
            f"table {seats[0].table} (seats {seats[0].seat} and {seats[1].seat})",
            seats[0].table, seats, (one, other),
        ))

    interpreters_of: dict[int, set[int]] = {}
    for interpreter, principal in plan.interpreters.items():
        interpreters_of.setdefault(principal, set()).add(interpreter)

    def helpers_of(pid: int, seat: SeatRef) -> set[int]:
        """The person's interpreters sitting beside or behind them."""
        near = set(plan.neighbours_of(pid)) | set(plan.behind_of(seat))
        return interpreters_of.get(pid, set()) & near

    def speaks(pid: int) -> set[str]:
        person = known.get(pid)
        return {_language(code) for code in person.languages} if person is not None else set()

    def can_talk(own: set[str], other: int) -> bool:
        """A shared language, or the other's own interpreter beside or behind them."""
        if own & speaks(other):
            return True
        seat = plan.seat_of(other)
        return seat is not None and any(own & speaks(h) for h in helpers_of(other, seat))

    for a in plan.assignments:
        pid = a.person_id
        if (
            a.behind
            or pid in plan.hosts
            or pid in plan.interpreters
            or plan.seat_of(pid) != a.seat
            or helpers_of(pid, a.seat)
        ):
            continue
        own = speaks(pid)
        neighbours = plan.neighbours_of(pid)
        if not own or not neighbours or any(not speaks(n) for n in neighbours):
            continue  # languages not on record: nothing to judge

        if any(can_talk(own, n) for n in neighbours):
            continue
        findings.append(SeatingFinding(
            "warning", "no_shared_language",
            f"{name(pid)} (table {a.seat.table}, seat {a.seat.seat}) shares no language with "
            f"either neighbour ({_and(name(n) for n in neighbours)}) and has no interpreter "
            "beside them",
            a.seat.table, (a.seat,), (pid, *neighbours),
        ))

    for number, needs in dietary_by_table(plan, known).items():
        seated = sum(len(ids) for ids in needs.values())
        if not seated:
            continue
        parts = [
            f"{need} × {len(ids)} ({', '.join(name(i) for i in ids)})"
            for need, ids in needs.items() if need
        ]
        if "" in needs:
            parts.append(f"no dietary needs on record × {len(needs[''])}")
        findings.append(SeatingFinding(
            "info", "dietary_summary",
            f"Table {number} ({seated} seated): {'; '.join(parts)}",
            number, (), tuple(i for ids in needs.values() for i in ids),
        ))

    findings.sort(key=lambda f: (
        _SEVERITY_ORDER.get(f.severity, 3), f.table if f.table is not None else -1, f.code
    ))
    return findings


def _and(items: Iterable[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    words = list(items)
    if len(words) <= 2:
        return " and ".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
