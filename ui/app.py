"""Start-up of the desktop app: logging, the exception hook, the QApplication (Fusion,
high-DPI, bundled fonts for every script) and the main window.

Cold start is progressive, and each step waits for the one that matters to the user:

1. the main window's frame paints, with only the Qt classes it needs;
2. then the log file and the bundled fonts are set up, the pages are built and the
   visits list is read straight from the database file (no SQLAlchemy);
3. then the database layer opens in the background (SQLAlchemy; Alembic only if a
   migration is due).  Reportlab and icalendar wait until a briefing or a calendar is
   asked for.

``PROTOCOL_DESK_SMOKE=1`` makes :func:`run` close the window and quit as soon as the
visits list is shown (the frozen app's smoke test).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from protocol_app import config
from protocol_app.errors import ProtocolError
from ui.startup import StartupController

log = logging.getLogger("ui")

LOG_FILENAME = "protocol-desk.log"
#: The style: Fusion follows the system's light or dark palette and looks the same
#: everywhere.
FUSION = "fusion"
SMOKE_ENV = "PROTOCOL_DESK_SMOKE"
#: A file to which start-up milestones are written, then the app quits (benchmarks).
PROBE_ENV = "PROTOCOL_DESK_STARTUP_PROBE"
_handler: logging.Handler | None = None
_showing_error = False
_error_boxes: list[Any] = []  # keeps parentless error dialogs alive until they close


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to a rotating file in the user's log folder (once per process)."""
    import logging.handlers  # after the first paint: it is not needed before

    global _handler
    path = config.log_dir() / LOG_FILENAME
    if _handler is None or getattr(_handler, "baseFilename", "") != str(path):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                                       encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        if _handler is not None:
            root.removeHandler(_handler)
        previous = root.level
        if previous > level or previous == logging.NOTSET:
            # The file gets INFO; consoles set up before keep showing what they showed.
            for other in root.handlers:
                if other.level == logging.NOTSET:
                    other.setLevel(previous or logging.WARNING)
            root.setLevel(level)
        root.addHandler(handler)
        _handler = handler
    return path


def log_file() -> Path:
    """Where unexpected errors are written."""
    return config.log_dir() / LOG_FILENAME


def handle_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    """``sys.excepthook``: log the error, show it with copyable details, keep running."""
    global _showing_error
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    if _handler is None:  # an error before the first paint still reaches the log file
        with contextlib.suppress(Exception):
            setup_logging()
    log.error("Unexpected error\n%s", details)
    app = QApplication.instance()
    if app is None or _showing_error:
        sys.__excepthook__(exc_type, exc, tb)
        return
    _showing_error = True
    try:
        from ui.dialogs.errors import show_error

        parent = QApplication.activeWindow()
        box = show_error(parent, "Unexpected error", exc,
                         f"{details}\nThis was written to the log: {log_file()}")
        box.setObjectName("unexpectedErrorDialog")
        _error_boxes.append(box)
        box.finished.connect(lambda _r, b=box: _error_boxes.remove(b) if b in _error_boxes
                             else None)
    except Exception:  # the hook must never raise
        sys.__excepthook__(exc_type, exc, tb)
    finally:
        _showing_error = False


def install_excepthook() -> None:
    """Route uncaught exceptions (including those in Qt slots) to :func:`handle_exception`."""
    sys.excepthook = handle_exception


def register_fonts() -> int:
    """Make the bundled fonts (Latin, Arabic, Hebrew, Devanagari, Thai, CJK, Korean)
    available to Qt's font fallback, so names display in any script."""
    from PySide6.QtGui import QFontDatabase

    from protocol_app.resources import resources_root

    count = 0
    folder = resources_root() / "fonts"
    for path in sorted(folder.glob("*.[ot]t[fc]")):
        if QFontDatabase.addApplicationFont(str(path)) >= 0:
            count += 1
    return count


def create_application(argv: list[str] | None = None, *, fonts: bool = True) -> QApplication:
    """The QApplication, set up once: name, Fusion style, fonts, icon."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Qt 6 scales by the screen's exact factor (PassThrough), which suits drawn icons.
    # The style is named on Qt's own command line: Qt then makes it without Python
    # touching QStyle, whose 600 enum values take PySide6 milliseconds to build.
    args = list(argv if argv is not None else sys.argv) or ["protocol-desk"]
    app = QApplication([args[0], "-style", FUSION, *args[1:]])
    configure_application(app, fonts=fonts, style=False)
    return app


def configure_application(app: QApplication, *, fonts: bool = True,
                          style: bool = True) -> None:
    """Name, style and bundled fonts of an application (also used by tests and
    screenshots); :func:`run` registers the fonts after the first paint, and
    :func:`create_application` sets the style on Qt's command line."""
    from protocol_app import __version__
    from ui.icons import app_icon

    app.setApplicationName("Protocol Desk")
    app.setOrganizationName("ProtocolDesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("protocol-desk")
    if style:
        app.setStyle(FUSION)
    app.setWindowIcon(app_icon())
    if fonts:
        register_fonts()


class _FirstPaint(QObject):
    """Notes the wall-clock time of the window's first paint."""

    def __init__(self, marks: dict[str, Any]) -> None:
        super().__init__()
        self.marks = marks

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and "painted" not in self.marks:
            self.marks["painted"] = time.time()
        return False


def startup_state() -> dict[str, bool]:
    """What start-up has loaded so far: whether PySide6 has built the ``Qt`` namespace
    and QStyle (their enums cost milliseconds) and whether SQLAlchemy is imported."""
    from PySide6 import QtWidgets

    return {"qt_namespace": "Qt" in vars(QtCore), "qstyle": "QStyle" in vars(QtWidgets),
            "sqlalchemy": "sqlalchemy" in sys.modules}


def _install_startup_probe(app: QApplication, window: Any, target: Path) -> None:
    """Write when the window was painted and when the visits list was usable, what was
    loaded at each (:func:`startup_state`) and which heavy modules had been imported;
    then quit (``make bench`` and the start-up tests)."""
    marks: dict[str, Any] = {}
    painter = _FirstPaint(marks)
    window.installEventFilter(painter)
    window._startup_probe = painter  # keep it alive
    window.first_painted.connect(lambda: marks.setdefault("at_first_paint", startup_state()))

    def ready(_count: int) -> None:
        ready_at = time.time()
        marks.setdefault("at_visits_ready", startup_state())

        def write() -> None:
            marks["visits_ready"] = ready_at
            marks.setdefault("painted", ready_at)
            marks["heavy_modules"] = sorted(
                name for name in ("alembic", "reportlab", "icalendar") if name in sys.modules)
            marks["style"] = app.style().name()
            target.write_text(json.dumps(marks))
            app.quit()

        QTimer.singleShot(0, write)

    window.visits_loaded.connect(ready)


def _take_scheduled_backup(window: Any) -> None:
    """Once the database is open: a daily backup in the background when the last one is
    a day old (a local SQLite file only; see :mod:`protocol_app.db.scheduled`)."""
    services = window.startup.services
    path = getattr(getattr(services, "db", None), "path", None)
    if path is None or os.environ.get(SMOKE_ENV) == "1":
        return
    from datetime import datetime

    from protocol_app import config
    from protocol_app.db.scheduled import take_scheduled_backup
    from ui.tasks import run_task

    def done(made: Path | None) -> None:
        if made is not None:
            log.info("Scheduled backup taken: %s", made)

    def failed(error: BaseException, _details: str) -> None:
        log.warning("The scheduled backup could not be taken: %s", error)
        window.statusBar().showMessage(f"The daily backup could not be taken: {error}", 10000)

    run_task(lambda: take_scheduled_backup(path, config.backup_dir(),
                                           datetime.now().astimezone()),
             on_success=done, on_failure=failed)


def run(db: str | None = None) -> int:
    """Open the main window on the database ``db`` (or the default one)."""
    install_excepthook()
    app = create_application(fonts=False)
    startup = StartupController.for_database(db)
    exit_code = 0

    def painted() -> None:
        log.info("Protocol Desk starting (log: %s)", setup_logging())
        register_fonts()  # before the first names are shown

    def database_failed(exc: ProtocolError) -> None:
        from PySide6.QtWidgets import QMessageBox

        nonlocal exit_code
        exit_code = 1
        log.error("Cannot open the database: %s", exc)
        window.hide()
        box = QMessageBox(QMessageBox.Icon.Critical, "Protocol Desk",
                          "The database cannot be opened.")
        box.setInformativeText(str(exc))
        box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        if os.environ.get(SMOKE_ENV) != "1":
            box.exec()
        else:
            sys.stderr.write(f"protocol-desk: {exc}\n")
        app.exit(1)

    from ui.main_window import MainWindow

    window = MainWindow(startup, progressive=True)
    if os.environ.get(PROBE_ENV):  # first, to see the first frame as it was painted
        _install_startup_probe(app, window, Path(os.environ[PROBE_ENV]))
    window.first_painted.connect(painted)
    window.database_failed.connect(database_failed)
    window.database_opened.connect(lambda: _take_scheduled_backup(window))
    if os.environ.get(SMOKE_ENV) == "1":
        def smoke_done(count: int) -> None:
            sys.stdout.write(f"smoke-test: main window shown with {count} visits\n")
            sys.stdout.flush()
            QTimer.singleShot(100, window.close)
            QTimer.singleShot(200, app.quit)

        window.visits_loaded.connect(smoke_done)
    window.show()
    try:
        return app.exec() or exit_code
    finally:
        from ui.tasks import wait_for_tasks

        wait_for_tasks()  # an import still running finishes before the database closes
        startup.close()
        log.info("Protocol Desk closed")
