"""The travel-times dialog over a real SQLite file: the pairs on record, added, edited in
place, refused and removed through the real widgets, and its item model on its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QMessageBox, QSpinBox, QWidget

from protocol_app.errors import ConflictError
from protocol_app.services.protocol.values import TravelTimeRecord, VenueRecord
from ui.dialogs.travel_times import (
    NO_VENUES,
    SAME_VENUE,
    TOO_FEW_VENUES,
    TravelTimesDialog,
    TravelTimesModel,
    venue_labels,
)

# -- helpers -------------------------------------------------------------------------------


@pytest.fixture
def open_dialog(qtbot: Any, fusion_app: Any) -> Callable[[Any], TravelTimesDialog]:
    """``open_dialog(services)`` builds and shows the dialog."""

    def build(services: Any) -> TravelTimesDialog:
        dialog = TravelTimesDialog(services)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return build


def venue_ids(services: Any) -> dict[str, int]:
    return {v.name: v.id for v in services.travel.venues()}


def choose(dialog: TravelTimesDialog, from_id: int, to_id: int) -> None:
    """Pick two venues in the form's combo boxes, as a user would."""
    for box, venue in ((dialog.from_box, from_id), (dialog.to_box, to_id)):
        index = box.findData(venue)
        assert index >= 0, venue
        box.setCurrentIndex(index)


def table_rows(dialog: TravelTimesDialog) -> list[tuple[str, str, str]]:
    """What the table shows, row by row."""
    model = dialog.table.model()
    return [tuple(model.index(r, c).data() for c in range(3))  # type: ignore[misc]
            for r in range(model.rowCount())]


def error_box(dialog: QWidget) -> QMessageBox | None:
    boxes = [b for b in dialog.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    return boxes[0] if boxes else None


def close_error(dialog: QWidget) -> None:
    for box in dialog.findChildren(QMessageBox, "errorDialog"):
        box.close()


INN, HALL, AIRPORT = ("The Alderbrook Inn", "Founders Hall",
                      "Washington Dulles International Airport")


# -- the item model alone ----------------------------------------------------------------


def _venue(id_: int, name: str, address: str = "") -> VenueRecord:
    return VenueRecord(id_, name, address)


def test_model_rows_are_sorted_by_names_and_only_minutes_are_editable(qtmodeltester: Any
                                                                      ) -> None:
    zurich, athens, cairo = _venue(1, "Zürich Rathaus"), _venue(2, "Αθήνα Μέγαρο"), _venue(
        3, "Cairo Hall")
    model = TravelTimesModel()
    model.set_rows([TravelTimeRecord(zurich, athens, 25), TravelTimeRecord(zurich, cairo, 40)])
    qtmodeltester.check(model)

    assert model.rowCount() == 2 and model.columnCount() == 3
    # "From" is the name that sorts first; rows by names (Latin before Greek here)
    shown = [(model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data())
             for r in range(2)]
    assert shown == [("Cairo Hall", "Zürich Rathaus", "40"),
                     ("Zürich Rathaus", "Αθήνα Μέγαρο", "25")]
    assert model.row_of(2, 1) == 1 and model.row_of(1, 2) == 1 and model.row_of(2, 3) is None
    minutes = model.index(0, TravelTimesModel.MINUTES)
    assert minutes.data(Qt.ItemDataRole.EditRole) == 40
    assert minutes.data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Minutes"
    assert model.flags(minutes) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, TravelTimesModel.FROM)) & Qt.ItemFlag.ItemIsEditable


def test_model_edits_ask_for_a_write_and_never_change_rows_themselves(qtbot: Any) -> None:
    a, b = _venue(1, "North Gate"), _venue(2, "South Gate")
    model = TravelTimesModel()
    model.set_rows([TravelTimeRecord(a, b, 25)])
    minutes = model.index(0, TravelTimesModel.MINUTES)
    asked: list[tuple[int, int, object]] = []
    model.minutes_edited.connect(lambda x, y, m: asked.append((x, y, m)))

    assert model.setData(minutes, "30") is False  # nobody saved it: the row is unchanged
    assert model.setData(minutes, 5000.0) is False
    assert model.setData(minutes, None) is False
    assert asked == [(1, 2, 30), (1, 2, 5000), (1, 2, "")]  # never None ("remove")
    assert model.setData(model.index(0, TravelTimesModel.FROM), 30) is False
    assert model.setData(minutes, 25) is True and len(asked) == 3  # unchanged: no write
    assert minutes.data() == "25"

    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        model.set_minutes(0, 30)
    assert minutes.data() == "30"


def test_venues_with_the_same_name_show_their_addresses() -> None:
    labels = venue_labels([_venue(1, "City Hall", "1 Main St"), _venue(2, "city hall", "9 Elm"),
                           _venue(3, "Opera")])
    assert labels == {1: "City Hall (1 Main St)", 2: "city hall (9 Elm)", 3: "Opera"}


# -- the dialog over the demo database -----------------------------------------------------


def test_opens_on_demo_data_with_the_default_and_an_empty_table_hint(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog]) -> None:
    from protocol_app.config import Settings

    Settings(default_travel_minutes=35).save()  # the office's own default, not the built-in
    assert demo_services.travel.default_travel_minutes == 35
    dialog = open_dialog(demo_services)

    assert dialog.windowTitle() == "Travel times between venues"
    assert "35" in dialog.heading.text() and "default" in dialog.heading.text()
    assert dialog.body.currentWidget() is dialog.empty
    assert "No travel times on record" in dialog.empty.text() and "35" in dialog.empty.text()
    names = [v.name for v in demo_services.travel.venues()]
    assert len(names) >= 3
    assert [dialog.from_box.itemText(i) for i in range(dialog.from_box.count())] == names
    assert [dialog.to_box.itemText(i) for i in range(dialog.to_box.count())] == names
    assert dialog.from_box.currentIndex() != dialog.to_box.currentIndex()
    assert dialog.add_button.isEnabled() and dialog.add_button.text() == "Add"
    assert dialog.minutes_spin.value() == 35
    assert not dialog.remove_button.isEnabled()
    assert dialog.width() >= 640 and dialog.height() >= 460


def test_add_a_pair_with_the_form_then_set_it_again(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog],
        qtbot: Any) -> None:
    v = venue_ids(demo_services)
    default = demo_services.travel.default_travel_minutes
    dialog = open_dialog(demo_services)
    choose(dialog, v[INN], v[HALL])
    dialog.minutes_spin.setValue(default + 17)

    with qtbot.waitSignal(dialog.changed, timeout=2000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert demo_services.travel.travel_time(v[HALL], v[INN]) == default + 17
    assert table_rows(dialog) == [(HALL, INN, str(default + 17))]  # by names: Founders first
    assert dialog.body.currentWidget() is dialog.table
    assert dialog.selected() is not None and dialog.remove_button.isEnabled()
    assert "added" in dialog.status.text()
    # the pair is on record now: the button says so, and updates it
    assert dialog.add_button.text() == "Set"
    assert f"On record: {default + 17}" in dialog.form_hint.text()
    dialog.minutes_spin.setValue(5)
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert demo_services.travel.travel_time(v[INN], v[HALL]) == 5
    assert table_rows(dialog) == [(HALL, INN, "5")]
    assert f"was {default + 17}" in dialog.status.text()
    assert len(demo_services.travel.travel_times()) == 1


def test_selecting_a_row_puts_the_pair_in_the_form(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog]) -> None:
    v = venue_ids(demo_services)
    demo_services.travel.set_travel_time(v[INN], v[HALL], 12)
    demo_services.travel.set_travel_time(v[AIRPORT], v[INN], 50)
    dialog = open_dialog(demo_services)
    assert [r[:2] for r in table_rows(dialog)] == [(HALL, INN), (INN, AIRPORT)]

    dialog.table.selectRow(1)
    assert dialog.from_box.currentData() == v[INN]
    assert dialog.to_box.currentData() == v[AIRPORT]
    assert dialog.minutes_spin.value() == 50 and dialog.add_button.text() == "Set"


def test_edit_the_minutes_cell_through_its_spin_box(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog],
        qtbot: Any) -> None:
    v = venue_ids(demo_services)
    demo_services.travel.set_travel_time(v[INN], v[HALL], 12)
    dialog = open_dialog(demo_services)
    dialog.table.setFocus()
    dialog.table.selectRow(0)

    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter edits the minutes, adds nothing
    assert dialog.table.state() == QAbstractItemView.State.EditingState
    editor = dialog.table.findChild(QSpinBox, "minutesEditor")
    assert editor is not None and editor.value() == 12
    assert (editor.minimum(), editor.maximum()) == (0, 1440)
    editor.setValue(42)
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)

    assert demo_services.travel.travel_time(v[HALL], v[INN]) == 42
    qtbot.waitUntil(lambda: table_rows(dialog) == [(HALL, INN, "42")], timeout=2000)
    assert len(demo_services.travel.travel_times()) == 1
    assert "42 min (was 12)" in dialog.status.text()


def test_an_invalid_value_shows_the_service_message_and_changes_nothing(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog],
        qtbot: Any) -> None:
    v = venue_ids(demo_services)
    demo_services.travel.set_travel_time(v[INN], v[HALL], 12)
    dialog = open_dialog(demo_services)
    cell = dialog.model.index(0, TravelTimesModel.MINUTES)

    with qtbot.assertNotEmitted(dialog.changed):
        assert dialog.model.setData(cell, 5000) is False
    box = error_box(dialog)
    assert box is not None, "no error shown"
    assert box.windowTitle() == "Not saved" and "0 to 1440" in box.text()
    close_error(dialog)
    assert demo_services.travel.travel_time(v[INN], v[HALL]) == 12
    qtbot.wait(20)  # the table is read again once the edit is over
    assert table_rows(dialog) == [(HALL, INN, "12")]
    assert dialog.status.text() == "Not saved."


def test_a_refused_write_is_shown_and_the_table_read_again(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog],
        monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    v = venue_ids(demo_services)
    dialog = open_dialog(demo_services)
    choose(dialog, v[INN], v[HALL])
    # someone else stores this pair meanwhile; then the office's write is refused
    demo_services.travel.set_travel_time(v[INN], v[HALL], 33)

    def refuse(*_args: Any) -> None:
        raise ConflictError("The database is busy; try again.")

    monkeypatch.setattr(demo_services.travel, "set_travel_time", refuse)
    with qtbot.assertNotEmitted(dialog.changed):
        assert dialog.add_from_form() is False
    box = error_box(dialog)
    assert box is not None and box.text() == "The database is busy; try again."
    close_error(dialog)
    assert table_rows(dialog) == [(HALL, INN, "33")]  # what the database holds


def test_remove_with_the_button_then_with_the_delete_key(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog],
        qtbot: Any) -> None:
    v = venue_ids(demo_services)
    default = demo_services.travel.default_travel_minutes
    demo_services.travel.set_travel_time(v[INN], v[HALL], 12)
    demo_services.travel.set_travel_time(v[AIRPORT], v[INN], 50)
    dialog = open_dialog(demo_services)
    dialog.table.selectRow(0)

    with qtbot.waitSignal(dialog.changed, timeout=2000):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert demo_services.travel.travel_time(v[INN], v[HALL]) == default != 12
    assert table_rows(dialog) == [(INN, AIRPORT, "50")]
    assert dialog.status.text() == f"{HALL} ↔ {INN} now uses the default ({default} min)."
    assert dialog.selected() is not None  # the neighbour, ready for the next Delete

    dialog.table.setFocus()
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert demo_services.travel.travel_time(v[AIRPORT], v[INN]) == default != 50
    assert demo_services.travel.travel_times() == []
    assert table_rows(dialog) == []
    assert dialog.body.currentWidget() is dialog.empty
    assert not dialog.remove_button.isEnabled()
    with qtbot.assertNotEmitted(dialog.changed):
        assert dialog.remove_selected() is False


def test_the_same_venue_twice_cannot_be_added(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog]) -> None:
    v = venue_ids(demo_services)
    dialog = open_dialog(demo_services)
    choose(dialog, v[INN], v[HALL])
    assert dialog.add_button.isEnabled()

    choose(dialog, v[INN], v[INN])
    assert not dialog.add_button.isEnabled()
    assert dialog.form_hint.text() == SAME_VENUE
    assert dialog.add_from_form() is False
    assert demo_services.travel.travel_times() == []


def test_a_database_without_venues_says_where_venues_come_from(
        services: Any, open_dialog: Callable[[Any], TravelTimesDialog]) -> None:
    assert services.travel.venues() == []
    dialog = open_dialog(services)

    assert dialog.body.currentWidget() is dialog.empty
    assert dialog.empty.text() == NO_VENUES and dialog.empty.isVisible()
    for widget in (dialog.from_box, dialog.to_box, dialog.minutes_spin, dialog.add_button,
                   dialog.remove_button):
        assert not widget.isEnabled(), widget.objectName()
    assert dialog.add_from_form() is False


def test_one_venue_is_not_enough(services: Any,
                                 open_dialog: Callable[[Any], TravelTimesDialog]) -> None:
    visit = services.visits.create(title="Short visit", timezone="Europe/Athens",
                                   start_date=date(2027, 5, 3), end_date=date(2027, 5, 3),
                                   country="GR")
    services.events.create(visit.id, title="Talk", venue_name="Μέγαρο Μαξίμου",
                           start=datetime(2027, 5, 3, 9, tzinfo=UTC),
                           end=datetime(2027, 5, 3, 10, tzinfo=UTC))
    dialog = open_dialog(services)

    assert dialog.from_box.currentText() == "Μέγαρο Μαξίμου"
    assert dialog.from_box.isEnabled() and not dialog.add_button.isEnabled()
    assert dialog.form_hint.text() == TOO_FEW_VENUES
    assert "No travel times on record" in dialog.empty.text()


# -- keyboard and accessibility ------------------------------------------------------------


def test_every_control_has_a_name_and_the_tab_order_follows_the_layout(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog]) -> None:
    dialog = open_dialog(demo_services)
    by_name = {name: dialog.findChild(QWidget, name) for name in (
        "travelTimesTable", "removeTravelTime", "fromVenue", "toVenue", "minutesSpin",
        "addTravelTime")}
    assert all(by_name.values()), by_name
    controls = [*by_name.values(), dialog.close_button]
    for widget in controls:
        assert widget.accessibleName(), widget.objectName() or widget.text()

    order: list[QWidget] = []
    widget = dialog.table
    for _ in range(200):
        if widget in controls and widget not in order:
            order.append(widget)
        widget = widget.nextInFocusChain()
    assert order == controls
    assert not dialog.table.tabKeyNavigation()  # Tab leaves the table


@pytest.mark.parametrize("how", ["escape", "close button"])
def test_escape_and_close_close_it(how: str, demo_services: Any,
                                   open_dialog: Callable[[Any], TravelTimesDialog],
                                   qtbot: Any) -> None:
    dialog = open_dialog(demo_services)
    if how == "escape":
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    else:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == TravelTimesDialog.DialogCode.Rejected


def test_the_table_is_wide_enough_for_the_names_on_record(
        demo_services: Any, open_dialog: Callable[[Any], TravelTimesDialog]) -> None:
    v = venue_ids(demo_services)
    demo_services.travel.set_travel_time(v[INN], v[AIRPORT], 50)
    dialog = open_dialog(demo_services)
    table = dialog.table
    fm = table.fontMetrics()
    for column, name in ((TravelTimesModel.FROM, INN), (TravelTimesModel.TO, AIRPORT)):
        assert table.columnWidth(column) > fm.horizontalAdvance(name), name
    right = sum(table.columnWidth(c) for c in range(3))
    assert right <= table.viewport().width() + 1  # no horizontal scrolling


def test_the_edit_menu_opens_it_and_the_open_visit_is_checked_again(
        demo_services: Any, make_window: Any, qtbot: Any) -> None:
    """Edit → Travel times…: the dialog opens over the window; a change runs the open
    visit's clash checks again, with the new minutes."""
    window = make_window(demo_services)
    assert window.menu_actions.act_travel_times in window.menu_actions.edit_menu.actions()
    window.menu_actions.act_travel_times.trigger()  # no visit open: the dialog alone
    alone = window.findChild(TravelTimesDialog)
    assert alone is not None and alone.isVisible()
    alone.close()
    alone.deleteLater()
    qtbot.waitUntil(lambda: window.findChild(TravelTimesDialog) is None)
    visit_id = demo_services.visits.resolve("vn-moet-minister-2027")
    assert window.visit_actions.open_visit(visit_id)
    window.menu_actions.act_travel_times.trigger()
    dialog = window.findChild(TravelTimesDialog)
    assert dialog is not None and dialog.isVisible()
    checks = window.workspace.findings
    before = len(checks.findings())
    founders, kessler = (next(v for v in demo_services.travel.venues() if v.name == name)
                         for name in ("Founders Hall", "Kessler Engineering Center"))
    with qtbot.waitSignal(checks.checked):
        assert dialog.set_pair(founders.id, kessler.id, 5)
    assert demo_services.travel.travel_time(founders.id, kessler.id) == 5
    assert len(checks.findings()) == before - 1
    dialog.close()
