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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from protocol_app.db.database import Database

#: The channel the trigger of migration 0010 notifies on.
CHANNEL = "protocol_desk_changes"


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
    ``close()`` releases the connection."""

    def __init__(self, db: Database) -> None:
        self._connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        raw = self._connection.connection.driver_connection
        assert raw is not None, "an open connection has its driver's connection"
        self._raw: Any = raw
        self._server = db.engine.dialect.name == "postgresql"
        self._own = db.backend_pids
        if self._server:
            self._raw.execute(f"LISTEN {CHANNEL}")
            self._version = 0
        else:
            self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._raw.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> Changes:
        """What changed since the last poll (empty when nothing did)."""
        if self._server:
            payloads = [n.payload for n in self._raw.notifies(timeout=0)
                        if n.pid not in self._own]
            return Changes.from_payloads(payloads)
        version = self._data_version()
        if version == self._version:
            return Changes()
        self._version = version
        return Changes(any_visit=True)

    def close(self) -> None:
        """Stop listening and give the connection back."""
        if self._server:
            self._raw.execute("UNLISTEN *")
        self._connection.close()
