"""The Delegation tab: guests and hosts with their side and role; the head marked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QSplitter,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from protocol_app.records import vocab
from protocol_app.rules.names import native_script
from protocol_app.services.values import ParticipantRecord, VisitRecord
from ui.dialogs.confirm import confirm
from ui.dialogs.participant_picker import ParticipantPickerDialog
from ui.look import NoFocusDelegate, secondary, tune_table
from ui.models import ROLE_LABELS, SIDE_LABELS, country_name
from ui.models.participants_model import ROLES_BY_SIDE, ParticipantsModel, full_name
from ui.pages.common import action_toolbar, list_table, run_write, table_action, toolbar_row
from ui.pages.visit_commands import VisitCommands

if TYPE_CHECKING:
    from protocol_app.services import Services

_Index = QModelIndex | QPersistentModelIndex


class SideRoleDelegate(NoFocusDelegate):
    """A combo box to change a participant's side or role in place (F2 or double-click)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        combo = QComboBox(parent)
        model = index.model()
        if index.column() == ParticipantsModel.SIDE:
            combo.setAccessibleName("Side")
            for side in vocab.SIDES:
                combo.addItem(SIDE_LABELS[side], side)
        else:
            combo.setAccessibleName("Role")
            side = model.index(index.row(), ParticipantsModel.SIDE).data(
                Qt.ItemDataRole.EditRole)
            for role in ROLES_BY_SIDE.get(side, vocab.ROLES):
                combo.addItem(ROLE_LABELS[role], role)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class PersonCard(QFrame):
    """What the officer needs to know about the selected person, at a glance."""

    FIELDS: tuple[tuple[str, str], ...] = (
        ("native_name", "Native name"), ("pronunciation", "Say"), ("position", "Position"),
        ("organization", "Organization"), ("country", "Country"), ("email", "E-mail"),
        ("phone", "Phone"), ("languages", "Languages"), ("dietary", "Dietary"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = QLabel()
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self.name.setFont(font)
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.role = QLabel()
        secondary(self.role)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(6)
        for key, label in self.FIELDS:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label)
            name = QLabel(label)
            secondary(name)
            form.addRow(name, value)
            self.values[key] = value
        self.empty = QLabel("Select a person to see their details.")
        secondary(self.empty)
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.name)
        layout.addWidget(self.role)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self._form = form
        self.show_participant(None)

    def show_participant(self, p: ParticipantRecord | None) -> None:
        """Fill the card (or show the hint when nobody is selected)."""
        self.empty.setVisible(p is None)
        self.name.setVisible(p is not None)
        self.role.setVisible(p is not None)
        for key, _label in self.FIELDS:
            self._form.setRowVisible(self.values[key], False)
        if p is None:
            return
        person = p.person
        self.name.setText(full_name(p))
        self.role.setText(f"{ROLE_LABELS.get(p.role, p.role)} · "
                          f"{SIDE_LABELS.get(p.side, p.side)} side")
        for key, _label in self.FIELDS:
            if key == "country":
                text = country_name(person.country)
            elif key == "languages":
                text = ", ".join(person.languages)
            elif key == "native_name":
                text = native_script(person)
            else:
                text = getattr(person, key)
            self.values[key].setText(text)
            self._form.setRowVisible(self.values[key], bool(text))


class DelegationTab(QWidget):
    """Guests and hosts of a visit: add, change side or role, mark the head, remove."""

    #: The user asked to reload the visit (after a refused stale write).
    reload_requested = Signal()

    def __init__(self, services: Services, commands: VisitCommands,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("delegationTab")
        self.services = services
        self.commands = commands
        self.visit: VisitRecord | None = None
        self.person_editor: QWidget | None = None

        self.model = ParticipantsModel(self)
        self.model.change_requested.connect(self._change_requested)
        self.table = QTableView()
        self.table.setObjectName("participantsTable")
        self.table.setAccessibleName("Delegation and hosts")
        self.table.setModel(self.model)
        tune_table(self.table, delegate=SideRoleDelegate(self.table))
        list_table(self.table, ParticipantsModel.ORGANIZATION)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)

        self.card = PersonCard()
        self.summary = QLabel()
        secondary(self.summary)

        def action(text: str, name: str, slot: Callable[[], object], icon_name: str,
                   shortcut: QKeySequence | None = None) -> QAction:
            return table_action(self, self.table, text, name, slot, icon_name, shortcut)

        self.act_add = action("Add person…", "actionAddParticipant", self.add_person,
                              "person-add", QKeySequence(Qt.Key.Key_Insert))
        self.act_head = action("Make head of delegation", "actionMakeHead", self.make_head,
                               "star")
        self.act_edit_person = action("Edit person…", "actionEditPerson", self.edit_person,
                                      "edit")
        self.act_remove = action("Remove from visit", "actionRemoveParticipant",
                                 self.remove_selected, "delete",
                                 QKeySequence(QKeySequence.StandardKey.Delete))
        self.addAction(self.act_add)
        self.act_add.setToolTip("Add a guest or a host (Insert)")
        self.act_remove.setToolTip("Take the selected person off this visit (Delete)")

        toolbar = action_toolbar("Delegation", (self.act_add, self.act_head,
                                                self.act_edit_person, self.act_remove))
        top = toolbar_row(toolbar, self.summary)

        splitter = QSplitter()
        splitter.setObjectName("delegationSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([880, 300])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._update_actions()

    # -- the record ----------------------------------------------------------------
    def set_visit(self, visit: VisitRecord) -> None:
        """Show a visit's participants, keeping the selected person selected."""
        keep = self.selected()
        self.visit = visit
        self.model.set_rows(visit.participants)
        self._fit_columns()
        guests = sum(1 for p in visit.participants if p.side == "guest")
        hosts = len(visit.participants) - guests
        self.summary.setText(f"{guests} guest{'s' if guests != 1 else ''} · "
                             f"{hosts} host{'s' if hosts != 1 else ''}")
        if keep is not None:
            self.select_person(keep.person_id)
        elif self.model.rowCount():
            self.table.selectRow(0)
        self._selection_changed()

    def _fit_columns(self) -> None:
        """Columns as wide as their contents, within bounds; Organization takes the rest."""
        fm = self.fontMetrics()
        m = ParticipantsModel
        for col, cap in ((m.NAME, 260), (m.NATIVE, 160), (m.SIDE, 80), (m.ROLE, 160),
                         (m.POSITION, 210), (m.COUNTRY, 140)):
            width = fm.horizontalAdvance(m.HEADERS[col]) + 28
            for row in range(self.model.rowCount()):
                text = self.model.index(row, col).data() or ""
                extra = 52 if col == m.NAME else 28  # the head's star
                width = max(width, fm.horizontalAdvance(text) + extra)
            self.table.setColumnWidth(col, min(width, cap))

    def selected(self) -> ParticipantRecord | None:
        """The selected participant."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_person(self, person_id: int) -> None:
        """Select a participant by person id."""
        row = self.model.row_of(person_id)
        if row is not None:
            self.table.selectRow(row)

    def _selection_changed(self, *_args: object) -> None:
        self.card.show_participant(self.selected())
        self._update_actions()

    def _update_actions(self) -> None:
        p = self.selected()
        has = p is not None and self.visit is not None
        self.act_add.setEnabled(self.visit is not None)
        self.act_remove.setEnabled(has)
        self.act_edit_person.setEnabled(has)
        self.act_head.setEnabled(has and p.side == "guest" and p.role != "head")

    # -- writes --------------------------------------------------------------------
    def _write(self, fn: Callable[[], object]) -> bool:
        return run_write(self, fn, self.reload_requested.emit)

    def add_person(self) -> None:
        """Search the people records (or create one) and add them to the visit."""
        if self.visit is None:
            return
        dialog = ParticipantPickerDialog(self.services, self.visit, parent=self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        choice = dialog.choice() if accepted else None
        person = dialog.selected_person() if accepted else None
        dialog.deleteLater()
        if choice is None:
            return
        person_id, side, role = choice
        name = person.display_name if person else ""
        visit_id = self.visit.id
        if self._write(lambda: self.commands.add_participant(visit_id, person_id, side, role,
                                                             name)):
            self.select_person(person_id)

    def remove_selected(self) -> None:
        """Take the selected person off the visit (after confirmation)."""
        p = self.selected()
        if p is None or self.visit is None:
            return
        events = sum(1 for e in self.visit.events if p.person_id in e.attendee_ids
                     or e.host_person_id == p.person_id)
        detail = (f" They are also taken off the {events} event{'s' if events != 1 else ''} "
                  "they attend or host." if events else "")
        if not confirm(self, "Remove from visit",
                       f"Remove {full_name(p)} from “{self.visit.title}”?",
                       informative="Their record stays in People." + detail
                       + " You can undo this with Ctrl+Z.", action="Remove"):
            return
        visit = self.visit
        self._write(lambda: self.commands.remove_participant(visit, p, p.person.display_name))

    def make_head(self) -> None:
        """Mark the selected guest as head of delegation."""
        p = self.selected()
        if p is None or self.visit is None:
            return
        visit = self.visit
        self._write(lambda: self.commands.make_head(visit, p, p.person.display_name))

    def _change_requested(self, person_id: int, side: str, role: str) -> None:
        if self.visit is None:
            return
        row = self.model.row_of(person_id)
        if row is None:
            return
        p = self.model.row_at(row)
        visit = self.visit
        if role == "head":
            self._write(lambda: self.commands.make_head(visit, p, p.person.display_name))
        else:
            self._write(lambda: self.commands.change_participant(
                visit.id, p, side, role, p.person.display_name))

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() not in (ParticipantsModel.SIDE, ParticipantsModel.ROLE):
            self.edit_person()

    def edit_person(self) -> None:
        """Open the selected person's record in the person editor (not blocking); the
        visit is read again when the editor closes."""
        p = self.selected()
        if p is None:
            return
        from ui.editors.person_editor import PersonEditor

        try:
            editor = PersonEditor(self.services, p.person_id, self,
                                  undo_stack=self.commands.stack)
        except TypeError:
            editor = PersonEditor(self.services, p.person_id, self)
        if isinstance(editor, QDialog):
            holder = editor
        else:
            holder = QDialog(self)
            holder.setWindowTitle(f"Edit {full_name(p)}")
            QVBoxLayout(holder).addWidget(editor)
            holder.resize(720, 640)
        holder.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        holder.finished.connect(lambda _result: self.reload_requested.emit())
        holder.open()
        self.person_editor = holder
