"""The itinerary with the real widgets: agenda, table, editor, drag, Move…, cancel."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.support.modals import answer_modal
from ui.models import events_model as em
from ui.pages.itinerary import ItineraryView

NY = ZoneInfo("America/New_York")
VISIT = "vn-moet-minister-2027"


def ny(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in New York in March 2027, as aware UTC."""
    return datetime(2027, 3, day, hour, minute, tzinfo=NY).astimezone(UTC)


def by_title(view: ItineraryView, title: str):
    return next(e for e in view.events() if e.title == title)


def error_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "errorDialog" and w.isVisible()]


def test_agenda_has_a_column_per_day_and_marks_the_clock_change(view: ItineraryView) -> None:
    canvas = view.agenda.canvas
    assert [d.day for d in canvas.days] == [11, 12, 13, 14]
    change = canvas.transitions[3]  # Sunday 14 March 2027
    assert change.forward and (change.start.hour, change.end.hour) == (2, 3)
    assert change.text == "Clocks go forward 02:00 → 03:00 (EST → EDT)"
    for event in view.events():
        assert not canvas.card_rect(event.id).isNull(), event.title
    # the two working meetings at the same time sit side by side
    a = canvas.card_rect(by_title(view, "Working meeting: teacher education and STEM teaching").id)
    b = canvas.card_rect(by_title(
        view, "Working meeting: joint master's degree in microelectronics").id)
    assert a.top() == b.top() and not a.intersects(b)
    # 10:00 on Sunday is drawn at the 10:00 line (wall clock, in EDT)
    breakfast = canvas.card_rect(by_title(view, "Farewell breakfast with the President").id)
    assert abs(breakfast.top() - canvas.y_of(10 * 60)) <= 2
    # the dinner past midnight continues on Sunday
    dinner = by_title(view, "State dinner in honour of the Minister")
    days = {s.day_index for s in canvas.segments if s.event.id == dinner.id}
    assert days == {2, 3}
    assert view.zones_label.text() == ("Times in New York time (EST, UTC\u22125) · delegation's "
                                       "home time: Ho Chi Minh City time (UTC+7)")
    assert "America/New_York" in view.zones_label.toolTip()  # the IANA name: tooltip only


def test_table_shows_the_same_events(view: ItineraryView) -> None:
    view.show_table()
    assert view.stack.currentWidget() is view.table
    assert view.model.rowCount() == len(view.events()) == 20
    view.select_event(by_title(view, "Press availability").id)
    row = view.table.selectionModel().selectedRows()[0].row()
    assert view.model.data(view.model.index(row, em.TIME)) == "10:45–11:15 EST"
    view.show_agenda()
    assert view.agenda.canvas.selected_id == by_title(view, "Press availability").id


def test_add_an_event_through_the_editor(qtbot, view: ItineraryView, demo_services) -> None:
    view.select_event(by_title(view, "Lunch at the Museum of Art").id)
    editor = view.add_event()
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor.title_edit, "Visit to the University Library")
    editor.kind.setCurrentIndex(editor.kind.findData("tour"))
    editor.start_date.setDate(editor.start_date.date().fromString("2027-03-13", "yyyy-MM-dd"))
    editor.start_time.setTime(editor.start_time.time().fromString("16:45", "HH:mm"))
    editor.end_date.setDate(editor.end_date.date().fromString("2027-03-13", "yyyy-MM-dd"))
    editor.end_time.setTime(editor.end_time.time().fromString("17:30", "HH:mm"))
    qtbot.keyClicks(editor.venue_name, "Harrow Library")
    editor.host.setCurrentIndex(1)
    editor.attendees.item(0).setCheckState(Qt.CheckState.Checked)
    editor.attendees.item(1).setCheckState(Qt.CheckState.Checked)
    assert "Home time (Ho Chi Minh City): Sun 14 Mar 04:45–05:30" in editor.other_times.text()
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    added = by_title(view, "Visit to the University Library")
    assert (added.start_utc, added.end_utc) == (ny(13, 16, 45), ny(13, 17, 30))
    assert added.timezone == "America/New_York" and added.kind == "tour"
    assert len(added.attendee_ids) == 2 and added.venue_name == "Harrow Library"
    assert view.selected_id == added.id
    assert any(e.id == added.id for e in demo_services.events.list(VISIT))
    view.undo_stack.undo()
    assert all(e.title != "Visit to the University Library" for e in view.events())
    view.undo_stack.redo()
    assert by_title(view, "Visit to the University Library").start_utc == ny(13, 16, 45)


def test_a_time_in_the_dst_gap_is_refused(qtbot, view: ItineraryView, demo_services) -> None:
    before = len(demo_services.events.list(VISIT))
    editor = view.add_event()
    qtbot.keyClicks(editor.title_edit, "Night briefing")
    editor.start_date.setDate(editor.start_date.date().fromString("2027-03-14", "yyyy-MM-dd"))
    editor.start_time.setTime(editor.start_time.time().fromString("02:30", "HH:mm"))
    editor.end_date.setDate(editor.end_date.date().fromString("2027-03-14", "yyyy-MM-dd"))
    editor.end_time.setTime(editor.end_time.time().fromString("04:00", "HH:mm"))
    assert "does not exist in America/New_York" in editor.other_times.text()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    message = editor.errors.message("start")
    assert "2027-03-14T02:30 does not exist in America/New_York" in message
    assert "clocks go forward" in message
    assert editor.errors.message("end") == ""
    assert len(demo_services.events.list(VISIT)) == before
    # validation from the service lands next to its field too
    editor.start_time.setTime(editor.start_time.time().fromString("05:00", "HH:mm"))
    editor.title_edit.clear()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.errors.message("title") == "Is required"
    assert editor.errors.message("start") == ""
    editor.done(0)


def test_drag_a_card_to_another_day_and_time(qtbot, view: ItineraryView, demo_services) -> None:
    view.agenda.set_zoom(68)  # a pixel well under a minute: the pointer lands where aimed
    canvas = view.agenda.canvas
    call = by_title(view, "Courtesy call on the President")  # Fri 09:00-09:45
    rect = canvas.card_rect(call.id)
    grab = rect.center()
    offset = canvas.minutes_at(grab.y()) - 9 * 60
    # to Saturday (one column right), pointer at 08:07 + the grab offset: snaps to 08:00
    target = QPoint(round(grab.x() + canvas.column_width()),
                    round(canvas.y_of(8 * 60 + 7 + offset)))
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, grab)
    QTest.mouseMove(canvas, grab + QPoint(0, 12))
    QTest.mouseMove(canvas, target)
    assert canvas._drag_target is not None
    with qtbot.waitSignal(view.changed):
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           target)
    moved = demo_services.events.get(call.id)
    assert (moved.start_utc, moved.end_utc) == (ny(13, 8, 0), ny(13, 8, 45))
    assert moved.sequence == call.sequence + 1
    assert view.selected_id == call.id
    view.undo_stack.undo()
    assert demo_services.events.get(call.id).start_utc == ny(12, 9, 0)


def test_dropping_into_the_skipped_hour_is_refused(qtbot, view: ItineraryView,
                                                   demo_services) -> None:
    canvas = view.agenda.canvas
    breakfast = by_title(view, "Farewell breakfast with the President")  # Sun 10:00
    rect = canvas.card_rect(breakfast.id)
    grab = QPoint(rect.center().x(), round(canvas.y_of(10 * 60 + 5)))
    target = QPoint(grab.x(), round(canvas.y_of(2 * 60 + 35)))  # 02:30, skipped
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, grab)
    QTest.mouseMove(canvas, grab + QPoint(0, -12))
    QTest.mouseMove(canvas, target)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    qtbot.waitUntil(lambda: bool(error_boxes()))
    assert "does not exist in America/New_York" in error_boxes()[0].text()
    assert demo_services.events.get(breakfast.id).start_utc == breakfast.start_utc
    for box in error_boxes():
        box.close()


def test_move_dialog_from_the_keyboard(qtbot, view: ItineraryView, demo_services) -> None:
    press = by_title(view, "Press availability")  # Fri 10:45-11:15
    view.agenda.canvas.setFocus()
    view.select_event(press.id)
    QTest.keyClick(view.agenda.canvas, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == "moveEventDialog" and w.isVisible())
    QTest.keyClick(dialog.time, Qt.Key.Key_Up)  # minutes step by a quarter hour
    assert dialog.local_start() == datetime(2027, 3, 12, 11, 0)
    assert dialog.result_label.text().startswith("New time: Fri 12 Mar 11:00–11:30 EST")
    # a skipped time cannot be chosen
    dialog.set_local_start(datetime(2027, 3, 14, 2, 15))
    assert not dialog.ok_button.isEnabled()
    assert "does not exist" in dialog.errors.message("start")
    dialog.set_local_start(datetime(2027, 3, 13, 17, 0))
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    moved = demo_services.events.get(press.id)
    assert (moved.start_utc, moved.end_utc) == (ny(13, 17), ny(13, 17, 30))


def test_cancel_an_event_after_confirmation(qtbot, view: ItineraryView, demo_services) -> None:
    lunch = by_title(view, "Working lunch with the deans")
    view.select_event(lunch.id)
    answer_modal("Keep it")
    assert not view.cancel_event()
    assert demo_services.events.get(lunch.id).status == "confirmed"
    answer_modal("Cancel event")
    with qtbot.waitSignal(view.changed):
        assert view.cancel_event()
    assert demo_services.events.get(lunch.id).status == "cancelled"
    cancelled = by_title(view, "Working lunch with the deans")
    row = view.model.row_of(lunch.id)
    assert view.model.data(view.model.index(row, em.TITLE), Qt.ItemDataRole.FontRole).strikeOut()
    fill, _accent, _text = view.agenda.canvas.card_colors(cancelled, view.palette())
    assert fill.saturation() < 20  # greyed
    assert not view.cancel_action.isEnabled() and not view.move_action.isEnabled()
    view.undo_stack.undo()
    assert demo_services.events.get(lunch.id).status == "confirmed"


def test_duplicate_and_delete_with_undo(qtbot, view: ItineraryView, demo_services) -> None:
    press = by_title(view, "Press availability")
    view.select_event(press.id)
    with qtbot.waitSignal(view.changed):
        view.duplicate_event()
    copy = by_title(view, "Press availability (copy)")
    assert copy.status == "tentative" and copy.start_utc == press.start_utc
    assert view.selected_id == copy.id
    answer_modal("Delete")
    with qtbot.waitSignal(view.changed):
        assert view.delete_event(press.id)
    assert all(e.id != press.id for e in demo_services.events.list(VISIT))
    view.undo_stack.undo()  # the delete
    restored = by_title(view, "Press availability")
    assert restored.start_utc == press.start_utc and restored.ref == press.ref
    view.undo_stack.undo()  # the duplicate
    assert all(e.title != "Press availability (copy)" for e in view.events())


def test_an_invited_event_is_not_offered_for_deletion(qtbot, view: ItineraryView,
                                                     demo_services, tmp_path) -> None:
    """Its invitations were sent: the itinerary says why before asking, and keeps it."""
    from PySide6.QtWidgets import QApplication

    from protocol_app.invites.service import InviteService

    InviteService(demo_services.db, demo_services.actor).write_messages(VISIT, tmp_path)
    press = by_title(view, "Press availability")
    assert view.delete_event(press.id) is False
    shown = [w for w in QApplication.topLevelWidgets()
             if w.objectName() == "errorDialog" and w.isVisible()]
    assert shown and "calendar" in shown[-1].text() and "nothing was deleted" in shown[-1].text()
    shown[-1].close()
    assert any(e.id == press.id for e in demo_services.events.list(VISIT))
    assert not view.undo_stack.count()


def test_a_stale_move_is_refused_and_the_view_reloads(qtbot, view: ItineraryView,
                                                      demo_services) -> None:
    press = by_title(view, "Press availability")
    demo_services.events.update(press.id, press.version, title="Press conference")
    answered = answer_modal("Reload")  # part A's stale-write dialog, when it is there
    assert not view.move_event(press.id, ny(12, 16))
    if not answered:  # the fallback: the message, and a reload
        qtbot.waitUntil(lambda: bool(error_boxes()))
        assert "changed by someone else" in error_boxes()[0].text()
    else:
        assert answered == ["staleWriteDialog"]
    stored = demo_services.events.get(press.id)
    assert stored.start_utc == press.start_utc and stored.title == "Press conference"
    assert by_title(view, "Press conference").id == press.id  # reloaded
    for box in error_boxes():
        box.close()


def test_unsaved_editor_is_reported_saved_or_discarded(qtbot, view: ItineraryView,
                                                       demo_services) -> None:
    press = by_title(view, "Press availability")
    editor = view.edit_event(press.id)
    assert not view.has_unsaved_changes()
    qtbot.keyClicks(editor.notes, " More.")
    assert view.has_unsaved_changes()
    answer_modal("Cancel")
    editor.reject()  # asks first: Cancel keeps the editor open
    assert editor.isVisible()
    with qtbot.waitSignal(view.changed):
        assert view.save()  # the workspace's Ctrl+S saves the open editor
    assert not view.has_unsaved_changes()
    assert "More." in demo_services.events.get(press.id).notes
    editor = view.edit_event(press.id)
    qtbot.keyClicks(editor.venue_room, " B")
    view.discard_changes()
    assert not editor.isVisible() and not view.has_unsaved_changes()
    assert not demo_services.events.get(press.id).venue_room.endswith(" B")
