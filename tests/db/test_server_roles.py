"""Who may read what on the office's server: the three roles, tried with real logins
(passwords checked by the server) on the throwaway cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from protocol_app.cli import main
from protocol_app.errors import ProtocolError
from tests.support.demo_refs import VISIT
from tests.support.logins import Login, create_login

pytestmark = pytest.mark.postgresql_only

SENSITIVE = {"people": ("medical", "security", "protocol_notes"), "events": ("internal_notes",),
             "review_conditions": ("text",)}  # a risk review's conditions, kept in their table


@pytest.fixture
def office(pg_cluster, pg_database: str):
    """The demo visits on a fresh database whose roles are set up (twice: idempotent)."""
    from protocol_app.demo import load_demo
    from protocol_app.services import Services

    owner = Services.open(pg_database, actor="owner")
    load_demo(owner)
    with owner.db.engine.begin() as connection:
        medical = connection.exec_driver_sql(
            "SELECT count(*) FROM people WHERE medical <> ''").scalar()
    assert medical, "the demo must hold medical notes for these tests to mean anything"
    owner.close()
    for _ in range(2):
        assert main(["--db", pg_database, "server", "setup-roles"]) == 0
    return pg_database


def _login(pg_cluster, office: str, role: str) -> Login:
    database = make_url(office).database
    login = create_login(pg_cluster, database, role.removeprefix("protocol_"))
    assert main(["--db", office, "server", "grant-role", login.name, role]) == 0
    return login


def _connect(pg_cluster, login: Login, database: str) -> psycopg.Connection:
    return psycopg.connect(host="127.0.0.1", port=pg_cluster.port, user=login.name,
                           password=login.password, dbname=database, autocommit=True)


def test_the_server_checks_the_password(pg_cluster, office):
    login = _login(pg_cluster, office, "protocol_officer")
    database = make_url(office).database
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(host="127.0.0.1", port=pg_cluster.port, user=login.name,
                        password="wrong", dbname=database)


@pytest.mark.parametrize("role", ["protocol_assistant", "protocol_viewer"])
def test_assistants_and_viewers_cannot_read_sensitive_columns_even_with_psycopg(
        pg_cluster, office, role):
    login = _login(pg_cluster, office, role)
    with _connect(pg_cluster, login, make_url(office).database) as conn:
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] > 0
        assert conn.execute("SELECT family_name FROM people LIMIT 1").fetchone()
        for table, columns in SENSITIVE.items():
            for column in columns:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(f"SELECT {column} FROM {table}")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {table}")


def test_an_officer_reads_everything(pg_cluster, office):
    login = _login(pg_cluster, office, "protocol_officer")
    with _connect(pg_cluster, login, make_url(office).database) as conn:
        assert conn.execute("SELECT count(*) FROM people WHERE medical <> ''").fetchone()[0]
        assert conn.execute("SELECT count(internal_notes) FROM events").fetchone()[0]


def test_the_app_as_assistant_opens_a_visit_builds_hosts_and_guests_books_not_the_internal(
        pg_cluster, office, tmp_path: Path):
    from protocol_app.services import Services

    login = _login(pg_cluster, office, "protocol_assistant")
    s = Services.open(login.url, actor="typed in the preferences")
    try:
        assert set(s.db.hidden_fields) == set(SENSITIVE)
        visit = s.visits.get(VISIT)
        people = [s.people.get(p.person.id) for p in visit.participants]
        assert people and all(p.medical == p.security == p.protocol_notes == "" for p in people)
        assert all(e.internal_notes == "" for e in visit.events)
        guests = s.briefing.build(VISIT, "guest", tmp_path / "guests.pdf")
        hosts = s.briefing.build(VISIT, "host", tmp_path / "hosts.pdf")
        assert guests.pages > 0 and hosts.pages > 0
        assert any("Protocol notes" in w for w in hosts.warnings)
        with pytest.raises(ProtocolError, match=f"login \\({login.name}\\) may not read "
                                                "Medical notes, Protocol notes, Security notes, "
                                                "Internal notes"):
            s.briefing.build(VISIT, "internal", tmp_path / "internal.pdf")
        assert not (tmp_path / "internal.pdf").exists()
        from protocol_app.briefing.book import build_briefing  # what the book dialog calls

        with pytest.raises(ProtocolError, match="cannot build the internal book"):
            build_briefing(s, VISIT, "internal", tmp_path / "internal.pdf")
        assert not (tmp_path / "internal.pdf").exists()
        # an assistant edits what it may read; the notes it cannot see stay as they were
        person = people[0]
        s.people.update(person.id, person.version, position="Chief of Staff")
        assert s.audit.list("person", person.id, limit=1)[0].actor == login.name
    finally:
        s.close()
    owner = Services.open(office, actor="owner")
    try:
        stored = owner.people.get(person.id)
        assert stored.position == "Chief of Staff"
        with owner.db.engine.connect() as connection:
            before = connection.exec_driver_sql(
                f"SELECT medical, security FROM people WHERE id = {person.id}").one()
        assert tuple(before) == (stored.medical, stored.security)
    finally:
        owner.close()


def test_the_cli_as_assistant_refuses_the_internal_book(pg_cluster, office, tmp_path, capsys):
    login = _login(pg_cluster, office, "protocol_assistant")
    out = tmp_path / "book.pdf"
    assert main(["--db", login.url, "briefing", VISIT, "--out", str(out)]) == 1
    assert "cannot build the internal book" in capsys.readouterr().err
    assert not out.exists()


def test_a_viewer_reads_but_cannot_write(pg_cluster, office):
    from protocol_app.services import Services

    login = _login(pg_cluster, office, "protocol_viewer")
    with (_connect(pg_cluster, login, make_url(office).database) as conn,
          pytest.raises(psycopg.errors.InsufficientPrivilege)):
        conn.execute("UPDATE visits SET title = 'x'")
    s = Services.open(login.url)
    try:
        assert s.db.read_only
        visit = s.visits.get(VISIT)
        with pytest.raises(ProtocolError, match=f"login \\({login.name}\\) may not do this"):
            s.visits.update(visit.id, visit.version, title="Changed by a viewer")
        assert s.visits.get(VISIT).title == visit.title
    finally:
        s.close()


def test_grant_role_refuses_unknown_logins_and_sqlite(pg_cluster, office, tmp_path, capsys):
    assert main(["--db", office, "server", "grant-role", "nobody_here",
                 "protocol_viewer"]) == 1
    assert "no database user 'nobody_here'" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "x.sqlite3"), "server", "setup-roles"]) == 1
    assert "PostgreSQL server" in capsys.readouterr().err


def test_the_everyday_commands_work_for_an_assistant(pg_cluster, office, tmp_path, capsys):
    login = _login(pg_cluster, office, "protocol_assistant")
    for command in (["visits"], ["check", VISIT], ["precedence", VISIT],
                    ["export", VISIT, "--out", str(tmp_path / "visit.json")],
                    ["ics", VISIT, "--out", str(tmp_path / "visit.ics")],
                    ["invites", VISIT, "--out", str(tmp_path / "invites")]):
        assert main(["--db", login.url, *command]) == 0, (command, capsys.readouterr().err)
    exported = (tmp_path / "visit.json").read_text()
    assert '"medical"' not in exported and '"internal_notes"' not in exported


@contextmanager
def _database_at(pg_cluster, revision: str, *, roles: bool) -> Iterator[str]:
    """A new database migrated to ``revision`` only (its roles set up there, ``roles``),
    dropped afterwards: its URL."""
    from protocol_app.db.migrate import upgrade_to_head
    from protocol_app.db.roles import setup_roles

    name = pg_cluster.fresh_database(empty=True)
    try:
        engine = create_engine(pg_cluster.url(name))
        with engine.begin() as connection:
            upgrade_to_head(connection, revision)
            if roles:
                setup_roles(connection)
        engine.dispose()
        yield pg_cluster.url(name)
    finally:
        pg_cluster.drop_database(name)


def test_an_upgrade_grants_the_roles_on_the_tables_it_adds(pg_cluster):
    """A database set up at schema 0010 and then upgraded: a viewer reads the tables the
    upgrade added (editions, screening lists) and still not the risk reviews' conditions,
    without anyone running ``setup-roles`` again."""
    from protocol_app.db.database import Database

    with _database_at(pg_cluster, "0010", roles=True) as url:
        name = make_url(url).database
        login = create_login(pg_cluster, name, "viewer")
        assert main(["--db", url, "server", "grant-role", login.name, "protocol_viewer"]) == 0
        Database.open(url).dispose()  # the upgrade to the head revision
        with _connect(pg_cluster, login, name) as conn:
            assert conn.execute("SELECT count(*) FROM editions").fetchone()[0] == 0
            assert conn.execute("SELECT count(*) FROM screening_lists").fetchone()[0] == 0
            assert conn.execute("SELECT count(*) FROM risk_reviews").fetchone()[0] == 0
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT text FROM review_conditions")


def test_an_upgrade_leaves_a_database_without_roles_alone(pg_cluster, office):
    """The roles are the cluster's; a second database on it that never ran setup-roles
    gets no grants from an upgrade."""
    from protocol_app.db.database import Database

    with _database_at(pg_cluster, "0010", roles=False) as url:
        upgraded = Database.open(url)
        with upgraded.engine.connect() as connection:
            assert not connection.exec_driver_sql(
                "SELECT has_table_privilege('protocol_viewer', 'editions', 'SELECT')").scalar()
        upgraded.dispose()
