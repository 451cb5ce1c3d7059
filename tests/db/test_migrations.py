"""Schema migrations: an old database is backed up (and the backup checked), then
upgraded, with its data intact; an up-to-date one opens without Alembic."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine

from protocol_app import config
from protocol_app.db import migrate, schema
from protocol_app.db.backup import integrity_problem
from protocol_app.db.migrate import upgrade_to_head
from protocol_app.services import Services
from tests.support.helpers import mode
from tests.support.times import ROOT


def _database_at_first_revision(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        upgrade_to_head(connection, "0001")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO organizations (id, name, country, version) VALUES (1, '京都大学', 'JP', 1)")
    people = ("id, family_name, given_name, name_order, native_name, pronunciation, gender, "
              "honorific, position, organization_id, country, email, phone, languages, rank, "
              "rank_date, dietary, medical, security, protocol_notes, bio, photo, has_photo, "
              "version")
    conn.execute(f"INSERT INTO people ({people}) VALUES (1, 'Tanaka', 'Haruto', 'family_first', "
                 "'田中 陽翔', 'ta-NA-ka', 'male', 'Prof.', 'Rector', 1, 'JP', "
                 "'tanaka@kyoto.example.jp', '', 'ja,en', 'university_president', '2024-04-01', "
                 "'', 'Allergic to penicillin', '', '', '', NULL, 0, 1)")
    conn.execute(f"INSERT INTO people ({people}) VALUES (2, 'Wiśniewska', 'Małgorzata', "
                 "'given_first', '', '', 'female', 'Ms.', '', NULL, 'US', '', '', 'pl', '', NULL, "
                 "'', '', '', '', '', NULL, 0, 1)")
    conn.execute(
        "INSERT INTO visits (id, public_id, title, purpose, status, timezone, start_date, "
        "end_date, country, organizer_name, organizer_email, responsible_officer, version) "
        "VALUES (1, 'jp-rector-2027', 'Visit of the Rector', '', 'confirmed', "
        "'America/New_York', '2027-03-12', '2027-03-16', 'JP', '', '', '', 3)")
    conn.execute("INSERT INTO participants (id, visit_id, person_id, side, role, ref) "
                 "VALUES (1, 1, 1, 'guest', 'head', 'p1')")
    conn.execute("INSERT INTO venues (id, name, address) VALUES (1, 'Founders Hall', '')")
    conn.execute(
        "INSERT INTO events (id, visit_id, ref, uid, sequence, title, kind, start_utc, end_utc, "
        "timezone, status, venue_id, room, host_person_id, dress_code, notes, version) VALUES "
        "(1, 1, 'e1', 'abc@protocol-desk.invalid', 2, 'State dinner', 'meal', "
        "'2027-03-14 00:30:00.000000', '2027-03-14 05:15:00.000000', 'America/New_York', "
        "'confirmed', 1, 'Ballroom', 1, 'Black tie', 'Toasts at 20:15', 4)")
    conn.execute("INSERT INTO event_attendees (event_id, person_id, position) VALUES (1, 1, 0)")
    conn.commit()
    conn.close()


def test_a_first_revision_database_is_backed_up_then_upgraded(tmp_path, umask_022) -> None:
    path = tmp_path / "office.sqlite3"
    _database_at_first_revision(path)
    before = path.read_bytes()

    s = Services.open(path, actor="tester")
    try:
        with s.db.engine.connect() as c:
            assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
                schema.HEAD_REVISION)

        backups = list(config.backup_dir().iterdir())
        assert len(backups) == 1
        (backup,) = backups
        assert backup.name.startswith(f"office-before-{schema.HEAD_REVISION}-")
        assert backup.suffix == ".sqlite3"
        assert mode(backup) == 0o600
        assert integrity_problem(backup) is None
        conn = sqlite3.connect(backup)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM people").fetchone() == (2,)
        conn.close()
        assert backup.read_bytes()[:16] == before[:16]

        visit = s.visits.get("jp-rector-2027")
        assert (visit.title, visit.status, visit.version) == ("Visit of the Rector",
                                                              "confirmed", 3)
        (head,) = visit.participants
        assert (head.ref, head.role, head.person.native_name, head.person.organization) == (
            "p1", "head", "田中 陽翔", "京都大学")
        assert head.person.languages == ("ja", "en")
        assert head.person.medical == "Allergic to penicillin"
        (dinner,) = visit.events
        assert (dinner.start_utc, dinner.end_utc) == (datetime(2027, 3, 14, 0, 30, tzinfo=UTC),
                                                      datetime(2027, 3, 14, 5, 15, tzinfo=UTC))
        assert (dinner.uid, dinner.sequence, dinner.venue_name, dinner.venue_room,
                dinner.attendee_ids, dinner.host_person_id) == (
            "abc@protocol-desk.invalid", 2, "Founders Hall", "Ballroom", (1,), 1)

        # the search index was built for the people already there
        for query in ("田", "陽翔", "haruto", "TANAKA", "malgorzata", "wisniewska"):
            assert s.people.count(query) == 1, query
            assert len(s.people.search(query)) == 1, query
        # and the upgraded database takes new writes
        s.people.update(1, 1, position="President")
    finally:
        s.close()

    s = Services.open(path, actor="tester")  # a second opening migrates nothing
    s.close()
    assert len(list(config.backup_dir().iterdir())) == 1


def test_an_empty_new_database_is_not_backed_up(tmp_path) -> None:
    Services.open(tmp_path / "new.sqlite3", actor="tester").close()
    assert list(config.backup_dir().iterdir()) == []


def test_head_revision_matches_the_migration_scripts() -> None:
    assert migrate.script_head() == schema.HEAD_REVISION
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    chain = [r.revision for r in scripts.walk_revisions("base", "heads")]
    assert tuple(reversed(chain)) == schema.KNOWN_REVISIONS
    assert schema.KNOWN_REVISIONS[0] == "0001"


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path) -> None:
    path = tmp_path / "office.sqlite3"
    s = Services.open(path, actor="tester")
    s.people.create(family_name="Mercer")
    s.close()
    code = (
        "import sys\n"
        "from protocol_app.services import Services\n"
        f"s = Services.open({str(path)!r}, actor='x')\n"
        "assert s.people.count('mercer') == 1\n"
        "s.visits.list()\n"
        "s.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_frozen_migrations_write_the_index_the_live_code_writes(demo_services, db_path,
                                                                      tmp_path) -> None:
    """0002 and 0003 carry their own copy of the folding: on the demo people they still
    write exactly the search index that the services write today."""
    live = sqlite3.connect(db_path)
    people = live.execute("SELECT id, family_name, given_name, name_order, native_name, "
                          "pronunciation FROM people ORDER BY id").fetchall()
    live_index = live.execute("SELECT rowid, names FROM people_search ORDER BY rowid").fetchall()
    live.close()
    assert len(people) > 20 and len(live_index) == len(people)
    old = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as connection:
        upgrade_to_head(connection, "0001")
    engine.dispose()
    conn = sqlite3.connect(old)
    conn.executemany(
        "INSERT INTO people (id, family_name, given_name, name_order, native_name, "
        "pronunciation, gender, honorific, position, country, email, phone, languages, rank, "
        "dietary, medical, security, protocol_notes, bio, has_photo, version) VALUES "
        "(?, ?, ?, ?, ?, ?, '', '', '', '', '', '', '', '', '', '', '', '', '', 0, 1)", people)
    conn.commit()
    conn.close()
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as connection:
        upgrade_to_head(connection)
    engine.dispose()
    conn = sqlite3.connect(old)
    migrated = conn.execute("SELECT rowid, names FROM people_search ORDER BY rowid").fetchall()
    conn.close()
    assert migrated == live_index
