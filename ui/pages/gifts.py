"""The Gifts tab: gifts given and received on the visit, registered for the record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from protocol_app.rules.gift_policy import GiftPolicy
from protocol_app.services.values import GiftRecord, VisitRecord
from ui.dialogs.confirm import confirm
from ui.dialogs.gift_editor import GiftEditorDialog
from ui.look import secondary, tune_table
from ui.models import format_money
from ui.models.gifts_model import GiftsModel
from ui.models.participants_model import full_name
from ui.pages.common import action_toolbar, list_table, run_write, table_action, toolbar_row
from ui.pages.visit_commands import VisitCommands


class GiftsTab(QWidget):
    """List, register, edit and delete the gifts of one visit."""

    #: The user asked to reload the visit (after a refused stale write).
    reload_requested = Signal()

    def __init__(self, commands: VisitCommands, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("giftsTab")
        self.commands = commands
        self.visit: VisitRecord | None = None
        self.model = GiftsModel(self)

        self.table = QTableView()
        self.table.setObjectName("giftsTable")
        self.table.setAccessibleName("Gifts")
        self.table.setModel(self.model)
        tune_table(self.table)
        list_table(self.table, GiftsModel.DESCRIPTION)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fm = self.fontMetrics()
        for col, sample in ((GiftsModel.DATE, "30 Sep 2027"), (GiftsModel.DIRECTION, "Received"),
                            (GiftsModel.GIVER, "H.E. Prof. Võ Thanh Tùng   "),
                            (GiftsModel.RECIPIENT, "Dr. Eleanor Whitcombe-Hayes"),
                            (GiftsModel.VALUE, "12,500.00 USD")):
            self.table.setColumnWidth(col, fm.horizontalAdvance(sample) + 28)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        def action(text: str, name: str, slot: Callable[[], object], icon_name: str,
                   shortcut: QKeySequence | None = None) -> QAction:
            return table_action(self, self.table, text, name, slot, icon_name, shortcut)

        self.act_add = action("Register gift…", "actionAddGift", self.add_gift, "gift",
                              QKeySequence(Qt.Key.Key_Insert))
        self.act_edit = action("Edit…", "actionEditGift", self.edit_selected, "edit")
        self.act_delete = action("Delete", "actionDeleteGift", self.delete_selected, "delete",
                                 QKeySequence(QKeySequence.StandardKey.Delete))
        self.addAction(self.act_add)
        toolbar = action_toolbar("Gifts", (self.act_add, self.act_edit, self.act_delete))
        self.totals = QLabel()
        self.totals.setObjectName("giftTotals")
        secondary(self.totals)
        top = toolbar_row(toolbar, self.totals)

        self.empty = QLabel("No gifts registered for this visit yet.\n"
                            "Register every gift given or received: Insert, or Register gift…")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        secondary(self.empty)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)
        self._update_actions()

    def set_visit(self, visit: VisitRecord) -> None:
        """Show a visit's gifts."""
        keep = self.selected()
        self.visit = visit
        names = {p.person_id: full_name(p) for p in visit.participants}
        self.model.set_rows(visit.gifts, names, self._policy())
        self.body.setCurrentWidget(self.table if visit.gifts else self.empty)
        parts = []
        for direction, label in (("received", "received"), ("given", "given")):
            count = sum(1 for g in visit.gifts if g.direction == direction)
            if count:
                totals = self.model.totals(direction)
                money = ", ".join(format_money(v, c) for c, v in sorted(totals.items()))
                parts.append(f"{count} {label}" + (f" ({money})" if money else ""))
        declare = sum(1 for g in visit.gifts if self.model.declaration(g).startswith("Must"))
        if declare:
            parts.append(f"{declare} must be declared")
        self.totals.setText(" · ".join(parts))
        if keep is not None and (row := self.model.row_of(keep.id)) is not None:
            self.table.selectRow(row)
        elif self.model.rowCount():
            self.table.selectRow(0)
        self._update_actions()

    def _policy(self) -> GiftPolicy | None:
        """The office's gifts policy (None before the services are open)."""
        services = getattr(self.commands, "services", None)
        return services.gifts.policy() if services is not None else None

    def selected(self) -> GiftRecord | None:
        """The selected gift."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        has = self.selected() is not None
        self.act_add.setEnabled(self.visit is not None)
        self.act_edit.setEnabled(has)
        self.act_delete.setEnabled(has)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_selected()

    def _run(self, fn: Callable[[], object]) -> bool:
        return run_write(self, fn, self.reload_requested.emit)

    def add_gift(self) -> None:
        """Register a gift with the gift dialog."""
        if self.visit is None:
            return
        visit_id = self.visit.id
        dialog = GiftEditorDialog(self.visit, lambda values: self.commands.add_gift(
            visit_id, values), parent=self)
        dialog.exec()
        dialog.deleteLater()

    def edit_selected(self) -> None:
        """Edit the selected gift."""
        gift = self.selected()
        if gift is None or self.visit is None:
            return

        def submit(changes: dict[str, Any]) -> object:
            return self.commands.edit_gift(gift, changes)

        dialog = GiftEditorDialog(self.visit, submit, gift=gift,
                                  on_stale=self.reload_requested.emit, parent=self)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def delete_selected(self) -> None:
        """Delete the selected gift (after confirmation)."""
        gift = self.selected()
        if gift is None:
            return
        first_line = gift.description.splitlines()[0] if gift.description else "this gift"
        if confirm(self, "Delete gift", f"Delete “{first_line}” from the gift register?",
                   informative="You can undo this with Ctrl+Z."):
            self._run(lambda: self.commands.delete_gift(gift))
