"""Pickers that search: :class:`SearchableCombo` (type any part of a label) and
:class:`ZonePicker` (time zones by their people name, storing the IANA key)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from protocol_app.formatting import zone_label
from ui.models.zones import zone_choices


def _completer(items: Iterable[str], parent: QWidget) -> QCompleter:
    completer = QCompleter(QStringListModel(list(items), parent), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(12)
    return completer


class SearchableCombo(QComboBox):
    """An editable combo box whose completer matches anywhere in the item text."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName(name)
        self.setMaxVisibleItems(16)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)

    def set_items(self, items: Iterable[tuple[str, str]]) -> None:
        """(label, value) pairs."""
        pairs = list(items)
        with QSignalBlocker(self):
            self.clear()
            for label, value in pairs:
                self.addItem(label, value)
        self.setCompleter(_completer([label for label, _ in pairs], self))

    def value(self) -> str:
        """The value of the item whose label is typed, or the typed text itself."""
        text = self.currentText().strip()
        current = self.currentIndex()
        if current >= 0 and self.itemText(current) == text:  # two items may share a label
            return str(self.itemData(current))
        found = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if found >= 0:
            return str(self.itemData(found))
        folded = text.casefold()
        for i in range(self.count()):  # the code alone, or the name without the code
            if folded in (str(self.itemData(i)).casefold(),
                          self.itemText(i).rsplit(" (", 1)[0].casefold()):
                return str(self.itemData(i))
        return text

    def set_value(self, value: str) -> None:
        """Select the item of a value (or show the raw value if unknown)."""
        found = self.findData(value)
        if found >= 0:
            self.setCurrentIndex(found)
        else:
            self.setEditText(value)



class ZonePicker(SearchableCombo):
    """A time zone chosen by its people name ("New York time (EST, UTC−5)", searchable by
    any part: "york", "EST", "UTC−5"), stored as its IANA key (:meth:`value`); the key is
    in each item's tooltip and the picker's, never in its text.  The names read as the
    clocks do on the day given to :meth:`set_day` (the visit's first day)."""

    def __init__(self, name: str, parent: QWidget | None = None, *,
                 on: date | None = None) -> None:
        super().__init__(name, parent)
        self.setMinimumContentsLength(26)
        self._day = on or date.today()
        self._fill()
        self.currentIndexChanged.connect(self._tooltip)
        self.editTextChanged.connect(self._tooltip)

    def _fill(self) -> None:
        self.set_items(zone_choices(self._day))
        for index in range(self.count()):
            self.setItemData(index, self.itemData(index), Qt.ItemDataRole.ToolTipRole)

    def set_day(self, on: date) -> None:
        """Name the zones as their clocks read on ``on``; the chosen zone stays chosen."""
        if on != self._day:
            chosen = self.value()
            self._day = on
            self._fill()
            self.set_value(chosen)

    def set_value(self, value: str) -> None:
        """Choose the zone of an IANA key; a key the list lacks (an old alias such as
        Asia/Saigon) is added by its people name, and an unknown text is shown as typed."""
        if value and self.findData(value) < 0:
            try:
                label = zone_label(value, datetime.combine(self._day, time(12), UTC))
            except (ValueError, KeyError):
                label = ""
            if label:
                with QSignalBlocker(self):
                    self.addItem(label, value)
                    self.setItemData(self.count() - 1, value, Qt.ItemDataRole.ToolTipRole)
                self.setCompleter(_completer([self.itemText(i) for i in range(self.count())],
                                             self))
        super().set_value(value)
        self._tooltip()

    def _tooltip(self, *_: object) -> None:
        key = self.value()
        self.setToolTip(f"Time zone: {key}" if key else "Type a city or a zone's name")
