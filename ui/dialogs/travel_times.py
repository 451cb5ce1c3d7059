"""Travel times between venues: the office's table of minutes from one venue to another.

The itinerary's clash checks (:mod:`protocol_app.rules.conflicts`) allow, between two
events at different venues, the travel time on record for the pair (either way), or the
office's default (``services.travel.default_travel_minutes``) when none is.

:class:`TravelTimesDialog` lists the pairs on record (:class:`TravelTimesModel`, sorted
by venue names) and changes them through
:meth:`~protocol_app.services.protocol.travel.TravelService.set_travel_time` (audited):

* edit a pair's minutes in place (double-click, Enter or F2: a spin box, 0–1440);
* "Remove" (or Delete) takes the selected pair off the record, so the default applies;
* the form under the table adds a pair, or sets the minutes of a pair on record.

Every successful change emits :attr:`TravelTimesDialog.changed` (the itinerary refreshes
its findings); a refused one shows the service's message and reloads the table.

Open it from a menu: ``TravelTimesDialog(services, parent).exec()``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError
from protocol_app.services.protocol.values import TravelTimeRecord, VenueRecord
from ui.dialogs.errors import show_error
from ui.dialogs.fit import available_rect, fit_to_screen, size_to_screen
from ui.icons import icon
from ui.look import NoFocusDelegate, secondary, tune_table
from ui.models import RECORD_ROLE, SORT_ROLE
from ui.models.base import RIGHT_ALIGNED, RecordTableModel
from ui.models.base import Index as _Index

if TYPE_CHECKING:
    from protocol_app.services import Services

#: The longest travel time the service accepts (a day), in minutes.
MAX_MINUTES = 24 * 60

#: Room between a column's text and the next column (pixels).
COLUMN_GAP = 24

NO_VENUES = "Venues come from the itineraries: add an event with a venue first."
TOO_FEW_VENUES = "Travel times need at least two venues."
SAME_VENUE = "Choose two different venues."


def venue_labels(venues: Sequence[VenueRecord]) -> dict[int, str]:
    """The text shown for each venue (by id): its name, with the address added when
    another venue has the same name."""
    counts = Counter(v.name.casefold() for v in venues)
    return {v.id: f"{v.name} ({v.address})" if counts[v.name.casefold()] > 1 and v.address
            else v.name for v in venues}


def _pair(a: int, b: int) -> frozenset[int]:
    return frozenset((a, b))


class TravelTimesModel(RecordTableModel[TravelTimeRecord]):
    """One row per pair of venues on record: "From" is the name that sorts first.

    The minutes are editable; the model writes nothing itself: an edit emits
    :attr:`minutes_edited` and the dialog saves it, then calls :meth:`set_minutes`."""

    FROM, TO, MINUTES = range(3)
    HEADERS: tuple[str, ...] = ("From", "To", "Minutes")
    RIGHT_COLUMNS = (MINUTES,)

    #: (venue id, venue id, minutes wanted) - the minutes as edited, for the service to
    #: check (never None, which would mean "remove").
    minutes_edited = Signal(int, int, object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._labels: dict[int, str] = {}

    def set_rows(self, rows: Sequence[TravelTimeRecord],
                 labels: Mapping[int, str] | None = None) -> None:
        """Replace every row; ``labels`` maps venue ids to the text shown (else names)."""
        self.beginResetModel()
        self._labels = dict(labels or {})
        oriented = [r if self._key(r.venue_a) <= self._key(r.venue_b)
                    else TravelTimeRecord(r.venue_b, r.venue_a, r.minutes) for r in rows]
        self._rows = sorted(oriented, key=lambda r: (self._key(r.venue_a),
                                                     self._key(r.venue_b)))
        self.endResetModel()

    def label(self, venue: VenueRecord) -> str:
        """The text shown for a venue."""
        return self._labels.get(venue.id, venue.name)

    def _key(self, venue: VenueRecord) -> tuple[str, int]:
        return self.label(venue).casefold(), venue.id

    def row_at(self, row: int) -> TravelTimeRecord:
        """The pair of a row."""
        return self._rows[row]

    def row_of(self, venue_a: int, venue_b: int) -> int | None:
        """The row of a pair of venues (either way), if on record."""
        wanted = _pair(venue_a, venue_b)
        return self._find_row(lambda r: _pair(r.venue_a.id, r.venue_b.id) == wanted)

    def set_minutes(self, row: int, minutes: int) -> None:
        """Show new minutes for a row (after they were saved)."""
        r = self._rows[row]
        self._rows[row] = TravelTimeRecord(r.venue_a, r.venue_b, minutes)
        cell = self.index(row, self.MINUTES)
        self.dataChanged.emit(cell, cell)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.MINUTES:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if col == self.MINUTES:
                return f"{r.minutes} minutes"
            return self._display(r, col)
        if role == Qt.ItemDataRole.EditRole:
            return r.minutes if col == self.MINUTES else self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.MINUTES:
                return (f"{self.label(r.venue_a)} ↔ {self.label(r.venue_b)}: {r.minutes} min, "
                        "either way (double-click to change)")
            venue = r.venue_a if col == self.FROM else r.venue_b
            return "\n".join(x for x in (venue.name, venue.address) if x)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.MINUTES:
            return RIGHT_ALIGNED
        if role == SORT_ROLE:
            return r.minutes if col == self.MINUTES else self._display(r, col).casefold()
        if role == RECORD_ROLE:
            return r
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for new minutes; returns whether the row shows them afterwards (the dialog
        saves them and updates the row when the service accepts them)."""
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or index.column() != self.MINUTES or index.row() >= len(self._rows)):
            return False
        r = self._rows[index.row()]
        minutes = self._as_minutes(value)
        if minutes == r.minutes:
            return True
        self.minutes_edited.emit(r.venue_a.id, r.venue_b.id, minutes)
        row = self.row_of(r.venue_a.id, r.venue_b.id)
        return row is not None and self._rows[row].minutes == minutes

    @staticmethod
    def _as_minutes(value: Any) -> object:
        """Whole minutes when ``value`` is one (``25``, ``"25"``, ``25.0``); else the value
        as given, for the service to refuse with its message."""
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        return "" if value is None else value

    def _display(self, r: TravelTimeRecord, col: int) -> str:
        if col == self.FROM:
            return self.label(r.venue_a)
        if col == self.TO:
            return self.label(r.venue_b)
        if col == self.MINUTES:
            return str(r.minutes)
        return ""


class _MinutesDelegate(NoFocusDelegate):
    """Edits the minutes with a spin box (0 to a day)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex) -> QWidget:
        spin = QSpinBox(parent)
        spin.setObjectName("minutesEditor")
        spin.setAccessibleName("Minutes")
        spin.setRange(0, MAX_MINUTES)
        spin.setSuffix(" min")
        spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return spin

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QSpinBox):
            editor.setValue(int(index.data(Qt.ItemDataRole.EditRole) or 0))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        if isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class _TravelTable(QTableView):
    """The pairs on record: Delete (or Backspace) removes the selected pair; Enter, F2
    or a double-click anywhere on a row edits its minutes."""

    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Delete) or event.key() in (
                    Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_requested.emit()
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
                self.edit_minutes()
                event.accept()
                return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def content_widths(self) -> tuple[int, int]:
        """The widths the "From" and "To" names want."""
        header = self.horizontalHeader()
        a, b = (max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) + COLUMN_GAP
                for c in (TravelTimesModel.FROM, TravelTimesModel.TO))
        return a, b

    def fit_columns(self) -> None:
        """"From" as wide as its names, "To" takes the rest; when both do not fit beside
        the minutes they share the room (the tooltips show every name in full)."""
        if self.model() is None:
            return
        from_width, to_width = self.content_widths()
        room = self.viewport().width() - self.columnWidth(TravelTimesModel.MINUTES)
        if from_width + to_width > room > 0:
            from_width = max(120, room * from_width // (from_width + to_width))
        self.setColumnWidth(TravelTimesModel.FROM, from_width)

    def edit_minutes(self, index: QModelIndex | None = None) -> bool:
        """Open the minutes editor of a row (the current row by default)."""
        index = index if index is not None else self.currentIndex()
        if not index.isValid():
            return False
        cell = index.siblingAtColumn(TravelTimesModel.MINUTES)
        self.setCurrentIndex(cell)
        self.edit(cell)
        return self.state() == QAbstractItemView.State.EditingState


class TravelTimesDialog(QDialog):
    """The office's travel times between venues (see the module docstring)."""

    #: Emitted after every travel time saved or removed.
    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.venues: list[VenueRecord] = []
        self.labels: dict[int, str] = {}
        self.default_minutes = 0
        self.setObjectName("travelTimesDialog")
        self.setWindowTitle("Travel times between venues")
        self.setAccessibleName("Travel times between venues")
        self.setWindowIcon(icon("itinerary"))

        self.heading = QLabel()
        self.heading.setObjectName("travelTimesHeading")
        self.heading.setWordWrap(True)
        secondary(self.heading)

        self.model = TravelTimesModel(self)
        self.model.minutes_edited.connect(self._minutes_edited)
        self.table = _TravelTable()
        self.table.setObjectName("travelTimesTable")
        self.table.setAccessibleName("Travel times on record")
        self.table.setModel(self.model)
        tune_table(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        self.table.setItemDelegateForColumn(TravelTimesModel.MINUTES,
                                            _MinutesDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TravelTimesModel.FROM, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TravelTimesModel.TO, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TravelTimesModel.MINUTES, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(TravelTimesModel.MINUTES, max(
            header.sectionSizeHint(TravelTimesModel.MINUTES),
            self.table.fontMetrics().horizontalAdvance(str(MAX_MINUTES))) + COLUMN_GAP)
        self.table.activated.connect(self.table.edit_minutes)
        self.table.remove_requested.connect(self.remove_selected)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._row_chosen(current.row()))
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.remove_button.setEnabled(self.selected() is not None))

        self.empty = QLabel()
        self.empty.setObjectName("travelTimesEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setMargin(24)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setFrameShape(QFrame.Shape.StyledPanel)  # where the table would be
        self.empty.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty.setAutoFillBackground(True)
        secondary(self.empty)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)

        self.remove_button = QPushButton(icon("delete"), "Remove")
        self.remove_button.setObjectName("removeTravelTime")
        self.remove_button.setAccessibleName("Remove the selected travel time")
        self.remove_button.setToolTip("Take the selected pair off the record: the default "
                                      "applies again (Delete)")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self.remove_button)
        table_buttons.addStretch(1)

        self.from_box = self._venue_box("fromVenue", "From venue")
        self.to_box = self._venue_box("toVenue", "To venue")
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setObjectName("minutesSpin")
        self.minutes_spin.setAccessibleName("Minutes between the two venues")
        self.minutes_spin.setRange(0, MAX_MINUTES)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAlignment(Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter)
        self.add_button = QPushButton(icon("add"), "Add")
        self.add_button.setObjectName("addTravelTime")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_from_form)
        self.form_hint = QLabel()
        self.form_hint.setObjectName("travelTimeHint")
        self.form_hint.setWordWrap(True)
        self.form_hint.setTextFormat(Qt.TextFormat.PlainText)
        secondary(self.form_hint)

        self.form = QGroupBox("Add or change a travel time")
        self.form.setObjectName("travelTimeForm")
        grid = QGridLayout(self.form)
        grid.setColumnStretch(1, 1)
        for row, (text, widget) in enumerate((("&From:", self.from_box),
                                              ("&To:", self.to_box))):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1, 1, 2)
        minutes_label = QLabel("&Minutes:")
        minutes_label.setBuddy(self.minutes_spin)
        minutes_row = QHBoxLayout()
        minutes_row.addWidget(self.minutes_spin)
        minutes_row.addWidget(self.form_hint, 1)
        grid.addWidget(minutes_label, 2, 0)
        grid.addLayout(minutes_row, 2, 1)
        grid.addWidget(self.add_button, 2, 2)

        self.status = QLabel()
        self.status.setObjectName("travelTimesStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        secondary(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.close_button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        layout.addLayout(table_buttons)
        layout.addWidget(self.form)
        layout.addLayout(bottom)

        for first, second in ((self.table, self.remove_button),
                              (self.remove_button, self.from_box),
                              (self.from_box, self.to_box), (self.to_box, self.minutes_spin),
                              (self.minutes_spin, self.add_button),
                              (self.add_button, self.close_button)):
            QWidget.setTabOrder(first, second)
        self.resize(640, 460)
        fit_to_screen(self)
        self._shown = False
        self.reload()

    def _venue_box(self, name: str, accessible: str) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        box.setAccessibleName(accessible)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(24)
        box.currentIndexChanged.connect(lambda _i: self._form_changed(prefill=True))
        return box

    def showEvent(self, event: QShowEvent) -> None:
        """On first show: the focus on the table (or the form), and wide enough for the
        names on record when the screen allows."""
        super().showEvent(event)
        if self._shown:
            return
        self._shown = True
        if self.model.rowCount():
            if self.selected() is None:
                self.table.setCurrentIndex(self.model.index(0, TravelTimesModel.FROM))
            self.table.setFocus()
        else:
            self.from_box.setFocus()
        wanted = sum(self.table.content_widths()) + self.table.columnWidth(
            TravelTimesModel.MINUTES)
        missing = wanted - self.table.viewport().width()
        if missing > 0:  # wider, for the names on record, when the screen allows
            screen = available_rect(self).width()
            self.resize(max(self.width(), min(self.width() + missing + 4, int(screen * 0.9))),
                        self.height())
        self.table.fit_columns()
        size_to_screen(self)

    # -- reading --------------------------------------------------------------------------

    def reload(self, select: tuple[int, int] | None = None) -> None:
        """Read the venues and the travel times again; keep (or set) the selected pair."""
        if select is None:
            current = self.selected()
            select = (current.venue_a.id, current.venue_b.id) if current else None
        self.default_minutes = self.services.travel.default_travel_minutes
        self.venues = self.services.travel.venues()
        self.labels = venue_labels(self.venues)
        self.heading.setText(
            "The itinerary's clash checks allow these minutes to get from one venue to the "
            "other, either way. Pairs not listed here use the office's default of "
            f"<b>{self.default_minutes}</b> minutes.")
        self._fill_venue_boxes()
        self.model.set_rows(self.services.travel.travel_times(), self.labels)
        self.table.fit_columns()
        size_to_screen(self)

        if not self.venues:
            self.empty.setText(NO_VENUES)
        else:
            self.empty.setText(
                "No travel times on record yet.\n"
                f"Every pair of venues uses the default of {self.default_minutes} minutes: "
                "add one below.")
        self.body.setCurrentWidget(self.table if self.model.rowCount() else self.empty)
        has_venues = bool(self.venues)
        for widget in (self.from_box, self.to_box, self.minutes_spin, self.form):
            widget.setEnabled(has_venues)
        row = self.model.row_of(*select) if select else None
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, TravelTimesModel.FROM))
        else:
            self.table.clearSelection()
        self._form_changed(prefill=row is None)

    def _fill_venue_boxes(self) -> None:
        for box in (self.from_box, self.to_box):
            kept = box.currentData()
            box.blockSignals(True)
            box.clear()
            for v in self.venues:
                box.addItem(self.labels[v.id], v.id)
                box.setItemData(box.count() - 1,
                                "\n".join(x for x in (v.name, v.address) if x),
                                Qt.ItemDataRole.ToolTipRole)
            found = box.findData(kept) if kept is not None else -1
            if found < 0:
                found = 1 if box is self.to_box and len(self.venues) > 1 else 0
            box.setCurrentIndex(found if self.venues else -1)
            box.blockSignals(False)

    def selected(self) -> TravelTimeRecord | None:
        """The pair of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def stored_minutes(self, venue_a: int, venue_b: int) -> int | None:
        """The minutes on record for a pair (as listed), or None."""
        row = self.model.row_of(venue_a, venue_b)
        return self.model.row_at(row).minutes if row is not None else None

    def _row_chosen(self, row: int) -> None:
        """Show the selected pair in the form, ready to be changed."""
        if not 0 <= row < self.model.rowCount():
            return
        r = self.model.row_at(row)
        for box, venue in ((self.from_box, r.venue_a), (self.to_box, r.venue_b)):
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(venue.id)))
            box.blockSignals(False)
        self._form_changed(prefill=True)

    def _form_changed(self, prefill: bool = False) -> None:
        """Enable "Add"/"Set" for two different venues; with ``prefill``, put the pair's
        current minutes (on record, else the default) in the spin box."""
        self.remove_button.setEnabled(bool(self.venues) and self.selected() is not None)
        a, b = self.from_box.currentData(), self.to_box.currentData()
        stored = self.stored_minutes(a, b) if a is not None and b is not None else None
        if not self.venues:  # the message above the form says why
            hint, ok = "", False
            self.minutes_spin.setValue(self.default_minutes)
        elif len(self.venues) < 2:
            hint, ok = TOO_FEW_VENUES, False
        elif a == b:
            hint, ok = SAME_VENUE, False
        elif stored is not None:
            hint, ok = f"On record: {stored} min. “Set” replaces it.", True
        else:
            hint, ok = f"Not on record: uses the default ({self.default_minutes} min).", True
        if prefill and ok:
            self.minutes_spin.setValue(stored if stored is not None else self.default_minutes)
        self.form_hint.setText(hint)
        self.add_button.setEnabled(ok)
        update = stored is not None and ok
        self.add_button.setText("Set" if update else "Add")
        self.add_button.setIcon(icon("check" if update else "add"))
        self.add_button.setAccessibleName("Set the travel time" if update
                                          else "Add the travel time")

    # -- writes ----------------------------------------------------------------------------

    def _write(self, fn: Callable[[], object], select: tuple[int, int] | None = None, *,
               reload_later: bool = False) -> bool:
        """Run a service write: on success reload (selecting ``select``) and emit
        :attr:`changed`; a refusal shows its message and reloads from the service."""
        try:
            fn()
        except ProtocolError as exc:
            show_error(self, "Not saved", exc)
            self.status.setText("Not saved.")
            if reload_later:  # an editor is still committing: reset the rows after it
                QTimer.singleShot(0, self, lambda: self.reload(select))
            else:
                self.reload(select)
            return False
        if not reload_later:
            self.reload(select)
        self.changed.emit()
        return True

    def _name(self, venue_id: int) -> str:
        return self.labels.get(venue_id, f"venue #{venue_id}")

    def set_pair(self, venue_a: int, venue_b: int, minutes: int) -> bool:
        """Store the minutes between two venues (ids), either way."""
        old = self.stored_minutes(venue_a, venue_b)
        if not self._write(lambda: self.services.travel.set_travel_time(
                venue_a, venue_b, minutes), (venue_a, venue_b)):
            return False
        pair = f"{self._name(venue_a)} ↔ {self._name(venue_b)}"
        self.status.setText(f"{pair}: {minutes} min (added)." if old is None
                            else f"{pair}: {minutes} min (was {old}).")
        return True

    def add_from_form(self) -> bool:
        """Add (or set) the pair chosen in the form."""
        a, b = self.from_box.currentData(), self.to_box.currentData()
        if not self.add_button.isEnabled() or a is None or b is None:
            return False
        self.minutes_spin.interpretText()
        return self.set_pair(a, b, self.minutes_spin.value())

    def _minutes_edited(self, venue_a: int, venue_b: int, minutes: object) -> None:
        """Save minutes edited in the table (the row is updated in place)."""
        old = self.stored_minutes(venue_a, venue_b)
        if not self._write(lambda: self.services.travel.set_travel_time(
                venue_a, venue_b, minutes), (venue_a, venue_b), reload_later=True):
            return
        row = self.model.row_of(venue_a, venue_b)
        if row is not None and isinstance(minutes, int):
            self.model.set_minutes(row, minutes)
        self._form_changed(prefill=True)
        self.status.setText(f"{self._name(venue_a)} ↔ {self._name(venue_b)}: {minutes} min "
                            f"(was {old}).")

    def remove_selected(self) -> bool:
        """Take the selected pair off the record: the default applies again."""
        r = self.selected()
        if r is None:
            return False
        row = self.model.row_of(r.venue_a.id, r.venue_b.id) or 0
        near = next((self.model.row_at(n) for n in (row + 1, row - 1)
                     if 0 <= n < self.model.rowCount()), None)
        keep = (near.venue_a.id, near.venue_b.id) if near is not None else None
        if not self._write(lambda: self.services.travel.set_travel_time(
                r.venue_a.id, r.venue_b.id, None), keep):
            return False
        if self.model.rowCount():  # the keyboard stays on the neighbouring row
            self.table.setFocus()
        self.status.setText(f"{self.model.label(r.venue_a)} ↔ {self.model.label(r.venue_b)} "
                            f"now uses the default ({self.default_minutes} min).")
        return True
