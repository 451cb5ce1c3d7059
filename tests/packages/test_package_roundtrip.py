"""Export then import gives back the same visit: the same package document and the same
records, across clock changes, midnight and whatever text people type."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from protocol_app.errors import NotFoundError
from protocol_app.packages.exporter import package_document
from protocol_app.services import Services
from protocol_app.timeutil import format_local
from tests.support.helpers import demo_document, mode, package_bytes, visit_shape


@pytest.fixture
def other_services(tmp_path):
    """A second, empty database."""
    s = Services.open(tmp_path / "elsewhere.sqlite3", actor="tester")
    yield s
    s.close()


def _round_trip(source: Services, target: Services, public_id: str, tmp_path: Path):
    path = source.packages.export_file(public_id, tmp_path / f"{public_id}.json")
    first_doc = json.loads(path.read_text(encoding="utf-8"))
    report = target.packages.import_file(path)
    assert report.created
    again = target.packages.export_file(public_id, tmp_path / f"{public_id}-again.json")
    second_doc = json.loads(again.read_text(encoding="utf-8"))
    return first_doc, second_doc


@pytest.mark.parametrize("name", ["ministerial", "ambassador", "reception"])
def test_export_then_import_gives_back_the_same_visit(demo_services, other_services, tmp_path,
                                                      name) -> None:
    public_id = demo_document(name)["visit"]["id"]
    first, second = _round_trip(demo_services, other_services, public_id, tmp_path)
    assert first == second
    original = demo_services.visits.get(public_id)
    copy = other_services.visits.get(public_id)
    assert visit_shape(copy) == visit_shape(original)
    assert [e.start_utc for e in copy.events] == [e.start_utc for e in original.events]


@pytest.mark.parametrize("name", ["ministerial", "ambassador", "reception"])
def test_the_export_says_what_the_demo_package_says(demo_services, name) -> None:
    demo = demo_document(name)
    exported = package_document(demo_services.visits.get(demo["visit"]["id"]))
    assert exported["format"] == "protocol-visit/1"
    assert {k: v for k, v in exported["visit"].items()} == demo["visit"]
    assert [p["ref"] for p in exported["people"]] == [p["ref"] for p in demo["people"]]
    for mine, theirs in zip(exported["people"], demo["people"], strict=True):
        assert {k: v for k, v in theirs.items() if v and v != "given_first"} == mine
    assert exported["delegation"] == demo["delegation"]
    by_ref = {e["ref"]: e for e in exported["events"]}
    for event in demo["events"]:
        mine = by_ref[event["ref"]]
        assert (mine["start"], mine["end"]) == (event["start"], event["end"])
        assert mine["status"] == event.get("status", "confirmed")
        for key in ("title", "kind", "venue", "attendees", "host", "dress_code", "notes"):
            assert mine.get(key) == event.get(key), (event["ref"], key)
    assert exported["gifts"] == demo["gifts"]


def test_times_across_the_march_clock_change_and_midnight(demo_services) -> None:
    v = demo_services.visits.get("vn-moet-minister-2027")
    events = {e.ref: e for e in v.events}
    utc = {ref: (e.start_utc, e.end_utc) for ref, e in events.items()}
    # 12 March, 09:00 EST = 14:00 UTC
    assert utc["e05"] == (datetime(2027, 3, 12, 14, 0, tzinfo=UTC),
                          datetime(2027, 3, 12, 14, 45, tzinfo=UTC))
    # the state dinner spans midnight, before the 02:00 change: 19:30 → 00:15 EST
    assert utc["e17"] == (datetime(2027, 3, 14, 0, 30, tzinfo=UTC),
                          datetime(2027, 3, 14, 5, 15, tzinfo=UTC))
    assert format_local(*utc["e17"][1:], "America/New_York") == "2027-03-14 00:15"
    # the farewell breakfast, 10:00 EDT after the change = 14:00 UTC
    assert utc["e18"] == (datetime(2027, 3, 14, 14, 0, tzinfo=UTC),
                          datetime(2027, 3, 14, 15, 0, tzinfo=UTC))
    exported = {e["ref"]: e for e in package_document(v)["events"]}
    assert (exported["e17"]["start"], exported["e17"]["end"]) == ("2027-03-13T19:30",
                                                                  "2027-03-14T00:15")
    assert (exported["e18"]["start"], exported["e18"]["end"]) == ("2027-03-14T10:00",
                                                                  "2027-03-14T11:00")


def test_reimporting_an_export_into_the_same_database_changes_nothing(demo_services,
                                                                      tmp_path) -> None:
    for summary in demo_services.visits.list():
        before = demo_services.visits.get(summary.id)
        path = demo_services.packages.export_file(summary.public_id, tmp_path / "x.json")
        report = demo_services.packages.import_file(path)
        assert not report.changed_anything, report.lines()
        assert demo_services.visits.get(summary.id) == before


def test_the_repeated_hour_and_another_zone_survive(services, other_services, tmp_path) -> None:
    s = services
    v = s.visits.create(public_id="night-2027", title="Night", timezone="America/New_York",
                        start_date=date(2027, 11, 6), end_date=date(2027, 11, 8), country="MA")
    ny = ZoneInfo("America/New_York")
    second_130 = datetime(2027, 11, 7, 1, 30, tzinfo=ny, fold=1)  # 01:30 EST, the repeat
    s.events.create(v.id, ref="late", title="Late call", start=second_130,
                    end=datetime(2027, 11, 7, 2, 15, tzinfo=ny))
    s.events.create(v.id, ref="casa", title="Dinner in Casablanca", timezone="Africa/Casablanca",
                    start=datetime(2027, 3, 12, 20, 0, tzinfo=ZoneInfo("Africa/Casablanca")),
                    end=datetime(2027, 3, 13, 0, 30, tzinfo=ZoneInfo("Africa/Casablanca")))
    doc = package_document(s.visits.get(v.id))
    events = {e["ref"]: e for e in doc["events"]}
    assert events["late"]["start"] == "2027-11-07T01:30-05:00"  # offset only where ambiguous
    assert events["late"]["end"] == "2027-11-07T02:15"
    assert (events["casa"]["start"], events["casa"]["end"], events["casa"]["timezone"]) == (
        "2027-03-12T20:00", "2027-03-13T00:30", "Africa/Casablanca")
    first, second = _round_trip(s, other_services, "night-2027", tmp_path)
    assert first == second
    late = {e.ref: e for e in other_services.visits.get("night-2027").events}["late"]
    assert late.start_utc == datetime(2027, 11, 7, 6, 30, tzinfo=UTC)


HOSTILE = {
    "markup": "<b>bold</b> &amp; <script>alert('x')</script> <para>{{title}}</para> ${HOME}",
    "newlines": "First line\nSecond line\r\nThird\tindented\n\n",
    "rtl": "\u200fمرحبا بكم في الجامعة\u200e and \u202eevil\u202c שלום",
    "emoji": "👩🏽‍💼 🇯🇵 ❤️ 𝄞",
    "quotes": "O'Brien \"Bob\" `tick` \\back\\slash",
    "json": '{"format": "protocol-visit/1"}',
    "formula": "=HYPERLINK(\"http://x\")",
    "long": "Ünïcödé 田中 " * 909 + "!",  # 10,000 characters
}


def test_hostile_text_survives_a_round_trip(services, other_services, tmp_path) -> None:
    assert len(HOSTILE["long"]) == 10_000
    s = services
    v = s.visits.create(public_id="text-2027", title=HOSTILE["markup"][:200],
                        purpose=HOSTILE["long"], timezone="Asia/Jerusalem",
                        start_date=date(2027, 5, 2), end_date=date(2027, 5, 3), country="IL",
                        organizer_name=HOSTILE["quotes"])
    guest = s.people.create(family_name=HOSTILE["rtl"].replace("\n", " ")[:200],
                            given_name=HOSTILE["emoji"], native_name=HOSTILE["quotes"],
                            honorific=HOSTILE["formula"], position=HOSTILE["json"],
                            dietary=HOSTILE["newlines"], medical=HOSTILE["long"],
                            security=HOSTILE["markup"], protocol_notes=HOSTILE["rtl"],
                            bio=HOSTILE["long"], languages=["he", "ar", "zh-Hant"])
    s.visits.add_participant(v.id, guest.id, "guest", "head")
    s.events.create(v.id, title=HOSTILE["emoji"], notes=HOSTILE["long"],
                    venue_name=HOSTILE["quotes"], venue_address=HOSTILE["newlines"],
                    venue_room=HOSTILE["markup"][:200], dress_code=HOSTILE["formula"],
                    start=datetime(2027, 5, 2, 9, tzinfo=UTC),
                    end=datetime(2027, 5, 2, 10, tzinfo=UTC), attendee_ids=(guest.id,))
    s.gifts.create(v.id, direction="received", giver_person_id=guest.id,
                   description=HOSTILE["newlines"] + HOSTILE["rtl"], value=12.5, currency="ILS")
    first, second = _round_trip(s, other_services, "text-2027", tmp_path)
    assert first == second
    assert visit_shape(other_services.visits.get("text-2027")) == visit_shape(
        s.visits.get("text-2027"))
    person = other_services.visits.get("text-2027").participants[0].person
    assert person.bio == HOSTILE["long"] and person.dietary == HOSTILE["newlines"]
    assert person.security == HOSTILE["markup"]


def test_the_export_is_private_complete_and_atomic(demo_services, tmp_path) -> None:
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "out.json"
    target.write_text("old content", encoding="utf-8")
    path = demo_services.packages.export_file("in-ambassador-courtesy-call-2027", target)
    assert path == target and mode(target) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.json"]  # no temporary
    text = target.read_text(encoding="utf-8")
    assert text.endswith("}\n") and "राजीव चतुर्वेदी" in text  # UTF-8, not \u escapes
    assert json.loads(text)["visit"]["id"] == "in-ambassador-courtesy-call-2027"
    with pytest.raises(NotFoundError):
        demo_services.packages.export_file("nope", target.parent / "nope.json")
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.json"]


def test_a_visit_edited_through_the_services_still_round_trips(demo_services, other_services,
                                                               tmp_path) -> None:
    s = demo_services
    v = s.visits.get("in-ambassador-courtesy-call-2027")
    newcomer = s.people.create(family_name="Rao", given_name="Anil", email="rao@example.org")
    s.visits.add_participant(v.id, newcomer.id, "guest", "staff")
    e = s.events.create(v.id, title="Tea", start=datetime(2027, 4, 22, 20, tzinfo=UTC),
                        end=datetime(2027, 4, 22, 21, tzinfo=UTC), attendee_ids=(newcomer.id,))
    s.events.cancel(e.id, e.version)
    first, second = _round_trip(s, other_services, v.public_id, tmp_path)
    assert first == second
    refs = [p["ref"] for p in first["people"]]
    assert len(refs) == len(set(refs))
    assert visit_shape(other_services.visits.get(v.public_id)) == visit_shape(
        s.visits.get(v.public_id))


def test_package_bytes_helper_is_valid_utf8_json() -> None:
    doc = demo_document("reception")
    assert json.loads(package_bytes(doc).decode("utf-8")) == doc
