"""A throwaway PostgreSQL 15 cluster for the tests: initdb in a temporary folder, a Unix
socket in that folder and a free loopback port, stopped and deleted at the end.

The server refuses to run as root, so as root ``initdb`` and ``pg_ctl`` run as the
``postgres`` OS user (Debian's package creates it); otherwise as the current user.
Each test gets a fresh database copied from a migrated template (``CREATE DATABASE ...
TEMPLATE``: a file copy, tens of milliseconds), dropped afterwards.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.smtp import free_port

#: Where Debian's postgresql-15 package puts the server programs.
BIN_DIRS = (Path(os.environ.get("PROTOCOL_DESK_PG_BIN", "/usr/lib/postgresql/15/bin")),)
TEMPLATE = "protocol_template"


def server_bin() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None when not installed."""
    for folder in BIN_DIRS:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def missing_reason() -> str | None:
    """Why no cluster can be started here (None when one can)."""
    if server_bin() is None:
        return (f"PostgreSQL server programs not found in {BIN_DIRS[0]} (install "
                "postgresql-15 and postgresql-contrib; .ci/run does)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` OS user to run the server"
    return None


@dataclass
class Cluster:
    """A running throwaway cluster; :meth:`url` names one of its databases."""

    folder: Path
    port: int
    bin: Path
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        """A SQLAlchemy URL over the Unix socket (``host`` is the socket folder)."""
        return (f"postgresql+psycopg://{user}@/{database}"
                f"?host={self.socket_dir}&port={self.port}")

    def tcp_url(self, database: str = "postgres", user: str = "postgres") -> str:
        """The same database over TCP on 127.0.0.1 (what a workstation would use)."""
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run statements in autocommit (CREATE/DROP DATABASE cannot run in a transaction)."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres",
                             dbname=database, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]

    def end_sessions(self, database: str, application_name: str | None = None) -> int:
        """End the server sessions connected to ``database`` (only those naming themselves
        ``application_name``, when given), as a restart or a cut network would: how many."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
                " AND (%s::text IS NULL OR application_name = %s) AND pid <> pg_backend_pid()",
                (database, application_name, application_name)).fetchall()
        return sum(1 for (ended,) in rows if ended)

    def allow_connections(self, database: str, allowed: bool) -> None:
        """Let new connections into ``database``, or refuse them (the server says the
        database "is not currently accepting connections"); open ones stay."""
        self.execute(f"ALTER DATABASE {database} ALLOW_CONNECTIONS {str(allowed).lower()}")

    def create_template(self) -> None:
        """The migrated template every test database is copied from."""
        from protocol_app.db.database import Database

        self.execute(f"CREATE DATABASE {TEMPLATE}")
        Database.open(self.url(TEMPLATE)).dispose()

    def fresh_database(self, *, empty: bool = False) -> str:
        """A new database copied from the migrated template (or, ``empty``, with nothing
        in it, not even the schema); returns its name."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.execute(f"CREATE DATABASE {name}" + ("" if empty else f" TEMPLATE {TEMPLATE}"))
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        _as_server_user([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                         "-m", "immediate", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _as_server_user(command: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)


def start_cluster() -> Cluster:
    """initdb + pg_ctl start in a fresh temporary folder (trust authentication, local
    connections only; durability off: a test cluster need not survive a crash)."""
    folder = Path(tempfile.mkdtemp(prefix="protocol-desk-pg-"))
    binaries = server_bin()
    assert binaries is not None, missing_reason()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    port = free_port()
    data = folder / "data"
    try:
        _as_server_user([str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = (f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                         "-l", str(folder / "server.log"), "-w", "start"])
    except subprocess.CalledProcessError as exc:
        log = folder / "server.log"
        detail = log.read_text() if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr}\n{detail}") from None
    return Cluster(folder, port, binaries)


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    """A cluster with the migrated template, stopped and deleted afterwards."""
    cluster = start_cluster()
    try:
        cluster.create_template()
        yield cluster
    finally:
        cluster.stop()
