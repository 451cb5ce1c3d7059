"""Seating: geometry, the placement convention, invariants on random input, checks."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_app.rules.seating import (
    HEAD,
    RECTANGULAR,
    ROUND,
    SeatAssignment,
    SeatingPlan,
    SeatPosition,
    SeatRef,
    Table,
    check_seating,
    dietary_by_table,
    plan_seating,
)
from tests.support.record_factories import person

# Hosts 1..6, guests 101..108, interpreters 201...
H1, H2, H3, H4, H5, H6 = 1, 2, 3, 4, 5, 6
G1, G2, G3, G4, G5, G6, G7, G8 = 101, 102, 103, 104, 105, 106, 107, 108


def seating(plan: SeatingPlan, table: int = 1) -> dict[int, int]:
    """Seat number -> person id at one table."""
    return {a.seat.seat: a.person_id for a in plan.assignments
            if a.seat.table == table and not a.behind}


# -- geometry -----------------------------------------------------------------------------


def test_round_table_geometry() -> None:
    t = Table(1, 8)
    assert t.host_seat == 1 and t.guest_of_honour_seat == 2 and t.cohost_seat == 5
    assert [t.right_of(s) for s in range(1, 9)] == [2, 3, 4, 5, 6, 7, 8, 1]
    assert [t.left_of(s) for s in range(1, 9)] == [8, 1, 2, 3, 4, 5, 6, 7]
    assert t.opposite(1) == 5 and t.opposite(6) == 2
    assert t.neighbours(1) == (2, 8)
    assert t.honour_order() == (1, 2, 5, 6, 8, 4, 3, 7)
    assert [s for s in range(1, 9) if t.is_guest_place(s)] == [2, 4, 6, 8]
    # Seat 1 at the bottom facing up; seat 2 (its right) to the east, facing west.
    assert t.position(1) == SeatPosition(0.0, -1.0, 90.0)
    assert t.position(3) == SeatPosition(1.0, 0.0, 180.0)
    assert t.position(5) == SeatPosition(0.0, 1.0, 270.0)
    assert t.position(2).x > 0.7 and t.position(2).y < -0.7


def test_small_round_tables_have_no_cohost() -> None:
    assert Table(1, 3).cohost_seat is None
    assert Table(1, 3).honour_order() == (1, 2, 3)
    assert Table(1, 2).neighbours(1) == (2,)
    assert Table(1, 1).neighbours(1) == () and Table(1, 1).right_of(1) is None


def test_rectangular_table_geometry() -> None:
    t = Table(2, 8, RECTANGULAR)
    assert t.host_seat == 2 and t.guest_of_honour_seat == 3 and t.cohost_seat == 7
    assert [t.right_of(s) for s in range(1, 9)] == [2, 3, 4, None, 6, 7, 8, None]
    assert [t.left_of(s) for s in range(1, 9)] == [None, 1, 2, 3, None, 5, 6, 7]
    assert [t.opposite(s) for s in range(1, 9)] == [8, 7, 6, 5, 4, 3, 2, 1]
    assert t.honour_order() == (2, 3, 7, 8, 1, 6, 4, 5)
    assert t.position(1) == SeatPosition(-0.75, -1.0, 90.0)
    assert t.position(8) == SeatPosition(-0.75, 1.0, 270.0)  # faces seat 1


def test_head_table_geometry() -> None:
    t = Table(3, 7, HEAD)
    assert t.host_seat == 4 and t.guest_of_honour_seat == 5 and t.cohost_seat is None
    assert t.opposite(4) is None
    assert t.honour_order() == (4, 5, 3, 6, 2, 7, 1)
    assert Table(3, 6, HEAD).host_seat == 3  # more seats on the host's right


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seats": 0}, "at least one seat"),
        ({"seats": 7, "shape": RECTANGULAR}, "7 is odd"),
        ({"seats": 6, "shape": "oval"}, "shape 'oval'"),
    ],
)
def test_invalid_tables_are_refused(kwargs, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Table(1, **kwargs)


def test_seat_numbers_are_checked() -> None:
    with pytest.raises(ValueError, match="table 1 has seats 1 to 8, not 9"):
        Table(1, 8).right_of(9)


# -- the convention -----------------------------------------------------------------------


def test_host_guest_of_honour_cohost_and_alternation_on_a_round_table() -> None:
    plan = plan_seating(
        attendees=[G3, G1, G4, G2], hosts=[H1, H2, H3, H4], tables=[Table(1, 8)],
        precedence=[G1, G2, G3, G4, H3, H4],
    )
    assert seating(plan) == {1: H1, 2: G1, 5: H2, 6: G2, 8: G3, 4: G4, 3: H3, 7: H4}
    assert plan.unseated == ()
    assert plan.hosts == frozenset({H1, H2, H3, H4})
    # Round the table, guests and hosts alternate.
    sides = ["host" if seating(plan)[s] < 100 else "guest" for s in range(1, 9)]
    assert sides == ["host", "guest"] * 4


def test_head_table_puts_the_guest_of_honour_at_the_hosts_right() -> None:
    plan = plan_seating([G1, G2, G3], [H1, H2], [Table(1, 5, HEAD)], [G1, G2, G3])
    assert seating(plan) == {3: H1, 4: G1, 2: G2, 5: H2, 1: G3}


def test_rectangular_table_french_style() -> None:
    plan = plan_seating([G1, G2, G3, G4], [H1, H2, H3, H4], [Table(1, 8, RECTANGULAR)],
                        [G1, G2, G3, G4, H3, H4])
    assert seating(plan) == {2: H1, 3: G1, 7: H2, 8: G2, 1: G3, 6: G4, 4: H3, 5: H4}


def test_each_table_gets_a_host_while_hosts_last() -> None:
    guests = [G1, G2, G3, G4, G5, G6]
    plan = plan_seating(guests, [H1, H2], [Table(1, 4), Table(2, 4)], guests)
    assert seating(plan, 1) == {1: H1, 2: G1, 3: G2, 4: G3}
    assert seating(plan, 2) == {1: H2, 2: G4, 3: G5, 4: G6}


def test_two_tables_in_order_of_importance() -> None:
    guests = [G1, G2, G3, G4, G5, G6, G7, G8]
    plan = plan_seating(guests, [H1, H2, H3, H4, H5, H6], [Table(1, 8), Table(2, 6)],
                        [*guests, H3, H4, H5, H6])
    assert seating(plan, 1) == {1: H1, 2: G1, 5: H2, 6: G2, 8: G3, 4: G4, 3: H3, 7: H4}
    assert seating(plan, 2) == {1: H5, 2: G5, 4: H6, 5: G6, 6: G7, 3: G8}


def test_people_not_in_the_precedence_follow_in_the_order_given() -> None:
    plan = plan_seating([G3, G2, G1], [H1], [Table(1, 4)], precedence=[G1])
    assert seating(plan) == {1: H1, 2: G1, 3: G3, 4: G2}


def test_locked_seats_are_kept() -> None:
    plan = plan_seating([G1, G2, G3, G4], [H1, H2, H3, H4], [Table(1, 8)],
                        [G1, G2, G3, G4, H3, H4], locked={(1, 7): G1, SeatRef(1, 3): H4})
    assert seating(plan) == {7: G1, 3: H4, 1: H1, 2: G2, 5: H2, 6: G3, 8: G4, 4: H3}


def test_interpreter_beside_the_principal_away_from_the_host() -> None:
    plan = plan_seating([G1, G2, G3], [H1, H2], [Table(1, 8)], [G1, G2, G3],
                        interpreters={201: G1})
    assert seating(plan) == {1: H1, 2: G1, 3: 201, 5: H2, 6: G2, 8: G3}
    assert plan.interpreters == {201: G1}


def test_interpreter_behind_the_principal() -> None:
    plan = plan_seating([G1, G2], [H1], [Table(1, 4)], [G1, G2], interpreters={201: G1},
                        interpreters_at_table=False)
    assert SeatAssignment(SeatRef(1, 2), 201, behind=True) in plan.assignments
    assert plan.behind_of((1, 2)) == (201,)
    assert plan.seat_of(201) is None
    assert seating(plan) == {1: H1, 2: G1, 3: G2}


def test_interpreter_goes_behind_rather_than_take_a_seat_someone_needs() -> None:
    plan = plan_seating([G1, G2, G3], [H1], [Table(1, 4)], [G1, G2, G3],
                        interpreters={201: G1})
    assert seating(plan) == {1: H1, 2: G1, 3: G2, 4: G3}
    assert plan.behind_of((1, 2)) == (201,)
    assert plan.unseated == ()


def test_couples_together() -> None:
    plan = plan_seating([G1, G2, G3, 109], [H1, H2], [Table(1, 8)], [G1, G2, G3, 109],
                        couples=[(G1, 109)], couples_together=True)
    assert seating(plan) == {1: H1, 2: G1, 3: 109, 5: H2, 6: G2, 8: G3}


def test_couples_apart_when_the_order_allows() -> None:
    args = ([G1, G2, G3, G4], [H1, H2, H3, H4], [Table(1, 8)], [G1, G2, G3, G4, H3, H4])
    together = plan_seating(*args)
    assert together.person_at((1, 3)) == H3 and together.person_at((1, 4)) == G4
    apart = plan_seating(*args, couples=[(H3, G4)], couples_together=False)
    assert seating(apart) == {1: H1, 2: G1, 5: H2, 6: G2, 8: G3, 4: G4, 3: H4, 7: H3}


def test_not_enough_seats_leaves_the_lowest_ranked_unseated() -> None:
    plan = plan_seating([G1, G2, G3, G4], [H1], [Table(1, 3)], [G1, G2, G3, G4],
                        interpreters={201: G4})
    assert seating(plan) == {1: H1, 2: G1, 3: G2}
    assert plan.unseated == (G3, G4, 201)


def test_bad_locks_and_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="locked seat 9 at table 1 does not exist"):
        plan_seating([G1], [H1], [Table(1, 8)], locked={(1, 9): G1})
    with pytest.raises(ValueError, match="locked in two seats"):
        plan_seating([G1], [H1], [Table(1, 8)], locked={(1, 2): G1, (1, 3): G1})
    with pytest.raises(ValueError, match="table numbers must be distinct"):
        plan_seating([G1], [H1], [Table(1, 8), Table(1, 4)])


# -- invariants on random input -----------------------------------------------------------


@st.composite
def tables_strategy(draw) -> list[Table]:
    count = draw(st.integers(1, 3))
    tables = []
    for number in range(1, count + 1):
        shape = draw(st.sampled_from([ROUND, RECTANGULAR, HEAD]))
        seats = draw(st.integers(1, 6)) * 2 if shape == RECTANGULAR else draw(st.integers(1, 12))
        tables.append(Table(number, seats, shape))
    return tables


@st.composite
def seating_problem(draw):
    tables = draw(tables_strategy())
    hosts = list(range(1, draw(st.integers(0, 6)) + 1))
    guests = list(range(101, 101 + draw(st.integers(0, 16))))
    principals = hosts + guests
    interpreters: dict[int, int] = {}
    if principals:
        for k in range(draw(st.integers(0, 3))):
            interpreters[201 + k] = draw(st.sampled_from(principals))
    everyone = principals + list(interpreters)
    precedence = draw(st.permutations(everyone))
    all_seats = [SeatRef(t.number, s) for t in tables for s in range(1, t.seats + 1)]
    locked: dict[SeatRef, int] = {}
    if everyone:
        seats = draw(st.lists(st.sampled_from(all_seats), unique=True, max_size=4))
        people = draw(st.lists(st.sampled_from(everyone), unique=True, min_size=len(seats),
                               max_size=len(seats))) if len(seats) <= len(everyone) else []
        locked = dict(zip(seats, people, strict=False))
    couples = []
    if len(principals) >= 2:
        pairs = draw(st.lists(st.lists(st.sampled_from(principals), min_size=2, max_size=2,
                                       unique=True), max_size=3))
        couples = [tuple(p) for p in pairs]
    return {
        "attendees": guests + list(interpreters),
        "hosts": hosts,
        "tables": tables,
        "precedence": list(precedence),
        "locked": locked,
        "interpreters": interpreters,
        "couples": couples,
        "couples_together": draw(st.booleans()),
        "interpreters_at_table": draw(st.booleans()),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seating_problem())
def test_seating_invariants(problem) -> None:
    plan = plan_seating(**problem)
    tables = {t.number: t for t in problem["tables"]}
    interpreters = problem["interpreters"]
    locked = problem["locked"]

    # Nobody is seated twice; no seat holds two people; every seat exists.
    ids = [a.person_id for a in plan.assignments]
    assert len(ids) == len(set(ids))
    at_table = [a.seat for a in plan.assignments if not a.behind]
    assert len(at_table) == len(set(at_table))
    assert all(tables[s.table].has_seat(s.seat) for s in at_table)

    # Locked seats stay.
    for seat, pid in locked.items():
        assert plan.person_at(seat) == pid

    # Everyone is seated when there are enough seats (interpreters may sit behind).
    everyone = set(problem["hosts"]) | set(problem["attendees"])
    needing = (everyone - set(interpreters)) | (set(locked.values()) & set(interpreters))
    if sum(t.seats for t in tables.values()) >= len(needing):
        assert plan.unseated == ()
    assert set(plan.unseated) | set(ids) == everyone
    assert not set(plan.unseated) & set(ids)

    # Interpreters sit beside or behind their principal when both have a place.
    for interpreter, principal in interpreters.items():
        where = plan.seat_of(principal)
        if where is None or interpreter in locked.values() or interpreter not in ids:
            continue
        beside = plan.neighbours_of(principal)
        assert interpreter in beside or interpreter in plan.behind_of(where)

    # The guest of honour is at the host's right, unless locks or table size prevent it.
    first = problem["tables"][0]
    host_seat = SeatRef(first.number, first.host_seat)
    right_seat = first.guest_of_honour_seat
    free_guests = [
        p for p in problem["precedence"]
        if p in everyone and p >= 100 and p not in interpreters and p not in locked.values()
    ]
    hosts = problem["hosts"]
    if (
        hosts
        and hosts[0] not in locked.values()
        and free_guests
        and right_seat is not None
        and host_seat not in locked
        and SeatRef(first.number, right_seat) not in locked
    ):
        GUEST_OF_HONOUR_CHECKED.append(1)
        assert plan.person_at(host_seat) == hosts[0]
        assert plan.person_at((first.number, right_seat)) == free_guests[0]


GUEST_OF_HONOUR_CHECKED: list[int] = []


def test_the_guest_of_honour_invariant_was_exercised() -> None:
    GUEST_OF_HONOUR_CHECKED.clear()
    test_seating_invariants()
    assert len(GUEST_OF_HONOUR_CHECKED) > 50


@given(seating_problem())
@settings(max_examples=50, deadline=None)
def test_seating_is_deterministic(problem) -> None:
    assert plan_seating(**problem) == plan_seating(**problem)


# -- checks -------------------------------------------------------------------------------

PEOPLE = {
    H1: person(H1, "Weber", "Lena", languages=("de", "en"), dietary=""),
    G1: person(G1, "Silva", "João", languages=("pt",), dietary="Vegetarian"),
    H2: person(H2, "Tanaka", "Haruto", name_order="family_first", languages=("ja",),
               dietary="vegetarian"),
    G2: person(G2, "Okonkwo", "Ngozi", languages=("en-GB", "yo"), dietary="halal"),
    201: person(201, "Costa", "Rita", languages=("pt", "en")),
    G3: person(G3, "Morgan", "Alex", languages=(), dietary=""),
}


def manual_plan(*seats: tuple[int, int, int], behind=(), interpreters=None, unseated=()):
    assignments = [SeatAssignment(SeatRef(t, s), pid) for t, s, pid in seats]
    assignments += [SeatAssignment(SeatRef(t, s), pid, behind=True) for t, s, pid in behind]
    return SeatingPlan((Table(1, 4), Table(2, 2)), tuple(assignments), tuple(unseated),
                       interpreters or {}, frozenset({H1, H2}))


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_a_guest_with_no_common_language_and_no_interpreter_is_flagged() -> None:
    plan = manual_plan((1, 1, H1), (1, 2, G1), (1, 3, H2), (1, 4, G2))
    findings = [f for f in check_seating(plan, PEOPLE) if f.code == "no_shared_language"]
    # Silva (pt) sits between Tanaka (ja) and Weber (de, en).  Okonkwo (en-GB) can talk
    # to Weber; hosts are not judged.
    assert [f.message for f in findings] == [
        "João Silva (table 1, seat 2) shares no language with either neighbour "
        "(Tanaka Haruto and Lena Weber) and has no interpreter beside them",
    ]
    assert findings[0].severity == "warning"
    assert findings[0].person_ids == (G1, H2, H1)
    assert findings[0].seats == (SeatRef(1, 2),)


def test_an_interpreter_beside_or_behind_removes_the_finding() -> None:
    beside = manual_plan((1, 1, H1), (1, 2, G1), (1, 3, 201), (1, 4, G2),
                         interpreters={201: G1})
    assert "no_shared_language" not in codes(check_seating(beside, PEOPLE))
    # Okonkwo (en) talks to Silva (pt) through Silva's interpreter behind him.
    behind = manual_plan((1, 1, H1), (1, 2, G1), (1, 3, G2), behind=[(1, 2, 201)],
                         interpreters={201: G1})
    assert "no_shared_language" not in codes(check_seating(behind, PEOPLE))
    # An interpreter somewhere else does not help.
    elsewhere = manual_plan((1, 1, H1), (1, 2, G1), (1, 3, H2), (2, 1, 201),
                            interpreters={201: G1})
    assert codes(check_seating(elsewhere, PEOPLE)).count("no_shared_language") == 1


def test_languages_compare_by_primary_subtag_and_unknowns_are_not_judged() -> None:
    plan = manual_plan((1, 1, H1), (1, 2, G2), (1, 3, G3))  # en vs en-GB; Morgan unknown
    assert "no_shared_language" not in codes(check_seating(plan, PEOPLE.values()))


def test_not_together_unseated_and_double_seats() -> None:
    plan = manual_plan((1, 1, H1), (1, 2, G1), (1, 2, G2), (2, 1, G1), unseated=(G3,))
    findings = check_seating(plan, PEOPLE, not_together=[(G1, H1)], attendees=[H2, G3])
    assert [(f.severity, f.code, f.message) for f in findings] == [
        ("error", "unseated", "Alex Morgan has no seat"),
        ("error", "unseated", "Tanaka Haruto has no seat"),
        ("error", "seat_taken_twice", "Seat 2 at table 1 is given to João Silva and "
                                      "Ngozi Okonkwo"),
        ("error", "seated_twice", "João Silva is seated twice: seat 2 at table 1 and seat 1 "
                                  "at table 2"),
        ("warning", "no_shared_language", "João Silva (table 1, seat 2) shares no language "
                                          "with either neighbour (Lena Weber) and has no "
                                          "interpreter beside them"),
        ("warning", "not_together_adjacent", "João Silva and Lena Weber should not sit "
                                             "together but are neighbours at table 1 "
                                             "(seats 2 and 1)"),
        ("info", "dietary_summary", "Table 1 (3 seated): Vegetarian × 1 (João Silva); "
                                    "halal × 1 (Ngozi Okonkwo); no dietary needs on record × 1"),
        ("info", "dietary_summary", "Table 2 (1 seated): Vegetarian × 1 (João Silva)"),
    ]


def test_a_seat_that_does_not_exist() -> None:
    plan = manual_plan((1, 9, H1), (3, 1, G1))
    messages = [f.message for f in check_seating(plan, PEOPLE) if f.code == "seat_not_on_table"]
    assert messages == [
        "Lena Weber is placed at seat 9 of table 1, which does not exist",
        "João Silva is placed at seat 1 of table 3, which does not exist",
    ]


def test_dietary_summary_for_the_caterer() -> None:
    plan = manual_plan((1, 1, H1), (1, 2, G1), (1, 3, H2), (1, 4, G2), (2, 1, G3),
                       behind=[(1, 2, 201)])
    assert dietary_by_table(plan, PEOPLE) == {
        1: {"": (H1,), "Vegetarian": (G1, H2), "halal": (G2,)},
        2: {"": (G3,)},
    }
    infos = [f for f in check_seating(plan, PEOPLE) if f.code == "dietary_summary"]
    assert [f.message for f in infos] == [
        "Table 1 (4 seated): Vegetarian × 2 (João Silva, Tanaka Haruto); halal × 1 "
        "(Ngozi Okonkwo); no dietary needs on record × 1",
        "Table 2 (1 seated): no dietary needs on record × 1",
    ]
    assert infos[0].table == 1


def test_a_planned_dinner_checks_clean_and_findings_serialise() -> None:
    plan = plan_seating([G1, G2], [H1, H2], [Table(1, 6)], [G1, G2],
                        interpreters={201: G1})
    assert seating(plan) == {1: H1, 2: G1, 3: 201, 4: H2, 5: G2}
    english_speaking_cohost = person(H2, "Tanaka", "Haruto", name_order="family_first",
                                     languages=("ja", "en"))
    findings = check_seating(plan, PEOPLE | {H2: english_speaking_cohost})
    assert [f.severity for f in findings] == ["info"]
    assert json.loads(json.dumps(findings[0].to_dict()))["code"] == "dietary_summary"
