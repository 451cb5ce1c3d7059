""""Briefing book…": a visit's book for one audience, previewed live, printed or saved.

The book is built by :func:`protocol_app.briefing.book.build_briefing` in the background
(:func:`ui.tasks.run_task`, with progress) into a private temporary folder, when the
dialog opens and again whenever the audience or the paper changes (debounced by
:data:`REBUILD_DELAY_MS`; a build made stale by a newer choice is stopped at its next
progress report and its result is never shown): there is no Build button. The pages
are previewed with PDFium (``pypdfium2``, whose wheel carries its own binary, so no
system PDF library is needed), printed by painting the rendered pages on a
``QPrinter``, or saved by copying the built file. "Personal copies…" writes a guest's
copy for each guest principal into a chosen folder, in the background
(``services.editions.publish_personal_copies``, each an edition). This module never
touches a database session: it hands the services to the core.

The dialog fits the screen (:func:`ui.dialogs.fit.fit_to_screen`): its body scrolls and
its button row stays in view.  On a wide screen the page is previewed whole beside the
settings; on a tall or narrow one, below them (:func:`preview_orientation`).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from protocol_app.briefing.commands import paper_for_locale
from protocol_app.config import Settings
from protocol_app.errors import ProtocolError
from ui.dialogs.errors import show_error
from ui.dialogs.fit import available_rect, fit_to_screen
from ui.tasks import run_task
from ui.widgets.changes_list import ChangesList

#: (audience key, label) in the order offered.
AUDIENCE_CHOICES: tuple[tuple[str, str], ...] = (
    ("internal", "Internal: the principal's book (every note)"),
    ("host", "Hosts: no medical or security notes"),
    ("guest", "Guests: the delegation's programme"),
)
PAPER_CHOICES: tuple[str, ...] = ("A4", "Letter")
#: Pages are rendered for printing at most at this resolution (dots per inch).
PRINT_DPI = 300
#: How long the choices must stay unchanged before the preview is rebuilt.
REBUILD_DELAY_MS = 300
#: The smallest preview that still shows a page one can judge.
PREVIEW_MINIMUM = QSize(420, 380)
#: The settings' column when the preview is beside it.
SETTINGS_WIDTH = 320
#: The width the dialog asks for in each orientation; it asks for 85% of the screen's
#: height, at least 860 pixels (bounded by the screen, see :func:`fit_to_screen`).
PREFERRED_WIDTH = {"beside": 1040, "below": 720}


def preview_orientation(width: int, height: int) -> str:
    """Where the preview goes on a screen (its available geometry) of this size:
    ``"beside"`` the settings when it is wide enough for both side by side (the usual
    landscape laptop or desktop), ``"below"`` them when it is tall or narrow."""
    wide_enough = width >= SETTINGS_WIDTH + PREVIEW_MINIMUM.width() + 260
    return "beside" if wide_enough and width >= height * 1.2 else "below"


class _StaleBuild(Exception):
    """Raised inside a build whose audience or paper is no longer the chosen one."""


def default_paper(locale: QLocale | None = None, settings: Settings | None = None) -> str:
    """The paper size of the settings, else of the locale: Letter for the US, Canada,
    Mexico, the Philippines and the other Letter countries; A4 elsewhere."""
    chosen = (settings or Settings.load()).paper_size
    if chosen in PAPER_CHOICES:
        return chosen
    return paper_for_locale((locale or QLocale.system()).name())


class PdfPages:
    """A built PDF opened with PDFium: page count, page sizes, rendering to images.

    PDFium is not thread-safe: use one instance on the GUI thread only.
    """

    def __init__(self, path: Path) -> None:
        import pypdfium2

        self._document = pypdfium2.PdfDocument(str(path))

    def __len__(self) -> int:
        return len(self._document)

    def size(self, index: int) -> tuple[float, float]:
        """Width and height of a page in points."""
        return tuple(self._document[index].get_size())  # type: ignore[return-value]

    def render(self, index: int, scale: float) -> QImage:
        """Page ``index`` (0-based) at ``scale`` pixels per point, as an opaque image."""
        page = self._document[index]
        bitmap = page.render(scale=scale, prefer_bgrx=True, may_draw_forms=False)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        data = bytes(bitmap.buffer)
        image = QImage(data, width, height, stride, QImage.Format.Format_RGB32).copy()
        bitmap.close()
        page.close()
        return image

    def close(self) -> None:
        """Release the document."""
        self._document.close()


class BriefingDialog(QDialog):
    """Audience and paper, a live preview with progress and warnings, print or save."""

    #: Emitted with the BriefingResult, or the exception, when a build for the current
    #: choices ends (never for a stale one).
    built = Signal(object)
    #: Emitted with the tuple of PersonalCopy, or the exception, when the copies end.
    copies_built = Signal(object)

    def __init__(self, services: Any, visit_id: int | str, parent: QWidget | None = None,
                 *, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.visit_id = visit_id
        self.result: Any = None
        self._pages: PdfPages | None = None
        self._page = 0
        self._building = False
        self._copying = False
        self._closed = False
        self._workdir = Path(tempfile.mkdtemp(prefix="protocol-briefing-"))
        self._build_number = 0
        self._wanted = 0
        """Bumped at every change of the choices; a build for an older value is stale."""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(REBUILD_DELAY_MS)
        self._debounce.timeout.connect(self.build)
        self.setObjectName("briefingDialog")
        self.setWindowTitle("Briefing book")
        self.setAccessibleName("Briefing book")

        self.audience = QComboBox()
        self.audience.setObjectName("briefingAudience")
        self.audience.setAccessibleName("Audience")
        for key, label in AUDIENCE_CHOICES:
            self.audience.addItem(label, key)
        self._withhold_unreadable_audiences()
        self.paper = QComboBox()
        self.paper.setObjectName("briefingPaper")
        self.paper.setAccessibleName("Paper size")
        for name in PAPER_CHOICES:
            self.paper.addItem("US Letter" if name == "Letter" else name, name)
        self.paper.setCurrentIndex(PAPER_CHOICES.index(default_paper(settings=settings)))
        options = QFormLayout()
        options.addRow("&Audience", self.audience)
        options.addRow("&Paper", self.paper)
        for widget in (self.audience, self.paper):
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(16)
            label = options.labelForField(widget)
            if isinstance(label, QLabel):
                label.setBuddy(widget)

        self.progress = QProgressBar()
        self.progress.setObjectName("briefingProgress")
        self.progress.setAccessibleName("Build progress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel("Building the preview…")
        self.status.setObjectName("briefingStatus")
        self.status.setWordWrap(True)

        self.warnings = QListWidget()
        self.warnings.setObjectName("briefingWarnings")
        self.warnings.setAccessibleName("Warnings")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        self.changes = ChangesList(self)  # what the next edition's changes page will list
        self._draft: Any = None
        """The edition the built book is printed as; None once saved or printed."""

        self.preview = QLabel()
        self.preview.setObjectName("briefingPreview")
        self.preview.setAccessibleName("Page preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("briefingPreviewArea")
        self.scroll.setBackgroundRole(QPalette.ColorRole.Dark)
        self.scroll.setWidget(self.preview)
        self.scroll.setWidgetResizable(True)
        self.scroll.setMinimumSize(PREVIEW_MINIMUM)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.prev_button = QPushButton("◀")
        self.prev_button.setObjectName("briefingPrevPage")
        self.prev_button.setAccessibleName("Previous page")
        self.prev_button.setShortcut("PgUp")
        self.prev_button.clicked.connect(lambda: self.show_page(self._page - 1))
        self.next_button = QPushButton("▶")
        self.next_button.setObjectName("briefingNextPage")
        self.next_button.setAccessibleName("Next page")
        self.next_button.setShortcut("PgDown")
        self.next_button.clicked.connect(lambda: self.show_page(self._page + 1))
        for button in (self.prev_button, self.next_button):
            button.setFixedWidth(44)
        self.page_label = QLabel("")
        self.page_label.setObjectName("briefingPageLabel")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setMinimumWidth(130)
        navigation = QHBoxLayout()
        navigation.addStretch(1)
        navigation.addWidget(self.prev_button)
        navigation.addWidget(self.page_label)
        navigation.addWidget(self.next_button)
        navigation.addStretch(1)

        self.copies_button = QPushButton("Personal &copies…")
        self.copies_button.setObjectName("briefingPersonalCopies")
        self.copies_button.setToolTip("A guest's copy for each head of delegation and member, "
                                      "each a separate PDF, into a folder you choose")
        self.copies_button.clicked.connect(self.personal_copies_dialog)
        self.print_button = QPushButton("&Print…")
        self.print_button.setObjectName("briefingPrint")
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button = QPushButton("&Save as…")
        self.save_button.setObjectName("briefingSave")
        self.save_button.clicked.connect(self.save_dialog)
        self.button_box = QDialogButtonBox()
        self.button_box.addButton(self.copies_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.button_box.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.button_box.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = self.button_box.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("briefingClose")
        for button in self.button_box.buttons():  # Enter in a list never prints or writes
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.button_box.rejected.connect(self.reject)

        settings_panel = QWidget()
        settings_panel.setObjectName("briefingSettings")
        column = QVBoxLayout(settings_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(options)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addWidget(self.warnings, 100)
        column.addWidget(self.changes)
        column.addStretch(1)  # the status stays under the choices while there is no list
        preview_panel = QWidget()
        preview_panel.setObjectName("briefingPreviewPanel")
        stack = QVBoxLayout(preview_panel)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.scroll, 1)
        stack.addLayout(navigation)

        area = available_rect(parent or self)
        self.orientation = preview_orientation(area.width(), area.height())
        """``"beside"``: the preview right of the settings; ``"below"``: under them."""
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight if self.orientation == "beside"
                          else QBoxLayout.Direction.TopToBottom)
        if self.orientation == "beside":
            settings_panel.setMinimumWidth(SETTINGS_WIDTH)
            settings_panel.setMaximumWidth(SETTINGS_WIDTH + 80)
            options.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            body.addWidget(settings_panel, 0)
        else:
            self.warnings.setMaximumHeight(110)
            body.addWidget(settings_panel, 0)
        body.addWidget(preview_panel, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.button_box)
        self.audience.currentIndexChanged.connect(self._options_changed)
        self.paper.currentIndexChanged.connect(self._options_changed)
        self.resize(PREFERRED_WIDTH[self.orientation], max(860, area.height() * 85 // 100))
        fit_to_screen(self, buttons=self.button_box)
        self._update_buttons()
        self._debounce.start()  # the first preview, once the dialog is on screen

    # -- building --------------------------------------------------------------------
    def build(self) -> None:
        """Build the book for the chosen audience and paper now, in the background.

        Called by the debounce timer; while a build runs, the next one starts when it
        ends (a stale one ends early)."""
        self._debounce.stop()
        if self._building or self._closed:
            return
        self._building = True
        self._build_number += 1
        generation = self._wanted
        audience = self.audience.currentData()
        paper = self.paper.currentData()
        target = self._workdir / f"briefing-{audience}-{self._build_number}.pdf"
        self.result = None  # the page on show stays until the new book replaces it
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Building the preview…")
        self._update_buttons()
        services, visit = self.services, self.visit_id

        def work(report):
            from protocol_app.briefing.book import build_briefing

            def progress(done: int, total: int, text: str) -> None:
                if generation != self._wanted or self._gone:  # read-only across threads
                    raise _StaleBuild
                report(done, total, text)

            draft = services.editions.draft(visit, kind="book", audience=audience)
            return generation, build_briefing(services, visit, audience, target,
                                              paper=paper, progress=progress,
                                              edition=draft), draft

        run_task(work, on_success=self._built, on_failure=self._failed,
                 on_progress=self._progressed, parent=self, title="The book was not built")

    def _withhold_unreadable_audiences(self) -> None:
        """A login that may not read every sensitive field (an assistant on the office's
        server) cannot build the internal book: offered greyed, with the reason; the
        dialog starts on the first book it can build."""
        from protocol_app.briefing.service import unreadable_fields

        model = self.audience.model()
        first_allowed = None
        for row, (key, _label) in enumerate(AUDIENCE_CHOICES):
            unreadable = unreadable_fields(self.services, key) if key == "internal" else []
            if unreadable:
                item = model.item(row)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip(f"Your database login may not read {', '.join(unreadable)}.")
            elif first_allowed is None:
                first_allowed = row
        if first_allowed:
            self.audience.setCurrentIndex(first_allowed)

    def _stale(self, generation: int | None) -> bool:
        """Whether a build that ended is for older choices; if so, build the current."""
        self._building = False
        if self._gone:
            self._cleanup()
            return True
        if generation is None or generation != self._wanted:
            self.build()
            return True
        return False

    @property
    def _gone(self) -> bool:
        """Closed, or deleted with its parent window while a build ran."""
        return self._closed or not isValid(self)

    def _progressed(self, done: int, total: int, text: str) -> None:
        if self._gone:
            return
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if text:
            self.status.setText(text + "…")

    def _built(self, outcome: tuple[int, Any]) -> None:
        generation, result, draft = outcome
        if self._stale(generation):
            Path(result.path).unlink(missing_ok=True)
            return
        self.result = result
        self._draft = draft
        self.changes.show_report(draft.report, draft.number)
        self.progress.hide()
        self._close_pages()
        self._pages = PdfPages(result.path)
        self.warnings.clear()
        self.warnings.hide()
        count = len(result.warnings)
        self.status.setText(
            f"{result.pages} pages, {result.paper}, built in {result.seconds:.1f} s."
            + (f" {count} warning{'s' if count != 1 else ''}: check before printing."
               if count else ""))
        if result.warnings:
            self.warnings.addItems(list(result.warnings))
            self.warnings.show()
        self.show_page(0)
        self._update_buttons()
        self.built.emit(result)

    def _failed(self, error: BaseException, details: str) -> None:
        if self._stale(None if isinstance(error, _StaleBuild) else self._wanted):
            return
        self.progress.hide()
        self.status.setText("The book was not built.")
        self._update_buttons()
        show_error(self, "The book was not built", error, details)
        self.built.emit(error)

    def _options_changed(self) -> None:
        """A new audience or paper: the book on show is stale; rebuild it shortly."""
        self._wanted += 1
        self._debounce.start()
        if self.result is not None:
            self.status.setText("Updating the preview…")
            self.result = None
            self._update_buttons()

    # -- preview ---------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        """Pages of the book on show (0 before a build)."""
        return len(self._pages) if self._pages is not None else 0

    @property
    def current_page(self) -> int:
        """The page on show, 0-based."""
        return self._page

    def show_page(self, index: int) -> None:
        """Render page ``index`` (0-based) to fit the preview's width."""
        if self._pages is None or not len(self._pages):
            return
        index = max(0, min(index, len(self._pages) - 1))
        self._page = index
        width_pt, height_pt = self._pages.size(index)
        ratio = self.devicePixelRatioF() or 1.0
        viewport = self.scroll.viewport()
        scale = max(200, viewport.width() - 24) / width_pt
        if self.orientation == "beside":  # the whole page in view, beside the settings
            scale = min(scale, max(200, viewport.height() - 16) / height_pt)
        scale *= ratio
        image = self._pages.render(index, scale)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.preview.setPixmap(pixmap)
        self.scroll.verticalScrollBar().setValue(0)
        self.page_label.setText(f"Page {index + 1} of {len(self._pages)}")
        self._update_buttons()

    def resizeEvent(self, event) -> None:
        """Re-render the page on show for the new width."""
        super().resizeEvent(event)
        if self._pages is not None:
            self.show_page(self._page)

    # -- personal copies -------------------------------------------------------------
    def build_personal_copies(self, folder: str | Path) -> None:
        """Write a personal copy for each guest principal into ``folder``, in the
        background (:meth:`protocol_app.briefing.editions.EditionService.publish_personal_copies`:
        each copy is the next edition of that person's series),
        on the paper chosen; the preview stays as it is."""
        if self._copying:
            return
        self._copying = True
        self._update_buttons()
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Writing the personal copies…")
        services, visit, paper = self.services, self.visit_id, self.paper.currentData()

        def work(report):
            return services.editions.publish_personal_copies(visit, folder, paper=paper,
                                                             progress=report)

        run_task(work, on_success=self._copies_written, on_failure=self._copies_failed,
                 on_progress=self._progressed, parent=self,
                 title="The personal copies were not written")

    def _copies_written(self, copies: tuple[Any, ...]) -> None:
        self._copying = False
        if self._gone:
            return
        self.progress.setVisible(self._building)
        folder = copies[0].path.parent if copies else ""
        self.status.setText(f"Wrote {len(copies)} personal cop{'ies' if len(copies) != 1 else 'y'}"
                            f" to {folder}: " + ", ".join(c.path.name for c in copies) + ".")
        self._update_buttons()
        self.copies_built.emit(copies)

    def _copies_failed(self, error: BaseException, details: str) -> None:
        self._copying = False
        if self._gone:
            return
        self.progress.setVisible(self._building)
        self.status.setText("The personal copies were not written.")
        self._update_buttons()
        show_error(self, "The personal copies were not written", error, details)
        self.copies_built.emit(error)

    def personal_copies_dialog(self) -> None:
        """Ask for a folder, then write a personal copy per guest principal into it."""
        folder = QFileDialog.getExistingDirectory(
            self, "Choose a folder for the personal copies (one PDF per guest)")
        if folder:
            self.build_personal_copies(folder)

    # -- print and save ----------------------------------------------------------------
    def save_to(self, path: str | Path) -> Path:
        """Copy the built book to ``path``."""
        if self.result is None:
            raise RuntimeError("build the book first")
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        shutil.copyfile(self.result.path, target)
        self._record_edition(path=target)
        return target

    def _record_edition(self, **where: Any) -> None:
        """A saved or printed book is an edition (a preview is not); a second copy of
        the same preview is the same edition.  The next preview is the next edition."""
        if self._draft is None or self.result is None:
            return
        draft, self._draft = self._draft, None
        self.services.editions.record(self.visit_id, kind="book", audience=draft.audience,
                                      paper=self.result.paper, draft=draft, **where)
        self._wanted += 1
        self._debounce.start()

    def save_dialog(self) -> None:
        """Ask where to save the book, and save it."""
        if self.result is None:
            return
        visit = str(self.visit_id)
        suggested = f"briefing-{visit}-{self.result.audience}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, "Save the briefing book", suggested,
                                                    "PDF files (*.pdf)")
        if not path:
            return
        try:
            saved = self.save_to(path)
        except (OSError, ProtocolError) as exc:
            show_error(self, "The book was not saved", exc)
            return
        self.status.setText(f"Saved to {saved}.")

    def print_to(self, printer: Any) -> int:
        """Paint every page (or the printer's page range) on ``printer``; returns the
        number of pages printed. The pages are rendered at the printer's resolution, at
        most :data:`PRINT_DPI`, and drawn full-page at their own size."""
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtPrintSupport import QPrinter

        if self._pages is None or self.result is None:
            raise RuntimeError("build the book first")
        size_id = (QPageSize.PageSizeId.Letter if self.result.paper == "Letter"
                   else QPageSize.PageSizeId.A4)
        printer.setFullPage(True)
        printer.setPageSize(QPageSize(size_id))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        first, last = printer.fromPage(), printer.toPage()
        if first <= 0 or last <= 0:
            first, last = 1, len(self._pages)
        pages = range(max(1, first) - 1, min(last, len(self._pages)))
        dpi = min(PRINT_DPI, printer.resolution())
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("the printer could not be started")
        printed = 0
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for number, index in enumerate(pages):
                if number:
                    printer.newPage()
                image = self._pages.render(index, dpi / 72)
                target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
                painter.drawImage(target, image)
                printed += 1
        finally:
            painter.end()
        self._record_edition(path=self.result.path, printer=printer.printerName() or "printer")
        return printed

    def print_dialog(self) -> None:
        """Choose a printer and print the book."""
        if self._pages is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Briefing book {self.visit_id}")
        printer.setFromTo(1, len(self._pages))
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, len(self._pages))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            count = self.print_to(printer)
        except OSError as exc:
            show_error(self, "The book was not printed", exc)
            return
        self.status.setText(f"Sent {count} page{'s' if count != 1 else ''} to the printer.")

    # -- state and cleanup -----------------------------------------------------------
    def _update_buttons(self) -> None:
        ready = self.result is not None and self._pages is not None
        self.print_button.setEnabled(ready and not self._building)
        self.save_button.setEnabled(ready and not self._building)
        self.copies_button.setEnabled(not self._copying)
        self.prev_button.setEnabled(ready and self._page > 0)
        self.next_button.setEnabled(ready and self._page < self.page_count - 1)
        if not ready:
            self.page_label.setText("")

    def _close_pages(self) -> None:
        if self._pages is not None:
            self._pages.close()
            self._pages = None

    def _cleanup(self) -> None:
        self._close_pages()
        if not self._building:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def done(self, result: int) -> None:
        """Close: the temporary book is removed (after the build, if one is running)."""
        self._closed = True
        self._debounce.stop()
        self._cleanup()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window is closing the dialog."""
        self._closed = True
        self._debounce.stop()
        self._cleanup()
        super().closeEvent(event)
