"""Long work off the GUI thread, with the result or the error delivered back on it.

``run_task(fn, on_success=..., on_failure=...)`` runs ``fn()`` in Qt's thread pool.
Exactly one of the callbacks is then called on the GUI thread.  The default failure
handler shows an error dialog with copyable details.  A task never touches a widget:
``fn`` works on plain values and services only.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; queued signals carry the outcome back to it."""

    succeeded = Signal(object)
    failed = Signal(object, str)
    progressed = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[..., Any], relay: _Relay, with_progress: bool) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.with_progress = with_progress
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            if self.with_progress:
                result = self.fn(lambda done, total, text="": self.relay.progressed.emit(
                    done, total, text))
            else:
                result = self.fn()
        except BaseException as exc:  # every failure must be reported
            log.debug("task failed", exc_info=True)
            self.relay.failed.emit(exc, "".join(traceback.format_exception(exc)))
        else:
            self.relay.succeeded.emit(result)


_running: set[_Relay] = set()


def run_task(
    fn: Callable[..., Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException, str], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    parent: QWidget | None = None,
    title: str = "The task failed",
) -> None:
    """Run ``fn`` in the background; call ``on_success(result)`` or
    ``on_failure(error, details)`` on the GUI thread.

    With ``on_progress``, ``fn`` receives one argument, ``report(done, total, text)``,
    that it may call from the worker thread."""
    relay = _Relay()
    _running.add(relay)

    def finish() -> None:
        _running.discard(relay)
        relay.deleteLater()

    def success(result: Any) -> None:
        try:
            if on_success is not None:
                on_success(result)
        finally:
            finish()

    def failure(error: BaseException, details: str) -> None:
        try:
            if on_failure is not None:
                on_failure(error, details)
            else:
                from ui.dialogs.errors import show_error

                show_error(parent, title, error, details)
        finally:
            finish()

    relay.succeeded.connect(success)
    relay.failed.connect(failure)
    if on_progress is not None:
        relay.progressed.connect(on_progress)
    QThreadPool.globalInstance().start(_Runnable(fn, relay, on_progress is not None))


def wait_for_tasks(timeout_ms: int = 30_000) -> bool:
    """Block until every background task is done (tests, shutdown)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
