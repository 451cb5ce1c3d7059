"""The delegation and the hosts of one visit, as a table of :class:`ParticipantRecord`.

Side and role are editable in place (a combo box in the view); the model does not
write anything itself: it emits :attr:`ParticipantsModel.change_requested` and the page
performs the change through the services (and the undo stack), then resets the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication

from protocol_app.records import vocab
from protocol_app.rules import names
from protocol_app.services.values import ParticipantRecord
from ui.models import RECORD_ROLE, ROLE_LABELS, SIDE_LABELS, SORT_ROLE, country_name
from ui.models.base import Index as _Index
from ui.models.base import RecordTableModel

#: Roles offered on each side (the head of delegation is always a guest).
ROLES_BY_SIDE: dict[str, tuple[str, ...]] = {
    "guest": ("head", "member", "staff", "interpreter", "security", "escort"),
    "host": ("host", "member", "staff", "interpreter", "security", "escort"),
}
_ROLE_ORDER = {role: i for i, role in enumerate(("head", "host", "member", "escort", "staff",
                                                 "interpreter", "security"))}


def participant_sort_key(p: ParticipantRecord) -> tuple:
    """The order of precedence (guests, then hosts; ``ParticipantRecord.precedence``);
    without it, guests before hosts, the head first, then by role and family name."""
    return (p.precedence or 10**6, vocab.SIDES.index(p.side) if p.side in vocab.SIDES else 9,
            _ROLE_ORDER.get(p.role, 99), p.person.family_name.casefold(),
            p.person.given_name.casefold(), p.person_id)


def full_name(p: ParticipantRecord) -> str:
    """The name as lists print it: the list form of address, the office's override
    winning (``ParticipantRecord.list_name``)."""
    return p.list_name


def native_script(p: ParticipantRecord) -> str:
    """The name in its own script, when it differs from the name as written."""
    return names.native_script(p.person)


class ParticipantsModel(RecordTableModel[ParticipantRecord]):
    """Guests then hosts, each in order of precedence."""

    NAME, NATIVE, SIDE, ROLE, POSITION, ORGANIZATION, COUNTRY = range(7)
    HEADERS: tuple[str, ...] = ("Name", "Native script", "Side", "Role", "Position",
                                "Organization", "Country")

    #: (person_id, side, role) wanted by an edit in the view.
    change_requested = Signal(int, str, str)

    def set_rows(self, rows: Sequence[ParticipantRecord]) -> None:
        """Replace every row (in order of precedence, guests first)."""
        self.beginResetModel()
        self._rows = sorted(rows, key=participant_sort_key)
        self.endResetModel()

    def row_at(self, row: int) -> ParticipantRecord:
        """The participant of a row."""
        return self._rows[row]

    def row_of(self, person_id: int) -> int | None:
        """The row of a person, if they take part."""
        return self._find_row(lambda p: p.person_id == person_id)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() in (self.SIDE, self.ROLE):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        p = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(p, col)
        if role == Qt.ItemDataRole.EditRole:
            return p.side if col == self.SIDE else p.role if col == self.ROLE else None
        if role == SORT_ROLE:
            return participant_sort_key(p)
        if role == RECORD_ROLE:
            return p
        if role == Qt.ItemDataRole.FontRole and col == self.NAME and p.role == "head":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and col == self.NAME and p.role == "head":
            if QGuiApplication.instance() is None:  # pixmaps need a GUI application
                return None
            from ui.icons import icon

            return icon("star")
        if role == Qt.ItemDataRole.ToolTipRole and col == self.NAME:
            parts = [full_name(p)]
            if native_script(p):
                parts.append(native_script(p))
            if p.person.pronunciation:
                parts.append(f"Say: {p.person.pronunciation}")
            return "\n".join(parts)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for a change of side or role; the rows change when the page resets them."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        p = self._rows[index.row()]
        side, new_role = p.side, p.role
        if index.column() == self.SIDE and value in vocab.SIDES:
            side = value
            if new_role not in ROLES_BY_SIDE[side]:
                new_role = "member" if new_role in ("head", "host") else ROLES_BY_SIDE[side][0]
        elif index.column() == self.ROLE and value in vocab.ROLES:
            new_role = value
            if new_role == "head":
                side = "guest"
            elif new_role == "host":
                side = "host"
        else:
            return False
        if (side, new_role) != (p.side, p.role):
            self.change_requested.emit(p.person_id, side, new_role)
        return False

    def _display(self, p: ParticipantRecord, col: int) -> str:
        if col == self.NAME:
            return full_name(p)
        if col == self.NATIVE:
            return native_script(p)
        if col == self.SIDE:
            return SIDE_LABELS.get(p.side, p.side)
        if col == self.ROLE:
            return ROLE_LABELS.get(p.role, p.role)
        if col == self.POSITION:
            return p.person.position
        if col == self.ORGANIZATION:
            return p.person.organization
        if col == self.COUNTRY:
            return country_name(p.person.country)
        return ""
