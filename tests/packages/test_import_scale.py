"""Import grows linearly (issue 12: 2,000 events took 5 s, 10,000 took 180 s: one flush
per event, refs and venues looked up again for each).  No timing here (see
benchmarks/bench_import.py): the flushes and the queries an import makes must not grow
with its number of events.  (INSERTs are one per row whatever the batching: SQLite does
not return the new ids of a multi-row INSERT in order, so SQLAlchemy sends each row.)"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from benchmarks.bench_import import package
from protocol_app.services import Services
from tests.support.helpers import package_bytes


def _work(tmp_path: Path, events: int) -> tuple[int, int]:
    """(flushes, SELECT statements) of a first import of ``events`` events."""
    services = Services.open(tmp_path / f"scale-{events}.sqlite3", actor="tester")
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
        report = services.packages.import_bytes(package_bytes(package(events, people=20)))
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
