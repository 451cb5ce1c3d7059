"""Scheduled backups of the local SQLite file, and the list of every backup kept.

The desktop app calls :func:`take_scheduled_backup` at start-up: when the newest
scheduled backup is a day old or older (or there is none), it takes a checked backup
into the backups folder beside the database (``<data folder>/backups``) and then thins
the scheduled ones out with :func:`backups_to_keep`: the newest of each of the last 7
days, 4 weeks and 12 months that have a backup (the "grandfather-father-son" rule of
``restic forget --keep-daily 7 --keep-weekly 4 --keep-monthly 12``).  Backups made for
another reason (before a migration, the database a restore replaced) are never thinned.

Backup files are named ``<database stem>-<reason>-<UTC stamp>.sqlite3``
(:func:`protocol_app.db.backup.timestamped_backup_path`); the date comes from the name.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from protocol_app.db import backup as backups

if TYPE_CHECKING:
    from protocol_app.db.database import Database

log = logging.getLogger(__name__)

SCHEDULED = "scheduled"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
#: How old the newest scheduled backup may be before start-up takes another.
INTERVAL = timedelta(days=1)

_NAME = re.compile(r"^(?P<stem>.+)-(?P<reason>[a-z][a-z0-9-]*?)-"
                   r"(?P<stamp>\d{8}T\d{6}(?:\d{6})?Z)\.sqlite3$")


@dataclass(frozen=True, slots=True)
class BackupFile:
    """One backup file: where, when (UTC), how large, and why it was made."""

    path: Path
    taken_at: datetime
    size: int
    reason: str  # "scheduled", "before-0006", "replaced", ...

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "taken_at": self.taken_at.isoformat(),
                "size": self.size, "reason": self.reason}


def _parse_stamp(stamp: str) -> datetime:
    fmt = "%Y%m%dT%H%M%S%fZ" if len(stamp) > 16 else "%Y%m%dT%H%M%SZ"
    return datetime.strptime(stamp, fmt).replace(tzinfo=UTC)


def list_backups(backups_dir: Path, database: Path) -> list[BackupFile]:
    """The backups of ``database`` in ``backups_dir``, newest first."""
    found: list[BackupFile] = []
    if not backups_dir.is_dir():
        return found
    for path in backups_dir.glob("*.sqlite3"):
        match = _NAME.match(path.name)
        if not match or match["stem"] != database.stem or path.is_symlink():
            continue
        try:
            size = path.stat().st_size
            taken_at = _parse_stamp(match["stamp"])
        except (OSError, ValueError):
            continue
        found.append(BackupFile(path, taken_at, size, match["reason"]))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def backups_to_keep(taken: Iterable[datetime], *, daily: int = KEEP_DAILY,
                    weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY) -> set[datetime]:
    """Which of the backup times ``taken`` to keep: the newest of each of the ``daily``
    most recent days that have one, of the ``weekly`` most recent ISO weeks and of the
    ``monthly`` most recent months.  Days, weeks and months are those of each time's own
    zone (pass local times for local days).  Pure: no files, no clock."""
    newest_first = sorted(taken, reverse=True)
    keep: set[datetime] = set()
    for count, period in ((daily, lambda t: t.date()),
                          (weekly, lambda t: t.isocalendar()[:2]),
                          (monthly, lambda t: (t.year, t.month))):
        seen: set[object] = set()
        for moment in newest_first:
            bucket = period(moment)
            if bucket in seen:
                continue
            if len(seen) == count:
                break
            seen.add(bucket)
            keep.add(moment)  # the newest of its period: the list runs newest first
    return keep


def take_scheduled_backup(db_path: Path, backups_dir: Path, now: datetime) -> Path | None:
    """Take a scheduled backup of ``db_path`` into ``backups_dir`` if the newest one is at
    least a day older than ``now`` (aware; its zone decides what a day is when thinning),
    then delete the scheduled backups :func:`backups_to_keep` does not keep.  Returns the
    new backup, or None when none was due (or there is no database yet)."""
    db_path, backups_dir = Path(db_path), Path(backups_dir)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    scheduled = [b for b in list_backups(backups_dir, db_path) if b.reason == SCHEDULED]
    if scheduled and now - scheduled[0].taken_at < INTERVAL:
        return None
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    made = backups.backup_file(db_path, backups_dir / f"{db_path.stem}-{SCHEDULED}-{stamp}.sqlite3")
    log.info("scheduled backup of %s taken: %s", db_path, made)
    every = [*scheduled, BackupFile(made, now.astimezone(UTC), 0, SCHEDULED)]
    zone = now.tzinfo
    keep = backups_to_keep(b.taken_at.astimezone(zone) for b in every)
    for old in every:
        if old.taken_at.astimezone(zone) not in keep:
            old.path.unlink(missing_ok=True)
            log.info("scheduled backup %s thinned out", old.path)
    return made


def restore_open_database(db: Database, source: Path) -> Path:
    """Replace the file of the open database ``db`` by the backup ``source`` through
    :func:`protocol_app.db.database.restore_database` (checked first; the replaced file
    kept aside, its path returned), then migrate it if it is older.  The pooled
    connections are closed first and reopen on the next use, on the restored file."""
    from protocol_app.db.database import Database as Opened
    from protocol_app.db.database import restore_database
    from protocol_app.errors import DatabaseError

    if db.path is None:
        raise DatabaseError("Backups are restored into SQLite files only; use your "
                            "server's tools.")
    db.dispose()
    aside = restore_database(db.path, Path(source))
    Opened.open(db.path).dispose()  # an older backup is migrated now, with its own backup
    return aside
