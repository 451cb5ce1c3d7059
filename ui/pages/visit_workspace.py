"""A visit's workspace: a header naming the visit, and its tabs — Overview, Delegation,
Itinerary (part B's :class:`ItineraryView`), Gifts, Seating, Review (the risk review),
History and Answers (who has answered the invitations)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import NotFoundError
from protocol_app.formatting import zone_short
from protocol_app.rules.conflicts import Finding
from protocol_app.services.values import VisitRecord
from ui.dialogs.confirm import UnsavedChoice, ask_unsaved_changes
from ui.icons import icon, status_color
from ui.models import STATUS_LABELS, country_name, format_date_range
from ui.pages.answers import AnswersTab
from ui.pages.delegation import DelegationTab
from ui.pages.gifts import GiftsTab
from ui.pages.history import HistoryTab
from ui.pages.itinerary import ItineraryView
from ui.pages.review import ReviewTab
from ui.pages.visit_commands import VisitCommands
from ui.pages.visit_overview import VisitOverview, basic_warnings
from ui.seating.page import SeatingView
from ui.widgets.findings import FindingsPanel

if TYPE_CHECKING:
    from protocol_app.services import Services


class StatusChip(QWidget):
    """The visit's status as a small coloured pill, painted from the current palette
    (so it follows light and dark mode without style sheets)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusChip")
        self._status = ""
        self._text = ""
        font = self.font()
        font.setWeight(font.Weight.DemiBold)
        self.setFont(font)

    def set_status(self, status: str) -> None:
        """Show a status."""
        self._status = status
        self._text = STATUS_LABELS.get(status, status)
        self.setAccessibleName(f"Status: {self._text}")
        self.setToolTip(f"Status: {self._text}")
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        """The status shown."""
        return self._text

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(fm.horizontalAdvance(self._text) + 24, fm.height() + 8)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_color(self._status, self.palette()))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(self.palette().color(QPalette.ColorRole.Base))
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), self._text)
        painter.end()


def core_warnings(findings: Sequence[Finding]) -> list[str]:
    """The core's clash findings that need attention (errors and warnings)."""
    return [f.message for f in findings if f.severity in ("error", "warning")]


class VisitWorkspace(QWidget):
    """Everything about one visit, in tabs."""

    OVERVIEW, DELEGATION, ITINERARY, GIFTS, SEATING, REVIEW, HISTORY, ANSWERS = range(8)

    #: The user asked to go back to the list of visits.
    back_requested = Signal()
    #: The visit shown changed (a new record): its id.
    visit_changed = Signal(int)
    #: The visit no longer exists (deleted elsewhere).
    visit_gone = Signal(int)
    #: Unsaved edits appeared or disappeared.
    dirty_changed = Signal(bool)

    def __init__(self, services: Services, undo_stack: QUndoStack, commands: VisitCommands,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitWorkspace")
        self.services = services
        self.undo_stack = undo_stack
        self.commands = commands
        self.visit: VisitRecord | None = None
        self._guarding_tabs = False

        self.back_button = QToolButton()
        self.back_button.setObjectName("backToVisits")
        self.back_button.setIcon(icon("back"))
        self.back_button.setText("Visits")
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back_button.setAutoRaise(True)
        self.back_button.setToolTip("Back to the list of visits (Alt+Left)")
        self.back_button.setAccessibleName("Back to the list of visits")
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("visitTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setMinimumWidth(200)
        self.chip = StatusChip()
        self.subtitle = QLabel()
        self.subtitle.setObjectName("visitSubtitle")
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        pal = self.subtitle.palette()
        pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.PlaceholderText))
        self.subtitle.setPalette(pal)

        title_row = QHBoxLayout()
        title_row.setSpacing(12)
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignVCenter)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        header.addLayout(title_row)
        header.addWidget(self.subtitle)

        self.overview = VisitOverview(commands, self)
        self.delegation = DelegationTab(services, commands, self)
        self.itinerary = ItineraryView(services, undo_stack, self)
        self.findings = FindingsPanel(services, self)
        self.findings.setObjectName("itineraryFindings")
        self.findings.checked.connect(self._checked)  # the overview's warnings follow
        self.findings.findingActivated.connect(self.open_finding)
        # The clash checks sit under the agenda, full width: their sentences read best so.
        self.itinerary_split = QSplitter(Qt.Orientation.Vertical)
        self.itinerary_split.setChildrenCollapsible(True)
        self.itinerary_split.addWidget(self.itinerary)
        self.itinerary_split.addWidget(self.findings)
        self.itinerary_split.setStretchFactor(0, 5)
        self.itinerary_split.setStretchFactor(1, 1)
        self.itinerary_split.setSizes([600, 170])
        self.gifts = GiftsTab(commands, self)
        self.seating = SeatingView(services, undo_stack, self)
        self.review = ReviewTab(services, self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("visitTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setIconSize(QSize(18, 18))
        self.tabs.addTab(self.overview, icon("overview"), "&Overview")
        self.tabs.addTab(self.delegation, icon("delegation"), "&Delegation")
        self.tabs.addTab(self.itinerary_split, icon("itinerary"), "&Itinerary")
        self.tabs.addTab(self.gifts, icon("gift"), "&Gifts")
        self.tabs.addTab(self.seating, icon("people"), "&Seating")
        self.tabs.addTab(self.review, icon("warning"), "Re&view")
        self.history = HistoryTab(services, self)
        self.history.open_event.connect(self.open_event)
        self.history.open_person.connect(self.open_person)
        self.tabs.addTab(self.history, icon("undo"), "Histor&y")
        self.answers = AnswersTab(services, self)
        self.tabs.addTab(self.answers, icon("mail"), "&Answers")
        for i, name in enumerate(("Overview", "Delegation", "Itinerary", "Gifts", "Seating",
                                  "Review", "History", "Answers")):
            self.tabs.widget(i).setAccessibleName(name)
        self._tab_index = 0
        self.tabs.currentChanged.connect(self._tab_changed)

        self.overview.reload_requested.connect(self.reload_discarding_edits)
        self.overview.dirty_changed.connect(self.dirty_changed)
        self.delegation.reload_requested.connect(self.refresh)
        self.gifts.reload_requested.connect(self.refresh)
        self.overview.review_requested.connect(self.open_review)
        self.review.changed.connect(self._review_changed)
        changed = getattr(self.itinerary, "changed", None)
        if changed is not None:
            changed.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

    # -- the record ----------------------------------------------------------------
    def set_visit(self, visit: VisitRecord) -> None:
        """Show a visit (a new one, or a fresh copy of the one shown)."""
        same = self.visit is not None and self.visit.id == visit.id
        self.visit = visit
        self.title.setText(visit.title)
        self.title.setToolTip(visit.title)
        self.chip.set_status(visit.status)
        country = country_name(visit.country)
        self.subtitle.setText("  ·  ".join(x for x in (
            format_date_range(visit.start_date, visit.end_date),
            f"Delegation from {country}" if country else "",
            zone_short(visit.timezone), visit.public_id) if x))
        self.subtitle.setToolTip(f"Time zone: {visit.timezone}")
        self.overview.set_visit(visit)
        self.delegation.set_visit(visit)
        self.gifts.set_visit(visit)
        self.itinerary.set_visit(visit)
        self.findings.set_visit(visit)  # the clash checks run once, here (see _checked)
        self.seating.set_visit(visit)
        self.review.set_visit(visit)
        self._show_review_state()
        self.history.set_visit(visit)
        self.answers.set_visit(visit)
        if not same:
            self.tabs.setCurrentIndex(self.OVERVIEW)
        self.visit_changed.emit(visit.id)

    def open_review(self) -> None:
        """Show the Review tab (the status control's "Open the review")."""
        self.tabs.setCurrentIndex(self.REVIEW)

    def _review_changed(self) -> None:
        self._show_review_state()
        self.visit_changed.emit(self.visit.id if self.visit else 0)

    def _show_review_state(self) -> None:
        """The Review tab's title and the Overview's status note follow the review."""
        review = self.review.review
        self.overview.set_review(review)
        needs = review is not None and review.state in ("pending", "rejected")
        self.tabs.setTabText(self.REVIEW, "Re&view" + (" (!)" if needs else ""))

    def _checked(self, findings: Sequence[Finding]) -> None:
        """The clash checks ran (on a visit shown, or again): the overview says so."""
        if self.visit is not None:
            self.set_warnings(basic_warnings(self.visit) + core_warnings(findings))

    def open_finding(self, finding: Finding) -> Any:
        """Open what a finding names: its first event (selected in the agenda, in the
        event editor) or else its first person (in the delegation, in the person
        editor).  Returns the editor opened, or None."""
        if self.visit is None:
            return None
        by_ref = {e.ref: e for e in self.itinerary.events()}
        event = next((by_ref[r] for r in finding.event_refs if r in by_ref), None)
        if event is not None:
            self.tabs.setCurrentIndex(self.ITINERARY)
            self.itinerary.show_agenda()
            self.itinerary.select_event(event.id)
            self.itinerary.agenda.canvas.ensure_visible(event.id)
            return self.itinerary.edit_event(event.id)
        if finding.person_ids:
            self.tabs.setCurrentIndex(self.DELEGATION)
            self.delegation.select_person(finding.person_ids[0])
            self.delegation.edit_person()
            return getattr(self.delegation, "person_editor", None)
        return None

    def open_event(self, event_id: int) -> Any:
        """Show an event in the agenda and open it in the event editor."""
        self.tabs.setCurrentIndex(self.ITINERARY)
        self.itinerary.show_agenda()
        self.itinerary.select_event(event_id)
        return self.itinerary.edit_event(event_id)

    def open_person(self, person_id: int) -> Any:
        """Show a participant in the delegation and open them in the person editor."""
        self.tabs.setCurrentIndex(self.DELEGATION)
        self.delegation.select_person(person_id)
        self.delegation.edit_person()
        return getattr(self.delegation, "person_editor", None)

    def set_warnings(self, warnings: Sequence[str]) -> None:
        """Show the warnings about this visit (the core's checks fill this)."""
        self.overview.set_warnings(warnings)
        tab_text = "&Overview" if not warnings else f"&Overview ({len(warnings)})"
        self.tabs.setTabText(self.OVERVIEW, tab_text)

    def refresh(self) -> None:
        """Read the visit again (after a change here or elsewhere)."""
        if self.visit is None:
            return
        try:
            fresh = self.services.visits.get(self.visit.id)
        except NotFoundError:
            gone = self.visit.id
            self.visit = None
            self.visit_gone.emit(gone)
            return
        self.set_visit(fresh)

    def reload_discarding_edits(self) -> None:
        """After a refused stale write: show the stored version, edits dropped."""
        if self.visit is None:
            return
        try:
            fresh = self.services.visits.get(self.visit.id)
        except NotFoundError:
            self.visit_gone.emit(self.visit.id)
            return
        self.overview.discard_and_load(fresh)
        self.set_visit(fresh)

    def show_tab(self, index: int) -> None:
        """Switch to a tab (asking about unsaved edits first)."""
        self.tabs.setCurrentIndex(index)

    # -- unsaved edits -------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        """Whether any tab holds edits not saved yet."""
        return self.overview.has_unsaved_changes() or self._itinerary_dirty()

    def _itinerary_dirty(self) -> bool:
        check = getattr(self.itinerary, "has_unsaved_changes", None)
        return bool(check()) if callable(check) else False

    def save(self) -> bool:
        """Save what can be saved (Ctrl+S).  False if something was refused."""
        ok = True
        if self.overview.has_unsaved_changes():
            ok = self.overview.save()
        saver = getattr(self.itinerary, "save", None)
        if ok and self._itinerary_dirty() and callable(saver):
            ok = bool(saver() is not False)
        return ok

    def maybe_leave(self, what: str = "this visit") -> bool:
        """Before the visit is closed or replaced: ask about unsaved edits.

        True when it is fine to go on (saved, discarded, or nothing to save)."""
        if self.overview.has_unsaved_changes():
            choice = ask_unsaved_changes(self, f"{what} (Overview)")
            if choice is UnsavedChoice.CANCEL:
                return False
            if choice is UnsavedChoice.SAVE and not self.overview.save():
                return False
            if choice is UnsavedChoice.DISCARD:
                self.overview.revert()
        if self._itinerary_dirty():
            saver = getattr(self.itinerary, "save", None)
            choice = ask_unsaved_changes(self, f"{what} (Itinerary)", can_save=callable(saver))
            if choice is UnsavedChoice.CANCEL:
                return False
            if choice is UnsavedChoice.SAVE and callable(saver) and saver() is False:
                return False
            if choice is UnsavedChoice.DISCARD:
                discard = getattr(self.itinerary, "discard_changes", None)
                if callable(discard):
                    discard()
        return True

    def _tab_changed(self, index: int) -> None:
        """Leaving a tab with unsaved edits asks first (Save / Discard / Cancel)."""
        if self._guarding_tabs:
            return
        previous = self._tab_index
        leaving_dirty = (
            (previous == self.OVERVIEW and self.overview.has_unsaved_changes())
            or (previous == self.ITINERARY and self._itinerary_dirty()))
        if leaving_dirty and index != previous:
            name = self.tabs.widget(previous).accessibleName()
            if previous == self.OVERVIEW:
                choice = ask_unsaved_changes(self, f"the {name} tab")
                ok = choice is UnsavedChoice.DISCARD or (
                    choice is UnsavedChoice.SAVE and self.overview.save())
                if choice is UnsavedChoice.DISCARD:
                    self.overview.revert()
            else:
                saver = getattr(self.itinerary, "save", None)
                choice = ask_unsaved_changes(self, f"the {name} tab", can_save=callable(saver))
                ok = choice is UnsavedChoice.DISCARD or (
                    choice is UnsavedChoice.SAVE and callable(saver) and saver() is not False)
                discard = getattr(self.itinerary, "discard_changes", None)
                if choice is UnsavedChoice.DISCARD and callable(discard):
                    discard()
            if not ok:
                self._guarding_tabs = True
                self.tabs.setCurrentIndex(previous)
                self._guarding_tabs = False
                return
        self._tab_index = index
