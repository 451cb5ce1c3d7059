"""Writing many rows at once: SQLAlchemy Core ``insert()`` with executemany.

The import writes tens of thousands of people, events, attendees and audit entries in
one transaction.  Through the ORM each row costs an object kept in the session and one
INSERT of its own; here each row is a plain dict built from the mapped table's columns
(so a column added to a model flows through with its default), the rows go in by
statements of many rows, and nothing stays in memory after its batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, Table, insert
from sqlalchemy.orm import Session

from protocol_app.records.models import AuditEntry

#: Rows built and written per batch (memory stays bounded by one batch).
BATCH = 1000


def table_row(table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    """A row for ``table``: ``values`` for its columns, every other column at its default.

    Every row of one table gets the same keys (an executemany needs that), so a column
    no value names gets its scalar or callable default, or NULL; the integer primary
    key is left to the database."""
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.key in values:
            row[column.key] = values[column.key]
        elif column.primary_key and column.autoincrement in (True, "auto"):
            continue
        elif column.default is not None and column.default.is_scalar:
            row[column.key] = column.default.arg  # type: ignore[attr-defined]
        elif column.default is not None and column.default.is_callable:
            row[column.key] = column.default.arg(None)  # type: ignore[attr-defined]
        elif column.server_default is None:
            row[column.key] = None
    return row


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]],
                returning: Sequence[str] = ()) -> list[Row]:
    """Insert ``rows`` in the session's transaction (pending ORM changes are flushed
    first); with ``returning``, those columns of the new rows, in no particular order."""
    if not rows:
        return []
    session.flush()
    statement = insert(table)
    if returning:
        result = session.connection().execute(
            statement.returning(*(table.c[name] for name in returning)), list(rows))
        return list(result.all())
    session.connection().execute(statement, list(rows))
    return []


def insert_audit(session: Session, entries: Iterable[Mapping[str, Any]]) -> None:
    """Insert audit entries made by :func:`protocol_app.services.base.audit_values`."""
    table = AuditEntry.__table__
    insert_rows(session, table, [table_row(table, entry) for entry in entries])  # type: ignore[arg-type]


def row_view(row: Mapping[str, Any], **related: Any) -> Any:
    """A row read like a mapped object (``row_view(row, venue=...).title``), so that the
    functions that turn a record into its value (``event_record``, ``person_record``)
    serve rows that never became objects."""
    return SimpleNamespace(**{**row, **related})
