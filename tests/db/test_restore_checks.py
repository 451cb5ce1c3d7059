"""A restore checks the whole schema of the file's revision before replacing anything and
gives the true reason when it cannot write; an upgrade refuses a database that already
has what a later migration adds."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from protocol_app import config
from protocol_app.cli import main
from protocol_app.db.database import Database, restore_database
from protocol_app.db.migrate import upgrade_to_head
from protocol_app.db.schema import HEAD_REVISION
from protocol_app.db.schema_check import missing_parts, reference_schemas
from protocol_app.errors import DatabaseError
from tests.support.helpers import file_bytes, row_counts


def _forged(path: Path, revision: str = HEAD_REVISION) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    conn.commit()
    conn.close()
    return path


def test_a_file_with_only_the_revision_table_is_refused(demo_services, db_path,
                                                        tmp_path) -> None:
    demo_services.close()
    before = file_bytes(db_path)
    forged = _forged(tmp_path / "forged.sqlite3")
    with pytest.raises(DatabaseError) as err:
        restore_database(db_path, forged)
    message = str(err.value)
    assert message.startswith(f"{forged} cannot be restored: it says it is a Protocol Desk "
                              f"database at schema {HEAD_REVISION}, but it lacks the tables ")
    assert ", visits. Nothing" in message and message.endswith(". Nothing was changed.")
    assert file_bytes(db_path) == before
    assert list(config.backup_dir().iterdir()) == []


def test_the_forged_file_is_one_line_on_the_command_line(demo_services, db_path, tmp_path,
                                                        capsys) -> None:
    demo_services.close()
    forged = _forged(tmp_path / "forged.sqlite3")
    assert main(["--db", str(db_path), "restore", str(forged)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"protocol-app: {forged} cannot be restored") and err.count("\n") == 1
    assert main(["--db", str(db_path), "visits", "--json"]) == 0  # still usable
    assert "vn-moet-minister-2027" in capsys.readouterr().out


def test_a_file_missing_one_column_of_its_revision_is_refused(demo_services, db_path,
                                                              tmp_path) -> None:
    backup = demo_services.db.backup(tmp_path / "b.sqlite3")
    demo_services.close()
    conn = sqlite3.connect(backup)
    conn.execute("ALTER TABLE events DROP COLUMN internal_notes")
    conn.commit()
    conn.close()
    before = file_bytes(db_path)
    with pytest.raises(DatabaseError, match=r"lacks the column events\.internal_notes\. Nothing "):
        restore_database(db_path, backup)
    assert file_bytes(db_path) == before


def test_an_older_complete_backup_passes_the_check(tmp_path) -> None:
    old = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as connection:
        upgrade_to_head(connection, "0003")
    engine.dispose()
    target = tmp_path / "restored.sqlite3"
    assert restore_database(target, old) == Path()
    Database.open(target).dispose()  # migrated from 0003 to the head
    assert missing_parts({t: c for t, c in reference_schemas()[HEAD_REVISION].items()},
                         HEAD_REVISION) == []


# -- a folder that cannot be written --------------------------------------------------------
@contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """``folder`` takes no new files: mode 0555, or (as root, who ignores modes) the
    immutable attribute; skipped where neither is possible."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)],
                                        capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without the immutable attribute: "
                    "a read-only folder cannot be made")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_restore_into_a_read_only_folder_names_the_folder_not_damage(tmp_path) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    db = folder / "office.sqlite3"
    assert main(["--db", str(db), "demo"]) == 0
    opened = Database.open(db)
    opened.backup(tmp_path / "b.sqlite3")
    opened.dispose()
    before = row_counts(db)
    with _read_only(folder), pytest.raises(DatabaseError) as err:
        restore_database(db, tmp_path / "b.sqlite3")
    message = str(err.value)
    assert message.startswith(f"Cannot restore into {db}: no permission to write in the "
                              f"folder {folder} (")
    assert "damaged" not in message and message.endswith("Nothing was changed.")
    assert row_counts(db) == before
    assert list(config.backup_dir().glob("*replaced*")) == []


# -- a database ahead of its revision ---------------------------------------------------------
def test_a_database_with_a_column_of_a_later_migration_is_refused_clearly(tmp_path) -> None:
    db = tmp_path / "ahead.sqlite3"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        upgrade_to_head(connection, "0005")
    engine.dispose()
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE events ADD COLUMN internal_notes TEXT NOT NULL DEFAULT ''")
    conn.commit()
    conn.close()
    before = file_bytes(db)
    with pytest.raises(DatabaseError) as err:
        Database.open(db)
    assert str(err.value).startswith(
        f"The database {db} says it is at schema 0005, but it already has column "
        "events.internal_notes (added by schema 0006): it was changed outside Protocol Desk")
    assert file_bytes(db) == before
    assert list(config.backup_dir().iterdir()) == []


def test_a_database_with_a_table_of_a_later_migration_is_refused_on_the_command_line(
        tmp_path, capsys) -> None:
    db = tmp_path / "ahead.sqlite3"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        upgrade_to_head(connection, "0003")
    engine.dispose()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invite_ledger (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    assert main(["--db", str(db), "visits"]) == 1
    err = capsys.readouterr().err
    assert "already has table invite_ledger (added by schema 0004)" in err
    assert err.count("\n") == 1
