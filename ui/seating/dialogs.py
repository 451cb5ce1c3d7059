"""The seating page's dialogs: the seating options and the pair lists they edit.

:class:`SeatingOptionsDialog` edits how a plan is made (couples together or apart, pairs
kept apart, interpreters and their principals); :class:`PairListEditor` is its list of
person pairs with two pickers to add one.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from protocol_app.rules.names import display_name
from protocol_app.services.protocol import SeatingOptions, SeatingPlanView
from protocol_app.services.values import PersonRecord
from ui.dialogs.fit import fit_to_screen


class PairListEditor(QWidget):
    """A list of person pairs with two pickers to add one."""

    def __init__(self, people: Sequence[PersonRecord], pairs: Sequence[tuple[int, int]],
                 left: str, right: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = {p.id: display_name(p) for p in people}
        self.list = QListWidget()
        self.first = QComboBox()
        self.second = QComboBox()
        for combo in (self.first, self.second):
            for p in people:
                combo.addItem(display_name(p), p.id)
        add = QPushButton("Add")
        add.clicked.connect(self._add)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: [self.list.takeItem(self.list.row(i))
                                        for i in self.list.selectedItems()])
        row = QHBoxLayout()
        row.addWidget(QLabel(left))
        row.addWidget(self.first, 1)
        row.addWidget(QLabel(right))
        row.addWidget(self.second, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)
        self._right = right
        for a, b in pairs:
            self._append(a, b)

    def _append(self, a: int, b: int) -> None:
        item = QListWidgetItem(f"{self.names.get(a, a)} {self._right} {self.names.get(b, b)}")
        item.setData(Qt.ItemDataRole.UserRole, (a, b))
        self.list.addItem(item)

    def _add(self) -> None:
        a, b = self.first.currentData(), self.second.currentData()
        if a is None or b is None or a == b or (a, b) in self.pairs():
            return
        self._append(int(a), int(b))

    def pairs(self) -> tuple[tuple[int, int], ...]:
        """The pairs listed."""
        return tuple(tuple(self.list.item(i).data(Qt.ItemDataRole.UserRole))  # type: ignore[misc]
                     for i in range(self.list.count()))


class SeatingOptionsDialog(QDialog):
    """How a plan is made: couples together or apart, pairs kept apart, interpreters."""

    def __init__(self, plan: SeatingPlanView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Seating options – {plan.event.title}")
        people = sorted(plan.people.values(), key=display_name)
        self.together = QCheckBox("Seat couples side by side (otherwise apart)")
        self.together.setChecked(plan.options.couples_together)
        self.at_table = QCheckBox("Interpreters sit at the table (otherwise behind)")
        self.at_table.setChecked(plan.options.interpreters_at_table)
        self.couples = PairListEditor(people, plan.options.couples, "", "and")
        self.apart = PairListEditor(people, plan.options.not_together, "", "not next to")
        self.interpreters = PairListEditor(people, plan.interpreters, "Interpreter",
                                           "interprets for")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.together)
        layout.addWidget(QLabel("<b>Couples</b>"))
        layout.addWidget(self.couples)
        layout.addWidget(QLabel("<b>Keep apart</b>"))
        layout.addWidget(self.apart)
        layout.addWidget(self.at_table)
        layout.addWidget(QLabel("<b>Interpreters</b> (by default: the head of delegation's, "
                                "or the host's)"))
        layout.addWidget(self.interpreters)
        layout.addWidget(QLabel("Choose “Plan automatically” afterwards to apply them."))
        layout.addWidget(buttons)
        fit_to_screen(self)

    def options(self) -> SeatingOptions:
        """The options as edited."""
        return SeatingOptions(
            couples_together=self.together.isChecked(), couples=self.couples.pairs(),
            not_together=self.apart.pairs(), interpreters=self.interpreters.pairs(),
            interpreters_at_table=self.at_table.isChecked())

