"""Import grows linearly (issue 12: 2,000 events took 5 s, 10,000 took 180 s: one flush
per event, refs and venues looked up again for each).  No timing here (see
benchmarks/bench_import.py): the flushes and the queries an import makes must not grow
with its number of events, nor with its number of people (100,000 people took hours:
each was looked for with two queries and flushed on its own).  New rows go in by
multi-row INSERTs through SQLAlchemy Core; the ids they return are matched to their rows
by the event's ref, or by the person's names, organization and e-mail (unique within
one statement), since SQLite returns them in no promised order."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from benchmarks.bench_import import package
from protocol_app.errors import PackageError
from protocol_app.services import Services
from tests.support.helpers import package_bytes


def _work(tmp_path: Path, events: int, people: int = 20, *,
          people_stored: bool = False) -> tuple[int, int]:
    """(flushes, SELECT statements) of a first import of ``events`` events and
    ``people`` people; with ``people_stored``, the people are in the database already
    (from another visit) and are matched by e-mail, or by name and organization."""
    services = Services.open(tmp_path / f"scale-{events}-{people}-{people_stored}.sqlite3",
                             actor="tester")
    doc = package(events, people=people)
    if people_stored:
        services.packages.import_bytes(package_bytes({**doc, "events": []}))
        doc["visit"] = {**doc["visit"], "id": "another-visit"}
        for person in doc["people"][::2]:
            del person["email"]  # these are found by name and organization
    selects: list[str] = []
    flushes: list[int] = []

    def count_select(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    def count_flush(_session, _context) -> None:
        flushes.append(1)

    event.listen(services.db.engine, "before_cursor_execute", count_select)
    event.listen(Session, "after_flush", count_flush)
    try:
        report = services.packages.import_bytes(package_bytes(doc))
        assert report.created
    finally:
        event.remove(Session, "after_flush", count_flush)
    try:
        assert len(services.events.list(report.visit_id)) == events
    finally:
        services.close()
    return len(flushes), len(selects)


def test_the_flushes_and_queries_of_an_import_do_not_grow_with_its_events(
        tmp_path: Path) -> None:
    (flushes, selects), (more_flushes, more_selects) = _work(tmp_path, 100), _work(tmp_path, 900)
    assert more_flushes == flushes  # before: one more per event (288 -> 1888)
    assert more_selects <= selects + 5  # a loader's chunks at most (before: 168 -> 969)


def test_a_re_import_updates_in_place_and_adds_the_new_events(tmp_path: Path) -> None:
    services = Services.open(tmp_path / "again.sqlite3", actor="tester")
    try:
        doc = package(300, people=20)
        first = services.packages.import_bytes(package_bytes(doc))
        doc["events"][5]["title"] = "Session five, moved"
        doc["events"].append({**doc["events"][0], "ref": "extra", "title": "Extra session"})
        del doc["events"][7]
        again = services.packages.import_bytes(package_bytes(doc))
        assert again.visit_id == first.visit_id and not again.created
        assert again.events_changed == ["e5 (Session five, moved)"]
        assert again.events_added == ["extra (Extra session)"]
        assert again.events_cancelled == ["e7 (Session 7)"]
        events = {e.ref: e for e in services.events.list(first.visit_id)}
        assert len(events) == 301 and events["e7"].status == "cancelled"
        assert events["extra"].title == "Extra session"
    finally:
        services.close()


def test_the_flushes_and_queries_of_an_import_do_not_grow_with_its_people(
        tmp_path: Path) -> None:
    for stored in (False, True):
        (flushes, selects), (more_flushes, more_selects) = (
            _work(tmp_path, 10, people=40, people_stored=stored),
            _work(tmp_path, 10, people=400, people_stored=stored))
        assert more_flushes == flushes, stored  # before: one more per person
        assert more_selects == selects, stored  # before: two more per person


def test_people_stored_already_are_found_by_e_mail_or_by_name_and_organization(
        tmp_path: Path) -> None:
    services = Services.open(tmp_path / "found.sqlite3", actor="tester")
    try:
        doc = package(3, people=30)
        first = services.packages.import_bytes(package_bytes(doc))
        doc["visit"] = {**doc["visit"], "id": "another-visit"}
        for i, person in enumerate(doc["people"]):
            if i % 3 == 0:
                person["email"] = person["email"].upper()  # found by e-mail, any case
            elif i % 3 == 1:
                del person["email"]  # found by name and organization
            else:
                person["family_name"] = f"Renamed{i}"  # found by e-mail, and renamed
        again = services.packages.import_bytes(package_bytes(doc))
        assert again.visit_id != first.visit_id
        assert again.people_changed == [f"Given{i} {'Renamed' if i % 3 else 'Family'}{i}"
                                        for i in range(30) if i % 3 != 1]  # e-mail, name
        assert services.people.count() == 30
        ids = {p.person_id for p in services.visits.get(first.visit_id).participants}
        assert {p.person_id for p in services.visits.get(again.visit_id).participants} == ids
    finally:
        services.close()


def test_one_person_listed_twice_among_new_and_stored_people_is_refused(
        tmp_path: Path) -> None:
    services = Services.open(tmp_path / "twice.sqlite3", actor="tester")
    try:
        doc = package(0, people=4)
        services.packages.import_bytes(package_bytes(doc))
        doc["visit"] = {**doc["visit"], "id": "another-visit"}
        doc["people"] += [  # (the reader itself refuses an e-mail given twice)
            {"ref": "stored-again", "family_name": "Family2", "given_name": "Given2",
             "organization": "Org 2"},
            {"ref": "new", "family_name": "New", "email": "new@example.org"},
            {"ref": "new-again", "family_name": "New"},
            {"ref": "new-once-more", "family_name": " New "}]
        with pytest.raises(PackageError) as refused:
            services.packages.import_bytes(package_bytes(doc))
        paths = {problem.path: problem.message for problem in refused.value.problems}
        assert set(paths) == {"people[4]", "people[6]", "people[7]"}
        assert paths["people[4]"].startswith("is the same person as people[2] ")
        assert paths["people[6]"].startswith("is the same person as people[5] ")
        assert paths["people[7]"].startswith("is the same person as people[5] ")
        assert services.people.count() == 4 and len(services.visits.list()) == 1
    finally:
        services.close()
