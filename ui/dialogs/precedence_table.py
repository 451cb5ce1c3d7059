"""Editing precedence: the office's table of categories, and a visit's host overrides.

:class:`PrecedenceTableDialog` edits the table of precedence: the categories in rank
order (drag a line, or use "Up"/"Down", to move it), and for the selected line its
label, plural, tie rule, "Excellency" flag and equivalents note ("Apply" saves).
"Add…" adds a line just above "other guest"; "Remove" removes a line nobody's rank
uses; "Restore defaults" brings back the default table.  Every change is saved at once
through :class:`~protocol_app.services.protocol.precedence.PrecedenceService` (audited, version
checked).

:class:`PrecedenceOverridesDialog` shows a visit's order of precedence with the
explanation of every place, and lets the host move someone before or after someone
else - with a reason, which is required and shown in the order - or withdraw such a
move.

Open them from a menu: ``PrecedenceTableDialog(services, parent).exec()`` and
``PrecedenceOverridesDialog(services, visit, parent).exec()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError, StaleWriteError
from protocol_app.rules.names import display_name
from protocol_app.rules.precedence import DATE_IN_OFFICE, NO_TIE_RULE, TOOK_UP_FUNCTIONS
from protocol_app.services.protocol.values import CategoryRecord, OverrideRecord
from protocol_app.services.values import VisitRecord
from ui.dialogs.errors import show_error
from ui.dialogs.fit import fit_to_screen
from ui.models.participants_model import participant_sort_key

if TYPE_CHECKING:
    from protocol_app.services import Services

TIE_RULE_LABELS: dict[str, str] = {
    TOOK_UP_FUNCTIONS: "Date and time of taking up functions (heads of mission)",
    DATE_IN_OFFICE: "Date in office (seniority)",
    NO_TIE_RULE: "None: alphabetical",
}


class _CategoryList(QListWidget):
    """The categories in rank order; a line dragged to another place is moved."""

    def __init__(self, dialog: PrecedenceTableDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def dropEvent(self, event) -> None:
        key = self.currentItem().data(Qt.ItemDataRole.UserRole) if self.currentItem() else None
        super().dropEvent(event)
        if key is None:
            return
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.dialog.move_to(key, row)
                return


class PrecedenceTableDialog(QDialog):
    """The office's table of precedence (see the module docstring)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Table of precedence")
        self.resize(880, 560)
        self.services = services
        self.categories: list[CategoryRecord] = []

        self.list = _CategoryList(self)
        self.list.setObjectName("categories")
        self.list.currentRowChanged.connect(self._selected)
        self.up_button = QPushButton("Up")
        self.up_button.clicked.connect(lambda: self._step(-1))
        self.down_button = QPushButton("Down")
        self.down_button.clicked.connect(lambda: self._step(1))
        self.add_button = QPushButton("Add…")
        self.add_button.clicked.connect(self.add_category)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.reset_button = QPushButton("Restore defaults")
        self.reset_button.clicked.connect(self.restore_defaults)
        moves = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.add_button,
                       self.remove_button):
            moves.addWidget(button)
        moves.addStretch(1)
        moves.addWidget(self.reset_button)
        left = QVBoxLayout()
        left.addWidget(QLabel("Highest first. Drag a line, or use Up and Down, to move it."))
        left.addWidget(self.list, 1)
        left.addLayout(moves)

        self.label_edit = QLineEdit()
        self.plural_edit = QLineEdit()
        self.tie_box = QComboBox()
        for rule, text in TIE_RULE_LABELS.items():
            self.tie_box.addItem(text, rule)
        self.excellency_box = QCheckBox("Styled “His/Her Excellency”")
        self.equivalents_edit = QPlainTextEdit()
        self.equivalents_edit.setPlaceholderText("Which offices, at home or abroad, belong "
                                                 "here (visiting officials rank with their "
                                                 "equivalent)")
        self.apply_button = QPushButton("Apply")
        self.apply_button.clicked.connect(self.apply_edits)
        form = QFormLayout()
        form.addRow("Label:", self.label_edit)
        form.addRow("Plural:", self.plural_edit)
        form.addRow("Ties broken by:", self.tie_box)
        form.addRow("", self.excellency_box)
        form.addRow("Equivalents:", self.equivalents_edit)
        right = QVBoxLayout()
        right.addLayout(form, 1)
        right.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignRight)

        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        fit_to_screen(self)
        self.reload()

    # -- reading --------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Read the table again; keep (or set) the selected line."""
        current = select or self.selected_key()
        self.categories = self.services.precedence.categories()
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.categories:
            item = QListWidgetItem(self._line(c))
            item.setData(Qt.ItemDataRole.UserRole, c.key)
            item.setToolTip(c.equivalents or c.label)
            self.list.addItem(item)
        self.list.blockSignals(False)
        keys = [c.key for c in self.categories]
        self.list.setCurrentRow(keys.index(current) if current in keys else 0)
        self._selected(self.list.currentRow())

    @staticmethod
    def _line(c: CategoryRecord) -> str:
        style = " · Excellency" if c.excellency else ""
        tie = {TOOK_UP_FUNCTIONS: "by date of taking up functions",
               DATE_IN_OFFICE: "by date in office", NO_TIE_RULE: "alphabetical"}[c.tie_rule]
        return f"{c.order:>4}   {c.label[:1].upper()}{c.label[1:]}   ({tie}{style})"

    def selected_key(self) -> str | None:
        """The key of the selected line."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def selected(self) -> CategoryRecord | None:
        """The selected line."""
        key = self.selected_key()
        return next((c for c in self.categories if c.key == key), None)

    def _selected(self, row: int) -> None:
        c = self.selected()
        enabled = c is not None
        for w in (self.label_edit, self.plural_edit, self.tie_box, self.excellency_box,
                  self.equivalents_edit, self.apply_button, self.remove_button):
            w.setEnabled(enabled)
        self.up_button.setEnabled(enabled and row > 0)
        self.down_button.setEnabled(enabled and row < self.list.count() - 1)
        if c is None:
            return
        self.label_edit.setText(c.label)
        self.plural_edit.setText(c.plural)
        self.tie_box.setCurrentIndex(max(0, self.tie_box.findData(c.tie_rule)))
        self.excellency_box.setChecked(c.excellency)
        self.equivalents_edit.setPlainText(c.equivalents)
        self.remove_button.setEnabled(c.key != "other")

    # -- writes ----------------------------------------------------------------------------

    def _write(self, fn: Callable[[], object], select: str | None = None) -> bool:
        try:
            fn()
        except StaleWriteError as exc:
            self.reload(select)
            show_error(self, "Table of precedence not changed", exc)
            return False
        except ProtocolError as exc:
            show_error(self, "Table of precedence not changed", exc)
            self.reload(select)
            return False
        self.reload(select)
        return True

    def apply_edits(self) -> bool:
        """Save the form's values for the selected line."""
        c = self.selected()
        if c is None:
            return False
        changes = {
            "label": self.label_edit.text().strip(),
            "plural": self.plural_edit.text().strip(),
            "tie_rule": self.tie_box.currentData(),
            "excellency": self.excellency_box.isChecked(),
            "equivalents": self.equivalents_edit.toPlainText().strip(),
        }
        changes = {k: v for k, v in changes.items() if getattr(c, k) != v}
        if not changes:
            return True
        return self._write(lambda: self.services.precedence.update_category(
            c.key, c.version, **changes), c.key)

    def move_to(self, key: str, row: int) -> bool:
        """Move a line to a row (0 = highest)."""
        c = next((x for x in self.categories if x.key == key), None)
        if c is None:
            return False
        return self._write(lambda: self.services.precedence.move_category(key, row, c.version),
                           key)

    def _step(self, delta: int) -> None:
        key = self.selected_key()
        if key is not None:
            self.move_to(key, self.list.currentRow() + delta)

    def add_category(self) -> None:
        """Ask for a label and add a line above "other guest"."""
        label, ok = QInputDialog.getText(self, "Add a category",
                                         "Label (a noun phrase, e.g. “chief justice”):")
        if ok and label.strip():
            self.add(label.strip())

    def add(self, label: str, key: str | None = None) -> bool:
        """Add a line (key made from the label unless given)."""
        from protocol_app.rules.precedence import normalize_key

        made = key or normalize_key(label)
        return self._write(lambda: self.services.precedence.add_category(made, label), made)

    def remove_selected(self) -> bool:
        """Remove the selected line (refused while people have that rank)."""
        c = self.selected()
        if c is None:
            return False
        return self._write(lambda: self.services.precedence.delete_category(c.key, c.version))

    def restore_defaults(self) -> bool:
        """Replace the table by the default one."""
        return self._write(self.services.precedence.reset_categories)


class PrecedenceOverridesDialog(QDialog):
    """A visit's order of precedence and the host's moves (see the module docstring)."""

    def __init__(self, services: Services, visit: VisitRecord | int | str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.visit = visit if isinstance(visit, VisitRecord) else services.visits.get(visit)
        self.setWindowTitle(f"Order of precedence – {self.visit.title}")
        self.resize(960, 640)

        self.side_box = QComboBox()
        for text, side in (("Guests", "guest"), ("Hosts", "host"), ("Everyone", None)):
            self.side_box.addItem(text, side)
        self.side_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.order = QTableWidget(0, 4)
        self.order.setObjectName("precedenceOrder")
        self.order.setHorizontalHeaderLabels(["#", "Name", "Category", "Why here"])
        self.order.verticalHeader().setVisible(False)
        self.order.setWordWrap(True)
        self.order.setAlternatingRowColors(True)
        self.order.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.order.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.order.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # rows grow to the wrapped explanation whenever the column changes width
        header.sectionResized.connect(lambda *_: self.order.resizeRowsToContents())

        self.person_box = QComboBox()
        self.place_box = QComboBox()
        self.place_box.addItem("before", "before")
        self.place_box.addItem("after", "after")
        self.other_box = QComboBox()
        for p in sorted(self.visit.participants, key=participant_sort_key):
            self.person_box.addItem(p.list_name, p.person_id)
        self.person_box.currentIndexChanged.connect(lambda _i: self._offer_others())
        self._offer_others()
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("overrideReason")
        self.reason_edit.setPlaceholderText("Reason (required; shown in the order of "
                                            "precedence)")
        self.reason_edit.textChanged.connect(self._update_buttons)
        self.add_button = QPushButton("Move")
        self.add_button.clicked.connect(self.add_from_form)
        move = QHBoxLayout()
        move.addWidget(QLabel("Place"))
        move.addWidget(self.person_box, 1)
        move.addWidget(self.place_box)
        move.addWidget(self.other_box, 1)
        move.addWidget(self.add_button)

        self.overrides_list = QListWidget()
        self.overrides_list.setObjectName("overrides")
        self.overrides_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.remove_button = QPushButton("Withdraw")
        self.remove_button.clicked.connect(self.remove_selected)

        top = QHBoxLayout()
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.side_box)
        top.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.order, 3)
        layout.addWidget(QLabel("<b>The host's changes</b>"))
        layout.addWidget(self.overrides_list, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(move)
        layout.addWidget(self.reason_edit)
        layout.addWidget(close)
        fit_to_screen(self)
        self.reload()

    def reload(self) -> None:
        """Read the order and the overrides again."""
        side = self.side_box.currentData()
        entries = self.services.precedence.precedence(self.visit.id, side=side)
        self.order.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = [str(e.position), display_name(e.person), e.category_label, e.explanation]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setToolTip(text)
                    if e.override_reason:
                        font = item.font()
                        font.setItalic(True)
                        item.setFont(font)
                self.order.setItem(row, column, item)
        self.order.resizeRowsToContents()
        names = {p.person_id: display_name(p.person) for p in self.visit.participants}
        self.overrides_list.clear()
        for o in self.services.precedence.overrides(self.visit.id):
            item = QListWidgetItem(
                f"{names.get(o.person_id, o.person_id)} {o.place} "
                f"{names.get(o.other_person_id, o.other_person_id)}: {o.reason} "
                f"({o.created_by}, {o.created_at:%d %b %Y})")
            item.setData(Qt.ItemDataRole.UserRole, o)
            self.overrides_list.addItem(item)
        self._update_buttons()

    def _offer_others(self) -> None:
        """Everyone but the person being moved, in order of precedence: nobody is placed
        before or after themselves."""
        moved = self.person_box.currentData()
        kept = self.other_box.currentData()
        self.other_box.clear()
        for p in sorted(self.visit.participants, key=participant_sort_key):
            if p.person_id != moved:
                self.other_box.addItem(p.list_name, p.person_id)
        self.other_box.setCurrentIndex(max(0, self.other_box.findData(kept)))

    def order_names(self) -> list[str]:
        """The names in the order shown."""
        return [self.order.item(row, 1).text() for row in range(self.order.rowCount())]

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(bool(self.reason_edit.text().strip()))
        self.remove_button.setEnabled(self.overrides_list.currentItem() is not None)

    def add_override(self, person_id: int, place: str, other_id: int, reason: str) -> bool:
        """Place a person before or after another, for a reason."""
        try:
            self.services.precedence.add_override(self.visit.id, person_id, place, other_id,
                                                reason)
        except ProtocolError as exc:
            show_error(self, "Order not changed", exc)
            return False
        self.reason_edit.clear()
        self.reload()
        return True

    def add_from_form(self) -> bool:
        """Apply the move described by the form."""
        return self.add_override(self.person_box.currentData(), self.place_box.currentData(),
                                 self.other_box.currentData(), self.reason_edit.text())

    def remove_selected(self) -> bool:
        """Withdraw the selected move."""
        item = self.overrides_list.currentItem()
        override = item.data(Qt.ItemDataRole.UserRole) if item else None
        if not isinstance(override, OverrideRecord):
            return False
        try:
            self.services.precedence.remove_override(override.id)
        except ProtocolError as exc:
            show_error(self, "Order not changed", exc)
        self.reload()
        return True
