"""The calendars themselves: the demo itinerary and hostile text, read back by icalendar,
vobject and ical.js, give the same UIDs, SEQUENCEs, statuses, texts and UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from protocol_app.invites.calendar import (
    METHOD_CANCEL,
    METHOD_REQUEST,
    CalendarAttendee,
    Organizer,
    event_description,
    event_location,
    itip_calendar,
    publish_calendar,
)
from protocol_app.records.sensitivity import SENSITIVE_PERSON_FIELDS
from tests.support.demo_refs import NOW, VISIT
from tests.support.invite_factories import event, person, utc, visit
from tests.support.readers import ReadCalendar, isolate_tzids, read_icalendar, read_vobject, unfold

STATUS = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED"}


def _all_readers(data: bytes, icaljs_bytes) -> dict[str, ReadCalendar]:
    return {"icalendar": read_icalendar(data), "vobject": read_vobject(data),
            "ical.js": icaljs_bytes(data),
            "icalendar (VTIMEZONE only)": read_icalendar(isolate_tzids(data)),
            "vobject (VTIMEZONE only)": read_vobject(isolate_tzids(data))}


# -- the demo itinerary ----------------------------------------------------------------
def test_the_demo_itinerary_reads_the_same_everywhere(invites, demo_services, tmp_path,
                                                      icaljs) -> None:
    visit_record = demo_services.visits.get(VISIT)
    target = tmp_path / "itinerary.ics"
    result = invites.export_calendar(VISIT, target, now=NOW, audience="host")
    assert result.events == len(visit_record.events) == 20
    data = target.read_bytes()
    reads = {"icalendar": read_icalendar(data), "vobject": read_vobject(data),
             "ical.js": icaljs(target)[0],
             "vobject (VTIMEZONE only)": read_vobject(isolate_tzids(data))}
    for name, read in reads.items():
        assert read.method == "PUBLISH", name
        got = read.by_uid()
        assert set(got) == {e.uid for e in visit_record.events}, name
        for e in visit_record.events:
            r = got[e.uid]
            assert (r.start, r.end) == (e.start_utc, e.end_utc), (name, e.ref)
            assert r.sequence == e.sequence
            assert r.status == STATUS[e.status]
            assert r.summary == e.title
            assert r.location == event_location(e)
            assert r.description == event_description(e, visit_record), (name, e.ref)
            assert r.attendees == (), "a PUBLISH calendar has no attendees"
            assert r.organizer == ("protocol@alderbrook.example.edu",
                                   "Office of Protocol, Alderbrook University")


def test_the_state_dinner_spans_midnight_and_the_dst_night(demo_services, icaljs_bytes) -> None:
    visit_record = demo_services.visits.get(VISIT)
    dinner = next(e for e in visit_record.events if e.ref == "e17")
    breakfast = next(e for e in visit_record.events if e.ref == "e18")
    data = publish_calendar(visit_record, events=[dinner, breakfast], now=NOW)
    text = unfold(data)
    assert "DTSTART;TZID=America/New_York:20270313T193000" in text
    assert "DTEND;TZID=America/New_York:20270314T001500" in text
    assert "DTSTART;TZID=America/New_York:20270314T100000" in text
    for name, read in _all_readers(data, icaljs_bytes).items():
        got = read.by_uid()
        assert got[dinner.uid].start == datetime(2027, 3, 14, 0, 30, tzinfo=UTC), name  # EST
        assert got[dinner.uid].end == datetime(2027, 3, 14, 5, 15, tzinfo=UTC), name
        assert got[breakfast.uid].start == datetime(2027, 3, 14, 14, 0, tzinfo=UTC), name  # EDT


def test_one_persons_itinerary(invites, demo_services, tmp_path) -> None:
    visit_record = demo_services.visits.get(VISIT)
    interpreter = next(p for p in visit_record.participants if p.ref == "vn-interpreter")
    mine = [e for e in visit_record.events if interpreter.person_id in e.attendee_ids
            or e.host_person_id == interpreter.person_id]
    for ref in ("vn-interpreter", str(interpreter.person_id), "TRINH.VAN.LONG@moet-vn.example.gov"):
        result = invites.export_calendar(VISIT, tmp_path / "mine.ics", person=ref, now=NOW)
        assert result.events == len(mine) and result.person == "Trịnh Văn Long"
        read = read_icalendar((tmp_path / "mine.ics").read_bytes())
        assert {e.uid for e in read.events} == {e.uid for e in mine}


def test_an_unknown_person_is_a_clear_error(invites, tmp_path) -> None:
    from protocol_app.errors import NotFoundError

    with pytest.raises(NotFoundError, match="nobody-here"):
        invites.export_calendar(VISIT, tmp_path / "x.ics", person="nobody-here")
    assert not (tmp_path / "x.ics").exists()


def test_cancelled_events_and_visits_are_marked_cancelled(invites, demo_services,
                                                          tmp_path) -> None:
    events = demo_services.events.list(VISIT)
    demo_services.events.cancel(events[3].id, events[3].version)
    invites.export_calendar(VISIT, tmp_path / "a.ics", now=NOW)
    statuses = {e.uid: e.status for e in read_icalendar((tmp_path / "a.ics").read_bytes()).events}
    assert statuses[events[3].uid] == "CANCELLED"
    assert sum(s == "CANCELLED" for s in statuses.values()) == 1
    v = demo_services.visits.get(VISIT)
    demo_services.visits.cancel(v.id, v.version)
    invites.export_calendar(VISIT, tmp_path / "b.ics", now=NOW)
    assert {e.status for e in read_icalendar((tmp_path / "b.ics").read_bytes()).events} == {
        "CANCELLED"}


def test_no_sensitive_note_leaves_in_a_calendar(invites, demo_services, tmp_path) -> None:
    secrets = [getattr(p.person, f) for v in demo_services.visits.list()
               for p in demo_services.visits.get(v.id).participants
               for f in SENSITIVE_PERSON_FIELDS if getattr(p.person, f)]
    assert len(secrets) > 5
    for v in demo_services.visits.list():
        invites.export_calendar(v.public_id, tmp_path / "x.ics", now=NOW)
        text = unfold((tmp_path / "x.ics").read_bytes()).replace("\\,", ",").replace(
            "\\;", ";").replace("\\n", "\n").replace("\\\\", "\\")
        for secret in secrets:
            assert secret not in text
            assert secret[:40] not in text


def test_the_export_is_written_whole_or_not_at_all(invites, tmp_path) -> None:
    from protocol_app.errors import NotFoundError

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "keep.ics"
    target.write_text("old")
    with pytest.raises(NotFoundError):
        invites.export_calendar("no-such-visit", target)
    assert target.read_text() == "old"
    assert [p.name for p in folder.iterdir()] == ["keep.ics"]


# -- hostile text, several zones ---------------------------------------------------------
HOSTILE_TITLE = 'Dinner, "gala"; at 8\\9 — 晚宴 عشاء ארוחה 👩🏽‍🔬'
HOSTILE_NOTES = ("Line one, with commas; semicolons\\backslashes\nSecond line: "
                 "Nguyễn Thị Mai Phương, 田中 陽翔, Иван Петров, Ελένη, प्रिया शर्मा\r\n"
                 "Third line\ttab " + "long " * 60)
PEOPLE = [
    person(1, "O'Neil, Jr.", "Seán", honorific="Dr.", email="sean@example.ie"),
    person(2, "Smith", 'Robert "Bob"', email="bob@example.com"),
    person(3, "田中", "陽翔", name_order="family_first", email="tanaka@example.jp"),
    person(4, "الخطيب", "فارس", email="faris@example.jo"),
    person(5, "Nobody", "Without", email=""),
]


def _hostile_visit():
    events = [
        event(1, utc(2027, 3, 13, 23, 30), minutes=300, title=HOSTILE_TITLE,
              notes=HOSTILE_NOTES, venue_name="Hall; North, Wing", venue_room="Room 1\\2",
              venue_address="1 Main St.\nSuite 5, Floor 2", dress_code="Black tie; medals",
              host_person_id=1, attendees=(1, 2, 3, 4, 5)),
        event(2, utc(2027, 3, 28, 0, 30), timezone="Europe/London", title="London, late",
              attendees=(2, 3)),
        event(3, utc(2027, 4, 4, 15, 30), timezone="Australia/Sydney", title="Sydney",
              attendees=(3,), status="tentative"),
        event(4, utc(2027, 3, 14, 12, 0), timezone="Asia/Tokyo", title="Tokyo", attendees=(4,)),
    ]
    return visit(PEOPLE, events, title="Visit, with; everything\\")


def test_hostile_text_and_several_zones_read_back_exactly(icaljs_bytes) -> None:
    v = _hostile_visit()
    data = publish_calendar(v, organizer=Organizer("Office, of; Protocol", "p@example.edu"),
                            now=NOW)
    text = unfold(data)
    assert text.count("BEGIN:VTIMEZONE") == 4
    for line in data.decode("utf-8").split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    for name, read in _all_readers(data, icaljs_bytes).items():
        got = read.by_uid()
        for e in v.events:
            r = got[e.uid]
            assert (r.start, r.end) == (e.start_utc, e.end_utc), (name, e.ref)
            assert r.summary == e.title, name
            assert (r.location or "") == event_location(e), name
            assert (r.description or "") == event_description(e, v), name
        assert got["uid-1@protocol-desk.invalid"].location == (
            "Hall; North, Wing, Room 1\\2, 1 Main St., Suite 5, Floor 2")
        description = got["uid-1@protocol-desk.invalid"].description
        assert "Dress code: Black tie; medals" in description
        assert "Host: Dr. Seán O'Neil, Jr." in description
        assert "Attending: Dr. Seán O'Neil, Jr., Robert \"Bob\" Smith, 田中 陽翔" in description
        assert "\r" not in description and "Third line\ttab" in description


def test_request_and_cancel_calendars(icaljs_bytes) -> None:
    v = _hostile_visit()
    first = v.events[0]
    organizer = Organizer("Office, of; Protocol", "p@example.edu")
    attendees = [CalendarAttendee(p.email, p.display_name, "CHAIR" if p.id == 1 else
                                  "REQ-PARTICIPANT") for p in PEOPLE if p.email]
    stamp = datetime(2027, 3, 1, 8, 0, 5, tzinfo=UTC)
    request = itip_calendar(v, first, method=METHOD_REQUEST, sequence=3, organizer=organizer,
                            attendees=attendees, now=stamp)
    cancel = itip_calendar(v, first, method=METHOD_CANCEL, sequence=4, organizer=organizer,
                           attendees=attendees[1:2], now=stamp + timedelta(hours=1))
    assert "DTSTAMP:20270301T080005Z" in unfold(request)
    for name, read in _all_readers(request, icaljs_bytes).items():
        assert read.method == "REQUEST", name
        (r,) = read.events
        assert (r.sequence, r.status) == (3, "CONFIRMED")
        assert r.organizer == ("p@example.edu", "Office, of; Protocol"), name
        assert [a.email for a in r.attendees] == [a.email for a in attendees]
        assert {(a.role, a.partstat, a.rsvp) for a in r.attendees} <= {
            ("CHAIR", "NEEDS-ACTION", "TRUE"), ("REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE")}
        assert r.attendees[0].role == "CHAIR"
        names = [a.cn for a in r.attendees]
        if name.startswith("vobject"):  # vobject does not decode RFC 6868 (^' for ")
            names[1] = names[1].replace("^'", '"')
        assert names == [a.name for a in attendees], name
    for name, read in _all_readers(cancel, icaljs_bytes).items():
        assert read.method == "CANCEL", name
        (r,) = read.events
        assert (r.uid, r.sequence, r.status) == (first.uid, 4, "CANCELLED"), name
        assert [a.email for a in r.attendees] == ["bob@example.com"]


def test_uids_carry_no_personal_data(demo_services) -> None:
    for summary in demo_services.visits.list():
        v = demo_services.visits.get(summary.id)
        names = {p.person.family_name.lower() for p in v.participants}
        for e in v.events:
            local, _, domain = e.uid.partition("@")
            assert domain == "protocol-desk.invalid"
            assert len(local) == 36 and local.count("-") == 4  # a random UUID
            assert not any(n in e.uid.lower() for n in names if len(n) > 3)


def test_the_cli_writes_a_calendar(demo_services, db_path: Path, tmp_path: Path,
                                   capsys) -> None:
    from protocol_app.cli import main

    out = tmp_path / "cli.ics"
    assert main(["--db", str(db_path), "ics", VISIT, "--out", str(out), "--audience",
                 "host"]) == 0
    assert "20 events" in capsys.readouterr().out
    # the default file leaves the office: the delegation's private meeting with its
    # Ambassador (its attendees only) is not in it
    assert main(["--db", str(db_path), "ics", VISIT, "--out", str(out)]) == 0
    assert "19 events" in capsys.readouterr().out
    titles = {e.summary for e in read_icalendar(out.read_bytes()).events}
    assert "Delegation meeting with the Ambassador" not in titles
    assert "State dinner in honour of the Minister" in titles
    assert read_icalendar(out.read_bytes()).method == "PUBLISH"
    assert main(["--db", str(db_path), "ics", VISIT, "--out", str(out), "--person",
                 "au-president"]) == 0
    assert "for Caroline Mercer" in capsys.readouterr().out
    assert main(["--db", str(db_path), "ics", "nope", "--out", str(out)]) == 1
    assert "There is no visit 'nope'" in capsys.readouterr().err
