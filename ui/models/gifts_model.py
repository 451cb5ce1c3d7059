"""The gifts given and received on a visit, as a table of :class:`GiftRecord`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt

from protocol_app.services.values import GiftRecord
from ui.models import DIRECTION_LABELS, RECORD_ROLE, SORT_ROLE, format_date, format_money
from ui.models.base import RIGHT_ALIGNED, RecordTableModel
from ui.models.base import Index as _Index


class GiftsModel(RecordTableModel[GiftRecord]):
    """One row per gift, by date."""

    DATE, DIRECTION, DESCRIPTION, GIVER, RECIPIENT, VALUE = range(6)
    HEADERS: tuple[str, ...] = ("Date", "Direction", "Gift", "From", "To", "Value")
    RIGHT_COLUMNS = (VALUE,)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._names: dict[int, str] = {}

    def set_rows(self, rows: Sequence[GiftRecord], names: Mapping[int, str] | None = None) -> None:
        """Replace every row; ``names`` maps person ids to the names shown."""
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda g: (g.date is None, g.date, g.id))
        self._names = dict(names or {})
        self.endResetModel()

    def row_at(self, row: int) -> GiftRecord:
        """The gift of a row."""
        return self._rows[row]

    def row_of(self, gift_id: int) -> int | None:
        """The row of a gift, if listed."""
        return self._find_row(lambda g: g.id == gift_id)

    def totals(self, direction: str) -> dict[str, float]:
        """Total declared value per currency of the gifts in one direction."""
        out: dict[str, float] = {}
        for g in self._rows:
            if g.direction == direction and g.value is not None:
                out[g.currency] = out.get(g.currency, 0.0) + g.value
        return out

    def person_name(self, person_id: int | None) -> str:
        """The name shown for a giver or recipient."""
        if person_id is None:
            return ""
        return self._names.get(person_id, f"Person #{person_id}")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        g = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(g, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.DESCRIPTION:
            return g.description
        if role == SORT_ROLE:
            if col == self.DATE:
                return g.date.toordinal() if g.date else 0
            if col == self.VALUE:
                return g.value if g.value is not None else -1.0
            return self._display(g, col).casefold()
        if role == RECORD_ROLE:
            return g
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.VALUE:
            return RIGHT_ALIGNED
        return None

    def _display(self, g: GiftRecord, col: int) -> str:
        if col == self.DATE:
            return format_date(g.date)
        if col == self.DIRECTION:
            return DIRECTION_LABELS.get(g.direction, g.direction)
        if col == self.DESCRIPTION:
            return g.description.splitlines()[0] if g.description else ""
        if col == self.GIVER:
            return self.person_name(g.giver_person_id)
        if col == self.RECIPIENT:
            return self.person_name(g.recipient_person_id)
        if col == self.VALUE:
            return format_money(g.value, g.currency)
        return ""
