"""The main window driven through whole tasks, with the real widgets over a real SQLite
file: start, create, edit, undo, stale writes, unsaved edits, state between sessions."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from protocol_app.services import Services
from ui.dialogs.stale import StaleWriteDialog
from ui.dialogs.visit_editor import DuplicateVisitDialog, VisitEditorDialog, to_qdate
from ui.pages.visit_workspace import VisitWorkspace

VISIT = "vn-moet-minister-2027"
ROOT = Path(__file__).resolve().parents[2]


def open_demo_visit(window, services, ref: str = VISIT) -> VisitWorkspace:
    visit_id = services.visits.resolve(ref)
    assert window.open_visit(visit_id)
    assert window.current_page() == window.PAGE_VISIT
    return window.workspace


# -- start ---------------------------------------------------------------------------
def test_the_list_is_read_after_show_not_before(services, fusion_app, ui_settings, qtbot):
    from ui.main_window import MainWindow

    services.visits.create(title="Visit of the Rector", country="JP",
                           timezone="Asia/Tokyo", start_date=date(2027, 5, 10),
                           end_date=date(2027, 5, 12))
    window = MainWindow(services, ui_settings)
    qtbot.addWidget(window)
    assert not window.visits_page.is_loaded()
    assert window.visits_page.model.rowCount() == 0
    with qtbot.waitSignal(window.visits_loaded) as loaded:
        window.show()
    assert loaded.args == [1]
    assert window.current_page() == window.PAGE_VISITS
    assert window.visits_page.model.row_at(0).title == "Visit of the Rector"


def test_welcome_page_on_an_empty_database_opens_the_samples(services, make_window, qtbot):
    window = make_window(services)
    assert window.current_page() == window.PAGE_WELCOME
    page = window.welcome_page
    assert [b.text() for b in (page.samples_button, page.import_button, page.new_button)] == [
        "Open the sample visits", "Import a visit package…", "New visit"]
    assert page.samples_button.hasFocus() or not window.isActiveWindow()
    with qtbot.waitSignal(window.visits_loaded, timeout=20_000):
        page.samples_button.click()
        assert not page.samples_button.isEnabled()  # busy while loading in the background
    qtbot.waitUntil(lambda: window.current_page() == window.PAGE_VISITS)
    assert window.visits_page.model.rowCount() == 3
    assert len(services.visits.list()) == 3


# -- create, edit, undo ----------------------------------------------------------------
def test_create_a_visit_through_the_dialog(services, make_window, modal, qtbot):
    window = make_window(services)

    def fill(dialog: VisitEditorDialog) -> None:
        form = dialog.form
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()  # title missing
        assert dialog.isVisible() and not form.problems_label.isHidden()
        assert "Title" in form.problems_label.text()
        qtbot.keyClicks(form.title, "Visit of the President of Kyoto University")
        form.country.setEditText("Japan (JP)")
        form.timezone.setEditText("Asia/Tokyo")
        form.start.setDate(to_qdate(date(2027, 5, 10)))
        form.end.setDate(to_qdate(date(2027, 5, 12)))
        dialog.findChild(type(dialog.buttons.button(dialog.buttons.StandardButton.Save)),
                         "saveVisitButton").click()

    modal.next(fill, kind=VisitEditorDialog)
    window.act_new_visit.trigger()
    [row] = services.visits.list()
    assert (row.title, row.country, row.timezone, row.start_date, row.end_date) == (
        "Visit of the President of Kyoto University", "JP", "Asia/Tokyo", date(2027, 5, 10),
        date(2027, 5, 12))
    assert window.current_page() == window.PAGE_VISIT
    assert window.workspace.title.text() == row.title
    # Creating is undoable like any edit.
    window.act_undo.trigger()
    assert services.visits.list() == []
    window.act_redo.trigger()
    assert [v.title for v in services.visits.list()] == [row.title]


def test_edit_the_overview_save_undo_and_redo(demo_services, make_window, qtbot):
    window = make_window(demo_services)
    ws = open_demo_visit(window, demo_services)
    overview = ws.overview
    original = overview.visit.title
    assert not overview.save_button.isEnabled()
    qtbot.keyClicks(overview.form.title, " (revised)")
    assert overview.has_unsaved_changes() and overview.save_button.isEnabled()
    assert window.isWindowModified()
    window.act_save.trigger()  # Ctrl+S
    visit_id = overview.visit.id
    assert demo_services.visits.get(visit_id).title == original + " (revised)"
    assert not overview.has_unsaved_changes()
    assert window.undo_stack.count() == 1
    assert "Undo Edit title" in window.act_undo.text().replace("&", "")

    window.act_undo.trigger()
    assert demo_services.visits.get(visit_id).title == original
    assert overview.form.title.text() == original
    assert ws.title.text() == original
    window.act_redo.trigger()
    assert demo_services.visits.get(visit_id).title == original + " (revised)"
    assert overview.form.title.text() == original + " (revised)"


def test_edits_that_break_a_rule_are_shown_in_the_form(demo_services, make_window, qtbot):
    window = make_window(demo_services)
    overview = open_demo_visit(window, demo_services).overview
    overview.form.end.setDate(to_qdate(date(2027, 3, 1)))  # before the start
    qtbot.keyClicks(overview.form.organizer_email, "x")
    overview.form.organizer_email.setText("not an address")
    overview.form.organizer_email.textEdited.emit("not an address")
    assert not overview.save()
    text = overview.form.problems_label.text()
    assert "End" in text and "Organizer e-mail" in text
    assert demo_services.visits.get(VISIT).end_date == date(2027, 3, 14)


# -- stale writes ------------------------------------------------------------------------
def test_a_stale_write_shows_what_changed_and_overwrites_nothing(demo_services, db_path,
                                                                   make_window, modal, qtbot):
    window = make_window(demo_services)
    ws = open_demo_visit(window, demo_services)
    visit = ws.visit
    colleague = Services.open(db_path, actor="colleague")
    try:
        colleague.visits.update(visit.id, visit.version, responsible_officer="Jordan Lee",
                                title="Official visit of the Minister (changed by Jordan)")
    finally:
        colleague.close()
    qtbot.keyClicks(ws.overview.form.purpose, " Updated by me.")

    seen: dict[str, object] = {}

    def inspect(dialog: StaleWriteDialog) -> None:
        table = dialog.table
        rows = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
                for r in range(table.rowCount())}
        seen.update(rows)
        dialog.findChild(type(dialog.reload_button), "notNowButton").click()

    modal.next(inspect, kind=StaleWriteDialog)
    assert not ws.save()
    assert seen["Responsible officer"] == ("(empty)", "Jordan Lee")
    assert seen["Title"][1] == "Official visit of the Minister (changed by Jordan)"
    stored = demo_services.visits.get(visit.id)
    assert stored.title == "Official visit of the Minister (changed by Jordan)"
    assert not stored.purpose.endswith("Updated by me.")
    assert ws.overview.has_unsaved_changes()  # "Not now" keeps the edits on screen

    modal.click("Reload", kind=StaleWriteDialog)
    assert not ws.save()
    assert not ws.overview.has_unsaved_changes()
    assert ws.overview.form.title.text() == stored.title
    assert ws.overview.form.responsible_officer.text() == "Jordan Lee"
    assert window.undo_stack.count() == 0


def test_a_change_elsewhere_in_the_visit_does_not_block_saving(demo_services, db_path,
                                                                make_window, qtbot):
    window = make_window(demo_services)
    ws = open_demo_visit(window, demo_services)
    colleague = Services.open(db_path, actor="colleague")
    try:  # adds a gift: the visit's version rises, its fields stay as the user saw them
        colleague.gifts.create(ws.visit.id, direction="received", description="Tea")
    finally:
        colleague.close()
    qtbot.keyClicks(ws.overview.form.responsible_officer, "Alex Morgan")
    assert ws.save()
    assert demo_services.visits.get(ws.visit.id).responsible_officer == "Alex Morgan"


# -- unsaved edits ---------------------------------------------------------------------
def test_closing_with_unsaved_edits_asks_first(demo_services, make_window, modal, qtbot):
    window = make_window(demo_services)
    ws = open_demo_visit(window, demo_services)
    qtbot.keyClicks(ws.overview.form.responsible_officer, "Alex Morgan")

    modal.message_box(QMessageBox.StandardButton.Cancel, name="unsavedChangesDialog")
    assert window.close() is False
    assert window.isVisible() and ws.overview.has_unsaved_changes()

    modal.message_box(QMessageBox.StandardButton.Save, name="unsavedChangesDialog")
    assert window.close() is True
    assert demo_services.visits.get(VISIT).responsible_officer == "Alex Morgan"


def test_leaving_the_overview_tab_with_edits_asks_first(demo_services, make_window, modal,
                                                         qtbot):
    window = make_window(demo_services)
    ws = open_demo_visit(window, demo_services)
    qtbot.keyClicks(ws.overview.form.title, "!")
    modal.message_box(QMessageBox.StandardButton.Cancel, name="unsavedChangesDialog")
    ws.tabs.setCurrentIndex(ws.DELEGATION)
    assert ws.tabs.currentIndex() == ws.OVERVIEW and ws.overview.has_unsaved_changes()

    modal.message_box(QMessageBox.StandardButton.Discard, name="unsavedChangesDialog")
    ws.tabs.setCurrentIndex(ws.DELEGATION)
    assert ws.tabs.currentIndex() == ws.DELEGATION
    assert not ws.overview.has_unsaved_changes()
    assert not demo_services.visits.get(VISIT).title.endswith("!")


def test_opening_another_visit_asks_about_unsaved_edits(demo_services, make_window, modal,
                                                         qtbot):
    window = make_window(demo_services)
    ws = open_demo_visit(window, demo_services)
    qtbot.keyClicks(ws.overview.form.title, "!")
    other = demo_services.visits.resolve("in-ambassador-courtesy-call-2027")
    modal.message_box(QMessageBox.StandardButton.Cancel, name="unsavedChangesDialog")
    assert not window.open_visit(other)
    assert ws.visit.public_id == VISIT
    modal.message_box(QMessageBox.StandardButton.Save, name="unsavedChangesDialog")
    assert window.open_visit(other)
    assert ws.visit.id == other
    assert demo_services.visits.get(VISIT).title.endswith("!")


# -- visits list -------------------------------------------------------------------------
def test_filter_as_you_type_by_status_and_by_dates(demo_services, make_window, qtbot):
    window = make_window(demo_services)
    page = window.visits_page
    window.act_find.trigger()  # Ctrl+F
    assert QApplication.focusWidget() is page.filter_edit or not window.isActiveWindow()
    qtbot.keyClicks(page.filter_edit, "india")
    assert page.proxy.rowCount() == 1
    assert page.count_label.text() == "1 of 3 shown"
    page.filter_edit.clear()
    page.filter_edit.setText("Võ")  # the head of delegation (QTest types ASCII only)
    assert [page.proxy.visit_at(0).public_id] == [VISIT]
    page.clear_filters()
    page.status_combo.setCurrentIndex(page.status_combo.findData("planned"))
    assert page.proxy.rowCount() == 1
    page.status_combo.setCurrentIndex(0)
    page.dates_combo.setCurrentIndex(page.dates_combo.findData("custom"))
    assert page.date_from.isVisible()
    page.date_from.setDate(to_qdate(date(2027, 4, 1)))
    page.date_to.setDate(to_qdate(date(2027, 4, 30)))
    assert [page.proxy.visit_at(r).public_id for r in range(page.proxy.rowCount())] == [
        "in-ambassador-courtesy-call-2027"]
    page.clear_filters()
    assert page.proxy.rowCount() == 3


def test_duplicate_as_template_cancel_and_delete(demo_services, make_window, modal, qtbot,
                                                 app_home):
    window = make_window(demo_services)
    source = demo_services.visits.get(VISIT)
    window.visits_page.select_visit(source.id)

    def choose_date(dialog: DuplicateVisitDialog) -> None:
        dialog.start.setDate(to_qdate(date(2028, 3, 9)))
        dialog.title.setText("Official visit of the Minister (2028)")
        dialog.accept()

    modal.next(choose_date, kind=DuplicateVisitDialog)
    window.act_duplicate.trigger()  # Ctrl+D
    copy = window.workspace.visit
    assert copy.id != source.id and copy.title == "Official visit of the Minister (2028)"
    assert (copy.start_date, copy.end_date, copy.status) == (date(2028, 3, 9),
                                                             date(2028, 3, 12), "proposed")
    assert len(copy.events) == len(source.events)
    assert len(copy.participants) == len(source.participants)

    modal.click("Cancel visit", name="confirmDialog")
    window.act_cancel_visit.trigger()
    assert demo_services.visits.get(copy.id).status == "cancelled"
    assert window.workspace.chip.text() == "Cancelled"
    window.act_undo.trigger()
    assert demo_services.visits.get(copy.id).status == "proposed"

    modal.click("Cancel", name="confirmDialog")  # asked, and refused: nothing deleted
    window.act_delete_visit.trigger()
    assert demo_services.visits.get(copy.id)
    modal.click("Delete visit", name="confirmDialog")
    window.act_delete_visit.trigger()
    assert copy.id not in {v.id for v in demo_services.visits.list()}
    assert window.current_page() == window.PAGE_VISITS
    kept = list((app_home / "data" / "deleted-visits").glob(f"{copy.public_id}-*.json"))
    assert len(kept) == 1  # the deleted visit can be imported back


def test_delete_key_in_the_list_asks_before_deleting(demo_services, make_window, modal, qtbot):
    window = make_window(demo_services)
    window.activateWindow()
    table = window.visits_page.table
    table.setFocus()
    window.visits_page.select_visit(demo_services.visits.resolve(VISIT))
    modal.click("Cancel", name="confirmDialog")
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: modal.seen != [], timeout=3000)
    assert len(demo_services.visits.list()) == 3


def test_a_visit_in_calendars_is_not_offered_for_deletion(demo_services, make_window, qtbot,
                                                          app_home, tmp_path):
    """Invitations were sent: the window says why it cannot delete, before asking, and
    writes no package copy."""
    from protocol_app.invites.service import InviteService

    InviteService(demo_services.db, demo_services.actor).write_messages(VISIT, tmp_path)
    window = make_window(demo_services)
    window.visits_page.select_visit(demo_services.visits.resolve(VISIT))
    assert window.delete_visit() is False
    errors = [w for w in QApplication.topLevelWidgets()
              if w.objectName() == "errorDialog" and w.isVisible()]
    assert errors and "in people's calendars" in errors[-1].text()
    errors[-1].close()
    assert len(demo_services.visits.list()) == 3
    assert not (app_home / "data" / "deleted-visits").exists()


# -- state between sessions ----------------------------------------------------------------
def test_geometry_and_the_last_open_visit_are_restored(demo_services, make_window, tmp_path):
    settings = QSettings(str(tmp_path / "session.ini"), QSettings.Format.IniFormat)
    first = make_window(demo_services, settings)
    first.resize(960, 700)  # the offscreen screen is small: stay within it
    open_demo_visit(first, demo_services)
    assert first.close()
    settings.sync()

    second = make_window(demo_services, QSettings(str(tmp_path / "session.ini"),
                                                  QSettings.Format.IniFormat))
    assert second.current_page() == second.PAGE_VISIT
    assert second.workspace.visit.public_id == VISIT
    assert (second.width(), second.height()) == (960, 700)  # not the default 1440×900
    assert not second.nav_items[second.PAGE_VISIT].isHidden()


# -- menus, shortcuts, accessibility ---------------------------------------------------------
def test_every_action_is_in_a_menu_with_the_standard_shortcuts(demo_services, make_window):
    window = make_window(demo_services)
    names = {a.objectName(): a for a in window.findChildren(type(window.act_save))}
    assert names["actionNewVisit"].shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert names["actionFind"].shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert names["actionSave"].shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert names["actionUndo"].shortcut() == QKeySequence("Ctrl+Z")
    assert QKeySequence("Ctrl+Shift+Z") in names["actionRedo"].shortcuts()
    assert names["actionDeleteVisit"].shortcut() == QKeySequence(Qt.Key.Key_Delete)
    visit_menu = window.visit_menu.actions()
    for name in ("actionSendInvites", "actionExportCalendar", "actionBriefingBook"):
        assert names[name] in visit_menu
    menus = [a.menu().objectName() for a in window.menuBar().actions()]
    assert menus == ["menuFile", "menuEdit", "menuVisit", "menuGo", "menuHelp"]
    # The lead wires the placeholders with one call; they follow the current visit.
    called: list[int] = []
    window.wire_visit_action(names["actionBriefingBook"], called.append)
    visit_id = demo_services.visits.resolve(VISIT)
    window.visits_page.select_visit(visit_id)
    assert names["actionBriefingBook"].isEnabled()
    names["actionBriefingBook"].trigger()
    assert called == [visit_id]


def test_controls_have_accessible_names_and_the_tab_order_follows_the_form(demo_services,
                                                                            make_window):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
    )

    window = make_window(demo_services)
    ws = open_demo_visit(window, demo_services)
    form = ws.overview.form
    unnamed = []
    for page in (window.visits_page, ws.overview, ws.delegation, ws.gifts):
        widgets = [w for kind in (QLineEdit, QComboBox, QPlainTextEdit)
                   for w in page.findChildren(kind)]
        for widget in widgets:
            parent = widget.parentWidget()
            if isinstance(parent, QComboBox | QAbstractSpinBox):
                continue  # the line edit inside an editable combo box or a date field
            if not widget.accessibleName():
                unnamed.append(f"{type(widget).__name__} in {page.objectName()}")
    assert unnamed == []
    for button in window.welcome_page.findChildren(QAbstractButton):
        assert button.accessibleName()

    chain = [form.title, form.purpose, form.status, form.start, form.end, form.country,
             form.timezone, form.organizer_name, form.organizer_email, form.responsible_officer]
    for current, expected in itertools.pairwise(chain):
        nxt = current.nextInFocusChain()
        while nxt.parentWidget() is current or (
                nxt.focusPolicy() == Qt.FocusPolicy.NoFocus):
            nxt = nxt.nextInFocusChain()
        assert nxt is expected or nxt.parentWidget() is expected, (current.accessibleName(),
                                                                    nxt)


def test_cold_start_stays_light(services, db_path, tmp_path):
    code = f"""
import sys
from ui.app import create_application
from protocol_app.services import Services
from ui.main_window import MainWindow
from PySide6.QtCore import QSettings
app = create_application(["x"])
services = Services.open({str(db_path)!r})
window = MainWindow(services, QSettings({str(tmp_path / 'w.ini')!r}, QSettings.Format.IniFormat))
assert not window.visits_page.is_loaded(), "the list was read before show()"
window.show()
while not window.visits_page.is_loaded():
    app.processEvents()
heavy = sorted(m for m in ("alembic", "reportlab", "icalendar") if m in sys.modules)
assert not heavy, heavy
print("ok")
"""
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr


def test_the_visit_outputs_open_their_dialogs(demo_services, make_window, qtbot):
    from ui.dialogs.briefing import BriefingDialog
    from ui.dialogs.send_invites import SendInvitesDialog

    window = make_window(demo_services)
    qtbot.waitUntil(lambda: window.visits_page.is_loaded(), timeout=10_000)
    visit = demo_services.visits.get("vn-moet-minister-2027")
    assert window.open_visit(visit.id)
    assert window.act_briefing.isEnabled() and window.act_send_invites.isEnabled()
    window.act_briefing.trigger()
    window.act_send_invites.trigger()
    dialogs = {type(w) for w in window.findChildren(QWidget) if w.isVisible()}
    assert BriefingDialog in dialogs and SendInvitesDialog in dialogs
    for w in window.findChildren(QWidget):
        if isinstance(w, BriefingDialog | SendInvitesDialog):
            w.close()
