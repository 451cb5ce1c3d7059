"""Visits and participants: create, change, list, status moves, duplicate, delete."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime

import pytest

from protocol_app.errors import (
    ConflictError,
    NotFoundError,
    ProtocolError,
    StaleWriteError,
    ValidationError,
)
from protocol_app.services.values import VisitRecord, VisitSummary
from protocol_app.timeutil import format_local
from tests.support.helpers import assert_plain_value, row_counts
from tests.support.times import ny

BASE = {"title": "Visit of the Rector of Kyoto University", "timezone": "America/New_York",
        "start_date": date(2027, 3, 12), "end_date": date(2027, 3, 16), "country": "JP"}


def test_create_makes_a_readable_unique_public_id(services) -> None:
    first = services.visits.create(**BASE)
    second = services.visits.create(**BASE)
    assert first.public_id == "visit-of-the-rector-of-kyoto-2027"
    assert second.public_id == "visit-of-the-rector-of-kyoto-2027-2"
    assert first.status == "planned" and first.version == 1
    assert isinstance(first, VisitRecord)
    assert_plain_value(first)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.title = "x"  # type: ignore[misc]


def test_an_explicit_public_id_must_be_free(services) -> None:
    services.visits.create(**BASE, public_id="jp-rector-2027")
    with pytest.raises(ConflictError, match=r"A visit with the id 'jp-rector-2027' already "
                                            r"exists\."):
        services.visits.create(**BASE, public_id="jp-rector-2027")
    assert len(services.visits.list()) == 1


def test_get_by_public_id_or_number(services) -> None:
    v = services.visits.create(**BASE, public_id="jp-rector-2027")
    assert services.visits.get("jp-rector-2027") == services.visits.get(v.id)
    assert services.visits.get(str(v.id)).id == v.id
    assert services.visits.resolve("jp-rector-2027") == v.id
    with pytest.raises(NotFoundError, match=r"There is no visit 'nope' \(give its id"):
        services.visits.get("nope")
    with pytest.raises(NotFoundError, match="There is no visit '42'"):
        services.visits.get(42)


@pytest.mark.parametrize(("changes", "path", "message"), [
    ({"country": "XX"}, "country",
     "'XX' is not an ISO 3166-1 alpha-2 country code (such as JP, DE, US)"),
    ({"country": ""}, "country", "is required (an ISO 3166-1 code such as JP)"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone",
     "'Mars/Olympus_Mons' is not a known IANA time zone (such as America/New_York)"),
    ({"end_date": date(2027, 3, 11)}, "end_date",
     "ends (2027-03-11) before it starts (2027-03-12)"),
    ({"start_date": "2027-03-12"}, "start_date", "is required (a date, YYYY-MM-DD)"),
    ({"title": " "}, "title", "is required"),
    ({"status": "postponed"}, "status", "'postponed' is not one of proposed, planned, confirmed, "
                                        "completed, cancelled"),
    ({"organizer_email": "protocol at example"}, "organizer_email",
     "'protocol at example' is not an e-mail address"),
    ({"public_id": "has spaces"}, "public_id", "must be letters, digits, '.', '_' or '-'"),
    ({"timezone": ["Europe/Paris"]}, "timezone", "must be text"),
    ({"country": ["JP"]}, "country", "must be text"),
])
def test_create_validation_names_the_field(services, changes, path, message) -> None:
    with pytest.raises(ValidationError) as err:
        services.visits.create(**{**BASE, **changes})
    assert [p.path for p in err.value.problems] == [path]
    assert message in err.value.problems[0].message
    assert str(err.value).startswith(f"visit: {path}: ")
    assert services.visits.list() == []


def test_every_visit_problem_at_once(services) -> None:
    with pytest.raises(ValidationError) as err:
        services.visits.create(title="", timezone="Nowhere", country="XX",
                               start_date=date(2027, 3, 12), end_date=date(2027, 3, 1))
    assert [p.path for p in err.value.problems] == ["title", "timezone", "country", "end_date"]


def test_unknown_visit_fields_are_refused(services) -> None:
    with pytest.raises(ValidationError, match="colour: is not a field of a visit"):
        services.visits.create(**BASE, colour="blue")


def test_update_changes_fields_and_validates_the_date_range(services) -> None:
    v = services.visits.create(**BASE)
    changed = services.visits.update(v.id, v.version, title="Visit of the President",
                                     end_date=date(2027, 3, 18))
    assert changed.title == "Visit of the President" and changed.end_date == date(2027, 3, 18)
    assert changed.version == v.version + 1
    assert changed.public_id == v.public_id  # the public id does not follow the title
    with pytest.raises(ValidationError, match=r"end_date: ends \(2027-03-10\) before it starts "
                                              r"\(2027-03-12\)"):
        services.visits.update(v.id, changed.version, end_date=date(2027, 3, 10))
    with pytest.raises(ValidationError, match="public_id: must be letters"):
        services.visits.update(v.id, changed.version, public_id="")
    assert services.visits.get(v.id) == changed


def test_public_id_can_change_but_not_to_a_taken_one(services) -> None:
    a = services.visits.create(**BASE, public_id="a-2027")
    services.visits.create(**BASE, public_id="b-2027")
    with pytest.raises(ValidationError, match="public_id: is already used by another visit"):
        services.visits.update(a.id, a.version, public_id="b-2027")
    assert services.visits.update(a.id, a.version, public_id="c-2027").public_id == "c-2027"


@pytest.mark.parametrize(("path", "refused", "message"), [
    (["confirmed", "completed"], "planned",
     "status: cannot go from completed to planned; from completed it can go to nothing "
     "(it is final)"),
    ([], "completed",
     "status: cannot go from planned to completed; from planned it can go to proposed, "
     "confirmed, cancelled"),
    (["proposed"], "confirmed",
     "status: cannot go from proposed to confirmed; from proposed it can go to planned, "
     "cancelled"),
])
def test_status_moves_only_along_allowed_transitions(services, path, refused, message) -> None:
    v = services.visits.create(**BASE)
    for status in path:
        v = services.visits.update(v.id, v.version, status=status)
        assert v.status == status
    with pytest.raises(ValidationError) as err:
        services.visits.update(v.id, v.version, status=refused)
    assert str(err.value) == f"visit: {message}"
    assert services.visits.get(v.id).status == v.status


def test_cancel_keeps_the_record_and_can_be_reopened(world) -> None:
    s = world.services
    v = s.visits.get(world.visit_id)
    cancelled = s.visits.cancel(v.id, v.version)
    assert cancelled.status == "cancelled"
    assert len(cancelled.participants) == 3
    reopened = s.visits.update(v.id, cancelled.version, status="proposed")
    assert reopened.status == "proposed"


def test_list_filters_and_summarises(world) -> None:
    s = world.services
    s.visits.create(title="Courtesy call by the Ambassador of India", timezone="America/Chicago",
                    start_date=date(2027, 4, 22), end_date=date(2027, 4, 22), country="IN",
                    status="confirmed")
    s.events.create(world.visit_id, title="Welcome", start=ny(2027, 3, 12, 10),
                    end=ny(2027, 3, 12, 11))
    rows = s.visits.list()
    assert all(isinstance(r, VisitSummary) for r in rows)
    assert [r.country for r in rows] == ["JP", "IN"]  # soonest first
    kyoto = rows[0]
    assert (kyoto.people_count, kyoto.event_count) == (3, 1)
    assert kyoto.head_of_delegation == "Tanaka Haruto"
    assert [r.country for r in s.visits.list("ambassador")] == ["IN"]
    assert [r.country for r in s.visits.list("KYOTO")] == ["JP"]
    assert [r.country for r in s.visits.list(status="confirmed")] == ["IN"]
    assert [r.country for r in s.visits.list(date_from=date(2027, 3, 17))] == ["IN"]
    assert [r.country for r in s.visits.list(date_to=date(2027, 3, 12))] == ["JP"]
    assert s.visits.list("nothing like this") == []
    assert s.visits.list("%") == s.visits.list("_") == []  # searched for, not wildcards
    s.visits.create(**{**BASE, "title": "100% attendance_day"})
    assert [r.title for r in s.visits.list("0% a")] == ["100% attendance_day"]
    assert [r.title for r in s.visits.list("e_d")] == ["100% attendance_day"]


def test_participants_add_update_remove(world) -> None:
    s = world.services
    v = s.visits.get(world.visit_id)
    assert [(p.person.family_name, p.side, p.role) for p in v.participants] == [
        ("Tanaka", "guest", "head"), ("Sato", "guest", "member"), ("Mercer", "host", "host")]
    assert v.head_of_delegation.person_id == world.guest_id
    assert v.person(world.host_id).family_name == "Mercer"
    assert v.person(world.outsider_id) is None

    v = s.visits.add_participant(v.id, world.outsider_id, "host", "escort", v.version)
    assert v.participants[-1].person_id == world.outsider_id
    assert v.participants[-1].role == "escort"
    v = s.visits.update_participant(v.id, world.outsider_id, side="guest", role="interpreter",
                                    expected_version=v.version)
    assert (v.participants[-1].side, v.participants[-1].role) == ("guest", "interpreter")
    v = s.visits.remove_participant(v.id, world.outsider_id, v.version)
    assert world.outsider_id not in {p.person_id for p in v.participants}
    assert s.people.get(world.outsider_id).family_name == "Outsider"  # the person stays


def test_participant_mistakes_are_refused(world) -> None:
    s = world.services
    with pytest.raises(ConflictError, match=r"Tanaka Haruto already takes part in this visit\."):
        s.visits.add_participant(world.visit_id, world.guest_id, "guest", "member")
    with pytest.raises(NotFoundError, match=r"There is no person #999\."):
        s.visits.add_participant(world.visit_id, 999, "guest", "member")
    with pytest.raises(ValidationError) as err:
        s.visits.add_participant(world.visit_id, world.outsider_id, "visitor", "boss")
    assert [str(p) for p in err.value.problems] == [
        "side: 'visitor' is not one of guest, host",
        "role: 'boss' is not one of head, member, staff, interpreter, security, host, escort"]
    with pytest.raises(NotFoundError, match=r"Person #\d+ does not take part in Visit of the "
                                            r"Rector of Kyoto University."):
        s.visits.remove_participant(world.visit_id, world.outsider_id)


def test_removing_a_participant_takes_them_off_events(world) -> None:
    s = world.services
    e = s.events.create(world.visit_id, title="Lunch", kind="meal", start=ny(2027, 3, 12, 12),
                        end=ny(2027, 3, 12, 13),
                        attendee_ids=(world.guest_id, world.member_id, world.host_id),
                        host_person_id=world.member_id)
    s.visits.remove_participant(world.visit_id, world.member_id)
    after = s.events.get(e.id)
    assert after.attendee_ids == (world.guest_id, world.host_id)
    assert after.host_person_id is None


def test_a_participant_with_a_gift_is_not_removed(world, db_path) -> None:
    s = world.services
    s.gifts.create(world.visit_id, direction="received", giver_person_id=world.guest_id,
                   recipient_person_id=world.host_id, description="Vase")
    before = row_counts(db_path)
    with pytest.raises(ConflictError, match=r"Tanaka Haruto gave or received a gift on this visit; "
                                            r"change the gift first\. Nothing was removed\."):
        s.visits.remove_participant(world.visit_id, world.guest_id)
    assert row_counts(db_path) == before


def test_participant_refs_stay_unique_in_the_visit(services) -> None:
    """A ref made for a new participant never repeats one a package gave (so the visit
    still exports to a package that imports)."""
    import json

    doc = {"format": "protocol-visit/1",
           "visit": {"id": "refs-2027", "title": "Refs", "timezone": "UTC",
                     "start_date": "2027-01-01", "end_date": "2027-01-02", "country": "JP"},
           "people": [{"ref": "p2", "family_name": "Zed"}],
           "delegation": [{"person": "p2", "side": "guest", "role": "head"}]}
    services.people.create(family_name="First")
    second = services.people.create(family_name="Second")  # person #2
    services.packages.import_bytes(json.dumps(doc).encode())
    v = services.visits.add_participant("refs-2027", second.id, "host", "host")
    refs = [p.ref for p in v.participants]
    assert len(set(refs)) == len(refs) == 2


def test_delete_removes_events_participants_and_gifts_but_not_people(world, db_path) -> None:
    s = world.services
    s.events.create(world.visit_id, title="Lunch", start=ny(2027, 3, 12, 12),
                    end=ny(2027, 3, 12, 13), attendee_ids=(world.guest_id,))
    s.gifts.create(world.visit_id, direction="given", description="Book")
    s.visits.delete(world.visit_id)
    counts = row_counts(db_path)
    assert (counts["visits"], counts["events"], counts["participants"], counts["gifts"],
            counts["event_attendees"]) == (0, 0, 0, 0, 0)
    assert counts["people"] == 4
    with pytest.raises(NotFoundError):
        s.visits.get(world.visit_id)


def test_delete_can_keep_a_package_copy_that_brings_the_visit_back(world, tmp_path,
                                                                   db_path) -> None:
    s = world.services
    s.events.create(world.visit_id, title="Lunch", start=ny(2027, 3, 12, 12),
                    end=ny(2027, 3, 12, 13), attendee_ids=(world.guest_id,))
    before = s.visits.get(world.visit_id)
    folder = tmp_path / "kept" / "deleted-visits"
    kept = s.visits.delete(world.visit_id, before.version, keep_copy=folder)
    assert kept is not None and kept.parent == folder
    assert re.fullmatch(rf"{before.public_id}-\d{{8}}T\d{{6}}Z\.json", kept.name)
    assert (folder.stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o700, 0o600)
    assert row_counts(db_path)["visits"] == 0
    report = s.packages.import_file(kept)
    back = s.visits.get(report.visit_id)
    assert (back.public_id, back.title) == (before.public_id, before.title)
    assert [e.title for e in back.events] == ["Lunch"]
    assert len(back.participants) == len(before.participants)
    assert s.visits.delete(back.id, back.version) is None  # no copy unless asked


def test_nothing_is_deleted_when_the_copy_cannot_be_kept(world, tmp_path, db_path) -> None:
    s = world.services
    visit = s.visits.get(world.visit_id)
    not_a_folder = tmp_path / "deleted-visits"
    not_a_folder.write_text("a file where the folder should be\n")
    with pytest.raises(ProtocolError, match="nothing was deleted") as refused:
        s.visits.delete(visit.id, visit.version, keep_copy=not_a_folder)
    assert str(not_a_folder) in str(refused.value) and visit.title in str(refused.value)
    assert row_counts(db_path)["visits"] == 1
    assert s.visits.get(visit.id).version == visit.version


def test_a_refused_delete_leaves_no_copy_behind(world, tmp_path, db_path) -> None:
    s = world.services
    visit = s.visits.get(world.visit_id)
    s.visits.update(visit.id, visit.version, purpose="Changed by a colleague")
    folder = tmp_path / "kept"
    with pytest.raises(StaleWriteError):
        s.visits.delete(visit.id, visit.version, keep_copy=folder)
    assert row_counts(db_path)["visits"] == 1
    assert not folder.exists() or list(folder.iterdir()) == []


def test_duplicate_as_template(world) -> None:
    """Same people and itinerary at the same local times a week later (across the
    14 March 2027 change to daylight time), new calendar UIDs, status proposed."""
    s = world.services
    source = s.visits.update(world.visit_id, None, status="confirmed")
    talk = s.events.create(world.visit_id, ref="e1", title="Talk", start=ny(2027, 3, 12, 10),
                           end=ny(2027, 3, 12, 11, 30), attendee_ids=(world.guest_id,),
                           host_person_id=world.host_id, venue_name="Founders Hall",
                           venue_room="Rotunda", notes="Bring slides")
    dropped = s.events.create(world.visit_id, ref="e2", title="Dropped",
                              start=ny(2027, 3, 13, 9), end=ny(2027, 3, 13, 10))
    s.events.cancel(dropped.id, dropped.version)
    source = s.visits.get(world.visit_id)

    copy = s.visits.duplicate(source.id, date(2027, 3, 19), title="Second visit")
    assert copy.id != source.id
    assert copy.public_id == "second-visit-2027"
    assert (copy.title, copy.status) == ("Second visit", "proposed")
    assert (copy.start_date, copy.end_date) == (date(2027, 3, 19), date(2027, 3, 23))
    assert [(p.person_id, p.side, p.role) for p in copy.participants] == [
        (p.person_id, p.side, p.role) for p in source.participants]
    first, second = copy.events
    # 10:00 EST on 12 March is 10:00 EDT on 19 March: the UTC times differ by 7 days - 1 hour
    assert format_local(first.start_utc, first.timezone) == "2027-03-19 10:00"
    assert format_local(first.end_utc, first.timezone) == "2027-03-19 11:30"
    assert first.start_utc == datetime(2027, 3, 19, 14, 0, tzinfo=UTC)
    assert (first.ref, first.title, first.venue_name, first.venue_room, first.notes) == (
        "e1", "Talk", "Founders Hall", "Rotunda", "Bring slides")
    assert first.attendee_ids == (world.guest_id,) and first.host_person_id == world.host_id
    assert first.uid != talk.uid and first.sequence == 0
    assert second.status == "tentative"  # a cancelled item comes back to be decided
    # the source is untouched
    assert s.visits.get(source.id) == source
    assert len({e.uid for e in s.events.list(source.id)} | {e.uid for e in copy.events}) == 4


def test_duplicate_with_a_public_id_and_into_a_skipped_hour(world) -> None:
    s = world.services
    s.events.create(world.visit_id, title="Early", start=ny(2027, 3, 7, 2, 30),
                    end=ny(2027, 3, 7, 3, 30))
    copy = s.visits.duplicate(world.visit_id, date(2027, 3, 19), public_id="kyoto-again")
    assert copy.public_id == "kyoto-again"
    (early,) = copy.events
    # 02:30 does not exist on 14 March: moved forward by the hour the clocks skip
    assert format_local(early.start_utc, early.timezone) == "2027-03-14 03:30"
    assert early.end_utc > early.start_utc


def test_visit_ids_are_readable_text(services) -> None:
    v = services.visits.create(title="Ünïcode — visit of 田中", timezone="Asia/Tokyo",
                               start_date=date(2027, 5, 1), end_date=date(2027, 5, 2),
                               country="JP")
    assert re.fullmatch(r"[a-z0-9-]+", v.public_id)
    assert v.public_id == "unicode-visit-of-2027"
