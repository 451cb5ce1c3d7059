"""The PostgreSQL people search finds exactly whom SQLite's FTS5 finds.

SQLite matches folded names with FTS5 (unicode61 tokenizer, prefix terms); PostgreSQL
with ``LIKE '% word%'`` over the same folded names split into words by
:func:`protocol_app.db.search_index.words`.  With only a leading and a trailing ``%``,
LIKE is a substring test, so here it is checked in Python against a real FTS5 table for
many names and queries (letters with accents, marks, CJK, digits, punctuation, and
characters newer than SQLite's Unicode tables); the service tests
(tests/services/test_search.py) run the same cases on a real server."""

from __future__ import annotations

import sqlite3

from hypothesis import example, given, settings
from hypothesis import strategies as st

from protocol_app.db import search_index
from protocol_app.db.search_index import like_patterns, match_query, names_text, postgresql_names

# U+0301 and U+0327 are accents FTS5 keeps inside a word but never starts one with;
# U+0941 is a Devanagari vowel sign it splits on; U+1AB0, U+20BF and U+1F600 came
# into Unicode after SQLite's tables were made.
ALPHABET = st.sampled_from(list("abcxyzéÉłŁøđ") + list("田中陽翔") + list("नमस्ते")
                           + list("αβΓ") + list(" -'’._$+²1%\\")
                           + ["\u0301", "\u0327", "\u0941", "\u200b", "\u1ab0", "\u20bf",
                              "\U0001f600"])
TEXT = st.text(ALPHABET, min_size=0, max_size=12)


def _fts_finds(names: list[str], query: str) -> set[int]:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(search_index.CREATE_SQL)
        conn.executemany(f"INSERT INTO {search_index.FTS_TABLE}(rowid, names) VALUES (?, ?)",
                         [(i, names_text(n)) for i, n in enumerate(names)])
        expression = match_query(query)
        if expression is None:
            return set(range(len(names)))
        return {r[0] for r in conn.execute(
            f"SELECT rowid FROM {search_index.FTS_TABLE} WHERE {search_index.FTS_TABLE} "
            "MATCH ?", (expression,))}
    finally:
        conn.close()


def _like_finds(names: list[str], query: str) -> set[int]:
    patterns = like_patterns(query)
    if patterns is None:
        return set(range(len(names)))
    found = set()
    for i, name in enumerate(names):
        stored = postgresql_names(names_text(name))
        if patterns and all(p.strip("%") in stored for p in patterns):
            found.add(i)
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6), TEXT)
@example(names=["त\u0301" "1"], query="1")  # an accent after a Devanagari letter
@example(names=["a\u20bfb"], query="b")
def test_both_engines_find_the_same_people(names: list[str], query: str) -> None:
    assert _like_finds(names, query) == _fts_finds(names, query)


def test_examples() -> None:
    names = ["Smith-Jones", "O'Brien", "田中 陽翔", "Wiśniewska Małgorzata", "नमस्ते"]
    for query, expected in [("jones", {0}), ("o'bri", {1}), ("obrien", set()), ("陽", {2}),
                            ("翔", set()), ("malg wisn", {3}), ("ते", {4}), ("$", set()),
                            ("%", set()), ("_", set())]:
        assert _fts_finds(names, query) == expected, query
        assert _like_finds(names, query) == expected, query
