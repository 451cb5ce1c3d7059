""""Send invites…": who gets what (invitation, update, cancellation) before anything is
sent, grouped by person -- each person, then their events, with what goes and why, a
check box on each line and per person -- a rendered preview of the selected message,
"Send a test to me" (to the organizer address in Preferences; never recorded as sent),
then, after a confirmation naming the count, sending the lines ticked in the background
with progress, then the result.  And "Export calendar…", which saves the itinerary as an
.ics file.

Times are in the place's zone, named by its city (``New York time``): in the column's
header when every message shares one zone, else in each line; the full label with its
offset is in the line's tooltip and the preview.

Everything goes through :class:`protocol_app.invites.service.InviteService`; this module
never touches a database session.  Loading the plan, sending and exporting run through
:func:`ui.tasks.run_task`, which reports back on the GUI thread.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from protocol_app.formatting import zone_short
from protocol_app.invites.mail import format_when
from protocol_app.invites.service import InviteService
from protocol_app.invites.values import (
    CalendarExport,
    DeliveryReport,
    InviteKind,
    InvitePlan,
    MessagePreview,
    NotInvited,
    PlannedInvite,
)
from protocol_app.timeutil import format_local
from ui.dialogs.busy import BusyDialog
from ui.dialogs.errors import show_error
from ui.dialogs.fit import FRAME_ALLOWANCE, available_rect, fit_to_screen, size_to_screen
from ui.dialogs.mail_password import MailPasswordRow, keep_password, password_needed
from ui.models.participants_model import participant_sort_key
from ui.tasks import run_task

if TYPE_CHECKING:
    from protocol_app.services import Services

#: The tree's columns: a person (then, under them, an event), what goes, when, why.
ITEM, WHAT, WHEN, WHY = range(4)
HEADERS: tuple[str, ...] = ("Recipient and event", "What", "When", "Why")
#: Where a line's planned message lives (UserRole) and what it is ("person" or "message").
MESSAGE_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def shared_zone(items: tuple[PlannedInvite, ...]) -> str | None:
    """The one time zone of every message, if they share one."""
    zones = {i.timezone for i in items}
    return zones.pop() if len(zones) == 1 else None


def when_text(item: PlannedInvite, *, with_zone: bool) -> str:
    """``Thu 22 Apr 10:00`` in the event's place; ``…, Chicago time`` with its zone
    named by its city (never the IANA name)."""
    local = format_local(item.start_utc, item.timezone, "%a %d %b %H:%M")
    return f"{local}, {zone_short(item.timezone)}" if with_zone else local


def by_recipient(items: tuple[PlannedInvite, ...], order: Mapping[int, int] | None = None,
                 ) -> list[tuple[str, str, list[PlannedInvite]]]:
    """The messages grouped by recipient: (address, name, their messages in time order),
    people in the visit's order of precedence (``order``: person number -> place; a
    calendar manager takes their principal's place), else by name."""
    groups: dict[str, list[PlannedInvite]] = {}
    for item in items:
        groups.setdefault(item.email, []).append(item)
    out = [(email, group[0].name, sorted(group, key=lambda i: (i.start_utc, i.event_title)))
           for email, group in groups.items()]
    places = order or {}

    def place(group: tuple[str, str, list[PlannedInvite]]) -> tuple:
        first = min((places.get(i.person_id, len(places)) for i in group[2]
                     if i.person_id is not None), default=len(places))
        return (first, group[1].casefold(), group[0])

    return sorted(out, key=place)


def _kinds_summary(items: list[PlannedInvite] | tuple[PlannedInvite, ...]) -> str:
    """``2 invitations, 1 cancellation`` (only the kinds present)."""
    words = {InviteKind.NEW: "invitation", InviteKind.UPDATE: "update",
             InviteKind.CANCEL: "cancellation"}
    return ", ".join(_plural(sum(1 for i in items if i.kind is kind), word)
                     for kind, word in words.items() if any(i.kind is kind for i in items))


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
        lines.append(f"{names[person_id]} — {reason} ({_plural(len(titles), 'event')})")
    return lines


def preview_html(preview: MessagePreview) -> str:
    """The message as its recipient sees it: the headers, then its HTML body."""
    body = preview.html
    start, end = body.find("<body>"), body.rfind("</body>")
    if start >= 0 and end > start:
        body = body[start + len("<body>"):end]
    rows = "".join(
        f'<tr><th align="left" valign="top" style="padding-right:10px">{label}</th>'
        f'<td dir="auto">{html.escape(value)}</td></tr>'
        for label, value in (("Subject", preview.subject), ("From", preview.sender),
                             ("To", preview.recipient), ("When", preview.when),
                             ("Calendar", calendar_effect(preview.method, preview.sequence))))
    return f"<table>{rows}</table><hr>{body}"


def calendar_effect(method: str, sequence: int) -> str:
    """What the message does in the recipient's calendar, in words (the iTIP method and
    sequence number are the exchange format's, not the officer's)."""
    if method.upper() == "CANCEL":
        return "Removes the event from their calendar"
    if sequence <= 0:
        return "Adds the event to their calendar"
    return f"Updates the event in their calendar (change {sequence})"


class SendInvitesDialog(BusyDialog):
    """Shows the invitations due for a visit, grouped by person, and sends the lines
    ticked through SMTP (or a test of one to the organizer)."""

    #: Emitted with the :class:`InvitePlan` each time the list is (re)loaded.
    planLoaded = Signal(object)
    #: Emitted with the :class:`DeliveryReport`, or the exception, when sending ends.
    sendFinished = Signal(object)
    #: Emitted with the :class:`MessagePreview` (or the exception) when one is shown.
    previewShown = Signal(object)
    #: Emitted with the address the test went to, or the exception.
    testFinished = Signal(object)

    def __init__(self, services: Services, visit_id: int | str, parent: QWidget | None = None,
                 *, service: InviteService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendInvitesDialog")
        self.setWindowTitle("Send invites")
        self.resize(1240, 680)
        self._service = service or services.invites
        self._visits = services.visits
        self._services = services
        self._order: dict[int, int] = {}  # person -> place in the order of precedence
        self._visit_id = visit_id
        self.plan: InvitePlan | None = None
        self.report: DeliveryReport | None = None
        self.preview_value: MessagePreview | None = None
        self._busy = False
        self._preview_number = 0

        self.summary = QLabel("Loading…")
        self.summary.setObjectName("invitesSummary")
        self.summary.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("invitesProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.hide()

        self.tree = QTreeWidget()
        self.tree.setObjectName("invitesTree")
        self.tree.setColumnCount(len(HEADERS))
        self.tree.setHeaderLabels(list(HEADERS))
        self.tree.setAccessibleName("Messages to send, by person")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.tree.itemChanged.connect(self._ticks_changed)
        self.tree.currentItemChanged.connect(self._current_changed)

        self.preview = QTextBrowser()
        self.preview.setObjectName("messagePreview")
        self.preview.setAccessibleName("The selected message as it will be received")
        self.preview.setOpenLinks(False)
        self.preview.setPlaceholderText("Select a message to see it as it will be received.")
        self.preview.setMinimumWidth(340)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.not_invited_label = QLabel("Not invited, and why:")
        self.not_invited = QListWidget()
        self.not_invited.setObjectName("notInvitedList")
        self.not_invited.setAccessibleName("People not invited")
        self.not_invited.setMaximumHeight(90)

        self.resend_all = QCheckBox("Send every current invitation again (not only changes)")
        self.resend_all.setObjectName("resendAll")
        self.resend_all.toggled.connect(self.reload)

        self.password_row = MailPasswordRow()
        self.password, self.remember = self.password_row.password, self.password_row.remember

        self.progress = QProgressBar()
        self.progress.setObjectName("sendProgress")
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("sendStatus")
        self.status.setWordWrap(True)
        self.result = QPlainTextEdit()
        self.result.setObjectName("sendResult")
        self.result.setReadOnly(True)
        self.result.setMaximumHeight(120)
        self.result.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.test_button = QPushButton("Send a &test to me")
        self.test_button.setObjectName("sendTestButton")
        self.test_button.setToolTip("Send the selected message to the organizer address in "
                                    "Preferences (it is not recorded as sent)")
        self.test_button.setEnabled(False)
        self.test_button.clicked.connect(self.send_test)
        self.send_button = QPushButton("&Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.setEnabled(False)
        self.programmes_button = QPushButton("Send pro&grammes…")
        self.programmes_button.setObjectName("openProgrammesButton")
        self.programmes_button.setToolTip("E-mail each guest their itinerary and personal "
                                          "briefing copy, where due")
        self.programmes_button.setAutoDefault(False)  # Enter never opens it
        self.programmes_button.clicked.connect(self.open_programmes)
        self.buttons.addButton(self.programmes_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.clicked.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.splitter, 1)
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
        self.tree.setEnabled(not busy)
        self.programmes_button.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        plan = self.plan
        ready = plan is not None and not plan.is_empty and not plan.problems and not self._busy
        count = len(self.checked_keys())
        self.send_button.setEnabled(ready and count > 0)
        self.send_button.setText(f"&Send {_plural(count, 'message')}" if count else "&Send")
        self.test_button.setEnabled(ready and self._current_message() is not None)

    # -- the tree --------------------------------------------------------------------
    def message_lines(self) -> list[QTreeWidgetItem]:
        """Every message line (the children of the people), top to bottom."""
        root = self.tree.invisibleRootItem()
        return [root.child(p).child(c) for p in range(root.childCount())
                for c in range(root.child(p).childCount())]

    def checked_keys(self) -> list[tuple]:
        """The keys of the messages ticked, top to bottom."""
        return [line.data(ITEM, MESSAGE_ROLE).key for line in self.message_lines()
                if line.checkState(ITEM) == Qt.CheckState.Checked]

    def _fill_tree(self, plan: InvitePlan) -> None:
        zone = shared_zone(plan.items)
        when_header = f"When ({zone_short(zone)})" if zone else "When"
        self.tree.setHeaderLabels([*HEADERS[:WHEN], when_header, *HEADERS[WHEN + 1:]])
        self.tree.blockSignals(True)
        self.tree.clear()
        flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | \
            Qt.ItemFlag.ItemIsSelectable
        for email, name, items in by_recipient(plan.items, self._order):
            person = QTreeWidgetItem([f"{name} <{email}>", _kinds_summary(items),
                                      _plural(len(items), "event"), ""])
            person.setData(ITEM, KIND_ROLE, "person")
            person.setFlags(flags | Qt.ItemFlag.ItemIsAutoTristate)
            font = person.font(ITEM)
            font.setBold(True)
            person.setFont(ITEM, font)
            for item in items:
                line = QTreeWidgetItem([item.event_title, item.kind.label,
                                        when_text(item, with_zone=zone is None), item.reason])
                line.setData(ITEM, MESSAGE_ROLE, item)
                line.setData(ITEM, KIND_ROLE, "message")
                line.setFlags(flags | Qt.ItemFlag.ItemNeverHasChildren)
                line.setCheckState(ITEM, Qt.CheckState.Checked)
                line.setToolTip(WHEN, f"{format_when(item.start_utc, item.end_utc, item.timezone)}"
                                      f"\nSEQUENCE {item.sequence}")
                person.addChild(line)
            self.tree.addTopLevelItem(person)
            person.setCheckState(ITEM, Qt.CheckState.Checked)
            person.setExpanded(True)
        self.tree.blockSignals(False)
        for column in range(len(HEADERS)):
            self.tree.resizeColumnToContents(column)
        self._share_width()
        first = self.message_lines()[:1]
        if first:
            self.tree.setCurrentItem(first[0])

    def _share_width(self, grow: bool = True) -> None:
        """Give the list the width of its columns (so that none scrolls away) and the
        preview the rest, never less than its minimum: the dialog grows as far as the
        screen allows when both do not fit."""
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        wanted = (sum(self.tree.header().sectionSize(c) for c in range(len(HEADERS)))
                  + self.tree.verticalScrollBar().sizeHint().width()
                  + 2 * self.tree.frameWidth() + 4)
        least = self.preview.minimumWidth()
        if grow and wanted + least > total:
            limit = available_rect(self).width() - FRAME_ALLOWANCE.width()
            width = min(self.width() + wanted + least - total, limit)
            if width > self.width():
                self.resize(width, self.height())
                size_to_screen(self)
                QTimer.singleShot(0, lambda: isValid(self) and self._share_width(grow=False))
                return
        tree = min(wanted, total - least)
        self.splitter.setSizes([tree, total - tree])

    def _ticks_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _current_message(self) -> PlannedInvite | None:
        line = self.tree.currentItem()
        if line is None:
            return None
        if line.data(ITEM, KIND_ROLE) == "person":
            line = line.child(0) if line.childCount() else None
        return line.data(ITEM, MESSAGE_ROLE) if line is not None else None

    def _current_changed(self, *_args: object) -> None:
        self._update_buttons()
        item = self._current_message()
        if item is None or self.plan is None:
            return
        self._preview_number += 1
        number = self._preview_number
        service, visit_id = self._service, self._visit_id
        resend = self.resend_all.isChecked()
        run_task(lambda: service.preview(visit_id, item.key, resend_all=resend),
                 on_success=lambda p: self._show_preview(number, p),
                 on_failure=lambda e, _d: self._preview_failed(number, e), parent=self)

    def _show_preview(self, number: int, preview: MessagePreview) -> None:
        if not isValid(self) or number != self._preview_number:
            return
        self.preview_value = preview
        self.preview.setHtml(preview_html(preview))
        self.previewShown.emit(preview)

    def _preview_failed(self, number: int, error: BaseException) -> None:
        if not isValid(self) or number != self._preview_number:
            return
        self.preview_value = None
        self.preview.setPlainText(f"No preview: {error}")
        self.previewShown.emit(error)

    # -- the plan --------------------------------------------------------------------
    def reload(self) -> None:
        """Load (again) what is due, in the background."""
        if self._busy:
            return
        self._set_busy(True)
        self.summary.setText("Loading…")
        service, visit_id, resend = self._service, self._visit_id, self.resend_all.isChecked()
        visits = self._visits

        def load() -> tuple[InvitePlan, bool, dict[int, int]]:
            plan = service.plan(visit_id, resend_all=resend)
            ranked = sorted(visits.get(visit_id).participants, key=participant_sort_key)
            order = {p.person_id: place for place, p in enumerate(ranked)}
            return plan, bool(plan.items) and password_needed(service.settings), order

        run_task(load, on_success=self._show_plan, on_failure=self._load_failed, parent=self,
                 title="The invitations could not be listed")

    def _show_plan(self, result: tuple[InvitePlan, bool, dict[int, int]]) -> None:
        plan, needs_password, self._order = result
        self.plan = plan
        self.summary.setText(f"<b>{html.escape(plan.visit_title)}</b><br>{plan.summary()}. "
                             "Untick what should not go now; it stays on the list.")
        self.problems.setText("\n".join(plan.problems))
        self.problems.setVisible(bool(plan.problems))
        self.preview_value = None
        self.preview.clear()
        self._fill_tree(plan)
        lines = _not_invited_lines(plan.not_invited)
        self.not_invited.clear()
        self.not_invited.addItems(lines)
        self.not_invited.setVisible(bool(lines))
        self.not_invited_label.setVisible(bool(lines))
        self.password_row.set_needed(needs_password)
        self._set_busy(False)
        self.planLoaded.emit(plan)

    def _load_failed(self, error: BaseException, details: str) -> None:
        self._set_busy(False)
        self.summary.setText("The invitations could not be listed.")
        show_error(self, "The invitations could not be listed", error, details)

    # -- sending ---------------------------------------------------------------------
    def _password(self) -> tuple[bool, str | None]:
        """(go on, the password typed) — asks for it when the keyring has none."""
        go, password = self.password_row.take()
        if not go:
            self.status.setText("Enter the mail server's password first.")
        return go, password

    def confirm(self, count: int, people: int, kinds: str) -> bool:
        """Ask before sending: the count of messages and people, and what they are."""
        box = QMessageBox(QMessageBox.Icon.Question, "Send invites",
                          f"Send {_plural(count, 'message')} to "
                          f"{people} {'person' if people == 1 else 'people'}?",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmSend")
        box.setInformativeText(f"{kinds}. The lines left unticked stay on the list.")
        send = box.addButton(f"Send {_plural(count, 'message')}",
                             QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(send)
        box.exec()
        return box.clickedButton() is send

    def send(self) -> None:
        """Send the messages ticked, after a confirmation naming their count."""
        plan = self.plan
        keys = self.checked_keys()
        if plan is None or not keys or self._busy:
            return
        go, password = self._password()
        if not go:
            return
        chosen = [i for i in plan.items if i.key in set(keys)]
        if not self.confirm(len(chosen), len({i.email for i in chosen}),
                            _kinds_summary(chosen)):
            self.status.setText("Nothing was sent.")
            return
        remember = self.password_row.keep_chosen()
        service, visit_id, resend = self._service, self._visit_id, self.resend_all.isChecked()
        self._set_busy(True)
        self.result.hide()
        self.progress.setRange(0, len(keys))
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Connecting to the mail server…")

        def work(report: Callable[[int, int, str], None]) -> DeliveryReport:
            result = service.send(visit_id, resend_all=resend, expected=plan, only=keys,
                                  password=password, progress=report)
            if remember and password:
                keep_password(service.settings, password)
            return result

        run_task(work, on_success=self._sent, on_failure=self._send_failed,
                 on_progress=self._progressed, parent=self)

    def send_test(self) -> None:
        """Send the selected message to the organizer address in Preferences only."""
        item = self._current_message()
        if item is None or self._busy:
            return
        go, password = self._password()
        if not go:
            return
        service, visit_id, resend = self._service, self._visit_id, self.resend_all.isChecked()
        self.test_button.setEnabled(False)
        self.status.setText(f"Sending a test of “{item.event_title}”…")
        run_task(lambda: service.send_test(visit_id, item.key, resend_all=resend,
                                           password=password),
                 on_success=lambda to: self._tested(item, to),
                 on_failure=self._test_failed, parent=self)

    def _tested(self, item: PlannedInvite, to: str) -> None:
        self.status.setText(f"Sent a test of the {item.kind.label.lower()} for "
                            f"“{item.event_title}” (to {item.name}) to {to}; it is not "
                            "recorded as sent.")
        self._update_buttons()
        self.testFinished.emit(to)

    def _test_failed(self, error: BaseException, details: str) -> None:
        self.status.setText(f"The test was not sent: {error}")
        self._update_buttons()
        self.testFinished.emit(error)

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.status.setText(f"Sent {done} of {total}: {text}")

    def _sent(self, report: DeliveryReport) -> None:
        self.report = report
        self.progress.setValue(self.progress.maximum())
        sent = len(report.delivered)
        if report.ok:
            self.status.setText(f"Sent {_plural(sent, 'message')}.")
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

    def open_programmes(self) -> QDialog:
        """"Send programmes…" for the same visit, over this dialog."""
        from ui.dialogs.send_programmes import SendProgrammesDialog

        dialog = SendProgrammesDialog(self._services, self._visit_id, self)
        dialog.open()
        return dialog



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
