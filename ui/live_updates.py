"""Live updates: the window shows what other workstations (or windows) change.

A :class:`LiveUpdates` polls the core's change feed
(:meth:`protocol_app.services.Services.open_change_feed`: PostgreSQL NOTIFY on a server,
``PRAGMA data_version`` on an SQLite file) every :data:`POLL_MS` milliseconds on the GUI
thread: a poll reads what already arrived and never waits.  When the open visit may have
changed, the window reads it again the way F5 does (``MainWindow.refresh_all``): pages
without edits show the new values, and the Overview keeps its unsaved edits
(``VisitOverview.set_visit``).  An editor with unsaved edits is never overwritten: it is
told, in a line at its top, that the record changed meanwhile.

When the server connection is lost (the server restarted, the connection was ended, the
network is out) polling pauses: the status bar says so once (:data:`PAUSED`) and the
feed reconnects after 1 s, 2 s, 4 s ... at most :data:`LONGEST_RETRY_MS` apart (each
attempt waits at most the feed's short connect timeout).  Once back it says
:data:`RESUMED`, reads everything again (the changes made meanwhile were not heard) and
polls on.  Any other failure stops live updates and says so; F5 still reads again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from protocol_app.errors import ConnectionLostError

#: How often the feed is polled (well under the two seconds a change may take to show).
POLL_MS = 400
#: The first reconnect is tried this long after the connection was lost; each failed
#: attempt doubles the wait, up to :data:`LONGEST_RETRY_MS`.
FIRST_RETRY_MS = 1000
LONGEST_RETRY_MS = 30_000
#: What the status bar says while the connection is lost, and once it is back.
PAUSED = "Live updates paused: lost the connection to the database server. Retrying…"
RESUMED = "Live updates resumed."
#: How long :data:`RESUMED` stays in the status bar.
RESUMED_SHOWN_MS = 10_000
#: What an editor with unsaved edits is told.
CHANGED_ELSEWHERE = ("Someone changed this visit on another workstation while you were "
                     "editing. Your unsaved edits are kept; saving will say if they clash "
                     "with the stored values.")


class LiveUpdates(QObject):
    """Polls the change feed of ``window``'s services and refreshes what it shows."""

    #: The open visit was read again after a change elsewhere: its id.
    refreshed = Signal(int)
    #: The connection is lost and a reconnect is due in this many milliseconds.
    retry_scheduled = Signal(int)
    #: The feed reconnected and the window read everything again.
    resumed = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.feed: Any = window.require_services().open_change_feed()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.reconnect)
        #: Failed reconnects since the connection was lost (0 while connected).
        self.failed_attempts = 0
        self.status: QLabel | None = None  # the status bar's line, made when first needed
        self.timer.start()

    @property
    def paused(self) -> bool:
        """Whether the connection is lost and a reconnect is pending."""
        return self.feed is not None and not self.timer.isActive()

    def poll(self) -> None:
        """Read what changed; refresh the list and the open visit if it may have."""
        if self.feed is None:
            return
        try:
            changes = self.feed.poll()
        except ConnectionLostError as exc:
            self.timer.stop()
            self.failed_attempts = 0
            self._say(PAUSED, detail=str(exc))
            self._retry_later()
            return
        except Exception as exc:  # not a lost connection: say so and stop; F5 still works
            self._stopped(exc)
            return
        self._show_changes(changes)

    def reconnect(self) -> None:
        """Try to open the feed's connection again; on success read everything again and
        poll on, else try later (each wait twice the last, at most LONGEST_RETRY_MS)."""
        if self.feed is None:
            return
        try:
            changes = self.feed.reconnect()
        except ConnectionLostError as exc:
            self.failed_attempts += 1
            if self.status is not None:
                self.status.setToolTip(str(exc))
            self._retry_later()
            return
        except Exception as exc:
            self._stopped(exc)
            return
        self.failed_attempts = 0
        self.timer.start()
        self._show_changes(changes, everything=True)
        self._say(RESUMED, hide_after_ms=RESUMED_SHOWN_MS)
        self.resumed.emit()

    def _retry_later(self) -> None:
        delay = retry_delay_ms(self.failed_attempts)
        self.retry_timer.start(delay)
        self.retry_scheduled.emit(delay)

    def _stopped(self, error: Exception) -> None:
        self.stop()
        self._say(f"Live updates stopped: {error}. Press F5 to see others' changes.")

    def _show_changes(self, changes: Any, *, everything: bool = False) -> None:
        """Read again what ``changes`` may touch (``everything``: the people page too)."""
        if not changes:
            return
        workspace = self.window.workspace
        visit = getattr(workspace, "visit", None)
        if visit is None or not changes.touches(visit.id):
            if everything:
                self.window.refresh_all()
            else:
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

    def _say(self, text: str, *, detail: str = "", hide_after_ms: int = 0) -> None:
        """Show ``text`` in the status bar's live-updates line (kept until replaced, or
        for ``hide_after_ms``); ``detail`` (the server's words) as its tooltip."""
        if self.status is None:
            self.status = QLabel()
            self.status.setObjectName("liveUpdatesStatus")
            self.window.statusBar().addPermanentWidget(self.status)
        status = self.status
        status.setText(text)
        status.setToolTip(detail)
        status.show()
        if hide_after_ms:
            QTimer.singleShot(hide_after_ms, status,
                              lambda: status.setVisible(status.text() != text))

    def stop(self) -> None:
        """Stop polling (and retrying) and release the feed's connection."""
        self.timer.stop()
        self.retry_timer.stop()
        if self.feed is not None:
            feed, self.feed = self.feed, None
            feed.close()


def retry_delay_ms(failed_attempts: int) -> int:
    """How long to wait before the next reconnect after ``failed_attempts`` failures:
    FIRST_RETRY_MS, then twice as long each time, at most LONGEST_RETRY_MS."""
    return min(FIRST_RETRY_MS * 2 ** min(failed_attempts, 16), LONGEST_RETRY_MS)


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
