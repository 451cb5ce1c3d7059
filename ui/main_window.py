"""The main window: its frame (sidebar, menu bar, status bar), its pages (Visits, the
open visit, People), navigation between them, and the state kept between sessions
(geometry, the last open visit).  What it does is composed from:

* :class:`ui.startup.StartupController`: the services, opened in the background;
* :class:`ui.actions.WindowActions`: every action, its shortcut and its menu;
* :class:`ui.visit_actions.VisitActions`: open, create, edit, duplicate, cancel, delete;
* :class:`ui.package_actions.PackageActions`: import and export (also by drag and drop);
* :class:`ui.reply_actions.ReplyActions`: replies fetched, or dropped as .eml/.ics files.

Start-up is progressive.  The window first paints its frame with the few Qt classes that
needs; then it builds its pages, shows the visits list read straight from the database
file (``StartupController.peek_visits``, no SQLAlchemy) and has the database layer open
in the background.  Until ``services_ready`` what needs the services is disabled or
waits; :attr:`MainWindow.services` then holds them.  Modules only some actions need
(dialogs) are imported by those actions.

PySide6 builds the ``Qt`` namespace (about a hundred enums) the first time it is looked
up, which alone takes about as long as a sixth of a bare window's start; so this module
and the others on the way to the first paint (``ui.app``, ``ui.startup``, ``ui.icons``,
``ui.tasks``) name it as ``QtCore.Qt`` inside functions that run later, never at import.
A test checks that the frame paints before the namespace is built.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QPalette, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from protocol_app import config
from protocol_app.errors import ProtocolError, StaleWriteError
from ui.dialogs.confirm import UnsavedChoice, ask_unsaved_changes
from ui.dialogs.errors import show_error
from ui.icons import app_icon, icon, is_dark
from ui.startup import StartupController

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QMenu

    from protocol_app.services import Services
    from protocol_app.services.values import VisitSummary
    from ui.actions import WindowActions
    from ui.package_actions import PackageActions
    from ui.pages.visit_commands import VisitCommands
    from ui.pages.visits import VisitsPage
    from ui.pages.welcome import WelcomePage
    from ui.reply_actions import ReplyActions
    from ui.visit_actions import VisitActions

APP_TITLE = "Protocol Desk"


def default_settings() -> QSettings:
    """The window's own settings file, beside the app's settings (PROTOCOL_APP_HOME
    applies, so tests and portable installs keep it private)."""
    return QSettings(str(config.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def _centered(widget: QWidget, name: str) -> QWidget:
    """A page showing ``widget`` in its middle (by stretches: no alignment enum)."""
    page = QWidget()
    page.setObjectName(name)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    column = QVBoxLayout(page)
    column.addStretch(1)
    column.addLayout(row)
    column.addStretch(1)
    return page


class MainWindow(QMainWindow):
    """The one window of the app."""

    #: The window was painted for the first time; what can wait until then (the log
    #: file, the bundled fonts) is set up by whoever listens, before the pages are built.
    first_painted = Signal()
    #: The visits list was loaded (after the first paint, and after each reload): the
    #: number of visits.
    visits_loaded = Signal(int)
    #: The database layer is open (at start-up it opens in the background).
    database_opened = Signal()
    #: The database could not be opened (a ProtocolError); the app reports it and quits.
    database_failed = Signal(object)
    #: A package import finished: the report, or the error.
    import_finished = Signal(object)

    PAGE_WELCOME, PAGE_VISITS, PAGE_VISIT, PAGE_PEOPLE = "welcome", "visits", "visit", "people"

    # Built once the window has painted (see _build_contents).
    visit_actions: VisitActions
    package_actions: PackageActions
    reply_actions: ReplyActions
    menu_actions: WindowActions
    welcome_page: WelcomePage
    visits_page: VisitsPage
    db_label: QLabel
    #: The undoable visit commands; they exist once the services are open.
    commands: VisitCommands

    def __init__(self, services: Services | StartupController,
                 settings: QSettings | None = None, parent: QWidget | None = None, *,
                 progressive: bool = False) -> None:
        """The window over ``services``, open already or opened by a start-up controller.
        With ``progressive`` (the app's start-up) only the frame is built now, the pages
        once the window has painted; otherwise everything is built at once (tests,
        screenshots)."""
        super().__init__(parent)
        self.startup = (services if isinstance(services, StartupController)
                        else StartupController.already_open(services))
        #: The open services; None until the start-up controller has opened them.
        self.services: Services | None = None
        self.startup.services_ready.connect(self._services_ready)
        self.startup.services_failed.connect(self._services_failed)
        self.settings = settings if settings is not None else default_settings()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.workspace: Any = None
        self.people_page: Any = None
        self._visit_count = 0
        self._peeked = False
        self._ready_shown = False

        self.setObjectName("mainWindow")
        self.setWindowTitle(f"{APP_TITLE}[*]")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(QSize(960, 600))

        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.loading_page = _centered(QLabel("Loading the visits…"), "loadingPage")
        self.stack.addWidget(self.loading_page)
        self._build_sidebar()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setObjectName("sidebarLine")
        pal = line.palette()
        pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.Mid))
        line.setPalette(pal)
        row.addWidget(line)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.menus: dict[str, QMenu] = {name: self._menu(title, name) for name, title in (
            ("menuFile", "&File"), ("menuEdit", "&Edit"), ("menuVisit", "&Visit"),
            ("menuGo", "&Go"), ("menuHelp", "&Help"))}
        self.statusBar().setSizeGripEnabled(True)
        geometry = self.settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1440, 900)

        self._built = False
        if not progressive:
            self._build_contents()
        # The list (and the database itself) is read only once the window has painted.
        self._painted = False
        self._awaiting_paint = False
        QTimer.singleShot(0, self._start_first_load)

    # -- building ------------------------------------------------------------------
    def _menu(self, title: str, name: str) -> QMenu:
        menu = self.menuBar().addMenu(title)
        menu.setObjectName(name)
        return menu

    def _build_contents(self) -> None:
        """The pages, actions and menus (once)."""
        if self._built:
            return
        self._built = True
        from ui.actions import WindowActions
        from ui.look import secondary
        from ui.package_actions import PackageActions
        from ui.reply_actions import ReplyActions
        from ui.visit_actions import VisitActions

        self.visit_actions = VisitActions(self)
        self.package_actions = PackageActions(self)
        self.reply_actions = ReplyActions(self)  # after the packages: its drops go first
        self._build_pages()
        self.menu_actions = WindowActions(self)
        self.db_label = QLabel()
        self.db_label.setObjectName("databaseLabel")
        secondary(self.db_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)
        if self.startup.is_ready():
            self._attach_services()
        self.show_page(self.PAGE_VISITS)
        self.stack.removeWidget(self.loading_page)
        self.loading_page.deleteLater()
        self.visits_page.empty_label.setText("Loading the visits…")
        self.visits_page.body.setCurrentWidget(self.visits_page.empty_label)

    def _build_pages(self) -> None:
        from ui.pages.visits import VisitsPage
        from ui.pages.welcome import WelcomePage

        office = config.Settings.load().office_name
        visits, packages = self.visit_actions, self.package_actions
        self.welcome_page = WelcomePage(office, self)
        self.welcome_page.open_samples.connect(lambda: self.when_ready(packages.open_samples))
        self.welcome_page.import_package.connect(
            lambda: self.when_ready(packages.import_package))
        self.welcome_page.new_visit.connect(lambda: self.when_ready(visits.new_visit))
        self.visits_page = VisitsPage(self)
        self.visits_page.open_requested.connect(
            lambda visit_id: self.when_ready(lambda: visits.open_visit(visit_id)))
        self.visits_page.selection_changed.connect(self.update_actions)
        self.visits_page.new_button.clicked.connect(lambda: self.when_ready(visits.new_visit))
        self.stack.addWidget(self.welcome_page)
        self.stack.addWidget(self.visits_page)

    def _build_sidebar(self) -> None:
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Navigation")
        self.sidebar.setFrameShape(QFrame.Shape.NoFrame)
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(208)
        self.sidebar.setSpacing(1)
        # Selection colours come from the palette (palette(...) follows light/dark mode).
        self.sidebar.setStyleSheet(
            "QListWidget#sidebar { border: none; padding-top: 10px; }"
            "QListWidget#sidebar::item { padding: 6px 8px; margin: 0 8px; border-radius: 6px;"
            " color: palette(window-text); }"
            "QListWidget#sidebar::item:hover { background: palette(midlight); }"
            "QListWidget#sidebar::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }")
        self._tint_sidebar()
        self.nav_items: dict[str, QListWidgetItem] = {}
        for key, text, icon_name, tip in (
            (self.PAGE_VISITS, "Visits", "visits", "All visits (Ctrl+1)"),
            (self.PAGE_VISIT, "", "calendar", "The open visit (Ctrl+2)"),
            (self.PAGE_PEOPLE, "People", "people", "Everyone on record (Ctrl+3)"),
        ):
            item = QListWidgetItem(icon(icon_name), text)
            item.setToolTip(tip)
            item.setSizeHint(QSize(0, 38))
            self.sidebar.addItem(item)
            self.nav_items[key] = item
        self.nav_items[self.PAGE_VISIT].setHidden(True)
        self.sidebar.setCurrentItem(self.nav_items[self.PAGE_VISITS])

    def _tint_sidebar(self) -> None:
        """The sidebar's background: the window colour, a shade darker (or lighter in dark
        mode), so navigation reads as its own area."""
        pal = QApplication.palette()  # a copy (QPalette(...) would build the Qt namespace)
        window = pal.color(QPalette.ColorRole.Window)
        pal.setColor(QPalette.ColorRole.Base, window.lighter(125) if is_dark(pal)
                     else window.darker(106))
        self.sidebar.setPalette(pal)

    def changeEvent(self, event: QEvent) -> None:
        """Follow the system when it switches between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange and hasattr(self, "sidebar"):
            self._tint_sidebar()

    # -- services ------------------------------------------------------------------
    def require_services(self) -> Services:
        """The open services (what calls this is enabled only once they are)."""
        if self.services is None:
            raise RuntimeError("The database is still opening; this waits for "
                               "database_opened.")
        return self.services

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Call ``callback()`` now if the services are open, else once they are."""
        self.startup.when_ready(lambda _services: callback())

    def _attach_services(self) -> None:
        """Take the services the controller opened; build what works on them."""
        if self.services is not None:
            return
        from ui.pages.visit_commands import VisitCommands

        services = self.startup.services
        assert services is not None
        self.services = services
        self.commands = VisitCommands(services, self.undo_stack, self)
        self.commands.changed.connect(self._data_changed)
        self.commands.created.connect(lambda _id: self.reload_visits())
        self.commands.failed.connect(self._command_failed)

    def _services_ready(self) -> None:
        """The database layer is open: read the list if it was not peeked, name the
        database in the status bar, reopen the last visit."""
        if not self._built or self._ready_shown:
            return  # _first_load takes them once the pages are built
        self._ready_shown = True
        self._attach_services()
        if not self._peeked:
            self.reload_visits()
            self._restore_selection()
        db = self.require_services().db
        db_path = getattr(db, "path", None)
        self.db_label.setText(f"Database: {db_path}" if db_path else "")
        if getattr(db, "read_only", False):  # a viewer's login on the office's server
            self.db_label.setText("Read only: your database login may not change anything")
        if warning := getattr(db, "storage_warning", None):
            self.db_label.setText(f"⚠ {self.db_label.text()}")
            self.db_label.setToolTip(warning)
            self.statusBar().showMessage(warning, 30000)
        self.update_actions()
        self._watch_changes()
        self.database_opened.emit()
        if self.settings.value("session/lastPage", self.PAGE_VISITS) == self.PAGE_VISIT and (
                (last_id := self._last_visit_id()) is not None
                and self.current_page() == self.PAGE_VISITS
                and self.visits_page.model.row_of(last_id) is not None):
            self.visit_actions.open_visit(last_id)

    def _watch_changes(self) -> None:
        """Show what other workstations change (``ui/live_updates.py``)."""
        from ui.live_updates import LiveUpdates

        try:
            self.live_updates: Any = LiveUpdates(self)
        except Exception as exc:  # the window works without them (F5 reads again)
            self.statusBar().showMessage(f"Live updates are off: {exc}", 10000)

    def _services_failed(self, error: BaseException, details: str) -> None:
        if isinstance(error, ProtocolError):
            self.database_failed.emit(error)
        else:
            show_error(self, "The database could not be opened", error, details)

    # -- pages ---------------------------------------------------------------------
    def ensure_workspace(self) -> Any:
        """The open visit's page (built on first use)."""
        if self.workspace is None:
            from ui.pages.visit_workspace import VisitWorkspace

            self.workspace = VisitWorkspace(self.require_services(), self.undo_stack,
                                            self.commands, self)
            self.workspace.back_requested.connect(lambda: self.navigate(self.PAGE_VISITS))
            self.workspace.visit_gone.connect(self.visit_actions.visit_gone)
            self.workspace.visit_changed.connect(lambda _id: self.visit_actions.visit_shown())
            self.workspace.dirty_changed.connect(self.update_actions)
            self.stack.addWidget(self.workspace)
        return self.workspace

    def _ensure_people(self) -> Any:
        if self.people_page is None:
            from ui.pages.people import PeoplePage

            self.people_page = PeoplePage(self.require_services(), self.undo_stack, self)
            self.stack.addWidget(self.people_page)
        return self.people_page

    def current_page(self) -> str:
        """Which page is shown: welcome, visits, visit or people."""
        if not self._built:
            return self.PAGE_VISITS  # still loading it
        widget = self.stack.currentWidget()
        if widget is self.welcome_page:
            return self.PAGE_WELCOME
        if widget is self.visits_page:
            return self.PAGE_VISITS
        if self.workspace is not None and widget is self.workspace:
            return self.PAGE_VISIT
        return self.PAGE_PEOPLE

    def navigate(self, page: str) -> None:
        """Show a page (Visits shows the welcome page while there are no visits; People
        waits until the services are open)."""
        if page == self.PAGE_VISIT and (self.workspace is None or self.workspace.visit is None):
            page = self.PAGE_VISITS
        if page == self.PAGE_PEOPLE and self.services is None:
            self.when_ready(lambda: self.navigate(page))
            return
        if page == self.PAGE_VISIT and self.current_page() != self.PAGE_VISIT:
            self.workspace.refresh()
        self.show_page(page)

    def show_page(self, page: str) -> None:
        """Show a page as it is (see :meth:`navigate`)."""
        if page in (self.PAGE_VISITS, self.PAGE_WELCOME):
            loaded = self.visits_page.is_loaded()
            page = self.PAGE_WELCOME if loaded and self._visit_count == 0 else self.PAGE_VISITS
        widget = {self.PAGE_WELCOME: self.welcome_page, self.PAGE_VISITS: self.visits_page}.get(
            page)
        if page == self.PAGE_VISIT:
            widget = self.ensure_workspace()
        elif page == self.PAGE_PEOPLE:
            widget = self._ensure_people()
        self.stack.setCurrentWidget(widget)
        nav = self.PAGE_VISITS if page == self.PAGE_WELCOME else page
        item = self.nav_items[nav]
        if self.sidebar.currentItem() is not item:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentItem(item)
            self.sidebar.blockSignals(False)
        if page == self.PAGE_WELCOME:
            self.welcome_page.focus_first()
        self.update_actions()
        self.update_title()

    def _sidebar_changed(self, current: QListWidgetItem | None, _previous: Any) -> None:
        if current is not None:
            self.navigate(next(key for key, item in self.nav_items.items()
                               if item is current))

    # -- loading -------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        """Notes the first paint, after which the visits are read."""
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            if self._awaiting_paint:
                self._awaiting_paint = False
                QTimer.singleShot(0, self._first_load)
        return super().event(event)

    def _start_first_load(self) -> None:
        if self.isVisible() and not self._painted:
            self._awaiting_paint = True  # the first paint starts the load
        else:
            self._first_load()

    def _first_load(self) -> None:
        """After the first paint: build the pages, show the visits, open the database.

        The list is read straight from the file when it can be (``peek_visits``); the
        database layer then opens in the background, so the list is usable at once.
        Otherwise (a new, older or unreadable database) the list follows the opening."""
        self.first_painted.emit()
        self._build_contents()
        rows = self.startup.peek_visits()
        if rows is not None:
            self._peeked = True
            self._show_visits(rows)
            self._restore_selection()
        if self.startup.is_ready():
            self._services_ready()
        else:
            self.startup.start()

    def _last_visit_id(self) -> int | None:
        last = self.settings.value("session/lastVisit")
        try:
            return int(last) if last not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def _restore_selection(self) -> None:
        """Select the visit that was selected or open when the app last closed."""
        last_id = self._last_visit_id()
        if last_id is not None and self.visits_page.model.row_of(last_id) is not None:
            self.visits_page.select_visit(last_id)
        if self.current_page() == self.PAGE_VISITS:
            self.visits_page.table.setFocus()

    def reload_visits(self) -> list[VisitSummary]:
        """Read the visits list again (keeps the selection and the filters)."""
        try:
            rows = self.require_services().visits.list()
        except ProtocolError as exc:
            show_error(self, "Cannot read the visits", exc)
            return []
        self._show_visits(rows)
        return rows

    def _show_visits(self, rows: list[VisitSummary]) -> None:
        self._visit_count = len(rows)
        self.visits_page.set_visits(rows)
        self._show_review_states(rows)
        if self.current_page() in (self.PAGE_VISITS, self.PAGE_WELCOME):
            self.show_page(self.PAGE_VISITS)
        self.statusBar().showMessage(f"{len(rows)} visit{'s' if len(rows) != 1 else ''}", 3000)
        self.visits_loaded.emit(len(rows))

    def _show_review_states(self, rows: list[VisitSummary]) -> None:
        """The visits list's risk review column (once the database is open)."""
        if self.services is None:
            return
        try:
            reviews = self.services.reviews.many(r.id for r in rows)
        except ProtocolError:
            return  # the column stays empty; the Review tab says why
        self.visits_page.model.set_review_states(
            {vid: review.state_label for vid, review in reviews.items()})

    def refresh_all(self) -> None:
        """F5: read the list and the open visit again."""
        self.reload_visits()
        if self.workspace is not None and self.workspace.visit is not None:
            self.workspace.refresh()
        if self.people_page is not None:
            reload_people = getattr(self.people_page, "apply_search", None)
            if callable(reload_people):
                reload_people()

    def _data_changed(self, visit_id: int | None) -> None:
        self.reload_visits()
        if self.workspace is not None and self.workspace.visit is not None and (
                visit_id is None or visit_id == self.workspace.visit.id):
            self.workspace.refresh()
        self.update_actions()

    def _command_failed(self, error: ProtocolError) -> None:
        from ui.dialogs.stale import handle_stale_write

        if isinstance(error, StaleWriteError):
            handle_stale_write(self, error, self.refresh_all)
        else:
            show_error(self, "Could not undo or redo", error)
        self.refresh_all()

    # -- editing -------------------------------------------------------------------
    def save(self) -> bool:
        """Ctrl+S: save the page's unsaved edits."""
        if self.current_page() == self.PAGE_VISIT and self.workspace is not None:
            ok = self.workspace.save()
            if ok:
                self.statusBar().showMessage("Saved", 3000)
            return ok
        if self.current_page() == self.PAGE_PEOPLE:
            saver = getattr(self.people_page, "save", None)
            if callable(saver):
                return saver() is not False
        return True

    def focus_filter(self) -> None:
        """Ctrl+F: search people on the People page, else filter the visits."""
        if self.current_page() == self.PAGE_PEOPLE and self.people_page is not None:
            self.people_page.focus_search()
            return
        if self.current_page() != self.PAGE_VISITS:
            self.navigate(self.PAGE_VISITS)
        if self.current_page() == self.PAGE_VISITS:
            self.visits_page.focus_filter()

    # -- state ---------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        """Whether any page holds edits not saved yet."""
        if self.workspace is not None and self.workspace.has_unsaved_changes():
            return True
        check = getattr(self.people_page, "has_unsaved_changes", None)
        return bool(check()) if callable(check) else False

    def update_title(self) -> None:
        """The window title names the page (and marks unsaved edits)."""
        page = self.current_page()
        if page == self.PAGE_VISIT and self.workspace.visit is not None:
            self.setWindowTitle(f"{self.workspace.visit.title}[*] — {APP_TITLE}")
        elif page == self.PAGE_PEOPLE:
            self.setWindowTitle(f"People[*] — {APP_TITLE}")
        else:
            self.setWindowTitle(f"{APP_TITLE}[*]")
        self.setWindowModified(self.has_unsaved_changes())

    def update_actions(self, *_args: object) -> None:
        """Enable the actions that apply now (see :meth:`WindowActions.update`)."""
        if hasattr(self, "menu_actions"):
            self.menu_actions.update()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Never lose unsaved edits: ask (Save / Discard / Cancel) first."""
        if self.workspace is not None and self.workspace.visit is not None and (
                not self.workspace.maybe_leave(f"“{self.workspace.visit.title}”")):
            event.ignore()
            return
        people_dirty = getattr(self.people_page, "has_unsaved_changes", None)
        if callable(people_dirty) and people_dirty():
            saver = getattr(self.people_page, "save", None)
            choice = ask_unsaved_changes(self, "People", can_save=callable(saver))
            if choice is UnsavedChoice.CANCEL or (
                    choice is UnsavedChoice.SAVE and callable(saver) and saver() is False):
                event.ignore()
                return
        self.save_state()
        if (live := getattr(self, "live_updates", None)) is not None:
            live.stop()
        event.accept()

    def save_state(self) -> None:
        """Remember the geometry and the open visit for the next start."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        if not self._built:
            return
        page = self.current_page()
        self.settings.setValue("session/lastPage", page)
        if self.workspace is not None and self.workspace.visit is not None:
            self.settings.setValue("session/lastVisit", self.workspace.visit.id)
        elif page == self.PAGE_VISITS and (selected := self.visits_page.selected_visit()):
            self.settings.setValue("session/lastVisit", selected.id)
        with contextlib.suppress(Exception):
            self.settings.sync()


def show_main_window(services: Services | StartupController,
                     settings: QSettings | None = None) -> MainWindow:
    """Build and show the main window (the visits load in the next event-loop turn)."""
    window = MainWindow(services, settings)
    window.show()
    return window
