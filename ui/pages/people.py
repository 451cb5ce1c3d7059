"""The people page: every person, searched by any name in any script as you type.

Each person shows their name, how the office addresses them (the place-card form, the
office's wording winning: the same form the cards print) and their name in its own
script.  The list is a lazy :class:`~ui.models.people_model.PeopleTableModel` (pages of 200 rows
fetched while scrolling) over ``services.people.search``, which uses the SQLite FTS5
index; a short debounce keeps fast typing from querying at every keystroke, and each
query itself is a few milliseconds even over 100,000 people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError
from protocol_app.services.values import PersonRecord
from ui.dialogs.confirm import confirm
from ui.dialogs.errors import show_error
from ui.editors import RecordHandle
from ui.editors.person_editor import PersonEditor
from ui.icons import icon
from ui.look import tune_table
from ui.models import people_model as pm
from ui.undo import VersionedCommand, push, report_failure

if TYPE_CHECKING:
    from protocol_app.services import Services

#: Milliseconds between the last keystroke and the search.
DEBOUNCE_MS = 150


class PeoplePage(QWidget):
    """Search, add, edit and delete people."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack
        self._editors: list[PersonEditor] = []
        self.setObjectName("peoplePage")

        self.search_field = QLineEdit()
        self.search_field.setObjectName("peopleSearch")
        self.search_field.setPlaceholderText("Search by any name, in any script…")
        self.search_field.setAccessibleName("Search people")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.addAction(icon("search"),
                                    QLineEdit.ActionPosition.LeadingPosition)
        self.count_label = QLabel()
        self.count_label.setObjectName("peopleCount")
        self.count_label.setAccessibleName("Number of people found")

        self.new_button = QPushButton(icon("person-add"), "&New person…")
        self.new_button.setObjectName("newPerson")
        self.edit_button = QPushButton(icon("edit"), "&Edit…")
        self.edit_button.setObjectName("editPerson")
        self.delete_button = QPushButton(icon("delete"), "&Delete")
        self.delete_button.setObjectName("deletePerson")

        self.model = pm.PeopleTableModel(self._fetch, parent=self,
                                         address=services.address.forms_of_address_many)
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setAccessibleName("People")
        self.table.setModel(self.model)
        tune_table(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # uniform row heights keep the lazy list fast at 100,000 people
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns = self.table.horizontalHeader()
        columns.setStretchLastSection(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((pm.NAME, 250), (pm.ADDRESSED_AS, 220), (pm.NATIVE_NAME, 200),
                              (pm.ORGANIZATION, 300), (pm.COUNTRY, 150), (pm.EMAIL, 270),
                              (pm.RANK, 150)):
            self.table.setColumnWidth(column, width)
        columns.setSectionResizeMode(pm.ORGANIZATION, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search_field.textChanged.connect(lambda _text: self._debounce.start())
        self.search_field.returnPressed.connect(self.apply_search)
        self.new_button.clicked.connect(self.new_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.model.modelReset.connect(self._update_buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        delete = QAction("Delete person", self)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_selected)
        self.table.addAction(delete)
        find = QAction("Find person", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        QWidget.setTabOrder(self.search_field, self.table)
        # an undo or redo of a person edit shows up here too
        self.undo_stack.indexChanged.connect(self._stack_changed)

        self.apply_search()

    # -- the API part A uses -------------------------------------------------------------
    def focus_search(self) -> None:
        """Put the cursor in the search field, its text selected."""
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def has_unsaved_changes(self) -> bool:
        """True while a person editor opened from this page holds unsaved edits."""
        return any(e.isVisible() and e.is_dirty() for e in self._editors)

    def _stack_changed(self, _index: int) -> None:
        self._debounce.start()

    # -- searching -----------------------------------------------------------------------
    def _fetch(self, query: str, limit: int, offset: int) -> list[PersonRecord]:
        return self.services.people.search(query, limit=limit, offset=offset)

    def apply_search(self) -> None:
        """Show the people matching the search field now (the debounce's end)."""
        self._debounce.stop()
        query = self.search_field.text().strip()
        selected = self.selected_person()
        try:
            self.model.set_query(query)
            total = self.services.people.count(query)
        except ProtocolError as exc:
            show_error(self, "Search failed", exc)
            return
        noun = "person" if total == 1 else "people"
        self.count_label.setText(f"{total:,} {noun}")
        if selected is not None:
            self.select_person(selected.id)
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def search(self, text: str) -> None:
        """Type ``text`` into the search field and search at once (tests, benchmarks)."""
        self.search_field.setText(text)
        self.apply_search()

    def clear_search(self) -> None:
        """Empty the search field and show everyone."""
        self.search(text="")

    # -- selection -----------------------------------------------------------------------
    def selected_person(self) -> PersonRecord | None:
        """The person of the selected row."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() \
            else []
        return self.model.person_at(rows[0].row()) if rows else None

    def select_person(self, person_id: int) -> bool:
        """Select the row of ``person_id`` if it is loaded."""
        row = self.model.row_of(person_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _update_buttons(self, *_: object) -> None:
        has = self.selected_person() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # -- editing -------------------------------------------------------------------------
    def open_editor(self, person_id: int | None) -> PersonEditor:
        """Open the editor on a person (None: a new one), without blocking."""
        for editor in self._editors:
            if person_id is not None and editor.person_id == person_id and editor.isVisible():
                editor.raise_()
                editor.activateWindow()
                return editor
        editor = PersonEditor(self.services, person_id, self, undo_stack=self.undo_stack)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        editor.saved.connect(self._saved)
        editor.finished.connect(lambda _result, e=editor: self._forget(e))
        self._editors.append(editor)
        editor.show()
        return editor

    def _forget(self, editor: PersonEditor) -> None:
        if editor in self._editors:
            self._editors.remove(editor)
        editor.deleteLater()

    def new_person(self) -> PersonEditor:
        """Open the editor on a new person."""
        return self.open_editor(None)

    def edit_selected(self) -> PersonEditor | None:
        """Open the editor on the selected person."""
        person = self.selected_person()
        return self.open_editor(person.id) if person is not None else None

    def _saved(self, record: PersonRecord) -> None:
        if self.model.row_of(record.id) is not None:
            self.model.update_person(record)
        else:
            self.apply_search()
            self.select_person(record.id)

    def delete_selected(self) -> bool:
        """Delete the selected person after confirmation (undoable)."""
        person = self.selected_person()
        if person is None:
            return False
        if not self.confirm_delete(person):
            return False
        photo = self.services.people.photo(person.id) if person.has_photo else None
        handle = RecordHandle(person.id, person.version)
        people = self.services.people
        values = PersonEditor.record_values(person)
        values = {k: v for k, v in values.items() if v not in ("", (), None)
                  or k == "family_name"}

        def undo(_handle: RecordHandle) -> PersonRecord:
            record = people.create(**values)
            if photo is not None:
                record = people.set_photo(record.id, photo, record.version)
            return record

        command = VersionedCommand(
            f"Delete {person.display_name}", handle,
            lambda h: people.delete(h.existing_id(), h.version), undo,
            on_error=lambda exc: report_failure(self, exc, self.apply_search, "Not deleted"),
            on_done=lambda: self._debounce.start())
        if push(self.undo_stack, command):
            self.model.remove_person(person.id)
            self.apply_search()
            return True
        return False

    def confirm_delete(self, person: PersonRecord) -> bool:
        """Ask before deleting ``person``."""
        return confirm(
            self, "Delete person", f"Delete {person.display_name} from the directory?",
            informative="People who take part in a visit cannot be deleted; remove them "
            "from the visit first.", action="Delete")

    def current_index(self) -> QModelIndex:
        """The table's current index (tests)."""
        return self.table.currentIndex()
