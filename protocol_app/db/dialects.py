"""Engine-specific parts of the schema, chosen in one place.

Protocol Desk runs on SQLite (the default, a local file) and on PostgreSQL (an office's
server).  Migrations and services are written in portable SQLAlchemy/Alembic calls;
anything that exists on one engine only (FTS5 on SQLite, pg_trgm on PostgreSQL) goes
through :func:`per_dialect`, so a reader sees every engine's variant side by side and a
new engine fails loudly instead of silently skipping a step.

In a migration::

    from protocol_app.db.dialects import per_dialect

    def upgrade() -> None:
        per_dialect(op.get_bind(), sqlite=_fts_upgrade, postgresql=_trgm_upgrade)

``op.batch_alter_table`` is for SQLite's sake only: Alembic turns it into plain
``ALTER TABLE`` on PostgreSQL, so a migration may use it whenever SQLite needs it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection

#: The engines Protocol Desk supports (SQLAlchemy dialect names).
SUPPORTED = ("sqlite", "postgresql")

Step = Callable[[Connection], None]


def per_dialect(connection: Connection, *, sqlite: Step | None, postgresql: Step | None) -> None:
    """Run the step written for the connection's engine (``None``: nothing to do there).

    Both keywords are required, so every engine-specific step says what the other
    engine does; an engine Protocol Desk does not support is refused."""
    name = connection.dialect.name
    if name not in SUPPORTED:
        raise NotImplementedError(f"Protocol Desk supports {', '.join(SUPPORTED)}, not {name}")
    step = sqlite if name == "sqlite" else postgresql
    if step is not None:
        step(connection)


def is_sqlite(connection: Connection) -> bool:
    """True on SQLite (a local file or memory)."""
    return connection.dialect.name == "sqlite"


def is_server(connection: Connection) -> bool:
    """True on a database server (PostgreSQL)."""
    return connection.dialect.name == "postgresql"
