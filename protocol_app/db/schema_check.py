"""Whether a database has the tables and columns its schema revision promises.

The reference is what the migrations themselves produce: an empty in-memory SQLite
database is migrated one revision at a time and its tables and columns are noted after
each step (once per process, under a second).  A restore uses it to refuse a file
whose ``alembic_version`` claims a revision its tables do not have; an upgrade uses it
to refuse a database that already carries what a later migration would add.
Imports Alembic: load this module only when a restore or a migration is due.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Connection

from protocol_app.db.schema import KNOWN_REVISIONS

#: A schema: each table's name and the names of its columns.
Schema = dict[str, frozenset[str]]


def schema_of(connection: Connection) -> Schema:
    """The tables and columns of the database behind ``connection``."""
    inspector = inspect(connection)
    return {table: frozenset(c["name"] for c in inspector.get_columns(table))
            for table in inspector.get_table_names()}


def file_schema(path: Path, read_only_uri: str) -> Schema:
    """The tables and columns of the SQLite file at ``read_only_uri`` (never written)."""
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(read_only_uri,
                                                                        uri=True))
    try:
        with engine.connect() as connection:
            return schema_of(connection)
    finally:
        engine.dispose()


@lru_cache(maxsize=1)
def reference_schemas() -> dict[str, Schema]:
    """Each known revision's schema, as the migrations build it."""
    from protocol_app.db.migrate import upgrade_to_head

    engine = create_engine("sqlite://")
    schemas: dict[str, Schema] = {}
    try:
        with engine.begin() as connection:
            for revision in KNOWN_REVISIONS:
                upgrade_to_head(connection, revision)
                schemas[revision] = schema_of(connection)
    finally:
        engine.dispose()
    return schemas


def missing_parts(actual: Schema, revision: str) -> list[str]:
    """What ``actual`` lacks of ``revision``'s schema: ``table visits``,
    ``column events.internal_notes``... (empty if it has everything)."""
    missing: list[str] = []
    for table, columns in sorted(reference_schemas()[revision].items()):
        if table not in actual:
            missing.append(f"table {table}")
        else:
            missing.extend(f"column {table}.{c}" for c in sorted(columns - actual[table]))
    return missing


def describe_missing(missing: list[str]) -> str:
    """``the tables a, b and the column events.x`` from :func:`missing_parts`."""
    groups = []
    for kind in ("table", "column"):
        names = [part.split(" ", 1)[1] for part in missing if part.startswith(kind + " ")]
        if names:
            groups.append(f"the {kind}{'s' if len(names) > 1 else ''} {', '.join(names)}")
    return " and ".join(groups)


def parts_from_later_revisions(actual: Schema, revision: str | None) -> list[tuple[str, str]]:
    """The tables and columns of ``actual`` that a migration after ``revision`` would
    create, each with that migration's revision: ``[("column events.internal_notes",
    "0006")]``.  A database like that was changed outside Protocol Desk (or by a
    newer version that left its revision number behind); migrating it would fail."""
    schemas = reference_schemas()
    seen: Schema = schemas[revision] if revision else {}
    later = KNOWN_REVISIONS[KNOWN_REVISIONS.index(revision) + 1:] if revision else KNOWN_REVISIONS
    found: list[tuple[str, str]] = []
    for step in later:
        for table, columns in sorted(schemas[step].items()):
            if table not in actual:
                continue
            if table not in seen:
                found.append((f"table {table}", step))
                continue
            found.extend((f"column {table}.{c}", step)
                         for c in sorted((columns - seen[table]) & actual[table]))
        seen = schemas[step]
    return found
