""""Briefing book…": a visit's book for one audience, previewed live, printed or saved.

The book is built by :func:`protocol_app.briefing.book.build_briefing` in the background
(:func:`ui.tasks.run_task`, with progress) into a private temporary folder, when the
dialog opens and again whenever the audience or the paper changes (debounced by
:data:`REBUILD_DELAY_MS`; a build made stale by a newer choice is stopped at its next
progress report and its result is never shown): there is no Build button. The pages
are previewed with PDFium (``pypdfium2``, whose wheel carries its own binary, so no
system PDF library is needed), printed by painting the rendered pages on a
``QPrinter``, or saved by copying the built file. This module never touches a
database session: it hands the services to the core.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
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
from ui.dialogs.errors import show_error
from ui.tasks import run_task

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

    def __init__(self, services: Any, visit_id: int | str, parent: QWidget | None = None,
                 *, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.visit_id = visit_id
        self.result: Any = None
        self._pages: PdfPages | None = None
        self._page = 0
        self._building = False
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
            label = options.labelForField(widget)
            if isinstance(label, QLabel):
                label.setBuddy(widget)
        top = QHBoxLayout()
        top.addLayout(options, 1)

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
        self.warnings.setMaximumHeight(110)
        self.warnings.hide()

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
        self.scroll.setMinimumSize(460, 420)
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

        self.print_button = QPushButton("&Print…")
        self.print_button.setObjectName("briefingPrint")
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button = QPushButton("&Save as…")
        self.save_button.setObjectName("briefingSave")
        self.save_button.clicked.connect(self.save_dialog)
        close = QPushButton("Close")
        close.setObjectName("briefingClose")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.warnings)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(navigation)
        layout.addLayout(buttons)
        self.audience.currentIndexChanged.connect(self._options_changed)
        self.paper.currentIndexChanged.connect(self._options_changed)
        self.resize(720, 860)
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

            return generation, build_briefing(services, visit, audience, target,
                                              paper=paper, progress=progress)

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
        generation, result = outcome
        if self._stale(generation):
            Path(result.path).unlink(missing_ok=True)
            return
        self.result = result
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
        width_pt, _height_pt = self._pages.size(index)
        ratio = self.devicePixelRatioF() or 1.0
        available = max(200, self.scroll.viewport().width() - 24)
        scale = available / width_pt * ratio
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

    # -- print and save ----------------------------------------------------------------
    def save_to(self, path: str | Path) -> Path:
        """Copy the built book to ``path``."""
        if self.result is None:
            raise RuntimeError("build the book first")
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        shutil.copyfile(self.result.path, target)
        return target

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
        except OSError as exc:
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
