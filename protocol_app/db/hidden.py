"""Loading records without the fields a login may not read (an assistant, a viewer).

Selecting a whole ``people`` row would fail for such a login (``permission denied for
table people``): the server checks every column a statement names, including the ones
an eager load joins in (``participants`` with their ``people``).  So on such a database
every SELECT the engine sends reads a blank text in place of each hidden column
(``people_1.medical`` becomes ``'' AS medical``): records load whole, with those fields
blank, and nothing else changes.

Hand-written rather than SQLAlchemy's ``defer()``: a loader option applies to one path
(``select(Person)``), not to the same columns reached through a joined or selectin
relationship load, which every visit load uses; rewriting the statement covers every
path with one rule, and costs no extra round trip.  Writes are untouched: an UPDATE
names only the columns that changed, and the hidden ones never do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import event
from sqlalchemy.engine import Engine

_SELECT = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)


def hide_fields(engine: Engine, hidden: Mapping[str, frozenset[str]]) -> None:
    """Make every SELECT on ``engine`` read blanks for the ``hidden`` columns (table ->
    columns) instead of the columns themselves."""
    if not hidden:
        return
    patterns = [
        re.compile(rf"\b(?:{re.escape(table)}|{re.escape(table)}_\d+)\.({'|'.join(map(re.escape, sorted(columns)))})\b")  # noqa: E501
        for table, columns in hidden.items()]

    def blank_hidden(_conn: object, _cursor: object, statement: str, parameters: object,
                     _context: object, _executemany: bool) -> tuple[str, object]:
        if _SELECT.match(statement):
            for pattern in patterns:
                statement = pattern.sub(lambda m: f"''::text AS {m.group(1)}", statement)
        return statement, parameters

    event.listen(engine, "before_cursor_execute", blank_hidden, retval=True)
