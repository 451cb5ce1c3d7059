"""Visit packages in the main window: import (File menu, welcome page, or .json files
dropped on the window), export, and the sample visits.  The work runs in the background
(:mod:`ui.tasks`); a refused package lists every problem with its path.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject

from protocol_app.errors import ProtocolError, ValidationError
from ui.dialogs.errors import show_error
from ui.tasks import run_task

if TYPE_CHECKING:
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QMessageBox, QWidget

    from protocol_app.packages.importer import ImportReport
    from ui.main_window import MainWindow


def is_package_file(path: str | Path) -> bool:
    """Whether a dropped file looks like a visit package."""
    return str(path).lower().endswith(".json")


def dropped_packages(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local .json files an event drags or drops."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls()
            if url.isLocalFile() and is_package_file(url.toLocalFile())]


class PackageActions(QObject):
    """Import and export of visit packages for the main window, and its drops (an event
    filter on the window: it accepts .json files and imports each one dropped)."""

    _DRAGS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._tasks = 0
        #: The last import's report or refusal dialog (tests read it).
        self.last_import_dialog: QWidget | None = None
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Accept .json files dragged onto the window; import every one dropped."""
        if watched is not self.window or event.type() not in (*self._DRAGS,
                                                              QEvent.Type.Drop):
            return False
        paths = dropped_packages(event)  # type: ignore[arg-type]
        if not paths:
            event.ignore()
            return True
        event.acceptProposedAction()  # type: ignore[attr-defined]
        if event.type() == QEvent.Type.Drop:
            for path in paths:
                self.window.when_ready(partial(self.import_package, path))
        return True

    def ask_import_path(self) -> str:
        """The package file to import, asked of the user ("" when cancelled)."""
        from PySide6.QtWidgets import QFileDialog

        settings = self.window.settings
        start = str(settings.value("paths/import", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self.window, "Import a visit package", start,
                                              "Visit packages (*.json);;All files (*)")
        return path

    def ask_export_path(self, suggested: str) -> str:
        """Where to write the package ("" when cancelled)."""
        from PySide6.QtWidgets import QFileDialog

        settings = self.window.settings
        start = Path(str(settings.value("paths/export", str(Path.home())))) / suggested
        path, _ = QFileDialog.getSaveFileName(self.window, "Export the visit package",
                                              str(start), "Visit packages (*.json)")
        return path

    def import_package(self, path: str | Path | None = None) -> None:
        """Import a package (asks for the file when not given); runs in the background.

        A refused package lists every problem with its path; nothing is imported."""
        w = self.window
        if path is None:
            path = self.ask_import_path()
            if not path:
                return
        path = Path(path)
        w.settings.setValue("paths/import", str(path.parent))
        services = w.require_services()
        self._busy(f"Importing {path.name}…")

        def done(report: ImportReport) -> None:
            self._idle()
            w.reload_visits()
            self._show_import_report(report)
            if w.workspace is not None and w.workspace.visit is not None and (
                    w.workspace.visit.id == report.visit_id):
                w.workspace.refresh()
            w.import_finished.emit(report)

        def failed(error: BaseException, details: str) -> None:
            from ui.dialogs.import_errors import show_import_errors

            self._idle()
            if isinstance(error, ValidationError):
                self.last_import_dialog = show_import_errors(w, error, path.name)
            else:
                show_error(w, f"{path.name} was not imported", error, details)
            w.import_finished.emit(error)

        run_task(lambda: services.packages.import_file(path), on_success=done,
                 on_failure=failed, parent=w)

    def _show_import_report(self, report: ImportReport) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        lines = report.lines()
        box = QMessageBox(self.window)
        box.setObjectName("importReportDialog")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Visit package imported")
        box.setText(lines[0])
        if len(lines) > 1:
            box.setInformativeText("\n".join(line.strip() for line in lines[1:]))
        box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = box.addButton("Open the visit", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(open_button)
        visit_id = report.visit_id

        def finished() -> None:
            if box.clickedButton() is open_button:
                self.window.visit_actions.open_visit(visit_id)

        box.finished.connect(lambda _r: finished())
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_import_dialog = box
        return box

    def export_package(self) -> None:
        """Write the current visit as a package file (in the background)."""
        w = self.window
        visit_id = w.visit_actions.current_visit_id()
        if visit_id is None:
            return
        services = w.require_services()
        try:
            record = services.visits.get(visit_id)
        except ProtocolError as exc:
            show_error(w, "Not exported", exc)
            return
        path = self.ask_export_path(f"{record.public_id}.json")
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".json":
            target = target.with_suffix(target.suffix + ".json") if target.suffix else (
                target.with_suffix(".json"))
        w.settings.setValue("paths/export", str(target.parent))
        self._busy(f"Exporting {record.title}…")

        def done(written: Path) -> None:
            self._idle()
            w.statusBar().showMessage(f"Exported “{record.title}” to {written}", 8000)

        def failed(error: BaseException, details: str) -> None:
            self._idle()
            show_error(w, "Not exported", error, details)

        run_task(lambda: services.packages.export_file(visit_id, target), on_success=done,
                 on_failure=failed, parent=w)

    def open_samples(self) -> None:
        """Load the demo visits in the background, then show the list."""
        from protocol_app.demo import load_demo

        w = self.window
        services = w.require_services()
        w.welcome_page.set_busy(True, "Loading the sample visits…")
        self._busy("Loading the sample visits…")

        def done(reports: list[Any]) -> None:
            self._idle()
            w.welcome_page.set_busy(False)
            w.reload_visits()
            w.show_page(w.PAGE_VISITS)
            w.visits_page.table.setFocus()
            w.statusBar().showMessage(f"Loaded {len(reports)} sample visits", 6000)

        def failed(error: BaseException, details: str) -> None:
            self._idle()
            w.welcome_page.set_busy(False)
            show_error(w, "The sample visits could not be loaded", error, details)

        run_task(lambda: load_demo(services), on_success=done, on_failure=failed, parent=w)

    def _busy(self, text: str) -> None:
        self._tasks += 1
        self.window.statusBar().showMessage(text)

    def _idle(self) -> None:
        self._tasks = max(0, self._tasks - 1)
        if not self._tasks:
            self.window.statusBar().clearMessage()
