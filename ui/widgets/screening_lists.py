"""The screening lists, managed in Preferences: each loaded source with its entries, its
load date and a warning when it is stale; "Load list…" and "Remove".

Loading is the same use case as ``protocol-app screening load FILE.csv``
(``services.screening.load``), run off the GUI thread (:func:`ui.tasks.run_task`); a
refused file is shown by the service's one-line reason, which names the file and the
line, and nothing changes.  Removing asks first, then calls
``services.screening.remove``.  Both take effect at once (they are audited there), not
when the Preferences are saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError
from protocol_app.formatting import format_datetime
from protocol_app.screening.values import LAYOUT_NAMES, STALE_AFTER_DAYS
from ui.look import secondary, tune_table
from ui.tasks import run_task

#: The columns of the lists table.
HEADERS = ("List", "Entries", "Loaded", "State")
_SOURCE = Qt.ItemDataRole.UserRole


def list_state(info: Any) -> str:
    """A list's state in words: current, or how stale it is."""
    if info.stale:
        return (f"⚠ Stale: loaded {info.age_days()} days ago (more than {STALE_AFTER_DAYS}); "
                "load a current copy")
    return "Current"


class ScreeningListsPanel(QWidget):
    """The loaded screening lists, with Load list… and Remove."""

    #: A load or a removal finished (successfully or not); the status line says which.
    finished = Signal()

    def __init__(self, screening: Any, parent: QWidget | None = None) -> None:
        """``screening``: the screening service (``Services.screening``)."""
        super().__init__(parent)
        self.setObjectName("screeningListsPanel")
        self.screening = screening
        self.busy = False
        self.changed = False  # a list was loaded or removed since the panel was made
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("screeningListsTable")
        self.table.setAccessibleName("Screening lists loaded")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tune_table(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel("No screening list is loaded, so risk reviews screen nobody. "
                            "Load the U.S. Consolidated Screening List or OpenSanctions' "
                            "targets.simple.csv.")
        self.empty.setObjectName("screeningListsEmpty")
        self.empty.setWordWrap(True)
        self.load_button = QPushButton("&Load list…")
        self.load_button.setObjectName("screeningLoadButton")
        self.load_button.setToolTip("Load a list CSV; loading a list again replaces it")
        self.load_button.clicked.connect(self.choose_file)
        self.remove_button = QPushButton("Re&move")
        self.remove_button.setObjectName("screeningRemoveButton")
        self.remove_button.setToolTip("Delete the selected list and its entries")
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = QLabel()
        self.status.setObjectName("screeningListsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel("Loading or removing a list takes effect at once.")
        secondary(hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.status.hide()
        self.reload()

    # -- showing -------------------------------------------------------------------
    def reload(self) -> None:
        """Read the loaded lists again."""
        try:
            lists = self.screening.lists()
        except ProtocolError as exc:
            lists = ()
            self.show_status(f"The screening lists cannot be read: {exc}", problem=True)
        self.table.setRowCount(len(lists))
        for row, info in enumerate(lists):
            layout = LAYOUT_NAMES.get(info.layout, info.layout)
            cells = (info.source, f"{info.entries:,}",
                     format_datetime(info.loaded_at.astimezone()), list_state(info))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_SOURCE, info.source)
                item.setToolTip(f"{info.source}: {layout} layout, from {info.file_name}, "
                                f"loaded by {info.loaded_by}")
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self._fit_rows(len(lists))
        self.table.setVisible(bool(lists))
        self.empty.setVisible(not lists)
        self._update_buttons()

    def _fit_rows(self, count: int) -> None:
        """As tall as its lists (two to five rows; more scroll), so that the buttons below
        stay in view in a laptop-sized Preferences."""
        shown = min(max(count, 2), 5)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + shown * self.table.verticalHeader().defaultSectionSize()
                                  + 2 * self.table.frameWidth())

    def sources(self) -> list[str]:
        """The source names shown, top to bottom."""
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]

    def rows(self) -> list[tuple[str, ...]]:
        """Every row's cells as shown."""
        return [tuple(self.table.item(r, c).text() for c in range(self.table.columnCount()))
                for r in range(self.table.rowCount())]

    def selected_source(self) -> str | None:
        """The source of the selected row, if any."""
        items = self.table.selectedItems()
        return items[0].data(_SOURCE) if items else None

    def select_source(self, source: str) -> None:
        """Select a list's row by its source name."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(_SOURCE) == source:
                self.table.selectRow(row)
                return

    def show_status(self, text: str, *, problem: bool = False) -> None:
        """Say what happened under the buttons (a refusal in the error colour)."""
        self.status.setText(text)
        self.status.setProperty("problem", problem)
        self.status.setVisible(bool(text))

    def _update_buttons(self) -> None:
        self.load_button.setEnabled(not self.busy)
        self.remove_button.setEnabled(not self.busy and self.selected_source() is not None)

    # -- acting --------------------------------------------------------------------
    def choose_file(self) -> None:
        """Ask for a list file, then load it."""
        path, _filter = QFileDialog.getOpenFileName(
            self, "Load a screening list", str(Path.home()),
            "Screening lists (*.csv);;All files (*)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Load ``path`` in the background (its layout names the source, as on the
        command line); the outcome is shown in the status line."""
        if self.busy:
            return
        self.busy = True
        self._update_buttons()
        self.show_status(f"Loading {path.name}…")
        screening = self.screening

        def done(report: Any) -> None:
            self.busy = False
            self.changed = True
            self.reload()
            self.select_source(report.source)
            self.show_status(" ".join(report.lines()))
            self.finished.emit()

        def failed(error: BaseException, details: str) -> None:
            self.busy = False
            self._update_buttons()
            if isinstance(error, ProtocolError):
                self.show_status(f"Not loaded: {error}", problem=True)
            else:
                from ui.dialogs.errors import show_error

                self.show_status(f"Not loaded: {path.name} could not be read.", problem=True)
                show_error(self, "The list was not loaded", error, details)
            self.finished.emit()

        run_task(lambda: screening.load(path), on_success=done, on_failure=failed,
                 parent=self, title="The list was not loaded")

    def remove_selected(self) -> None:
        """Remove the selected list, once confirmed."""
        from ui.dialogs.confirm import confirm

        source = self.selected_source()
        if source is None or self.busy:
            return
        if confirm(self, "Remove the screening list",
                   f"Remove the screening list {source} and all its entries?",
                   informative="Risk reviews will no longer screen against it until it is "
                               "loaded again.", action="Remove"):
            self.remove_source(source)

    def remove_source(self, source: str) -> bool:
        """Remove a list now (audited by the service); the outcome is shown."""
        try:
            count = self.screening.remove(source)
        except ProtocolError as exc:
            self.show_status(f"Not removed: {exc}", problem=True)
            self.finished.emit()
            return False
        self.changed = True
        self.reload()
        self.show_status(f"Removed the screening list {source} ({count:,} entries).")
        self.finished.emit()
        return True
