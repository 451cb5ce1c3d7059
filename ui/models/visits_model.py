"""The visits list: a table model of :class:`VisitSummary` rows and its filter.

Filtering happens on the rows already loaded (titles, ids, countries, country names and
heads of delegation all match as you type), so typing never waits for the database.

Sorting is the model's own: one Python key per row, computed once per sort, rather than
the proxy's comparison of every pair through ``data()`` (for 2,000 visits that is the
difference between a couple of milliseconds and a tenth of a second at start-up).  The
filter passes a header click on to the model and keeps the model's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QGuiApplication

from protocol_app.services.values import VisitSummary
from ui.models import (
    RECORD_ROLE,
    STATUS_LABELS,
    country_name,
    format_date_range,
)
from ui.models.base import RIGHT_ALIGNED, RecordTableModel
from ui.models.base import Index as _Index


class VisitsModel(RecordTableModel[VisitSummary]):
    """One row per visit, soonest first (the order the service returns)."""

    STATUS, DATES, TITLE, COUNTRY, HEAD, PEOPLE, EVENTS, REVIEW = range(8)
    HEADERS: tuple[str, ...] = (
        "Status", "Dates", "Visit", "Country", "Head of delegation", "People", "Events",
        "Risk review",
    )
    RIGHT_COLUMNS = (PEOPLE, EVENTS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._countries: dict[str, str] = {}
        self._reviews: dict[int, str] = {}  # visit id -> the review's state, in words
        self._order: tuple[int, Qt.SortOrder] | None = None  # None: as given

    # -- filling -------------------------------------------------------------------
    def set_rows(self, rows: Sequence[VisitSummary]) -> None:
        """Replace every row (kept in the current sort order, if any)."""
        self.beginResetModel()
        self._rows = list(rows)
        for row in self._rows:
            if row.country not in self._countries:
                self._countries[row.country] = country_name(row.country)
        if self._order is not None:
            self._sort_rows(*self._order)
        self.endResetModel()

    def set_review_states(self, states: dict[int, str]) -> None:
        """Show each visit's risk review state ("Pending", "Approved (re-opened)"...);
        visits not given show nothing (read later, once the database is open)."""
        self._reviews = dict(states)
        if self._rows:
            self.dataChanged.emit(self.index(0, self.REVIEW),
                                  self.index(len(self._rows) - 1, self.REVIEW))

    def review_state(self, visit_id: int) -> str:
        """The review state shown for a visit ("" when not known yet)."""
        return self._reviews.get(visit_id, "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column (ties by visit number), keeping the selection."""
        if not 0 <= column < len(self.HEADERS):
            self._order = None
            return
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[i.row()].id if i.row() < len(self._rows) else None
               for i in persistent]
        self._sort_rows(column, order)
        position = {row.id: n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(persistent, [
            self.index(position[visit_id], i.column()) if visit_id in position else i
            for i, visit_id in zip(persistent, ids, strict=True)])
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        self._rows.sort(key=lambda v: (self._sort_key(v, column), v.id),
                        reverse=order == Qt.SortOrder.DescendingOrder)

    def rows(self) -> list[VisitSummary]:
        """The rows, in model order."""
        return list(self._rows)

    def row_at(self, row: int) -> VisitSummary:
        """The visit of a row."""
        return self._rows[row]

    def row_of(self, visit_id: int) -> int | None:
        """The row of a visit, if listed."""
        return self._find_row(lambda r: r.id == visit_id)

    def country_label(self, code: str) -> str:
        """The country name shown for a code."""
        return self._countries.get(code) or country_name(code)

    # -- Qt ------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        v = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(v, col)
        if role == RECORD_ROLE:
            return v
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.TITLE:
                return f"{v.title}\n{v.public_id}"
            if col == self.COUNTRY:
                return f"{self.country_label(v.country)} ({v.country})"
            if col == self.DATES:
                return f"{v.start_date.isoformat()} to {v.end_date.isoformat()} ({v.timezone})"
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == self.STATUS:
            if QGuiApplication.instance() is None:  # pixmaps need a GUI application
                return None
            from ui.icons import status_icon

            return status_icon(v.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.RIGHT_COLUMNS:
            return RIGHT_ALIGNED
        if role == Qt.ItemDataRole.FontRole and v.status == "cancelled" and col == self.TITLE:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(v, col)
        return None

    def _display(self, v: VisitSummary, col: int) -> str:
        if col == self.STATUS:
            return STATUS_LABELS.get(v.status, v.status)
        if col == self.DATES:
            return format_date_range(v.start_date, v.end_date)
        if col == self.TITLE:
            return v.title
        if col == self.COUNTRY:
            return self.country_label(v.country)
        if col == self.HEAD:
            return v.head_of_delegation
        if col == self.PEOPLE:
            return str(v.people_count)
        if col == self.EVENTS:
            return str(v.event_count)
        if col == self.REVIEW:
            return self._reviews.get(v.id, "")
        return ""

    def _sort_key(self, v: VisitSummary, col: int) -> Any:
        if col == self.STATUS:
            return list(STATUS_LABELS).index(v.status) if v.status in STATUS_LABELS else 99
        if col == self.DATES:
            return v.start_date  # ties go by visit number (see _sort_rows)
        if col == self.PEOPLE:
            return v.people_count
        if col == self.EVENTS:
            return v.event_count
        return self._display(v, col).casefold()


class VisitsFilter(QSortFilterProxyModel):
    """Filters visits by words (in any column), by status and by a date range."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._status: str | None = None
        self._date_from: date | None = None
        self._date_to: date | None = None

    def set_text(self, text: str) -> None:
        """Keep visits matching every word of ``text`` (case-insensitive)."""
        self._begin()
        self._words = text.casefold().split()
        self._end()

    def set_status(self, status: str | None) -> None:
        """Keep visits in one status (None: every status)."""
        self._begin()
        self._status = status or None
        self._end()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort through the visits model (see the module's note); the filter keeps its
        order."""
        model = self.sourceModel()
        if isinstance(model, VisitsModel):
            model.sort(column, order)
        else:  # pragma: no cover - the filter always sits on a VisitsModel
            super().sort(column, order)

    def set_date_range(self, date_from: date | None, date_to: date | None) -> None:
        """Keep visits overlapping ``[date_from, date_to]`` (either end may be open)."""
        self._begin()
        self._date_from, self._date_to = date_from, date_to
        self._end()

    def _begin(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()

    def _end(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.invalidateRowsFilter()

    def is_filtering(self) -> bool:
        """Whether any filter is set."""
        return bool(self._words or self._status or self._date_from or self._date_to)

    def visit_at(self, proxy_row: int) -> VisitSummary:
        """The visit shown in a row of this proxy."""
        source = self.mapToSource(self.index(proxy_row, 0))
        model = self.sourceModel()
        assert isinstance(model, VisitsModel)
        return model.row_at(source.row())

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, VisitsModel):
            return True
        v = model.row_at(source_row)
        if self._status and v.status != self._status:
            return False
        if self._date_from and v.end_date < self._date_from:
            return False
        if self._date_to and v.start_date > self._date_to:
            return False
        if self._words:
            haystack = " ".join((v.title, v.public_id, v.country, model.country_label(v.country),
                                 v.head_of_delegation, STATUS_LABELS.get(v.status, ""))
                                ).casefold()
            return all(word in haystack for word in self._words)
        return True
