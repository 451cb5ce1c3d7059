"""Undo and redo of edits made through the services (Ctrl+Z / Ctrl+Shift+Z).

A :class:`ServiceCommand` holds two callables: ``do`` applies the change through a
service, ``undo`` reverts it through a service (reading the current version first, so
an undo never overwrites someone else's later change silently — a stale undo raises
StaleWriteError like any other write and is shown to the user).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from protocol_app.errors import ProtocolError


class ServiceCommand(QUndoCommand):
    """One undoable edit.  ``redo`` is called when pushed, as Qt does."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object],
                 on_error: Callable[[ProtocolError], None] | None = None,
                 on_done: Callable[[], None] | None = None) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._on_error = on_error
        self._on_done = on_done
        self.failed = False

    def _run(self, fn: Callable[[], object]) -> None:
        try:
            fn()
        except ProtocolError as exc:
            self.failed = True
            self.setObsolete(True)
            if self._on_error is not None:
                self._on_error(exc)
            else:
                raise
        if self._on_done is not None:
            self._on_done()

    def redo(self) -> None:
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)


def push(stack: QUndoStack, command: ServiceCommand) -> bool:
    """Push (and so perform) ``command``; False if the service refused it."""
    stack.push(command)
    return not command.failed
