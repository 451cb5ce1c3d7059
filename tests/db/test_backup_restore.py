"""Backups are consistent even while someone writes; a restore checks the file first,
keeps the replaced database aside and brings back exactly what was backed up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from protocol_app import config
from protocol_app.cli import main
from protocol_app.db.backup import integrity_problem
from protocol_app.db.database import restore_database
from protocol_app.errors import DatabaseError
from protocol_app.services import Services
from tests.support.helpers import file_bytes, mode, row_counts


def _people(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT family_name FROM people ORDER BY id")]
    finally:
        conn.close()


def test_backup_while_another_connection_holds_a_write_transaction(demo_services, db_path,
                                                                   tmp_path, capsys,
                                                                   umask_022) -> None:
    committed = row_counts(db_path)
    writer = sqlite3.connect(db_path, isolation_level=None, timeout=0.1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO organizations (name, country, version) "
                       "VALUES ('Uncommitted', '', 1)")
        writer.execute("UPDATE people SET family_name = 'Half-written' WHERE id = 1")
        out = tmp_path / "during-write.sqlite3"
        assert main(["--db", str(db_path), "backup", "--out", str(out)]) == 0
        assert capsys.readouterr().out == f"Backed up to {out}\n"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert integrity_problem(out) is None
    assert mode(out) == 0o600
    assert row_counts(out) == committed  # the last committed state, nothing half-written
    assert "Half-written" not in _people(out)
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # a single file
    conn.close()


def test_restore_brings_back_the_backup_and_keeps_the_replaced_one(demo_services, db_path,
                                                                  tmp_path, umask_022) -> None:
    s = demo_services
    backup = s.db.backup(tmp_path / "monday.sqlite3")
    at_backup = row_counts(db_path)
    p = s.people.search("mercer")[0]
    s.people.update(p.id, p.version, family_name="Mercer-Changed")
    s.visits.delete("in-ambassador-courtesy-call-2027")
    after_changes = row_counts(db_path)
    s.close()

    aside = restore_database(db_path, backup)
    assert aside.parent == config.backup_dir()
    assert aside.name.startswith("protocol-replaced-")
    assert integrity_problem(aside) is None and mode(aside) == 0o600
    assert row_counts(aside) == after_changes  # the replaced data is kept, never deleted
    assert "Mercer-Changed" in _people(aside)

    s2 = Services.open(db_path, actor="tester")
    try:
        assert row_counts(db_path) == at_backup
        assert s2.people.search("mercer")[0].family_name == "Mercer"
        assert s2.visits.get("in-ambassador-courtesy-call-2027").title.startswith("Courtesy")
    finally:
        s2.close()
    assert mode(db_path) == 0o600


@pytest.mark.parametrize("kind", ["corrupt", "not a database", "empty", "other program",
                                  "newer", "missing"])
def test_restore_refuses_a_bad_file_and_changes_nothing(demo_services, db_path, tmp_path,
                                                        kind) -> None:
    demo_services.close()
    before = file_bytes(db_path)
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "corrupt":
        good = bytearray(file_bytes(db_path))
        good[4096:4096 * 6] = b"\x5a" * (4096 * 5)
        bad.write_bytes(bytes(good))
        expected = "cannot be restored"
    elif kind == "not a database":
        bad.write_text("Dear colleagues, ...", encoding="utf-8")
        expected = "cannot be restored: not an SQLite database. Nothing was changed."
    elif kind == "empty":
        bad.write_bytes(b"")
        expected = "cannot be restored (not a Protocol Desk backup). Nothing was changed."
    elif kind == "other program":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        expected = "cannot be restored (not a Protocol Desk backup). Nothing was changed."
    elif kind == "newer":
        Services.open(bad, actor="x").close()
        conn = sqlite3.connect(bad)
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        conn.close()
        expected = "cannot be restored (schema 9999, newer than this version). Nothing was " \
                   "changed."
    else:
        expected = "does not exist or is not a file; nothing was restored."
    with pytest.raises(DatabaseError) as err:
        restore_database(db_path, bad)
    assert str(bad) in str(err.value) and expected in str(err.value)
    assert file_bytes(db_path) == before
    assert list(config.backup_dir().iterdir()) == []


def test_restore_over_a_damaged_database_keeps_the_damaged_one_aside(demo_services, db_path,
                                                                     tmp_path) -> None:
    backup = demo_services.db.backup(tmp_path / "good.sqlite3")
    demo_services.close()
    data = bytearray(file_bytes(db_path))
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    db_path.write_bytes(bytes(data))
    damaged = file_bytes(db_path)

    aside = restore_database(db_path, backup)
    assert aside.read_bytes() == damaged  # kept byte for byte
    assert mode(aside) == 0o600
    assert integrity_problem(db_path) is None
    assert row_counts(db_path) == row_counts(backup)


def test_backup_and_restore_from_the_command_line(tmp_path, capsys) -> None:
    db = tmp_path / "office.sqlite3"
    copy = tmp_path / "copy.sqlite3"
    assert main(["--db", str(db), "demo"]) == 0
    assert main(["--db", str(db), "backup", "--out", str(copy)]) == 0
    s = Services.open(db, actor="tester")
    s.visits.delete("vn-moet-minister-2027")
    s.close()
    capsys.readouterr()
    assert main(["--db", str(db), "restore", str(copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Restored {copy}; the replaced database is kept at "
                          f"{config.backup_dir()}")
    assert main(["--db", str(db), "visits", "--json"]) == 0
    assert "vn-moet-minister-2027" in capsys.readouterr().out


def test_restore_into_a_database_that_does_not_exist_yet(demo_services, tmp_path) -> None:
    backup = demo_services.db.backup(tmp_path / "b.sqlite3")
    target = tmp_path / "fresh.sqlite3"
    assert restore_database(target, backup) == Path()
    assert row_counts(target) == row_counts(backup)
    assert mode(target) == 0o600


def test_restoring_the_database_onto_itself_is_refused(demo_services, db_path) -> None:
    demo_services.close()
    before = file_bytes(db_path)
    with pytest.raises(DatabaseError, match=r"is the database itself; choose a backup file\."):
        restore_database(db_path, db_path)
    assert file_bytes(db_path) == before
    assert list(config.backup_dir().iterdir()) == []
