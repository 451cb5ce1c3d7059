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
from protocol_app.services import Services
from ui.app import DeferredServices, _open_services, _peek_visits

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


def deferred(path: Path) -> DeferredServices:
    """The services as the app opens them at start-up."""
    return DeferredServices(lambda: _open_services(str(path)),
                            peek=lambda: _peek_visits(str(path)))


def start(qtbot, ui_settings, services) -> tuple:
    """A progressive main window, shown; returns it and whether the services were open
    when the list appeared."""
    from ui.main_window import MainWindow

    window = MainWindow(services, ui_settings, progressive=True)
    qtbot.addWidget(window)
    state: dict[str, bool] = {}
    window.visits_loaded.connect(
        lambda _n: state.setdefault("open_at_list", services._target is not None))
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
    # The window now works as always: open a visit, edit through the services.
    visit_id = services.visits.resolve(VISIT)
    assert window.open_visit(visit_id)
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


def test_deferred_services_open_once_from_any_thread() -> None:
    opened: list[int] = []

    def opener() -> object:
        time.sleep(0.05)
        opened.append(threading.get_ident())
        return object()

    services = DeferredServices(opener, peek=lambda: ["peeked"])
    assert services.peek_visits() == ["peeked"]
    results: list[object] = []
    workers = [threading.Thread(target=lambda: results.append(services.resolve()))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(opened) == 1 and len({id(r) for r in results}) == 1
    assert services.peek_visits() is None  # once open, the services answer


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
