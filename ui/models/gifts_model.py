"""The gifts given and received on a visit, as a table of :class:`GiftRecord`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt

from protocol_app.rules.gift_policy import GiftPolicy
from protocol_app.services.values import GiftRecord
from ui.models import DIRECTION_LABELS, RECORD_ROLE, SORT_ROLE, format_date, format_money
from ui.models.base import RIGHT_ALIGNED, RecordTableModel
from ui.models.base import Index as _Index


class GiftsModel(RecordTableModel[GiftRecord]):
    """One row per gift, by date."""

    DATE, DIRECTION, DESCRIPTION, GIVER, RECIPIENT, VALUE, DECLARE = range(7)
    HEADERS: tuple[str, ...] = ("Date", "Direction", "Gift", "From", "To", "Value",
                                "Declaration")
    RIGHT_COLUMNS = (VALUE,)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._names: dict[int, str] = {}
        self._policy = GiftPolicy()

    def set_rows(self, rows: Sequence[GiftRecord], names: Mapping[int, str] | None = None,
                 policy: GiftPolicy | None = None) -> None:
        """Replace every row; ``names`` maps person ids to the names shown; ``policy``
        (the office's gifts policy) flags the received gifts that must be declared."""
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda g: (g.date is None, g.date, g.id))
        self._names = dict(names or {})
        self._policy = policy or GiftPolicy()
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

    def declaration(self, gift: GiftRecord) -> str:
        """What the gifts policy says of a gift: "Must be declared", "Check: ..." or ""."""
        verdict = self._policy.assess(gift.direction, gift.value, gift.currency)
        if verdict.must_declare:
            return f"Must be declared (over {self._policy.describe()})"
        if verdict.must_declare is None:
            return f"Check: {verdict.note}"
        return ""

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
        if col == self.DECLARE:
            return self.declaration(g)
        return ""
