"""Seating by kind of event: who is placed, and the layout of each arrangement."""

from __future__ import annotations

import pytest

from protocol_app.rules.arrangements import (
    Arrangement,
    Attendee,
    default_arrangement,
    plan_cars,
    plan_facing,
    plan_receiving_line,
    plan_rows,
    plan_signing,
    seating_roster,
)
from protocol_app.rules.seating import ROUND, SeatRef, Table, plan_seating

# A ministerial visit: ids follow precedence (1 highest) within each list.
GUESTS = [Attendee(1, "guest", "head"), Attendee(2, "guest", "member"),
          Attendee(3, "guest", "member"), Attendee(4, "guest", "interpreter"),
          Attendee(5, "guest", "security"), Attendee(6, "guest", "staff")]
HOSTS = [Attendee(11, "host", "host"), Attendee(12, "host", "host"),
         Attendee(13, "host", "host"), Attendee(14, "host", "staff"),
         Attendee(15, "host", "escort")]
EVERYONE = GUESTS + HOSTS
PRECEDENCE = [1, 11, 2, 12, 3, 13, 6, 14, 15, 4, 5]


@pytest.mark.parametrize(("kind", "title", "expected"), [
    ("meal", "State dinner", Arrangement.TABLES),
    ("meal", "Reception for the Diplomatic Corps", Arrangement.RECEIVING_LINE),
    ("ceremony", "Signing of the Memorandum of Understanding", Arrangement.SIGNING),
    ("ceremony", "Honorary doctorate", Arrangement.ROWS),
    ("meeting", "Bilateral meeting with the Minister", Arrangement.FACING),
    ("meeting", "Public lecture by the Minister", Arrangement.ROWS),
    ("transport", "Motorcade to the airport", Arrangement.CARS),
    ("tour", "Laboratory tour", None),
    ("private", "Rest at the hotel", None),
])
def test_each_kind_of_event_has_its_arrangement(kind, title, expected) -> None:
    assert default_arrangement(kind, title) == expected


def test_people_on_duty_are_left_out_with_the_reason() -> None:
    roster = seating_roster(EVERYONE, PRECEDENCE, Arrangement.TABLES, host=11)
    assert {lo.person_id for lo in roster.left_out} == {5, 6, 14, 15}
    assert all(lo.reason for lo in roster.left_out)
    assert 5 not in roster.precedence and 4 in roster.precedence  # interpreters are seated
    assert roster.hosts == (11, 12, 13)


def test_staff_seated_on_demand_never_outrank_guests_of_rank() -> None:
    roster = seating_roster(EVERYONE, [14, *PRECEDENCE], Arrangement.TABLES, host=11,
                            seat_anyway={14})
    assert roster.precedence[-1] == 14 and 14 not in roster.hosts
    plan = plan_seating(roster.precedence, roster.hosts, [Table(1, 10, ROUND)], roster.precedence)
    honour = {ref: i for i, ref in enumerate(
        SeatRef(t.number, s) for t in plan.tables for s in t.honour_order())}
    staff_place = honour[plan.seat_of(14)]
    for guest in (1, 2, 3):
        assert honour[plan.seat_of(guest)] < staff_place


def test_the_host_heads_the_host_side_and_the_cohost_follows_precedence() -> None:
    roster = seating_roster(EVERYONE, [13, 12, *PRECEDENCE], Arrangement.TABLES, host=11)
    assert roster.hosts == (11, 13, 12)


def test_a_signing_table_seats_the_two_signatories_and_witnesses_stand_behind() -> None:
    roster = seating_roster(EVERYONE, PRECEDENCE, Arrangement.SIGNING, host=11)
    plan = plan_signing(roster, EVERYONE)
    [table] = plan.tables
    assert table.seats == 2
    assert plan.person_at((1, 1)) == 11 and plan.person_at((1, 2)) == 1  # guest at host's right
    assert plan.behind_of((1, 1)) == (12, 13)
    assert plan.behind_of((1, 2)) == (2, 3, 4)


def test_a_meeting_sets_head_opposite_head() -> None:
    roster = seating_roster(EVERYONE, PRECEDENCE, Arrangement.FACING, host=11)
    plan = plan_facing(roster, EVERYONE, {4: 1})
    [table] = plan.tables
    host_seat = plan.seat_of(11).seat
    assert table.opposite(host_seat) == plan.seat_of(1).seat
    k = table.seats // 2
    assert all(plan.seat_of(p).seat <= k for p in (11, 12, 13))  # hosts on the near side
    assert all(plan.seat_of(p).seat > k for p in (1, 2, 3))
    assert plan.seat_of(12).seat == table.right_of(host_seat)  # second at the head's right
    assert plan.behind_of(plan.seat_of(1)) == (4,)  # the interpreter behind the minister


def test_a_meetings_interpreter_can_sit_at_the_principals_left() -> None:
    roster = seating_roster(EVERYONE, PRECEDENCE, Arrangement.FACING, host=11)
    plan = plan_facing(roster, EVERYONE, {4: 1}, interpreters_at_table=True)
    [table] = plan.tables
    assert plan.seat_of(4).seat == table.left_of(plan.seat_of(1).seat)
    assert plan.seat_of(2).seat == table.right_of(plan.seat_of(1).seat)


def test_a_reception_has_a_receiving_line_and_an_order_of_announcement() -> None:
    roster = seating_roster(EVERYONE, PRECEDENCE, Arrangement.RECEIVING_LINE, host=11)
    line = plan_receiving_line(roster, EVERYONE, guest_of_honour=1)
    assert line.line == (11, 1, 12, 13)
    assert line.announced == (2, 3, 4)
    assert not Arrangement.RECEIVING_LINE.has_seats


def test_front_rows_put_the_host_in_the_middle_and_the_guest_of_honour_at_his_right() -> None:
    roster = seating_roster(EVERYONE, PRECEDENCE, Arrangement.ROWS, host=11)
    plan = plan_rows(roster, EVERYONE, row_seats=4, interpreters={4: 1})
    first = plan.tables[0]
    assert plan.person_at((1, first.host_seat)) == 11
    assert plan.person_at((1, first.right_of(first.host_seat))) == 1
    assert [t.name for t in plan.tables] == ["Row A", "Row B"]
    assert plan.behind_of(plan.seat_of(1)) == (4,)


def test_a_motorcade_puts_the_principals_in_car_one_with_their_protection_in_front() -> None:
    roster = seating_roster(EVERYONE, PRECEDENCE, Arrangement.CARS, host=11)
    assert roster.left_out == ()
    plan = plan_cars(roster, EVERYONE, interpreters={4: 1})
    car = plan.tables[0]
    assert car.shape == "car" and car.name.startswith("Car 1")
    assert plan.person_at((1, 1)) == 1  # rear right: the guest of honour
    assert plan.person_at((1, 2)) == 11  # rear left: the host
    assert plan.person_at((1, 3)) == 5  # front: the minister's close protection
    assert plan.seat_of(4) is not None and plan.seat_of(4).table == 2  # interpreter next car
    seated = [a.person_id for a in plan.assignments]
    assert sorted(seated) == sorted(a.person_id for a in EVERYONE)


def test_no_car_is_opened_for_one_rider_while_a_front_seat_is_free() -> None:
    # five riders and no close protection: two rear pairs, the fifth rides in front
    riders = [Attendee(1, "guest", "head"), Attendee(2, "guest", "member"),
              Attendee(3, "guest", "member"), Attendee(11, "host", "host"),
              Attendee(12, "host", "host")]
    roster = seating_roster(riders, [1, 11, 2, 12, 3], Arrangement.CARS, host=11)
    plan = plan_cars(roster, riders)
    assert len(plan.tables) == 2
    assert plan.person_at((2, 3)) == 3  # the lowest in precedence, front passenger
    assert plan.person_at((1, 1)) == 1 and plan.person_at((1, 2)) == 11
