"""Itinerary events: times in UTC with their zone, calendar UID and SEQUENCE."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import pytest

from protocol_app.errors import NotFoundError, ValidationError
from protocol_app.services.values import EventRecord
from tests.support.helpers import assert_plain_value
from tests.support.times import ny

UID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
                 r"@protocol-desk\.invalid$")


@pytest.fixture
def talk(world) -> EventRecord:
    return world.services.events.create(
        world.visit_id, title="Talk by the Rector", start=ny(2027, 3, 12, 10),
        end=ny(2027, 3, 12, 11, 30), venue_name="Founders Hall",
        venue_address="1 Founders Circle", venue_room="Rotunda",
        attendee_ids=(world.guest_id, world.host_id), host_person_id=world.host_id,
        dress_code="Business", notes="Slides on the big screen")


def test_create_stores_utc_with_the_zone_and_defaults(world, talk) -> None:
    assert isinstance(talk, EventRecord)
    assert_plain_value(talk)
    assert talk.start_utc == datetime(2027, 3, 12, 15, 0, tzinfo=UTC)  # 10:00 EST
    assert talk.end_utc == datetime(2027, 3, 12, 16, 30, tzinfo=UTC)
    assert talk.start_utc.tzinfo is UTC
    assert (talk.timezone, talk.kind, talk.status, talk.ref) == (
        "America/New_York", "meeting", "tentative", "e1")  # confirmed when the host says so
    assert (talk.venue_name, talk.venue_address, talk.venue_room) == (
        "Founders Hall", "1 Founders Circle", "Rotunda")
    assert talk.attendee_ids == (world.guest_id, world.host_id)
    assert talk.sequence == 0 and talk.version == 1
    assert world.services.events.get(talk.id) == talk
    with pytest.raises(dataclasses.FrozenInstanceError):
        talk.title = "x"  # type: ignore[misc]


def test_uid_is_random_and_holds_no_personal_data(world, talk) -> None:
    assert UID.match(talk.uid), talk.uid  # a random (version 4) UUID, then our domain
    domain = talk.uid.split("@", 1)[1]
    for private in ("tanaka", "mercer", "kyoto", "talk", "founders", "2027"):
        assert private not in domain.casefold()
    other = world.services.events.create(world.visit_id, title="Talk by the Rector",
                                         start=ny(2027, 3, 12, 10), end=ny(2027, 3, 12, 11))
    assert other.uid != talk.uid and other.ref == "e2"


@pytest.mark.parametrize(("changes", "raises"), [
    ({"title": "Lecture by the Rector"}, False),
    ({"notes": "No slides after all"}, False),
    ({"dress_code": "Black tie"}, False),
    ({"kind": "ceremony"}, False),
    ({"attendee_ids": ()}, False),
    ({"start": ny(2027, 3, 12, 9)}, True),
    ({"end": ny(2027, 3, 12, 12)}, True),
    ({"venue_name": "Carlisle Hall"}, True),
    ({"venue_address": "22 College Green"}, True),
    ({"venue_room": "Room 301"}, True),
    ({"status": "confirmed"}, True),
    ({"timezone": "America/Chicago"}, True),
])
def test_sequence_rises_only_on_significant_changes(world, talk, changes, raises) -> None:
    changed = world.services.events.update(talk.id, talk.version, **changes)
    assert changed.sequence == talk.sequence + (1 if raises else 0)
    assert changed.version > talk.version
    assert changed.uid == talk.uid  # the calendar entry is the same one
    assert world.services.events.get(talk.id) == changed


def test_an_update_that_changes_nothing_keeps_sequence_and_version(world, talk) -> None:
    same = world.services.events.update(talk.id, talk.version, title=talk.title,
                                        start=talk.start_utc)
    assert (same.sequence, same.version) == (talk.sequence, talk.version)


def test_move_keeps_the_duration(world, talk) -> None:
    moved = world.services.events.move(talk.id, talk.version, ny(2027, 3, 14, 16))
    assert moved.start_utc == datetime(2027, 3, 14, 20, 0, tzinfo=UTC)  # 16:00 EDT
    assert moved.end_utc - moved.start_utc == timedelta(hours=1, minutes=30)
    assert moved.sequence == 1 and moved.uid == talk.uid


def test_duplicate_is_a_new_tentative_calendar_entry(world, talk) -> None:
    copy = world.services.events.duplicate(talk.id)
    assert copy.id != talk.id and copy.uid != talk.uid and copy.ref == "e2"
    assert copy.title == "Talk by the Rector (copy)"
    assert (copy.status, copy.sequence) == ("tentative", 0)
    assert (copy.start_utc, copy.end_utc) == (talk.start_utc, talk.end_utc)
    assert (copy.venue_name, copy.venue_room, copy.attendee_ids, copy.host_person_id,
            copy.notes) == (talk.venue_name, talk.venue_room, talk.attendee_ids,
                            talk.host_person_id, talk.notes)
    assert [e.id for e in world.services.events.list(world.visit_id)] == [talk.id, copy.id]


def test_cancel_keeps_the_event_and_raises_the_sequence(world, talk) -> None:
    cancelled = world.services.events.cancel(talk.id, talk.version)
    assert (cancelled.status, cancelled.sequence, cancelled.uid) == ("cancelled", 1, talk.uid)
    assert [e.id for e in world.services.events.list(world.visit_id)] == [talk.id]


def test_delete_removes_it(world, talk) -> None:
    world.services.events.delete(talk.id, talk.version)
    with pytest.raises(NotFoundError, match=rf"There is no event #{talk.id} \(it may have been "
                                            r"deleted\)\."):
        world.services.events.get(talk.id)
    assert world.services.events.list(world.visit_id) == []


def test_events_are_listed_in_time_order(world) -> None:
    s = world.services
    late = s.events.create(world.visit_id, title="Dinner", start=ny(2027, 3, 13, 19, 30),
                           end=ny(2027, 3, 14, 0, 15))
    early = s.events.create(world.visit_id, title="Breakfast", start=ny(2027, 3, 13, 8),
                            end=ny(2027, 3, 13, 9))
    assert [e.id for e in s.events.list(world.visit_id)] == [early.id, late.id]
    assert [e.id for e in s.visits.get(world.visit_id).events] == [early.id, late.id]
    # spans midnight and the clock change at 02:00 on 14 March is after its end
    assert late.end_utc - late.start_utc == timedelta(hours=4, minutes=45)


def _create_problems(world, **values) -> list[str]:
    base = {"title": "Meeting", "start": ny(2027, 3, 12, 10), "end": ny(2027, 3, 12, 11)}
    with pytest.raises(ValidationError) as err:
        world.services.events.create(world.visit_id, **{**base, **values})
    assert str(err.value).startswith("event: ")
    assert world.services.events.list(world.visit_id) == []
    return [str(p) for p in err.value.problems]


def test_end_before_start_is_refused(world) -> None:
    assert _create_problems(world, end=ny(2027, 3, 12, 9)) == ["end: must be after the start"]
    assert _create_problems(world, end=ny(2027, 3, 12, 10)) == ["end: must be after the start"]
    assert _create_problems(world, end=ny(2027, 3, 27, 10)) == [
        "end: is more than 14 days after the start"]


def test_unknown_zone_kind_and_status_are_refused(world) -> None:
    assert _create_problems(world, timezone="Europe/Atlantis", kind="party",
                            status="maybe") == [
        "kind: 'party' is not one of meeting, meal, tour, ceremony, transport, press, private",
        "status: 'maybe' is not one of tentative, confirmed, cancelled",
        "timezone: 'Europe/Atlantis' is not a known IANA time zone (such as America/New_York)"]


def test_times_without_a_zone_are_refused(world) -> None:
    assert _create_problems(world, start=datetime(2027, 3, 12, 10)) == [
        "start: is required (a date and time)"]


def test_attendees_and_host_must_take_part_in_the_visit(world) -> None:
    o = world.outsider_id
    assert _create_problems(world, attendee_ids=(world.guest_id, o), host_person_id=o) == [
        f"host: person #{o} does not take part in the visit",
        f"attendees[1]: person #{o} does not take part in the visit"]
    assert _create_problems(world, attendee_ids=(world.guest_id, world.guest_id)) == [
        "attendees: lists someone twice"]


def test_refs_are_unique_in_a_visit(world, talk) -> None:
    assert _create_problems_after(world, ref="e1") == ["ref: 'e1' is already used"]


def _create_problems_after(world, **values) -> list[str]:
    with pytest.raises(ValidationError) as err:
        world.services.events.create(world.visit_id, title="x", start=ny(2027, 3, 12, 10),
                                     end=ny(2027, 3, 12, 11), **values)
    return [str(p) for p in err.value.problems]


def test_update_validates_against_the_stored_times(world, talk) -> None:
    with pytest.raises(ValidationError, match=r"^event: end: must be after the start$"):
        world.services.events.update(talk.id, talk.version, start=ny(2027, 3, 12, 12))
    with pytest.raises(ValidationError, match="unknown: is not a field of a event"):
        world.services.events.update(talk.id, talk.version, unknown=1)
    assert world.services.events.get(talk.id) == talk


def test_event_changes_raise_the_visit_version(world, talk) -> None:
    before = world.services.visits.get(world.visit_id).version
    world.services.events.update(talk.id, talk.version, title="Renamed")
    assert world.services.visits.get(world.visit_id).version == before + 1


def test_missing_event(world) -> None:
    with pytest.raises(NotFoundError):
        world.services.events.update(999, None, title="x")
    with pytest.raises(NotFoundError, match="There is no visit 'nope'"):
        world.services.events.create("nope", title="x", start=ny(2027, 3, 12, 10),
                                     end=ny(2027, 3, 12, 11))
