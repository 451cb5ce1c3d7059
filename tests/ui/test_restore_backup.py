"""File → Restore from backup…: the dialog lists the real backups beside a real SQLite
file and restores the chosen one through the core's restore."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt

from protocol_app import config
from protocol_app.db.scheduled import take_scheduled_backup
from ui.dialogs.restore_backup import RestoreBackupDialog, describe_reason, human_size


def _visit_count(services: Any) -> int:
    return len(services.visits.list())


def test_the_dialog_lists_backups_and_restores_the_chosen_one(qtbot: Any, fusion_app: Any,
                                                              demo_services: Any) -> None:
    s = demo_services
    db_path = s.db.path
    older = take_scheduled_backup(db_path, config.backup_dir(),
                                  datetime(2027, 1, 5, 8, 30, tzinfo=UTC))
    s.visits.delete("in-ambassador-courtesy-call-2027")
    newer = take_scheduled_backup(db_path, config.backup_dir(),
                                  datetime(2027, 1, 7, 8, 30, tzinfo=UTC))
    s.visits.delete("vn-moet-minister-2027")
    assert _visit_count(s) == 1

    dialog = RestoreBackupDialog.for_services(s)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    assert table.rowCount() == 2 and not dialog.empty.isVisibleTo(dialog)
    local = datetime(2027, 1, 7, 8, 30, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert [table.item(0, c).text() for c in range(3)] == [
        local, human_size(newer.stat().st_size), "Daily backup"]
    assert table.item(1, 0).toolTip() == str(older)
    assert not dialog.restore_button.isEnabled()

    table.selectRow(1)  # the older one: all three visits
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == RestoreBackupDialog.DialogCode.Accepted
    assert dialog.restored_from == older
    assert dialog.kept_aside is not None and dialog.kept_aside.exists()
    assert _visit_count(s) == 3  # the same services see the restored file
    conn = sqlite3.connect(dialog.kept_aside)
    assert conn.execute("SELECT count(*) FROM visits").fetchone() == (1,)
    conn.close()


def test_a_backup_that_cannot_be_restored_shows_why_and_changes_nothing(
        qtbot: Any, fusion_app: Any, demo_services: Any) -> None:
    s = demo_services
    made = take_scheduled_backup(s.db.path, config.backup_dir(), datetime.now(UTC))
    made.write_bytes(b"Dear colleagues, this is not a database.")
    dialog = RestoreBackupDialog.for_services(s)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.restored_from is None
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text() == (f"{made} cannot be restored: not an SQLite database. "
                                   "Nothing was changed.")
    assert _visit_count(s) == 3


def test_no_backups_yet(qtbot: Any, fusion_app: Any, services: Any) -> None:
    dialog = RestoreBackupDialog.for_services(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 0 and dialog.empty.isVisibleTo(dialog)
    assert not dialog.restore_button.isEnabled()


def test_reasons_and_sizes_read_well() -> None:
    assert describe_reason("before-0006") == "Before the upgrade to schema 0006"
    assert describe_reason("replaced") == "Replaced by a restore"
    assert human_size(300) == "1 KB" and human_size(5 * 1_048_576 + 1) == "5.0 MB"


def test_the_file_menu_restores_a_backup_and_the_window_reads_everything_again(
        qtbot: Any, make_window: Any, demo_services: Any, modal: Any) -> None:
    s = demo_services
    made = take_scheduled_backup(s.db.path, config.backup_dir(),
                                 datetime(2027, 1, 5, 8, 30, tzinfo=UTC))
    window = make_window(s)
    s.visits.delete("in-ambassador-courtesy-call-2027")
    window.reload_visits()
    assert window.visits_page.model.rowCount() == 2
    act = window.menu_actions.act_restore
    assert act in window.menu_actions.file_menu.actions() and act.isEnabled()

    def choose_and_restore(dialog: Any) -> None:
        rows = [dialog.table.item(r, 0).toolTip() for r in range(dialog.table.rowCount())]
        dialog.table.selectRow(rows.index(str(made)))
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        if dialog.isVisible():  # never leave exec() waiting: fail with the dialog's reason
            reason = dialog.error.text()
            dialog.reject()
            raise AssertionError(f"the restore did not finish: {reason}")

    modal.next(choose_and_restore, kind=RestoreBackupDialog)
    act.trigger()
    qtbot.waitUntil(lambda: window.visits_page.model.rowCount() == 3)
    assert "Restored from" in window.statusBar().currentMessage()


def test_the_daily_backup_is_taken_in_the_background_once_the_database_is_open(
        qtbot: Any, make_window: Any, demo_services: Any) -> None:
    from protocol_app.db.scheduled import list_backups
    from ui.app import _take_scheduled_backup

    window = make_window(demo_services)
    assert list_backups(config.backup_dir(), demo_services.db.path) == []
    _take_scheduled_backup(window)
    qtbot.waitUntil(lambda: len(list_backups(config.backup_dir(), demo_services.db.path)) == 1)
    _take_scheduled_backup(window)  # a second start the same day takes none
    qtbot.wait(300)
    assert len(list_backups(config.backup_dir(), demo_services.db.path)) == 1
