"""Clash checks across time zones and daylight-saving changes."""

from __future__ import annotations

import json
from datetime import date

from protocol_app.rules.conflicts import (
    Finding,
    check_double_bookings,
    check_emails,
    check_event_times,
    check_head_of_delegation,
    check_meal_dietary,
    check_travel_time,
    check_venues,
    check_visit,
    check_visit_dates,
    format_event_time,
    sort_findings,
)
from tests.support.record_factories import event, person, utc, visit

SILVA = person(1, "Silva", "João", email="joao.silva@itamaraty.gov.br", dietary="none")
OKONKWO = person(2, "Okonkwo", "Ngozi", email="n.okonkwo@example.ng", dietary="halal")
TANAKA = person(3, "Tanaka", "Haruto", name_order="family_first", dietary="vegetarian")
WEBER = person(4, "Weber", "Lena", email="weber@uni.example", dietary="")

PEOPLE = [(SILVA, "guest", "head"), (OKONKWO, "guest", "member"), (TANAKA, "host", "host"),
          (WEBER, "host", "host")]

NY, BERLIN, LONDON, TOKYO = "America/New_York", "Europe/Berlin", "Europe/London", "Asia/Tokyo"


def messages(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings]


# -- double bookings ----------------------------------------------------------------------


def test_events_in_different_zones_are_compared_as_instants() -> None:
    breakfast = event(1, "Breakfast at the UN", utc(2027, 3, 16, 12), utc(2027, 3, 16, 13), NY,
                      attendee_ids=(1,))
    call = event(2, "Call with the Berlin office", utc(2027, 3, 16, 12, 30),
                 utc(2027, 3, 16, 13, 30), BERLIN, attendee_ids=(1, 2))
    # 10:00 in New York and 10:30 in Berlin look alike on the clock but are hours apart.
    later = event(3, "Seminar", utc(2027, 3, 16, 14), utc(2027, 3, 16, 15), NY,
                  attendee_ids=(2,))
    morning = event(4, "Museum visit", utc(2027, 3, 16, 9, 30), utc(2027, 3, 16, 10, 30),
                    BERLIN, attendee_ids=(2,))
    findings = check_double_bookings(visit(PEOPLE, [breakfast, call, later, morning]))
    assert messages(findings) == [
        "João Silva is in two events at once: “Breakfast at the UN” "
        "(16 Mar 2027 08:00–09:00 EDT) and “Call with the Berlin office” "
        "(16 Mar 2027 13:30–14:30 CET)",
    ]
    assert findings[0].severity == "error"
    assert findings[0].code == "person_double_booked"
    assert findings[0].event_refs == ("e1", "e2")
    assert findings[0].person_ids == (1,)


def test_new_york_spring_forward() -> None:
    # 2027-03-14 in New York: 02:00 EST becomes 03:00 EDT.  01:30 EST to 03:30 EDT is one
    # hour (06:30 to 07:30 UTC), not two.
    overnight = event(1, "Overnight briefing", utc(2027, 3, 14, 6, 30), utc(2027, 3, 14, 7, 30),
                      NY, attendee_ids=(1, 2))
    touching = event(2, "London breakfast", utc(2027, 3, 14, 7, 30), utc(2027, 3, 14, 8, 30),
                     LONDON, attendee_ids=(1,))
    clashing = event(3, "London call", utc(2027, 3, 14, 7), utc(2027, 3, 14, 7, 45), LONDON,
                     attendee_ids=(2,))
    assert format_event_time(overnight) == "14 Mar 2027 01:30 EST – 03:30 EDT"
    findings = check_double_bookings(visit(PEOPLE, [overnight, touching, clashing]))
    assert messages(findings) == [
        "Ngozi Okonkwo is in two events at once: “Overnight briefing” "
        "(14 Mar 2027 01:30 EST – 03:30 EDT) and “London call” (14 Mar 2027 07:00–07:45 GMT)",
    ]


def test_berlin_spring_forward() -> None:
    # 2027-03-28 in Berlin: 02:00 CET becomes 03:00 CEST.
    reception = event(1, "Late reception", utc(2027, 3, 28, 0), utc(2027, 3, 28, 1, 30), BERLIN,
                      attendee_ids=(1, 2, 4))
    video = event(2, "Video call with New York", utc(2027, 3, 28, 0), utc(2027, 3, 28, 1), NY,
                  attendee_ids=(4, 1))
    findings = check_double_bookings(visit(PEOPLE, [video, reception]))
    assert messages(findings) == [
        "João Silva and Lena Weber are in two events at once: “Video call with New York” "
        "(27 Mar 2027 20:00–21:00 EDT) and “Late reception” "
        "(28 Mar 2027 01:00 CET – 03:30 CEST)",
    ]
    assert findings[0].person_ids == (1, 4)
    assert findings[0].at == utc(2027, 3, 28, 0)


def test_cancelled_events_and_the_event_host_count_correctly() -> None:
    lunch = event(1, "Lunch", utc(2027, 3, 15, 16), utc(2027, 3, 15, 17), NY, host_person_id=3,
                  attendee_ids=(1,))
    meeting = event(2, "Meeting", utc(2027, 3, 15, 16, 30), utc(2027, 3, 15, 17, 30), NY,
                    attendee_ids=(3,))
    cancelled = event(3, "Cancelled tour", utc(2027, 3, 15, 16), utc(2027, 3, 15, 18), NY,
                      attendee_ids=(1, 3), status="cancelled")
    findings = check_double_bookings(visit(PEOPLE, [lunch, meeting, cancelled]))
    assert [(f.event_refs, f.person_ids) for f in findings] == [(("e1", "e2"), (3,))]
    assert messages(findings)[0].startswith("Tanaka Haruto is in two events at once")


# -- venues and travel --------------------------------------------------------------------


def test_a_venue_booked_twice() -> None:
    a = event(1, "Talk", utc(2027, 3, 15, 14), utc(2027, 3, 15, 15), NY, venue_name="Main Hall",
              venue_room="Room 2")
    b = event(2, "Workshop", utc(2027, 3, 15, 14, 30), utc(2027, 3, 15, 16), NY,
              venue_name="main  hall", venue_room="room 2")
    other_room = event(3, "Press", utc(2027, 3, 15, 14), utc(2027, 3, 15, 15), NY,
                       venue_name="Main Hall", venue_room="Room 3")
    nowhere = event(4, "Call", utc(2027, 3, 15, 14), utc(2027, 3, 15, 15), NY)
    findings = check_venues(visit(PEOPLE, [a, b, other_room, nowhere]))
    assert messages(findings) == [
        "Main Hall, Room 2 is booked twice at once: “Talk” (15 Mar 2027 10:00–11:00 EDT) and "
        "“Workshop” (15 Mar 2027 10:30–12:00 EDT)",
    ]
    assert findings[0].code == "venue_double_booked"


def test_travel_time_across_the_berlin_change_uses_real_minutes() -> None:
    # On the clock 01:50 CET to 03:10 CEST looks like 80 minutes; it is 20.
    reception = event(1, "Reception", utc(2027, 3, 27, 23, 30), utc(2027, 3, 28, 0, 50), BERLIN,
                      venue_name="Rotes Rathaus", attendee_ids=(1, 2))
    tour = event(2, "Night tour", utc(2027, 3, 28, 1, 10), utc(2027, 3, 28, 2), BERLIN,
                 venue_name="Reichstag", attendee_ids=(1, 2, 4))
    v = visit(PEOPLE, [tour, reception])
    findings = check_travel_time(v, {("Reichstag", "Rotes Rathaus"): 25})
    assert messages(findings) == [
        "João Silva and Ngozi Okonkwo have 20 min to get from “Reception” at Rotes Rathaus "
        "(ends 28 Mar 2027 01:50 CET) to “Night tour” at Reichstag "
        "(starts 28 Mar 2027 03:10 CEST); the journey takes 25 min",
    ]
    assert findings[0].severity == "warning"
    assert findings[0].code == "travel_time_too_short"
    assert findings[0].event_refs == ("e1", "e2")
    assert check_travel_time(v, {("rotes rathaus", "reichstag"): 20}) == []


def test_travel_time_default_and_exemptions() -> None:
    first = event(1, "Meeting", utc(2027, 3, 15, 14), utc(2027, 3, 15, 15), NY,
                  venue_name="City Hall", attendee_ids=(1,))
    second = event(2, "Visit", utc(2027, 3, 15, 15, 20), utc(2027, 3, 15, 16), NY,
                   venue_name="Campus", attendee_ids=(1,))
    v = visit(PEOPLE, [first, second])
    assert messages(check_travel_time(v)) == [
        "João Silva has 20 min to get from “Meeting” at City Hall (ends 15 Mar 2027 11:00 EDT) "
        "to “Visit” at Campus (starts 15 Mar 2027 11:20 EDT); the journey takes 30 min",
    ]
    assert check_travel_time(v, default_travel_minutes=20) == []
    # A transport event in between is the journey itself.
    ride = event(3, "Car to campus", utc(2027, 3, 15, 15), utc(2027, 3, 15, 15, 20), NY,
                 kind="transport", venue_name="Car", attendee_ids=(1,))
    assert check_travel_time(visit(PEOPLE, [first, second, ride])) == []
    # Two rooms of one venue need no travel.
    same = event(4, "Visit", utc(2027, 3, 15, 15, 5), utc(2027, 3, 15, 16), NY,
                 venue_name="City Hall", venue_room="Room 7", attendee_ids=(1,))
    assert check_travel_time(visit(PEOPLE, [first, same])) == []


# -- dates, meals, e-mail, head of delegation ---------------------------------------------


def test_visit_dates_are_judged_in_the_events_own_zone() -> None:
    farewell = event(1, "Farewell", utc(2027, 3, 17, 1), utc(2027, 3, 17, 2, 30), NY)
    flight = event(2, "Early flight", utc(2027, 3, 16, 23, 30), utc(2027, 3, 17, 1), BERLIN)
    arrival = event(3, "Arrival", utc(2027, 3, 13, 16), utc(2027, 3, 13, 17), TOKYO)
    to_midnight = event(4, "Late show", utc(2027, 3, 17, 2), utc(2027, 3, 17, 4), NY)
    too_early = event(5, "Advance team", utc(2027, 3, 13, 12), utc(2027, 3, 13, 13), NY)
    v = visit(PEOPLE, [farewell, flight, arrival, to_midnight, too_early],
              start=date(2027, 3, 14), end=date(2027, 3, 16))
    findings = check_visit_dates(v)
    assert messages(findings) == [
        "“Advance team” (13 Mar 2027 07:00–08:00 EST) falls outside the visit's dates "
        "(14 Mar 2027 to 16 Mar 2027)",
        "“Early flight” (17 Mar 2027 00:30–02:00 CET) falls outside the visit's dates "
        "(14 Mar 2027 to 16 Mar 2027)",
    ]
    assert [f.event_refs for f in findings] == [("e5",), ("e2",)]


def test_meals_need_dietary_needs_on_record() -> None:
    dinner = event(1, "State dinner", utc(2027, 3, 16, 23), utc(2027, 3, 17, 1, 30), NY,
                   kind="meal", host_person_id=4, attendee_ids=(1, 2, 3))
    meeting = event(2, "Meeting", utc(2027, 3, 16, 14), utc(2027, 3, 16, 15), NY,
                    attendee_ids=(4,))
    findings = check_meal_dietary(visit(PEOPLE, [dinner, meeting]))
    assert messages(findings) == [
        "“State dinner” (16 Mar 2027 19:00–21:30 EDT): no dietary needs on record for "
        "Lena Weber",
    ]
    assert findings[0].person_ids == (4,)


def test_attendees_without_email_cannot_be_invited() -> None:
    a = event(1, "Tour", utc(2027, 3, 15, 14), utc(2027, 3, 15, 15), NY, attendee_ids=(3, 1))
    b = event(2, "Lunch", utc(2027, 3, 15, 16), utc(2027, 3, 15, 17), NY, attendee_ids=(3,))
    findings = check_emails(visit(PEOPLE, [b, a]))
    assert [(f.severity, f.code, f.message, f.event_refs) for f in findings] == [
        ("info", "missing_email",
         "No e-mail address for Tanaka Haruto, so no invite can be sent for “Tour” and “Lunch”",
         ("e1", "e2")),
    ]


def test_head_of_delegation_absent_or_unseated() -> None:
    tour = event(1, "Campus tour", utc(2027, 3, 15, 14), utc(2027, 3, 15, 15), NY,
                 attendee_ids=(2, 3))
    private = event(2, "Free time", utc(2027, 3, 15, 16), utc(2027, 3, 15, 17), NY,
                    kind="private", attendee_ids=(2,))
    dinner = event(3, "Dinner", utc(2027, 3, 15, 23), utc(2027, 3, 16, 1), NY, kind="meal",
                   attendee_ids=(1, 2, 3))
    v = visit(PEOPLE, [tour, private, dinner])
    findings = check_head_of_delegation(v, seating={3: {2, 3}})
    assert [(f.code, f.message) for f in findings] == [
        ("head_of_delegation_absent",
         "The head of delegation, João Silva, does not attend “Campus tour” "
         "(15 Mar 2027 10:00–11:00 EDT)"),
        ("head_of_delegation_unseated",
         "The head of delegation, João Silva, attends “Dinner” (15 Mar 2027 19:00–21:00 EDT) "
         "but has no seat in its seating plan"),
    ]
    assert [f.code for f in check_head_of_delegation(v, seating={3: [1, 2]})] == [
        "head_of_delegation_absent"
    ]
    headless = visit([(OKONKWO, "guest", "member")], [tour], title="Working visit")
    assert messages(check_head_of_delegation(headless)) == [
        "The visit “Working visit” names no head of delegation"
    ]


def test_bad_event_times() -> None:
    mars = event(1, "Launch", utc(2027, 3, 15, 14), utc(2027, 3, 15, 15), "Mars/Olympus_Mons")
    backwards = event(2, "Backwards", utc(2027, 3, 15, 15), utc(2027, 3, 15, 14), NY)
    findings = check_event_times(visit(PEOPLE, [mars, backwards]))
    assert [(f.code, f.message) for f in findings] == [
        ("invalid_time_zone",
         "“Launch” has the time zone 'Mars/Olympus_Mons', which is not a known IANA zone "
         "(such as Europe/Berlin); times are shown in UTC until it is fixed"),
        ("event_ends_before_start",
         "“Backwards” (15 Mar 2027 11:00–10:00 EDT) ends before it starts"),
    ]


# -- the whole visit ----------------------------------------------------------------------


def test_check_visit_sorts_by_severity_then_time() -> None:
    dinner = event(1, "State dinner", utc(2027, 3, 16, 23), utc(2027, 3, 17, 1), NY, kind="meal",
                   venue_name="Hall", attendee_ids=(1, 2, 3, 4, 99))
    breakfast = event(2, "Breakfast", utc(2027, 3, 15, 12), utc(2027, 3, 15, 13), NY,
                      venue_name="Hotel", attendee_ids=(1, 2))
    call = event(3, "Call", utc(2027, 3, 15, 12, 30), utc(2027, 3, 15, 13, 30), BERLIN,
                 attendee_ids=(2,))
    tour = event(4, "Tour", utc(2027, 3, 15, 13, 10), utc(2027, 3, 15, 14), NY,
                 venue_name="Campus", attendee_ids=(1, 3))
    cancelled = event(5, "Old dinner", utc(2027, 3, 16, 23), utc(2027, 3, 17, 1), NY,
                      kind="meal", venue_name="Hall", status="cancelled", attendee_ids=(1,))
    v = visit(PEOPLE, [dinner, breakfast, call, tour, cancelled],
              start=date(2027, 3, 15), end=date(2027, 3, 16))
    findings = check_visit(v, travel_minutes={("Hotel", "Campus"): 15})
    assert [(f.severity, f.code, f.event_refs) for f in findings] == [
        ("error", "person_double_booked", ("e2", "e3")),
        ("warning", "travel_time_too_short", ("e2", "e4")),
        ("warning", "head_of_delegation_absent", ("e3",)),
        ("warning", "dietary_needs_unknown", ("e1",)),
        ("warning", "unknown_attendee", ("e1",)),
        ("info", "missing_email", ("e4", "e1")),
    ]
    assert findings == sort_findings(reversed(findings))
    data = json.loads(json.dumps([f.to_dict() for f in findings]))
    assert data[0] == {
        "severity": "error",
        "code": "person_double_booked",
        "message": "Ngozi Okonkwo is in two events at once: “Breakfast” "
                   "(15 Mar 2027 08:00–09:00 EDT) and “Call” (15 Mar 2027 13:30–14:30 CET)",
        "event_refs": ["e2", "e3"],
        "person_ids": [2],
        "at": "2027-03-15T12:30:00+00:00",
    }


def test_visit_wide_findings_come_last_in_their_severity() -> None:
    early = Finding("info", "missing_email", "b", at=utc(2027, 1, 1))
    visit_wide = Finding("info", "no_head_of_delegation", "a")
    error = Finding("error", "person_double_booked", "c", at=utc(2028, 1, 1))
    assert sort_findings([visit_wide, early, error]) == [error, early, visit_wide]
    assert visit_wide.to_dict()["at"] is None
