"""The Overview tab: the visit's own fields (edited in place, Ctrl+S saves), its numbers
at a glance, and the warnings about it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import (
    FieldProblem,
    ProtocolError,
    ReviewPendingError,
    StaleWriteError,
    ValidationError,
)
from protocol_app.formatting import zone_label
from protocol_app.services.reviews import ReviewRecord
from protocol_app.services.values import VisitRecord
from ui.dialogs.errors import show_error
from ui.dialogs.stale import handle_stale_write
from ui.dialogs.visit_editor import VisitForm
from ui.icons import icon
from ui.look import secondary
from ui.models import format_date, format_date_range
from ui.models.participants_model import full_name
from ui.pages.visit_commands import VisitCommands, visit_fields


def basic_warnings(visit: VisitRecord) -> list[str]:
    """Warnings computed from the record alone (the core's checks add more later)."""
    out: list[str] = []
    guests = [p for p in visit.participants if p.side == "guest"]
    hosts = [p for p in visit.participants if p.side == "host"]
    if not guests:
        out.append("The delegation is empty: add the guests in the Delegation tab.")
    elif visit.head_of_delegation is None:
        out.append("No head of delegation: mark one guest as head in the Delegation tab.")
    if not hosts:
        out.append("No host from our side: add who receives the delegation.")
    live = [e for e in visit.events if e.status != "cancelled"]
    if not live and visit.status not in ("cancelled", "completed"):
        out.append("The itinerary is empty.")
    for e in live:
        try:
            zone = ZoneInfo(e.timezone)
        except (ValueError, KeyError):
            continue
        start = e.start_utc.astimezone(zone).date()
        end = e.end_utc.astimezone(zone).date()
        if start < visit.start_date or end > visit.end_date:
            out.append(f"“{e.title}” ({format_date(start)}) is outside the visit's dates "
                       f"({format_date_range(visit.start_date, visit.end_date)}).")
    tentative = [e for e in live if e.status == "tentative"]
    if visit.status == "confirmed" and tentative:
        out.append(f"The visit is confirmed but {len(tentative)} event"
                   f"{'s are' if len(tentative) != 1 else ' is'} still tentative.")
    return out


class _Fact(QLabel):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWordWrap(True)


class VisitOverview(QWidget):
    """The Overview tab of a visit's workspace."""

    #: The user asked to reload the visit (after a refused stale write).
    reload_requested = Signal()
    #: The form's dirty state changed.
    dirty_changed = Signal(bool)
    #: The user asked to see the risk review (from the status's note).
    review_requested = Signal()

    def __init__(self, commands: VisitCommands, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitOverview")
        self.commands = commands
        self.visit: VisitRecord | None = None
        self._was_dirty = False

        self.form = VisitForm(parent=self)
        self.form.edited.connect(self._edited)
        self.save_button = QPushButton(icon("save"), "Save changes")
        self.save_button.setObjectName("saveOverviewButton")
        self.save_button.setToolTip("Save the visit's details (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(icon("revert"), "Revert")
        self.revert_button.setObjectName("revertOverviewButton")
        self.revert_button.setToolTip("Forget the unsaved changes")
        self.revert_button.clicked.connect(self.revert)
        self.dirty_label = QLabel()
        secondary(self.dirty_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.dirty_label)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        # the status control explains what the risk review holds back, and opens it
        self.review_note = QLabel()
        self.review_note.setObjectName("statusReviewNote")
        self.review_note.setWordWrap(True)
        self.review_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_review_button = QPushButton(icon("warning"), "Open the review")
        self.open_review_button.setObjectName("openReviewButton")
        self.open_review_button.clicked.connect(self.review_requested)
        self.review_row = QWidget()
        review_layout = QHBoxLayout(self.review_row)
        review_layout.setContentsMargins(0, 0, 0, 0)
        review_layout.addWidget(self.review_note, 1)
        review_layout.addWidget(self.open_review_button, 0, Qt.AlignmentFlag.AlignTop)
        self.review_row.setVisible(False)

        details = QGroupBox("Details")
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(16, 14, 16, 12)
        details_layout.addWidget(self.form)
        details_layout.addWidget(self.review_row)
        details_layout.addSpacing(6)
        details_layout.addLayout(buttons)

        # -- at a glance --
        self.public_id = _Fact("Visit id")
        self.head = _Fact("Head of delegation")
        self.people = _Fact("People")
        self.events = _Fact("Events")
        self.gifts = _Fact("Gifts")
        self.zone = _Fact("Time zone")
        glance = QGroupBox("At a glance")
        grid = QGridLayout(glance)
        grid.setContentsMargins(16, 14, 16, 12)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        for row, (label, fact) in enumerate((("Visit id", self.public_id),
                                             ("Head of delegation", self.head),
                                             ("People", self.people), ("Itinerary", self.events),
                                             ("Gifts", self.gifts), ("Local time", self.zone))):
            name = QLabel(label)
            secondary(name)
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(name, row, 0)
            grid.addWidget(fact, row, 1)
        grid.setColumnStretch(1, 1)

        self.warnings_box = QGroupBox("Warnings")
        self.warnings_box.setObjectName("warningsBox")
        self.warnings_layout = QVBoxLayout(self.warnings_box)
        self.warnings_layout.setContentsMargins(16, 14, 16, 12)
        self.warnings_layout.setSpacing(8)
        self._warnings: list[str] = []

        side = QVBoxLayout()
        side.setSpacing(14)
        side.addWidget(glance)
        side.addWidget(self.warnings_box)
        side.addStretch(1)

        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(4, 4, 4, 4)
        row.setSpacing(16)
        left = QVBoxLayout()
        left.addWidget(details)
        left.addStretch(1)
        row.addLayout(left, 3)
        row.addLayout(side, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        QWidget.setTabOrder(self.form.responsible_officer, self.revert_button)
        QWidget.setTabOrder(self.revert_button, self.save_button)
        self._update_buttons()

    # -- the record ----------------------------------------------------------------
    def set_visit(self, visit: VisitRecord) -> None:
        """Show a visit.  Unsaved edits survive a refresh that did not touch the fields
        being edited; if someone changed those fields, the next save says so."""
        previous = self.visit
        self.visit = visit if not self.form.is_dirty() or previous is None or (
            previous.id != visit.id) else self._rebase(previous, visit)
        if not self.form.is_dirty() or previous is None or previous.id != visit.id:
            self.form.set_values(visit)
        self._show_facts(visit)
        self._update_buttons()

    @staticmethod
    def _rebase(previous: VisitRecord, fresh: VisitRecord) -> VisitRecord:
        return fresh if visit_fields(previous) == visit_fields(fresh) else previous

    def _show_facts(self, visit: VisitRecord) -> None:
        self.public_id.setText(visit.public_id)
        head = visit.head_of_delegation
        self.head.setText(full_name(head) if head else "—")
        guests = sum(1 for p in visit.participants if p.side == "guest")
        hosts = sum(1 for p in visit.participants if p.side == "host")
        self.people.setText(f"{guests} guest{'s' if guests != 1 else ''}, "
                            f"{hosts} host{'s' if hosts != 1 else ''}")
        live = [e for e in visit.events if e.status != "cancelled"]
        cancelled = len(visit.events) - len(live)
        text = f"{len(live)} event{'s' if len(live) != 1 else ''}"
        if cancelled:
            text += f" ({cancelled} cancelled)"
        self.events.setText(text)
        received = sum(1 for g in visit.gifts if g.direction == "received")
        given = len(visit.gifts) - received
        self.gifts.setText(f"{received} received, {given} given" if visit.gifts else "None yet")
        noon = datetime.combine(visit.start_date, time(12), UTC)
        self.zone.setText(zone_label(visit.timezone, noon))
        self.zone.setToolTip(f"Time zone: {visit.timezone}")

    # -- warnings ------------------------------------------------------------------
    def set_warnings(self, warnings: Sequence[str]) -> None:
        """Show these warnings (from the core's checks); an empty list shows "none"."""
        self._warnings = list(warnings)
        while self.warnings_layout.count():
            item = self.warnings_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if not self._warnings:
            self.warnings_layout.addWidget(self._warning_row(
                icon("check"), "No warnings: nothing needs attention."))
            return
        warn_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for text in self._warnings:
            self.warnings_layout.addWidget(self._warning_row(warn_icon, text))

    def warnings(self) -> list[str]:
        """The warnings shown."""
        return list(self._warnings)

    @staticmethod
    def _warning_row(row_icon, text: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        pic = QLabel()
        pic.setPixmap(row_icon.pixmap(QSize(16, 16)))
        pic.setAlignment(Qt.AlignmentFlag.AlignTop)
        pic.setFixedWidth(18)
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.setAccessibleName(text)
        layout.addWidget(pic)
        layout.addWidget(label, 1)
        return row

    # -- saving --------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        """Whether the form holds edits not saved yet."""
        return self.visit is not None and self.form.is_dirty()

    def save(self) -> bool:
        """Save the edits (Ctrl+S).  False if they were refused (shown to the user)."""
        if self.visit is None:
            return True
        changes = self.form.changes()
        if not changes:
            return True
        try:
            record = self.commands.edit_visit(self.visit, changes)
        except ReviewPendingError as exc:  # the status goes back; other edits stay
            self.form.status.setCurrentIndex(self.form.status.findData(self.visit.status))
            self.form.set_problems([FieldProblem("status", "waits for the risk review")])
            self.review_note.setText(str(exc))
            self.review_row.setVisible(True)
            self._update_buttons()
            return False
        except ValidationError as exc:
            self.form.set_problems(exc.problems)
            return False
        except StaleWriteError as exc:
            handle_stale_write(self, exc, self.reload_requested.emit)
            return False
        except ProtocolError as exc:
            show_error(self, "Not saved", exc)
            return False
        self.visit = record
        self.form.set_values(record)
        self._show_facts(record)
        self._update_buttons()
        return True

    def set_review(self, review: ReviewRecord | None) -> None:
        """Say under the status what the risk review holds back (nothing when it holds
        nothing back), with a button that opens it."""
        if review is None or (not review.required and not review.decision):
            self.review_row.setVisible(False)
            self.form.status.setToolTip("")
            return
        waits = review.waiting_for()
        if review.reopened:
            text = (f"Risk review re-opened after its decision: {waits}. The visit stays "
                    f"{review.visit_status}; confirming or completing it waits for the review.")
        elif waits:
            text = (f"Risk review {review.state_label.lower()}: the visit cannot be confirmed "
                    f"or completed until {waits} is recorded." if review.state == "pending"
                    else f"Risk review rejected: the visit cannot be confirmed ({waits}).")
        else:
            text = f"Risk review: {review.state_label}."
        self.review_note.setText(text)
        self.form.status.setToolTip(text)
        self.review_row.setVisible(True)

    def revert(self) -> None:
        """Forget the edits and show the stored values."""
        if self.visit is not None:
            self.form.set_values(self.visit)
        self._update_buttons()

    def discard_and_load(self, visit: VisitRecord) -> None:
        """Show a freshly read visit, dropping any edits (after "Reload")."""
        self.visit = visit
        self.form.set_values(visit)
        self._show_facts(visit)
        self._update_buttons()

    def _edited(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.dirty_label.setText("Unsaved changes" if dirty else "")
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirty_changed.emit(dirty)
