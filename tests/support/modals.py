"""Answering the desktop app's modal dialogs in tests without blocking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QMessageBox, QWidget


def close_modals() -> list[str]:
    """Close every visible modal dialog (so a failing test never hangs in exec())."""
    stuck = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isModal()]
    for widget in stuck:
        widget.reject() if isinstance(widget, QDialog) else widget.close()
    return [w.objectName() for w in stuck]


def answer_modal(button_text: str) -> list[str]:
    """Click ``button_text`` in the next modal dialog, if one appears within a second
    (their ``exec()`` blocks); the returned list receives the dialog's object name once
    clicked, so a test can tell whether a dialog that may or may not come did."""
    seen: list[str] = []

    def click(attempts: int = 50) -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            for button in box.findChildren(QAbstractButton):
                if button.text().replace("&", "") == button_text:
                    seen.append(box.objectName())
                    button.click()
                    return
        if attempts:
            QTimer.singleShot(20, lambda: click(attempts - 1))

    QTimer.singleShot(0, click)
    return seen


class ModalAnswerer:
    """Answers the next modal dialog from a timer, so ``exec()`` never blocks a test."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.seen: list[QWidget] = []
        self._timers: list[QTimer] = []

    def next(self, handler: Callable[[Any], None], *, kind: type | None = None,
             name: str | None = None, timeout_ms: int = 5000) -> None:
        """Call ``handler(dialog)`` once a matching modal dialog is shown."""
        timer = QTimer()
        timer.setInterval(15)
        waited = {"ms": 0}
        before = set(map(id, self.seen))

        def candidates() -> list[QWidget]:
            active = QApplication.activeModalWidget()
            found = [active] if active is not None else []
            found += [w for w in QApplication.topLevelWidgets()
                      if w.isVisible() and w.isModal() and w is not active]
            return [w for w in found if id(w) not in before
                    and (kind is None or isinstance(w, kind))
                    and (name is None or w.objectName() == name)]

        def poll() -> None:
            waited["ms"] += 15
            found = candidates()
            if found:
                timer.stop()
                self.seen.append(found[0])
                try:
                    handler(found[0])
                except BaseException:
                    close_modals()  # unblock exec() so the test fails instead of hanging
                    raise
            elif waited["ms"] > timeout_ms:
                timer.stop()
                stuck = close_modals()
                raise AssertionError(f"no modal dialog {kind or ''} {name or ''} appeared; "
                                     f"open: {stuck}")

        timer.timeout.connect(poll)
        timer.start()
        self._timers.append(timer)

    def click(self, text: str, **match: Any) -> None:
        """Click the button labelled ``text`` (ignoring '&') in the next dialog."""

        def handler(dialog: QWidget) -> None:
            for button in dialog.findChildren(QAbstractButton):
                if button.text().replace("&", "") == text and button.isVisible():
                    button.click()
                    return
            texts = [b.text() for b in dialog.findChildren(QAbstractButton)]
            dialog.reject() if isinstance(dialog, QDialog) else dialog.close()
            raise AssertionError(f"no button {text!r} in {dialog.objectName()}: {texts}")

        self.next(handler, **match)

    def message_box(self, button: QMessageBox.StandardButton, **match: Any) -> None:
        """Press a standard button of the next message box."""

        def handler(box: QMessageBox) -> None:
            box.button(button).click()

        self.next(handler, kind=QMessageBox, **match)
