"""The visits list as one plain SQL query, readable without SQLAlchemy.

The desktop app shows its visits list before the database layer is even imported
(importing SQLAlchemy alone takes about half a second).  So the list is written once, here,
as portable SQL with named parameters, and read two ways:

* :meth:`protocol_app.services.visits.VisitService.list` runs :func:`summary_query` through
  its SQLAlchemy session (one query for the whole list);
* :func:`peek_visit_summaries` runs it straight on the SQLite file with the standard
  :mod:`sqlite3` module, read-only, at start-up.

This module imports only the standard library, :mod:`protocol_app.config`,
:mod:`protocol_app.db.schema`, :mod:`protocol_app.rules.names` and
:mod:`protocol_app.services.values`: never SQLAlchemy.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from protocol_app import config
from protocol_app.db.schema import HEAD_REVISION
from protocol_app.rules.names import display_name
from protocol_app.services.values import VisitSummary

#: The escape character of the text filter's LIKE pattern.
_ESCAPE = "/"

_SELECT = """\
SELECT v.id, v.public_id, v.title, v.status, v.start_date, v.end_date, v.country,
       v.timezone, v.version,
       (SELECT count(*) FROM participants p WHERE p.visit_id = v.id) AS people_count,
       (SELECT count(*) FROM events e WHERE e.visit_id = v.id) AS event_count,
       hp.given_name, hp.family_name, hp.name_order
FROM visits v
LEFT JOIN participants h ON h.id = (
    SELECT min(x.id) FROM participants x
    WHERE x.visit_id = v.id AND x.side = 'guest' AND x.role = 'head')
LEFT JOIN people hp ON hp.id = h.person_id"""

_ORDER = "ORDER BY v.start_date, v.id"


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character '/') matching ``text`` anywhere, taken literally:
    '%', '_' and '/' are searched for, not wildcards."""
    escaped = (text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%")
               .replace("_", _ESCAPE + "_"))
    return f"%{escaped}%"


def summary_query(text: str = "", *, status: str | None = None, date_from: date | None = None,
                  date_to: date | None = None) -> tuple[str, dict[str, object]]:
    """The SQL of the visits list and its named (``:name``) parameters.

    Visits whose title, public id or country contain ``text`` (case-insensitive), in
    ``status``, overlapping ``date_from``..``date_to``; soonest first.  Each row holds: id,
    public_id, title, status, start_date, end_date, country, timezone, version,
    people_count, event_count and the head of delegation's given_name, family_name and
    name_order (NULL when the visit has no head).  Dates are passed as 'YYYY-MM-DD'
    strings, as SQLite stores them.
    """
    where: list[str] = []
    params: dict[str, object] = {}
    if text.strip():
        params["pattern"] = like_pattern(text.strip().lower())
        where.append("(" + " OR ".join(
            f"lower(v.{column}) LIKE :pattern ESCAPE '{_ESCAPE}'"
            for column in ("title", "public_id", "country")) + ")")
    if status:
        params["status"] = status
        where.append("v.status = :status")
    if date_from:
        params["date_from"] = date_from.isoformat()
        where.append("v.end_date >= :date_from")
    if date_to:
        params["date_to"] = date_to.isoformat()
        where.append("v.start_date <= :date_to")
    parts = [_SELECT]
    if where:
        parts.append("WHERE " + "\n  AND ".join(where))
    parts.append(_ORDER)
    return "\n".join(parts), params


def _as_date(value: object) -> date:
    """A date column's value: a 'YYYY-MM-DD' string (SQLite) or a date (other databases)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError(f"not a date: {value!r}")


class _Name(NamedTuple):
    """The name columns of the head of delegation, as the name rules read a person."""

    given_name: str
    family_name: str
    name_order: str
    honorific: str = ""
    country: str = ""


def head_name(given: str | None, family: str | None, name_order: str | None) -> str:
    """The head of delegation's name in its customary order ("" without a head)."""
    return display_name(_Name(given or "", family or "", name_order or ""))


def summaries_from_rows(rows: Iterable[Sequence[Any]]) -> list[VisitSummary]:
    """The list's values from the rows of :func:`summary_query`, in their order."""
    summaries: list[VisitSummary] = []
    for (visit_id, public_id, title, status, start, end, country, timezone, version,
         people_count, event_count, given, family, name_order) in rows:
        summaries.append(VisitSummary(
            id=int(visit_id), public_id=str(public_id), title=str(title), status=str(status),
            start_date=_as_date(start), end_date=_as_date(end), country=str(country),
            timezone=str(timezone),
            head_of_delegation=head_name(given, family, name_order),
            people_count=int(people_count), event_count=int(event_count), version=int(version),
        ))
    return summaries


def sqlite_file(target: str | Path | None = None) -> Path | None:
    """The SQLite file the app would open for ``target`` (a path, a ``sqlite:///`` URL, or
    None for the default database), or None when it is not a plain SQLite file (another
    database, an in-memory one, a URL with options)."""
    value = str(target) if target else config.default_database_url()
    if "://" not in value:
        return Path(value).expanduser().resolve()  # as Database.open does
    scheme, _, rest = value.partition("://")
    if scheme not in ("sqlite", "sqlite+pysqlite") or not rest.startswith("/") or "?" in rest:
        return None
    database = unquote(rest[1:])  # as SQLAlchemy reads the URL
    if database in ("", ":memory:"):
        return None
    return Path(os.path.abspath(database))


def _sidecars(path: Path) -> tuple[Path, Path, Path]:
    """The write-ahead log, its shared-memory index and the rollback journal of ``path``."""
    return (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"))


def _fingerprint(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _read_summaries(path: Path) -> list[VisitSummary] | None:
    """Read the list from ``path`` without creating or changing any file."""
    wal, shm, journal = _sidecars(path)
    if journal.exists():  # a journal left by a crash must be rolled back by a writer
        return None
    has_wal, has_shm = wal.exists(), shm.exists()
    if has_wal != has_shm:  # a read would create the missing one
        return None
    # With -wal and -shm present (the app, or another copy of it, has the file open) a
    # read-only connection uses them and creates nothing.  Without them, even a read-only
    # connection to a WAL database would create both, so the file is read as immutable
    # (no locks, no log): everything is in the main file then, and the checks after the
    # read make sure no writer came along meanwhile.
    immutable = not has_wal
    before = _fingerprint(path)
    uri = f"file:{quote(path.as_posix(), safe='/:')}?mode=ro"
    if immutable:
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN")  # one snapshot for the revision and the list
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != HEAD_REVISION:
            return None
        sql, params = summary_query()
        summaries = summaries_from_rows(conn.execute(sql, params).fetchall())
        conn.execute("COMMIT")
    finally:
        conn.close()
    if immutable and (wal.exists() or journal.exists() or _fingerprint(path) != before):
        return None
    return summaries


def peek_visit_summaries(target: str | Path | None = None) -> list[VisitSummary] | None:
    """The whole visits list read straight from the SQLite file the app would open for
    ``target`` (see :func:`sqlite_file`), read-only and without SQLAlchemy; or None.

    None means: open the database properly (Services.open), which creates, migrates or
    explains.  That is the answer, never an exception, whenever the file is missing, a
    folder, not an SQLite database, damaged, busy, at an older or newer schema revision,
    or not a plain SQLite file at all.  No file is ever created or changed.
    """
    try:
        path = sqlite_file(target)
        if path is None or not path.is_file():
            return None
        return _read_summaries(path)
    except (sqlite3.Error, OSError, ValueError, TypeError):
        return None
