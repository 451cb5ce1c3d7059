"""The person editor's "Invitations go to": another person with an e-mail address who
receives the person's calendar invitations (their calendar manager), saved through the
invitations service, undoable; text naming nobody is refused and nothing changes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from ui.editors.person_editor import PersonEditor


@pytest.fixture
def people(services):
    principal = services.people.create(family_name="Chaturvedi", given_name="Rajeev",
                                       email="ambassador@in-embassy.example.org")
    assistant = services.people.create(family_name="Nair", given_name="Priya",
                                       email="assistant@in-embassy.example.org")
    no_email = services.people.create(family_name="Rao", given_name="Anil")
    return principal, assistant, no_email


def _editor(qtbot, services, person_id, stack) -> PersonEditor:
    editor = PersonEditor(services, person_id, undo_stack=stack)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_invitations_go_to_another_person_and_back(qtbot, services, people) -> None:
    principal, assistant, _no_email = people
    stack = QUndoStack()
    editor = _editor(qtbot, services, principal.id, stack)
    picker = editor.calendar_manager
    labels = [picker.itemText(i) for i in range(picker.count())]
    # themself first; only people with an e-mail, never the person edited
    assert labels == [PersonEditor.THEMSELF,
                      "Priya Nair <assistant@in-embassy.example.org>"]
    assert editor.manager_value() == "" and not editor.is_dirty()

    picker.setCurrentIndex(1)
    assert editor.is_dirty() and editor.windowTitle().endswith("• — Person")
    assert editor.save()
    manager = services.invites.calendar_manager(principal.id)
    assert manager is not None and manager.email == "assistant@in-embassy.example.org"
    audit = services.audit.list("person")
    assert any("Calendar manager set to assistant@in-embassy.example.org" in e.summary
               for e in audit)

    again = _editor(qtbot, services, principal.id, stack)
    assert again.manager_value() == str(assistant.id) and not again.is_dirty()
    stack.undo()
    assert services.invites.calendar_manager(principal.id) is None
    stack.redo()
    assert services.invites.calendar_manager(principal.id).person_id == assistant.id

    last = _editor(qtbot, services, principal.id, stack)
    last.calendar_manager.setCurrentIndex(0)
    assert last.save()
    assert services.invites.calendar_manager(principal.id) is None


def test_text_naming_nobody_is_refused(qtbot, services, people) -> None:
    principal, _assistant, _no_email = people
    editor = _editor(qtbot, services, principal.id, QUndoStack())
    editor.calendar_manager.setEditText("somebody else")
    editor.position.setText("Ambassador")
    assert not editor.save()
    label = editor.errors.label("calendar_manager")
    assert label.isVisible() and "'somebody else' is nobody on the list" in label.text()
    assert services.invites.calendar_manager(principal.id) is None
    assert services.people.get(principal.id).position == ""  # nothing changed
    editor.done(0)
