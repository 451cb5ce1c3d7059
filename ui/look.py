"""The small look helpers every page shares.

:func:`secondary` dims a label with the palette's placeholder colour (kept in step when
the system switches between light and dark); :func:`tune_table` gives every table the
same row height, left-aligned headers and row selection without a per-cell focus frame.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)


class _SecondaryText(QObject):
    """Keeps a widget's text in the palette's placeholder colour, also after the system
    palette changes (light/dark)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._busy = False
        widget.installEventFilter(self)
        self.apply(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange and not self._busy and isinstance(
                watched, QWidget):
            self.apply(watched)
        return False

    def apply(self, widget: QWidget) -> None:
        pal = widget.palette()
        color = pal.color(QPalette.ColorRole.PlaceholderText)
        if pal.color(QPalette.ColorRole.WindowText) == color:
            return
        self._busy = True
        try:
            pal.setColor(QPalette.ColorRole.WindowText, color)
            widget.setPalette(pal)
        finally:
            self._busy = False


def secondary(widget: QLabel | QWidget) -> QLabel | QWidget:
    """Show a label's text as secondary (dimmer) text; returns the label."""
    _SecondaryText(widget)
    return widget


class NoFocusDelegate(QStyledItemDelegate):
    """Row-selected tables show the selected row, not a frame around one cell."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_HasFocus


def tune_table(table: QTableView, *, delegate: QStyledItemDelegate | None = None) -> None:
    """The common look of the app's tables: whole rows, alternating colours, no grid,
    roomy rows, left-aligned headers, no focus frame on a single cell."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setItemDelegate(delegate if delegate is not None else NoFocusDelegate(table))
