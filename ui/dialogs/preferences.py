"""Preferences: the office's name, the default organizer, the kinds of event that send
calendar invitations, the user's name in the audit trail (stored through
:class:`protocol_app.config.Settings`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from protocol_app.config import Settings, os_user
from protocol_app.records import vocab
from protocol_app.records.fields import email_problem, text_problem
from ui.dialogs.forms import accept_cancel_buttons, dialog_column
from ui.look import secondary


class PreferencesDialog(QDialog):
    """Edits the settings a user needs day to day; other settings are kept as they are."""

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings.load()
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")

        self.office_name = QLineEdit(self.settings.office_name)
        self.office_name.setAccessibleName("Name of the office")
        self.organizer_name = QLineEdit(self.settings.organizer_name)
        self.organizer_name.setAccessibleName("Default organizer name")
        self.organizer_name.setPlaceholderText("e.g. Office of Protocol, Alderbrook University")
        self.organizer_email = QLineEdit(self.settings.organizer_email)
        self.organizer_email.setAccessibleName("Default organizer e-mail")
        self.organizer_email.setPlaceholderText("protocol@example.org")
        self.display_name = QLineEdit(self.settings.display_name)
        self.display_name.setAccessibleName("Your name in the audit trail")
        self.display_name.setPlaceholderText(os_user())

        office = QGroupBox("Office")
        office_form = QFormLayout(office)
        office_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        office_form.addRow("Office &name", self.office_name)
        office_form.addRow("Default &organizer", self.organizer_name)
        office_form.addRow("Organizer &e-mail", self.organizer_email)
        hint = QLabel("New visits start with this organizer; invitations are sent from it.")
        hint.setWordWrap(True)
        secondary(hint)
        office_form.addRow("", hint)

        invitations = QGroupBox("Calendar invitations")
        grid = QGridLayout(invitations)
        grid.addWidget(QLabel("Invite the attendees of these events:"), 0, 0, 1, 4)
        chosen = self.settings.invite_kind_set
        #: One check box per kind of event (an event's own switch wins over it).
        self.invite_kinds: dict[str, QCheckBox] = {}
        for n, kind in enumerate(vocab.EventKind):
            box = QCheckBox(kind.label)
            box.setObjectName(f"inviteKind_{kind.value}")
            box.setChecked(kind.value in chosen)
            box.setAccessibleName(f"Invite the attendees of {kind.label.lower()} events")
            self.invite_kinds[kind.value] = box
            grid.addWidget(box, 1 + n // 4, n % 4)
        kinds_hint = QLabel("An event can be switched on or off in its own editor or "
                            "package; people who already have an event keep getting "
                            "its updates and cancellation.")
        kinds_hint.setWordWrap(True)
        secondary(kinds_hint)
        grid.addWidget(kinds_hint, 3, 0, 1, 4)

        you = QGroupBox("You")
        you_form = QFormLayout(you)
        you_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        you_form.addRow("Your &name", self.display_name)
        you_hint = QLabel("The audit trail records your changes under this name "
                          f"(your computer account, {os_user()}, if left empty).")
        you_hint.setWordWrap(True)
        secondary(you_hint)
        you_form.addRow("", you_hint)
        for form in (office_form, you_form):
            for i in range(form.rowCount()):
                label = form.itemAt(i, QFormLayout.ItemRole.LabelRole)
                field = form.itemAt(i, QFormLayout.ItemRole.FieldRole)
                if label and field and isinstance(label.widget(), QLabel):
                    label.widget().setBuddy(field.widget())
        # Align the two groups' label columns.
        width = max(form.labelForField(w).sizeHint().width() for form, w in (
            (office_form, self.organizer_email), (you_form, self.display_name)))
        for form, w in ((office_form, self.office_name), (office_form, self.organizer_name),
                        (office_form, self.organizer_email), (you_form, self.display_name)):
            form.labelForField(w).setMinimumWidth(width)

        self.problem = QLabel()
        self.problem.setObjectName("preferencesProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()

        buttons = accept_cancel_buttons(self)
        dialog_column(self, office, invitations, you, self.problem, buttons)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        """Check and save the settings."""
        email = self.organizer_email.text().strip()
        problems = [msg for msg in (
            text_problem(self.office_name.text()), text_problem(self.organizer_name.text()),
            email_problem(email), text_problem(self.display_name.text())) if msg]
        if problems:
            self.problem.setText("Not saved: " + "; ".join(problems) + ".")
            self.problem.show()
            return
        self.settings.office_name = self.office_name.text().strip() or "Office of Protocol"
        self.settings.organizer_name = self.organizer_name.text().strip()
        self.settings.organizer_email = email
        self.settings.display_name = self.display_name.text().strip()
        self.settings.invite_kinds = ",".join(
            kind for kind, box in self.invite_kinds.items() if box.isChecked())
        try:
            self.settings.save()
        except OSError as exc:
            self.problem.setText(f"Could not save the settings: {exc.strerror or exc}.")
            self.problem.show()
            return
        super().accept()
