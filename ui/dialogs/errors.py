"""Error dialogs: a message a user can act on, with copyable details.

The main window imports this before its first paint, so QMessageBox (and its enums)
load when a dialog is first shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

from protocol_app.errors import ProtocolError


def show_error(parent: QWidget | None, title: str, error: BaseException,
               details: str = "") -> QMessageBox:
    """Show ``error``: the core's own errors as their message; anything else as an
    unexpected error with the traceback under "Show Details..." (selectable, copyable)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if isinstance(error, ProtocolError)
                else QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    if isinstance(error, ProtocolError):
        box.setText(str(error))
    else:
        box.setText("Something went wrong. Your data is safe; the details below can be "
                    "copied into a report.")
        box.setInformativeText(f"{type(error).__name__}: {error}")
        if details:
            box.setDetailedText(details)
    box.setTextInteractionFlags(box.textInteractionFlags())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorDialog")
    box.open()
    return box
