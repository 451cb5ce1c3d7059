"""Replies to invitations in the main window: "Fetch replies" (the office's IMAP folder)
and ``.eml`` / ``.ics`` files or folders dropped on the window.  Both go through
:class:`protocol_app.invites.reply_service.ReplyService` off the GUI thread
(:func:`ui.tasks.run_task`); a report (:class:`ui.dialogs.reply_report.ReplyReportDialog`)
lists one line per file or message (recorded, or why not), and the open visit's Answers
tab is read again.  Built after the first paint; its dialogs load when first used.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, Signal

from ui.tasks import run_task

if TYPE_CHECKING:
    from PySide6.QtGui import QDropEvent

    from protocol_app.invites.values import ReplyImportReport
    from ui.dialogs.reply_report import ReplyReportDialog
    from ui.main_window import MainWindow

#: The files a drop imports as replies (folders are searched for them).
REPLY_SUFFIXES = (".eml", ".ics")


def dropped_replies(event: QDropEvent) -> list[Path]:
    """The local .eml and .ics files, and folders, an event drags or drops."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in REPLY_SUFFIXES or p.is_dir()]


class ReplyActions(QObject):
    """Fetching and importing replies for the main window, and its drops of reply files
    (an event filter on the window, ahead of the visit packages' one)."""

    #: Emitted with the :class:`ReplyImportReport`, or the exception, when one ends.
    finished = Signal(object)

    _DRAGS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The last report shown (tests read it).
        self.last_report_dialog: ReplyReportDialog | None = None
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Accept .eml and .ics files (and folders) dragged onto the window; import those
        dropped.  Anything else goes on to the visit packages' filter."""
        if watched is not self.window or event.type() not in (*self._DRAGS,
                                                              QEvent.Type.Drop):
            return False
        paths = dropped_replies(event)  # type: ignore[arg-type]
        if not paths:
            return False
        event.acceptProposedAction()  # type: ignore[attr-defined]
        if event.type() == QEvent.Type.Drop:
            self.window.when_ready(partial(self.import_paths, paths))
        # a drop holding visit packages too: the packages' filter imports them
        return not any(str(u.toLocalFile()).lower().endswith(".json")
                       for u in event.mimeData().urls())  # type: ignore[attr-defined]

    def ask_and_import(self) -> None:
        """"Import replies…": choose .eml or .ics files, then import them."""
        from PySide6.QtWidgets import QFileDialog

        names, _filter = QFileDialog.getOpenFileNames(
            self.window, "Import replies", str(Path.home()),
            "Replies (*.eml *.ics);;All files (*)")
        if names:
            self.import_paths([Path(n) for n in names])

    def import_paths(self, paths: list[Path]) -> None:
        """Import reply files or folders, in the background."""
        services = self.window.require_services()
        names = ", ".join(p.name for p in paths[:3]) + ("…" if len(paths) > 3 else "")
        self.window.statusBar().showMessage(f"Reading replies from {names}…")
        run_task(lambda: services.replies.import_paths(paths),
                 on_success=lambda r: self._done("Replies imported", r),
                 on_failure=partial(self._failed, "The replies could not be imported"),
                 parent=self.window)

    def fetch(self) -> None:
        """"Fetch replies": read the unseen messages of the office's IMAP folder (the
        settings in Preferences, the password from the keyring or asked once)."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        from protocol_app.config import Settings
        from protocol_app.invites.mailbox import ImapOptions, MailboxError, stored_password
        from ui.dialogs.errors import show_error

        w = self.window
        options = ImapOptions.from_settings(Settings.load())
        problem = options.problem()
        if problem:
            show_error(w, "Replies cannot be fetched", MailboxError(
                f"{problem} (Edit → Preferences… → Replies mailbox)"), "")
            self.finished.emit(MailboxError(problem))
            return
        try:
            password = stored_password(options)
        except MailboxError:
            password = None
        if password is None:
            typed, ok = QInputDialog.getText(w, "Mailbox password",
                                             f"The password of {options.keyring_account} "
                                             "(keep it in Preferences to be asked no more):",
                                             QLineEdit.EchoMode.Password)
            if not ok or not typed:
                return
            password = typed
        services = w.require_services()
        w.statusBar().showMessage(f"Fetching replies from {options.where}…")
        run_task(lambda: services.replies.fetch(options=options, password=password),
                 on_success=lambda r: self._done("Replies fetched", r),
                 on_failure=partial(self._failed, "The replies could not be fetched"),
                 parent=w)

    def _done(self, title: str, report: ReplyImportReport) -> None:
        from ui.dialogs.reply_report import ReplyReportDialog

        w = self.window
        count = len(report.recorded)
        w.statusBar().showMessage(f"{count} answer{'' if count == 1 else 's'} recorded", 5000)
        if w.workspace is not None and w.workspace.visit is not None:
            w.workspace.answers.reload()
        dialog = ReplyReportDialog(title, report, w)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.last_report_dialog = dialog
        self.finished.emit(report)

    def _failed(self, title: str, error: BaseException, details: str) -> None:
        from ui.dialogs.errors import show_error

        self.window.statusBar().clearMessage()
        show_error(self.window, title, error, details)
        self.finished.emit(error)
