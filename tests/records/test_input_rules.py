"""Input rules found by hostile testing (issue 12): line separators and control
characters, dates a calendar can carry, time zones of the tz database, offsets in the
skipped hour, repeated JSON keys, week dates, list sizes.  Each rule holds in the
services and through import, with the field's path, and nothing is stored."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from protocol_app.errors import PackageError, ValidationError
from protocol_app.records import fields
from protocol_app.records.models import Event, Person, Visit
from tests.support.helpers import MINIMAL, deep_copy, package_bytes, row_counts
from tests.support.times import ny

SEPARATORS = ["\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x80", "\x9b", "\x9f"]


def _refused(services, db_path, doc: dict) -> list[str]:
    before = row_counts(db_path)
    with pytest.raises(PackageError) as err:
        services.packages.import_bytes(package_bytes(doc), "visit.json")
    assert row_counts(db_path) == before
    return [str(p) for p in err.value.problems]


# -- line separators and control characters ----------------------------------------------
@pytest.mark.parametrize("char", SEPARATORS)
def test_one_line_fields_refuse_every_line_separator(services, db_path, char: str) -> None:
    doc = deep_copy(MINIMAL)
    doc["events"][1]["title"] = f"Lunch{char}with the Rector"
    doc["people"][0]["given_name"] = f"Ha{char}ruto"
    doc["events"][0]["venue"] = {"name": f"Hall{char}A"}
    code = f"U+{ord(char):04X}"
    problems = _refused(services, db_path, doc)
    assert f"events[1].title: contains a line separator ({code}): it must be one line" \
        in problems
    assert any(p.startswith(f"people[0].given_name: contains a line separator ({code})")
               for p in problems)
    assert any(p.startswith("events[0].venue.name: contains a line separator")
               for p in problems), problems


@pytest.mark.parametrize("char", SEPARATORS + CONTROLS + ["\t"])
def test_the_services_refuse_them_in_one_line_fields(world, char: str) -> None:
    s = world.services
    with pytest.raises(ValidationError) as err:
        s.events.create(world.visit_id, title=f"Dinner{char}", start=ny(2027, 3, 12, 19),
                        end=ny(2027, 3, 12, 21))
    assert str(err.value.problems[0]).startswith("title: contains a")
    assert f"(U+{ord(char):04X})" in str(err.value.problems[0])
    with pytest.raises(ValidationError):
        s.people.create(family_name="Okafor", phone=f"+1 555{char}0100")
    with pytest.raises(ValidationError):
        s.visits.update(world.visit_id, None, title=f"Visit{char}")
    assert s.visits.get(world.visit_id).events == ()


def test_text_of_several_lines_keeps_line_breaks_and_tabs_only(world) -> None:
    s = world.services
    person = s.people.create(family_name="Okafor", bio="First line\r\nSecond\tline\n")
    assert person.bio == "First line\r\nSecond\tline\n"
    for char in ["\u2028", "\x85", "\x0c"]:
        with pytest.raises(ValidationError, match=r"bio: contains a line separator .*"
                                                  r"use an ordinary line break"):
            s.people.update(person.id, None, bio=f"a{char}b")
    with pytest.raises(ValidationError, match=r"bio: contains a control character \(U\+0007\)"):
        s.people.update(person.id, None, bio="bell\x07")


def test_a_line_separator_in_an_imported_title_no_longer_reaches_the_invites(
        services, db_path) -> None:
    doc = deep_copy(MINIMAL)
    doc["events"][0]["title"] = "Welcome\u2028Reception"
    doc["visit"]["organizer"] = {"name": "Office\x85of Protocol", "email": "p@example.edu"}
    problems = _refused(services, db_path, doc)
    assert "events[0].title: contains a line separator (U+2028): it must be one line" \
        in problems
    assert ("visit.organizer.name: contains a line separator (U+0085): it must be one line"
            in problems)


# -- dates a calendar can carry ---------------------------------------------------------------
@pytest.mark.parametrize("when", ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"])
def test_dates_outside_1900_to_2200_are_refused_at_import(services, db_path, when) -> None:
    doc = deep_copy(MINIMAL)
    doc["visit"]["start_date"] = when
    doc["visit"]["end_date"] = when
    doc["events"][0]["start"] = f"{when}T10:00"
    doc["events"][0]["end"] = f"{when}T11:00"
    doc["people"][0]["rank_date"] = when
    doc["gifts"][0]["date"] = when
    problems = _refused(services, db_path, doc)
    message = f"{when} is outside the dates a calendar can carry (1900-01-01 to 2200-12-31)"
    for path in ("visit.start_date", "visit.end_date", "events[0].start", "events[0].end",
                 "people[0].rank_date", "gifts[0].date"):
        assert f"{path}: {message}" in problems, (path, problems)


def test_dates_outside_the_range_are_refused_by_the_services(world) -> None:
    s = world.services
    with pytest.raises(ValidationError, match="start_date: 0001-01-01 is outside"):
        s.visits.update(world.visit_id, None, start_date=date(1, 1, 1))
    with pytest.raises(ValidationError, match="start: 0001-01-01 is outside"):
        s.events.create(world.visit_id, title="Old", start=datetime(1, 1, 1, 10, tzinfo=UTC),
                        end=datetime(1, 1, 1, 11, tzinfo=UTC))
    with pytest.raises(ValidationError, match="rank_date: 2201-01-01 is outside"):
        s.people.update(world.guest_id, None, rank_date=date(2201, 1, 1))
    with pytest.raises(ValidationError, match="date: 1899-12-31 is outside"):
        s.gifts.create(world.visit_id, direction="given", description="Vase",
                       date=date(1899, 12, 31))
    # the edges are calendar dates
    s.visits.update(world.visit_id, None, start_date=date(1900, 1, 1))
    s.visits.update(world.visit_id, None, end_date=date(2200, 12, 31))


@pytest.mark.parametrize("raw", ["2027-W09-4", "2027-060", "20270304", "2027-W09"])
def test_week_and_ordinal_dates_are_not_dates(services, db_path, raw: str) -> None:
    doc = deep_copy(MINIMAL)
    doc["visit"]["start_date"] = raw
    doc["events"][0]["start"] = f"{raw}T10:00"
    problems = _refused(services, db_path, doc)
    assert f"visit.start_date: '{raw}' is not a date (YYYY-MM-DD)" in problems
    assert f"events[0].start: '{raw}T10:00' is not a date and time (YYYY-MM-DDTHH:MM)" \
        in problems


# -- time zones ----------------------------------------------------------------------------
@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory", "/etc/localtime",
                                  "../zoneinfo/UTC", "posix/Europe/Paris", "right/UTC"])
def test_only_names_of_the_tz_database_are_zones(world, services, db_path, zone) -> None:
    doc = deep_copy(MINIMAL)
    doc["visit"]["timezone"] = zone
    doc["events"][0]["timezone"] = zone
    problems = _refused(services, db_path, doc)
    message = f"'{zone}' is not a known IANA time zone (such as America/New_York)"
    assert f"visit.timezone: {message}" in problems
    assert f"events[0].timezone: {message}" in problems
    with pytest.raises(ValidationError, match=r"timezone: .* is not a known IANA time zone"):
        world.services.visits.update(world.visit_id, None, timezone=zone)


def test_utc_and_ordinary_names_are_zones() -> None:
    assert fields.timezone_problem("UTC") is None
    assert fields.timezone_problem("America/Argentina/Buenos_Aires") is None
    assert fields.timezone_problem("Etc/GMT+5") is None


# -- offsets and the skipped hour --------------------------------------------------------------
@pytest.mark.parametrize("start", [
    "2027-03-14T03:30-05:00",  # 03:30 is EDT that day: -05:00 names another instant
    "2027-03-14T01:30-04:00",  # 01:30 is still EST
    "2027-03-14T02:30-05:00",  # in the skipped hour, with the offset before the change
    "2027-03-14T02:30-04:00",  # in the skipped hour, with the offset after it
    "2027-03-14T02:30",        # in the skipped hour, no offset
    "2027-03-12T10:00+09:00",  # Tokyo's offset, not New York's
])
def test_an_offset_must_be_the_zones_at_that_wall_clock_time(services, db_path, start) -> None:
    doc = deep_copy(MINIMAL)
    doc["events"][0].update(start=start, end="2027-03-14T06:00")
    problems = _refused(services, db_path, doc)
    assert any(p.startswith("events[0].start: ") and ("not in force" in p or "does not exist"
                                                      in p) for p in problems), problems


@pytest.mark.parametrize(("start", "utc_hour"), [
    ("2027-11-07T01:30-04:00", 5), ("2027-11-07T01:30-05:00", 6),  # the repeated hour
    ("2027-03-14T03:30-04:00", 7), ("2027-03-14T01:30-05:00", 6)])
def test_the_right_offset_is_taken(services, start: str, utc_hour: int) -> None:
    doc = deep_copy(MINIMAL)
    doc["visit"].update(start_date="2027-03-12", end_date="2027-11-16")
    doc["events"][0].update(start=start, end=start[:10] + "T08:00")
    services.packages.import_bytes(package_bytes(doc))
    welcome = next(e for e in services.visits.get("jp-rector-2027").events if e.ref == "e1")
    assert welcome.start_utc.hour == utc_hour


# -- repeated keys, sizes --------------------------------------------------------------------
def test_a_repeated_json_key_is_refused_with_its_path(services, db_path) -> None:
    text = json.dumps(MINIMAL).replace('"title": "Lunch"', '"title": "Lunch", "title": "Tea"')
    text = text.replace('"format": "protocol-visit/1"',
                        '"format": "protocol-visit/1", "format": "protocol-visit/1"')
    before = row_counts(db_path)
    with pytest.raises(PackageError) as err:
        services.packages.import_bytes(text.encode(), "visit.json")
    assert row_counts(db_path) == before
    assert [str(p) for p in err.value.problems] == [
        "format: is given twice in one object (each key may appear once)",
        "events[1].title: is given twice in one object (each key may appear once)"]


def test_a_million_languages_are_one_problem(world, services, db_path) -> None:
    doc = deep_copy(MINIMAL)
    doc["people"][0]["languages"] = ["en"] * 1_000_000
    problems = _refused(services, db_path, doc)
    assert problems == ["people[0].languages: lists 1,000,000 languages; at most 20"]
    with pytest.raises(ValidationError, match="languages: lists 21 languages; at most 20"):
        world.services.people.update(world.guest_id, None, languages=["en"] * 21)
    with pytest.raises(ValidationError, match="languages: is too long"):
        world.services.people.update(world.guest_id, None,
                                     languages=[f"en-{i:08d}" for i in range(20)])


@pytest.mark.parametrize(("model", "limits"), [
    (Person, fields.PERSON_LENGTHS), (Visit, fields.VISIT_LENGTHS),
    (Event, fields.EVENT_LENGTHS)])
def test_the_length_limits_are_the_column_lengths(model, limits) -> None:
    columns = {"venue_room": "room", "organization": None, "venue_name": None}
    for name, limit in limits.items():
        column = columns.get(name, name)
        if column is None:  # stored in another table (organizations.name, venues.name)
            continue
        assert model.__table__.c[column].type.length == limit, name
    assert fields.PERSON_LENGTHS["organization"] == 300  # organizations.name
    assert fields.EVENT_LENGTHS["venue_name"] == 300  # venues.name


def test_a_value_longer_than_its_column_is_refused(world) -> None:
    with pytest.raises(ValidationError, match=r"phone: is too long \(61 characters; at most 60"):
        world.services.people.update(world.guest_id, None, phone="1" * 61)
    with pytest.raises(ValidationError, match=r"honorific: is too long"):
        world.services.people.update(world.guest_id, None, honorific="H" * 101)


def test_the_report_lists_changes_to_the_visits_own_fields(services) -> None:
    services.packages.import_bytes(package_bytes(MINIMAL))
    doc = deep_copy(MINIMAL)
    doc["visit"].update(title="Visit of the President", end_date="2027-03-17")
    report = services.packages.import_bytes(package_bytes(doc))
    assert report.visit_changes == ["title: Visit of the Rector → Visit of the President",
                                    "end_date: 2027-03-16 → 2027-03-17"]
    assert report.lines()[:2] == [
        "Updated visit jp-rector-2027: Visit of the President",
        "  visit changed: title: Visit of the Rector → Visit of the President; "
        "end_date: 2027-03-16 → 2027-03-17"]
