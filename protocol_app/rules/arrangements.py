"""Seating by kind of event: who is placed, and how, at a meal, a signing, a meeting, a
reception, a lecture or ceremony, and in a motorcade.

A seated meal keeps the table conventions of :mod:`protocol_app.rules.seating`. The other
arrangements, as protocol manuals describe them:

``signing``
    A signing table with two chairs facing the room: the host's signatory in seat 1, the
    visiting signatory in seat 2, at the host's right (the place of honour). The witnesses
    stand behind their own signatory, in order of precedence.
``facing``
    A meeting: two sides facing each other across one table, the hosts on the near side
    and the guests on the far side, head opposite head. The others sit outwards from
    their head by precedence, right first, then left. Interpreters sit behind their
    principal, or at the principal's left when asked to sit at the table.
``receiving_line``
    A reception has no seats. The hosts form the receiving line, the host first and then
    the guest of honour (when the reception is held for one), then the other hosts by
    precedence; the guests are announced in order of precedence.
``rows``
    A lecture or ceremony: front rows facing the stage. The host sits in the middle of the
    first row, the guest of honour at the host's right, then guests and hosts alternate
    outwards by precedence, row after row.
``cars``
    A motorcade: the principals' car first. In each car (a ``car`` table of
    :mod:`protocol_app.rules.seating`) the guest rides in the seat of honour, rear right
    (seat 1), the host rear left (seat 2), and the front passenger seat (seat 3) goes to
    the principal's close-protection officer, else to an interpreter. Cars follow in order
    of precedence; a car is not opened for one rider while a front seat is free (the
    lowest-ranking rider takes it). Staff and escorts ride after every guest and host of
    rank: never in the host's seat, they take the first free front seat, else the first
    free rear seat.

Who is placed (:func:`seating_roster`): security officers, staff and escorts are on duty
and not seated by default; each is listed with the reason and can be seated on demand.
Staff seated on demand never outrank guests of rank: they come after everyone else. In a
motorcade everybody rides, close protection with the principal they protect.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from protocol_app.rules.seating import (
    CAR,
    HEAD,
    RECTANGULAR,
    SeatAssignment,
    SeatingPlan,
    SeatRef,
    Table,
)


class Arrangement(StrEnum):
    """How an event is laid out."""

    TABLES = "tables"
    SIGNING = "signing"
    FACING = "facing"
    RECEIVING_LINE = "receiving_line"
    ROWS = "rows"
    CARS = "cars"

    @property
    def label(self) -> str:
        """A label for menus and headings."""
        return _LABELS[self]

    @property
    def has_seats(self) -> bool:
        """False for a reception, which has a receiving line and no seats."""
        return self is not Arrangement.RECEIVING_LINE


_LABELS = {
    Arrangement.TABLES: "Seated meal (tables)",
    Arrangement.SIGNING: "Signing table",
    Arrangement.FACING: "Meeting (two sides facing)",
    Arrangement.RECEIVING_LINE: "Reception (receiving line)",
    Arrangement.ROWS: "Lecture or ceremony (front rows)",
    Arrangement.CARS: "Motorcade (car plan)",
}

_SIGNING_RE = re.compile(r"\b(sign|signing|signature|memorandum|mou|agreement|accord|treaty)",
                         re.IGNORECASE)
_RECEPTION_RE = re.compile(r"\b(reception|receiving line|cocktail|drinks|canap|vin d'honneur)",
                           re.IGNORECASE)
_LECTURE_RE = re.compile(r"\b(lecture|seminar|address|keynote|talk|convocation|graduation|"
                         r"concert|performance|screening)", re.IGNORECASE)


def default_arrangement(kind: str, title: str = "") -> Arrangement | None:
    """The arrangement an event of ``kind`` gets unless the officer chooses another; None
    for events nobody is placed at (tours, private time).

    >>> default_arrangement("ceremony", "Signing of the Memorandum of Understanding")
    <Arrangement.SIGNING: 'signing'>
    >>> default_arrangement("meal", "Reception for the Diplomatic Corps")
    <Arrangement.RECEIVING_LINE: 'receiving_line'>
    >>> default_arrangement("meal", "State dinner")
    <Arrangement.TABLES: 'tables'>
    """
    if kind == "transport":
        return Arrangement.CARS
    if kind in ("tour", "private"):
        return None
    if _RECEPTION_RE.search(title):
        return Arrangement.RECEIVING_LINE
    if kind == "meal":
        return Arrangement.TABLES
    if _SIGNING_RE.search(title) and kind in ("ceremony", "meeting", "press"):
        return Arrangement.SIGNING
    if kind == "meeting" and not _LECTURE_RE.search(title):
        return Arrangement.FACING
    return Arrangement.ROWS


# -- who is placed ------------------------------------------------------------------------

#: Roles on duty, not seated by default, and why.
NOT_SEATED_ROLES: Mapping[str, str] = {
    "security": "close protection is on duty and stands; not seated",
    "staff": "staff are on duty; not seated unless asked",
    "escort": "escorts are on duty; not seated unless asked",
}


@dataclass(frozen=True, slots=True)
class Attendee:
    """A person at an event, as the arrangements see them."""

    person_id: int
    side: str  # "guest" or "host"
    role: str  # see protocol_app.records.vocab.ROLES


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A person not placed, and why (shown to the officer, who may seat them)."""

    person_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Roster:
    """Who is placed, in precedence order for placing, and who is left out.

    ``precedence``: everybody placed, highest first; ``late`` (people on duty seated on
    demand) come last, after every guest and host of rank. ``hosts``: the host side
    without them, the event's host first, then by precedence.
    """

    precedence: tuple[int, ...]
    hosts: tuple[int, ...]
    left_out: tuple[LeftOut, ...]
    late: tuple[int, ...] = ()


def seating_roster(
    attendees: Sequence[Attendee],
    precedence: Sequence[int],
    arrangement: Arrangement,
    *,
    host: int | None = None,
    seat_anyway: Collection[int] = (),
) -> Roster:
    """Who is placed at an event, in which order (see the module docstring).

    ``precedence``: person ids, highest first (people missing from it rank after, in the
    order given). ``host``: the event's host, who heads the host side. ``seat_anyway``:
    people the officer asked to seat though their role is not seated by default.
    """
    rank = {pid: i for i, pid in enumerate(dict.fromkeys(precedence))}
    given = {a.person_id: i for i, a in enumerate(attendees)}
    by_id = {a.person_id: a for a in attendees}

    def key(pid: int) -> tuple[int, int]:
        return (rank.get(pid, len(rank)), given[pid])

    placed: list[int] = []
    late: list[int] = []
    left_out: list[LeftOut] = []
    for pid in sorted(by_id, key=key):
        role = by_id[pid].role
        if arrangement is Arrangement.CARS or role not in NOT_SEATED_ROLES:
            placed.append(pid)
        elif pid in seat_anyway:
            late.append(pid)  # on demand: after every guest and host of rank
        else:
            left_out.append(LeftOut(pid, NOT_SEATED_ROLES[role]))
    order = placed + late
    if host is not None and host in order:
        host_side = by_id[host].side
    else:
        host, host_side = None, "host"
    hosts = [p for p in placed if by_id[p].side == host_side and p != host]
    return Roster(
        precedence=tuple(order),
        hosts=tuple(([host] if host is not None else []) + hosts),
        left_out=tuple(left_out),
        late=tuple(late),
    )


# -- layouts ------------------------------------------------------------------------------


def _sides(roster: Roster, attendees: Sequence[Attendee], interpreters: Mapping[int, int],
           *, by_side: bool = True) -> tuple[list[int], list[int]]:
    """The host side (host first) and the guest side (by precedence), without
    interpreters, who go with their principal. People on duty seated on demand come
    last on their own side, or, with ``by_side`` false, last among the guests (so that
    they take the least honourable places)."""
    side_of = {a.person_id: a.side for a in attendees}
    host_side = side_of[roster.hosts[0]] if roster.hosts else "host"
    hosts = [p for p in roster.hosts if p not in interpreters]
    guests = [p for p in roster.precedence
              if p not in roster.hosts and p not in roster.late and p not in interpreters]
    for late in roster.late:
        if late in interpreters:
            continue
        (hosts if by_side and side_of[late] == host_side else guests).append(late)
    return hosts, guests


def _outwards(centre: int, count: int, right: int, left: int) -> list[int]:
    """Seat numbers from a centre seat outwards, right first: ``right`` and ``left`` are
    the steps (+1 or -1) towards each hand."""
    order = [centre]
    step = 1
    while len(order) < count:
        for direction in (right, left):
            if len(order) < count:
                order.append(centre + direction * step)
        step += 1
    return order


def plan_signing(roster: Roster, attendees: Sequence[Attendee],
                 interpreters: Mapping[int, int] | None = None) -> SeatingPlan:
    """The two signatories at a signing table, their witnesses standing behind them.

    The signatories are the host (or the first of the host side) and the highest-ranking
    guest; every other person placed is a witness behind their own side's signatory, in
    order of precedence.  An interpreter (``interpreters``: interpreter -> principal) is
    no witness: they stand behind their principal's side after its witnesses."""
    interpreters = {i: p for i, p in (interpreters or {}).items() if p in roster.precedence}
    hosts, guests = _sides(roster, attendees, interpreters)
    table = Table(1, 2, HEAD, name="Signing table")
    assignments: list[SeatAssignment] = []
    # A two-seat head table: seat 1 is the place of honour, seat 2 at its right.
    for seat, side in ((table.host_seat, hosts), (table.guest_of_honour_seat or 2, guests)):
        if side:
            ref = SeatRef(1, seat)
            assignments.append(SeatAssignment(ref, side[0]))
            assignments.extend(SeatAssignment(ref, pid, behind=True) for pid in side[1:])
            assignments.extend(SeatAssignment(ref, i, behind=True)
                               for i, principal in interpreters.items() if principal in side)
    return SeatingPlan(tables=(table,), assignments=tuple(assignments),
                       hosts=frozenset(roster.hosts))


def plan_facing(roster: Roster, attendees: Sequence[Attendee],
                interpreters: Mapping[int, int], *,
                interpreters_at_table: bool = False) -> SeatingPlan:
    """Two sides facing across one table, head opposite head (see the module docstring)."""
    interpreters = {i: p for i, p in interpreters.items() if p in roster.precedence}
    hosts, guests = _sides(roster, attendees, interpreters)
    at_table = interpreters if interpreters_at_table else {}
    per_side = max(1, len(hosts) + sum(1 for p in at_table.values() if p in hosts),
                   len(guests) + sum(1 for p in at_table.values() if p not in hosts))
    per_side += (per_side + 1) % 2  # odd, so that each head sits in the middle
    table = Table(1, 2 * per_side, RECTANGULAR, name="Meeting table")
    assignments: list[SeatAssignment] = []
    placed: set[int] = set()
    for side, near in ((hosts, True), (guests, False)):
        centre = (per_side + 1) // 2 if near else per_side + 1 + per_side // 2
        # Near side: a diner's right is seat + 1; far side: also + 1 (see rules.seating).
        seats = _outwards(centre, per_side, +1, -1)
        queue = list(side)
        order: list[int] = []
        while queue:
            person = queue.pop(0)
            order.append(person)
            order.extend(i for i, p in at_table.items() if p == person)
        free = [s for s in seats if table.has_seat(s)]
        for person in order:
            principal = at_table.get(person)
            seat = free[0]
            if principal is not None:  # at the principal's left, when that seat is free
                of_principal = next(a.seat.seat for a in assignments
                                    if a.person_id == principal)
                left = table.left_of(of_principal)
                seat = left if left in free else seat
            free.remove(seat)
            assignments.append(SeatAssignment(SeatRef(1, seat), person))
            placed.add(person)
    for interpreter, principal in interpreters.items():
        if interpreter in placed:
            continue
        seat_of = next((a.seat for a in assignments if a.person_id == principal), None)
        if seat_of is not None:
            assignments.append(SeatAssignment(seat_of, interpreter, behind=True))
            placed.add(interpreter)
    unseated = tuple(p for p in roster.precedence if p not in placed)
    return SeatingPlan(tables=(table,), assignments=tuple(assignments), unseated=unseated,
                       interpreters=dict(interpreters), hosts=frozenset(roster.hosts))


@dataclass(frozen=True, slots=True)
class ReceivingLine:
    """A reception: who stands in the receiving line, in order from the entrance, and the
    order in which the guests are announced."""

    line: tuple[int, ...]
    announced: tuple[int, ...]


def plan_receiving_line(roster: Roster, attendees: Sequence[Attendee], *,
                        guest_of_honour: int | None = None) -> ReceivingLine:
    """The receiving line and the order of announcement (see the module docstring)."""
    hosts, guests = _sides(roster, attendees, {})
    line = hosts[:1]
    if guest_of_honour is not None and guest_of_honour in guests:
        line.append(guest_of_honour)
    line += hosts[1:]
    return ReceivingLine(tuple(line), tuple(p for p in guests if p not in line))


def row_letter(number: int) -> str:
    """A row's letter, counted from the front: "A", ... "Z", then "AA", "AB", ...

    >>> [row_letter(n) for n in (1, 2, 26, 27)]
    ['A', 'B', 'Z', 'AA']
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def plan_rows(roster: Roster, attendees: Sequence[Attendee], *, row_seats: int = 10,
              interpreters: Mapping[int, int] | None = None) -> SeatingPlan:
    """Front rows by precedence (see the module docstring); interpreters sit behind their
    principal."""
    interpreters = {i: p for i, p in (interpreters or {}).items() if p in roster.precedence}
    hosts, guests = _sides(roster, attendees, interpreters, by_side=False)
    people = len(hosts) + len(guests)
    rows = max(1, -(-people // row_seats))
    tables = tuple(Table(n, row_seats, HEAD, name=f"Row {row_letter(n)}")
                   for n in range(1, rows + 1))
    assignments: list[SeatAssignment] = []
    for table in tables:
        for seat in table.honour_order():
            if not hosts and not guests:
                break
            pool = (guests or hosts) if table.is_guest_place(seat) else (hosts or guests)
            assignments.append(SeatAssignment(SeatRef(table.number, seat), pool.pop(0)))
    seat_of = {a.person_id: a.seat for a in assignments}
    for interpreter, principal in interpreters.items():
        assignments.append(SeatAssignment(seat_of[principal], interpreter, behind=True))
    return SeatingPlan(tables=tables, assignments=tuple(assignments),
                       interpreters=dict(interpreters), hosts=frozenset(roster.hosts))


#: The seats of a car, by number.
CAR_SEATS: Mapping[int, str] = {1: "rear right", 2: "rear left", 3: "front passenger"}


def plan_cars(roster: Roster, attendees: Sequence[Attendee], *,
              protects: Mapping[int, int] | None = None,
              interpreters: Mapping[int, int] | None = None) -> SeatingPlan:
    """A car plan, the principals' car first (see the module docstring).

    ``protects``: close-protection officer id -> the principal they protect (by default,
    a guest-side security officer protects the highest-ranking guest and a host-side one
    the host). Each car seats three: rear right, rear left, front passenger."""
    by_id = {a.person_id: a for a in attendees}
    interpreters = dict(interpreters or {})
    hosts, guests = _sides(roster, attendees, {})
    security = [p for p in roster.precedence if by_id[p].role == "security"]
    guard_of = dict(protects or {})
    for officer in security:
        if officer not in guard_of:
            side = guests if by_id[officer].side == "guest" else hosts
            principal = next((p for p in side if by_id[p].role != "security"), None)
            if principal is not None:
                guard_of[officer] = principal
    # Staff and escorts (and security protecting nobody) are on duty: they ride after
    # every guest and host of rank, in the seats left free.
    on_duty = [p for p in roster.precedence
               if by_id[p].role in NOT_SEATED_ROLES and p not in guard_of
               and p not in interpreters]
    riders = [p for p in roster.precedence
              if p not in guard_of and p not in interpreters and p not in on_duty]
    guests_left = [p for p in riders if p not in roster.hosts]
    hosts_left = [p for p in riders if p in roster.hosts]
    cars: list[list[int | None]] = []
    while guests_left or hosts_left:
        rear_right = (guests_left or hosts_left).pop(0)
        rear_left = (hosts_left or guests_left).pop(0) if (hosts_left or guests_left) else None
        cars.append([rear_right, rear_left, None])
    def front_seat(person: int, principal: int) -> None:
        """The front seat of the principal's car, else of the next car with one free."""
        start = next((i for i, c in enumerate(cars) if principal in c), len(cars))
        car = next((c for c in cars[start:] if c[2] is None), None)
        if car is None:
            cars.append([None, None, person])
        else:
            car[2] = person

    for officer, principal in guard_of.items():
        front_seat(officer, principal)
    for interpreter, principal in interpreters.items():
        front_seat(interpreter, principal)
    for person in on_duty:
        spare = next(((c, 2) for c in cars if c[2] is None), None) \
            or next(((c, 1) for c in cars if c[1] is None), None)
        if spare is None:
            cars.append([person, None, None])
        else:
            spare[0][spare[1]] = person
    # No car for one rider while a front seat is free: the last car's lone rider (the
    # lowest in precedence) takes the free front seat nearest the end of the motorcade.
    while len(cars) > 1 and sum(p is not None for p in cars[-1]) == 1 \
            and cars[-1][0] is not None:
        free = next((c for c in reversed(cars[:-1]) if c[2] is None), None)
        if free is None:
            break
        free[2] = cars.pop()[0]
    tables = tuple(
        Table(n, 3, CAR, name="Car 1 (principals' car)" if n == 1 else f"Car {n}")
        for n in range(1, len(cars) + 1)
    )
    assignments = tuple(
        SeatAssignment(SeatRef(n, seat), person)
        for n, car in enumerate(cars, start=1)
        for seat, person in enumerate(car, start=1)
        if person is not None
    )
    return SeatingPlan(tables=tables, assignments=assignments, interpreters=interpreters,
                       hosts=frozenset(roster.hosts))
