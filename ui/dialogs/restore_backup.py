"""File → Restore from backup…: the backups kept beside the database, with their dates,
sizes and reasons; the chosen one replaces the database (the replaced one is kept aside).

Entry point: ``RestoreBackupDialog.for_services(services, parent).exec()``; after it is
accepted, ``restored_from`` and ``kept_aside`` say what happened and the window must
reload everything it shows (the database's content changed under it).  The dialog only
calls the core (``protocol_app.db.scheduled``): listing and restoring are use cases
there, usable headless (``protocol-app backups``, ``protocol-app restore``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError

_REASONS = {"scheduled": "Daily backup", "replaced": "Replaced by a restore"}


def describe_reason(reason: str) -> str:
    """``Before the upgrade to schema 0006`` for ``before-0006``..."""
    if reason.startswith("before-"):
        return f"Before the upgrade to schema {reason.removeprefix('before-')}"
    return _REASONS.get(reason, reason.replace("-", " ").capitalize())


def human_size(size: int) -> str:
    """``812 KB``, ``3.4 MB``."""
    if size < 1_048_576:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1_048_576:.1f} MB"


class RestoreBackupDialog(QDialog):
    """Choose a backup and restore it."""

    def __init__(self, backups: Sequence[Any], restore: Callable[[Path], Path],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreBackupDialog")
        self.setWindowTitle("Restore from backup")
        self.resize(640, 360)
        self._backups = list(backups)
        self._restore = restore
        self.restored_from: Path | None = None
        self.kept_aside: Path | None = None

        layout = QVBoxLayout(self)
        intro = QLabel("Choose the backup to bring back. The database as it is now is kept "
                       "aside in the backups folder, never deleted.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(len(self._backups), 3, self)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(["Taken", "Size", "Why"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, backup in enumerate(self._backups):
            taken = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
            size = QTableWidgetItem(human_size(backup.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate((QTableWidgetItem(taken), size,
                                           QTableWidgetItem(describe_reason(backup.reason)))):
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)

        self.empty = QLabel("There are no backups yet. One is taken each day the app opens.")
        self.empty.setVisible(not self._backups)
        layout.addWidget(self.empty)

        self.error = QLabel()
        self.error.setObjectName("restoreError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(
            "Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self._restore_chosen)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._restore_chosen())

    @classmethod
    def for_services(cls, services: Any, parent: QWidget | None = None
                     ) -> RestoreBackupDialog:
        """The dialog over the open database of ``services`` and the backups folder."""
        from protocol_app import config
        from protocol_app.db.scheduled import list_backups, restore_open_database

        db = services.db
        found = list_backups(config.backup_dir(), db.path) if db.path is not None else []
        return cls(found, lambda source: restore_open_database(db, source), parent)

    def chosen(self) -> Any | None:
        """The selected backup, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)
        self.error.hide()

    def _restore_chosen(self) -> None:
        backup = self.chosen()
        if backup is None:
            return
        try:
            self.kept_aside = self._restore(backup.path)
        except ProtocolError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.restored_from = backup.path
        self.accept()
