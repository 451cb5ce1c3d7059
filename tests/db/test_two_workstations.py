"""Several workstations on one database: stale writes refused across OS processes on the
server, the audit trail naming the database login, and the change feed each window
polls (PostgreSQL NOTIFY, SQLite's data_version)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from protocol_app.cli import main
from protocol_app.services import Services
from tests.support.change_feed import wait_for_changes
from tests.support.demo_refs import VISIT
from tests.support.logins import create_login

ROOT = Path(__file__).resolve().parents[2]


def _workstation(url: str, title: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.support.workstation", url, VISIT,
                             title], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


@pytest.mark.postgresql_only
def test_two_processes_edit_one_visit_one_saves_the_other_is_told_who_and_when(
        pg_cluster, pg_database):
    from protocol_app.demo import load_demo

    owner = Services.open(pg_database, actor="owner")
    load_demo(owner)
    owner.close()
    assert main(["--db", pg_database, "server", "setup-roles"]) == 0
    database = make_url(pg_database).database
    ana, ben = (create_login(pg_cluster, database, kind) for kind in ("ana", "ben"))
    for login in (ana, ben):
        assert main(["--db", pg_database, "server", "grant-role", login.name,
                     "protocol_officer"]) == 0
    first, second = _workstation(ana.url, "Title from Ana"), _workstation(ben.url, "From Ben")
    try:
        ready = [p.stdout.readline().split() for p in (first, second)]
        assert ready[0][0] == ready[1][0] == "ready" and ready[0][1] == ready[1][1]
        before = datetime.now(UTC) - timedelta(seconds=1)
        first.stdin.write("go\n")
        first.stdin.flush()
        saved = json.loads(first.stdout.readline())
        second.stdin.write("go\n")
        second.stdin.flush()
        refused = json.loads(second.stdout.readline())
        assert first.wait(60) == 0 and second.wait(60) == 1, second.stderr.read()
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
    assert saved == {"saved": int(ready[0][1]) + 1, "actor": ana.name}
    assert "changed by someone else" in refused["refused"]
    assert refused["who"] == [ana.name]
    assert before <= datetime.fromisoformat(refused["when"][0]) <= datetime.now(UTC)
    check = Services.open(pg_database, actor="owner")
    try:
        assert check.visits.get(VISIT).title == "Title from Ana"
        assert check.audit.list("visit", check.visits.get(VISIT).id, limit=1)[0].actor == ana.name
    finally:
        check.close()


@pytest.mark.postgresql_only
def test_on_a_server_the_actor_is_the_login_never_the_typed_name(pg_database):
    s = Services.open(pg_database, actor="Somebody Typed This")
    try:
        assert s.actor == "postgres"
        visit = s.visits.create(title="T", timezone="UTC", start_date=datetime(2027, 1, 1).date(),
                                end_date=datetime(2027, 1, 2).date(), country="FR")
        assert s.audit.list("visit", visit.id)[0].actor == "postgres"
    finally:
        s.close()


def test_on_sqlite_the_actor_is_the_name_given(tmp_path):
    s = Services.open(tmp_path / "office.sqlite3", actor="Ana Ruiz")
    try:
        assert s.actor == "Ana Ruiz" and s.db.login_name() is None
    finally:
        s.close()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_change_feed_reports_what_another_connection_commits(engine, tmp_path, request):
    target = (request.getfixturevalue("pg_database") if engine == "postgresql"
              else tmp_path / "office.sqlite3")
    watcher, other = Services.open(target, actor="a"), Services.open(target, actor="b")
    try:
        visit = other.visits.create(title="T", timezone="UTC",
                                    start_date=datetime(2027, 1, 1).date(),
                                    end_date=datetime(2027, 1, 2).date(), country="FR")
        feed = watcher.open_change_feed()
        try:
            assert not feed.poll()
            other.visits.update(visit.id, visit.version, title="Changed elsewhere")
            changes = wait_for_changes(feed, bool)
            assert changes.touches(visit.id)
            if engine == "postgresql":  # the server names the visit, and only it
                assert changes.visit_ids == {visit.id} and not changes.any_visit
                assert not changes.touches(visit.id + 1)
            assert not feed.poll()  # reported once
            person = other.people.create(family_name="Nakamura", given_name="Emi")
            other.visits.add_participant(visit.id, person.id, "guest", "member")
            assert wait_for_changes(feed, bool).touches(visit.id)
            if engine == "postgresql":  # this process's own writes are left out
                time.sleep(0.3)
                feed.poll()  # the participant's notification, if it came after the person's
                mine = watcher.visits.get(visit.id)
                watcher.visits.update(visit.id, mine.version, title="Changed here")
                time.sleep(0.3)
                assert not feed.poll()
                other.visits.update(visit.id, mine.version + 1, title="And there")
                assert wait_for_changes(feed, bool).visit_ids == {visit.id}
        finally:
            feed.close()
    finally:
        watcher.close()
        other.close()
