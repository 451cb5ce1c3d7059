"""The event editor's internal notes, with the real widgets: a field under Notes marked
sensitive as the person editor marks its fields, saved through the service (undoably),
and never shown in the itinerary's table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from protocol_app.records.sensitivity import SENSITIVE_EVENT_FIELDS
from ui.editors.event_editor import EDITED_FIELDS, EventEditor
from ui.models import events_model as em
from ui.pages.itinerary import ItineraryView

VISIT = "vn-moet-minister-2027"
SECRET = "Seat the Minister away from the press table - INTERNAL-NOTE-2a9d"  # typed: ASCII


def _dinner(services):
    return next(e for e in services.events.list(VISIT) if e.ref == "e17")


def _tab_chain(start: QWidget, steps: int) -> list[QWidget]:
    chain, widget = [], start
    for _ in range(steps):
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
        chain.append(widget)
    return chain


def test_the_field_is_under_notes_and_marked_sensitive(qtbot, demo_services) -> None:
    visit = demo_services.visits.get(VISIT)
    editor = EventEditor(demo_services, visit, _dinner(demo_services))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    # every sensitive field stored on the event; a review's conditions are set elsewhere
    assert list(editor.sensitive) == ["internal_notes"]
    assert set(SENSITIVE_EVENT_FIELDS) == {"internal_notes", "review_conditions"}
    assert "review_conditions" not in EDITED_FIELDS
    assert "internal_notes" in EDITED_FIELDS
    field = editor.internal_notes
    assert field is editor.sensitive["internal_notes"]
    assert field.accessibleName() == "Internal notes (sensitive, internal only)"
    assert "never in invites" in field.toolTip()
    assert field.toPlainText() == ""
    # under the public notes, in the same box, on a tinted background with a lock
    box = editor.sensitive_box
    assert box.objectName() == "sensitiveGroup" and box.autoFillBackground()
    assert box.isAncestorOf(field) and not box.isAncestorOf(editor.notes)
    assert box.parentWidget() is editor.notes.parentWidget().parentWidget()
    assert field.mapTo(editor, field.rect().topLeft()).y() > \
        editor.notes.mapTo(editor, editor.notes.rect().bottomLeft()).y()
    labels = {label.accessibleName() or label.text(): label
              for label in box.findChildren(QLabel)}
    assert "Sensitive" in labels and not labels["Sensitive"].pixmap().isNull()
    caption = box.findChild(QLabel, "sensitiveTitle_internal_notes")
    assert caption.text() == "&Internal notes — internal only" and caption.buddy() is field
    note = box.findChild(QLabel, "sensitiveNote_internal_notes")
    assert note.text() == "never printed for hosts or guests, never in invites"
    assert "everyone" in editor.notes.placeholderText()
    # keyboard: Notes, then Internal notes, then Save
    editor.notes.setFocus()
    assert _tab_chain(editor.notes, 2) == [field, editor.save_button]
    editor.reject()


def test_edit_internal_notes_and_save(qtbot, view: ItineraryView, demo_services) -> None:
    dinner = _dinner(demo_services)
    editor = view.edit_event(dinner.id)
    assert editor is not None and editor.isVisible()
    assert not editor.is_dirty()
    qtbot.keyClicks(editor.internal_notes, SECRET)
    assert editor.is_dirty() and view.has_unsaved_changes()
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    stored = demo_services.events.get(dinner.id)
    assert stored.internal_notes == SECRET
    assert (stored.notes, stored.title, stored.sequence) == (dinner.notes, dinner.title,
                                                            dinner.sequence)
    entry = demo_services.audit.list("event", dinner.id, limit=1)[0]
    assert entry.new == {"internal_notes": "(sensitive: changed)"}

    # the itinerary's table and tooltips never show them
    view.show_table()
    model = view.model
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.AccessibleTextRole):
                assert "INTERNAL-NOTE" not in str(model.data(index, role) or "")
    assert model.data(model.index(0, em.TIME)) is not None

    # reopened, the editor shows them; undo takes them back out
    editor = view.edit_event(dinner.id)
    assert editor.internal_notes.toPlainText() == SECRET
    editor.reject()
    view.undo_stack.undo()
    assert demo_services.events.get(dinner.id).internal_notes == ""
    view.undo_stack.redo()
    assert demo_services.events.get(dinner.id).internal_notes == SECRET


def test_a_too_long_internal_note_is_refused_beside_the_field(qtbot, view: ItineraryView,
                                                              demo_services) -> None:
    from protocol_app.records.fields import MAX_LONG

    dinner = _dinner(demo_services)
    editor = view.edit_event(dinner.id)
    editor.internal_notes.setPlainText("x" * (MAX_LONG + 1))
    assert not editor.save()
    assert editor.isVisible()
    assert editor.errors.message("internal_notes").startswith("Is too long")
    assert editor.internal_notes.accessibleDescription().startswith("Is too long")
    assert demo_services.events.get(dinner.id).internal_notes == ""
    editor.internal_notes.setPlainText("Short")
    with qtbot.waitSignal(view.changed):
        assert editor.save()
    assert demo_services.events.get(dinner.id).internal_notes == "Short"
