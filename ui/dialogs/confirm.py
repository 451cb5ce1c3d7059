"""Questions that must be answered before something is lost: confirmations and the
Save / Discard / Cancel prompt for unsaved edits.

The main window imports this before its first paint, so QMessageBox (and its enums)
load when a question is first asked."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


class UnsavedChoice(Enum):
    """The answer to "save your changes?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved_changes(parent: QWidget | None, what: str, *, can_save: bool = True
                        ) -> UnsavedChoice:
    """Ask what to do with unsaved edits of ``what`` (e.g. "the visit's overview").

    Save is the default button; Escape cancels (nothing is lost either way)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setObjectName("unsavedChangesDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"You have unsaved changes in {what}.")
    box.setInformativeText("Save them before you go on?" if can_save
                           else "Discard them, or cancel and keep editing?")
    buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    if can_save:
        buttons |= QMessageBox.StandardButton.Save
    box.setStandardButtons(buttons)
    box.setDefaultButton(QMessageBox.StandardButton.Save if can_save
                         else QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return UnsavedChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return UnsavedChoice.DISCARD
    return UnsavedChoice.CANCEL


def confirm(parent: QWidget | None, title: str, text: str, *, informative: str = "",
            action: str = "Delete", destructive: bool = True, keep: str = "") -> bool:
    """Ask before an action; the safe answer (Cancel) is the default.

    ``keep`` names the safe button where "Cancel" would be ambiguous (e.g. beside
    "Cancel event"); without it the standard Cancel button is used."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setObjectName("confirmDialog")
    box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole if destructive
                        else QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("confirmButton")
    cancel = (box.addButton(keep, QMessageBox.ButtonRole.RejectRole) if keep
              else box.addButton(QMessageBox.StandardButton.Cancel))
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is yes
