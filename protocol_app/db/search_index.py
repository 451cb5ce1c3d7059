"""The people search index: an FTS5 table of normalized names (SQLite only).

Names are folded in Python by :func:`protocol_app.rules.names.fold`, so that every
script is treated alike ("José" is found by "jose", "Đỗ" by "do").  Changing that
function needs a migration that rebuilds the index (see ``0003``).  Other databases
(PostgreSQL) fall back to a LIKE search on the same columns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Connection

from protocol_app.rules.names import fold

__all__ = ["fold", "match_query", "names_text"]

FTS_TABLE = "people_search"

CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
    "USING fts5(names, tokenize = 'unicode61 remove_diacritics 0')"
)

def names_text(*parts: str) -> str:
    """The text indexed for one person: every name field, folded."""
    return fold(" ".join(p for p in parts if p))


def match_query(query: str) -> str | None:
    """An FTS5 MATCH expression: every word of ``query`` as a quoted prefix term."""
    # control characters (NUL ends an FTS5 string) and lone surrogates become spaces
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch
                      for ch in fold(query))
    words = [w.replace('"', '""') for w in cleaned.split() if w]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def is_supported(connection: Connection) -> bool:
    """True when the connection is SQLite (with FTS5)."""
    return connection.dialect.name == "sqlite"


def rebuild(connection: Connection) -> None:
    """Write every person's entry afresh (after :func:`fold` changed)."""
    connection.execute(text(f"DELETE FROM {FTS_TABLE}"))
    rows = connection.execute(
        text("SELECT id, family_name, given_name, native_name, pronunciation FROM people")
    )
    for person_id, family, given, native, pronunciation in rows.fetchall():
        write_entry(connection, person_id,
                    names_text(family, given, native or "", pronunciation or ""))


def write_entry(connection: Connection, person_id: int, names: str) -> None:
    """Insert or replace one person's entry."""
    write_entries(connection, [(person_id, names)])


def write_entries(connection: Connection, entries: Iterable[tuple[int, str]]) -> None:
    """Insert or replace the entries of many people, ``(person id, names)`` each: two
    statements (executemany), however many people."""
    rows = [{"id": person_id, "names": names} for person_id, names in entries]
    if not rows:
        return
    connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), rows)
    connection.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, names) VALUES (:id, :names)"),
                       rows)


def delete_entry(connection: Connection, person_id: int) -> None:
    """Remove one person's entry."""
    connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": person_id})
