""""Send invites…": who gets what (invitation, update, cancellation) before anything is
sent, then sending in the background with progress, then the result.  And "Export
calendar…", which saves the itinerary as an .ics file.

Everything goes through :class:`protocol_app.invites.service.InviteService`; this module
never touches a database session.  Loading the plan, sending and exporting run through
:func:`ui.tasks.run_task`, which reports back on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.formatting import zone_label
from protocol_app.invites.service import InviteService
from protocol_app.invites.values import (
    CalendarExport,
    DeliveryReport,
    InvitePlan,
    NotInvited,
    PlannedInvite,
)
from protocol_app.timeutil import format_local
from ui.dialogs.errors import show_error
from ui.dialogs.fit import fit_to_screen
from ui.tasks import run_task

if TYPE_CHECKING:
    from protocol_app.services import Services

WHAT, EVENT, WHEN, TO, ADDRESS, WHY, SEQUENCE = range(7)
HEADERS: tuple[str, ...] = ("What", "Event", "When", "To", "Address", "Why", "Sequence")


def _when(item: PlannedInvite) -> str:
    return (f"{format_local(item.start_utc, item.timezone, '%a %d %b %H:%M')}, "
            f"{zone_label(item.timezone, item.start_utc)}")


def _not_invited_lines(people: tuple[NotInvited, ...]) -> list[str]:
    """``Name — no e-mail address (3 events)``, one line per person and reason."""
    grouped: dict[tuple[int, str], list[str]] = {}
    names: dict[int, str] = {}
    for p in people:
        grouped.setdefault((p.person_id, p.reason), []).append(p.event_title)
        names[p.person_id] = p.name
    lines = []
    for (person_id, reason), titles in sorted(grouped.items(),
                                              key=lambda kv: names[kv[0][0]].casefold()):
        count = f"{len(titles)} event{'' if len(titles) == 1 else 's'}"
        lines.append(f"{names[person_id]} — {reason} ({count})")
    return lines


class SendInvitesDialog(QDialog):
    """Shows the invitations due for a visit and sends them through SMTP."""

    #: Emitted with the :class:`InvitePlan` each time the list is (re)loaded.
    planLoaded = Signal(object)
    #: Emitted with the :class:`DeliveryReport`, or the exception, when sending ends.
    sendFinished = Signal(object)

    def __init__(self, services: Services, visit_id: int | str, parent: QWidget | None = None,
                 *, service: InviteService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendInvitesDialog")
        self.setWindowTitle("Send invites")
        self.resize(980, 620)
        self._service = service or services.invites
        self._visit_id = visit_id
        self.plan: InvitePlan | None = None
        self.report: DeliveryReport | None = None
        self._busy = False
        self._needs_password = False

        self.summary = QLabel("Loading…")
        self.summary.setObjectName("invitesSummary")
        self.summary.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("invitesProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.hide()

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("invitesTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(EVENT, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Messages to send")

        self.not_invited_label = QLabel("Not invited, and why:")
        self.not_invited = QListWidget()
        self.not_invited.setObjectName("notInvitedList")
        self.not_invited.setAccessibleName("People not invited")
        self.not_invited.setMaximumHeight(110)

        self.resend_all = QCheckBox("Send every current invitation again (not only changes)")
        self.resend_all.setObjectName("resendAll")
        self.resend_all.toggled.connect(self.reload)

        self.password = QLineEdit()
        self.password.setObjectName("smtpPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Mail server password")
        self.remember = QCheckBox("Keep it in the system's password store")
        self.remember.setChecked(True)
        self.password_row = QWidget()
        password_form = QFormLayout(self.password_row)
        password_form.setContentsMargins(0, 0, 0, 0)
        self.password_label = QLabel("Mail server &password")
        self.password_label.setBuddy(self.password)
        password_form.addRow(self.password_label, self.password)
        password_form.addRow("", self.remember)
        self.password_row.hide()

        self.progress = QProgressBar()
        self.progress.setObjectName("sendProgress")
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("sendStatus")
        self.status.setWordWrap(True)
        self.result = QPlainTextEdit()
        self.result.setObjectName("sendResult")
        self.result.setReadOnly(True)
        self.result.setMaximumHeight(140)
        self.result.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.send_button = QPushButton("&Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.setEnabled(False)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.clicked.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.not_invited_label)
        layout.addWidget(self.not_invited)
        layout.addWidget(self.resend_all)
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
        """True while the list loads or messages are being sent."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.resend_all.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(not busy)
        self._update_send_button()

    def _update_send_button(self) -> None:
        plan = self.plan
        ready = (plan is not None and not plan.is_empty and not plan.problems
                 and not self._busy)
        self.send_button.setEnabled(ready)
        count = len(plan.items) if plan else 0
        self.send_button.setText(f"&Send {count} message{'' if count == 1 else 's'}"
                                 if count else "&Send")

    # -- the plan --------------------------------------------------------------------
    def reload(self) -> None:
        """Load (again) what is due, in the background."""
        if self._busy:
            return
        self._set_busy(True)
        self.summary.setText("Loading…")
        service, visit_id, resend = self._service, self._visit_id, self.resend_all.isChecked()

        def load() -> tuple[InvitePlan, bool]:
            from protocol_app.invites.sending import SmtpOptions, stored_password

            plan = service.plan(visit_id, resend_all=resend)
            options = SmtpOptions.from_settings(service.settings)
            needs = False
            if plan.items and options.user and options.host:
                try:
                    needs = stored_password(options) is None
                except Exception:  # no usable keyring: ask every time
                    needs = True
            return plan, needs

        run_task(load, on_success=self._show_plan, on_failure=self._load_failed, parent=self,
                 title="The invitations could not be listed")

    def _show_plan(self, result: tuple[InvitePlan, bool]) -> None:
        plan, needs_password = result
        self.plan = plan
        self._needs_password = needs_password
        self.summary.setText(f"<b>{plan.visit_title}</b><br>{plan.summary()}")
        self.problems.setText("\n".join(plan.problems))
        self.problems.setVisible(bool(plan.problems))
        self.table.setRowCount(len(plan.items))
        for row, item in enumerate(plan.items):
            values = (item.kind.label, item.event_title, _when(item), item.name, item.email,
                      item.reason, str(item.sequence))
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, item)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        lines = _not_invited_lines(plan.not_invited)
        self.not_invited.clear()
        self.not_invited.addItems(lines)
        self.not_invited.setVisible(bool(lines))
        self.not_invited_label.setVisible(bool(lines))
        self.password_row.setVisible(needs_password)
        self._set_busy(False)
        self.planLoaded.emit(plan)

    def _load_failed(self, error: BaseException, details: str) -> None:
        self._set_busy(False)
        self.summary.setText("The invitations could not be listed.")
        show_error(self, "The invitations could not be listed", error, details)

    # -- sending ---------------------------------------------------------------------
    def send(self) -> None:
        """Send the messages listed, in the background."""
        plan = self.plan
        if plan is None or plan.is_empty or self._busy:
            return
        password: str | None = None
        if self._needs_password:
            password = self.password.text()
            if not password:
                self.status.setText("Enter the mail server's password first.")
                self.password.setFocus()
                return
        remember = self._needs_password and self.remember.isChecked()
        service, visit_id, resend = self._service, self._visit_id, self.resend_all.isChecked()
        self._set_busy(True)
        self.result.hide()
        self.progress.setRange(0, len(plan.items))
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Connecting to the mail server…")

        def work(report: Callable[[int, int, str], None]) -> DeliveryReport:
            result = service.send(visit_id, resend_all=resend, expected=plan,
                                  password=password, progress=report)
            if remember and password:
                from protocol_app.invites.sending import SmtpOptions, store_password

                store_password(SmtpOptions.from_settings(service.settings), password)
            return result

        run_task(work, on_success=self._sent, on_failure=self._send_failed,
                 on_progress=self._progressed, parent=self)

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.status.setText(f"Sent {done} of {total}: {text}")

    def _sent(self, report: DeliveryReport) -> None:
        self.report = report
        self.progress.setValue(self.progress.maximum())
        sent = len(report.delivered)
        if report.ok:
            self.status.setText(f"Sent {sent} message{'' if sent == 1 else 's'}.")
        else:
            self.status.setText(f"Sent {sent}; {len(report.failed)} could not be sent and are "
                                "offered again below.")
        self.result.setPlainText("\n".join(report.lines()))
        self.result.show()
        self.password.clear()
        self._set_busy(False)
        self.sendFinished.emit(report)
        self.reload()

    def _send_failed(self, error: BaseException, details: str) -> None:
        self.progress.hide()
        self.status.setText(f"Nothing more was sent: {error}")
        self._set_busy(False)
        self.sendFinished.emit(error)
        show_error(self, "The invitations could not be sent", error, details)
        self.reload()

    # -- closing ---------------------------------------------------------------------
    def reject(self) -> None:
        """Close, unless work is under way."""
        if not self._busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refuse to close while work is under way."""
        if self._busy:
            event.ignore()
        else:
            super().closeEvent(event)


def export_calendar(services: Services, visit_id: int | str, parent: QWidget | None = None, *,
                    person: str | None = None,
                    on_done: Callable[[CalendarExport], None] | None = None,
                    service: InviteService | None = None) -> str | None:
    """"Export calendar…": ask where to save the itinerary (or one person's, by ref) as an
    .ics file, then write it in the background.  Returns the chosen path, or None if the
    user cancelled; ``on_done`` gets the result on the GUI thread."""
    service = service or services.invites
    suggested = f"{visit_id}.ics" if person is None else f"{visit_id}-{person}.ics"
    path, _filter = QFileDialog.getSaveFileName(parent, "Export calendar", suggested,
                                                "iCalendar files (*.ics);;All files (*)")
    if not path:
        return None
    if not path.lower().endswith(".ics"):
        path += ".ics"

    def work() -> CalendarExport:
        return service.export_calendar(visit_id, path, person=person)

    run_task(work, on_success=on_done, parent=parent, title="The calendar could not be exported")
    return path
