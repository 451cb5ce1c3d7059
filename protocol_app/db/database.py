"""Opening the database: SQLite files made safely, schema checked, migrations applied.

``Database.open()`` is the one way in.  It creates a new SQLite file with mode 0600,
turns on WAL and foreign keys, refuses files that are not databases or whose schema is
newer than this version knows, and upgrades older schemas through Alembic after a
checked backup.  Any other SQLAlchemy URL (PostgreSQL) goes through the same code.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from protocol_app import config
from protocol_app.db import backup as backups
from protocol_app.db.schema import HEAD_REVISION, KNOWN_REVISIONS
from protocol_app.errors import DatabaseError, ProtocolError

log = logging.getLogger(__name__)


def database_url(target: str | Path | None) -> str:
    """A SQLAlchemy URL for a path, a URL, or the default database."""
    value = str(target) if target else config.default_database_url()
    if "://" in value:
        return value
    # URL.create escapes '?', '#' and '%' in the path, which a plain f-string would not
    return URL.create("sqlite", database=str(Path(value).expanduser().resolve())
                      ).render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Nothing here writes to the file: WAL is turned on only once the schema is known
    # to be ours (see Database.open), so a refused file is left exactly as it was.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


#: SQLite result codes of a damaged file (SQLITE_CORRUPT and its extended codes, NOTADB).
_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
#: ... and of a file another connection is writing to (after the busy timeout).
_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
#: PostgreSQL's SQLSTATE for a privilege the login does not hold.
_INSUFFICIENT_PRIVILEGE = "42501"
#: ... and of a file this user may read but not write.
_READ_ONLY = ("SQLITE_READONLY",)


class Database:
    """An open database: the engine, its session factory and where it lives."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        #: Why this file is a risky place for a database (a network share), once per
        #: process; for the desktop app to show.  None when all is well.
        self.storage_warning: str | None = None
        self._login: str | None = None
        #: Table -> the sensitive columns this login may not read (a server's roles).
        self.hidden_fields: dict[str, frozenset[str]] = {}
        #: True when this login may read but not write (``protocol_viewer``).
        self.read_only = False
        #: On a server: the server processes of this database's own connections.
        self.backend_pids: set[int] = set()
        parsed = make_url(url)
        self.path: Path | None = (
            Path(parsed.database) if parsed.drivername.startswith("sqlite") and parsed.database
            and parsed.database != ":memory:" else None
        )

    # -- opening ---------------------------------------------------------------
    @classmethod
    def open(cls, target: str | Path | None = None, *, migrate: bool = True) -> Database:
        """Open (creating if needed) the database at ``target`` (path or URL)."""
        url = database_url(target)
        parsed = make_url(url)
        path: Path | None = None
        if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
            path = Path(parsed.database)
            _check_sqlite_file(path)
        engine = create_engine(url, future=True)
        db = cls(url, engine)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "handle_error", db._damaged_file_error)
        elif engine.dialect.name == "postgresql":
            event.listen(engine, "connect", db._remember_backend)
        try:
            db._check_schema(migrate=migrate)
            if path is not None:
                db._use_wal()
            elif engine.dialect.name == "postgresql":
                db._learn_privileges()
        except BaseException:
            engine.dispose()
            raise
        if path is not None:
            from protocol_app.db.network_share import warn_once

            db.storage_warning = warn_once(path)
            if db.storage_warning:
                # user_notice: the command line prints it itself, as its own line
                log.warning("%s", db.storage_warning, extra={"user_notice": True})
        return db

    def _remember_backend(self, dbapi_connection: Any, _record: object) -> None:
        """Note the server process of each connection this database opens, so the change
        feed can tell this process's own writes from other workstations'."""
        self.backend_pids.add(dbapi_connection.info.backend_pid)

    def _learn_privileges(self) -> None:
        """On a server, in one statement: the login's name (the audit trail's actor),
        which sensitive fields it may not read (then every SELECT reads blanks in their
        place, :mod:`protocol_app.db.hidden`), and whether it may write."""
        from protocol_app.db import roles

        with self.engine.connect() as connection:
            found = roles.login_privileges(connection)
        self._login, self.hidden_fields, self.read_only = (
            found.login, found.hidden, not found.may_write)
        if self.hidden_fields:
            from protocol_app.db.hidden import hide_fields

            hide_fields(self.engine, self.hidden_fields)

    def _use_wal(self) -> None:
        """Turn on WAL (it stays on in the file) once the schema is known to be ours."""
        with self.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            if str(mode).lower() != "wal":
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")

    def _damaged_file_error(self, context: object) -> None:
        """Turn SQLite's "malformed", "locked" and "read-only" errors, wherever they
        happen, into one message that names the file and the way out."""
        original = getattr(context, "original_exception", None)
        if not isinstance(original, sqlite3.DatabaseError):
            return
        name = str(getattr(original, "sqlite_errorname", ""))
        if name.startswith(_DAMAGED):
            raise DatabaseError(
                f"The database {self._describe()} is damaged ({original}). Restore a backup "
                "with `protocol-app restore FILE`." + self._latest_backup_hint()
            ) from None
        if name.startswith(_BUSY):
            raise DatabaseError(
                f"The database {self._describe()} is busy: another program or window is "
                "writing to it. Try again in a moment; nothing was saved."
            ) from None
        if name.startswith(_READ_ONLY):
            raise DatabaseError(
                f"The database {self._describe()} is read-only for you ({original}); "
                "nothing was saved. Make the file writable, or work on a copy."
            ) from None

    def _describe(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string()

    def _latest_backup_hint(self) -> str:
        if self.path is None:
            return ""
        found = backups.latest_backup(self.path, config.backup_dir())
        return f" The latest backup is {found}." if found else " No backup of it was found."

    def current_revision(self, connection: Connection) -> str | None:
        """The schema revision stored in the database (one query), or None if empty."""
        try:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        except (sa_exc.OperationalError, sa_exc.ProgrammingError):
            # SQLite says "no such table" (OperationalError), PostgreSQL "relation does not
            # exist" (ProgrammingError, and the transaction is aborted: roll it back)
            connection.rollback()
            tables = inspect(connection).get_table_names()
            if tables:
                kind = "an SQLite" if self.path is not None else "a"
                raise DatabaseError(
                    f"{self._describe()} is {kind} database, but not one of Protocol Desk "
                    f"(it has tables {', '.join(sorted(tables)[:5])}); nothing was changed."
                ) from None
            return None
        return row[0] if row else None

    def _check_schema(self, *, migrate: bool) -> None:
        try:
            with self.engine.connect() as connection:
                revision = self.current_revision(connection)
        except sa_exc.DatabaseError as exc:
            raise DatabaseError(
                f"Cannot read the database {self._describe()}: {exc.orig}."
                + self._latest_backup_hint()
            ) from None
        if revision == HEAD_REVISION:
            return
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise DatabaseError(
                f"The database {self._describe()} was made by a newer version of Protocol "
                f"Desk (schema {revision}; this version knows up to {HEAD_REVISION}). "
                "Install the newer version; nothing was changed." + self._latest_backup_hint()
            )
        if not migrate:
            raise DatabaseError(
                f"The database {self._describe()} needs an upgrade from schema "
                f"{revision or 'empty'} to {HEAD_REVISION}."
            )
        self.upgrade(revision)

    def upgrade(self, from_revision: str | None) -> Path | None:
        """Back up (if there is data), then migrate to the head revision.

        Returns the path of the checked backup, if one was made."""
        from protocol_app.db.schema_check import parts_from_later_revisions, schema_of

        with self.engine.connect() as connection:
            ahead = parts_from_later_revisions(schema_of(connection), from_revision)
        if ahead:
            what = "; ".join(f"{part} (added by schema {step})" for part, step in ahead[:5])
            raise DatabaseError(
                f"The database {self._describe()} says it is at schema {from_revision}, but "
                f"it already has {what}: it was changed outside Protocol Desk, and the "
                f"upgrade to {HEAD_REVISION} cannot run on it. Nothing was changed."
                + self._latest_backup_hint())
        made: Path | None = None
        if from_revision is not None and self.path is not None:
            made = self.backup(
                backups.timestamped_backup_path(
                    self.path, config.backup_dir(), f"before-{HEAD_REVISION}"
                )
            )
            log.info("backed up %s to %s before migrating", self.path, made)
        from protocol_app.db.migrate import upgrade_to_head  # Alembic only when needed
        from protocol_app.db.roles import refresh_after_upgrade

        with self.engine.begin() as connection:
            upgrade_to_head(connection)
            if from_revision is not None and refresh_after_upgrade(connection):
                log.info("granted the office's roles anew after the upgrade")
        return made

    # -- sessions ----------------------------------------------------------------
    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error.

        A unique constraint that fails at the database is a race the services' own
        checks could not see (two first imports of one visit id at once): it gets the
        same message as a version that moved meanwhile."""
        try:
            with self._sessions.begin() as session:
                yield session
        except (StaleDataError, sa_exc.IntegrityError):
            raise ProtocolError(
                "Someone else saved this record at the same moment; nothing of yours was "
                "saved. Reload it and apply your changes again.") from None
        except sa_exc.ProgrammingError as exc:
            if getattr(exc.orig, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
                raise
            raise ProtocolError(
                f"Your database login ({self.login_name()}) may not do this: "
                f"{str(exc.orig).splitlines()[0]}. Nothing was saved; ask the office's "
                "database administrator for another role.") from None

    def login_name(self) -> str | None:
        """On a server, the database user this connection logged in as (``SELECT
        current_user``, learnt at open); None on SQLite, where there is no login."""
        if self.path is not None or self.engine.dialect.name == "sqlite":
            return None
        if self._login is None:
            with self.engine.connect() as connection:
                self._login = str(connection.execute(text("SELECT current_user")).scalar())
        return self._login

    def read_session(self) -> Session:
        """A session for reading only (the caller closes it)."""
        return self._sessions()

    # -- backup ------------------------------------------------------------------
    def backup(self, target: Path) -> Path:
        """A consistent, checked copy of this database at ``target`` (mode 0600): the
        SQLite online backup, or ``pg_dump --format=custom`` of a PostgreSQL database."""
        if self.path is not None:
            return backups.backup_file(self.path, Path(target))
        if self.engine.dialect.name == "postgresql":
            from protocol_app.db import server_backup

            return server_backup.dump(self.url, Path(target))
        raise DatabaseError("Backups are made of SQLite files and PostgreSQL databases only; "
                            "use your server's tools.")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def drop_pooled_connections(self) -> None:
        """After the server was out of reach (it may have restarted): close the pooled
        connections, which may be dead, so the next statement opens a fresh one instead of
        failing; and forget their server processes (the numbers may be reused)."""
        self.engine.dispose()
        self.backend_pids.clear()


def _check_sqlite_file(path: Path) -> None:
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file.")
        try:
            ok = backups.is_sqlite_file(path)
        except OSError as exc:
            raise DatabaseError(f"Cannot read {path}: {exc.strerror}.") from None
        if not ok:
            hint = backups.latest_backup(path, config.backup_dir())
            raise DatabaseError(
                f"{path} is not a Protocol Desk database (not an SQLite file); nothing was "
                "changed." + (f" The latest backup is {hint}." if hint else "")
            )
        return
    backups.create_private_file(path)


def restore_database(database: Path, source: Path) -> Path:
    """Replace the SQLite file ``database`` by the checked backup ``source``.

    The replaced database is kept aside in the backups folder (never deleted); its path
    is returned.  Nothing changes if ``source`` is not a sound Protocol Desk database."""
    source, database = Path(source), Path(database)
    if not source.is_file():
        raise DatabaseError(f"{source} does not exist or is not a file; nothing was restored.")
    if database.exists() and source.resolve() == database.resolve():
        raise DatabaseError(f"{source} is the database itself; choose a backup file. Nothing "
                            "was restored.")
    problem = backups.integrity_problem(source)
    if problem:
        raise DatabaseError(f"{source} cannot be restored: {problem}. Nothing was changed.")
    try:
        conn = sqlite3.connect(backups.read_only_uri(source), uri=True)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        row = None
    if not row or row[0] not in KNOWN_REVISIONS:
        what = f"schema {row[0]}, newer than this version" if row else "not a Protocol Desk backup"
        raise DatabaseError(f"{source} cannot be restored ({what}). Nothing was changed.")
    from protocol_app.db.schema_check import describe_missing, file_schema, missing_parts

    missing = missing_parts(file_schema(source, backups.read_only_uri(source)), row[0])
    if missing:
        raise DatabaseError(
            f"{source} cannot be restored: it says it is a Protocol Desk database at schema "
            f"{row[0]}, but it lacks {describe_missing(missing)}. Nothing was changed.")
    _check_writable_folder(database)
    aside = backups.timestamped_backup_path(database, config.backup_dir(), "replaced")
    if database.exists() and database.stat().st_size > 0:
        try:
            backups.backup_file(database, aside)
        except DatabaseError:
            # Damaged (often the very reason for the restore): keep its files as they are.
            backups.move_aside(database, aside)
            backups.create_private_file(database)
    else:
        aside = Path()
        backups.create_private_file(database)
    backups.restore_into(source, database)
    return aside


def _check_writable_folder(database: Path) -> None:
    """Refuse, before anything is replaced, a database SQLite could not write: its folder
    must take new files (the journal), and the file itself must be writable."""
    folder = database.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".protocol-desk-probe-")
        os.close(fd)
        os.unlink(probe)
        if database.exists():
            with open(database, "r+b"):
                pass
    except OSError as exc:
        where = database if exc.filename and Path(exc.filename) == database else folder
        raise DatabaseError(
            f"Cannot restore into {database}: no permission to write "
            f"{'the file' if where == database else 'in the folder'} {where} "
            f"({exc.strerror or exc}). Nothing was changed."
        ) from None
