""""Send programmes…": the guests whose programme is due (never sent, or changed since the
edition they were sent), each with a check box -- who it goes to (their calendar manager
when they have one), why, and the edition they were last sent -- then, after a
confirmation naming the count, sending the ones ticked in the background, the result
(sent, and what failed with the server's reason), and the list again (those sent are no
longer due).

A guest's programme is one e-mail with their personal itinerary (``.ics``) and their
personal briefing copy (a PDF, the next edition): see
:class:`protocol_app.invites.programme.ProgrammeService`, through which everything goes;
loading and sending run through :func:`ui.tasks.run_task`, as "Send invites…" does.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from protocol_app.invites.programme import ProgrammeDue, ProgrammeReport
from ui.dialogs.busy import BusyDialog
from ui.dialogs.errors import show_error
from ui.dialogs.fit import fit_to_screen
from ui.dialogs.mail_password import MailPasswordRow, keep_password, password_needed
from ui.tasks import run_task

if TYPE_CHECKING:
    from protocol_app.services import Services

#: The list's columns: the guest (with the check box), where it goes, why, last sent.
GUEST, TO, WHY, LAST_SENT = range(4)
HEADERS: tuple[str, ...] = ("Guest", "To", "Why", "Last sent")
#: Where a line's :class:`ProgrammeDue` lives.
DUE_ROLE = Qt.ItemDataRole.UserRole
NOBODY_DUE = "Every guest has their current programme."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def recipient_text(due: ProgrammeDue) -> str:
    """``guest@example.org``, or ``Ana Ruiz <ana@example.org> (calendar manager)``."""
    if due.sent_to_name:
        return f"{due.sent_to_name} <{due.email}> (calendar manager)"
    return due.email


def reason_text(due: ProgrammeDue) -> str:
    """"Never sent", or what changed since the edition sent."""
    if due.sent_edition is None:
        return "Never sent"
    return due.reason[:1].upper() + due.reason[1:]


class SendProgrammesDialog(BusyDialog):
    """Lists the guests whose programme is due and sends those ticked through SMTP."""

    #: Emitted with the tuple of :class:`ProgrammeDue` each time the list is (re)loaded.
    dueLoaded = Signal(object)
    #: Emitted with the :class:`ProgrammeReport`, or the exception, when sending ends.
    sendFinished = Signal(object)

    def __init__(self, services: Services, visit_id: int | str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendProgrammesDialog")
        self.setWindowTitle("Send programmes")
        self.resize(1000, 520)
        self._service = services.programmes
        self._visits = services.visits
        self._editions = services.editions
        self._visit_id = visit_id
        self.due: tuple[ProgrammeDue, ...] | None = None
        self.report: ProgrammeReport | None = None
        self._busy = False

        self.summary = QLabel("Loading…")
        self.summary.setObjectName("programmesSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("programmesTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.horizontalHeaderItem(LAST_SENT).setToolTip(
            "The edition of the personal copy last sent, as stamped on it (the visit's clock)")
        self.table.setAccessibleName("Guests whose programme is due")
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)  # what changed is read whole, on as many lines as it takes
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (GUEST, TO, LAST_SENT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())
        self.table.itemChanged.connect(lambda *_args: self._update_buttons())

        self.password_row = MailPasswordRow()
        self.progress = QProgressBar()
        self.progress.setObjectName("programmesProgress")
        self.progress.setRange(0, 0)  # the service reports at the end: a busy bar
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("programmesStatus")
        self.status.setWordWrap(True)
        self.result = QPlainTextEdit()
        self.result.setObjectName("programmesResult")
        self.result.setReadOnly(True)
        self.result.setMaximumHeight(120)
        self.result.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.send_button = QPushButton("&Send")
        self.send_button.setObjectName("sendProgrammesButton")
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self.send)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.password_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)
        fit_to_screen(self)
        self.reload()

    # -- state -----------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while the list loads or programmes are being sent."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.table.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.checked())
        self.send_button.setEnabled(not self._busy and count > 0)
        self.send_button.setText(f"&Send {_plural(count, 'programme')}" if count else "&Send")

    # -- the list --------------------------------------------------------------------
    def lines(self) -> list[QTableWidgetItem]:
        """Every guest's line (its first cell, which holds the tick), top to bottom."""
        return [self.table.item(row, GUEST) for row in range(self.table.rowCount())]

    def column(self, column: int) -> list[str]:
        """The texts of one column, top to bottom."""
        return [self.table.item(row, column).text() for row in range(self.table.rowCount())]

    def checked(self) -> list[ProgrammeDue]:
        """The guests ticked, top to bottom."""
        return [line.data(DUE_ROLE) for line in self.lines()
                if line.checkState() == Qt.CheckState.Checked]

    def _fill(self, due: tuple[ProgrammeDue, ...], stamps: dict[tuple[int, int], str]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.table.setRowCount(len(due))
        for row, item in enumerate(due):
            last = ("—" if item.sent_edition is None else
                    stamps.get((item.person_id, item.sent_edition),
                               f"Edition {item.sent_edition}"))
            cells = [QTableWidgetItem(text) for text in
                     (item.name, recipient_text(item), reason_text(item), last)]
            cells[GUEST].setData(DUE_ROLE, item)
            cells[GUEST].setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                                  | Qt.ItemFlag.ItemIsSelectable)
            cells[GUEST].setCheckState(Qt.CheckState.Checked)
            cells[TO].setToolTip(f"Goes to {item.email}"
                                 + (f", the calendar manager of {item.name}"
                                    if item.sent_to_name else ""))
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()

    def reload(self) -> None:
        """Load (again) who is due, in the background."""
        if self._busy:
            return
        self._set_busy(True)
        self.summary.setText("Loading…")
        service, editions, visits = self._service, self._editions, self._visits
        visit_id = self._visit_id

        def load() -> tuple[str, tuple[ProgrammeDue, ...], dict[tuple[int, int], str], bool]:
            visit = visits.get(visit_id)
            due = service.due(visit.id)
            stamps = {(e.person_id, e.number): e.stamp(visit.timezone)
                      for e in editions.list(visit.id, kind="personal_copy")
                      if e.person_id is not None}
            needs = bool(due) and password_needed(service.invites.settings)
            return visit.title, due, stamps, needs

        run_task(load, on_success=self._show_due, on_failure=self._load_failed, parent=self)

    def _show_due(self, result: tuple[str, tuple[ProgrammeDue, ...],
                                      dict[tuple[int, int], str], bool]) -> None:
        if not isValid(self):
            return
        title, due, stamps, needs_password = result
        self.due = due
        if due:
            text = (f"{_plural(len(due), 'programme')} due: each goes as one e-mail with "
                    "the guest's itinerary (a calendar file) and their personal briefing "
                    "copy (the next edition). Untick who should not get theirs now.")
        else:
            text = NOBODY_DUE
        self.summary.setText(f"<b>{html.escape(title)}</b><br>{html.escape(text)}")
        self._fill(due, stamps)
        self.password_row.set_needed(needs_password)
        self._set_busy(False)
        self.dueLoaded.emit(due)

    def _load_failed(self, error: BaseException, details: str) -> None:
        if not isValid(self):
            return
        self._set_busy(False)
        self.summary.setText("The programmes due could not be listed.")
        show_error(self, "The programmes could not be listed", error, details)

    # -- sending ---------------------------------------------------------------------
    def confirm(self, chosen: list[ProgrammeDue]) -> bool:
        """Ask before sending, naming the count."""
        count = _plural(len(chosen), "programme")
        box = QMessageBox(QMessageBox.Icon.Question, "Send programmes", f"Send {count}?",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmSendProgrammes")
        box.setInformativeText(
            "To " + ", ".join(d.name for d in chosen) + ". Each guest's personal copy is "
            "recorded as a new edition. The guests left unticked stay on the list.")
        send = box.addButton(f"Send {count}", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(send)
        box.exec()
        return box.clickedButton() is send

    def send(self) -> None:
        """Send the programmes of the guests ticked, after a confirmation."""
        chosen = self.checked()
        if not chosen or self._busy:
            return
        go, password = self.password_row.take()
        if not go:
            self.status.setText("Enter the mail server's password first.")
            return
        if not self.confirm(chosen):
            self.status.setText("Nothing was sent.")
            return
        keep = self.password_row.keep_chosen()
        service, visit_id = self._service, self._visit_id
        people = [str(d.person_id) for d in chosen]
        self._set_busy(True)
        self.result.hide()
        self.progress.show()
        self.status.setText(f"Sending {_plural(len(chosen), 'programme')}…")

        def work() -> ProgrammeReport:
            report = service.send(visit_id, people, password=password)
            if keep and password and report.sent:
                keep_password(service.invites.settings, password)
            return report

        run_task(work, on_success=self._sent, on_failure=self._send_failed, parent=self)

    def _sent(self, report: ProgrammeReport) -> None:
        if not isValid(self):
            return
        self.report = report
        self.progress.hide()
        sent = _plural(len(report.sent), "programme")
        if report.ok:
            self.status.setText(f"Sent {sent}.")
        else:
            failed = ", ".join(d.name for d, _why in report.failed)
            self.status.setText(f"Sent {sent}; not sent to {failed}: they stay on the list.")
        self.result.setPlainText("\n".join(report.lines()))
        self.result.show()
        self.password_row.password.clear()
        self._set_busy(False)
        self.sendFinished.emit(report)
        self.reload()

    def _send_failed(self, error: BaseException, details: str) -> None:
        if not isValid(self):
            return
        self.progress.hide()
        self.status.setText(f"Sending stopped: {error} The list shows who is still due.")
        self._set_busy(False)
        self.sendFinished.emit(error)
        show_error(self, "The programmes could not be sent", error, details)
        self.reload()

