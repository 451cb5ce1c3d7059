"""The people list as a lazy table: pages of ~200 people fetched as the view scrolls.

The model never counts or loads the whole directory: it asks its ``fetch`` callable
(``services.people.search``) for one page more than it shows, so it knows whether more
rows exist, and Qt's ``canFetchMore``/``fetchMore`` pull the next page when the view
reaches the end.  It holds frozen :class:`PersonRecord` values only.

Vorta style: column constants, headers in one tuple, :meth:`PeopleTableModel.set_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from protocol_app.formatting import country_name
from protocol_app.rules.address import FormsOfAddress
from protocol_app.rules.names import native_script
from protocol_app.services.values import PersonRecord
from ui.models.base import Index as _Index
from ui.models.base import RecordTableModel

NAME, ADDRESSED_AS, NATIVE_NAME, ORGANIZATION, COUNTRY, EMAIL, RANK = range(7)
HEADERS: tuple[str, ...] = ("Name", "Addressed as", "Native script", "Organization",
                            "Country", "E-mail", "Rank")

#: Role giving the person's id.
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role giving the whole :class:`PersonRecord`.
PERSON_ROLE = Qt.ItemDataRole.UserRole + 2

PAGE_SIZE = 200

#: ``fetch(query, limit, offset)`` -> people matching ``query``, in list order.
Fetch = Callable[[str, int, int], Sequence[PersonRecord]]
#: ``address(ids)`` -> their forms of address, the office's overrides applied
#: (``services.address.forms_of_address_many``: one query per page of rows).
Address = Callable[[Sequence[int]], Mapping[int, FormsOfAddress]]


@cache
def _country(code: str) -> str:
    return country_name(code) if code else ""


def rank_label(key: str) -> str:
    """A precedence key as words: ``deputy_minister`` -> ``Deputy minister``."""
    return key.replace("_", " ").capitalize()


class PeopleTableModel(RecordTableModel[PersonRecord]):
    """People matching a search, loaded a page at a time."""

    HEADERS = HEADERS  # the module tuple, for the shared counts and header text

    def __init__(self, fetch: Fetch | None = None, *, page_size: int = PAGE_SIZE,
                 address: Address | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._address = address
        self._forms: dict[int, FormsOfAddress] = {}
        self._page_size = page_size
        self._query = ""
        self._more = False

    # -- filling -----------------------------------------------------------------
    def set_rows(self, rows: Sequence[PersonRecord], *, more: bool = False) -> None:
        """Replace every row; ``more`` says whether further pages can be fetched."""
        self.beginResetModel()
        self._rows = list(rows)
        self._forms = {}
        self._read_forms(self._rows)
        self._more = more and self._fetch is not None
        self.endResetModel()

    def set_query(self, query: str) -> None:
        """Show the first page of people matching ``query`` (every person when empty)."""
        self._query = query
        if self._fetch is None:
            self.set_rows([])
            return
        page = list(self._fetch(query, self._page_size + 1, 0))
        self.set_rows(page[: self._page_size], more=len(page) > self._page_size)

    def refresh(self) -> None:
        """Load the current query again from the start."""
        self.set_query(self._query)

    @property
    def query(self) -> str:
        """The search the rows answer."""
        return self._query

    def person_at(self, row: int) -> PersonRecord:
        """The person shown on ``row``."""
        return self._rows[row]

    def row_of(self, person_id: int) -> int | None:
        """The row of person ``person_id`` among the loaded rows, if loaded."""
        return self._find_row(lambda person: person.id == person_id)

    def update_person(self, person: PersonRecord) -> None:
        """Show a changed person in place (if loaded)."""
        row = self.row_of(person.id)
        if row is not None:
            self._rows[row] = person
            self._read_forms([person])
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def remove_person(self, person_id: int) -> None:
        """Drop a deleted person from the loaded rows."""
        row = self.row_of(person_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def _read_forms(self, people: Sequence[PersonRecord]) -> None:
        """The forms of address of ``people`` (one call for them all)."""
        if self._address is not None and people:
            self._forms.update(self._address([p.id for p in people]))

    def addressed_as(self, person: PersonRecord) -> str:
        """How the office addresses the person: the place-card form (the cards' form,
        with the office's wording when it has one); the name when no forms are known."""
        forms = self._forms.get(person.id)
        return forms.place_card if forms is not None else person.display_name

    # -- lazy loading ------------------------------------------------------------
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._fetch is None:
            return
        page = list(self._fetch(self._query, self._page_size + 1, len(self._rows)))
        shown = page[: self._page_size]
        self._more = len(page) > self._page_size
        if shown:
            self._read_forms(shown)
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(shown) - 1)
            self._rows.extend(shown)
            self.endInsertRows()

    # -- Qt model ------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        person = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(person, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == NAME:
                return " ".join(p for p in (person.honorific, person.display_name,
                                            f"— {person.position}" if person.position else "")
                                if p)
            if index.column() == ADDRESSED_AS and person.id in self._forms:
                return self._forms[person.id].list_form
            if index.column() == COUNTRY:
                return person.country
            if index.column() == RANK:
                return person.rank
            return None
        if role == PERSON_ID_ROLE:
            return person.id
        if role == PERSON_ROLE:
            return person
        return None

    def _display(self, person: PersonRecord, column: int) -> str:
        if column == NAME:
            return person.display_name
        if column == ADDRESSED_AS:
            return self.addressed_as(person)
        if column == NATIVE_NAME:
            return native_script(person)
        if column == ORGANIZATION:
            return person.organization
        if column == COUNTRY:
            return _country(person.country)
        if column == EMAIL:
            return person.email
        if column == RANK:
            return rank_label(person.rank)
        return ""
