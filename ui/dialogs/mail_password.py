"""The mail server's password, for the dialogs that send e-mail ("Send invites…", "Send
programmes…"): asked only when the server wants a login and the system's password store
(keyring) holds none, and kept there once the sending worked if the officer leaves
"Keep it" ticked.

:func:`password_needed` and :func:`keep_password` talk to the keyring: run them in the
background (:func:`ui.tasks.run_task`), never on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

if TYPE_CHECKING:
    from protocol_app.config import Settings


def password_needed(settings: Settings) -> bool:
    """Whether sending must ask for the password: the server wants a login and the
    password store has none for it (or cannot be read: then ask each time)."""
    from protocol_app.invites.sending import SmtpOptions, stored_password

    options = SmtpOptions.from_settings(settings)
    if not (options.user and options.host):
        return False
    try:
        return stored_password(options) is None
    except Exception:  # no usable keyring: ask every time
        return True


def keep_password(settings: Settings, password: str) -> None:
    """Keep the password typed in the system's password store."""
    from protocol_app.invites.sending import SmtpOptions, store_password

    store_password(SmtpOptions.from_settings(settings), password)


class MailPasswordRow(QWidget):
    """"Mail server password" with "Keep it in the system's password store"; hidden
    until :meth:`set_needed` says the password store has none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needed = False
        self.password = QLineEdit()
        self.password.setObjectName("smtpPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Mail server password")
        self.remember = QCheckBox("Keep it in the system's password store")
        self.remember.setChecked(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("Mail server &password")
        self.label.setBuddy(self.password)
        form.addRow(self.label, self.password)
        form.addRow("", self.remember)
        self.hide()

    def set_needed(self, needed: bool) -> None:
        """Ask for the password (or stop asking)."""
        self.needed = needed
        self.setVisible(needed)

    def take(self) -> tuple[bool, str | None]:
        """(go on, the password typed): not go on when it is needed and empty (the field
        then has the focus)."""
        if not self.needed:
            return True, None
        password = self.password.text()
        if not password:
            self.password.setFocus()
            return False, None
        return True, password

    def keep_chosen(self) -> bool:
        """Whether the password typed is to be kept in the password store."""
        return self.needed and self.remember.isChecked()
