"""The report of a replies import or fetch: a summary, then one line per file or message
(what was recorded, or why not; every outcome in the line's tooltip)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget

from protocol_app.invites.values import ReplyImportReport, ReplySourceResult


def file_line(result: ReplySourceResult) -> str:
    """One line for one file or message: what was recorded, or why not."""
    if result.error:
        return f"{result.source} — not read: {result.error}"
    if result.problems:
        return f"{result.source} — not counted: {'; '.join(result.problems)}"
    if result.recorded:
        return f"{result.source} — recorded: {'; '.join(r.line() for r in result.recorded)}"
    if result.duplicates:
        return f"{result.source} — already recorded before"
    return f"{result.source} — no answer in it"


class ReplyReportDialog(QDialog):
    """What became of each file or message read: one line each."""

    def __init__(self, title: str, report: ReplyImportReport,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyReportDialog")
        self.setWindowTitle(title)
        self.report = report
        count, refused = len(report.recorded), len(report.refused)
        files = len(report.results)
        text = (f"Recorded {count} answer{'' if count == 1 else 's'} from {files} "
                f"file{'' if files == 1 else 's'}" if files else "No new messages.")
        if refused:
            text += f"; {refused} not counted (reasons below)."
        elif files:
            text += "."
        self.summary = QLabel(text)
        self.summary.setObjectName("replyReportSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("replyReportLines")
        self.list.setAccessibleName("One line per file")
        self.list.setWordWrap(True)
        for result in report.results:
            self.list.addItem(file_line(result))
            self.list.item(self.list.count() - 1).setToolTip("\n".join(result.lines()))
        self.list.setVisible(bool(report.results))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(760, 360 if report.results else 120)

    def lines(self) -> list[str]:
        """The lines shown, one per file."""
        return [self.list.item(i).text() for i in range(self.list.count())]
