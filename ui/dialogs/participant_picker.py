"""Add a person to a visit: search the people records (or create one on the spot), then
choose the side and the role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError, ValidationError
from protocol_app.rules.names import native_script
from protocol_app.services.values import PersonRecord, VisitRecord
from ui.dialogs.fit import fit_to_screen
from ui.dialogs.forms import accept_cancel_buttons, dialog_column, set_buddies, show_problems
from ui.dialogs.visit_editor import SearchableCombo, country_choices
from ui.icons import icon
from ui.look import secondary
from ui.models import ROLE_LABELS, SIDE_LABELS, country_name
from ui.models.participants_model import ROLES_BY_SIDE

if TYPE_CHECKING:
    from protocol_app.services import Services

_PERSON_LABELS = {"family_name": "Family name", "given_name": "Given name", "email": "E-mail",
                  "country": "Country", "honorific": "Honorific", "position": "Position",
                  "organization": "Organization"}


def person_label(p: PersonRecord) -> str:
    """Honorific and name in customary order."""
    return " ".join(x for x in (p.honorific, p.display_name) if x)


class NewPersonDialog(QDialog):
    """The few fields needed to create a person quickly; the rest is edited later in
    People."""

    def __init__(self, services: Services, *, name_hint: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.person: PersonRecord | None = None
        self.setObjectName("newPersonDialog")
        self.setWindowTitle("New person")
        self.setAccessibleName("New person")
        self.family_name = QLineEdit()
        self.family_name.setAccessibleName("Family name")
        self.given_name = QLineEdit()
        self.given_name.setAccessibleName("Given name")
        words = name_hint.split()
        if len(words) >= 2:
            self.given_name.setText(" ".join(words[:-1]))
            self.family_name.setText(words[-1])
        elif words:
            self.family_name.setText(words[0])
        self.name_order = QComboBox()
        self.name_order.setAccessibleName("Name order")
        self.name_order.addItem("Given name first (Anna Schmidt)", "given_first")
        self.name_order.addItem("Family name first (Tanaka Hiroshi)", "family_first")
        self.honorific = QLineEdit()
        self.honorific.setAccessibleName("Honorific")
        self.honorific.setPlaceholderText("e.g. H.E., Prof., Dr.")
        self.position = QLineEdit()
        self.position.setAccessibleName("Position")
        self.organization = QLineEdit()
        self.organization.setAccessibleName("Organization")
        self.country = SearchableCombo("Country")
        self.country.set_items([("", ""), *country_choices()])
        self.country.setCurrentIndex(0)
        self.email = QLineEdit()
        self.email.setAccessibleName("E-mail")
        self.problems = QLabel()
        self.problems.setObjectName("personProblems")
        self.problems.setWordWrap(True)
        self.problems.hide()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows = (("&Family name", self.family_name), ("&Given name", self.given_name),
                ("Name &order", self.name_order), ("&Honorific", self.honorific),
                ("&Position", self.position), ("O&rganization", self.organization),
                ("&Country", self.country), ("&E-mail", self.email))
        for text, w in rows:
            form.addRow(text, w)
        set_buddies(form, (w for _, w in rows))
        buttons = accept_cancel_buttons(self, text="Create person")
        dialog_column(self, self.problems, form, buttons, spacing=None)
        self.setMinimumWidth(480)
        (self.given_name if not words else self.family_name).setFocus()

    def values(self) -> dict[str, Any]:
        """The new person's fields."""
        return {
            "family_name": self.family_name.text().strip(),
            "given_name": self.given_name.text().strip(),
            "name_order": self.name_order.currentData(),
            "honorific": self.honorific.text().strip(),
            "position": self.position.text().strip(),
            "organization": self.organization.text().strip(),
            "country": self.country.value(),
            "email": self.email.text().strip(),
        }

    def accept(self) -> None:
        """Create the person; problems keep the dialog open."""
        try:
            self.person = self.services.people.create(**self.values())
        except ValidationError as exc:
            show_problems(self.problems, exc.problems, _PERSON_LABELS)
            return
        except ProtocolError as exc:
            from ui.dialogs.errors import show_error

            show_error(self, "Not created", exc)
            return
        super().accept()


class ParticipantPickerDialog(QDialog):
    """Search people, pick one, choose side and role."""

    NAME, ADDRESSED_AS, NATIVE, POSITION, ORGANIZATION, COUNTRY = range(6)
    HEADERS: tuple[str, ...] = ("Name", "Addressed as", "Native script", "Position",
                                "Organization", "Country")

    def __init__(self, services: Services, visit: VisitRecord, *, side: str = "guest",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.visit = visit
        self._taken = {p.person_id for p in visit.participants}
        self._people: list[PersonRecord] = []
        self.setObjectName("participantPickerDialog")
        self.setWindowTitle(f"Add a person to {visit.title}")
        self.setAccessibleName("Add a person to the visit")

        self.search = QLineEdit()
        self.search.setObjectName("personSearch")
        self.search.setAccessibleName("Search people")
        self.search.setPlaceholderText("Search by name, in any script")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        new_person = QPushButton(icon("person-add"), "&New person…")
        new_person.setObjectName("newPersonButton")
        new_person.setAutoDefault(False)
        new_person.clicked.connect(self.create_person)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(new_person)

        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setObjectName("personResults")
        self.table.setAccessibleName("People found")
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._update_ok)
        self.count_label = QLabel()
        secondary(self.count_label)

        self.side = QComboBox()
        self.side.setAccessibleName("Side")
        for s in ("guest", "host"):
            self.side.addItem(SIDE_LABELS[s] + (" (the delegation)" if s == "guest" else
                                                " (our side)"), s)
        self.side.setCurrentIndex(max(0, self.side.findData(side)))
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        self.side.currentIndexChanged.connect(self._fill_roles)
        self._fill_roles()
        choose = QFormLayout()
        choose.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        side_row = QHBoxLayout()
        side_row.addWidget(self.side)
        role_label = QLabel("&Role")
        role_label.setBuddy(self.role)
        side_row.addSpacing(16)
        side_row.addWidget(role_label)
        side_row.addWidget(self.role)
        side_row.addStretch(1)
        choose.addRow("&Side", side_row)
        set_buddies(choose, ((side_row, self.side),))

        self.buttons = accept_cancel_buttons(self, QDialogButtonBox.StandardButton.Ok,
                                             text="Add to visit", name="addToVisitButton")
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(choose)
        layout.addWidget(self.buttons)
        self.resize(820, 520)
        fit_to_screen(self)
        for a, b in ((self.search, self.table), (self.table, self.side), (self.side, self.role),
                     (self.role, new_person)):
            QWidget.setTabOrder(a, b)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_return)
        self.refresh()
        self.search.setFocus()

    # -- searching -----------------------------------------------------------------
    def refresh(self) -> None:
        """Run the search now."""
        self._timer.stop()
        try:
            people = self.services.people.search(self.search.text(), limit=200)
        except ProtocolError as exc:
            self.count_label.setText(str(exc))
            return
        self._people = people
        try:  # the cards' form, the office's wording winning (one query for them all)
            forms = self.services.address.forms_of_address_many([p.id for p in people])
        except ProtocolError:
            forms = {}
        self.table.setRowCount(len(people))
        for row, p in enumerate(people):
            addressed = forms[p.id].place_card if p.id in forms else person_label(p)
            values = (p.display_name, addressed,
                      native_script(p, addressed),
                      p.position, p.organization, country_name(p.country))
            taken = p.id in self._taken
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                if taken:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled
                                  & ~Qt.ItemFlag.ItemIsSelectable)
                    item.setToolTip("Already takes part in this visit")
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        for col, cap in ((self.NAME, 220), (self.ADDRESSED_AS, 200), (self.NATIVE, 160),
                         (self.POSITION, 220),
                         (self.ORGANIZATION, 220)):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), cap))
        shown = len(people)
        self.count_label.setText(
            "No one found. Check the spelling, or create the person with New person…"
            if not shown else f"{shown} {'person' if shown == 1 else 'people'} found"
            + (" (the first 200)" if shown == 200 else ""))
        first = next((i for i, p in enumerate(people) if p.id not in self._taken), None)
        if first is not None:
            self.table.selectRow(first)
        self._update_ok()

    def _search_return(self) -> None:
        self.refresh()
        if self.selected_person() is not None:
            self.table.setFocus()

    def _fill_roles(self) -> None:
        side = self.side.currentData()
        current = self.role.currentData()
        self.role.clear()
        for role in ROLES_BY_SIDE.get(side, ()):
            if role == "head" and self.visit.head_of_delegation is not None:
                continue
            self.role.addItem(ROLE_LABELS[role], role)
        found = self.role.findData(current)
        self.role.setCurrentIndex(found if found >= 0 else max(0, self.role.findData("member")))

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.selected_person() is not None)

    # -- results -------------------------------------------------------------------
    def selected_person(self) -> PersonRecord | None:
        """The person selected in the results."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        person = self._people[rows[0].row()]
        return None if person.id in self._taken else person

    def choice(self) -> tuple[int, str, str] | None:
        """(person_id, side, role) chosen, or None."""
        person = self.selected_person()
        if person is None:
            return None
        return person.id, self.side.currentData(), self.role.currentData()

    def select_person(self, person_id: int) -> None:
        """Select a person in the results (searching for them if needed)."""
        for row, p in enumerate(self._people):
            if p.id == person_id:
                self.table.selectRow(row)
                return

    def create_person(self) -> None:
        """Create a person with the small dialog and select them."""
        dialog = NewPersonDialog(self.services, name_hint=self.search.text(), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.person is not None:
            person = dialog.person
            self.search.setText(person.family_name)
            self.refresh()
            self.select_person(person.id)
            self.table.setFocus()
        dialog.deleteLater()

    def accept(self) -> None:
        """Close with a choice (only when someone is selected)."""
        if self.choice() is not None:
            super().accept()
