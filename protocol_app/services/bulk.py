"""Writing many rows at once: SQLAlchemy Core ``insert()`` with executemany.

The import writes tens of thousands of people, events, attendees and audit entries in
one transaction.  Through the ORM each row costs an object kept in the session and one
INSERT of its own; here each row is a plain dict built from the mapped table's columns
(so a column added to a model flows through with its default), the rows go in by
statements of many rows, and nothing stays in memory after its batch.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import FromClause, Row, Table, insert
from sqlalchemy.orm import Session

from protocol_app.records.models import AuditEntry
from protocol_app.services.base import save_id

#: Rows built and written per batch (memory stays bounded by one batch).
BATCH = 1000


def table_row(table: FromClause, values: Mapping[str, Any]) -> dict[str, Any]:
    """A row for ``table``: ``values`` for its columns, every other column at its default.

    Every row of one table gets the same keys (an executemany needs that), so a column
    no value names gets its scalar or callable default, or NULL; the integer primary
    key, and a column with only a server default, are left to the database unless given."""
    row: dict[str, Any] = {}
    for key, make_default in _defaults(_as_table(table)):
        if key in values:
            row[key] = values[key]
        elif make_default is not None:
            row[key] = make_default()
    return row


@functools.cache
def _defaults(table: Table) -> tuple[tuple[str, Callable[[], Any] | None], ...]:
    """Per column of ``table``: its key, and how to make its default (None: the
    database makes it)."""
    plan: list[tuple[str, Callable[[], Any] | None]] = []
    for column in table.columns:
        default: Any = column.default
        if column.primary_key and column.autoincrement in (True, "auto"):
            plan.append((column.key, None))
        elif default is not None and default.is_scalar:
            plan.append((column.key, functools.partial(_same, default.arg)))
        elif default is not None and default.is_callable:
            plan.append((column.key, functools.partial(default.arg, None)))
        elif column.server_default is not None:
            plan.append((column.key, None))
        else:
            plan.append((column.key, functools.partial(_same, None)))
    return tuple(plan)


def _as_table(table: FromClause) -> Table:
    """A mapped class's ``__table__`` (typed as a FromClause) as the Table it is."""
    if not isinstance(table, Table):
        raise TypeError(f"{table!r} is not a table")
    return table


def _same(value: Any) -> Any:
    return value


def insert_rows(session: Session, table: FromClause, rows: Sequence[Mapping[str, Any]],
                returning: Sequence[str] = ()) -> list[Row]:
    """Insert ``rows`` in the session's transaction (pending ORM changes are flushed
    first); with ``returning``, those columns of the new rows, in no particular order."""
    if not rows:
        return []
    session.flush()
    statement = insert(_as_table(table))
    if returning:
        result = session.connection().execute(
            statement.returning(*(table.c[name] for name in returning)), list(rows))
        return list(result.all())
    session.connection().execute(statement, list(rows))
    return []


def insert_audit(session: Session, entries: Iterable[Mapping[str, Any]]) -> None:
    """Insert audit entries made by :func:`protocol_app.services.base.audit_values`, as
    part of the session's save."""
    table = AuditEntry.__table__
    save = save_id(session)
    insert_rows(session, table, [table_row(table, {**entry, "save_id": save})
                                 for entry in entries])


def row_view(row: Mapping[str, Any], **related: Any) -> Any:
    """A row read like a mapped object (``row_view(row, venue=...).title``), so that the
    functions that turn a record into its value (``event_record``, ``person_record``)
    serve rows that never became objects."""
    return SimpleNamespace(**{**row, **related})
