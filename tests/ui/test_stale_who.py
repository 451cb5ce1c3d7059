"""A refused stale write names who changed the record, when, and which fields, from the
audit trail (AuditService.changes_since), read through the services only."""

from __future__ import annotations

import pytest

from protocol_app.errors import StaleWriteError
from protocol_app.services import Services


@pytest.fixture
def colleague(services, db_path):
    """A second officer on the same database file."""
    other = Services.open(db_path, actor="ana.ruiz")
    yield other
    other.close()


def _refused_write(services, colleague) -> tuple[StaleWriteError, int]:
    person = services.people.create(given_name="Amal", family_name="Haddad")
    colleague.people.update(person.id, person.version, position="Ambassador")
    colleague.people.update(person.id, person.version + 1, given_name="Amala")
    with pytest.raises(StaleWriteError) as refused:
        services.people.update(person.id, person.version, position="Minister")
    return refused.value, person.id


def test_changes_since_lists_the_writes_after_the_version_seen(services, colleague):
    error, person_id = _refused_write(services, colleague)
    history = services.audit.changes_since("person", person_id, error.expected_version,
                                           error.current_version)
    assert [h.actor for h in history] == ["ana.ruiz", "ana.ruiz"]
    assert set(history[0].new) == {"given_name"} and set(history[1].new) == {"position"}
    assert services.audit.changes_since("person", person_id, error.current_version,
                                        error.current_version) == []
    later = services.audit.changes_since("person", person_id, error.expected_version + 1,
                                         error.current_version)
    assert [set(h.new) for h in later] == [{"given_name"}]


def test_the_stale_dialog_says_who_and_when(services, colleague, qtbot, fusion_app):
    from PySide6.QtWidgets import QWidget

    from ui.dialogs.stale import StaleWriteDialog, stale_history, when_text

    error, _person_id = _refused_write(services, colleague)
    owner = QWidget()
    owner.services = services  # a page or editor holds its services so
    qtbot.addWidget(owner)
    history = stale_history(owner, error)
    dialog = StaleWriteDialog(error, owner, history=history)
    qtbot.addWidget(dialog)
    text = dialog.who_label.text()
    assert "Changed by ana.ruiz on " + when_text(history[0].at) in text
    assert "given name" in text and "position" in text
    assert "ana.ruiz" in dialog.details_text()
    heading = " ".join(label.text() for label in dialog.findChildren(type(dialog.who_label)))
    assert "changed by ana.ruiz while you were editing" in heading
