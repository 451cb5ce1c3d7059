"""Start-up: logging, the exception hook, preferences, and the whole app run headless."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from protocol_app.config import Settings
from ui.dialogs.preferences import PreferencesDialog

ROOT = Path(__file__).resolve().parents[2]


def test_an_unexpected_error_is_logged_and_shown_and_the_app_goes_on(fusion_app, app_home,
                                                                    qtbot):
    from ui import app as ui_app

    log_path = ui_app.setup_logging()
    assert log_path.parent == app_home / "logs"
    assert any(isinstance(h, logging.handlers.RotatingFileHandler)
               for h in logging.getLogger().handlers)
    previous = sys.excepthook
    ui_app.install_excepthook()
    try:
        try:
            raise RuntimeError("the printer caught fire")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == "unexpectedErrorDialog"]
    assert boxes and boxes[-1].isVisible()
    box = boxes[-1]
    assert "RuntimeError: the printer caught fire" in box.informativeText()
    assert "Traceback" in box.detailedText() and str(log_path) in box.detailedText()
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "the printer caught fire" in log_path.read_text(encoding="utf-8")
    box.close()


def test_preferences_are_saved_and_name_the_user_in_the_audit_trail(services, make_window,
                                                                   modal, qtbot):
    from datetime import date

    window = make_window(services)

    def fill(dialog: PreferencesDialog) -> None:
        dialog.office_name.setText("Office of Protocol, Alderbrook University")
        dialog.organizer_name.setText("Protocol Office")
        dialog.organizer_email.setText("no address")
        dialog.accept()
        assert dialog.isVisible() and "not an e-mail address" in dialog.problem.text()
        dialog.organizer_email.setText("protocol@alderbrook.example.edu")
        dialog.display_name.setText("Alex Morgan")
        dialog.accept()

    modal.next(fill, kind=PreferencesDialog)
    window.act_preferences.trigger()
    saved = Settings.load()
    assert (saved.office_name, saved.organizer_email, saved.display_name) == (
        "Office of Protocol, Alderbrook University", "protocol@alderbrook.example.edu",
        "Alex Morgan")
    assert "Alderbrook" in window.welcome_page.subtitle.text()
    services.visits.create(title="Visit", country="JP", timezone="Asia/Tokyo",
                           start_date=date(2027, 1, 5), end_date=date(2027, 1, 6))
    assert services.audit.list(limit=1)[0].actor == "Alex Morgan"


def test_the_screenshot_package_is_refused_with_many_problems(services):
    from protocol_app.errors import ValidationError
    from ui.screenshots import _broken_package

    with pytest.raises(ValidationError) as refused:
        services.packages.import_bytes(_broken_package(), "draft.json")
    assert len(refused.value.problems) >= 6


def test_the_app_opens_and_closes_headless(tmp_path: Path) -> None:
    """``protocol-app`` without a command opens the window; PROTOCOL_DESK_SMOKE=1 closes it
    once the visits are shown."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PROTOCOL_DESK_SMOKE": "1",
           "PROTOCOL_APP_HOME": str(tmp_path / "home")}
    db = str(tmp_path / "app.sqlite3")
    demo = subprocess.run([sys.executable, "-m", "ui", "--db", db, "demo"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr
    run = subprocess.run([sys.executable, "-m", "ui", "--db", db], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "smoke-test: main window shown with 3 visits" in run.stdout
    assert (tmp_path / "home" / "logs" / "protocol-desk.log").exists()
