"""Backups and restores of a database on a PostgreSQL server, with the server's tools.

``pg_dump --format=custom`` writes the backup (private, 0600, whole or not at all, never
over an existing file), and ``pg_restore --list`` checks it before it counts as made.
A restore replaces every table of the server database (``pg_restore --clean``), which
other workstations are using: it runs only when asked with ``--force``.

The tools are looked up in ``PROTOCOL_DESK_PG_BIN`` when it is set (and only there),
else on ``PATH``, else in Debian's ``/usr/lib/postgresql/<version>/bin``, newest first.
The password, if the URL has one, goes to the tools through ``PGPASSWORD``, never on
their command line (which other users can see).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from protocol_app.errors import DatabaseError
from protocol_app.files import write_private

#: How long a dump or a restore may take before it is stopped.
TOOL_TIMEOUT_SECONDS = 3600


def find_tool(name: str) -> Path | None:
    """Where the PostgreSQL client program ``name`` is (None when not installed)."""
    only = os.environ.get("PROTOCOL_DESK_PG_BIN")
    if only is not None:
        found = shutil.which(name, path=only)
        return Path(found) if found else None
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return versions[-1] if versions else None


def _tool(name: str, action: str) -> Path:
    found = find_tool(name)
    if found is None:
        raise DatabaseError(
            f"Cannot {action}: the PostgreSQL program `{name}` is not installed here (install "
            "the PostgreSQL client tools, e.g. `apt-get install postgresql-client`, or set "
            "PROTOCOL_DESK_PG_BIN to their folder). Nothing was changed.")
    return found


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection URI for a SQLAlchemy URL (its query parameters kept: host,
    port, sslmode, sslrootcert...), and the environment carrying the password."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    uri = URL.create("postgresql", username=parsed.username, host=parsed.host,
                     port=parsed.port, database=parsed.database, query=parsed.query
                     ).render_as_string(hide_password=False)
    return uri, env


def describe(url: str) -> str:
    """``database "office" on db.example.org:5432`` (never the password)."""
    parsed = make_url(url)
    host = parsed.host or parsed.query.get("host") or "the local socket"
    port = parsed.port or parsed.query.get("port")
    return f'database "{parsed.database}" on {host}{f":{port}" if port else ""}'


def _contents(url: str) -> str:
    """`` (3 visits, 40 people)``: what the server database holds now ("" if unreadable)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy import exc as sa_exc

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            visits, people = connection.execute(text(
                "SELECT (SELECT count(*) FROM visits), (SELECT count(*) FROM people)")).one()
    except sa_exc.SQLAlchemyError:
        return ""
    finally:
        engine.dispose()
    return f" ({visits} visits, {people} people)"


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=TOOL_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DatabaseError(f"{what} failed: {exc}. Nothing was changed.") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        raise DatabaseError(f"{what} failed: {detail[-1] if detail else done.returncode}.")
    return done.stdout


def check_dump(path: Path) -> int:
    """The number of entries of a custom-format dump, read by ``pg_restore --list``;
    refused with a clear message when the file is not one."""
    if not Path(path).is_file():
        raise DatabaseError(f"{path} does not exist or is not a file; nothing was restored.")
    tool = _tool("pg_restore", f"read {path}")
    try:
        listing = _run([str(tool), "--list", str(path)], dict(os.environ),
                       f"Reading {path} as a PostgreSQL backup")
    except DatabaseError as exc:
        raise DatabaseError(f"{path} is not a PostgreSQL backup of the custom format "
                            f"(pg_dump --format=custom): {exc}") from None
    return sum(1 for line in listing.splitlines() if line and not line.startswith(";"))


def dump(url: str, target: Path) -> Path:
    """``pg_dump --format=custom`` of the server database into ``target`` (which must not
    exist), checked with ``pg_restore --list``; returns ``target``."""
    target = Path(target)
    tool = _tool("pg_dump", f"back up the {describe(url)}")
    if os.path.lexists(target):
        kind = " (a symbolic link; links are never followed)" if target.is_symlink() else ""
        raise DatabaseError(f"Backup target {target} already exists{kind}; choose another "
                            "file name.")
    uri, env = libpq_target(url)

    def write(temp: Path) -> None:
        _run([str(tool), "--format=custom", "--no-owner", f"--file={temp}",
              f"--dbname={uri}"], env, f"Backing up the {describe(url)} with pg_dump")
        check_dump(temp)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_private(target, write, overwrite=False)
    except FileExistsError:
        raise DatabaseError(f"Backup target {target} already exists; choose another file "
                            "name.") from None
    except PermissionError:
        raise DatabaseError(f"Cannot write the backup {target}: no permission to write in "
                            f"the folder {target.parent}.") from None


def restore(url: str, source: Path, *, force: bool) -> None:
    """Replace the server database's tables by those of the dump ``source``
    (``pg_restore --clean --if-exists``, in one transaction: all or nothing).

    Without ``force`` nothing happens: the message says what would be replaced."""
    source = Path(source)
    entries = check_dump(source)
    if not force:
        raise DatabaseError(
            f"Restoring {source} would replace every table of the {describe(url)}"
            f"{_contents(url)} by the backup's {entries} entries (pg_restore --clean), for "
            "every workstation using it. Take a backup first (`protocol-app backup --out "
            "FILE`), then run the restore again with --force. Nothing was changed.")
    tool = _tool("pg_restore", f"restore into the {describe(url)}")
    uri, env = libpq_target(url)
    _run([str(tool), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", f"--dbname={uri}", str(source)], env,
         f"Restoring {source} into the {describe(url)} with pg_restore (nothing was changed)")
