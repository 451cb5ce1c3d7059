"""Seating plans through the service: stored, locked, re-planned, edited by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_app.errors import ConflictError, NotFoundError, StaleWriteError, ValidationError
from protocol_app.rules.seating import Table
from protocol_app.services import Services
from protocol_app.services.protocol.values import (
    SeatingOptions,
    SeatSpec,
    parse_tables,
    suggest_tables,
)
from tests.support.demo_refs import AS_MEAL, MINISTERIAL, RECEPTION, RECEPTION_GUESTS, person_id

HEAD, INTERPRETER, DO = "Võ Thanh Tùng", "Trịnh Văn Long", "Đỗ Quang Huy"


def occupant(view, table: int, seat: int) -> str | None:
    person = view.person_at(table, seat)
    return person.display_name if person else None


def test_no_plan_yet_then_an_automatic_plan_is_stored(demo_services, db_path) -> None:
    empty = demo_services.seating.seating_plan(RECEPTION, "r04")
    assert not empty.stored and empty.tables == () and empty.version == 0
    # a reception: nobody waits for a seat; the staff and the escort are on duty
    assert empty.unseated == () and len(empty.receiving_line) + len(empty.announced) == 13
    assert [lo.person.display_name for lo in empty.left_out] == [
        "Ethan Caldwell", "Małgorzata Wiśniewska"]

    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    assert view.stored and view.version == 1
    assert [(t.shape, t.seat_count) for t in view.tables] == [("rectangular", 14)]
    table = view.tables[0]
    assert occupant(view, 1, table.host_seat) == "Caroline Mercer"  # the event's host
    assert occupant(view, 1, table.guest_of_honour_seat) == RECEPTION_GUESTS[0]
    assert table.place(table.host_seat).marker == "host"
    assert table.place(table.guest_of_honour_seat).marker == "guest_of_honour"
    assert occupant(view, 1, table.cohost_seat) == "Szabó Katalin"  # second host: the Provost
    assert view.unseated == ()
    assert demo_services.audit.list("seating_plan")[0].action == "create"

    # stored: another session (another workstation) reads the same plan
    other = Services.open(db_path, actor="someone else")
    try:
        again = other.seating.seating_plan(RECEPTION, "r04")
    finally:
        other.close()
    assert again.seats() == view.seats() and again.version == view.version


def test_the_checker_and_dietary_needs_per_table(demo_services) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    notes = {n.need: n.names for n in view.tables[0].dietary}
    assert notes["Halal; no alcohol"] == ("Faris al-Khatib",)
    assert "None" not in notes  # "None" on record is no dietary need
    assert [f.code for f in view.findings] == ["dietary_summary"]


def test_a_preview_is_not_saved(demo_services) -> None:
    preview = demo_services.seating.preview_plan(RECEPTION, "r04", parse_tables("round:8, round:8"))
    assert not preview.stored and len(preview.tables) == 2
    assert not demo_services.seating.seating_plan(RECEPTION, "r04").stored


def test_locked_seats_are_kept_when_planning_again(demo_services) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    adler = person_id(demo_services, RECEPTION, "Yonatan Adler")
    view = demo_services.seating.move_seat(RECEPTION, "r04", adler, (1, 1),
                                           expected_version=view.version)
    view = demo_services.seating.lock(RECEPTION, "r04", (1, 1), expected_version=view.version)
    assert view.place(1, 1).locked and occupant(view, 1, 1) == "Yonatan Adler"

    replanned = demo_services.seating.plan_seating(RECEPTION, "r04", [Table(1, 10), Table(2, 8)],
                                      expected_version=view.version)
    assert occupant(replanned, 1, 1) == "Yonatan Adler" and replanned.place(1, 1).locked
    assert sum(1 for p in replanned.tables[0].places if p.locked) == 1
    assert replanned.unseated == ()
    assert "keeping 1 locked seats" in demo_services.audit.list("seating_plan")[0].summary
    with pytest.raises(ConflictError, match="unlock it first"):
        demo_services.seating.move_seat(RECEPTION, "r04", adler, (2, 8))

    # a lock on a seat the new tables lack is a clear error, and nothing changes
    demo_services.seating.unlock(RECEPTION, "r04", (1, 1))
    demo_services.seating.move_seat(RECEPTION, "r04", adler, (2, 8))
    current = demo_services.seating.lock(RECEPTION, "r04", (2, 8))
    with pytest.raises(ValidationError, match="unlock it first"):
        demo_services.seating.plan_seating(RECEPTION, "r04", [Table(1, 16, "rectangular")])
    assert demo_services.seating.seating_plan(RECEPTION, "r04").seats() == current.seats()


def test_swap_move_and_lock_are_version_checked_and_audited(demo_services) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    a, b = occupant(view, 1, 1), occupant(view, 1, 2)
    swapped = demo_services.seating.swap(RECEPTION, "r04", (1, 1), (1, 2),
                                         expected_version=view.version)
    assert (occupant(swapped, 1, 1), occupant(swapped, 1, 2)) == (b, a)
    assert swapped.version == view.version + 1
    with pytest.raises(StaleWriteError):
        demo_services.seating.swap(RECEPTION, "r04", (1, 1), (1, 2), expected_version=view.version)
    entry = demo_services.audit.list("seating_plan")[0]
    assert entry.summary.startswith("Swapped seat 1 at table 1 and seat 2 at table 1")

    locked = demo_services.seating.lock(RECEPTION, "r04", (1, 1), expected_version=swapped.version)
    with pytest.raises(ConflictError, match="locked"):
        demo_services.seating.swap(RECEPTION, "r04", (1, 1), (1, 3))
    with pytest.raises(ValidationError, match="does not exist"):
        demo_services.seating.swap(RECEPTION, "r04", (1, 3), (1, 99))
    with pytest.raises(ValidationError, match="empty"):
        free = next(p.seat for p in locked.tables[0].places if p.person is None)
        demo_services.seating.lock(RECEPTION, "r04", (1, free))  # the one free seat of 14
    unlocked = demo_services.seating.unlock(RECEPTION, "r04", (1, 1),
                                            expected_version=locked.version)
    assert not unlocked.place(1, 1).locked


def test_unseat_and_seat_a_person(demo_services) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    tan = person_id(demo_services, RECEPTION, "Tan Hui Min")
    view = demo_services.seating.move_seat(RECEPTION, "r04", tan, None)
    assert view.seat_of(tan) is None and [p.display_name for p in view.unseated] == [
        "Tan Hui Min"]
    assert any(f.code == "unseated" and f.person_ids == (tan,) for f in view.findings)
    # into an occupied seat: its occupant is unseated instead
    other = occupant(view, 1, 1)
    view = demo_services.seating.move_seat(RECEPTION, "r04", tan, (1, 1))
    assert occupant(view, 1, 1) == "Tan Hui Min"
    assert [p.display_name for p in view.unseated] == [other]
    outsider = demo_services.people.create(family_name="Outsider")
    with pytest.raises(ValidationError, match="does not attend"):
        demo_services.seating.move_seat(RECEPTION, "r04", outsider.id, (1, 2))


def test_interpreters_sit_with_their_principal(demo_services) -> None:
    head = person_id(demo_services, MINISTERIAL, HEAD)
    interpreter = person_id(demo_services, MINISTERIAL, INTERPRETER)
    view = demo_services.seating.plan_seating(MINISTERIAL, "e17")
    assert dict(view.interpreters) == {interpreter: head}  # default: head of delegation
    seat = view.seat_of(head)
    table = view.table(seat.table).to_table()
    neighbours = {view.person_at(seat.table, s).id for s in table.neighbours(seat.seat)}
    assert interpreter in neighbours

    # behind the principal when asked
    behind = demo_services.seating.plan_seating(
        MINISTERIAL, "e17", options=SeatingOptions(interpreters_at_table=False))
    place = behind.place(*behind.seat_of(head))
    assert [p.id for p in place.behind] == [interpreter]
    assert behind.seat_of(interpreter) is None and interpreter in behind.seated_ids

    # or for someone else, as stored in the plan
    do = person_id(demo_services, MINISTERIAL, DO)
    other = demo_services.seating.plan_seating(
        MINISTERIAL, "e17", options=SeatingOptions(interpreters=((interpreter, do),)))
    assert dict(other.interpreters) == {interpreter: do}
    seat = other.seat_of(do)
    table = other.table(seat.table).to_table()
    assert interpreter in {other.person_at(seat.table, s).id
                           for s in table.neighbours(seat.seat)}


def test_pairs_kept_apart_and_couples(demo_services) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    a, b = view.person_at(1, 1).id, view.person_at(1, 2).id
    flagged = demo_services.seating.set_seating_options(
        RECEPTION, "r04", SeatingOptions(not_together=((a, b),)),  # keeps the arrangement
        expected_version=view.version)
    assert any(f.code == "not_together_adjacent" for f in flagged.findings)
    assert flagged.seats() == view.seats()  # options alone move nobody
    replanned = demo_services.seating.plan_seating(RECEPTION, "r04")  # the stored options
    assert replanned.options.not_together == ((a, b),)
    # couples side by side
    mercer = person_id(demo_services, RECEPTION, "Caroline Mercer")
    okafor = person_id(demo_services, RECEPTION, "Samuel Okafor")
    together = demo_services.seating.plan_seating(
        RECEPTION, "r04", options=replace(AS_MEAL, couples=((mercer, okafor),)))
    seat = together.seat_of(mercer)
    table = together.table(seat.table).to_table()
    assert okafor in {together.person_at(seat.table, s).id
                      for s in table.neighbours(seat.seat)}
    with pytest.raises(ValidationError):
        demo_services.seating.set_seating_options(RECEPTION, "r04",
                                                  SeatingOptions(couples=((a, a),)))


def test_saving_a_plan_as_given_is_validated(demo_services) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    seats = list(view.seats())
    twice = [*seats, SeatSpec(1, 9, seats[0].person_id)]
    with pytest.raises(ValidationError, match="seated twice"):
        demo_services.seating.save_plan(RECEPTION, "r04", view.table_specs(), twice)
    clash = [*seats[1:], SeatSpec(seats[1].table, seats[1].seat, seats[0].person_id)]
    with pytest.raises(ValidationError, match="given twice"):
        demo_services.seating.save_plan(RECEPTION, "r04", view.table_specs(), clash)
    saved = demo_services.seating.save_plan(RECEPTION, "r04", view.table_specs(), seats,
                               expected_version=view.version)
    assert saved.seats() == view.seats() and saved.version == view.version + 1
    demo_services.seating.delete_plan(RECEPTION, "r04", expected_version=saved.version)
    assert not demo_services.seating.seating_plan(RECEPTION, "r04").stored


def test_only_meals_and_ceremonies_have_plans(demo_services) -> None:
    assert [e.ref for e in demo_services.seating.seating_events(RECEPTION)] == ["r03", "r04"]
    with pytest.raises(ValidationError, match="only meals, ceremonies, meetings"):
        demo_services.seating.seating_plan(RECEPTION, "r01")
    with pytest.raises(NotFoundError, match="r03, r04"):
        demo_services.seating.seating_plan(RECEPTION, "r99")
    with pytest.raises(ValidationError):
        parse_tables("oval:10")
    assert suggest_tables(8) == (Table(1, 8),)
    assert suggest_tables(15) == (Table(1, 16, "rectangular"),)
    assert len(suggest_tables(31)) == 4


# -- random plans -----------------------------------------------------------------------

TABLES = st.lists(
    st.one_of(
        st.tuples(st.just("round"), st.integers(1, 12)),
        st.tuples(st.just("rectangular"), st.integers(1, 8).map(lambda k: 2 * k)),
        st.tuples(st.just("head"), st.integers(1, 10)),
    ),
    min_size=1, max_size=3,
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=TABLES, lock_seed=st.integers(0, 2**16))
def test_random_plans_respect_the_convention(demo_services, tables, lock_seed) -> None:
    current = demo_services.seating.seating_plan(RECEPTION, "r04")
    if current.stored:
        demo_services.seating.delete_plan(RECEPTION, "r04")
    specs = [Table(i + 1, n, shape) for i, (shape, n) in enumerate(tables)]
    view = demo_services.seating.plan_seating(RECEPTION, "r04", specs)
    check_plan(view, sum(n for _, n in tables))
    first = view.tables[0]
    assert occupant(view, 1, first.host_seat) == "Caroline Mercer"
    if first.guest_of_honour_seat is not None:
        assert occupant(view, 1, first.guest_of_honour_seat) == RECEPTION_GUESTS[0]

    # lock a few seats, plan again: the locked people stay where they are
    occupied = [p for t in view.tables for p in t.places if p.person is not None]
    chosen = [p for i, p in enumerate(occupied) if (lock_seed >> (i % 16)) & 1][:4]
    for place in chosen:
        view = demo_services.seating.lock(RECEPTION, "r04", (place.table, place.seat))
    again = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    check_plan(again, sum(n for _, n in tables))
    for place in chosen:
        assert again.person_at(place.table, place.seat).id == place.person.id
        assert again.place(place.table, place.seat).locked


def check_plan(view, capacity: int) -> None:
    """Nobody seated twice, no seat given twice, everyone seated while seats last."""
    seated = [p.person.id for t in view.tables for p in t.places if p.person is not None]
    behind = [b.id for t in view.tables for p in t.places for b in p.behind]
    assert len(seated + behind) == len(set(seated + behind))
    assert not {f.code for f in view.findings} & {"seated_twice", "seat_taken_twice",
                                                   "seat_not_on_table"}
    on_duty = len(view.left_out)
    assert len(seated) + len(view.unseated) + len(behind) + on_duty == len(view.attendee_ids)
    assert len(seated) == min(capacity, len(view.attendee_ids) - on_duty)
