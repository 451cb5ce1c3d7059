"""Migration 0005 (protocol rules): adds its tables, keeps every record."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from protocol_app.config import backup_dir
from protocol_app.db.migrate import alembic_config, script_head
from protocol_app.db.schema import HEAD_REVISION, KNOWN_REVISIONS
from protocol_app.demo import load_demo
from protocol_app.services import Services
from tests.support.demo_refs import AS_MEAL, RECEPTION, RECEPTION_GUESTS

NEW_TABLES = {"precedence_categories", "precedence_overrides", "address_overrides",
              "seating_plans", "seats", "travel_times"}


def test_the_scripts_and_the_known_revisions_agree() -> None:
    assert KNOWN_REVISIONS[3:6] == ("0004", "0005", "0006")
    assert script_head() == HEAD_REVISION == KNOWN_REVISIONS[-1]


def test_upgrading_from_0004_keeps_the_data(db_path: Path) -> None:
    services = Services.open(db_path, actor="tester")
    load_demo(services)
    visits = services.visits.list()
    people = services.people.count()
    services.db.dispose()
    # take the file back to the previous schema, as an older version left it
    with services.db.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
    with services.db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert not tables & NEW_TABLES
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == "0004"
    services.close()

    reopened = Services.open(db_path, actor="tester")  # migrates, after a backup
    try:
        with reopened.db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) >= NEW_TABLES
            assert connection.execute(
                text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
        assert reopened.visits.list() == visits
        assert reopened.people.count() == people
        assert any(f"before-{HEAD_REVISION}" in p.name for p in backup_dir().iterdir())
        # the new tables work at once
        entries = reopened.precedence.precedence(RECEPTION, side="guest")
        assert [e.person.display_name for e in entries] == RECEPTION_GUESTS
        assert reopened.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL).stored
    finally:
        reopened.close()


def test_downgrading_removes_only_the_new_tables(db_path: Path) -> None:
    services = Services.open(db_path, actor="tester")
    load_demo(services)
    services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    events = services.events.list(RECEPTION)
    with services.db.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
        command.upgrade(alembic_config(connection), "head")
    # the events are kept; what columns after 0004 held went with the downgrade
    assert services.events.list(RECEPTION) == [
        dataclasses.replace(e, internal_notes="", visibility=None) for e in events]
    assert not services.seating.seating_plan(RECEPTION, "r04").stored
    services.close()
