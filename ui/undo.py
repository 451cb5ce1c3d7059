"""Undo and redo of edits made through the services (Ctrl+Z / Ctrl+Shift+Z).

Every undoable edit in the client is one :class:`VersionedCommand`.  It holds a
:class:`RecordHandle` — the id and version of the record as this session last wrote it —
and two steps, ``redo`` and ``undo``, each a service call given that handle: it passes
``handle.version`` as the expected version (for a visit's fields, to
``VisitService.guarded_update`` with the values it is about to overwrite as ``seen``), so
the service refuses a write over someone else's later change.  What a step writes (a
record with ``id`` and ``version``) becomes the handle's new state, so the next undo or
redo expects exactly that version, and follows a record re-created under a new id.

A refused step marks the command obsolete and goes to ``on_error``; :func:`report_failure`
is the usual answer: a stale write through the stale-write dialog
(:func:`ui.dialogs.stale.handle_stale_write`), anything else in a message box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from protocol_app.errors import ProtocolError, StaleWriteError


@dataclass
class RecordHandle:
    """Where a record is now, as far as this user's own writes know."""

    id: int | None
    version: int | None

    def existing_id(self) -> int:
        """The record's id, for a step on a record that exists (created or loaded)."""
        assert self.id is not None, "a step on a record not created yet"
        return self.id


class Written(Protocol):
    """What a step wrote: any record value with an id and a version."""

    @property
    def id(self) -> int: ...

    @property
    def version(self) -> int: ...


#: A write through a service, given the handle (its id and the version to expect);
#: returns the record written, or None when the record is gone (deleted).
Step = Callable[[RecordHandle], "Written | None"]


def report_failure(parent: QWidget | None, error: ProtocolError, reload: Callable[[], None],
                   title: str = "Could not undo or redo") -> None:
    """Say why a write was refused: a stale write in the stale-write dialog (which offers
    ``reload``), anything else in a message box titled ``title``."""
    from ui.dialogs.errors import show_error
    from ui.dialogs.stale import handle_stale_write

    if isinstance(error, StaleWriteError):
        handle_stale_write(parent, error, reload)
    else:
        show_error(parent, title, error)


class VersionedCommand(QUndoCommand):
    """One undoable write, checked against the version this session last wrote.

    Pushing it runs ``redo`` (as Qt does), unless ``applied`` says the change was already
    made through the services before the push.  ``on_done`` runs after every step that was
    run (also a refused one: the view reads the records again); a refused step without
    ``on_error`` raises."""

    def __init__(self, text: str, handle: RecordHandle, redo: Step, undo: Step, *,
                 on_error: Callable[[ProtocolError], None] | None = None,
                 on_done: Callable[[], None] | None = None, applied: bool = False) -> None:
        super().__init__(text)
        self.handle = handle
        self._redo = redo
        self._undo = undo
        self._on_error = on_error
        self._on_done = on_done
        self._applied = applied
        self.failed = False

    def _run(self, step: Step) -> None:
        try:
            written = step(self.handle)
        except ProtocolError as exc:
            self.failed = True
            self.setObsolete(True)
            if self._on_error is None:
                raise
            self._on_error(exc)
        else:
            if written is not None:
                self.handle.id, self.handle.version = written.id, written.version
        if self._on_done is not None:
            self._on_done()

    def redo(self) -> None:
        if self._applied:  # pushed after the change was made: nothing to do yet
            self._applied = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)


class ServiceCommand(VersionedCommand):
    """A command of two plain callables, with no record handle.

    Kept only for ``ui/pages/seating.py``, which tracks its plans' versions itself; it
    should move to :class:`VersionedCommand` (a handle on the plan, steps passing
    ``handle.version``) and then this class goes."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object],
                 on_error: Callable[[ProtocolError], None] | None = None,
                 on_done: Callable[[], None] | None = None) -> None:
        def step(fn: Callable[[], object]) -> Step:
            def run(_handle: RecordHandle) -> None:
                fn()
            return run

        super().__init__(text, RecordHandle(None, None), step(do), step(undo),
                         on_error=on_error, on_done=on_done)


def push(stack: QUndoStack, command: VersionedCommand) -> bool:
    """Push (and so perform) ``command``; False if the service refused it."""
    stack.push(command)
    return not command.failed
