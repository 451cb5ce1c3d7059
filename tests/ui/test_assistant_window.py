"""The window as an assistant on the office's server (a real login with a password): the
sensitive fields it may not read are not shown in the editors, and a line says why."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from protocol_app.cli import main
from protocol_app.services import Services
from tests.support.demo_refs import VISIT
from tests.support.logins import create_login

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def assistant(pg_cluster, pg_database):
    """Services logged in as a protocol_assistant, over the demo visits."""
    from protocol_app.demo import load_demo

    owner = Services.open(pg_database, actor="owner")
    load_demo(owner)
    owner.close()
    assert main(["--db", pg_database, "server", "setup-roles"]) == 0
    login = create_login(pg_cluster, make_url(pg_database).database, "assistant")
    assert main(["--db", pg_database, "server", "grant-role", login.name,
                 "protocol_assistant"]) == 0
    services = Services.open(login.url)
    yield services
    services.close()


def test_the_editors_do_not_show_what_an_assistant_may_not_read(assistant, make_window, qtbot):
    from PySide6.QtWidgets import QLabel

    window = make_window(assistant)
    visit = assistant.visits.get(VISIT)
    assert window.visit_actions.open_visit(visit.id)
    delegation = window.workspace.delegation
    delegation.select_person(visit.participants[0].person.id)
    delegation.edit_person()
    editor = delegation.person_editor
    qtbot.waitUntil(editor.isVisible, timeout=2000)
    assert all(not edit.isVisible() for edit in editor.sensitive.values())
    line = editor.findChild(QLabel, "withheldFields")
    assert line is not None and line.isVisible()
    assert line.text() == ("Not shown: your database login may not read Medical notes, "
                           "Security notes, Protocol notes.")
    assert editor.position.isVisible()
    editor.done(0)
    event_editor = window.workspace.itinerary.edit_event(visit.events[0].id)
    qtbot.waitUntil(event_editor.isVisible, timeout=2000)
    assert not event_editor.internal_notes.isVisible()
    assert "Internal notes" in event_editor.findChild(QLabel, "withheldFields").text()
    event_editor.done(0)


def test_the_owner_sees_every_field(demo_services, make_window, qtbot):
    from PySide6.QtWidgets import QLabel

    window = make_window(demo_services)
    visit = demo_services.visits.get(VISIT)
    assert window.visit_actions.open_visit(visit.id)
    window.workspace.delegation.select_person(visit.participants[0].person.id)
    window.workspace.delegation.edit_person()
    editor = window.workspace.delegation.person_editor
    qtbot.waitUntil(editor.isVisible, timeout=2000)
    assert all(edit.isVisible() for edit in editor.sensitive.values())
    assert editor.findChild(QLabel, "withheldFields") is None
    editor.done(0)


def test_a_viewer_is_told_the_window_is_read_only(pg_cluster, pg_database, make_window):
    assert main(["--db", pg_database, "server", "setup-roles"]) == 0
    login = create_login(pg_cluster, make_url(pg_database).database, "viewer")
    assert main(["--db", pg_database, "server", "grant-role", login.name,
                 "protocol_viewer"]) == 0
    viewer = Services.open(login.url)
    try:
        window = make_window(viewer)
        assert window.db_label.text() == ("Read only: your database login may not change "
                                          "anything")
    finally:
        viewer.close()


def test_the_book_dialog_offers_an_assistant_the_books_it_can_build(assistant, qtbot):
    from PySide6.QtCore import Qt

    from protocol_app.config import Settings
    from ui.dialogs.briefing import BriefingDialog

    dialog = BriefingDialog(assistant, VISIT, settings=Settings(paper_size="A4"))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.built, timeout=120_000) as blocker:
        dialog.show()
    assert dialog.audience.currentData() == "host"
    internal = dialog.audience.model().item(dialog.audience.findData("internal"))
    assert not internal.isEnabled()
    assert "may not read Medical notes" in internal.toolTip()
    assert internal.flags() & Qt.ItemFlag.ItemIsEnabled == Qt.ItemFlag.NoItemFlags
    result = blocker.args[0]
    assert result.audience == "host" and result.pages > 0
    assert any(w.startswith("Left out: Protocol notes") for w in result.warnings)
