"""Progressive start-up: the frame paints first, the visits list comes straight from the
database file, and the database layer opens in the background; every fallback (a new,
older or unreadable database) still ends in a usable window or a clear message."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from protocol_app.db.schema import HEAD_REVISION
from protocol_app.demo import load_demo
from protocol_app.errors import ProtocolError
from protocol_app.services import Services
from protocol_app.services.visit_list import peek_visit_summaries
from ui.startup import StartupController
from ui.tasks import wait_for_tasks

ROOT = Path(__file__).resolve().parents[2]
VISIT = "vn-moet-minister-2027"


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    """A closed database file holding the demo visits."""
    path = tmp_path / "office.sqlite3"
    services = Services.open(path, actor="tester")
    load_demo(services)
    services.close()
    return path


def deferred(path: Path) -> StartupController:
    """The services as the app opens them at start-up."""
    return StartupController.for_database(str(path))


def start(qtbot, ui_settings, services) -> tuple:
    """A progressive main window, shown; returns it and whether the services were open
    when the list appeared."""
    from ui.main_window import MainWindow

    window = MainWindow(services, ui_settings, progressive=True)
    qtbot.addWidget(window)
    state: dict[str, bool] = {}
    window.visits_loaded.connect(
        lambda _n: state.setdefault("open_at_list", services.services is not None))
    window.database_opened.connect(lambda: state.setdefault("opened", True))
    assert window.findChild(QWidget, "loadingPage") is not None
    assert not hasattr(window, "visits_page")  # the pages wait for the first paint
    assert window.current_page() == window.PAGE_VISITS
    with qtbot.waitSignal(window.visits_loaded, timeout=10_000):
        window.show()
    return window, state


def test_the_list_comes_from_the_file_and_the_database_opens_after(
        demo_file, fusion_app, ui_settings, qtbot):
    services = deferred(demo_file)
    window, state = start(qtbot, ui_settings, services)
    assert state["open_at_list"] is False
    assert window.visits_page.model.rowCount() == 3
    assert window.stack.currentWidget() is window.visits_page
    qtbot.waitUntil(lambda: window.findChild(QWidget, "loadingPage") is None)
    qtbot.waitUntil(lambda: state.get("opened", False), timeout=20_000)
    assert str(demo_file) in window.db_label.text()
    # The window now works as always, on the very services the controller opened.
    assert window.services is services.services is not None
    visit_id = window.services.visits.resolve(VISIT)
    assert window.visit_actions.open_visit(visit_id)
    assert window.workspace.visit.public_id == VISIT
    services.close()


def test_the_last_open_visit_reopens_once_the_database_is_open(
        demo_file, fusion_app, ui_settings, qtbot):
    services = deferred(demo_file)
    visit_id = next(v.id for v in services.peek_visits() if v.public_id == VISIT)
    ui_settings.setValue("session/lastVisit", visit_id)
    ui_settings.setValue("session/lastPage", "visit")
    window, _state = start(qtbot, ui_settings, services)
    assert window.visits_page.selected_visit().id == visit_id  # selected at once
    qtbot.waitUntil(lambda: window.current_page() == window.PAGE_VISIT, timeout=20_000)
    assert window.workspace.visit.id == visit_id
    services.close()


def test_a_new_database_is_created_and_shows_the_welcome_page(
        tmp_path, fusion_app, ui_settings, qtbot):
    path = tmp_path / "new.sqlite3"
    services = deferred(path)
    window, state = start(qtbot, ui_settings, services)
    assert state["open_at_list"] is True  # nothing to peek at: opened first
    assert path.is_file()
    assert window.current_page() == window.PAGE_WELCOME
    services.close()


def test_an_older_database_is_migrated_before_the_list(
        demo_file, fusion_app, ui_settings, qtbot):
    from alembic import command

    from protocol_app.db.migrate import alembic_config

    services = deferred(demo_file)
    assert services.peek_visits() is not None
    older = Services.open(demo_file)  # taken back to 0005's parent, as an older version left it
    with older.db.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
    older.close()
    assert services.peek_visits() is None  # the proper open migrates first
    window, state = start(qtbot, ui_settings, services)
    assert state["open_at_list"] is True
    assert window.visits_page.model.rowCount() == 3
    with sqlite3.connect(demo_file) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,)
    services.close()


def test_an_unreadable_file_reports_and_changes_nothing(
        tmp_path, fusion_app, ui_settings, qtbot):
    from ui.main_window import MainWindow

    path = tmp_path / "notes.sqlite3"
    path.write_text("not a database\n")
    services = deferred(path)
    window = MainWindow(services, ui_settings, progressive=True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.database_failed, timeout=10_000) as failed:
        window.show()
    assert "not a Protocol Desk database" in str(failed.args[0])
    assert path.read_text() == "not a database\n"


def test_the_services_open_once_in_the_background_however_often_asked(
        fusion_app, qtbot) -> None:
    opened: list[int] = []
    services = object()

    def opener() -> object:
        time.sleep(0.05)
        opened.append(threading.get_ident())
        return services

    startup = StartupController(opener, peek=lambda: ["peeked"])
    assert startup.peek_visits() == ["peeked"]
    given: list[object] = []
    ready: list[bool] = []
    startup.services_ready.connect(lambda: ready.append(True))
    with qtbot.waitSignal(startup.services_ready, timeout=5000):
        startup.start()
        startup.when_ready(given.append)
        startup.start()
        startup.when_ready(given.append)
        assert startup.services is None and given == []  # the GUI thread did not wait
    startup.when_ready(given.append)  # once open: called at once
    startup.start()
    wait_for_tasks()
    assert opened and opened[0] != threading.get_ident()  # opened on a worker thread
    assert len(opened) == 1 and ready == [True]
    assert given == [services, services, services]
    assert startup.services is services
    assert startup.peek_visits() is None  # once open, the services answer


def test_a_failed_opening_is_reported_once_and_nothing_waits_for_it(fusion_app, qtbot):
    def opener() -> object:
        raise ProtocolError("The database is busy")

    startup = StartupController(opener)
    given: list[object] = []
    with qtbot.waitSignal(startup.services_failed, timeout=5000) as failed:
        startup.when_ready(given.append)
        startup.start()
    assert str(failed.args[0]) == "The database is busy"
    startup.start()  # not tried again
    wait_for_tasks()
    assert given == [] and startup.services is None


def test_until_the_services_open_what_needs_them_waits(demo_file, fusion_app, ui_settings,
                                                      qtbot):
    """The list is usable at once; actions that need the services are disabled, and
    People (asked for from the sidebar) opens once they are."""
    from ui.main_window import MainWindow

    release = threading.Event()

    def slow_open() -> Services:
        release.wait(20)
        return Services.open(demo_file)

    startup = StartupController(slow_open, peek=lambda: peek_visit_summaries(demo_file))
    window = MainWindow(startup, ui_settings, progressive=True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.visits_loaded, timeout=10_000):
        window.show()
    try:
        actions = window.menu_actions
        assert window.services is None and window.visits_page.model.rowCount() == 3
        window.visits_page.select_visit(window.visits_page.model.rows()[0].id)
        assert not actions.act_new_visit.isEnabled() and not actions.act_import.isEnabled()
        assert not actions.act_delete_visit.isEnabled()
        assert actions.act_find.isEnabled() and actions.act_go_visits.isEnabled()
        window.sidebar.setCurrentItem(window.nav_items[window.PAGE_PEOPLE])
        assert window.people_page is None  # it waits for the services
    finally:
        release.set()
    with qtbot.waitSignal(window.database_opened, timeout=20_000):
        pass
    assert window.services is startup.services is not None
    assert window.current_page() == window.PAGE_PEOPLE
    assert actions.act_new_visit.isEnabled() and actions.act_delete_visit.isEnabled()
    startup.close()


def test_the_first_frame_paints_before_heavy_parts_load(demo_file, tmp_path) -> None:
    """The real start (``python -m ui``): at the first paint PySide6 has not built the
    Qt namespace or QStyle and SQLAlchemy is not imported; the list is shown before
    SQLAlchemy loads; the app uses Fusion."""
    probe = tmp_path / "probe.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "PROTOCOL_DESK_STARTUP_PROBE": str(probe),
           "PROTOCOL_APP_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "ui", "--db", str(demo_file)], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    marks = json.loads(probe.read_text())
    assert marks["at_first_paint"] == {"qt_namespace": False, "qstyle": False,
                                       "sqlalchemy": False}
    assert marks["at_visits_ready"]["sqlalchemy"] is False
    assert marks["heavy_modules"] == []
    assert marks["style"].lower() == "fusion"
    assert marks["painted"] <= marks["visits_ready"]
