"""The clash findings of a visit, with severity icons, for beside the itinerary.

:class:`FindingsPanel` asks :meth:`TravelService.check` (the rules of
:mod:`protocol_app.rules.conflicts` with the office's travel times and the stored
seating plans) and lists what it found: errors first, then warnings, then notes, each
with its icon and the whole message (tooltip too).  Activating a finding emits
:attr:`FindingsPanel.findingActivated` with the :class:`~protocol_app.rules.conflicts.Finding`
so the page can select the events (``finding.event_refs``) it names.

Embed it: ``panel = FindingsPanel(services)``; call ``panel.set_visit(visit)`` when the
visit is loaded or changed (``panel.refresh()`` re-runs the checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError
from protocol_app.rules.conflicts import Finding
from protocol_app.services.values import VisitRecord

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


def summary_text(findings: list[Finding]) -> str:
    """"2 errors, 1 warning" or "No clashes found"."""
    parts = []
    for severity, (one, many) in SEVERITY_WORDS.items():
        n = sum(1 for f in findings if f.severity == severity)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) if parts else "No clashes found"


class FindingsPanel(QWidget):
    """Clash findings of one visit (see the module docstring)."""

    findingActivated = Signal(object)  # Finding
    checked = Signal(list)  # the findings, after each check

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.visit_id: int | None = None
        self._findings: list[Finding] = []
        self.summary = QLabel()
        self.summary.setObjectName("findingsSummary")
        self.refresh_button = QPushButton("Check again")
        self.refresh_button.clicked.connect(self.refresh)
        self.travel_button = QPushButton("Travel times…")
        self.travel_button.setObjectName("travelTimesButton")
        self.travel_button.setToolTip("The minutes between venues these checks allow")
        self.travel_button.clicked.connect(self.edit_travel_times)
        self.list = QListWidget()
        self.list.setObjectName("findings")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.itemActivated.connect(self._activated)
        self.list.itemDoubleClicked.connect(self._activated)
        head = QHBoxLayout()
        title = QLabel("<b>Checks</b>")
        head.addWidget(title)
        head.addWidget(self.summary, 1)
        head.addWidget(self.travel_button)
        head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)
        self._show([])

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
            findings = self.services.travel.check(self.visit_id)
        except ProtocolError as exc:
            self._show([])
            self.summary.setText(f"Cannot check: {exc}")
            return
        self._show(findings)

    def edit_travel_times(self) -> Any:
        """Open the office's travel times; the checks run again after each change."""
        from ui.dialogs.travel_times import TravelTimesDialog

        dialog = TravelTimesDialog(self.services, self)
        dialog.changed.connect(self.refresh)
        dialog.open()
        return dialog

    def findings(self) -> list[Finding]:
        """The findings shown."""
        return list(self._findings)

    def _show(self, findings: list[Finding]) -> None:
        self._findings = list(findings)
        self.list.clear()
        for finding in findings:
            icon = self.style().standardIcon(
                SEVERITY_ICONS.get(finding.severity, QStyle.StandardPixmap.SP_MessageBoxQuestion))
            item = QListWidgetItem(icon, finding.message)
            item.setData(Qt.ItemDataRole.UserRole, finding)
            word = SEVERITY_WORDS.get(finding.severity, (finding.severity, ""))[0]
            item.setToolTip(f"{word.capitalize()} ({finding.code}): {finding.message}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{word}: {finding.message}")
            self.list.addItem(item)
        self.summary.setText(summary_text(findings) if self.visit_id is not None else "")
        self.refresh_button.setEnabled(self.visit_id is not None)
        self.checked.emit(list(findings))

    def _activated(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            self.findingActivated.emit(finding)
