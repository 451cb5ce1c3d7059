"""The visit's History tab: who changed what and when, from the audit trail, by save.

Each save is a top-level line ("10 March 2027 14:05 — j.doe, 3 changes", on this
computer's clock, as the stale-write dialog dates a change); under it one
line per record changed, with the fields (sensitive values shown as "changed", as the
trail records them).  The filter above narrows the history to one event or one person.
Double-clicking a line (or "Open") opens its record: :attr:`HistoryTab.open_event` or
:attr:`HistoryTab.open_person` is emitted and the workspace opens the editor.  Below,
the printed items that are out of date (:class:`~ui.widgets.reprint_list.ReprintList`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.formatting import format_datetime
from ui.widgets.reprint_list import ReprintList

_LINE = Qt.ItemDataRole.UserRole


class HistoryTab(QWidget):
    """A visit's history, filterable by event or person, and what to reprint."""

    open_event = Signal(int)
    open_person = Signal(int)

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyTab")
        self.services = services
        self.visit: Any = None
        self._stale = True
        self.filter = QComboBox()
        self.filter.setObjectName("historyFilter")
        self.filter.setAccessibleName("Show the history of")
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.open_button = QPushButton("&Open")
        self.open_button.setObjectName("historyOpen")
        self.open_button.setToolTip("Open the event or person of the selected line")
        self.open_button.clicked.connect(self.open_selected)
        top = QHBoxLayout()
        label = QLabel("&Show")
        label.setBuddy(self.filter)
        top.addWidget(label)
        top.addWidget(self.filter, 1)
        top.addWidget(self.open_button)
        self.tree = QTreeWidget()
        self.tree.setObjectName("historyTree")
        self.tree.setAccessibleName("History")
        self.tree.setHeaderLabels(["Change", "Who"])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.open_item(item))
        self.tree.currentItemChanged.connect(lambda *_: self._update_button())
        self.reprint = ReprintList(services, self)
        history = QWidget()
        column = QVBoxLayout(history)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.tree, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(history)
        split.addWidget(self.reprint)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._update_button()

    def set_visit(self, visit: Any) -> None:
        """Show a visit's history (read now if the tab is on screen, else when shown)."""
        same = self.visit is not None and self.visit.id == visit.id
        self.visit = visit
        self._fill_filter(keep=same)
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        """Read the history when the tab comes into view after a change."""
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _fill_filter(self, keep: bool) -> None:
        current = self.filter.currentData() if keep else None
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem("Everything", None)
        for event in self.visit.events:
            self.filter.addItem(f"Event: {event.title}", f"event:{event.id}")
        for p in self.visit.participants:
            self.filter.addItem(f"Person: {p.person.display_name}", f"person:{p.person_id}")
        index = self.filter.findData(current) if current is not None else 0
        self.filter.setCurrentIndex(max(0, index))
        self.filter.blockSignals(False)

    def reload(self) -> None:
        """Read the history and the out-of-date items again."""
        self.tree.clear()
        if self.visit is None:
            return
        self._stale = False
        chosen = self.filter.currentData()  # "event:12", "person:3" or None
        kind, _, number = chosen.partition(":") if chosen else ("", "", "")
        ident = int(number) if number else None
        saves = self.services.history.visit_history(
            self.visit.id, event_id=ident if kind == "event" else None,
            person_id=ident if kind == "person" else None)
        for save in saves:
            count = len(save.lines)
            saved = save.at.astimezone()  # when the office saved: this computer's clock,
            head = QTreeWidgetItem([f"{format_datetime(saved)} — {count} "  # as stale.py
                                    f"change{'s' if count != 1 else ''}", save.actor])
            head.setToolTip(0, f"Saved {format_datetime(saved)}, this computer's time "
                               f"({saved:%Z}, UTC{saved:%z})")
            for line in save.lines:
                child = QTreeWidgetItem([line.text, line.actor])
                child.setData(0, _LINE, line)
                child.setToolTip(0, line.text)
                head.addChild(child)
            self.tree.addTopLevelItem(head)
            head.setExpanded(True)
        self.reprint.set_visit(self.visit.id)
        self._update_button()

    def lines(self) -> list[Any]:
        """Every history line shown (HistoryLine values), newest save first."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            out.extend(head.child(j).data(0, _LINE) for j in range(head.childCount()))
        return out

    def _line(self, item: QTreeWidgetItem | None) -> Any:
        return item.data(0, _LINE) if item is not None else None

    def _update_button(self) -> None:
        line = self._line(self.tree.currentItem())
        self.open_button.setEnabled(line is not None and (
            line.event_id is not None or line.person_id is not None))

    def open_selected(self) -> None:
        """Open the record of the selected line."""
        self.open_item(self.tree.currentItem())

    def open_item(self, item: QTreeWidgetItem | None) -> None:
        """Open the record a history line names: an event that still exists, else its
        person."""
        line = self._line(item)
        if line is None or self.visit is None:
            return
        events = {e.id for e in self.visit.events}
        if line.event_id is not None and line.event_id in events:
            self.open_event.emit(line.event_id)
        elif line.person_id is not None:
            self.open_person.emit(line.person_id)
