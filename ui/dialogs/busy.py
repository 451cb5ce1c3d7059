"""Dialogs that stay open while their work runs in the background."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog


class BusyDialog(QDialog):
    """A dialog that Escape, Close and the window's × leave open while :attr:`busy`:
    what it sends, saves or draws in the background finishes first."""

    @property
    def busy(self) -> bool:
        """True while work is under way (subclasses say when)."""
        return False

    def reject(self) -> None:
        """Close, unless work is under way."""
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refuse to close while work is under way."""
        if self.busy:
            event.ignore()
        else:
            super().closeEvent(event)


__all__ = ["BusyDialog"]
