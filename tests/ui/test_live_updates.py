"""Live updates: a change committed through a second connection (another workstation,
another window) appears in the open window within two seconds, on an SQLite file
(PRAGMA data_version) and on the server (NOTIFY); an editor with unsaved edits is told,
not overwritten."""

from __future__ import annotations

from datetime import date

import pytest

from protocol_app.services import Services

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def office(request, tmp_path):
    """The database two workstations share: an SQLite file, or a server database."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_database")
    return tmp_path / "office.sqlite3"


@pytest.fixture
def two_workstations(office):
    """This window's services and another workstation's, on one database, with a visit."""
    here, there = Services.open(office, actor="here"), Services.open(office, actor="there")
    visit = there.visits.create(title="Visit of the Rector", timezone="Europe/Paris",
                                start_date=date(2027, 5, 3), end_date=date(2027, 5, 5),
                                country="FR")
    person = there.people.create(family_name="Moreau", given_name="Claire", country="FR")
    there.visits.add_participant(visit.id, person.id, "guest", "head")
    yield here, there, visit.id, person.id
    here.close()
    there.close()


def _open(make_window, qtbot, services, visit_id):
    window = make_window(services)
    qtbot.waitUntil(lambda: getattr(window, "live_updates", None) is not None, timeout=5000)
    assert window.visit_actions.open_visit(visit_id)
    return window


def test_a_change_from_another_connection_appears_in_the_open_window_within_two_seconds(
        two_workstations, make_window, qtbot):
    here, there, visit_id, _person_id = two_workstations
    window = _open(make_window, qtbot, here, visit_id)
    assert window.workspace.title.text() == "Visit of the Rector"
    stored = there.visits.get(visit_id)
    there.visits.update(visit_id, stored.version, title="Visit of the Rector, postponed")
    qtbot.waitUntil(lambda: window.workspace.title.text() == "Visit of the Rector, postponed",
                    timeout=2000)
    # a new guest added elsewhere shows in the delegation
    guest = there.people.create(family_name="Lefèvre", given_name="Paul", country="FR")
    there.visits.add_participant(visit_id, guest.id, "guest", "member")
    qtbot.waitUntil(lambda: len(window.workspace.visit.participants) == 2, timeout=2000)


def test_an_editor_with_unsaved_edits_is_told_not_overwritten(two_workstations, make_window,
                                                              qtbot):
    from PySide6.QtWidgets import QLabel

    from ui.live_updates import CHANGED_ELSEWHERE

    here, there, visit_id, person_id = two_workstations
    window = _open(make_window, qtbot, here, visit_id)
    delegation = window.workspace.delegation
    window.workspace.show_tab(window.workspace.DELEGATION)
    delegation.select_person(person_id)
    delegation.edit_person()
    editor = delegation.person_editor
    qtbot.waitUntil(editor.isVisible, timeout=2000)
    editor.position.setText("Rector")  # typed, not saved
    assert editor.is_dirty()
    person = there.people.get(person_id)
    there.people.update(person_id, person.version, position="Vice-Rector")

    def told() -> bool:
        notice = editor.findChild(QLabel, "changedElsewhere")
        return notice is not None and notice.isVisible()

    qtbot.waitUntil(told, timeout=2000)
    assert editor.findChild(QLabel, "changedElsewhere").text() == CHANGED_ELSEWHERE
    assert editor.position.text() == "Rector" and editor.is_dirty()
    editor.position.setText("")  # leave without the unsaved-changes question
    editor.done(0)


def test_an_editor_without_edits_is_not_told(two_workstations, make_window, qtbot):
    from PySide6.QtWidgets import QLabel

    here, there, visit_id, person_id = two_workstations
    window = _open(make_window, qtbot, here, visit_id)
    window.workspace.delegation.select_person(person_id)
    window.workspace.delegation.edit_person()
    editor = window.workspace.delegation.person_editor
    with qtbot.waitSignal(window.live_updates.refreshed, timeout=2000):
        stored = there.visits.get(visit_id)
        there.visits.update(visit_id, stored.version, title="Renamed")
    assert editor.findChild(QLabel, "changedElsewhere") is None
    editor.done(0)
