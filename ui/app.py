"""Start-up of the desktop app: QApplication and the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow

from protocol_app.services import Services


def run(db: str | None = None) -> int:
    """Open the main window on the database ``db`` (or the default one)."""
    app = QApplication.instance() or QApplication(sys.argv)
    services = Services.open(db)
    window = QMainWindow()
    window.setWindowTitle("Protocol Desk")
    visits = QListWidget()
    for v in services.visits.list():
        visits.addItem(f"{v.start_date}  {v.title}")
    window.setCentralWidget(visits)
    window.resize(1200, 800)
    window.show()
    return app.exec()
