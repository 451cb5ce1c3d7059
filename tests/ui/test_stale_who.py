"""A refused stale write names who changed the record, when, and which fields, from the
audit trail (AuditService.changes_since), read through the services only."""

from __future__ import annotations

from itertools import pairwise

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


@pytest.mark.parametrize("size", [(1366, 768), (1440, 900)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_stale_dialog_keeps_even_gaps(services, colleague, qtbot, fusion_app, size):
    """Each part of the dialog is as tall as its text, with the same gap between parts:
    the room a larger dialog has goes below them, not into the gaps."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QLabel, QWidget

    from ui.dialogs.fit import simulated_screen
    from ui.dialogs.stale import StaleWriteDialog, stale_history

    error, _person_id = _refused_write(services, colleague)
    error.changed_fields.update({"position": ("", "Ambassador"), "given_name": ("Amal",
                                                                               "Amala")})
    owner = QWidget()
    owner.services = services
    qtbot.addWidget(owner)
    with simulated_screen(QRect(0, 0, *size)):
        dialog = StaleWriteDialog(error, owner, history=stale_history(owner, error))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
    body = dialog.findChild(QWidget, "fitBodyWidget")
    parts = [w for w in body.findChildren(QWidget) if w.parentWidget() is body
             and w.isVisible() and not w.objectName().startswith("qt_")]
    parts.sort(key=lambda w: w.y())
    rows: list[list[QWidget]] = []  # side by side (the icon and the heading): one row
    for part in parts:
        if rows and part.y() < max(w.y() + w.height() for w in rows[-1]):
            rows[-1].append(part)
        else:
            rows.append([part])
    for row in rows:
        for label in row:
            if isinstance(label, QLabel) and label.wordWrap():
                beside = max((w.height() for w in row if w is not label), default=0)
                assert label.height() <= max(label.heightForWidth(label.width()) + 2,
                                             beside), label.text()
    extents = [(min(w.y() for w in row), max(w.y() + w.height() for w in row), row)
               for row in rows]
    gaps = [below[0] - above[1] for above, below in pairwise(extents)
            if above[2][0].objectName() != "staleChangesHeading"]
    assert len(gaps) >= 3 and max(gaps) - min(gaps) <= 1, gaps
    heading = dialog.findChild(QLabel, "staleChangesHeading")
    assert 0 <= dialog.table.y() - (heading.y() + heading.height()) < min(gaps)
