"""The Review tab: the visit's international risk review.

Why it is required (each finding; a screening match shows the person beside the list
entry), the checklist by dimension, the reviewer, and the decision with its conditions
(each on the whole visit or on one event).  Everything goes through
``services.reviews`` (audited there); this tab only shows and asks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError, ValidationError
from protocol_app.records.vocab import ReviewDecision
from protocol_app.services.reviews import ReviewRecord
from protocol_app.services.values import VisitRecord
from ui.dialogs.errors import show_error
from ui.look import secondary

#: The columns of the findings table: the visit's side, then the list's side.
FINDING_HEADERS = ("Kind", "Person or event", "Matched as", "List", "List entry", "Score",
                   "Why")
#: The tallest the findings table grows before it scrolls (pixels).
FINDINGS_MAX_HEIGHT = 260
#: A cell's text is this much narrower than its column (the cell's margins).
_CELL_MARGIN = 14
_KIND_LABELS = {"screening": "Screening", "country": "Country of concern",
                "organization": "Organization", "venue": "Controlled venue"}
#: The decision combo's choices: what ``ReviewService.decide`` takes.
DECISION_CHOICES = (("approved", ReviewDecision.APPROVED.label),
                    ("conditions", ReviewDecision.APPROVED_WITH_CONDITIONS.label),
                    ("rejected", ReviewDecision.REJECTED.label))


#: The widest a findings column but the reason may be; longer text wraps in its row.
FINDING_COLUMN_MAX = 240


class ReviewTab(QWidget):
    """Show and decide the risk review of one visit."""

    #: The review changed (a decision, the checklist, the reviewer).
    changed = Signal()

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewTab")
        self.services = services
        self.visit: VisitRecord | None = None
        self.review: ReviewRecord | None = None

        self.state = QLabel()
        self.state.setObjectName("reviewState")
        font = self.state.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setWeight(font.Weight.DemiBold)
        self.state.setFont(font)
        self.state.setWordWrap(True)
        self.waiting = QLabel()
        self.waiting.setObjectName("reviewWaiting")
        self.waiting.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("reviewWarnings")
        self.warnings.setWordWrap(True)
        secondary(self.warnings)

        self.findings = QTableWidget(0, len(FINDING_HEADERS))
        self.findings.setObjectName("reviewFindings")
        self.findings.setAccessibleName("Why the review is required")
        self.findings.setHorizontalHeaderLabels(FINDING_HEADERS)
        self.findings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings.verticalHeader().setVisible(False)
        self.findings.horizontalHeader().setSectionResizeMode(
            len(FINDING_HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.findings.setWordWrap(True)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_findings)
        self.findings.horizontalHeader().sectionResized.connect(self._fit_findings_later)
        self.findings.installEventFilter(self)  # rewrap when the table's width changes
        self.no_findings = QLabel("Nothing calls for a review: no screening match, no country "
                                  "of concern, no tour of a venue with controlled technology.")
        self.no_findings.setWordWrap(True)
        secondary(self.no_findings)

        # -- checklist --
        self.checks: dict[str, tuple[QCheckBox, QLineEdit]] = {}
        checklist = QGroupBox("Checklist")
        grid = QGridLayout(checklist)
        from protocol_app.records.vocab import ReviewDimension

        for row, dim in enumerate(ReviewDimension):
            box = QCheckBox(dim.label)
            box.setObjectName(f"check_{dim.value}")
            note = QLineEdit()
            note.setObjectName(f"checkNote_{dim.value}")
            note.setPlaceholderText("What was considered")
            note.setAccessibleName(f"{dim.label}: note")
            grid.addWidget(box, row, 0)
            grid.addWidget(note, row, 1)
            self.checks[dim.value] = (box, note)
        grid.setColumnStretch(1, 1)
        self.reviewer = QLineEdit()
        self.reviewer.setObjectName("reviewer")
        self.reviewer.setAccessibleName("Reviewer")
        self.save_checklist_button = QPushButton("Save checklist and reviewer")
        self.save_checklist_button.setObjectName("saveChecklistButton")
        self.save_checklist_button.clicked.connect(self.save_checklist)
        reviewer_row = QHBoxLayout()
        reviewer_row.addWidget(QLabel("Reviewer:"))
        reviewer_row.addWidget(self.reviewer, 1)
        grid.addLayout(reviewer_row, len(self.checks), 0, 1, 2)

        # -- decision --
        decision_box = QGroupBox("Decision")
        form = QFormLayout(decision_box)
        self.current_decision = QLabel()
        self.current_decision.setObjectName("currentDecision")
        self.current_decision.setWordWrap(True)
        form.addRow(self.current_decision)
        self.decision = QComboBox()
        self.decision.setObjectName("decisionChoice")
        self.decision.setAccessibleName("Decision")
        for value, label in DECISION_CHOICES:
            self.decision.addItem(label, value)
        form.addRow("&Decision:", self.decision)
        self.note = QPlainTextEdit()
        self.note.setObjectName("decisionNote")
        self.note.setAccessibleName("Why")
        self.note.setFixedHeight(70)
        form.addRow("&Why:", self.note)
        self.condition_event = QComboBox()
        self.condition_event.setObjectName("conditionEvent")
        self.condition_event.setAccessibleName("Condition on")
        self.condition_text = QLineEdit()
        self.condition_text.setObjectName("conditionText")
        self.condition_text.setPlaceholderText("Escorted lab tour only")
        self.condition_text.setAccessibleName("Condition")
        add = QPushButton("Add condition")
        add.setObjectName("addConditionButton")
        add.clicked.connect(self.add_condition)
        self.condition_text.returnPressed.connect(self.add_condition)
        self.condition_event.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.condition_event.setMinimumContentsLength(14)
        row = QHBoxLayout()
        row.addWidget(self.condition_event, 1)
        row.addWidget(self.condition_text, 2)
        row.addWidget(add)
        condition_label = QLabel("&Condition:")
        condition_label.setBuddy(self.condition_text)
        form.addRow(condition_label, row)
        self.conditions = QListWidget()
        self.conditions.setObjectName("conditionsList")
        self.conditions.setAccessibleName("Conditions")
        self.conditions.setFixedHeight(80)
        remove = QPushButton("Remove")
        remove.setObjectName("removeConditionButton")
        remove.clicked.connect(lambda: self.conditions.takeItem(self.conditions.currentRow()))
        conditions_row = QHBoxLayout()
        conditions_row.addWidget(self.conditions, 1)
        conditions_row.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow("", conditions_row)
        self.problem = QLabel()
        self.problem.setObjectName("decisionProblem")
        self.problem.setWordWrap(True)
        self.decide_button = QPushButton("Record decision")
        self.decide_button.setObjectName("recordDecisionButton")
        self.decide_button.clicked.connect(self.record_decision)
        form.addRow(self.problem)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(10)
        layout.addWidget(self.state)
        layout.addWidget(self.waiting)
        layout.addWidget(self.warnings)
        layout.addWidget(self.findings)
        layout.addWidget(self.no_findings)
        lower = QHBoxLayout()
        lower.addWidget(checklist, 1)
        lower.addWidget(decision_box, 1)
        layout.addLayout(lower)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        # The two actions stay below the scrolled form, on screen at any height.
        actions = QHBoxLayout()
        actions.setContentsMargins(4, 0, 4, 4)
        actions.addStretch(1)
        actions.addWidget(self.save_checklist_button)
        actions.addWidget(self.decide_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(actions)

    # -- showing -------------------------------------------------------------------
    def set_visit(self, visit: VisitRecord) -> None:
        """Show the review of a visit (read again from the services)."""
        same = self.visit is not None and self.visit.id == visit.id
        self.visit = visit
        with_events = [("", "The whole visit")] + [
            (e.ref, f"{e.ref}: {e.title}") for e in visit.events if e.status != "cancelled"]
        self.condition_event.clear()
        for ref, label in with_events:
            self.condition_event.addItem(label, ref)
        if not same:
            self.conditions.clear()
            self.note.clear()
            self.problem.clear()
        try:
            self.show_review(self.services.reviews.get(visit.id))
        except ProtocolError as exc:
            self.state.setText(f"The review cannot be read: {exc}")

    def show_review(self, review: ReviewRecord) -> None:
        """Fill the tab from a review record."""
        self.review = review
        self.state.setText(f"Risk review: {review.state_label}")
        waits = review.waiting_for()
        if review.reopened:
            self.waiting.setText("Re-opened: " + waits)
        elif waits:
            self.waiting.setText("Confirming or completing the visit waits for " + waits + ".")
        else:
            self.waiting.setText("")
        self.warnings.setText("\n".join(review.warnings))
        self.warnings.setVisible(bool(review.warnings))
        self.findings.setRowCount(len(review.findings))
        for row, f in enumerate(review.findings):
            new = " (new)" if f.key in review.new_findings else ""
            cells = (_KIND_LABELS.get(f.kind, f.kind) + new, f.name, f.subject, f.list,
                     f.entry + (f"\n{f.entry_details}" if f.entry_details else ""),
                     "" if f.score is None else f"{f.score:.2f}", f.reason)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.findings.setItem(row, col, item)
        for col in range(len(FINDING_HEADERS)):  # a venue has no list, entry or score
            self.findings.setColumnHidden(col, not any(
                self.findings.item(row, col).text() for row in range(len(review.findings))))
        self.findings.resizeColumnsToContents()
        for col in range(len(FINDING_HEADERS) - 1):  # the reason (last) takes the room left
            self.findings.setColumnWidth(col, min(self.findings.columnWidth(col),
                                                  FINDING_COLUMN_MAX))
        self._fit_findings()
        self.findings.setVisible(bool(review.findings))
        self.no_findings.setVisible(not review.findings)
        for item in review.checklist:
            box, note = self.checks[item.dimension]
            box.setChecked(item.done)
            note.setText(item.note)
        self.reviewer.setText(review.reviewer)
        if review.decision:
            when = review.decided_at.strftime("%Y-%m-%d %H:%M UTC") if review.decided_at else ""
            lines = [f"{ReviewDecision.label_of(review.decision)} by {review.decided_by} "
                     f"{when}: {review.notes}"]
            lines += [f"• {c.text}" + (f" (on {c.event_ref}: {c.event_title})"
                                        if c.event_ref else "") for c in review.conditions]
            self.current_decision.setText("\n".join(lines))
        else:
            self.current_decision.setText("No decision yet.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Rewrap the findings when their table changes size."""
        if watched is self.findings and event.type() == QEvent.Type.Resize:
            self._fit_findings_later()
        return False

    def _fit_findings_later(self, *_args: Any) -> None:
        self._refit.start()  # once, after the pending layout; gone with the tab

    def _fit_findings(self) -> None:
        """Each finding's row as tall as its longest cell wrapped at its column's width
        (less the cell's margins: Qt's own row hint measures the whole width and cuts a
        third line), and the table as tall as its rows (up to
        :data:`FINDINGS_MAX_HEIGHT`; more scroll), so one finding leaves no empty box."""
        table = self.findings
        metrics = table.fontMetrics()
        for row in range(table.rowCount()):
            tallest = metrics.height()
            for col in range(table.columnCount()):
                item = table.item(row, col)
                if table.isColumnHidden(col) or item is None:
                    continue
                room = QRect(0, 0, max(table.columnWidth(col) - _CELL_MARGIN, 20), 100_000)
                tallest = max(tallest, metrics.boundingRect(
                    room, int(Qt.TextFlag.TextWordWrap), item.text()).height())
            table.setRowHeight(row, tallest + 8)
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        height = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth()
        if table.horizontalScrollBar().isVisible():
            height += table.horizontalScrollBar().height()
        table.setFixedHeight(min(max(height, 60), FINDINGS_MAX_HEIGHT))

    # -- acting ----------------------------------------------------------------------
    def add_condition(self) -> None:
        """Add the typed condition (on the chosen event, or the whole visit)."""
        text = self.condition_text.text().strip()
        if not text:
            return
        ref = self.condition_event.currentData() or ""
        label = f"{text} (on {ref})" if ref else text
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, (text, ref or None))
        self.conditions.addItem(item)
        self.condition_text.clear()
        if self.decision.currentData() == "approved":
            self.decision.setCurrentIndex(self.decision.findData("conditions"))

    def condition_values(self) -> list[tuple[str, str | None]]:
        """The conditions listed, as the service takes them."""
        return [self.conditions.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.conditions.count())]

    def record_decision(self) -> bool:
        """Record the decision; a refusal is shown under the form (nothing changes)."""
        if self.visit is None:
            return False
        try:
            review = self.services.reviews.decide(
                self.visit.id, self.decision.currentData(), self.note.toPlainText(),
                self.condition_values())
        except ValidationError as exc:
            self.problem.setText("\n".join(str(p) for p in exc.problems))
            return False
        except ProtocolError as exc:
            show_error(self, "Decision not recorded", exc)
            return False
        self.problem.clear()
        self.conditions.clear()
        self.note.clear()
        self.show_review(review)
        self.changed.emit()
        return True

    def save_checklist(self) -> bool:
        """Save the checklist lines that changed and the reviewer."""
        if self.visit is None or self.review is None:
            return False
        reviews = self.services.reviews
        try:
            review = self.review
            if self.reviewer.text().strip() != review.reviewer:
                review = reviews.set_reviewer(self.visit.id, self.reviewer.text())
            stored = {c.dimension: c for c in review.checklist}
            for dimension, (box, note) in self.checks.items():
                old = stored[dimension]
                if (box.isChecked(), note.text().strip()) != (old.done, old.note):
                    review = reviews.set_checklist(self.visit.id, dimension,
                                                   done=box.isChecked(), note=note.text())
        except ProtocolError as exc:
            show_error(self, "Checklist not saved", exc)
            return False
        self.show_review(review)
        self.changed.emit()
        return True
