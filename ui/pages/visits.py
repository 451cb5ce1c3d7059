"""The visits list: filtered as you type, by status and by dates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from protocol_app.records import vocab
from protocol_app.services.values import VisitSummary
from ui.dialogs.visit_editor import from_qdate, make_date_edit, to_qdate
from ui.icons import icon
from ui.look import secondary, tune_table
from ui.models import STATUS_LABELS
from ui.models.visits_model import VisitsFilter, VisitsModel
from ui.pages.common import action_toolbar, list_table

#: The date presets of the filter: (label, key).
DATE_PRESETS: tuple[tuple[str, str], ...] = (
    ("Any time", "any"), ("Upcoming", "upcoming"), ("This month", "month"),
    ("Next 90 days", "next90"), ("This year", "year"), ("Past", "past"),
    ("Custom range…", "custom"),
)


def preset_range(key: str, today: date | None = None) -> tuple[date | None, date | None]:
    """The date range of a preset."""
    today = today or date.today()
    if key == "upcoming":
        return today, None
    if key == "month":
        first = today.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return first, nxt - timedelta(days=1)
    if key == "next90":
        return today, today + timedelta(days=90)
    if key == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if key == "past":
        return None, today - timedelta(days=1)
    return None, None


def page_title(text: str) -> QLabel:
    """A page heading, larger than the body text."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setWeight(font.Weight.DemiBold)
    label.setFont(font)
    return label


class VisitsPage(QWidget):
    """The list of visits, with its filters and actions."""

    #: The user opened a visit (Enter or double-click): its id.
    open_requested = Signal(int)
    #: The selection changed.
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitsPage")
        self.setAccessibleName("Visits")
        self.model = VisitsModel(self)
        self.proxy = VisitsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._loaded = False

        self.heading = page_title("Visits")
        self.count_label = QLabel()
        self.count_label.setObjectName("visitsCount")
        secondary(self.count_label)
        self.new_button = QPushButton(icon("add"), "New visit")
        self.new_button.setObjectName("newVisitListButton")
        self.new_button.setDefault(False)
        self.new_button.setAutoDefault(False)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("visitsFilter")
        self.filter_edit.setAccessibleName("Filter visits")
        self.filter_edit.setPlaceholderText("Filter by title, country, head of delegation…  "
                                            "(Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self.status_combo.setAccessibleName("Filter by status")
        self.status_combo.addItem("All statuses", None)
        for status in vocab.VISIT_STATUSES:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        self.dates_combo = QComboBox()
        self.dates_combo.setObjectName("datesFilter")
        self.dates_combo.setAccessibleName("Filter by dates")
        for label, key in DATE_PRESETS:
            self.dates_combo.addItem(label, key)
        self.date_from = make_date_edit("Visits ending on or after")
        self.date_to = make_date_edit("Visits starting on or before")
        today = date.today()
        self.date_from.setDate(to_qdate(today.replace(day=1)))
        self.date_to.setDate(to_qdate(today + timedelta(days=90)))
        self.range_label = QLabel("to")
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setAutoDefault(False)

        self.toolbar = action_toolbar("Visit actions")
        self.toolbar.setObjectName("visitsToolbar")

        self.table = QTableView()
        self.table.setObjectName("visitsTable")
        self.table.setAccessibleName("Visits")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(VisitsModel.DATES, Qt.SortOrder.AscendingOrder)
        tune_table(self.table)
        list_table(self.table, VisitsModel.TITLE)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(False)
        self._fit_columns()
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit())

        self.empty_label = QLabel()
        self.empty_label.setObjectName("visitsEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        secondary(self.empty_label)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)

        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addSpacing(8)
        head.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        head.addStretch(1)
        head.addWidget(self.new_button)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.filter_edit, 3)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.dates_combo)
        filters.addWidget(self.date_from)
        filters.addWidget(self.range_label)
        filters.addWidget(self.date_to)
        filters.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.body, 1)

        self.filter_edit.textChanged.connect(self._apply_filters)
        self.status_combo.currentIndexChanged.connect(self._apply_filters)
        self.dates_combo.currentIndexChanged.connect(self._apply_filters)
        self.date_from.dateChanged.connect(self._apply_filters)
        self.date_to.dateChanged.connect(self._apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.filter_edit.returnPressed.connect(self._focus_first_row)
        for a, b in ((self.filter_edit, self.status_combo), (self.status_combo, self.dates_combo),
                     (self.dates_combo, self.date_from), (self.date_from, self.date_to),
                     (self.date_to, self.clear_button), (self.clear_button, self.table)):
            QWidget.setTabOrder(a, b)
        self._apply_filters()

    # -- rows ----------------------------------------------------------------------
    def set_visits(self, rows: Sequence[VisitSummary]) -> None:
        """Show these visits, keeping the selected one selected."""
        keep = self.selected_visit()
        self.model.set_rows(rows)
        self._fit_columns()
        self._loaded = True
        self._update_counts()
        if keep is not None:
            self.select_visit(keep.id)

    def _fit_columns(self) -> None:
        """Columns as wide as their contents (within bounds); the title takes the rest."""
        fm = self.fontMetrics()
        m = VisitsModel
        bounds = {m.STATUS: ("Confirmed", 150), m.DATES: ("11–14 Mar 2027", 220),
                  m.COUNTRY: ("Country", 170), m.HEAD: ("Head of delegation", 230),
                  m.PEOPLE: ("People", 80), m.EVENTS: ("Events", 80),
                  m.REVIEW: ("Approved with conditions", 230)}
        for col, (sample, cap) in bounds.items():
            width = fm.horizontalAdvance(sample) + (46 if col == VisitsModel.STATUS else 28)
            for row in range(min(self.model.rowCount(), 200)):  # a sample keeps it instant
                text = self.model.index(row, col).data() or ""
                width = max(width, fm.horizontalAdvance(text) + 28)
            self.table.setColumnWidth(col, min(width, cap))

    def is_loaded(self) -> bool:
        """Whether the visits were loaded at least once."""
        return self._loaded

    def selected_visit(self) -> VisitSummary | None:
        """The selected visit, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.visit_at(rows[0].row())

    def select_visit(self, visit_id: int) -> bool:
        """Select (and show) a visit if it is in the filtered list."""
        row = self.model.row_of(visit_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def add_actions(self, actions: Iterable[QAction | None]) -> None:
        """Put the window's visit actions on the toolbar and the table's context menu."""
        for action in actions:
            if action is None:
                self.toolbar.addSeparator()
                sep = QAction(self.table)
                sep.setSeparator(True)
                self.table.addAction(sep)
            else:
                self.toolbar.addAction(action)
                self.table.addAction(action)

    # -- filters -------------------------------------------------------------------
    def focus_filter(self) -> None:
        """Ctrl+F: put the cursor in the filter, its text selected."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def clear_filters(self) -> None:
        """Show every visit again."""
        self.filter_edit.clear()
        self.status_combo.setCurrentIndex(0)
        self.dates_combo.setCurrentIndex(0)

    def _apply_filters(self) -> None:
        key = self.dates_combo.currentData()
        custom = key == "custom"
        for w in (self.date_from, self.range_label, self.date_to):
            w.setVisible(custom)
        if custom:
            start, end = from_qdate(self.date_from.date()), from_qdate(self.date_to.date())
        else:
            start, end = preset_range(key)
        self.proxy.set_text(self.filter_edit.text())
        self.proxy.set_status(self.status_combo.currentData())
        self.proxy.set_date_range(start, end)
        self.clear_button.setEnabled(self.proxy.is_filtering())
        self._update_counts()

    def _update_counts(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if self.proxy.is_filtering():
            self.count_label.setText(f"{shown} of {total} shown")
        else:
            self.count_label.setText(f"{total} visit{'s' if total != 1 else ''}")
        if shown:
            self.body.setCurrentWidget(self.table)
        else:
            self.empty_label.setText(
                "No visit matches these filters." if total else "No visits yet.")
            self.body.setCurrentWidget(self.empty_label)
        if shown and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _focus_first_row(self) -> None:
        if self.proxy.rowCount():
            if not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _activated(self, index) -> None:
        if index.isValid():
            self.open_requested.emit(self.proxy.visit_at(index.row()).id)
