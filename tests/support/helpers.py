"""Small helpers shared by the foundation tests (no mocks: they read real files)."""

from __future__ import annotations

import copy
import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

from protocol_app.demo import demo_package_paths

#: The smallest package with one of everything (two people, two events, a gift).
MINIMAL = {
    "format": "protocol-visit/1",
    "visit": {"id": "jp-rector-2027", "title": "Visit of the Rector",
              "timezone": "America/New_York", "start_date": "2027-03-12",
              "end_date": "2027-03-16", "country": "JP"},
    "people": [
        {"ref": "p1", "family_name": "Tanaka", "given_name": "Haruto",
         "name_order": "family_first", "email": "tanaka@kyoto.example.jp",
         "organization": "Kyoto University"},
        {"ref": "p2", "family_name": "Mercer", "given_name": "Caroline",
         "organization": "Alderbrook University"},
    ],
    "delegation": [{"person": "p1", "side": "guest", "role": "head"},
                   {"person": "p2", "side": "host", "role": "host"}],
    "events": [
        {"ref": "e1", "title": "Welcome", "start": "2027-03-12T10:00", "end": "2027-03-12T11:00",
         "attendees": ["p1", "p2"], "host": "p2"},
        {"ref": "e2", "title": "Lunch", "kind": "meal", "start": "2027-03-12T12:00",
         "end": "2027-03-12T13:30", "venue": {"name": "Hollis House", "room": "Garden Room"},
         "attendees": ["p1", "p2"]},
    ],
    "gifts": [{"direction": "received", "from": "p1", "to": "p2", "description": "Fan",
               "value": 80, "currency": "USD", "date": "2027-03-12"}],
}


def demo_document(name: str) -> dict[str, Any]:
    """A bundled demo package as a fresh dict (``ministerial``, ``ambassador``...)."""
    for path in demo_package_paths():
        if name in path.name:
            return json.loads(path.read_text(encoding="utf-8"))
    raise LookupError(name)


def package_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def row_counts(db_path: Path | str) -> dict[str, int]:
    """Rows in every table of the database (read through a separate connection): an
    SQLite file, or a PostgreSQL URL."""
    if "://" in str(db_path):
        return _server_row_counts(str(db_path))
    conn = sqlite3.connect(db_path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def _server_row_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()
                    for n in names}
    finally:
        engine.dispose()


def query_rows(db_path: Path | str, sql: str, params: dict[str, Any] | None = None) -> list:
    """The rows of one query, through a separate connection to the database (an SQLite
    file or a PostgreSQL URL)."""
    from sqlalchemy import create_engine, text

    url = str(db_path) if "://" in str(db_path) else f"sqlite:///{db_path}"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params or {})]
    finally:
        engine.dispose()


def run_sql(db_path: Path | str, sql: str, params: dict[str, Any] | None = None) -> None:
    """Change the database behind the app's back, as another program would (committed)."""
    from sqlalchemy import create_engine, text

    url = str(db_path) if "://" in str(db_path) else f"sqlite:///{db_path}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params or {})
    finally:
        engine.dispose()


def file_bytes(path: Path) -> bytes:
    return Path(path).read_bytes()


def mode(path: Path) -> int:
    return Path(path).stat().st_mode & 0o777


def assert_plain_value(value: Any) -> None:
    """``value`` is a frozen dataclass all the way down, with no ORM object inside."""
    assert dataclasses.is_dataclass(value) and not isinstance(value, type)
    assert type(value).__dataclass_params__.frozen, type(value).__name__
    assert not hasattr(value, "_sa_instance_state")
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        assert not isinstance(item, list), f"{type(value).__name__}.{f.name} is a list"
        items = item if isinstance(item, tuple) else (item,)
        for x in items:
            assert not hasattr(x, "_sa_instance_state"), f"{f.name} holds an ORM object"
            if dataclasses.is_dataclass(x):
                assert_plain_value(x)


def visit_shape(visit: Any) -> dict[str, Any]:
    """A visit record without what differs between two databases (numbers, versions,
    calendar UIDs): people are named by family name, events by ref."""
    names = {p.person_id: p.person.family_name for p in visit.participants}

    def person(p: Any) -> dict[str, Any]:
        d = dataclasses.asdict(p)
        for key in ("id", "version"):
            d.pop(key)
        return d

    return {
        "visit": {k: getattr(visit, k) for k in (
            "public_id", "title", "purpose", "status", "timezone", "start_date", "end_date",
            "country", "organizer_name", "organizer_email")},
        "participants": [(p.ref, p.side, p.role, person(p.person)) for p in visit.participants],
        "events": [
            {**{k: v for k, v in dataclasses.asdict(e).items()
                if k not in ("id", "visit_id", "uid", "sequence", "version", "host_person_id",
                             "attendee_ids")},
             "host": names.get(e.host_person_id), "attendees": [names[i] for i in e.attendee_ids]}
            for e in visit.events],
        "gifts": [
            {**{k: v for k, v in dataclasses.asdict(g).items()
                if k not in ("id", "visit_id", "version", "giver_person_id",
                             "recipient_person_id")},
             "from": names.get(g.giver_person_id), "to": names.get(g.recipient_person_id)}
            for g in visit.gifts],
    }


def deep_copy(doc: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(doc)


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """Run ``protocol-app ARGV`` in this process: its exit status, stdout and stderr."""
    from protocol_app.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
