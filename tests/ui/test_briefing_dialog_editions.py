"""The briefing dialog and editions: the preview is the next edition and shows what
changed since the last one; saving or printing records it, a preview alone does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pypdf import PdfReader

pytest.importorskip("pypdfium2")

from PySide6.QtPrintSupport import QPrinter

from protocol_app.config import Settings
from ui.dialogs.briefing import BriefingDialog

MINISTERIAL = "vn-moet-minister-2027"
BUILD_TIMEOUT_MS = 120_000


def _dialog(qtbot, services) -> BriefingDialog:
    widget = BriefingDialog(services, MINISTERIAL, settings=Settings(paper_size="A4"))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _built(qtbot, dialog: BriefingDialog, audience: str = "guest"):
    with qtbot.waitSignal(dialog.built, timeout=BUILD_TIMEOUT_MS) as blocker:
        dialog.audience.setCurrentIndex(dialog.audience.findData(audience))
    return blocker.args[0]


def test_save_records_an_edition_and_the_next_preview_lists_the_changes(
        qtbot, demo_services, tmp_path) -> None:
    s = demo_services
    dialog = _dialog(qtbot, s)
    _built(qtbot, dialog)
    assert s.editions.list(MINISTERIAL) == []  # a preview is no edition
    assert dialog.changes.heading.text() == "Edition 1: No earlier edition to compare with."
    saved = dialog.save_to(tmp_path / "guests.pdf")
    editions = s.editions.list(MINISTERIAL)
    assert [(e.series, e.number, e.path) for e in editions] == [
        ("book/guest", 1, str(saved.resolve()))]
    dialog.save_to(tmp_path / "copy.pdf")  # the same preview again: the same edition
    assert len(s.editions.list(MINISTERIAL)) == 1
    dialog.close()

    visit = s.visits.get(MINISTERIAL)
    event = next(e for e in visit.events if e.status != "cancelled"
                 and e.visibility in (None, "all"))
    s.events.move(event.id, event.version, event.start_utc + timedelta(hours=2))
    again = _dialog(qtbot, s)
    result = _built(qtbot, again)
    assert again.changes.isVisible()
    assert again.changes.heading.text().startswith("Edition 2: 1 change since Edition 1 — ")
    assert again.changes.lines() == [next(c.text for c in s.editions.changes(
        MINISTERIAL, audience="guest").changes)]
    page = " ".join((PdfReader(result.path).pages[1].extract_text() or "").split())
    assert "Changes since the last edition" in page and event.title in page
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFromTo(1, 1)
    assert again.print_to(printer) == 1
    numbers = [(e.number, e.path.startswith("printer")) for e in s.editions.list(MINISTERIAL)]
    assert numbers == [(1, False), (2, True)]
    again.close()
