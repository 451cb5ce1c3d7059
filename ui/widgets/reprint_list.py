"""The printed items that are out of date, and "Reprint…" that prints only those.

``ReprintList.set_visit(visit_id)`` reads ``services.editions.out_of_date``; each line
names the item (the guests' book, a personal copy, the place cards of an event...) and
why.  "Reprint…" asks for a folder and has ``services.editions.reprint`` write the new
editions there, in the background (:meth:`ReprintList.reprint_to`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.tasks import run_task


class ReprintList(QWidget):
    """Out-of-date printed items of one visit, with a Reprint button."""

    #: Emitted with the editions made by a reprint (a list of EditionRecord).
    reprinted = Signal(object)

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reprintList")
        self.setAccessibleName("Printed items out of date")
        self.services = services
        self.visit_id: int | None = None
        self.items: list[Any] = []
        self.heading = QLabel("Printed items out of date")
        self.heading.setObjectName("reprintHeading")
        self.list = QListWidget()
        self.list.setObjectName("reprintItems")
        self.list.setAccessibleName("Printed items out of date")
        self.list.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("reprintStatus")
        self.status.setWordWrap(True)
        self.button = QPushButton("&Reprint…")
        self.button.setObjectName("reprintButton")
        self.button.setToolTip("Print again only what is out of date, each as its next "
                               "edition")
        self.button.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)

    def set_visit(self, visit_id: int) -> None:
        """Read what is out of date for a visit."""
        self.visit_id = visit_id
        self.reload()

    def reload(self) -> None:
        """Read the out-of-date items again."""
        self.list.clear()
        self.items = [] if self.visit_id is None else self.services.editions.out_of_date(
            self.visit_id)
        for item in self.items:
            line = QListWidgetItem(f"{item.title}\n{item.reason}")
            line.setData(Qt.ItemDataRole.UserRole, item.edition.series)
            if not item.reprintable:
                line.setToolTip("Printed elsewhere: reprint it where it was made.")
            self.list.addItem(line)
        printable = [i for i in self.items if i.reprintable]
        self.button.setEnabled(bool(printable))
        if not self.items:
            self.status.setText("Every printed item is up to date.")
        else:
            self.status.setText(f"{len(self.items)} out of date; {len(printable)} can be "
                                "reprinted here.")

    def choose_folder(self) -> None:
        """Ask for a folder, then reprint into it."""
        folder = QFileDialog.getExistingDirectory(self, "Reprint into folder")
        if folder:
            self.reprint_to(Path(folder))

    def reprint_to(self, folder: Path) -> None:
        """Reprint the out-of-date items into ``folder`` in the background; then
        :attr:`reprinted` is emitted and the list read again."""
        if self.visit_id is None:
            return
        visit_id, editions = self.visit_id, self.services.editions
        self.button.setEnabled(False)
        self.status.setText("Reprinting…")

        def done(made: list[Any]) -> None:
            self.reload()
            self.status.setText(f"Reprinted {len(made)} item{'s' if len(made) != 1 else ''} "
                                f"into {folder}.")
            self.reprinted.emit(made)

        def failed(error: BaseException, details: str) -> None:
            from ui.dialogs.errors import show_error

            self.reload()
            self.status.setText("The items were not reprinted.")
            show_error(self, "The items were not reprinted", error, details)

        run_task(lambda: editions.reprint(visit_id, folder), on_success=done,
                 on_failure=failed, parent=self, title="The items were not reprinted")
