"""The people search index: folded names, searched by word prefix, on both engines.

Names are folded in Python by :func:`protocol_app.rules.names.fold`, so that every
script is treated alike on every engine ("José" is found by "jose", "Đỗ" by "do").
Changing that function needs a migration that rebuilds the index (see ``0003``).

- **SQLite**: an FTS5 table ``people_search(names)`` (tokenizer unicode61), rowid = the
  person's id; a query is every word as a quoted prefix term.
- **PostgreSQL**: a table ``people_search(person_id, names)`` with a pg_trgm GIN index.
  ``names`` holds the folded names split into words by FTS5's unicode61 tokenizer
  itself (:func:`words`), joined by single spaces, with a space at each end; a query
  word becomes ``LIKE '% word%'`` (a phrase ``'% o brien%'`` for "o'brien", as FTS5
  reads it), which the trigram index serves.  pg_trgm rather than full-text search
  with ``unaccent``: the text search parser has its own word rules and no prefix
  matching inside scripts without spaces, and ``unaccent`` folds differently from
  :func:`fold`; with pg_trgm both engines index the very same folded words, so a
  search finds the same people on both.
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection

from protocol_app.db.dialects import is_sqlite
from protocol_app.rules.names import fold

__all__ = ["fold", "match_query", "names_text"]

FTS_TABLE = "people_search"

CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
    "USING fts5(names, tokenize = 'unicode61 remove_diacritics 0')"
)

#: PostgreSQL: the index table (a person's entry goes with the person).
POSTGRESQL_CREATE_SQL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE TABLE IF NOT EXISTS {FTS_TABLE} ("
    " person_id integer PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,"
    " names text NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_people_search_names ON {FTS_TABLE} "
    "USING gin (names gin_trgm_ops)",
)


def names_text(*parts: str) -> str:
    """The text indexed for one person: every name field, folded."""
    return fold(" ".join(p for p in parts if p))


def _query_words(query: str) -> list[str]:
    # control characters (NUL ends an FTS5 string) and lone surrogates become spaces
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch
                      for ch in fold(query))
    return [w for w in cleaned.split() if w]


def match_query(query: str) -> str | None:
    """An FTS5 MATCH expression: every word of ``query`` as a quoted prefix term."""
    words = [w.replace('"', '""') for w in _query_words(query)]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


class _Fts5Words:
    """FTS5's own unicode61 tokenizer, run in a private in-memory SQLite database.

    Hand-written rules (letters, digits and private use make words) disagree with
    FTS5 on over 3,000 code points: FTS5 keeps some combining accents inside a word
    ("त́1" is one word), and its Unicode tables are older than Python's.  Asking FTS5
    itself makes the PostgreSQL index hold exactly the words SQLite's index holds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            conn.execute(CREATE_SQL)
            conn.execute(f"CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, {FTS_TABLE}, "
                         "'instance')")
            self._conn = conn
        return self._conn

    def split(self, texts: Sequence[str]) -> list[list[str]]:
        """The words of each text, in order (one insert and one query for all)."""
        out: list[list[str]] = [[] for _ in texts]
        if not texts:
            return out
        with self._lock:
            conn = self._connection()
            try:
                conn.executemany(f"INSERT INTO {FTS_TABLE}(rowid, names) VALUES (?, ?)",
                                 enumerate(texts))
                for doc, term in conn.execute("SELECT doc, term FROM temp.terms "
                                              "ORDER BY doc, offset"):
                    out[doc].append(term)
            finally:
                conn.rollback()
        return out


_FTS5_WORDS = _Fts5Words()


def words(folded: str) -> list[str]:
    """``folded`` split into words exactly as FTS5's unicode61 tokenizer splits it.

    >>> words("smith-jones o'brien x²y नमस्ते")
    ['smith', 'jones', 'o', 'brien', 'x²y', 'नमस', 'त']
    """
    return _FTS5_WORDS.split([folded])[0]


def postgresql_names(names: str) -> str:
    """What PostgreSQL's index holds for the folded ``names``: ``" tanaka haruto "``."""
    return _postgresql_entry(words(names))


def _postgresql_entry(name_words: list[str]) -> str:
    return f" {' '.join(name_words)} "


def like_patterns(query: str) -> list[str] | None:
    """PostgreSQL: one LIKE pattern per word of ``query`` (all must match); None when
    the query is empty, [] when it has words but none FTS5 would index (no match).
    FTS5 words hold no ASCII punctuation (no ``%``, ``_`` or ``\\``): nothing needs
    escaping."""
    query_words = _query_words(query)
    if not query_words:
        return None
    split = _FTS5_WORDS.split(query_words)
    return [f"% {' '.join(parts)}%" for parts in split if parts] or []


def _where(connection: Connection, query: str) -> tuple[str, dict[str, object]] | None:
    """The search's WHERE clause over ``people_search s`` and its parameters (None when
    the query is empty)."""
    if is_sqlite(connection):
        expression = match_query(query)
        return None if expression is None else (f"{FTS_TABLE} MATCH :q", {"q": expression})
    patterns = like_patterns(query)
    if patterns is None:
        return None
    if not patterns:
        return "false", {}
    params: dict[str, object] = {f"w{i}": pattern for i, pattern in enumerate(patterns)}
    return " AND ".join(f"s.names LIKE :{name}" for name in params), params


def _key(connection: Connection) -> str:
    return "s.rowid" if is_sqlite(connection) else "s.person_id"


def count(connection: Connection, query: str) -> int | None:
    """How many people match ``query`` (one statement); None when the query is empty."""
    where = _where(connection, query)
    if where is None:
        return None
    clause, params = where
    return connection.execute(
        text(f"SELECT count(*) FROM {FTS_TABLE} s WHERE {clause}"), params).scalar_one()


def matching_ids(connection: Connection, query: str, *, limit: int,
                 offset: int) -> list[int] | None:
    """The ids of the people matching ``query``, sorted by family and given name (one
    statement); None when the query is empty."""
    where = _where(connection, query)
    if where is None:
        return None
    clause, params = where
    rows = connection.execute(
        text(f"SELECT p.id FROM {FTS_TABLE} s JOIN people p ON p.id = {_key(connection)} "
             f"WHERE {clause} ORDER BY p.family_name, p.given_name, p.id "
             "LIMIT :limit OFFSET :offset"),
        {**params, "limit": limit, "offset": offset})
    return [r[0] for r in rows]


def rebuild(connection: Connection) -> None:
    """Write every person's entry afresh (after :func:`fold` changed)."""
    connection.execute(text(f"DELETE FROM {FTS_TABLE}"))
    rows = connection.execute(
        text("SELECT id, family_name, given_name, native_name, pronunciation FROM people")
    )
    write_entries(connection, [
        (person_id, names_text(family, given, native or "", pronunciation or ""))
        for person_id, family, given, native, pronunciation in rows.fetchall()])


def write_entry(connection: Connection, person_id: int, names: str) -> None:
    """Insert or replace one person's entry."""
    write_entries(connection, [(person_id, names)])


def write_entries(connection: Connection, entries: Iterable[tuple[int, str]]) -> None:
    """Insert or replace the entries of many people, ``(person id, names)`` each: two
    statements on SQLite, one on PostgreSQL (executemany), however many people."""
    rows = [{"id": person_id, "names": names} for person_id, names in entries]
    if not rows:
        return
    if is_sqlite(connection):
        connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), rows)
        connection.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, names) VALUES (:id, :names)"),
                           rows)
        return
    connection.execute(
        text(f"INSERT INTO {FTS_TABLE}(person_id, names) VALUES (:id, :names) "
             "ON CONFLICT (person_id) DO UPDATE SET names = excluded.names"),
        [{"id": row["id"], "names": _postgresql_entry(entry_words)}
         for row, entry_words in zip(rows, _FTS5_WORDS.split([str(r["names"]) for r in rows]),
                                     strict=True)])


def delete_entry(connection: Connection, person_id: int) -> None:
    """Remove one person's entry (on PostgreSQL it goes with the person anyway)."""
    key = "rowid" if is_sqlite(connection) else "person_id"
    connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE {key} = :id"), {"id": person_id})
