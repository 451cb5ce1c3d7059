"""Every rule of the visit-package format (docs: /work/shared/visit-package.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from protocol_app.errors import PackageError, ProtocolError
from protocol_app.packages.reader import read_package
from tests.support.helpers import MINIMAL, deep_copy, demo_document, package_bytes, row_counts


def _minimal() -> dict:
    return deep_copy(MINIMAL)


def _problems(services, doc_or_bytes, db_path) -> list[str]:
    """Import something that must be refused; check nothing changed; the problems."""
    before = row_counts(db_path)
    data = doc_or_bytes if isinstance(doc_or_bytes, bytes) else package_bytes(doc_or_bytes)
    with pytest.raises(PackageError) as err:
        services.packages.import_bytes(data, "visit.json")
    assert row_counts(db_path) == before
    assert "Traceback" not in str(err.value)
    return [str(p) for p in err.value.problems]


def test_a_valid_package_imports(services) -> None:
    report = services.packages.import_bytes(package_bytes(_minimal()), "visit.json")
    assert report.created and report.public_id == "jp-rector-2027"
    assert report.lines() == ["Imported new visit jp-rector-2027: Visit of the Rector",
                              "  2 people added: Tanaka Haruto, Caroline Mercer"]
    v = services.visits.get("jp-rector-2027")
    assert v.status == "planned"  # the default
    assert [(p.ref, p.person.display_name) for p in v.participants] == [
        ("p1", "Tanaka Haruto"), ("p2", "Caroline Mercer")]
    welcome, lunch = v.events
    assert welcome.start_utc == datetime(2027, 3, 12, 15, tzinfo=UTC)
    assert (welcome.kind, welcome.status, welcome.timezone) == ("meeting", "confirmed",
                                                                "America/New_York")
    assert welcome.host_person_id == v.participants[1].person_id
    assert (lunch.venue_name, lunch.venue_room) == ("Hollis House", "Garden Room")
    (fan,) = v.gifts
    assert (fan.giver_person_id, fan.recipient_person_id, fan.value) == (
        v.participants[0].person_id, v.participants[1].person_id, 80)


def test_all_or_nothing_and_every_error_at_once_with_its_path(services, db_path) -> None:
    doc = demo_document("ministerial")
    doc["events"][3]["end"] = "2027-03-11T18:00"  # before its start (19:00)
    doc["people"][2]["family_name"] = ""
    doc["people"][5]["email"] = "bui at moet"
    doc["delegation"][1]["role"] = "boss"
    doc["events"][0]["attendees"].append("nobody")
    doc["events"][7]["timezone"] = "Asia/Hanoi City"
    doc["gifts"][2]["currency"] = "dong"
    doc["visit"]["end_date"] = "2027-03-01"
    assert _problems(services, doc, db_path) == [
        "visit.end_date: ends (2027-03-01) before it starts (2027-03-11)",
        "people[2].family_name: is required",
        "people[5].email: 'bui at moet' is not an e-mail address",
        "delegation[1].role: 'boss' is not one of head, member, staff, interpreter, security, "
        "host, escort",
        "events[0].attendees[10]: 'nobody' is not the ref of a person in this file",
        "events[3].end: must be after the start",
        "events[7].timezone: 'Asia/Hanoi City' is not a known IANA time zone (such as "
        "America/New_York)",
        "gifts[2].currency: 'dong' is not an ISO 4217 code (such as USD, EUR, JPY)",
    ]


def test_a_store_level_error_imports_nothing_either(services, db_path) -> None:
    """A problem found only against the database (the visit is already completed) still
    leaves every table as it was."""
    doc = _minimal()
    doc["visit"]["status"] = "confirmed"
    services.packages.import_bytes(package_bytes(doc))
    v = services.visits.get("jp-rector-2027")
    services.visits.update(v.id, v.version, status="completed")
    doc["visit"]["status"] = "planned"
    doc["people"].append({"ref": "p3", "family_name": "New"})
    doc["delegation"].append({"person": "p3", "side": "guest", "role": "member"})
    assert _problems(services, doc, db_path) == [
        "visit.status: cannot go from completed to planned; from completed it can go to "
        "nothing (it is final)"]


def test_unknown_fields_are_refused_by_name(services, db_path) -> None:
    doc = _minimal()
    doc["colour"] = "blue"
    doc["visit"]["Title"] = "typo"
    doc["people"][0]["surname"] = "Tanaka"
    doc["events"][1]["venue"]["floor"] = 2
    doc["gifts"][0]["worth"] = 3
    doc["delegation"][0]["rank"] = 1
    doc["visit"]["organizer"] = {"name": "Office", "mail": "x@example.org"}
    assert _problems(services, doc, db_path) == [
        "colour: is not a field of this format (check the spelling)",
        "visit.Title: is not a field of this format (check the spelling)",
        "visit.organizer.mail: is not a field of this format (check the spelling)",
        "people[0].surname: is not a field of this format (check the spelling)",
        "delegation[0].rank: is not a field of this format (check the spelling)",
        "events[1].venue.floor: is not a field of this format (check the spelling)",
        "gifts[0].worth: is not a field of this format (check the spelling)",
    ]


@pytest.mark.parametrize(("value", "message"), [
    ("protocol-visit/2", "format: 'protocol-visit/2' is not supported; this version reads "
                         "\"protocol-visit/1\""),
    ("ical", "format: 'ical' is not supported; this version reads \"protocol-visit/1\""),
    (None, "format: must be \"protocol-visit/1\""),
])
def test_another_format_is_refused_by_name(services, db_path, value, message) -> None:
    doc = _minimal()
    if value is None:
        del doc["format"]
    else:
        doc["format"] = value
    assert _problems(services, doc, db_path) == [message]


def test_a_file_that_is_not_json_gets_one_message_naming_the_file(services, tmp_path,
                                                                  db_path) -> None:
    path = tmp_path / "programme.json"
    path.write_text('{"format": "protocol-visit/1",\n "visit": {"title": "x",}\n}',
                    encoding="utf-8")
    before = row_counts(db_path)
    with pytest.raises(PackageError) as err:
        services.packages.import_file(path)
    assert str(err.value) == (f"{path} is not valid JSON: Expecting property name "
                              "enclosed in double quotes at line 2, column 25.")
    assert row_counts(db_path) == before


def test_a_file_that_is_not_utf8_gets_one_message_naming_the_file(services, tmp_path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"format": "protocol-visit/1", "visit": {"title": "José"}}'
                     .encode("latin-1"))
    with pytest.raises(PackageError) as err:
        services.packages.import_file(path)
    assert str(err.value) == (f"{path} is not UTF-8 text: byte 0xe9 at position 54 cannot "
                              "be read. Save the file as UTF-8 and import it again.")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "visit.json is not valid JSON: Expecting value at line 1, column 1."),
    (b"[1, 2]", 'visit.json is not a visit package: it must be a JSON object ({...}) with '
                '"format": "protocol-visit/1".'),
    (b'"just text"', "visit.json is not a visit package"),
    (b"[" * 100_000, "visit.json is nested too deeply to be a visit package."),
    (b'{"format": ' + b"9" * 5000 + b"}", "visit.json is not a usable JSON document: "),
    (b"\xff\xfe{\x00}\x00", "visit.json is not UTF-8 text: byte 0xff at position 0"),
])
def test_unusable_bytes_get_one_clear_message(services, db_path, data, message) -> None:
    problems = _problems(services, data, db_path)
    assert len(problems) == 1 and problems[0].startswith(message)


def test_a_missing_file_is_a_protocol_error(services, tmp_path) -> None:
    with pytest.raises(ProtocolError, match=r"^Cannot read .*nowhere\.json: No such file or "
                                            r"directory\.$"):
        services.packages.import_file(tmp_path / "nowhere.json")


def test_a_utf8_bom_is_accepted(services) -> None:
    report = services.packages.import_bytes(b"\xef\xbb\xbf" + package_bytes(_minimal()))
    assert report.created


def test_a_local_time_in_the_dst_gap_is_refused(services, db_path) -> None:
    doc = _minimal()
    doc["events"][0]["start"] = "2027-03-14T02:30"
    doc["events"][0]["end"] = "2027-03-14T03:30"
    assert _problems(services, doc, db_path) == [
        "events[0].start: 2027-03-14T02:30 does not exist in America/New_York (the clocks go "
        "forward at that hour); choose a time before or after the change"]


def test_the_repeated_hour_takes_its_first_occurrence_or_the_offset_given(services) -> None:
    doc = _minimal()
    doc["events"][0].update(start="2027-11-07T01:30", end="2027-11-07T01:45")  # EDT
    doc["events"][1].update(start="2027-11-07T01:30-05:00", end="2027-11-07T02:10")  # EST
    services.packages.import_bytes(package_bytes(doc))
    first, second = services.visits.get("jp-rector-2027").events
    assert first.start_utc == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)
    assert second.start_utc == datetime(2027, 11, 7, 6, 30, tzinfo=UTC)
    doc["events"][0]["start"] = "2027-11-07T01:30+09:00"
    with pytest.raises(PackageError, match=r"events\[0\].start: '2027-11-07T01:30\+09:00': that "
                                           r"offset is not in force in America/New_York"):
        services.packages.import_bytes(package_bytes(doc))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("start", "2027-03-12", "events[0].start: '2027-03-12' is not a date and time "
                            "(YYYY-MM-DDTHH:MM)"),
    ("start", "12/03/2027 10:00", "events[0].start: '12/03/2027 10:00' is not a date and time"),
    ("start", 1741780800, "events[0].start: must be text"),
    ("start", "9999-12-31T23:00", "events[0].start: 9999-12-31 is outside the dates a "
                                  "calendar can carry (1900-01-01 to 2200-12-31)"),
    ("end", None, "events[0].end: is required"),
    ("timezone", "EST+5", "events[0].timezone: 'EST+5' is not a known IANA time zone"),
    ("status", "postponed", "events[0].status: 'postponed' is not one of tentative, "
                            "confirmed, cancelled"),
    ("attendees", "p1", "events[0].attendees: must be a list ([...])"),
    ("host", "p9", "events[0].host: 'p9' is not the ref of a person in this file"),
    ("venue", "Hall", "events[0].venue: must be an object ({...})"),
    ("ref", "e2", "events[1].ref: 'e2' is used by another event in this file"),
    ("title", "x" * 501, "events[0].title: is too long (501 characters; at most 500)"),
    ("notes", "x" * 20_001, "events[0].notes: is too long (20,001 characters; at most 20,000)"),
])
def test_event_problems_name_their_path(services, db_path, field, value, message) -> None:
    doc = _minimal()
    doc["events"][0][field] = value
    problems = _problems(services, doc, db_path)
    assert len(problems) == 1 and problems[0].startswith(message), problems


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["people"][1].update(ref="p1"),
     "people[1].ref: 'p1' is used by another person in this file"),
    (lambda d: d["people"][1].update(email="TANAKA@kyoto.example.jp"),
     "people[1].email: 'TANAKA@kyoto.example.jp' is also the e-mail of people[0]"),
    (lambda d: d["people"][0].update(ref="a\nb"),
     "people[0].ref: contains a line separator (U+000A): it must be one line"),
    (lambda d: d["people"][0].update(ref="r" * 121),
     "people[0].ref: is too long (121 characters; at most 120)"),
    (lambda d: d["people"][0].update(languages=["ja", 7]),
     "people[0].languages: must be a list of language tags"),
    (lambda d: d["people"][0].update(rank_date="11 Feb 2025"),
     "people[0].rank_date: '11 Feb 2025' is not a date (YYYY-MM-DD)"),
    (lambda d: d["people"][0].update(family_name="x" * 10_000),
     "people[0].family_name: is too long (10,000 characters; at most 200)"),
    (lambda d: d["people"][0].update(country="Japan"),
     "people[0].country: 'Japan' is not an ISO 3166-1 alpha-2 country code"),
    (lambda d: d["delegation"].append({"person": "p1", "side": "guest", "role": "member"}),
     "delegation[2].person: 'p1' is already in the delegation"),
    (lambda d: d["delegation"][0].update(person="p7"),
     "delegation[0].person: 'p7' is not the ref of a person in this file"),
    (lambda d: d["delegation"].pop(),
     "events[0].attendees[1]: 'p2' is not in the delegation"),
    (lambda d: d["gifts"][0].update(value=-3), "gifts[0].value: must be a number, zero or more"),
    (lambda d: d["gifts"][0].update(value=10 ** 400),
     "gifts[0].value: must be a number, zero or more"),
    (lambda d: d["gifts"][0].update(**{"from": "p5"}),
     "gifts[0].from: 'p5' is not the ref of a person in this file"),
    (lambda d: d["visit"].update(id="has spaces"),
     "visit.id: must be letters, digits, '.', '_' or '-'"),
    (lambda d: d["visit"].update(country="jp"),
     "visit.country: 'jp' is not an ISO 3166-1 alpha-2 country code"),
    (lambda d: d["visit"].update(start_date="2027-02-30"),
     "visit.start_date: '2027-02-30' is not a date (YYYY-MM-DD)"),
    (lambda d: d["visit"].pop("title"), "visit.title: is required"),
    (lambda d: d.pop("visit"), "visit: is required"),
    (lambda d: d.update(people={"p1": {}}), "people: must be a list ([...])"),
    (lambda d: d["people"].append("p3"), "people[2]: must be an object ({...})"),
])
def test_people_delegation_gift_and_visit_problems_name_their_path(services, db_path, mutate,
                                                                   message) -> None:
    doc = _minimal()
    mutate(doc)
    problems = _problems(services, doc, db_path)
    assert any(p.startswith(message) for p in problems), problems


def test_text_with_a_lone_surrogate_is_refused_with_its_path(services, db_path) -> None:
    doc = _minimal()
    doc["people"][0]["given_name"] = "\ud800"
    doc["events"][0]["notes"] = "half an emoji \ud83d"
    data = json.dumps(doc).encode("ascii")  # escaped as \ud800 in the JSON text
    assert _problems(services, data, db_path) == [
        "people[0].given_name: contains an invalid character (an escaped half of a UTF-16 "
        "surrogate pair)",
        "events[0].notes: contains an invalid character (an escaped half of a UTF-16 "
        "surrogate pair)"]
    doc["people"][0]["given_name"] = "😀"  # a proper pair is fine
    doc["events"][0]["notes"] = "👍🏽"
    assert services.packages.import_bytes(json.dumps(doc).encode("ascii")).created


def test_a_person_who_exists_is_reused_by_email(services) -> None:
    kept = services.people.create(family_name="Tanaka", given_name="H.",
                                  email="Tanaka@Kyoto.example.jp", bio="Stays")
    services.packages.import_bytes(package_bytes(_minimal()))
    assert services.people.count("tanaka") == 1
    v = services.visits.get("jp-rector-2027")
    reused = v.participants[0].person
    assert reused.id == kept.id
    assert (reused.given_name, reused.bio) == ("Haruto", "Stays")  # updated from the package


def test_a_person_who_exists_is_reused_by_name_and_organization(services) -> None:
    kept = services.people.create(family_name="Mercer", given_name="Caroline",
                                  organization="Alderbrook University")
    other = services.people.create(family_name="Mercer", given_name="Caroline",
                                   organization="Another College")
    services.packages.import_bytes(package_bytes(_minimal()))
    v = services.visits.get("jp-rector-2027")
    assert v.participants[1].person_id == kept.id != other.id
    assert services.people.count("mercer") == 2


def test_a_person_listed_twice_is_refused_not_half_imported(services, db_path) -> None:
    doc = _minimal()
    doc["people"][1].update(family_name="Tanaka", given_name="Haruto",
                            organization="Kyoto University")
    del doc["people"][0]["email"]
    assert _problems(services, doc, db_path) == [
        "people[1]: is the same person as people[0] (same e-mail, or same name and "
        "organization); list each person once"]


def test_demo_people_shared_between_visits_are_not_duplicated(demo_services) -> None:
    emails = set()
    for name in ("ministerial", "ambassador", "reception"):
        emails |= {p["email"].lower() for p in demo_document(name)["people"]}
    assert demo_services.people.count() == len(emails) == 25
    assert demo_services.people.count("mercer") == 1
    president = demo_services.people.search("mercer")[0]
    in_visits = [v for v in demo_services.visits.list()
                 if demo_services.visits.get(v.id).person(president.id)]
    assert len(in_visits) == 3


def test_reimport_updates_in_place_with_a_report(services) -> None:
    doc = demo_document("ambassador")
    first = services.packages.import_bytes(package_bytes(doc))
    before = {e.ref: e for e in services.visits.get(first.visit_id).events}
    visits_before = len(services.visits.list())

    doc["events"][1]["title"] = "Courtesy call on the President of the University"  # c02
    doc["events"][2]["start"] = "2027-04-22T11:50"  # c03 moved
    removed = doc["events"].pop(3)  # c04 withdrawn
    assert removed["ref"] == "c04"
    doc["events"].append({"ref": "c05", "title": "Departure", "kind": "transport",
                          "start": "2027-04-22T14:00", "end": "2027-04-22T14:15",
                          "attendees": ["in-ambassador"]})
    doc["people"][3]["position"] = "Provost"  # au-vp-global (Okafor) changed
    dean = doc["people"].pop(4)  # au-dean-eng attended only c04
    assert dean["ref"] == "au-dean-eng"
    doc["delegation"] = [d for d in doc["delegation"] if d["person"] != "au-dean-eng"]
    doc["people"].append({"ref": "in-attache", "family_name": "Rao", "given_name": "Anil",
                          "organization": "Embassy of India, Washington, DC"})
    doc["delegation"].append({"person": "in-attache", "side": "guest", "role": "staff"})
    doc["gifts"].pop()

    report = services.packages.import_bytes(package_bytes(doc))
    assert not report.created and report.visit_id == first.visit_id
    assert report.people_added == ["Anil Rao"]
    assert report.people_changed == ["Samuel Okafor"]
    assert report.people_removed == ["Noa Ben-Ami"]
    assert report.events_added == ["c05 (Departure)"]
    assert report.events_changed == [
        "c02 (Courtesy call on the President of the University)",
        "c03 (Photograph and signing of the Distinguished Visitors' Book)"]
    assert report.events_cancelled == ["c04 (Working lunch with faculty and Indian alumni)"]
    assert report.gifts_replaced
    assert report.lines()[0] == ("Updated visit in-ambassador-courtesy-call-2027: Courtesy "
                                 "call by the Ambassador of India on the President")
    assert "  1 events cancelled: c04 (Working lunch with faculty and Indian alumni)" in (
        report.lines())

    assert len(services.visits.list()) == visits_before
    after = {e.ref: e for e in services.visits.get(first.visit_id).events}
    assert set(after) == {"c01", "c02", "c03", "c04", "c05"}
    assert all(after[r].uid == before[r].uid for r in before)  # the same calendar entries
    assert after["c01"].sequence == before["c01"].sequence  # untouched
    assert after["c02"].sequence == before["c02"].sequence  # a title is not significant
    assert after["c03"].sequence == before["c03"].sequence + 1
    assert after["c04"].status == "cancelled"
    assert after["c04"].sequence == before["c04"].sequence + 1
    v = services.visits.get(first.visit_id)
    assert "Ben-Ami" not in {p.person.family_name for p in v.participants}
    assert services.people.count("ben-ami") == 1  # taken off the visit, not deleted
    assert len(v.gifts) == 1

    again = services.packages.import_bytes(package_bytes(doc))
    assert not again.changed_anything
    assert again.lines()[-1] == "  nothing changed"
    assert {e.ref: e.sequence for e in services.visits.get(first.visit_id).events} == {
        r: e.sequence for r, e in after.items()}


def test_reader_gives_values_ready_for_the_services() -> None:
    package = read_package(package_bytes(_minimal()), "visit.json")
    assert package.visit["public_id"] == "jp-rector-2027"
    assert package.events[0].values["start"] == datetime(2027, 3, 12, 15, tzinfo=UTC)
    assert package.events[0].attendee_refs == ("p1", "p2")
    assert package.delegation == (("p1", "guest", "head"), ("p2", "host", "host"))


def test_reimport_reports_a_known_person_joining_the_visit_once(services) -> None:
    services.people.create(family_name="Mercer", given_name="Caroline",
                           organization="Alderbrook University", position="Provost")
    doc = _minimal()
    doc["people"].pop()
    doc["delegation"].pop()
    for event in doc["events"]:
        event["attendees"] = ["p1"]
        event.pop("host", None)
    doc["gifts"] = []
    services.packages.import_bytes(package_bytes(doc))
    full = _minimal()
    full["people"][1]["position"] = "President"
    report = services.packages.import_bytes(package_bytes(full))  # Mercer joins, promoted
    assert report.people_added == ["Caroline Mercer"]  # to the visit
    assert report.people_changed == ["Caroline Mercer"]  # her record
    assert report.events_changed == ["e1 (Welcome)", "e2 (Lunch)"]
    assert services.people.count("mercer") == 1


def test_a_file_too_large_to_be_a_package_is_refused_unread(services, tmp_path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: nothing is really written
    with pytest.raises(PackageError) as err:
        services.packages.import_file(path)
    assert str(err.value) == f"{path} is too large (52,428,801 bytes) to be a visit package."
