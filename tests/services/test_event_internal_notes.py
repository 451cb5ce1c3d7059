"""Events' internal notes (migration 0006): the office's own remarks on an event, marked
sensitive once in ``records.sensitivity`` and kept out of every output that leaves the
office.  Here: the sensitivity list, the services (validation, audit, copies), the
visit package and the migration.  The books and the invitations have their own tests
(tests/briefing, tests/invites)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from protocol_app.db.migrate import alembic_config
from protocol_app.db.schema import HEAD_REVISION
from protocol_app.demo import load_demo
from protocol_app.errors import ValidationError
from protocol_app.records import sensitivity
from protocol_app.records.fields import MAX_LONG
from protocol_app.records.sensitivity import (
    SENSITIVE_EVENT_FIELDS,
    SENSITIVE_FIELDS,
    SENSITIVE_LABELS,
    SENSITIVE_PERSON_FIELDS,
    Audience,
    is_sensitive,
    redact,
    redact_event,
    visible_to,
)
from protocol_app.services import Services
from tests.support.helpers import mode, query_rows, row_counts
from tests.support.times import ny

SECRET = "Minister must not be seated near the Dean — INTERNAL-NOTE-5b7e"
OTHER_SECRET = "Fallback: the ceremony moves to Founders Hall — INTERNAL-NOTE-9c21"
VISIT = "vn-moet-minister-2027"


def _audit_text(db_path: Path) -> str:
    return " ".join(" ".join(row) for row in query_rows(
        db_path, "SELECT summary, old_values, new_values FROM audit_log"))


def _tea(world, **values):
    return world.services.events.create(
        world.visit_id, title="Tea with the Rector", start=ny(2027, 3, 12, 15),
        end=ny(2027, 3, 12, 16), attendee_ids=(world.guest_id, world.host_id), **values)


# ----------------------------------------------------------------------- sensitivity


def test_internal_notes_are_listed_once_for_the_internal_audience_only() -> None:
    assert SENSITIVE_EVENT_FIELDS["internal_notes"] == frozenset({Audience.INTERNAL})
    # the risk review's conditions on an event: for the office and the hosts (0011)
    assert SENSITIVE_EVENT_FIELDS["review_conditions"] == frozenset({Audience.INTERNAL,
                                                                     Audience.HOST})
    assert SENSITIVE_FIELDS == {"person": SENSITIVE_PERSON_FIELDS,
                                "event": SENSITIVE_EVENT_FIELDS}
    assert SENSITIVE_LABELS["internal_notes"] == "Internal notes"
    assert is_sensitive("internal_notes") and is_sensitive("internal_notes", "event")
    assert not is_sensitive("internal_notes", "person")
    assert is_sensitive("medical", "person") and not is_sensitive("notes")
    assert visible_to("internal_notes", "internal", SENSITIVE_EVENT_FIELDS)
    assert not visible_to("internal_notes", "host", SENSITIVE_EVENT_FIELDS)
    assert visible_to("notes", "guest", SENSITIVE_EVENT_FIELDS)


def test_redact_event_blanks_internal_notes_for_hosts_and_guests(world) -> None:
    event = _tea(world, notes="Tea and cakes", internal_notes=SECRET)
    assert redact_event(event, Audience.INTERNAL) is event
    for audience in (Audience.HOST, "guest"):
        shown = redact_event(event, audience)
        assert shown.internal_notes == ""
        assert dataclasses.replace(shown, internal_notes=SECRET) == event  # nothing else
    plain = dataclasses.replace(event, internal_notes="")
    assert redact_event(plain, "guest") is plain  # nothing to hide: no copy
    # the person list is the default, as before; event fields never touch a person
    person = world.services.people.create(family_name="Võ", medical="Insulin")
    assert redact(person, "guest").medical == ""
    assert redact(event, "guest") is event


def test_a_new_sensitive_event_field_is_one_line(world, monkeypatch) -> None:
    event = _tea(world, dress_code="Black tie", internal_notes=SECRET)
    monkeypatch.setitem(SENSITIVE_EVENT_FIELDS, "dress_code", frozenset({Audience.INTERNAL,
                                                                         Audience.HOST}))
    assert redact_event(event, "host") == dataclasses.replace(event, internal_notes="")
    assert redact_event(event, "guest") == dataclasses.replace(event, internal_notes="",
                                                               dress_code="")
    assert sensitivity.is_sensitive("dress_code", "event")


# -------------------------------------------------------------------------- services


def test_internal_notes_are_stored_read_changed_and_copied(world) -> None:
    s = world.services
    tea = _tea(world, notes="Tea and cakes", internal_notes=f"  {SECRET}\nLine 2  ")
    assert tea.internal_notes == f"  {SECRET}\nLine 2  "  # stored as given, like notes
    assert s.events.get(tea.id).internal_notes == tea.internal_notes
    assert [e.internal_notes for e in s.events.list(world.visit_id)] == [tea.internal_notes]
    assert s.visits.get(world.visit_id).events[0].internal_notes == tea.internal_notes

    changed = s.events.update(tea.id, tea.version, internal_notes=OTHER_SECRET)
    assert changed.internal_notes == OTHER_SECRET and changed.notes == "Tea and cakes"
    assert changed.version == tea.version + 1
    assert changed.sequence == tea.sequence  # nothing a calendar shows changed

    assert s.events.duplicate(tea.id).internal_notes == OTHER_SECRET
    copy = s.visits.duplicate(world.visit_id, date(2027, 6, 1))
    assert {e.internal_notes for e in copy.events} == {OTHER_SECRET}
    new = _tea(world)
    assert new.internal_notes == ""


@pytest.mark.parametrize(("value", "problem"), [
    ("x" * (MAX_LONG + 1), f"is too long ({MAX_LONG + 1:,} characters; at most {MAX_LONG:,})"),
    ("bell\x07", "contains a control character (U+0007)"),
    (42, "must be text"),
    (None, "must be text"),
])
def test_internal_notes_are_checked_like_notes(world, db_path, value, problem) -> None:
    s = world.services
    before = row_counts(db_path)
    with pytest.raises(ValidationError) as refused:
        _tea(world, internal_notes=value)
    assert [(p.path, p.message) for p in refused.value.problems] == [("internal_notes", problem)]
    assert row_counts(db_path) == before
    tea = _tea(world, internal_notes="Two\nlines\tand a tab")
    with pytest.raises(ValidationError) as refused:
        s.events.update(tea.id, tea.version, internal_notes=value)
    assert [(p.path, p.message) for p in refused.value.problems] == [("internal_notes", problem)]
    # the same rules as the public notes
    with pytest.raises(ValidationError) as public:
        s.events.update(tea.id, tea.version, notes=value)
    assert [p.message for p in public.value.problems] == [problem]


def test_the_audit_trail_says_changed_never_the_text(world, db_path) -> None:
    s = world.services
    tea = _tea(world, internal_notes=SECRET)
    created = s.audit.list("event", tea.id)[0]
    assert created.new["internal_notes"] == "(sensitive: changed)"

    tea = s.events.update(tea.id, tea.version, internal_notes=OTHER_SECRET)
    entry = s.audit.list("event", tea.id, limit=1)[0]
    assert (entry.action, entry.old, entry.new) == (
        "update", {"internal_notes": "(sensitive: changed)"},
        {"internal_notes": "(sensitive: changed)"})

    tea = s.events.update(tea.id, tea.version, internal_notes="")
    entry = s.audit.list("event", tea.id, limit=1)[0]
    assert (entry.old, entry.new) == ({"internal_notes": "(sensitive: changed)"},
                                      {"internal_notes": ""})
    tea = s.events.update(tea.id, tea.version, internal_notes=SECRET, notes="Public")
    entry = s.audit.list("event", tea.id, limit=1)[0]
    assert entry.new == {"internal_notes": "(sensitive: changed)", "notes": "Public"}

    s.events.duplicate(tea.id)
    s.visits.duplicate(world.visit_id, date(2027, 6, 1))
    s.events.delete(tea.id, tea.version)
    assert s.audit.list("event", tea.id, limit=1)[0].old["internal_notes"] == \
        "(sensitive: changed)"
    trail = _audit_text(db_path)
    assert "INTERNAL-NOTE" not in trail
    assert "(sensitive: changed)" in trail


# ---------------------------------------------------------------------------- package


def test_export_writes_internal_notes_only_when_there_are_some(demo_services,
                                                               tmp_path) -> None:
    s = demo_services
    events = {e.ref: e for e in s.events.list(VISIT)}
    s.events.update(events["e17"].id, events["e17"].version, internal_notes=SECRET)
    path = s.packages.export_file(VISIT, tmp_path / "out.json")
    assert mode(path) == 0o600
    doc = json.loads(path.read_text(encoding="utf-8"))
    by_ref = {e["ref"]: e for e in doc["events"]}
    assert by_ref["e17"]["internal_notes"] == SECRET
    noted = {ref for ref, e in events.items() if e.internal_notes} | {"e17"}
    assert {ref for ref, e in by_ref.items() if "internal_notes" in e} == noted
    assert all(by_ref[ref]["internal_notes"] for ref in noted)


def test_export_then_import_keeps_internal_notes(demo_services, tmp_path) -> None:
    s = demo_services
    events = {e.ref: e for e in s.events.list(VISIT)}
    s.events.update(events["e17"].id, events["e17"].version, internal_notes=SECRET)
    s.events.update(events["e05"].id, events["e05"].version,
                    internal_notes="Line one\nLine two — 田中")
    path = s.packages.export_file(VISIT, tmp_path / "out.json")
    other = Services.open(tmp_path / "elsewhere.sqlite3", actor="tester")
    try:
        assert other.packages.import_file(path).created
        copied = {e.ref: e.internal_notes for e in other.events.list(VISIT)}
        assert copied == {ref: e.internal_notes for ref, e in
                          ((e.ref, e) for e in s.events.list(VISIT))}
        assert copied["e17"] == SECRET and copied["e05"] == "Line one\nLine two — 田中"
        again = other.packages.export_file(VISIT, tmp_path / "again.json")
        assert json.loads(again.read_text("utf-8")) == json.loads(path.read_text("utf-8"))
    finally:
        other.close()


def test_reimport_changes_internal_notes_and_reports_it(demo_services, tmp_path) -> None:
    s = demo_services
    doc = json.loads(s.packages.export_file(VISIT, tmp_path / "out.json").read_text("utf-8"))
    e17 = next(e for e in doc["events"] if e["ref"] == "e17")
    e17["internal_notes"] = SECRET
    report = s.packages.import_bytes(json.dumps(doc).encode())
    assert report.events_changed == [f"e17 ({e17['title']})"]
    dinner = next(e for e in s.events.list(VISIT) if e.ref == "e17")
    assert dinner.internal_notes == SECRET and dinner.sequence == 0
    # a package without the key (say, the embassy's programme) keeps them
    del e17["internal_notes"]
    report = s.packages.import_bytes(json.dumps(doc).encode())
    assert not report.changed_anything
    assert next(e for e in s.events.list(VISIT) if e.ref == "e17").internal_notes == SECRET
    # a key given replaces them, even an empty one
    e17["internal_notes"] = ""
    report = s.packages.import_bytes(json.dumps(doc).encode())
    assert report.events_changed == [f"e17 ({e17['title']})"]
    assert next(e for e in s.events.list(VISIT) if e.ref == "e17").internal_notes == ""


def test_internal_notes_in_a_package_are_checked(services) -> None:
    from protocol_app.errors import PackageError

    doc = {"format": "protocol-visit/1",
           "visit": {"id": "x-2027", "title": "X", "timezone": "UTC",
                     "start_date": "2027-01-01", "end_date": "2027-01-01", "country": "JP"},
           "events": [{"ref": "e1", "title": "Tea", "start": "2027-01-01T10:00",
                       "end": "2027-01-01T11:00", "internal_notes": ["not", "text"]},
                      {"ref": "e2", "title": "Lunch", "start": "2027-01-01T12:00",
                       "end": "2027-01-01T13:00", "internal_notes": "x" * (MAX_LONG + 1)}]}
    with pytest.raises(PackageError) as refused:
        services.packages.import_bytes(json.dumps(doc).encode())
    paths = {p.path: p.message for p in refused.value.problems}
    assert paths["events[0].internal_notes"] == "must be text"
    assert paths["events[1].internal_notes"].startswith("is too long")
    assert services.visits.list() == []


# -------------------------------------------------------------------------- migration


def _as_at_0005(visit):
    """A visit as a 0005 database holds it: no internal notes, no visibility."""
    return dataclasses.replace(visit, events=tuple(
        dataclasses.replace(e, internal_notes="", visibility=None) for e in visit.events))


def test_upgrading_a_0005_database_keeps_every_record(db_path: Path) -> None:
    services = Services.open(db_path, actor="tester")
    load_demo(services)
    events = {e.ref: e for e in services.events.list(VISIT)}
    services.seating.plan_seating(VISIT, "e17")  # rows that point at an event
    visits = [services.visits.get(v.id) for v in services.visits.list()]
    people = services.people.count()
    services.db.dispose()
    counts = row_counts(db_path)
    assert counts["events"] > 0 and counts["event_attendees"] > 0 and counts["seats"] > 0
    with services.db.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0005")
    with services.db.engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("events")}
        assert "notes" in columns and "internal_notes" not in columns
        assert connection.execute(
            text("SELECT version_num FROM alembic_version")).scalar() == "0005"
    services.close()
    after = row_counts(db_path)  # the downgrade copied no table, lost no row
    assert after == {table: counts[table] for table in after}
    assert all(counts[table] == 0 for table in set(counts) - set(after))  # later, empty

    reopened = Services.open(db_path, actor="tester")  # migrates, after a backup
    try:
        with reopened.db.engine.connect() as connection:
            assert connection.execute(
                text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
            column = next(c for c in inspect(connection).get_columns("events")
                          if c["name"] == "internal_notes")
            assert column["nullable"] is False
            assert connection.execute(text(
                "SELECT count(*) FROM events WHERE internal_notes = ''")).scalar() \
                == counts["events"]
        assert row_counts(db_path) == counts
        # every record is kept; what later columns held (internal notes, visibility) went
        # with the downgrade
        assert [reopened.visits.get(v.id) for v in reopened.visits.list()] == [
            _as_at_0005(v) for v in visits]
        assert reopened.people.count() == people
        assert reopened.seating.seating_plan(VISIT, "e17").stored
        # and the new column takes writes at once
        dinner = events["e17"]
        fresh = reopened.events.get(dinner.id)
        written = reopened.events.update(dinner.id, fresh.version, internal_notes=SECRET)
        assert written.internal_notes == SECRET
    finally:
        reopened.close()
