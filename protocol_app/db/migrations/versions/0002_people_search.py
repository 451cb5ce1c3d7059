"""people search index: FTS5 over folded names (SQLite), pg_trgm (PostgreSQL)

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlite3
import unicodedata

import sqlalchemy as sa
from alembic import op

from protocol_app.db.dialects import per_dialect

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    per_dialect(op.get_bind(), sqlite=_sqlite_upgrade, postgresql=_postgresql_upgrade)


def downgrade() -> None:
    per_dialect(op.get_bind(), sqlite=_drop, postgresql=_drop)


def _sqlite_upgrade(connection: sa.engine.Connection) -> None:
    connection.execute(sa.text(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {_FTS_TABLE} "
        "USING fts5(names, tokenize = 'unicode61 remove_diacritics 0')"
    ))
    _rebuild(connection)


def _postgresql_upgrade(connection: sa.engine.Connection) -> None:
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may add it.
    connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    connection.execute(sa.text(
        f"CREATE TABLE {_FTS_TABLE} ("
        " person_id integer PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,"
        " names text NOT NULL)"))
    connection.execute(sa.text(
        f"CREATE INDEX ix_people_search_names ON {_FTS_TABLE} USING gin (names gin_trgm_ops)"))
    _rebuild(connection)


def _drop(connection: sa.engine.Connection) -> None:
    connection.execute(sa.text(f"DROP TABLE IF EXISTS {_FTS_TABLE}"))


# -- frozen copy of the folding in force when this migration was written ----------------
# (protocol_app.rules.names.fold and protocol_app.db.search_index at revision 0003).  A
# migration must do the same thing forever: a later change to folding gets a migration
# of its own and never changes what this one writes.
_FTS_TABLE = "people_search"
_FOLD_ACCENTS_BELOW = 0x0530  # Latin, Greek, Cyrillic and their combining accents
_LATIN_BASE = str.maketrans({
    "ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ŧ": "t", "ƀ": "b", "ɨ": "i",
    "ı": "i", "æ": "ae", "œ": "oe", "þ": "th",
})


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    out: list[str] = []
    base = 0
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base < _FOLD_ACCENTS_BELOW:
                continue
        else:
            base = ord(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).casefold().translate(_LATIN_BASE)


def _words(texts: list[str]) -> list[list[str]]:
    """Each text's words as FTS5's unicode61 tokenizer splits it (asked of FTS5 itself,
    in memory), for PostgreSQL."""
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute(f"CREATE VIRTUAL TABLE {_FTS_TABLE} "
                       "USING fts5(names, tokenize = 'unicode61 remove_diacritics 0')")
        memory.execute(f"CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, {_FTS_TABLE}, "
                       "'instance')")
        memory.executemany(f"INSERT INTO {_FTS_TABLE}(rowid, names) VALUES (?, ?)",
                           enumerate(texts))
        out: list[list[str]] = [[] for _ in texts]
        for doc, term in memory.execute("SELECT doc, term FROM temp.terms ORDER BY doc, offset"):
            out[doc].append(term)
        return out
    finally:
        memory.close()


def _rebuild(connection: sa.engine.Connection) -> None:
    """Every person's entry written afresh with :func:`_fold`."""
    connection.execute(sa.text(f"DELETE FROM {_FTS_TABLE}"))
    rows = connection.execute(
        sa.text("SELECT id, family_name, given_name, native_name, pronunciation FROM people")
    ).fetchall()
    entries = [{"id": person_id, "names": _fold(" ".join(n for n in names if n))}
               for person_id, *names in rows]
    if not entries:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(
            sa.text(f"INSERT INTO {_FTS_TABLE}(rowid, names) VALUES (:id, :names)"), entries)
    else:
        connection.execute(
            sa.text(f"INSERT INTO {_FTS_TABLE}(person_id, names) VALUES (:id, :names)"),
            [{"id": e["id"], "names": f" {' '.join(words)} "}
             for e, words in zip(entries, _words([str(e["names"]) for e in entries]),
                                 strict=True)])
