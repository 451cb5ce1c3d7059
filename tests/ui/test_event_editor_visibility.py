"""The event editor's "Who may see it" combo, with the real widgets: the first choice
says the default in words (and follows the kind and the attendees), a choice is saved
through the service, and "Default" stores none."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.editors.event_editor import EDITED_FIELDS, EventEditor

RECEPTION = "diplomatic-corps-reception-2027"


def _event(services, ref):
    return next(e for e in services.events.list(RECEPTION) if e.ref == ref)


def test_the_combo_shows_the_default_in_words_and_saves_a_choice(qtbot, demo_services
                                                                   ) -> None:
    visit = demo_services.visits.get(RECEPTION)
    editor = EventEditor(demo_services, visit, _event(demo_services, "r04"))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    combo = editor.visibility
    assert "visibility" in EDITED_FIELDS
    assert combo.accessibleName() == "Who may see it"
    assert [combo.itemData(i) for i in range(combo.count())] == [
        None, "all", "hosts", "attendees"]
    assert combo.currentIndex() == 0
    assert combo.itemText(0) == "Default: the whole programme (an event of the programme)"
    # a private event: the default follows the kind, as typed
    editor.kind.setCurrentIndex(editor.kind.findData("private"))
    assert combo.itemText(0) == "Default: its attendees only (a private event of guests)"
    # only hosts left: hosts only
    guests = {p.person_id for p in visit.participants if p.side == "guest"}
    for row in range(editor.attendees.count()):
        item = editor.attendees.item(row)
        if item.data(Qt.ItemDataRole.UserRole) in guests:
            item.setCheckState(Qt.CheckState.Unchecked)
    assert combo.itemText(0) == "Default: hosts only (a private event)"
    editor.kind.setCurrentIndex(editor.kind.findData("meal"))
    assert combo.itemText(0) == "Default: hosts only (only hosts attend)"
    editor.done(0)  # leave without saving, without the unsaved-changes question

    editor = EventEditor(demo_services, visit, _event(demo_services, "r03"))
    qtbot.addWidget(editor)
    editor.visibility.setCurrentIndex(editor.visibility.findData("attendees"))
    assert editor.save()
    assert _event(demo_services, "r03").visibility == "attendees"

    editor = EventEditor(demo_services, visit, _event(demo_services, "r01"))
    qtbot.addWidget(editor)
    assert editor.visibility.currentData() == "hosts"  # as set in the demo
    assert editor.visibility.itemText(0) == "Default: hosts only (a private event)"
    editor.visibility.setCurrentIndex(0)
    assert editor.save()
    assert _event(demo_services, "r01").visibility is None
