"""The visit's Answers tab: who has answered the invitations.

- At the top, the visit's summary (accepted, declined, tentative, waiting) and "Remind
  those who have not answered…".
- The events, in time order, with their counts; selecting one lists its invited people
  with their answer, when it was received and, for a calendar manager who answered for
  them, "sent by".
- Other times proposed (COUNTER) are listed as proposals: shown, never applied.

Everything is read through :meth:`protocol_app.invites.reply_service.ReplyService.
visit_answers` and sent through :meth:`protocol_app.invites.service.InviteService.send`
with ``reminders=True`` (the send dialog's path), off the GUI thread
(:func:`ui.tasks.run_task`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from protocol_app.formatting import format_datetime, zone_short
from protocol_app.invites.values import (
    Answer,
    DeliveryReport,
    EventAnswers,
    InvitePlan,
    Proposal,
    VisitAnswers,
)
from ui.look import secondary
from ui.tasks import run_task

if TYPE_CHECKING:
    from protocol_app.services import Services

#: The events list's columns.
EVENT, WHEN, ACCEPTED, DECLINED, TENTATIVE, WAITING = range(6)
EVENT_HEADERS = ("Event", "When", "Accepted", "Declined", "Tentative", "Waiting")
#: The people list's columns.
NAME, EMAIL, ANSWER, RECEIVED, SENT_BY = range(5)
PEOPLE_HEADERS = ("Invited", "E-mail", "Answer", "Received", "Sent by")
#: How each PARTSTAT reads.
ANSWER_LABELS = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentative",
                 "DELEGATED": "Delegated", "NEEDS-ACTION": "Waiting"}
_EVENT_ROLE = Qt.ItemDataRole.UserRole


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def proposal_text(proposal: Proposal, zone: str) -> str:
    """``Welcome dinner: Anna Smith proposes Tue 9 Mar 20:00–22:00 ("…")``."""
    when = format_datetime(proposal.proposed_start, zone, short=True)
    if proposal.proposed_end is not None:
        when += "–" + format_datetime(proposal.proposed_end, zone).rsplit(" ", 1)[-1]
    comment = f" (“{proposal.comment}”)" if proposal.comment else ""
    return f"{proposal.event_title}: {proposal.name} proposes {when}{comment}"


def _table(headers: tuple[str, ...], name: str, accessible: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setAccessibleName(accessible)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels(list(headers))
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return tree


class AnswersTab(QWidget):
    """A visit's answers to its invitations, per event and in all, and reminders."""

    #: Emitted with the :class:`VisitAnswers` each time they are shown.
    loaded = Signal(object)
    #: Emitted with the :class:`DeliveryReport` (or the exception) when reminders end.
    remindFinished = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answersTab")
        self.services = services
        self.visit: Any = None
        self.answers: VisitAnswers | None = None
        self._stale = True
        self._loading = 0
        self._busy = False

        self.summary = QLabel("No invitations have been sent for this visit.")
        self.summary.setObjectName("answersSummary")
        self.summary.setWordWrap(True)
        self.remind_button = QPushButton("&Remind those who have not answered…")
        self.remind_button.setObjectName("remindButton")
        self.remind_button.setToolTip("Send the current invitation again to everyone whose "
                                      "answer is still awaited")
        self.remind_button.clicked.connect(self.remind)
        self.remind_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.remind_button)
        self.hint = QLabel("Answers come in by “Fetch replies” (File menu) or by dropping "
                           ".eml and .ics files on the window.")
        self.hint.setWordWrap(True)
        secondary(self.hint)

        self.events = _table(EVENT_HEADERS, "answersEvents", "Answers per event")
        self.events.currentItemChanged.connect(lambda *_: self._show_people())
        self.people = _table(PEOPLE_HEADERS, "answersPeople", "Invited people and answers")
        self.people_label = QLabel("Select an event to see who answered.")
        self.people_label.setObjectName("answersPeopleLabel")
        self.proposals_label = QLabel("Other times proposed (shown only; nothing is changed):")
        self.proposals = QListWidget()
        self.proposals.setObjectName("answersProposals")
        self.proposals.setAccessibleName("Other times proposed")
        self.proposals.setUniformItemSizes(True)
        self.status = QLabel()
        self.status.setObjectName("answersStatus")
        self.status.setWordWrap(True)

        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.people_label)
        column.addWidget(self.people, 1)
        column.addWidget(self.proposals_label)
        column.addWidget(self.proposals)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.events)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self._show_proposals(())

    # -- loading ---------------------------------------------------------------------
    def set_visit(self, visit: Any) -> None:
        """Show a visit's answers (read now if the tab is on screen, else when shown)."""
        self.visit = visit
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        """Read the answers when the tab comes into view after a change."""
        super().showEvent(event)
        if self._stale:
            self.reload()

    @property
    def busy(self) -> bool:
        """True while answers load or reminders are being sent."""
        return self._loading > 0 or self._busy

    def reload(self) -> None:
        """Read the answers again, in the background."""
        if self.visit is None:
            return
        self._stale = False
        self._loading += 1
        replies, visit_id = self.services.replies, self.visit.id
        run_task(lambda: replies.visit_answers(visit_id), on_success=self._loaded,
                 on_failure=self._load_failed, parent=self,
                 title="The answers could not be read")

    def _load_failed(self, error: BaseException, _details: str) -> None:
        if not isValid(self):
            return
        self._loading -= 1
        self.status.setText(f"The answers could not be read: {error}")

    def _loaded(self, answers: VisitAnswers) -> None:
        if not isValid(self):
            return
        self._loading -= 1
        if self.visit is None or answers.visit_id != self.visit.id:
            return
        chosen = self.current_event()
        self.answers = answers
        counts = answers.counts
        if counts.invited:
            self.summary.setText(f"<b>{_plural(counts.invited, 'invitation')} held</b>: "
                                 f"{counts.summary()}.")
        else:
            self.summary.setText("No invitations have been sent for this visit.")
        self.remind_button.setEnabled(counts.waiting > 0 and not self._busy)
        zone = self.visit.timezone
        self.people.headerItem().setText(RECEIVED, f"Received ({zone_short(zone)})")
        self.events.headerItem().setText(WHEN, f"When ({zone_short(zone)})")
        self.events.clear()
        keep = None
        for event in answers.events:
            c = event.counts
            row = QTreeWidgetItem([event.event_title,
                                   format_datetime(event.start_utc, zone, short=True),
                                   *(str(n) if c.invited else "–" for n in (
                                       c.accepted, c.declined, c.tentative, c.waiting))])
            row.setData(EVENT, _EVENT_ROLE, event)
            for col in range(ACCEPTED, WAITING + 1):
                row.setTextAlignment(col, Qt.AlignmentFlag.AlignRight
                                     | Qt.AlignmentFlag.AlignVCenter)
            row.setToolTip(EVENT, f"{event.event_title} ({event.event_ref})\n"
                                  + (c.summary() if c.invited else "No invitations"))
            self.events.addTopLevelItem(row)
            if chosen is not None and event.event_id == chosen.event_id:
                keep = row
        first = next((self.events.topLevelItem(i) for i in range(self.events.topLevelItemCount())
                      if self.events.topLevelItem(i).data(EVENT, _EVENT_ROLE).counts.invited),
                     None)
        self.events.setCurrentItem(keep or first)
        self._show_people()
        self._show_proposals(tuple(p for e in answers.events for p in e.proposals))
        self.loaded.emit(answers)

    # -- showing ---------------------------------------------------------------------
    def current_event(self) -> EventAnswers | None:
        """The event selected."""
        item = self.events.currentItem()
        return item.data(EVENT, _EVENT_ROLE) if item is not None else None

    def select_event(self, event_id: int) -> None:
        """Select an event by its id."""
        for i in range(self.events.topLevelItemCount()):
            item = self.events.topLevelItem(i)
            if item.data(EVENT, _EVENT_ROLE).event_id == event_id:
                self.events.setCurrentItem(item)
                return

    def _show_people(self) -> None:
        self.people.clear()
        event = self.current_event()
        if event is None:
            self.people_label.setText("Select an event to see who answered.")
            return
        if not event.answers:
            self.people_label.setText(f"{event.event_title}: no invitations held.")
            return
        self.people_label.setText(f"{event.event_title}: {event.counts.summary()}.")
        zone = self.visit.timezone if self.visit is not None else None
        for answer in event.answers:
            self.people.addTopLevelItem(self._person_row(answer, zone))

    @staticmethod
    def _person_row(answer: Answer, zone: str | None) -> QTreeWidgetItem:
        received = format_datetime(answer.answered_at, zone) if answer.answered_at else ""
        row = QTreeWidgetItem([answer.name, answer.email,
                               ANSWER_LABELS.get(answer.partstat, answer.partstat.title()),
                               received, answer.sent_by])
        row.setToolTip(ANSWER, f"{answer.partstat} to the invitation with SEQUENCE "
                               f"{answer.sequence}")
        if answer.sent_by:
            row.setToolTip(SENT_BY, f"Answered by {answer.sent_by}, who receives "
                                    f"{answer.name}'s invitations")
        return row

    def _show_proposals(self, proposals: tuple[Proposal, ...]) -> None:
        zone = self.visit.timezone if self.visit is not None else "UTC"
        self.proposals.clear()
        self.proposals.addItems([proposal_text(p, zone) for p in proposals])
        rows = max(1, min(len(proposals), 3))  # as tall as its lines, up to three
        self.proposals.setFixedHeight(rows * self.proposals.sizeHintForRow(0)
                                      + 2 * self.proposals.frameWidth() + 2
                                      if proposals else 0)
        self.proposals.setVisible(bool(proposals))
        self.proposals_label.setVisible(bool(proposals))

    def people_rows(self) -> list[list[str]]:
        """The people list's text, row by row (for tests and copying)."""
        return [[self.people.topLevelItem(i).text(c) for c in range(len(PEOPLE_HEADERS))]
                for i in range(self.people.topLevelItemCount())]

    def proposal_lines(self) -> list[str]:
        """The proposals shown."""
        return [self.proposals.item(i).text() for i in range(self.proposals.count())]

    # -- reminders -------------------------------------------------------------------
    def remind(self) -> None:
        """"Remind those who have not answered…": list the reminders due, confirm with
        their count, then send them (the send dialog's path, ``reminders=True``)."""
        if self.visit is None or self._busy:
            return
        self._set_busy(True, "Listing who has not answered…")
        invites, visit_id = self.services.invites, self.visit.id

        def load() -> tuple[InvitePlan, bool]:
            from protocol_app.invites.sending import SmtpOptions, stored_password

            plan = invites.reminders(visit_id)
            options = SmtpOptions.from_settings(invites.settings)
            needs = False
            if plan.items and options.user and options.host:
                try:
                    needs = stored_password(options) is None
                except Exception:  # no usable keyring: ask
                    needs = True
            return plan, needs

        run_task(load, on_success=self._confirm_reminders, on_failure=self._remind_failed,
                 parent=self)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        waiting = self.answers is not None and self.answers.counts.waiting > 0
        self.remind_button.setEnabled(not busy and waiting)
        if text:
            self.status.setText(text)

    def confirm(self, plan: InvitePlan) -> bool:
        """Ask before reminding: the count of messages and of people."""
        count = len(plan.items)
        people = len({i.email for i in plan.items})
        box = QMessageBox(QMessageBox.Icon.Question, "Remind those who have not answered",
                          f"Send {_plural(count, 'reminder')} to {people} "
                          f"{'person' if people == 1 else 'people'} who have not answered?",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmRemind")
        box.setInformativeText("Each gets the invitation they hold again, unchanged.")
        send = box.addButton(f"Send {_plural(count, 'reminder')}",
                             QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(send)
        box.exec()
        return box.clickedButton() is send

    def _confirm_reminders(self, result: tuple[InvitePlan, bool]) -> None:
        if not isValid(self):
            return
        plan, needs_password = result
        if not plan.items:
            self._set_busy(False, "Nobody to remind: everyone whose invitation is current "
                           "has answered (an update due goes by Send invites…).")
            self.remindFinished.emit(DeliveryReport(plan.visit_id, "smtp", (), (), ()))
            return
        if plan.problems:
            self._set_busy(False, "No reminders sent: " + " ".join(plan.problems))
            self.remindFinished.emit(None)
            return
        password = None
        if needs_password:
            password, ok = QInputDialog.getText(self, "Mail server password",
                                                "The mail server's password:",
                                                QLineEdit.EchoMode.Password)
            if not ok or not password:
                self._set_busy(False, "No reminders sent.")
                self.remindFinished.emit(None)
                return
        if not self.confirm(plan):
            self._set_busy(False, "No reminders sent.")
            self.remindFinished.emit(None)
            return
        self.status.setText(f"Sending {_plural(len(plan.items), 'reminder')}…")
        invites, visit_id = self.services.invites, self.visit.id
        run_task(lambda report: invites.send(visit_id, expected=plan, reminders=True,
                                             password=password, progress=report),
                 on_success=self._reminded, on_failure=self._remind_failed,
                 on_progress=lambda done, total, _t: self.status.setText(
                     f"Sent {done} of {total} reminders…"), parent=self)

    def _reminded(self, report: DeliveryReport) -> None:
        if not isValid(self):
            return
        sent = len(report.delivered)
        text = f"Sent {_plural(sent, 'reminder')}."
        if report.failed:
            text += f" {len(report.failed)} could not be sent: " + "; ".join(
                f"{f.item.name}: {f.error}" for f in report.failed[:3])
        self._set_busy(False, text)
        self.remindFinished.emit(report)
        self.reload()

    def _remind_failed(self, error: BaseException, _details: str) -> None:
        if not isValid(self):
            return
        self._set_busy(False, f"No reminders sent: {error}")
        self.remindFinished.emit(error)
