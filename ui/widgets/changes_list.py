"""The list "Changes since the last edition", as the next edition of a book will print it.

``ChangesList.show_report(report)`` shows a
:class:`~protocol_app.briefing.editions.ChangeReport` (from
``services.editions.draft(...).report`` or ``services.editions.changes(...)``): a line
saying what it is measured from, then one line per change.  Self-contained: the
briefing dialog places it under its warnings.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget


class ChangesList(QWidget):
    """What changed since the last edition for the audience chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changesList")
        self.setAccessibleName("Changes since the last edition")
        self.heading = QLabel()
        self.heading.setObjectName("changesHeading")
        self.heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("changesLines")
        self.list.setAccessibleName("Changes")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        self.clear()

    def clear(self) -> None:
        """Nothing to show (no book built yet)."""
        self.heading.setText("")
        self.list.clear()
        self.hide()

    def show_report(self, report: Any, edition: int | None = None) -> None:
        """Show a change report; ``edition``: the number the next copy will carry."""
        self.list.clear()
        label = f"Edition {edition}: " if edition is not None else ""
        if report.note:
            self.heading.setText(f"{label}{report.note}")
            self.list.hide()
        elif not report.changes:
            self.heading.setText(f"{label}no changes since {report.since}.")
            self.list.hide()
        else:
            count = len(report.changes)
            self.heading.setText(f"{label}{count} change{'s' if count != 1 else ''} since "
                                 f"{report.since}:")
            self.list.addItems([change.text for change in report.changes])
            self.list.show()
        self.show()

    def lines(self) -> list[str]:
        """The changes shown, as text."""
        return [self.list.item(i).text() for i in range(self.list.count())]
