"""Live updates: the window shows what other workstations (or windows) change.

A :class:`LiveUpdates` polls the core's change feed
(:meth:`protocol_app.services.Services.open_change_feed`: PostgreSQL NOTIFY on a server,
``PRAGMA data_version`` on an SQLite file) every :data:`POLL_MS` milliseconds on the GUI
thread: a poll reads what already arrived and never waits.  When the open visit may have
changed, the window reads it again the way F5 does (``MainWindow.refresh_all``): pages
without edits show the new values, and the Overview keeps its unsaved edits
(``VisitOverview.set_visit``).  An editor with unsaved edits is never overwritten: it is
told, in a line at its top, that the record changed meanwhile.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

#: How often the feed is polled (well under the two seconds a change may take to show).
POLL_MS = 400
#: What an editor with unsaved edits is told.
CHANGED_ELSEWHERE = ("Someone changed this visit on another workstation while you were "
                     "editing. Your unsaved edits are kept; saving will say if they clash "
                     "with the stored values.")


class LiveUpdates(QObject):
    """Polls the change feed of ``window``'s services and refreshes what it shows."""

    #: The open visit was read again after a change elsewhere: its id.
    refreshed = Signal(int)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.feed = window.require_services().open_change_feed()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        """Read what changed; refresh the list and the open visit if it may have."""
        try:
            changes = self.feed.poll()
        except Exception:  # a dropped server connection: stop quietly, F5 still works
            self.stop()
            return
        if not changes:
            return
        workspace = self.window.workspace
        visit = getattr(workspace, "visit", None)
        if visit is None or not changes.touches(visit.id):
            self.window.reload_visits()
            return
        editing = [d for d in self.window.findChildren(QDialog)
                   if d.isVisible() and _is_dirty(d)]
        if workspace.has_unsaved_changes():
            editing.append(workspace.overview)
        self.window.refresh_all()
        for editor in editing:
            tell_changed_elsewhere(editor)
        self.refreshed.emit(visit.id)

    def stop(self) -> None:
        """Stop polling and release the feed's connection."""
        self.timer.stop()
        if self.feed is not None:
            feed, self.feed = self.feed, None
            feed.close()


def _is_dirty(widget: QWidget) -> bool:
    check = getattr(widget, "is_dirty", None)
    return bool(check()) if callable(check) else False


def tell_changed_elsewhere(editor: QWidget) -> QLabel:
    """Show, once, at the top of ``editor`` that its record changed meanwhile."""
    notice = editor.findChild(QLabel, "changedElsewhere")
    if notice is None:
        notice = QLabel(CHANGED_ELSEWHERE)
        notice.setObjectName("changedElsewhere")
        notice.setWordWrap(True)
        notice.setStyleSheet("QLabel { background: #fff4ce; color: #3b2f00; padding: 6px; }")
        layout = editor.layout()
        insert = getattr(layout, "insertWidget", None)
        if callable(insert):
            insert(0, notice)
        else:
            notice.setParent(editor)
    notice.show()
    return notice
