"""The database file: private, WAL, foreign keys; files that are not ours, damaged or
newer are refused by name and left exactly as they were."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from protocol_app import config
from protocol_app.db.database import Database
from protocol_app.db.schema import HEAD_REVISION
from protocol_app.demo import load_demo
from protocol_app.errors import DatabaseError
from protocol_app.services import Services
from tests.support.helpers import file_bytes, mode

PAGE = 4096


def _demo_database(path: Path) -> Path:
    """A real database with the demo visits, closed (WAL checkpointed)."""
    s = Services.open(path, actor="tester")
    load_demo(s)
    s.close()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


def test_database_wal_shm_and_backups_are_private_under_umask_022(tmp_path, umask_022) -> None:
    path = tmp_path / "office.sqlite3"
    s = Services.open(path, actor="tester")
    try:
        s.people.create(family_name="Mercer")  # a write, so the WAL files exist
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        made = s.db.backup(tmp_path / "copies" / "manual.sqlite3")
        assert mode(made) == 0o600
        assert mode(config.backup_dir()) == 0o700
        assert mode(config.data_dir()) == 0o700
    finally:
        s.close()


def test_wal_mode_and_foreign_keys_are_on(services, db_path) -> None:
    with services.db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # stored in the file
    raw.close()
    with pytest.raises(sa_exc.IntegrityError, match="FOREIGN KEY constraint failed"), \
            services.db.engine.begin() as c:
        c.execute(text("INSERT INTO participants (visit_id, person_id, side, role, ref) "
                       "VALUES (999, 999, 'guest', 'head', '')"))


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path) -> None:
    path = tmp_path / "shopping list.txt"
    path.write_text("eggs\nmilk\n", encoding="utf-8")
    before = file_bytes(path)
    with pytest.raises(DatabaseError) as err:
        Database.open(path)
    assert str(err.value) == (f"{path} is not a Protocol Desk database (not an SQLite file); "
                              "nothing was changed.")
    assert file_bytes(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shopping list.txt"]


def test_a_folder_is_refused(tmp_path) -> None:
    with pytest.raises(DatabaseError, match=f"^{tmp_path} is a folder, not a database file.$"):
        Database.open(tmp_path)


def test_another_programs_sqlite_file_is_refused_unchanged(tmp_path) -> None:
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO albums (name) VALUES ('Holidays')")
    conn.commit()
    conn.close()
    before = file_bytes(path)
    with pytest.raises(DatabaseError) as err:
        Database.open(path)
    assert str(err.value) == (f"{path} is an SQLite database, but not one of Protocol Desk (it "
                              "has tables albums); nothing was changed.")
    assert file_bytes(path) == before  # not even switched to WAL


def _root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("damaged", ["schema", "visits", "people"])
def test_a_corrupt_database_gives_one_clear_error_and_is_left_alone(tmp_path, damaged) -> None:
    path = _demo_database(tmp_path / "office.sqlite3")
    page = 1 if damaged == "schema" else _root_page(path, damaged)
    data = bytearray(file_bytes(path))
    start = (page - 1) * PAGE + (100 if page == 1 else 0)  # keep the file header
    data[start:start + PAGE // 2] = bytes((i * 37 + 11) % 256 for i in range(PAGE // 2))
    path.write_bytes(bytes(data))
    before = file_bytes(path)

    with pytest.raises(DatabaseError) as err:
        s = Services.open(path, actor="tester")
        try:
            s.visits.list()
            s.people.search("mercer")
            s.people.count()
        finally:
            s.close()
    message = str(err.value)
    assert str(path) in message
    assert "\n" not in message
    assert "is damaged" in message or "Cannot read the database" in message
    assert "malformed" in message or "not a database" in message
    assert file_bytes(path) == before


def test_a_newer_schema_is_refused_unchanged(tmp_path) -> None:
    path = _demo_database(tmp_path / "office.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = file_bytes(path)
    with pytest.raises(DatabaseError) as err:
        Database.open(path)
    assert str(err.value) == (
        f"The database {path} was made by a newer version of Protocol Desk (schema 9999; "
        f"this version knows up to {HEAD_REVISION}). Install the newer version; nothing was "
        "changed. No backup of it was found.")
    assert file_bytes(path) == before
    assert list(config.backup_dir().iterdir()) == []


def test_an_old_schema_is_not_upgraded_when_asked_not_to(tmp_path) -> None:
    from sqlalchemy import create_engine

    from protocol_app.db.migrate import upgrade_to_head

    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as c:
        upgrade_to_head(c, "0001")
    engine.dispose()
    with pytest.raises(DatabaseError, match=f"needs an upgrade from schema 0001 to "
                                            f"{HEAD_REVISION}"):
        Database.open(path, migrate=False)


@pytest.mark.parametrize("folder", ["with space", "c#sharp", "what?", "100%", "g%20h", "ü田"])
def test_paths_with_url_characters_open_and_back_up_the_right_file(tmp_path, folder) -> None:
    where = tmp_path / folder
    where.mkdir()
    path = where / "office.sqlite3"
    s = Services.open(path, actor="tester")
    try:
        s.people.create(family_name="Mercer")
        assert s.db.path == path
        copy = s.db.backup(where / "copy.sqlite3")
    finally:
        s.close()
    assert sorted(p.name for p in where.iterdir()) == ["copy.sqlite3", "office.sqlite3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]  # nothing made beside it
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT family_name FROM people").fetchall() == [("Mercer",)]
    conn.close()


def test_backup_target_must_not_exist(services, tmp_path) -> None:
    target = tmp_path / "exists.sqlite3"
    target.write_bytes(b"keep me")
    with pytest.raises(DatabaseError, match=r"already exists; choose another file name\."):
        services.db.backup(target)
    assert target.read_bytes() == b"keep me"


def test_a_database_another_program_is_writing_to_gives_a_clear_error(services, db_path) -> None:
    from sqlalchemy import event

    # new connections wait 0.1 s instead of 5 s for the lock
    event.listen(services.db.engine, "connect",
                 lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout=100"))
    services.db.engine.dispose()
    services.people.create(family_name="Before")
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseError) as err:
            services.people.create(family_name="Blocked")
        assert str(err.value) == (
            f"The database {db_path} is busy: another program or window is writing to it. "
            "Try again in a moment; nothing was saved.")
        assert [p.family_name for p in services.people.search()] == ["Before"]  # reads work
    finally:
        other.execute("ROLLBACK")
        other.close()
    services.people.create(family_name="After")
    assert services.people.count() == 2
