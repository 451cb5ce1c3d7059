"""The main window: navigation (Visits, the open visit, People), menus, undo/redo,
importing and exporting packages (also by drag and drop), and the state kept between
sessions (geometry, the last open visit).

Start-up is progressive.  The window first paints its frame (sidebar, menu bar, status
bar) with the few Qt classes that needs; then it builds its pages, shows the visits list
read straight from the database file (``services.peek_visits()``, no SQLAlchemy) and
opens the database layer in the background.  Modules only some actions need (dialogs)
are imported by those actions.

PySide6 builds the ``Qt`` namespace (about a hundred enums) the first time it is looked
up, which alone takes about as long as a sixth of a bare window's start; so this module
and the others on the way to the first paint (``ui.app``, ``ui.icons``, ``ui.tasks``)
name it as ``QtCore.Qt`` inside functions that run later, never at import.  A test
checks that the frame paints before the namespace is built.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
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
from protocol_app.errors import NotFoundError, ProtocolError, StaleWriteError, ValidationError
from ui.dialogs.confirm import UnsavedChoice, ask_unsaved_changes, confirm
from ui.dialogs.errors import show_error
from ui.icons import app_icon, icon, is_dark
from ui.tasks import run_task

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QMessageBox

    from protocol_app.services.values import VisitRecord, VisitSummary

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


def is_package_file(path: str | Path) -> bool:
    """Whether a dropped file looks like a visit package."""
    return str(path).lower().endswith(".json")


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

    def __init__(self, services: Any, settings: QSettings | None = None,
                 parent: QWidget | None = None, *, progressive: bool = False) -> None:
        """The window over ``services``.  With ``progressive`` (the app's start-up) only
        the frame is built now, the pages once the window has painted; otherwise
        everything is built at once (tests, screenshots)."""
        super().__init__(parent)
        self.services = services
        self.settings = settings if settings is not None else default_settings()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.workspace: Any = None
        self.people_page: Any = None
        self._visit_count = 0
        self._restored = False
        self._tasks = 0
        self.last_import_dialog: QWidget | None = None

        self.setObjectName("mainWindow")
        self.setWindowTitle(f"{APP_TITLE}[*]")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
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
        self.menus = {name: self._menu(title, name) for name, title in (
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
    def _menu(self, title: str, name: str) -> Any:
        menu = self.menuBar().addMenu(title)
        menu.setObjectName(name)
        return menu

    def _build_contents(self) -> None:
        """The pages, actions and menus (once)."""
        if self._built:
            return
        self._built = True
        from ui.look import secondary
        from ui.pages.visit_commands import VisitCommands

        self.commands = VisitCommands(self.services, self.undo_stack, self)
        self.commands.changed.connect(self._data_changed)
        self.commands.created.connect(lambda _id: self.reload_visits())
        self.commands.failed.connect(self._command_failed)
        self._build_pages()
        self._build_actions()
        self._build_menus()
        self._wire_outputs()
        self.db_label = QLabel()
        self.db_label.setObjectName("databaseLabel")
        secondary(self.db_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)
        self._show_page(self.PAGE_VISITS)
        self.stack.removeWidget(self.loading_page)
        self.loading_page.deleteLater()
        self.visits_page.empty_label.setText("Loading the visits…")
        self.visits_page.body.setCurrentWidget(self.visits_page.empty_label)

    def _build_pages(self) -> None:
        from ui.pages.visits import VisitsPage
        from ui.pages.welcome import WelcomePage

        office = config.Settings.load().office_name
        self.welcome_page = WelcomePage(office, self)
        self.welcome_page.open_samples.connect(self.open_samples)
        self.welcome_page.import_package.connect(lambda: self.import_package())
        self.welcome_page.new_visit.connect(self.new_visit)
        self.visits_page = VisitsPage(self)
        self.visits_page.open_requested.connect(self.open_visit)
        self.visits_page.selection_changed.connect(self._update_actions)
        self.visits_page.new_button.clicked.connect(self.new_visit)
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

    def _action(self, text: str, name: str, slot: Any, *, shortcut: Any = None,
                icon_name: str | None = None, tip: str = "") -> QAction:
        act = QAction(text, self)
        act.setObjectName(name)
        if icon_name:
            act.setIcon(icon(icon_name))
        if shortcut is not None:
            if isinstance(shortcut, list):
                act.setShortcuts(shortcut)
            else:
                act.setShortcut(shortcut)
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        if slot is not None:
            act.triggered.connect(lambda _checked=False: slot())
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        from PySide6.QtGui import QKeySequence  # the window paints before it loads

        key = QKeySequence
        self.act_import = self._action("&Import visit package…", "actionImport",
                                       lambda: self.import_package(),
                                       shortcut=key(key.StandardKey.Open), icon_name="import",
                                       tip="Import a .json visit package (Ctrl+O)")
        self.act_export = self._action("&Export visit package…", "actionExport",
                                       self.export_package, shortcut=key("Ctrl+Shift+E"),
                                       icon_name="export", tip="Write the visit as a package")
        self.act_save = self._action("&Save", "actionSave", self.save,
                                     shortcut=key(key.StandardKey.Save), icon_name="save",
                                     tip="Save the visit's details (Ctrl+S)")
        self.act_reload = self._action("&Reload from database", "actionReload",
                                       self.refresh_all, shortcut=key(key.StandardKey.Refresh),
                                       icon_name="refresh",
                                       tip="Read everything again (changes by others)")
        self.act_preferences = self._action("&Preferences…", "actionPreferences",
                                            self.edit_preferences,
                                            shortcut=[key(key.StandardKey.Preferences),
                                                      key("Ctrl+,")],
                                            icon_name="preferences")
        self.act_quit = self._action("&Quit", "actionQuit", self.close,
                                     shortcut=key(key.StandardKey.Quit))
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setObjectName("actionUndo")
        self.act_undo.setShortcut(key(key.StandardKey.Undo))
        self.act_undo.setIcon(icon("undo"))
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setObjectName("actionRedo")
        redo_keys = [key("Ctrl+Shift+Z")]
        for extra in key.keyBindings(key.StandardKey.Redo):
            if extra not in redo_keys:
                redo_keys.append(extra)
        self.act_redo.setShortcuts(redo_keys)
        self.act_redo.setIcon(icon("redo"))
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.act_find = self._action("&Find…", "actionFind", self.focus_filter,
                                     shortcut=key(key.StandardKey.Find), icon_name="search",
                                     tip="Filter the visits, or search people (Ctrl+F)")

        self.act_new_visit = self._action("&New visit…", "actionNewVisit", self.new_visit,
                                          shortcut=key(key.StandardKey.New), icon_name="add",
                                          tip="Create a visit (Ctrl+N)")
        self.act_open_visit = self._action("&Open", "actionOpenVisit", self._open_selected,
                                           icon_name="open", tip="Open the selected visit")
        self.act_edit_visit = self._action("&Edit details…", "actionEditVisit", self.edit_visit,
                                           shortcut=key("Ctrl+E"), icon_name="edit",
                                           tip="Edit the visit's title, dates and status")
        self.act_duplicate = self._action("&Duplicate as template…", "actionDuplicateVisit",
                                          self.duplicate_visit, shortcut=key("Ctrl+D"),
                                          icon_name="duplicate",
                                          tip="A recurring visit: copy it to new dates")
        self.act_cancel_visit = self._action("&Cancel visit…", "actionCancelVisit",
                                             self.cancel_visit, icon_name="cancel",
                                             tip="Mark the visit cancelled (kept on record)")
        self.act_delete_visit = QAction(icon("delete"), "De&lete visit…", self)
        self.act_delete_visit.setObjectName("actionDeleteVisit")
        self.act_delete_visit.setShortcut(key(key.StandardKey.Delete))
        self.act_delete_visit.setShortcutContext(
            QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_delete_visit.triggered.connect(lambda _c=False: self.delete_visit())
        self.visits_page.table.addAction(self.act_delete_visit)
        self.act_delete_visit.setStatusTip("Delete the visit for good (a copy is kept)")

        # Wired by the lead to the invites, calendar and briefing dialogs.
        self.act_send_invites = QAction(icon("mail"), "Send &invites…", self)
        self.act_send_invites.setObjectName("actionSendInvites")
        self.act_export_calendar = QAction(icon("calendar"), "Export &calendar…", self)
        self.act_export_calendar.setObjectName("actionExportCalendar")
        self.act_briefing = QAction(icon("book"), "&Briefing book…", self)
        self.act_briefing.setObjectName("actionBriefingBook")
        for act in (self.act_send_invites, self.act_export_calendar, self.act_briefing):
            act.setEnabled(False)
        self._wired_visit_actions: list[QAction] = []

        self.act_go_visits = self._action("&Visits", "actionGoVisits",
                                          lambda: self.navigate(self.PAGE_VISITS),
                                          shortcut=key("Ctrl+1"), icon_name="visits")
        self.act_go_visit = self._action("Open &visit", "actionGoVisit",
                                         lambda: self.navigate(self.PAGE_VISIT),
                                         shortcut=key("Ctrl+2"), icon_name="calendar")
        self.act_go_people = self._action("&People", "actionGoPeople",
                                          lambda: self.navigate(self.PAGE_PEOPLE),
                                          shortcut=key("Ctrl+3"), icon_name="people")
        self.act_back = self._action("&Back to visits", "actionBack",
                                     lambda: self.navigate(self.PAGE_VISITS),
                                     shortcut=key(key.StandardKey.Back), icon_name="back")
        self.act_about = self._action(f"&About {APP_TITLE}", "actionAbout", self.about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.act_logs = self._action("Open the &log folder", "actionOpenLogs",
                                     self.open_log_folder)

        self.visits_page.add_actions([self.act_open_visit, self.act_edit_visit,
                                      self.act_duplicate, None, self.act_cancel_visit,
                                      self.act_delete_visit, None, self.act_export])
        self.undo_stack.cleanChanged.connect(self._update_actions)
        self._update_actions()

    def _build_menus(self) -> None:
        file_menu = self.menus["menuFile"]
        for act in (self.act_import, self.act_export, None, self.act_save, self.act_reload, None,
                    self.act_preferences, None, self.act_quit):
            file_menu.addSeparator() if act is None else file_menu.addAction(act)
        edit_menu = self.menus["menuEdit"]
        self.edit_menu = edit_menu
        for act in (self.act_undo, self.act_redo, None, self.act_find):
            edit_menu.addSeparator() if act is None else edit_menu.addAction(act)
        visit_menu = self.menus["menuVisit"]
        for act in (self.act_new_visit, self.act_open_visit, self.act_edit_visit,
                    self.act_duplicate, None, self.act_cancel_visit, self.act_delete_visit, None,
                    self.act_export_calendar, self.act_send_invites, self.act_briefing):
            visit_menu.addSeparator() if act is None else visit_menu.addAction(act)
        self.visit_menu = visit_menu
        go_menu = self.menus["menuGo"]
        for act in (self.act_go_visits, self.act_go_visit, self.act_go_people, None,
                    self.act_back):
            go_menu.addSeparator() if act is None else go_menu.addAction(act)
        help_menu = self.menus["menuHelp"]
        help_menu.addAction(self.act_logs)
        help_menu.addAction(self.act_about)

    def wire_visit_action(self, action: QAction, handler: Any) -> None:
        """Connect one of the Visit menu's placeholders (Send invites…, Export calendar…,
        Briefing book…) to ``handler(visit_id)``; it is enabled whenever a visit is open
        or selected."""
        action.triggered.connect(lambda _checked=False: (
            handler(vid) if (vid := self.current_visit_id()) is not None else None))
        if action not in self._wired_visit_actions:
            self._wired_visit_actions.append(action)
        self._update_actions()

    def _wire_outputs(self) -> None:
        """Connect the Visit menu's outputs.  Their modules (icalendar, reportlab) load
        only when first used, never on the way to the first painted window."""

        def send_invites(visit_id: int) -> None:
            from ui.dialogs.send_invites import SendInvitesDialog

            SendInvitesDialog(self.services, visit_id, self).open()

        def export_calendar(visit_id: int) -> None:
            from ui.dialogs.send_invites import export_calendar as export

            export(self.services, visit_id, self)

        def briefing(visit_id: int) -> None:
            from ui.dialogs.briefing import BriefingDialog

            BriefingDialog(self.services, visit_id, self).open()

        def precedence(visit_id: int) -> None:
            from ui.dialogs.precedence_table import PrecedenceOverridesDialog

            PrecedenceOverridesDialog(self.services, visit_id, self).open()

        def precedence_table() -> None:
            from ui.dialogs.precedence_table import PrecedenceTableDialog

            PrecedenceTableDialog(self.services, self).open()

        def travel_times() -> None:
            if self.workspace is not None and self.workspace.visit is not None:
                self.workspace.findings.edit_travel_times()  # its checks follow each change
                return
            from ui.dialogs.travel_times import TravelTimesDialog

            TravelTimesDialog(self.services, self).open()

        self.act_precedence = QAction(icon("star"), "Order of &precedence…", self)
        self.act_precedence.setObjectName("actionPrecedence")
        self.act_precedence_table = QAction("Precedence &table…", self)
        self.act_precedence_table.setObjectName("actionPrecedenceTable")
        self.act_precedence_table.triggered.connect(lambda _c=False: precedence_table())
        self.act_travel_times = QAction("&Travel times between venues…", self)
        self.act_travel_times.setObjectName("actionTravelTimes")
        self.act_travel_times.setStatusTip("The minutes between venues that the clash checks "
                                           "allow")
        self.act_travel_times.triggered.connect(lambda _c=False: travel_times())
        self.visit_menu.addSeparator()
        self.visit_menu.addAction(self.act_precedence)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.act_precedence_table)
        self.edit_menu.addAction(self.act_travel_times)
        self.wire_visit_action(self.act_precedence, precedence)
        self.wire_visit_action(self.act_send_invites, send_invites)
        self.wire_visit_action(self.act_export_calendar, export_calendar)
        self.wire_visit_action(self.act_briefing, briefing)

    # -- pages ---------------------------------------------------------------------
    def _ensure_workspace(self) -> Any:
        if self.workspace is None:
            from ui.pages.visit_workspace import VisitWorkspace

            self.workspace = VisitWorkspace(self.services, self.undo_stack, self.commands, self)
            self.workspace.back_requested.connect(lambda: self.navigate(self.PAGE_VISITS))
            self.workspace.visit_gone.connect(self._visit_gone)
            self.workspace.visit_changed.connect(lambda _id: self._visit_shown())
            self.workspace.dirty_changed.connect(self._update_actions)
            self.stack.addWidget(self.workspace)
        return self.workspace

    def _ensure_people(self) -> Any:
        if self.people_page is None:
            from ui.pages.people import PeoplePage

            self.people_page = PeoplePage(self.services, self.undo_stack, self)
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
        """Show a page (Visits shows the welcome page while there are no visits)."""
        if page == self.PAGE_VISIT and (self.workspace is None or self.workspace.visit is None):
            page = self.PAGE_VISITS
        if page == self.PAGE_VISIT and self.current_page() != self.PAGE_VISIT:
            self.workspace.refresh()
        self._show_page(page)

    def _show_page(self, page: str) -> None:
        if page in (self.PAGE_VISITS, self.PAGE_WELCOME):
            loaded = self.visits_page.is_loaded()
            page = self.PAGE_WELCOME if loaded and self._visit_count == 0 else self.PAGE_VISITS
        widget = {self.PAGE_WELCOME: self.welcome_page, self.PAGE_VISITS: self.visits_page}.get(
            page)
        if page == self.PAGE_VISIT:
            widget = self._ensure_workspace()
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
        self._update_actions()
        self._update_title()

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
        database layer then opens in the background, so the list is usable at once."""
        self.first_painted.emit()
        self._build_contents()
        peek = getattr(self.services, "peek_visits", None)
        rows = peek() if callable(peek) else None
        if rows is not None:
            self._show_visits(rows)
            self._restore_selection()
            self._open_database_in_background()
            return
        resolve = getattr(self.services, "resolve", None)
        if callable(resolve):
            try:
                resolve()
            except ProtocolError as exc:
                self.database_failed.emit(exc)
                return
        self.reload_visits()
        self._restore_selection()
        self._database_ready()

    def _open_database_in_background(self) -> None:
        def failed(error: BaseException, details: str) -> None:
            if isinstance(error, ProtocolError):
                self.database_failed.emit(error)
            else:
                show_error(self, "The database could not be opened", error, details)

        run_task(self.services.resolve, on_success=lambda _services: self._database_ready(),
                 on_failure=failed, parent=self)

    def _database_ready(self) -> None:
        """The database layer is open: name it in the status bar, reopen the last visit."""
        db_path = getattr(self.services.db, "path", None)
        self.db_label.setText(f"Database: {db_path}" if db_path else "")
        self.database_opened.emit()
        if self._restored:
            return
        self._restored = True
        if self.settings.value("session/lastPage", self.PAGE_VISITS) == self.PAGE_VISIT and (
                (last_id := self._last_visit_id()) is not None
                and self.current_page() == self.PAGE_VISITS
                and self.visits_page.model.row_of(last_id) is not None):
            self.open_visit(last_id)

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
            rows = self.services.visits.list()
        except ProtocolError as exc:
            show_error(self, "Cannot read the visits", exc)
            return []
        self._show_visits(rows)
        return rows

    def _show_visits(self, rows: list[VisitSummary]) -> None:
        self._visit_count = len(rows)
        self.visits_page.set_visits(rows)
        if self.current_page() in (self.PAGE_VISITS, self.PAGE_WELCOME):
            self._show_page(self.PAGE_VISITS)
        self.statusBar().showMessage(f"{len(rows)} visit{'s' if len(rows) != 1 else ''}", 3000)
        self.visits_loaded.emit(len(rows))

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
        self._update_actions()

    def _command_failed(self, error: ProtocolError) -> None:
        from ui.dialogs.stale import handle_stale_write

        if isinstance(error, StaleWriteError):
            handle_stale_write(self, error, self.refresh_all)
        else:
            show_error(self, "Could not undo or redo", error)
        self.refresh_all()

    # -- visits --------------------------------------------------------------------
    def current_visit_id(self) -> int | None:
        """The visit the Visit menu acts on: the open one, or the one selected."""
        if self.current_page() == self.PAGE_VISIT and self.workspace.visit is not None:
            return self.workspace.visit.id
        selected = self.visits_page.selected_visit()
        return selected.id if selected is not None else None

    def _current_record(self) -> VisitRecord | None:
        visit_id = self.current_visit_id()
        if visit_id is None:
            return None
        try:
            return self.services.visits.get(visit_id)
        except NotFoundError as exc:
            show_error(self, "Visit not found", exc)
            self.reload_visits()
            return None

    def open_visit(self, visit_id: int) -> bool:
        """Open a visit in the workspace (asking about unsaved edits of another one)."""
        ws = self._ensure_workspace()
        if ws.visit is not None and ws.visit.id != visit_id and not ws.maybe_leave(
                f"“{ws.visit.title}”"):
            return False
        try:
            record = self.services.visits.get(visit_id)
        except ProtocolError as exc:
            show_error(self, "Cannot open the visit", exc)
            self.reload_visits()
            return False
        ws.set_visit(record)
        self.nav_items[self.PAGE_VISIT].setHidden(False)
        self._show_page(self.PAGE_VISIT)
        self.visits_page.select_visit(visit_id)
        self.settings.setValue("session/lastVisit", visit_id)
        return True

    def _open_selected(self) -> None:
        selected = self.visits_page.selected_visit()
        if selected is not None:
            self.open_visit(selected.id)

    def _visit_shown(self) -> None:
        if self.workspace is None or self.workspace.visit is None:
            return
        item = self.nav_items[self.PAGE_VISIT]
        title = self.workspace.visit.title
        item.setText(title)
        item.setToolTip(f"{title} (Ctrl+2)")
        self._update_title()
        self._update_actions()

    def _visit_gone(self, visit_id: int) -> None:
        self.nav_items[self.PAGE_VISIT].setHidden(True)
        if self.settings.value("session/lastVisit") in (visit_id, str(visit_id)):
            self.settings.remove("session/lastVisit")
        self.reload_visits()
        self._show_page(self.PAGE_VISITS)
        self.statusBar().showMessage("That visit no longer exists (it was deleted).", 8000)

    def new_visit(self) -> VisitRecord | None:
        """Ctrl+N: create a visit with the dialog, then open it."""
        from ui.dialogs.visit_editor import VisitEditorDialog, system_timezone

        prefs = config.Settings.load()
        rows = self.visits_page.model.rows()
        zone = rows[-1].timezone if rows else system_timezone()
        defaults = {"status": "planned", "timezone": zone,
                    "organizer_name": prefs.organizer_name or prefs.office_name,
                    "organizer_email": prefs.organizer_email,
                    "responsible_officer": prefs.display_name,
                    "start_date": date.today(), "end_date": date.today()}
        dialog = VisitEditorDialog(self.commands.create_visit, defaults=defaults, parent=self)
        self.visit_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        record = dialog.result_value if accepted else None
        dialog.deleteLater()
        self.visit_dialog = None
        if record is not None:
            self.reload_visits()
            self.open_visit(record.id)
            self.statusBar().showMessage(f"Created “{record.title}”", 5000)
            return record
        return None

    def edit_visit(self) -> None:
        """Ctrl+E: edit the visit's details (in place on the Overview tab when open)."""
        from ui.dialogs.visit_editor import VisitEditorDialog

        if self.current_page() == self.PAGE_VISIT and self.workspace.visit is not None:
            self.workspace.show_tab(self.workspace.OVERVIEW)
            self.workspace.overview.form.title.setFocus(
                QtCore.Qt.FocusReason.ShortcutFocusReason)
            return
        record = self._current_record()
        if record is None:
            return
        dialog = VisitEditorDialog(lambda changes: self.commands.edit_visit(record, changes),
                                   record=record, on_stale=self.refresh_all, parent=self)
        self.visit_dialog = dialog
        dialog.exec()
        dialog.deleteLater()
        self.visit_dialog = None

    def duplicate_visit(self) -> VisitRecord | None:
        """Ctrl+D: copy a visit as a template to a new start date, and open the copy."""
        from ui.dialogs.visit_editor import DuplicateVisitDialog

        record = self._current_record()
        if record is None:
            return None
        dialog = DuplicateVisitDialog(record, self)
        self.visit_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        start, title = dialog.start_date(), dialog.new_title()
        dialog.deleteLater()
        self.visit_dialog = None
        if not accepted:
            return None
        try:
            copy = self.commands.duplicate_visit(record.id, start, title)
        except ProtocolError as exc:
            show_error(self, "Not duplicated", exc)
            return None
        self.open_visit(copy.id)
        self.statusBar().showMessage(f"Duplicated as “{copy.title}” starting {start}", 6000)
        return copy

    def cancel_visit(self) -> None:
        """Mark the visit cancelled, after confirmation."""
        from ui.dialogs.stale import handle_stale_write

        record = self._current_record()
        if record is None or record.status == "cancelled":
            return
        if not confirm(self, "Cancel visit", f"Mark “{record.title}” as cancelled?",
                       informative="The visit, its delegation and its itinerary stay on "
                       "record; invitations can then be withdrawn. You can undo this with "
                       "Ctrl+Z.", action="Cancel visit"):
            return
        try:
            self.commands.cancel_visit(record)
        except StaleWriteError as exc:
            handle_stale_write(self, exc, self.refresh_all)
        except ProtocolError as exc:
            show_error(self, "Not cancelled", exc)

    def delete_visit(self) -> bool:
        """Delete the visit for good, after confirmation; a package copy is kept."""
        from ui.dialogs.stale import handle_stale_write

        record = self._current_record()
        if record is None:
            return False
        try:  # before asking: a visit still in people's calendars cannot go
            self.services.visits.check_deletable(record.id)
        except ProtocolError as exc:
            show_error(self, "Not deleted", exc)
            return False
        keep = config.data_dir() / "deleted-visits"
        if not confirm(self, "Delete visit", f"Delete “{record.title}” for good?",
                       informative=f"Its itinerary ({len(record.events)} events), delegation "
                       f"({len(record.participants)} people) and gifts are removed. The people "
                       f"stay in People. A copy is kept as a package in {keep}; import it to "
                       "bring the visit back.", action="Delete visit"):
            return False
        try:
            keep.mkdir(parents=True, exist_ok=True, mode=0o700)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            self.services.packages.export_file(record.id, keep / f"{record.public_id}-{stamp}"
                                                                 ".json")
            self.services.visits.delete(record.id, record.version)
        except StaleWriteError as exc:
            handle_stale_write(self, exc, self.refresh_all)
            return False
        except (ProtocolError, OSError) as exc:
            show_error(self, "Not deleted", exc)
            return False
        if self.workspace is not None and self.workspace.visit is not None and (
                self.workspace.visit.id == record.id):
            self.workspace.visit = None
            self.nav_items[self.PAGE_VISIT].setHidden(True)
        if self.settings.value("session/lastVisit") in (record.id, str(record.id)):
            self.settings.remove("session/lastVisit")
        self.reload_visits()
        self._show_page(self.PAGE_VISITS)
        self.statusBar().showMessage(f"Deleted “{record.title}” (copy kept in {keep})", 8000)
        return True

    # -- packages ------------------------------------------------------------------
    def _ask_import_path(self) -> str:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.settings.value("paths/import", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "Import a visit package", start,
                                              "Visit packages (*.json);;All files (*)")
        return path

    def _ask_export_path(self, suggested: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        start = Path(str(self.settings.value("paths/export", str(Path.home())))) / suggested
        path, _ = QFileDialog.getSaveFileName(self, "Export the visit package", str(start),
                                              "Visit packages (*.json)")
        return path

    def import_package(self, path: str | Path | None = None) -> None:
        """Import a package (asks for the file when not given); runs in the background.

        A refused package lists every problem with its path; nothing is imported."""
        if path is None:
            path = self._ask_import_path()
            if not path:
                return
        path = Path(path)
        self.settings.setValue("paths/import", str(path.parent))
        services = self.services
        self._busy(f"Importing {path.name}…")

        def done(report: Any) -> None:
            self._idle()
            self.reload_visits()
            self._show_import_report(report)
            if self.workspace is not None and self.workspace.visit is not None and (
                    self.workspace.visit.id == report.visit_id):
                self.workspace.refresh()
            self.import_finished.emit(report)

        def failed(error: BaseException, details: str) -> None:
            from ui.dialogs.import_errors import show_import_errors

            self._idle()
            if isinstance(error, ValidationError):
                self.last_import_dialog = show_import_errors(self, error, path.name)
            else:
                show_error(self, f"{path.name} was not imported", error, details)
            self.import_finished.emit(error)

        run_task(lambda: services.packages.import_file(path), on_success=done,
                 on_failure=failed, parent=self)

    def _show_import_report(self, report: Any) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        lines = report.lines()
        box = QMessageBox(self)
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
                self.open_visit(visit_id)

        box.finished.connect(lambda _r: finished())
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_import_dialog = box
        return box

    def export_package(self) -> None:
        """Write the current visit as a package file (in the background)."""
        visit_id = self.current_visit_id()
        if visit_id is None:
            return
        try:
            record = self.services.visits.get(visit_id)
        except ProtocolError as exc:
            show_error(self, "Not exported", exc)
            return
        path = self._ask_export_path(f"{record.public_id}.json")
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".json":
            target = target.with_suffix(target.suffix + ".json") if target.suffix else (
                target.with_suffix(".json"))
        self.settings.setValue("paths/export", str(target.parent))
        services = self.services
        self._busy(f"Exporting {record.title}…")

        def done(written: Any) -> None:
            self._idle()
            self.statusBar().showMessage(f"Exported “{record.title}” to {written}", 8000)

        def failed(error: BaseException, details: str) -> None:
            self._idle()
            show_error(self, "Not exported", error, details)

        run_task(lambda: services.packages.export_file(visit_id, target), on_success=done,
                 on_failure=failed, parent=self)

    def open_samples(self) -> None:
        """Load the demo visits in the background, then show the list."""
        from protocol_app.demo import load_demo

        services = self.services
        self.welcome_page.set_busy(True, "Loading the sample visits…")
        self._busy("Loading the sample visits…")

        def done(reports: Any) -> None:
            self._idle()
            self.welcome_page.set_busy(False)
            self.reload_visits()
            self._show_page(self.PAGE_VISITS)
            self.visits_page.table.setFocus()
            self.statusBar().showMessage(f"Loaded {len(reports)} sample visits", 6000)

        def failed(error: BaseException, details: str) -> None:
            self._idle()
            self.welcome_page.set_busy(False)
            show_error(self, "The sample visits could not be loaded", error, details)

        run_task(lambda: load_demo(services), on_success=done, on_failure=failed, parent=self)

    def _busy(self, text: str) -> None:
        self._tasks += 1
        self.statusBar().showMessage(text)

    def _idle(self) -> None:
        self._tasks = max(0, self._tasks - 1)
        if not self._tasks:
            self.statusBar().clearMessage()

    # -- drag and drop -------------------------------------------------------------
    @staticmethod
    def _dropped_packages(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls()
                if url.isLocalFile() and is_package_file(url.toLocalFile())]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept .json files dragged onto the window."""
        if self._dropped_packages(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if self._dropped_packages(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import every dropped package."""
        paths = self._dropped_packages(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        for path in paths:
            self.import_package(path)

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

    def edit_preferences(self) -> None:
        """Edit the preferences; the audit trail uses the new name at once."""
        from ui.dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(parent=self)
        self.preferences_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            actor = dialog.settings.actor
            self.services.actor = actor
            for name in ("people", "visits", "events", "gifts", "audit", "packages"):
                service = getattr(self.services, name, None)
                if service is not None and hasattr(service, "actor"):
                    service.actor = actor
            self.welcome_page.set_office_name(dialog.settings.office_name)
            self.statusBar().showMessage("Preferences saved", 3000)
        dialog.deleteLater()
        self.preferences_dialog = None

    def open_log_folder(self) -> None:
        """Show the folder of the log files in the file manager."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(config.log_dir())))

    def about(self) -> None:
        """The About box."""
        from PySide6.QtWidgets import QMessageBox

        from protocol_app import __version__

        QMessageBox.about(self, f"About {APP_TITLE}",
                          f"<b>{APP_TITLE}</b> {__version__}<br>Visiting delegations, "
                          "dignitaries and itineraries for protocol offices.<br><br>"
                          f"Logs: {config.log_dir()}")

    # -- state ---------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        """Whether any page holds edits not saved yet."""
        if self.workspace is not None and self.workspace.has_unsaved_changes():
            return True
        check = getattr(self.people_page, "has_unsaved_changes", None)
        return bool(check()) if callable(check) else False

    def _update_title(self) -> None:
        page = self.current_page()
        if page == self.PAGE_VISIT and self.workspace.visit is not None:
            self.setWindowTitle(f"{self.workspace.visit.title}[*] — {APP_TITLE}")
        elif page == self.PAGE_PEOPLE:
            self.setWindowTitle(f"People[*] — {APP_TITLE}")
        else:
            self.setWindowTitle(f"{APP_TITLE}[*]")
        self.setWindowModified(self.has_unsaved_changes())

    def _update_actions(self, *_args: object) -> None:
        if not hasattr(self, "act_save"):
            return
        has_visit = self.current_visit_id() is not None
        on_list = self.current_page() == self.PAGE_VISITS
        for act in (self.act_edit_visit, self.act_duplicate, self.act_cancel_visit,
                    self.act_delete_visit, self.act_export, *self._wired_visit_actions):
            act.setEnabled(has_visit)
        self.act_open_visit.setEnabled(on_list and has_visit)
        self.act_save.setEnabled(self.has_unsaved_changes())
        self.act_go_visit.setEnabled(self.workspace is not None and self.workspace.visit
                                     is not None)
        self.setWindowModified(self.has_unsaved_changes())

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


def show_main_window(services: Any, settings: QSettings | None = None) -> MainWindow:
    """Build and show the main window (the visits load in the next event-loop turn)."""
    window = MainWindow(services, settings)
    window.show()
    return window

