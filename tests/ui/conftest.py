"""Fixtures for the desktop app's tests: the real main window over a real SQLite file,
private window settings, and a helper that answers modal dialogs without blocking."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.support.modals import ModalAnswerer


@pytest.fixture
def fusion_app(qapp: QApplication) -> QApplication:
    """The test QApplication, set up as the real app sets itself up (Fusion, fonts)."""
    from ui.app import configure_application

    if qapp.property("protocolDeskConfigured") is None:
        configure_application(qapp)
        qapp.setProperty("protocolDeskConfigured", True)
    return qapp


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """Window settings in a private file (geometry, last visit)."""
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot: Any, fusion_app: QApplication, ui_settings: QSettings
                ) -> Iterator[Callable[..., Any]]:
    """``make_window(services)`` builds, shows and loads a main window."""
    from ui.main_window import MainWindow
    from ui.tasks import wait_for_tasks

    def forget_edits(window: MainWindow) -> None:
        """Tests that leave edits behind must not be asked about them when closing."""
        wait_for_tasks()
        if window.workspace is not None:
            window.workspace.overview.revert()

    def build(services: Any, settings: QSettings | None = None) -> MainWindow:
        window = MainWindow(services, settings if settings is not None else ui_settings)
        qtbot.addWidget(window, before_close_func=forget_edits)
        with qtbot.waitSignal(window.visits_loaded, timeout=5000):
            window.show()
        return window

    yield build
    wait_for_tasks()


@pytest.fixture
def modal(qtbot: Any) -> ModalAnswerer:
    """Answers modal dialogs opened with ``exec()``."""
    return ModalAnswerer(qtbot)


@pytest.fixture
def view(qtbot: Any, demo_services: Any) -> Any:
    """The itinerary (agenda, table and clash findings) of the demo ministerial visit,
    shown at 1440×900."""
    from PySide6.QtGui import QUndoStack

    from ui.pages.itinerary import ItineraryView

    widget = ItineraryView(demo_services, QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1440, 900)
    widget.show()
    widget.set_visit(demo_services.visits.get("vn-moet-minister-2027"))
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def answered_call(demo_services: Any, tmp_path: Path) -> Path:
    """The courtesy call invited, and a folder of answers to its meeting c04 (not yet
    imported): see :func:`tests.support.replies.answered_call`."""
    from tests.support.replies import answered_call

    return answered_call(demo_services, tmp_path)
