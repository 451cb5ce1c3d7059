"""Preferences: the office's name, the default organizer, the kinds of event that send
calendar invitations, the mailbox replies are fetched from (IMAP; its password goes to
the system's password store, never to the settings file), the user's name in the audit
trail, the risk review's countries of concern and the gifts policy (stored through
:class:`protocol_app.config.Settings`), and the screening lists, managed here when the
screening service is given (:class:`ui.widgets.screening_lists.ScreeningListsPanel`:
loading and removing a list take effect at once, not on Save)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from protocol_app.config import Settings, os_user
from protocol_app.records import vocab
from protocol_app.records.fields import email_problem, text_problem
from ui.dialogs.forms import accept_cancel_buttons, dialog_column, set_buddies
from ui.look import secondary
from ui.widgets.screening_lists import ScreeningListsPanel


class PreferencesDialog(QDialog):
    """Edits the settings a user needs day to day; other settings are kept as they are."""

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None,
                 screening: Any = None) -> None:
        """``screening``: the screening service, whose lists are shown (None: not there)."""
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

        mailbox = self._mailbox_group()
        risk = self._risk_group()
        lists = self._screening_group(screening)

        self.problem = QLabel()
        self.problem.setObjectName("preferencesProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()

        buttons = accept_cancel_buttons(self)
        # Two columns, the office and its people left, the risk review's right: on a
        # laptop (1366×768) every group is in view without scrolling.
        columns = QHBoxLayout()
        columns.setSpacing(18)
        for groups in ((office, you, invitations), (mailbox, risk, lists)):
            column = QVBoxLayout()
            column.setSpacing(12)
            for group in groups:
                column.addWidget(group)
            column.addStretch(1)
            columns.addLayout(column, 1)
        dialog_column(self, columns, self.problem, buttons)
        self.setMinimumWidth(560)

    def _mailbox_group(self) -> QGroupBox:
        """Where "Fetch replies" reads: host, port, security, user, folder, password."""
        from protocol_app.invites.mailbox import SECURITY_CHOICES

        s = self.settings
        self.imap_host = QLineEdit(s.imap_host)
        self.imap_host.setObjectName("imapHost")
        self.imap_host.setAccessibleName("Mailbox server (IMAP host)")
        self.imap_host.setPlaceholderText("imap.example.org")
        self.imap_port = QSpinBox()
        self.imap_port.setObjectName("imapPort")
        self.imap_port.setAccessibleName("Mailbox port")
        self.imap_port.setRange(1, 65535)
        self.imap_port.setValue(int(s.imap_port) if 0 < int(s.imap_port) < 65536 else 993)
        self.imap_security = QComboBox()
        self.imap_security.setObjectName("imapSecurity")
        self.imap_security.setAccessibleName("Mailbox security")
        labels = {"tls": "TLS", "starttls": "STARTTLS", "none": "None (loopback only)"}
        for choice in SECURITY_CHOICES:
            self.imap_security.addItem(labels.get(choice, choice), choice)
        self.imap_security.setCurrentIndex(max(0, self.imap_security.findData(
            (s.imap_security or "tls").lower())))
        self.imap_user = QLineEdit(s.imap_user)
        self.imap_user.setObjectName("imapUser")
        self.imap_user.setAccessibleName("Mailbox user")
        self.imap_folder = QLineEdit(s.imap_folder or "INBOX")
        self.imap_folder.setObjectName("imapFolder")
        self.imap_folder.setAccessibleName("Mailbox folder of the replies")
        self.imap_password = QLineEdit()
        self.imap_password.setObjectName("imapPassword")
        self.imap_password.setAccessibleName("Mailbox password")
        self.imap_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.imap_password.setPlaceholderText("empty: unchanged "
                                              "(kept in the password store)")
        group = QGroupBox("Replies mailbox (Fetch replies)")
        grid = QGridLayout(group)
        for row, pairs in enumerate(((("Ser&ver", self.imap_host), ("Por&t", self.imap_port)),
                                     (("&User", self.imap_user),
                                      ("Securit&y", self.imap_security)),
                                     (("&Password", self.imap_password),
                                      ("Fol&der", self.imap_folder)))):
            for n, (text, field) in enumerate(pairs):
                label = QLabel(text)
                label.setBuddy(field)
                grid.addWidget(label, row, 2 * n,
                               Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(field, row, 2 * n + 1)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 1)
        return group

    def _mailbox_values(self) -> list[str]:
        """Store the mailbox fields in the settings (not saved yet); what is wrong."""
        s = self.settings
        problems = [f"mailbox {name}: {msg}" for name, msg in (
            ("server", text_problem(self.imap_host.text())),
            ("user", text_problem(self.imap_user.text())),
            ("folder", text_problem(self.imap_folder.text()))) if msg]
        if any(c.isspace() for c in self.imap_host.text().strip()):
            problems.append("mailbox server: a host name has no spaces")
        s.imap_host = self.imap_host.text().strip()
        s.imap_port = self.imap_port.value()
        s.imap_security = str(self.imap_security.currentData())
        s.imap_user = self.imap_user.text().strip()
        s.imap_folder = self.imap_folder.text().strip() or "INBOX"
        if self.imap_password.text() and not (s.imap_host and s.imap_user):
            problems.append("mailbox password: fill in the server and the user first")
        return problems

    def _store_mailbox_password(self) -> str | None:
        """Keep a typed mailbox password in the keyring; what went wrong, if anything."""
        password = self.imap_password.text()
        if not password:
            return None
        from protocol_app.errors import ProtocolError
        from protocol_app.invites.mailbox import ImapOptions, store_password

        try:
            store_password(ImapOptions.from_settings(self.settings), password)
        except ProtocolError as exc:
            return str(exc)
        self.imap_password.clear()
        return None

    def _risk_group(self) -> QGroupBox:
        """Countries of concern and the gifts policy."""
        s = self.settings
        self.countries = QLineEdit(", ".join(s.countries_of_concern))
        self.countries.setObjectName("countriesOfConcern")
        self.countries.setAccessibleName("Countries of concern")
        self.countries.setPlaceholderText("ISO codes, e.g. KP, IR")
        self.gift_threshold = QLineEdit(f"{s.gift_threshold:g}" if s.gift_threshold else "")
        self.gift_threshold.setObjectName("giftThreshold")
        self.gift_threshold.setAccessibleName("Gift declaration threshold")
        self.gift_threshold.setPlaceholderText("e.g. 400")
        self.gift_currency = QLineEdit(s.gift_threshold_currency)
        self.gift_currency.setObjectName("giftThresholdCurrency")
        self.gift_currency.setAccessibleName("Threshold currency")
        self.gift_currency.setPlaceholderText("USD")
        self.gift_currency.setMaximumWidth(80)
        self.rates = QLineEdit(", ".join(f"{k}={v:g}" for k, v in s.currency_rates.items()))
        self.rates.setObjectName("currencyRates")
        self.rates.setAccessibleName("Conversion rates")
        self.rates.setPlaceholderText("EUR=1.08, JPY=0.0067 (units of the threshold currency)")
        group = QGroupBox("Risk reviews and gifts")
        form = QFormLayout(group)
        form.addRow("Countries of &concern", self.countries)
        threshold = QHBoxLayout()
        threshold.addWidget(self.gift_threshold, 1)
        threshold.addWidget(self.gift_currency)
        form.addRow("Declare gifts &over", threshold)
        form.addRow("Conversion &rates", self.rates)
        set_buddies(form, (self.countries, (threshold, self.gift_threshold), self.rates))
        return group

    def _screening_group(self, screening: Any) -> QGroupBox:
        """The screening lists, managed (or, without the service, where to load them)."""
        group = QGroupBox("Screening lists")
        group.setObjectName("screeningListsGroup")
        column = QVBoxLayout(group)
        self.screening_panel: ScreeningListsPanel | None = None
        if screening is None:
            note = QLabel("Open a database to manage its screening lists here (or load one "
                          "with `protocol-app screening load FILE.csv`).")
            note.setObjectName("screeningLists")
            note.setWordWrap(True)
            secondary(note)
            column.addWidget(note)
        else:
            self.screening_panel = ScreeningListsPanel(screening, group)
            column.addWidget(self.screening_panel)
        return group

    def _risk_values(self) -> tuple[list[str], float, str, dict[str, float], list[str]]:
        """The risk fields' values and what is wrong with them (named by field)."""
        problems: list[str] = []
        typed = [c.strip() for c in self.countries.text().replace(";", ",").split(",")
                 if c.strip()]
        for code in typed:
            if not (len(code) == 2 and code.isascii() and code.isalpha()):
                problems.append(f"countries of concern: '{code}' is not a two-letter "
                                "country code (ISO 3166, such as KP)")
        codes = [c.upper() for c in typed]
        threshold = 0.0
        if self.gift_threshold.text().strip():
            try:
                threshold = float(self.gift_threshold.text().replace(",", ""))
            except ValueError:
                problems.append("gift threshold: not a number")
            if threshold < 0:
                problems.append("gift threshold: cannot be negative")
        currency = self.gift_currency.text().strip().upper()
        if currency and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            problems.append("threshold currency: a three-letter code such as USD")
        if threshold and not currency:
            problems.append("threshold currency: needed with a threshold")
        rates: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in self.rates.text().split(","))):
            code, _, value = part.partition("=")
            try:
                rate = float(value)
            except ValueError:
                rate = -1.0
            if len(code.strip()) != 3 or rate <= 0:
                problems.append(f"conversion rates: '{part}' is not CODE=RATE (EUR=1.08)")
            else:
                rates[code.strip().upper()] = rate
        return codes, threshold, currency, rates, problems

    def accept(self) -> None:
        """Check and save the settings."""
        email = self.organizer_email.text().strip()
        codes, threshold, currency, rates, risk_problems = self._risk_values()
        problems = [msg for msg in (
            text_problem(self.office_name.text()), text_problem(self.organizer_name.text()),
            email_problem(email), text_problem(self.display_name.text())) if msg]
        problems += risk_problems
        original = {k: getattr(self.settings, k) for k in (
            "imap_host", "imap_port", "imap_security", "imap_user", "imap_folder")}
        problems += self._mailbox_values()
        if problems:
            for name, value in original.items():  # nothing changes
                setattr(self.settings, name, value)
            self.problem.setText("Not saved: " + "; ".join(problems) + ".")
            self.problem.show()
            return
        self.settings.office_name = self.office_name.text().strip() or "Office of Protocol"
        self.settings.organizer_name = self.organizer_name.text().strip()
        self.settings.organizer_email = email
        self.settings.display_name = self.display_name.text().strip()
        self.settings.countries_of_concern = codes
        self.settings.gift_threshold = threshold
        self.settings.gift_threshold_currency = currency
        self.settings.currency_rates = rates
        self.settings.invite_kinds = ",".join(
            kind for kind, box in self.invite_kinds.items() if box.isChecked())
        stored = self._store_mailbox_password()
        if stored is not None:
            self.problem.setText(f"Not saved: {stored}")
            self.problem.show()
            return
        try:
            self.settings.save()
        except OSError as exc:
            self.problem.setText(f"Could not save the settings: {exc.strerror or exc}.")
            self.problem.show()
            return
        super().accept()

