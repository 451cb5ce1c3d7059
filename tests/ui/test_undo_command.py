"""The one undo command (ui.undo.VersionedCommand): undo and redo go through the services'
checked writes at the version this session last wrote; a change made meanwhile by
another session (a second ``Services`` on the same SQLite file) refuses the undo cleanly,
through the stale-write dialog, and nothing of it is overwritten."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from protocol_app.errors import StaleWriteError
from protocol_app.services import Services
from ui.dialogs.stale import StaleWriteDialog
from ui.pages.visit_commands import VisitCommands
from ui.undo import RecordHandle, VersionedCommand, push, report_failure


@pytest.fixture
def visit(services):
    return services.visits.create(
        title="Visit of the Rector", timezone="America/New_York", start_date=date(2027, 3, 12),
        end_date=date(2027, 3, 16), country="JP")


@pytest.fixture
def colleague(db_path):
    other = Services.open(db_path, actor="colleague")
    yield other
    other.close()


def test_an_edit_is_undone_and_redone_at_the_version_last_written(qtbot, services,
                                                                  visit) -> None:
    stack = QUndoStack()
    commands = VisitCommands(services, stack)
    changed: list[object] = []
    commands.changed.connect(changed.append)
    edited = commands.edit_visit(visit, {"title": "Visit of the President", "purpose": "Talks"})
    command = stack.command(0)
    assert isinstance(command, VersionedCommand)
    assert (command.handle.id, command.handle.version) == (visit.id, edited.version)

    stack.undo()
    back = services.visits.get(visit.id)
    assert (back.title, back.purpose) == ("Visit of the Rector", "")
    assert command.handle.version == back.version > edited.version  # it expects what it wrote

    stack.redo()
    again = services.visits.get(visit.id)
    assert (again.title, again.purpose) == ("Visit of the President", "Talks")
    assert command.handle.version == again.version
    assert changed == [visit.id] * 3 and not command.failed


def test_undo_is_refused_when_another_session_changed_the_field(qtbot, services, colleague,
                                                               visit) -> None:
    stack = QUndoStack()
    commands = VisitCommands(services, stack)
    failures: list[object] = []
    commands.failed.connect(failures.append)
    edited = commands.edit_visit(visit, {"title": "Visit of the President"})
    theirs = colleague.visits.update(visit.id, edited.version, title="Changed by the colleague")

    stack.undo()
    qtbot.waitUntil(lambda: bool(failures))
    error = failures[0]
    assert isinstance(error, StaleWriteError)
    assert error.changed_fields == {"title": ("Visit of the President",
                                              "Changed by the colleague")}
    assert services.visits.get(visit.id) == theirs  # nothing of theirs overwritten
    assert stack.count() == 0  # the refused command left the stack


def test_undo_goes_through_when_another_session_changed_another_part(qtbot, services,
                                                                    colleague, visit) -> None:
    stack = QUndoStack()
    commands = VisitCommands(services, stack)
    commands.edit_visit(visit, {"title": "Visit of the President"})
    colleague.visits.update(visit.id, None, purpose="Research cooperation")

    stack.undo()
    stored = services.visits.get(visit.id)
    assert (stored.title, stored.purpose) == ("Visit of the Rector", "Research cooperation")


def test_a_stale_undo_is_reported_in_the_stale_write_dialog(qtbot, services, colleague,
                                                            modal) -> None:
    person = services.people.create(family_name="Mercer", given_name="Caroline",
                                    position="Provost")
    parent = QWidget()
    qtbot.addWidget(parent)
    reloads: list[bool] = []
    handle = RecordHandle(person.id, person.version)
    people = services.people
    command = VersionedCommand(
        "Edit Mercer", handle,
        lambda h: people.update(h.existing_id(), h.version, position="President"),
        lambda h: people.update(h.existing_id(), h.version, position="Provost"),
        on_error=lambda exc: report_failure(parent, exc, lambda: reloads.append(True)))
    stack = QUndoStack()
    assert push(stack, command)
    written = services.people.get(person.id)
    assert written.position == "President" and handle.version == written.version

    theirs = colleague.people.update(person.id, written.version, position="Chancellor")
    shown: list[StaleWriteDialog] = []

    def answer(dialog: StaleWriteDialog) -> None:
        shown.append(dialog)
        dialog.reload_button.click()

    modal.next(answer, kind=StaleWriteDialog)
    stack.undo()
    assert len(shown) == 1 and shown[0].error.entity == "person"
    assert reloads == [True]
    assert stack.count() == 0  # refused: obsolete, so the stack dropped it
    assert services.people.get(person.id) == theirs
