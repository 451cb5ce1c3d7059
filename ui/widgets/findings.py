"""The clash findings of a visit, grouped by kind, that you can act on.

:class:`FindingsPanel` asks :meth:`FindingService.check` (the rules of
:mod:`protocol_app.rules.conflicts` with the office's travel times, the stored seating
plans and the office's acknowledgements) and shows a tree:

* one row per kind (travel time, double booking, head of delegation absent, dietary,
  e-mail, ...) with its count and its worst severity (icon and word);
* under it, one line per finding (the message's first sentence, elided; the whole
  message in the tooltip); acknowledged findings are dimmed and say by whom;
* under each finding, on expansion, the details: the whole message, and who accepted
  it, when and why.

Double-clicking (or Enter on) a finding emits :attr:`FindingsPanel.findingActivated`
with the :class:`~protocol_app.rules.conflicts.Finding`; the workspace opens the event or
person it names and selects it in the agenda.  "Acknowledge…" records that the office
accepts the selected finding, with a reason (:meth:`FindingService.acknowledge`).

Embed it: ``panel = FindingsPanel(services)``; call ``panel.set_visit(visit)`` when the
visit is loaded or changed (``panel.refresh()`` re-runs the checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError
from protocol_app.rules.conflicts import Finding
from protocol_app.services.findings import SEVERITY_ORDER, CheckedFinding
from protocol_app.services.values import VisitRecord
from ui.dialogs.errors import show_error

if TYPE_CHECKING:
    from protocol_app.services import Services

SEVERITY_ICONS: dict[str, QStyle.StandardPixmap] = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
SEVERITY_WORDS: dict[str, tuple[str, str]] = {
    "error": ("error", "errors"),
    "warning": ("warning", "warnings"),
    "info": ("note", "notes"),
}
#: Item data roles: the CheckedFinding of a finding row; the kind of a group row.
CHECKED_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


def summary_text(findings: list[Finding]) -> str:
    """"2 errors, 1 warning" or "No clashes found"."""
    parts = []
    for severity, (one, many) in SEVERITY_WORDS.items():
        n = sum(1 for f in findings if f.severity == severity)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) if parts else "No clashes found"


def first_sentence(message: str) -> str:
    """The message up to its first full stop (the one line a finding shows)."""
    head, dot, rest = message.partition(". ")
    return head + "." if dot and rest else message


def worst(severities: list[str]) -> str:
    """The most serious of ``severities`` (error, then warning, then info)."""
    return min(severities, key=lambda s: SEVERITY_ORDER.index(s)
               if s in SEVERITY_ORDER else len(SEVERITY_ORDER))


class FindingsPanel(QWidget):
    """Clash findings of one visit (see the module docstring)."""

    findingActivated = Signal(object)  # Finding
    checked = Signal(list)  # the findings, after each check

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.visit_id: int | None = None
        self._checked: list[CheckedFinding] = []
        self.summary = QLabel()
        self.summary.setObjectName("findingsSummary")
        self.refresh_button = QPushButton("Check again")
        self.refresh_button.setToolTip("Run the checks again (F5)")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        self.acknowledge_button = QPushButton("Acknowledge…")
        self.acknowledge_button.setObjectName("acknowledgeFinding")
        self.acknowledge_button.setToolTip(
            "Accept the selected finding, with a reason that is recorded")
        self.acknowledge_button.clicked.connect(lambda: self.acknowledge_selected())
        self.travel_button = QPushButton("Travel times…")
        self.travel_button.setObjectName("travelTimesButton")
        self.travel_button.setToolTip("The minutes between venues these checks allow")
        self.travel_button.clicked.connect(self.edit_travel_times)
        self.tree = QTreeWidget()
        self.tree.setObjectName("findings")
        self.tree.setAccessibleName("Findings of the checks")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Checks</b>"))
        head.addWidget(self.summary, 1)
        head.addWidget(self.acknowledge_button)
        head.addWidget(self.travel_button)
        head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.tree, 1)
        self._show([])

    # -- checking ----------------------------------------------------------------------
    def set_visit(self, visit: VisitRecord | int | str | None) -> None:
        """Check a visit (a record, its number or its id); None clears the panel."""
        if visit is None:
            self.visit_id = None
            self._show([])
            return
        self.visit_id = visit.id if isinstance(visit, VisitRecord) else \
            self.services.visits.resolve(visit)
        self.refresh()

    def refresh(self) -> None:
        """Run the checks again (they take milliseconds: done on the spot)."""
        if self.visit_id is None:
            self._show([])
            return
        try:
            checked = self.services.findings.check(self.visit_id)
        except ProtocolError as exc:
            self._show([])
            self.summary.setText(f"Cannot check: {exc}")
            return
        self._show(checked)

    def edit_travel_times(self) -> Any:
        """Open the office's travel times; the checks run again after each change."""
        from ui.dialogs.travel_times import TravelTimesDialog

        dialog = TravelTimesDialog(self.services, self)
        dialog.changed.connect(self.refresh)
        dialog.open()
        return dialog

    def findings(self) -> list[Finding]:
        """The findings shown."""
        return [c.finding for c in self._checked]

    def checked_findings(self) -> list[CheckedFinding]:
        """The findings shown, with their kinds and acknowledgements."""
        return list(self._checked)

    # -- acting ------------------------------------------------------------------------
    def selected(self) -> CheckedFinding | None:
        """The selected finding (None when a group or nothing is selected)."""
        item = self.tree.currentItem()
        while item is not None and item.data(0, CHECKED_ROLE) is None:
            item = item.parent()
        value = item.data(0, CHECKED_ROLE) if item is not None else None
        return value if isinstance(value, CheckedFinding) else None

    def select_finding(self, key: str) -> bool:
        """Select (and show) the finding with this key."""
        for item in self._finding_items():
            if item.data(0, CHECKED_ROLE).key == key:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return True
        return False

    def acknowledge_selected(self, reason: str | None = None) -> bool:
        """Record that the office accepts the selected finding; asks for the reason when
        none is given.  True when it was recorded."""
        chosen = self.selected()
        if chosen is None or self.visit_id is None:
            return False
        if reason is None:
            previous = chosen.acknowledgement.reason if chosen.acknowledgement else ""
            reason, ok = QInputDialog.getText(
                self, "Acknowledge finding",
                f"{first_sentence(chosen.finding.message)}\n\nWhy is this accepted?",
                QLineEdit.EchoMode.Normal, previous)
            if not ok:
                return False
        try:
            self.services.findings.acknowledge(self.visit_id, chosen.key, reason)
        except ProtocolError as exc:
            show_error(self, "Not acknowledged", exc)
            return False
        self.refresh()
        self.select_finding(chosen.key)
        return True

    # -- showing -----------------------------------------------------------------------
    def _finding_items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(g).child(i) for g in range(self.tree.topLevelItemCount())
                for i in range(self.tree.topLevelItem(g).childCount())]

    def _icon(self, severity: str) -> Any:
        return self.style().standardIcon(
            SEVERITY_ICONS.get(severity, QStyle.StandardPixmap.SP_MessageBoxQuestion))

    def _show(self, checked: list[CheckedFinding] | list[Finding]) -> None:
        self._checked = [c if isinstance(c, CheckedFinding) else CheckedFinding(c)
                         for c in checked]
        expanded = {self.tree.topLevelItem(i).data(0, KIND_ROLE)
                    for i in range(self.tree.topLevelItemCount())
                    if self.tree.topLevelItem(i).isExpanded()}
        self.tree.clear()
        groups: dict[str, list[CheckedFinding]] = {}
        for c in self._checked:
            groups.setdefault(c.kind, []).append(c)
        ordered = sorted(groups.items(), key=lambda kv: (
            SEVERITY_ORDER.index(worst([c.finding.severity for c in kv[1]])), kv[0]))
        dim = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for kind, members in ordered:
            severity = worst([c.finding.severity for c in members])
            open_count = sum(1 for c in members if c.acknowledgement is None)
            word = SEVERITY_WORDS.get(severity, (severity, ""))[0]
            text = f"{kind} ({len(members)}) · {word}"
            if open_count < len(members):
                text += f" · {len(members) - open_count} acknowledged"
            group = QTreeWidgetItem([text])
            group.setIcon(0, self._icon(severity))
            group.setData(0, KIND_ROLE, kind)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            for c in members:
                group.addChild(self._finding_item(c, dim))
            group.setExpanded(kind in expanded or (not expanded and open_count > 0))
        if self.visit_id is not None:
            summary = summary_text(self.findings())
            acknowledged = sum(1 for c in self._checked if c.acknowledgement is not None)
            if acknowledged:
                summary += f" ({acknowledged} acknowledged)"
            self.summary.setText(summary)
        else:
            self.summary.setText("")
        self.refresh_button.setEnabled(self.visit_id is not None)
        self._update_buttons()
        self.checked.emit(self.findings())

    def _finding_item(self, checked: CheckedFinding, dim: Any) -> QTreeWidgetItem:
        finding, ack = checked.finding, checked.acknowledgement
        word = SEVERITY_WORDS.get(finding.severity, (finding.severity, ""))[0]
        line = first_sentence(finding.message)
        if ack is not None:
            line = f"✓ {line} (acknowledged by {ack.actor})"
        item = QTreeWidgetItem([line])
        item.setIcon(0, self._icon(finding.severity))
        item.setData(0, CHECKED_ROLE, checked)
        item.setToolTip(0, f"{word.capitalize()} ({finding.code}): {finding.message}")
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{word}: {finding.message}")
        if ack is not None:
            item.setForeground(0, dim)
        details = [finding.message]
        if finding.event_refs:
            details.append(f"Events: {', '.join(finding.event_refs)} (double-click to open)")
        if ack is not None:
            from ui.dialogs.stale import when_text

            details.append(f"Acknowledged by {ack.actor} on {when_text(ack.at)}: {ack.reason}")
        for text in details:
            child = QTreeWidgetItem([text])
            child.setToolTip(0, text)
            child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.addChild(child)
        return item

    def _update_buttons(self) -> None:
        self.acknowledge_button.setEnabled(self.selected() is not None)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        while item is not None and item.data(0, CHECKED_ROLE) is None:
            if item.data(0, KIND_ROLE) is not None:
                item.setExpanded(not item.isExpanded())
                return
            item = item.parent()
        if item is not None:
            self.findingActivated.emit(item.data(0, CHECKED_ROLE).finding)
