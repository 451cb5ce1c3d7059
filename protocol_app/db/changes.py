"""What other workstations changed: a feed the desktop app polls a few times a second.

- **PostgreSQL**: ``LISTEN protocol_desk_changes`` on a connection of its own.  The
  notifications come from a trigger (migration ``0010``) when a writing transaction
  commits: ``visit:<id>`` names a visit, ``event:<id>`` a part of an event (attendees,
  a seating plan), ``people`` a person.  Polling reads what arrived without waiting.
- **SQLite** (several windows on one file): ``PRAGMA data_version`` on a connection of
  its own changes whenever another connection commits to the file; the feed cannot say
  which visit changed, so a change is reported for any visit.

On a server the feed leaves out what this process's own connections wrote (the window
already shows its own changes; the notification names the writer's server process).
On SQLite it cannot tell: a window's own writes come back too, and re-reading what it
shows costs a query or two and shows the same values.

A server connection can be lost (the server restarted, the connection was ended, the
network is out): ``poll()`` then raises :class:`~protocol_app.errors.ConnectionLostError`
naming the server, and ``reconnect()`` opens a fresh connection (within
:data:`CONNECT_TIMEOUT` seconds, or raises the same error).  Notifications sent meanwhile
are lost, so a reconnect reports that anything may have changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from protocol_app.errors import ConnectionLostError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from protocol_app.db.database import Database

#: The channel the trigger of migration 0014 notifies on.
CHANNEL = "protocol_desk_changes"
#: How the feed's connection names itself to the server (``pg_stat_activity``).
APPLICATION_NAME = "protocol-desk-live"
#: Seconds an attempt to open the feed's connection may take (the window waits for it;
#: libpq counts at least 2).
CONNECT_TIMEOUT = 3


@dataclass(frozen=True)
class Changes:
    """What changed since the last poll: the visits named, and whether something else
    changed that may belong to any visit (``any_visit``)."""

    visit_ids: frozenset[int] = frozenset()
    any_visit: bool = False

    def __bool__(self) -> bool:
        return bool(self.visit_ids) or self.any_visit

    def touches(self, visit_id: int) -> bool:
        """Whether the visit ``visit_id`` may have changed."""
        return self.any_visit or visit_id in self.visit_ids

    @classmethod
    def anything(cls) -> Changes:
        """Anything may have changed (after notifications were missed): touches every visit."""
        return cls(any_visit=True)

    @classmethod
    def from_payloads(cls, payloads: list[str]) -> Changes:
        """The changes the trigger's payloads name (``visit:12``, ``event:3``, ``people``)."""
        visits: set[int] = set()
        other = False
        for payload in payloads:
            kind, _, value = payload.partition(":")
            if kind == "visit" and value.isdigit():
                visits.add(int(value))
            else:
                other = True
        return cls(frozenset(visits), other)


class ChangeFeed:
    """A connection of its own that tells what other connections committed.

    ``poll()`` never waits: it returns at once with what arrived since the last call.
    ``reconnect()`` replaces a lost connection; ``close()`` releases it.  On a server the
    connection is opened apart from the engine's pool, with a short connect timeout (the
    window waits for it) and :data:`APPLICATION_NAME`."""

    def __init__(self, db: Database, *, connect_timeout: int = CONNECT_TIMEOUT) -> None:
        self._db = db
        self._server = db.engine.dialect.name == "postgresql"
        self._own = db.backend_pids
        self._connect_timeout = connect_timeout
        self._connection: Connection | None = None  # SQLite: the engine's connection
        self._raw: Any = None
        self._version = 0
        self._open()

    @property
    def server(self) -> str:
        """Where the feed listens, for messages: ``host:port (database name)`` on a server,
        the file's path on SQLite."""
        if not self._server:
            return str(self._db.path or self._db.url)
        params = self._connect_params()
        where = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
        return f"{where} (database {params['dbname']})" if params.get("dbname") else where

    def _connect_params(self) -> dict[str, Any]:
        """The engine's libpq parameters (host, port, login, TLS...), without SQLAlchemy's
        type adapters."""
        _args, params = self._db.engine.dialect.create_connect_args(self._db.engine.url)
        params.pop("context", None)
        return dict(params)

    def _open(self) -> None:
        if not self._server:
            self._connection = self._db.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT")
            self._raw = self._connection.connection.driver_connection
            self._version = self._data_version()
            return
        import psycopg

        params = {**self._connect_params(), "connect_timeout": self._connect_timeout,
                  "application_name": APPLICATION_NAME}
        try:
            raw = psycopg.connect(autocommit=True, **params)
        except psycopg.Error as exc:
            raise ConnectionLostError(
                f"Cannot reach the database server {self.server}: {_first_line(exc)}."
            ) from None
        try:
            raw.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raw.close()
            raise ConnectionLostError(
                f"Cannot listen for changes on the database server {self.server}: "
                f"{_first_line(exc)}.") from None
        self._raw = raw

    def _data_version(self) -> int:
        return int(self._raw.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> Changes:
        """What changed since the last poll (empty when nothing did).

        Raises :class:`ConnectionLostError` when the server connection is gone; other
        errors (none expected) pass unchanged."""
        if self._raw is None:
            raise ConnectionLostError(f"The change feed of {self.server} is not connected "
                                      "(closed, or the last reconnect failed).")
        if self._server:
            return Changes.from_payloads(self._server_payloads())
        version = self._data_version()
        if version == self._version:
            return Changes()
        self._version = version
        return Changes(any_visit=True)

    def _server_payloads(self) -> list[str]:
        import psycopg

        try:
            return [n.payload for n in self._raw.notifies(timeout=0) if n.pid not in self._own]
        except psycopg.Error as exc:
            if isinstance(exc, psycopg.OperationalError) or self._raw.broken or self._raw.closed:
                raise ConnectionLostError(
                    f"Lost the connection to the database server {self.server}: "
                    f"{_first_line(exc)}.") from None
            raise

    def reconnect(self) -> Changes:
        """Open a fresh connection in place of the old one (closed first).

        What other workstations committed while the feed was cut off was not heard, so
        the result reports that anything may have changed (:meth:`Changes.anything`).  On a
        server the pooled connections are dropped too (if the server restarted they are
        dead, and the window is about to read everything again through them).  Raises
        :class:`ConnectionLostError` naming the server when it still cannot be reached;
        calling again later is the way to retry."""
        self.close()
        self._open()
        if self._server:
            self._db.drop_pooled_connections()
        return Changes.anything()

    def close(self) -> None:
        """Stop listening and give the connection back (quietly, when it is already lost)."""
        raw, self._raw = self._raw, None
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()
        elif raw is not None:
            raw.close()  # ends the server session, and its LISTEN with it


def _first_line(exc: BaseException) -> str:
    """The first line of a driver's message (libpq adds hints on further lines)."""
    text = str(exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__
