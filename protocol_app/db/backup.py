"""Consistent SQLite backups (the online backup API) and checked restores.

Every file written here is created with mode 0600, whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from protocol_app.errors import DatabaseError
from protocol_app.files import write_private

SQLITE_MAGIC = b"SQLite format 3\x00"


def create_private_file(path: Path) -> None:
    """Create ``path`` (empty) with mode 0600 if it does not exist yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def read_only_uri(path: Path) -> str:
    """An SQLite URI opening ``path`` read-only (``?``, ``#`` and ``%`` in it escaped)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def is_sqlite_file(path: Path) -> bool:
    """True if ``path`` starts with the SQLite header (an empty file counts as new)."""
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    return head == SQLITE_MAGIC or head == b""


def integrity_problem(path: Path) -> str | None:
    """None if ``PRAGMA integrity_check`` passes on ``path``, else what it reported."""
    try:
        if not is_sqlite_file(path):
            return "not an SQLite database"
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except (sqlite3.DatabaseError, OSError) as exc:
        return str(exc)
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


def backup_file(source: Path, target: Path) -> Path:
    """Copy the database ``source`` to ``target`` consistently (even while it is in use)
    and check the copy.  ``target`` must not exist: not even as a dangling symbolic link,
    which is refused rather than followed or replaced (a backup never overwrites
    anything, and a link at the destination is the user's, or an attacker's, not ours).
    The copy is private (0600) from its first byte and appears whole or not at all."""
    target = Path(target)

    def copy(temp: Path) -> None:
        try:
            src = sqlite3.connect(read_only_uri(source), uri=True)
            dst = sqlite3.connect(temp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
                src.close()
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"Could not back up {source}: {exc}") from exc
        problem = integrity_problem(temp)
        if problem:
            raise DatabaseError(f"The backup {target} failed its integrity check: {problem}")

    if os.path.lexists(target):
        raise DatabaseError(_exists_message(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_private(target, copy, overwrite=False)
    except FileExistsError:
        raise DatabaseError(_exists_message(target)) from None
    except NotADirectoryError:
        raise DatabaseError(f"Cannot write the backup {target}: {target.parent} is not a "
                            "folder.") from None
    except PermissionError:
        raise DatabaseError(f"Cannot write the backup {target}: no permission to write in "
                            f"the folder {target.parent}.") from None


def _exists_message(target: Path) -> str:
    kind = " (a symbolic link; links are never followed)" if target.is_symlink() else ""
    return f"Backup target {target} already exists{kind}; choose another file name."


def timestamped_backup_path(database: Path, backups: Path, reason: str) -> Path:
    """A fresh backup file name such as ``protocol-desk-before-0002-20270312T101500Z.sqlite3``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return backups / f"{database.stem}-{reason}-{stamp}.sqlite3"


def latest_backup(database: Path, backups: Path) -> Path | None:
    """The newest backup of ``database`` in ``backups``, if any."""
    if not backups.is_dir():
        return None
    candidates = sorted(
        backups.glob(f"{database.stem}-*.sqlite3"), key=lambda p: p.stat().st_mtime
    )
    return candidates[-1] if candidates else None


def move_aside(database: Path, aside: Path) -> None:
    """Move a database that cannot be copied (damaged) to ``aside``, byte for byte, with
    its WAL and shared-memory files beside it.  Nothing is deleted."""
    aside.parent.mkdir(parents=True, exist_ok=True)
    try:
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{database}{suffix}")
            if part.exists():
                target = Path(f"{aside}{suffix}")
                os.replace(part, target)
                with contextlib.suppress(OSError):
                    os.chmod(target, 0o600)
    except OSError as exc:
        raise DatabaseError(
            f"Could not move the damaged database {database} aside to {aside}: "
            f"{exc.strerror or exc}. Nothing was restored."
        ) from None


def restore_into(source: Path, database: Path) -> None:
    """Overwrite ``database`` with the content of ``source`` through the backup API
    (safe with WAL files and open readers)."""
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
        dst = sqlite3.connect(database)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"Could not restore {source} into {database}: {exc}") from exc
