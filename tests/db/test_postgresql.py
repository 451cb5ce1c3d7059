"""Protocol Desk on a PostgreSQL server (a throwaway cluster, tests/support/postgres.py):
the command line, the migrations, the start-up schema check, and backups with the
server's tools."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from protocol_app.cli import main
from protocol_app.db.database import Database
from protocol_app.db.schema import HEAD_REVISION, KNOWN_REVISIONS
from protocol_app.errors import DatabaseError
from tests.support.helpers import row_counts

pytestmark = pytest.mark.postgresql_only


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty_database(pg_cluster) -> Iterator[str]:
    """A brand-new database on the cluster, with nothing in it (not even the schema)."""
    name = pg_cluster.fresh_database(empty=True)
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


def _scalar(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_demo_on_an_empty_server_database_builds_the_schema_and_fills_it(
        empty_database, capsys) -> None:
    code, out, err = run(capsys, "--db", empty_database, "demo")
    assert code == 0, err
    assert "Imported new visit" in out
    assert _scalar(empty_database, "SELECT version_num FROM alembic_version") == HEAD_REVISION
    code, out, _ = run(capsys, "--db", empty_database, "visits", "--json")
    assert code == 0 and "vn-moet-minister-2027" in out


def test_the_search_index_is_a_trigram_index(pg_database) -> None:
    engine = create_engine(pg_database)
    try:
        with engine.connect() as connection:
            definition = connection.execute(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_people_search_names'"
            )).scalar_one()
            # the planner may use it (it does on a large table; a tiny one is scanned)
            connection.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(r[0] for r in connection.execute(text(
                "EXPLAIN SELECT person_id FROM people_search WHERE names LIKE '% jos%'")))
    finally:
        engine.dispose()
    assert "gin (names gin_trgm_ops)" in definition
    assert "ix_people_search_names" in plan


def test_every_migration_goes_down_and_up_again(empty_database) -> None:
    from protocol_app.db.migrate import alembic_config, upgrade_to_head

    engine = create_engine(empty_database)
    try:
        for step in KNOWN_REVISIONS:
            with engine.begin() as connection:
                upgrade_to_head(connection, step)
        from alembic import command

        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        with engine.begin() as connection:
            upgrade_to_head(connection)
    finally:
        engine.dispose()
    Database.open(empty_database).dispose()  # the start-up check is content


def test_a_server_database_of_another_program_is_refused(empty_database) -> None:
    engine = create_engine(empty_database)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id integer PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match=r"not one of Protocol Desk.*invoices"):
        Database.open(empty_database)
    assert row_counts(empty_database) == {"invoices": 0}  # nothing was added


def test_a_newer_schema_on_the_server_is_refused(pg_database) -> None:
    engine = create_engine(pg_database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer version of Protocol Desk"):
        Database.open(pg_database)


def test_times_are_stored_in_utc_whatever_the_server_zone(pg_cluster, pg_database) -> None:
    from datetime import UTC, datetime

    from protocol_app.services import Services

    database = make_url(pg_database).database
    pg_cluster.execute(f"ALTER DATABASE {database} SET timezone TO 'Asia/Tokyo'")
    services = Services.open(pg_database, actor="tester")
    try:
        visit = services.visits.create(title="Zone check", timezone="Europe/Berlin", country="DE",
                                       start_date=datetime(2027, 3, 1).date(),
                                       end_date=datetime(2027, 3, 2).date())
        made = services.events.create(visit.id, title="Talk",
                                      start=datetime(2027, 3, 1, 9, tzinfo=UTC),
                                      end=datetime(2027, 3, 1, 10, tzinfo=UTC))
        assert services.events.get(made.id).start_utc == datetime(2027, 3, 1, 9, tzinfo=UTC)
    finally:
        services.close()
    stored = _scalar(pg_database, "SELECT start_utc FROM events")
    assert stored == datetime(2027, 3, 1, 9)


# -- backups of a server database ----------------------------------------------------------
def _visit_titles(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return sorted(connection.execute(text("SELECT title FROM visits")).scalars())
    finally:
        engine.dispose()


def test_backup_runs_pg_dump_and_restore_needs_force(pg_database, tmp_path, capsys) -> None:
    assert run(capsys, "--db", pg_database, "demo")[0] == 0
    before = _visit_titles(pg_database)
    out = tmp_path / "office.dump"
    code, printed, err = run(capsys, "--db", pg_database, "backup", "--out", str(out))
    assert code == 0, err
    assert f"Backed up to {out}" in printed
    assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    code, _, err = run(capsys, "--db", pg_database, "backup", "--out", str(out))
    assert code == 1 and "already exists" in err

    engine = create_engine(pg_database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE visits SET title = 'Changed after the backup'"))
    engine.dispose()
    changed = row_counts(pg_database)

    code, _, err = run(capsys, "--db", pg_database, "restore", str(out))
    assert code == 1
    database = make_url(pg_database).database
    assert f'would replace every table of the database "{database}"' in err
    assert "(3 visits, 25 people)" in err and "--force" in err
    assert "Nothing was changed" in err
    assert row_counts(pg_database) == changed

    code, printed, err = run(capsys, "--db", pg_database, "restore", "--force", str(out))
    assert code == 0, err
    assert f'Restored {out} into the database "{database}"' in printed
    assert _visit_titles(pg_database) == before
    Database.open(pg_database).dispose()  # the restored database opens as ours


def test_a_file_that_is_not_a_dump_is_refused_before_anything(pg_database, tmp_path,
                                                              capsys) -> None:
    assert run(capsys, "--db", pg_database, "demo")[0] == 0
    before = row_counts(pg_database)
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    code, _, err = run(capsys, "--db", pg_database, "restore", "--force", str(junk))
    assert code == 1
    assert f"{junk} is not a PostgreSQL backup of the custom format" in err
    assert row_counts(pg_database) == before


def test_without_pg_dump_a_backup_is_refused_with_the_reason(pg_database, tmp_path,
                                                            monkeypatch, capsys) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PROTOCOL_DESK_PG_BIN", str(empty))
    out = tmp_path / "office.dump"
    code, _, err = run(capsys, "--db", pg_database, "backup", "--out", str(out))
    assert code == 1
    assert "the PostgreSQL program `pg_dump` is not installed here" in err
    assert not out.exists() and list(tmp_path.iterdir()) == [empty]


def test_the_password_never_reaches_the_command_line() -> None:
    from protocol_app.db.server_backup import describe, libpq_target

    uri, env = libpq_target(
        "postgresql+psycopg://officer:s3cret@db.example.org:5433/office?sslmode=verify-full")
    assert "s3cret" not in uri and env["PGPASSWORD"] == "s3cret"
    assert uri == "postgresql://officer@db.example.org:5433/office?sslmode=verify-full"
    assert describe("postgresql+psycopg://officer:s3cret@db.example.org:5433/office") == (
        'database "office" on db.example.org:5433')


def test_sqlite_backups_are_untouched_by_the_server_path(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "local.sqlite3")
    try:
        made = db.backup(tmp_path / "copy.sqlite3")
    finally:
        db.dispose()
    assert made.read_bytes()[:16] == b"SQLite format 3\x00"
