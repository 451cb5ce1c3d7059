"""A refused import: every problem with its path in the package, in one copyable table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import FieldProblem, ValidationError
from ui.dialogs.fit import fit_to_screen, size_to_screen
from ui.look import secondary, tune_table


class ImportErrorsDialog(QDialog):
    """Lists every problem of a refused package: path and message."""

    PATH, MESSAGE = range(2)
    HEADERS: tuple[str, ...] = ("Where", "Problem")

    def __init__(self, problems: Sequence[FieldProblem], source: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems = tuple(problems)
        self.source = source
        self.setObjectName("importErrorsDialog")
        self.setWindowTitle("Import refused")
        self.setAccessibleName("Import refused")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        head = QHBoxLayout()
        head.setSpacing(12)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        head.addWidget(icon)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        summary = QLabel(
            f"<b>{source} was not imported.</b><br>"
            f"It has {count} {noun}, listed below. Nothing was changed in the database. "
            "Correct the package and import it again.")
        summary.setObjectName("importErrorsSummary")
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(summary, 1)
        layout.addLayout(head)

        self.table = QTableWidget(count, len(self.HEADERS))
        self.table.setObjectName("importErrorsTable")
        self.table.setAccessibleName("Problems in the package")
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        tune_table(self.table)
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for row, problem in enumerate(self.problems):
            where = QTableWidgetItem(problem.path or "(the whole file)")
            where.setToolTip(problem.path)
            message = QTableWidgetItem(problem.message)
            message.setToolTip(problem.message)
            self.table.setItem(row, self.PATH, where)
            self.table.setItem(row, self.MESSAGE, message)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.PATH, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(self.PATH)
        self.table.setColumnWidth(self.PATH, min(max(self.table.columnWidth(self.PATH) + 16, 140),
                                                 320))
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        layout.addWidget(self.table, 1)

        hint = QLabel("Select rows and press Ctrl+C to copy them, or copy every problem.")
        secondary(hint)
        layout.addWidget(hint)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy all", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setObjectName("copyAllButton")
        copy.clicked.connect(self.copy_all)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy_selected)
        self.resize(860, 480)
        fit_to_screen(self)
        self._sized = False

    def showEvent(self, event: QShowEvent) -> None:
        """Rows fit their (wrapped) messages once the columns have their final widths."""
        super().showEvent(event)
        self.table.resizeRowsToContents()
        if not self._sized:  # as tall as the problems need, within reason
            self._sized = True
            rows = sum(self.table.rowHeight(r) for r in range(min(self.table.rowCount(), 14)))
            table = (self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
                     + rows + 4)
            extra = self.height() - self.table.height()
            self.resize(self.width(), max(300, min(table + extra, 680)))
            size_to_screen(self)

    def text(self, rows: Sequence[int] | None = None) -> str:
        """Problems as tab-separated ``path<TAB>message`` lines, with a heading line."""
        chosen = range(len(self.problems)) if rows is None else rows
        lines = [f"{self.source}: not imported ({len(self.problems)} problems)"] if (
            rows is None) else []
        lines += [f"{self.problems[r].path}\t{self.problems[r].message}" for r in chosen]
        return "\n".join(lines)

    def copy_all(self) -> None:
        """Copy every problem to the clipboard."""
        QGuiApplication.clipboard().setText(self.text())

    def copy_selected(self) -> None:
        """Copy the selected rows to the clipboard."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        QGuiApplication.clipboard().setText(self.text(rows) if rows else self.text())


def show_import_errors(parent: QWidget | None, error: ValidationError,
                       source: str) -> ImportErrorsDialog:
    """Open (window-modal, not blocking) the list of an import's problems."""
    problems = error.problems or (FieldProblem("", str(error)),)
    dialog = ImportErrorsDialog(problems, source, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
