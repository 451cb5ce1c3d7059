"""The table-model base the item models share: rows, counts and plain headers.

Vorta style: each model keeps its own column constants and ``HEADERS`` tuple; this
base only answers what is the same for every one of them (row and column counts, the
horizontal header text, right-aligned headers) and finds a row by its record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

R = TypeVar("R")

Index = QModelIndex | QPersistentModelIndex

#: Alignment of a number column (its header and its cells).
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """A flat table with one frozen record ``R`` per row, held in ``self._rows``.

    Subclasses set :attr:`HEADERS` (and, for number columns, :attr:`RIGHT_COLUMNS`)
    and fill ``self._rows`` in their own ``set_rows()``.
    """

    #: Column titles, in column order.
    HEADERS: tuple[str, ...] = ()
    #: Columns whose header is right-aligned (numbers, money).
    RIGHT_COLUMNS: tuple[int, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def _find_row(self, matches: Callable[[R], bool]) -> int | None:
        """The first row whose record ``matches``, if any."""
        for row, record in enumerate(self._rows):
            if matches(record):
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.RIGHT_COLUMNS:
            return RIGHT_ALIGNED
        return None
