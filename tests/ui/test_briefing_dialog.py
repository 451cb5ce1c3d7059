"""The "Briefing book…" dialog under pytest-qt (offscreen): build in the background with
progress, warnings, page preview (PDFium), print to a PDF printer, save a copy."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

pytest.importorskip("pypdfium2")

from PySide6.QtCore import QLocale
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton, QWidget

from protocol_app.config import Settings
from tests.support.book_data import MEDICAL, PROTOCOL, VISIT, load_hostile_visit
from ui.dialogs.briefing import REBUILD_DELAY_MS, BriefingDialog, default_paper

BUILD_TIMEOUT_MS = 120_000


@pytest.fixture
def dialog(qtbot, services):
    load_hostile_visit(services)
    widget = BriefingDialog(services, VISIT, settings=Settings(paper_size="A4"))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def build(qtbot, dialog: BriefingDialog, audience: str = "internal"):
    """Choose ``audience`` and wait for the preview: nothing is pressed."""
    progress: list[int] = []
    dialog.progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(dialog.built, timeout=BUILD_TIMEOUT_MS) as blocker:
        dialog.audience.setCurrentIndex(dialog.audience.findData(audience))
    assert progress, "no progress was shown"
    return blocker.args[0]


def _text(path: Path) -> str:
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize(("language", "territory", "paper"), [
    (QLocale.Language.English, QLocale.Country.UnitedStates, "Letter"),
    (QLocale.Language.Spanish, QLocale.Country.Mexico, "Letter"),
    (QLocale.Language.French, QLocale.Country.Canada, "Letter"),
    (QLocale.Language.Filipino, QLocale.Country.Philippines, "Letter"),
    (QLocale.Language.French, QLocale.Country.France, "A4"),
    (QLocale.Language.English, QLocale.Country.UnitedKingdom, "A4"),
    (QLocale.Language.Vietnamese, QLocale.Country.Vietnam, "A4"),
])
def test_default_paper_comes_from_the_locale(language, territory, paper: str) -> None:
    assert default_paper(QLocale(language, territory), Settings()) == paper


def test_the_settings_paper_wins_over_the_locale() -> None:
    us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    assert default_paper(us, Settings(paper_size="A4")) == "A4"


def test_build_shows_progress_warnings_and_the_first_page(qtbot, dialog) -> None:
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    result = build(qtbot, dialog)
    assert result.pages == dialog.page_count > 20
    assert dialog.page_label.text() == f"Page 1 of {result.pages}"
    pixmap = dialog.preview.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    assert pixmap.height() > pixmap.width()  # a portrait page
    assert dialog.warnings.isVisible()
    assert dialog.warnings.count() == len(result.warnings) > 0
    assert "Sam Smiley" in dialog.warnings.item(0).text()
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert not dialog.progress.isVisible()


def test_page_navigation(qtbot, dialog) -> None:
    result = build(qtbot, dialog)
    assert not dialog.prev_button.isEnabled()
    dialog.next_button.click()
    assert dialog.page_label.text() == f"Page 2 of {result.pages}"
    dialog.show_page(10_000)
    assert dialog.current_page == result.pages - 1 and not dialog.next_button.isEnabled()
    dialog.prev_button.click()
    assert dialog.current_page == result.pages - 2


def test_guest_book_from_the_dialog_holds_no_sensitive_notes(qtbot, dialog,
                                                            tmp_path: Path) -> None:
    build(qtbot, dialog, "guest")
    saved = dialog.save_to(tmp_path / "guests")
    assert saved == tmp_path / "guests.pdf"
    assert saved.read_bytes() == dialog.result.path.read_bytes()
    text = _text(saved)
    assert MEDICAL not in text and PROTOCOL not in text
    assert "DELEGATION'S COPY" in text


def test_print_paints_the_pages_on_the_printer(qtbot, dialog, tmp_path: Path) -> None:
    build(qtbot, dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFromTo(1, 2)
    assert dialog.print_to(printer) == 2
    reader = PdfReader(str(tmp_path / "printed.pdf"))
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2


def test_the_dialog_has_no_build_button(dialog) -> None:
    assert not [b for b in dialog.findChildren(QPushButton) if "Build" in b.text()]


def test_changing_the_audience_updates_the_preview_without_pressing_anything(
        qtbot, dialog) -> None:
    first = build(qtbot, dialog)
    assert first.audience == "internal"
    with qtbot.waitSignal(dialog.built, timeout=BUILD_TIMEOUT_MS) as blocker:
        dialog.audience.setCurrentIndex(dialog.audience.findData("host"))
        # until the new book is there, the old one can be neither printed nor saved
        assert dialog.result is None
        assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    result = blocker.args[0]
    assert result.audience == "host" and dialog.result is result
    assert "HOSTS' COPY" in _text(result.path)
    assert MEDICAL not in _text(result.path)
    assert dialog.page_label.text() == f"Page 1 of {result.pages}"
    assert not dialog.preview.pixmap().isNull()
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()


def test_quick_changes_show_only_the_last_choice(qtbot, dialog) -> None:
    build(qtbot, dialog)
    shown: list[object] = []
    dialog.built.connect(shown.append)
    with qtbot.waitSignal(dialog.built, timeout=BUILD_TIMEOUT_MS) as blocker:
        dialog.audience.setCurrentIndex(dialog.audience.findData("host"))
        dialog.paper.setCurrentIndex(dialog.paper.findData("Letter"))
        dialog.audience.setCurrentIndex(dialog.audience.findData("guest"))
    result = blocker.args[0]
    assert (result.audience, result.paper) == ("guest", "Letter")
    qtbot.wait(2 * REBUILD_DELAY_MS)
    assert shown == [result]  # the stale choices were never built nor shown


def test_a_change_during_a_build_ignores_the_stale_book(qtbot, dialog) -> None:
    build(qtbot, dialog)
    with qtbot.waitSignal(dialog.built, timeout=BUILD_TIMEOUT_MS) as blocker:
        dialog.audience.setCurrentIndex(dialog.audience.findData("host"))
        qtbot.waitUntil(lambda: dialog.progress.isVisible(), timeout=BUILD_TIMEOUT_MS)
        dialog.audience.setCurrentIndex(dialog.audience.findData("guest"))
    assert blocker.args[0].audience == "guest"
    assert "DELEGATION'S COPY" in _text(blocker.args[0].path)


def test_a_failed_build_is_reported_and_the_dialog_stays_usable(qtbot, services,
                                                               monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("ui.dialogs.briefing.show_error",
                        lambda parent, title, error, details="": shown.append(str(error)))
    widget = BriefingDialog(services, "no-such-visit", settings=Settings(paper_size="A4"))
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.built, timeout=BUILD_TIMEOUT_MS) as blocker:
        widget.build()
    assert isinstance(blocker.args[0], Exception)
    assert shown and "no-such-visit" in shown[0]
    assert not widget.save_button.isEnabled()
    assert widget.status.text() == "The book was not built."


def test_a_dialog_deleted_during_a_build_ignores_its_result(qtbot, services) -> None:
    # (its parent window may be destroyed with it while the preview is being built)
    import shiboken6

    from ui.tasks import wait_for_tasks

    load_hostile_visit(services)
    widget = BriefingDialog(services, VISIT, settings=Settings(paper_size="A4"))
    widget.build()
    folder = widget._workdir
    shiboken6.delete(widget)
    assert wait_for_tasks(BUILD_TIMEOUT_MS)
    qtbot.wait(100)  # the outcome is delivered: no error in the event loop
    assert not folder.exists()


def test_closing_removes_the_temporary_book(qtbot, dialog) -> None:
    result = build(qtbot, dialog)
    folder = result.path.parent
    assert folder.exists()
    dialog.reject()
    assert not folder.exists()


def _rect_in(widget, dialog):
    from PySide6.QtCore import QRect

    return QRect(widget.mapTo(dialog, widget.rect().topLeft()), widget.size())


@pytest.mark.parametrize(("screen", "orientation"), [
    ((1366, 728), "beside"), ((1280, 680), "beside"), ((1440, 860), "beside"),
    ((900, 1400), "below"), ((800, 560), "below")])
def test_the_preview_lies_beside_on_a_wide_screen_and_below_on_a_tall_one(
        qtbot, services, screen, orientation) -> None:
    from PySide6.QtCore import QRect

    from ui.dialogs.fit import simulated_screen

    load_hostile_visit(services)
    area = QRect(0, 0, *screen)
    with simulated_screen(area):
        widget = BriefingDialog(services, VISIT, settings=Settings(paper_size="A4"))
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        assert widget.orientation == orientation
        settings = _rect_in(widget.findChild(QWidget, "briefingSettings"), widget)
        preview = _rect_in(widget.scroll, widget)
        if orientation == "beside":
            assert preview.left() > settings.right() and preview.top() < settings.bottom()
        else:
            assert preview.top() > settings.bottom()
        assert area.contains(widget.frameGeometry())
        for button in widget.button_box.buttons():  # the buttons never scroll away
            assert widget.rect().contains(_rect_in(button, widget)), button.text()
        qtbot.waitUntil(lambda: widget.result is not None, timeout=BUILD_TIMEOUT_MS)
        pixmap = widget.preview.pixmap()
        if orientation == "beside":  # the whole page is in view
            assert pixmap.height() / pixmap.devicePixelRatio() <= widget.scroll.viewport(
                ).height()
        widget.done(0)


def test_personal_copies_from_the_dialog(qtbot, demo_services, tmp_path: Path) -> None:
    widget = BriefingDialog(demo_services, "diplomatic-corps-reception-2027",
                            settings=Settings(paper_size="A4"))
    qtbot.addWidget(widget)
    widget.show()
    assert widget.copies_button.isEnabled()
    with qtbot.waitSignal(widget.copies_built, timeout=BUILD_TIMEOUT_MS * 3) as blocker:
        widget.build_personal_copies(tmp_path / "copies")
        assert not widget.copies_button.isEnabled()  # one run at a time
    copies = blocker.args[0]
    assert isinstance(copies, tuple) and len(copies) > 3
    assert sorted(p.name for p in (tmp_path / "copies").iterdir()) == sorted(
        c.path.name for c in copies)
    first = copies[0]
    text = _text(first.path)
    assert "PERSONAL COPY OF" in text
    assert f"Wrote {len(copies)} personal copies" in widget.status.text()
    assert first.path.name in widget.status.text()
    assert widget.copies_button.isEnabled()
    recorded = demo_services.editions.list("diplomatic-corps-reception-2027",
                                           kind="personal_copy")  # each copy an edition
    assert sorted((e.person_id, e.number) for e in recorded) == sorted(
        (c.person_id, 1) for c in copies)
    assert "Edition 1" in text
    widget.done(0)
