"""Opening the services at start-up without blocking the window.

:class:`StartupController` owns the one :class:`~protocol_app.services.Services` of a
window.  The app starts with the services closed: the window paints, shows the visits
list read straight from the database file (:meth:`StartupController.peek_visits`, no
SQLAlchemy), and asks :meth:`StartupController.start` to open the database layer in the
background (:mod:`ui.tasks`).  When it is open, ``services_ready`` is emitted on the GUI
thread and :attr:`StartupController.services` holds the real object; until then it is
None, and whatever needs the services waits (:meth:`StartupController.when_ready`) or is
disabled.  The GUI thread never waits for the database.

This module is on the way to the first paint: it imports no SQLAlchemy and names Qt's
``Qt`` namespace nowhere (see :mod:`ui.main_window`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ui.tasks import run_task

if TYPE_CHECKING:
    from protocol_app.services import Services
    from protocol_app.services.values import VisitSummary

Opener = Callable[[], "Services"]
Peeker = Callable[[], "list[VisitSummary] | None"]


def open_services(db: str | None) -> Services:
    """The services over ``db`` (a path, URL or None for the default database)."""
    from protocol_app.services import Services

    return Services.open(db)


def peek_visits(db: str | None) -> list[VisitSummary] | None:
    """The visits list of ``db`` read without the database layer, or None."""
    from protocol_app.services.visit_list import peek_visit_summaries

    return peek_visit_summaries(db)


class StartupController(QObject):
    """The window's services: opened once, in the background, announced when ready.

    Use it from the GUI thread only; the opening itself runs on a worker thread."""

    #: The services are open; :attr:`services` holds them (emitted once).
    services_ready = Signal()
    #: The services could not be opened: the error (a ProtocolError when the database is
    #: unusable) and its traceback text (emitted once).
    services_failed = Signal(object, str)

    def __init__(self, opener: Opener, peek: Peeker | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._opener = opener
        self._peek = peek
        self._started = False
        self._waiting: list[Callable[[Services], object]] = []
        #: The open services, or None until ``services_ready``.
        self.services: Services | None = None

    @classmethod
    def for_database(cls, db: str | None) -> StartupController:
        """A controller that opens ``db`` (the app's start-up)."""
        return cls(lambda: open_services(db), peek=lambda: peek_visits(db))

    @classmethod
    def already_open(cls, services: Services) -> StartupController:
        """A controller over services opened beforehand (tests, screenshots)."""
        controller = cls(lambda: services)
        controller._started = True
        controller.services = services
        return controller

    def is_ready(self) -> bool:
        """Whether the services are open."""
        return self.services is not None

    def peek_visits(self) -> list[VisitSummary] | None:
        """The visits list read from the file without opening the services; None when
        they are open already or must be opened first (a new, older or unreadable
        database: see :func:`protocol_app.services.visit_list.peek_visit_summaries`)."""
        if self.services is not None or self._peek is None:
            return None
        return self._peek()

    def start(self) -> None:
        """Open the services in the background, once: later calls do nothing.  Then
        ``services_ready`` or ``services_failed`` is emitted on the GUI thread."""
        if self._started:
            if self.services is not None:
                self._flush()
            return
        self._started = True
        run_task(self._opener, on_success=self._opened, on_failure=self._failed)

    def when_ready(self, callback: Callable[[Services], object]) -> None:
        """Call ``callback(services)`` now if they are open, else once they are (and
        start opening them).  Nothing is called if they cannot be opened."""
        self._waiting.append(callback)
        if self.services is not None:
            self._flush()
        else:
            self.start()

    def close(self) -> None:
        """Release the services if they were opened."""
        if self.services is not None:
            self.services.close()

    def _opened(self, services: Services) -> None:
        self.services = services
        self.services_ready.emit()
        self._flush()

    def _failed(self, error: BaseException, details: str) -> None:
        self._waiting.clear()
        self.services_failed.emit(error, details)

    def _flush(self) -> None:
        services = self.services
        assert services is not None
        while self._waiting:
            self._waiting.pop(0)(services)
