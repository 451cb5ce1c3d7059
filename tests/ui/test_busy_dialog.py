"""A dialog with work under way stays open: Escape, Close and the window's × wait."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.dialogs.busy import BusyDialog


class _Working(BusyDialog):
    def __init__(self) -> None:
        super().__init__()
        self.working = True

    @property
    def busy(self) -> bool:
        return self.working


def test_escape_and_close_wait_for_the_work(qtbot) -> None:
    dialog = _Working()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert not dialog.close() and dialog.isVisible()
    dialog.working = False
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
