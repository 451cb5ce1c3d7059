"""The main window's menus: every QAction, its shortcut, its menu, and when it is enabled.

:class:`WindowActions` builds the actions once the window has painted (QKeySequence and
the ``Qt`` namespace load then, not before).  Their slots are the window's own
(navigation, saving), :class:`ui.visit_actions.VisitActions` and
:class:`ui.package_actions.PackageActions`; the small Help and Preferences handlers live
here.  Actions that need the services stay disabled until they are open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from protocol_app import config
from ui.icons import icon
from ui.main_window import APP_TITLE

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from ui.main_window import MainWindow

key = QKeySequence


class WindowActions(QObject):
    """Every action of the main window and its menus (File, Edit, Visit, Go, Help)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The Visit menu's actions that act on the open or selected visit.
        self.wired_visit_actions: list[QAction] = []
        self._build_file_and_edit()
        self._build_visit()
        self._build_go_and_help()
        self._build_menus()
        self._wire_outputs()
        window.undo_stack.cleanChanged.connect(window.update_actions)
        self.update()

    @property
    def file_menu(self) -> QMenu:
        return self.window.menus["menuFile"]

    @property
    def edit_menu(self) -> QMenu:
        return self.window.menus["menuEdit"]

    @property
    def visit_menu(self) -> QMenu:
        return self.window.menus["menuVisit"]

    def _action(self, text: str, name: str, slot: Callable[[], Any] | None, *,
                shortcut: QKeySequence | list[QKeySequence] | None = None,
                icon_name: str | None = None, tip: str = "") -> QAction:
        """An action of the window (its shortcut works on every page)."""
        act = QAction(text, self.window)
        act.setObjectName(name)
        if icon_name:
            act.setIcon(icon(icon_name))
        if isinstance(shortcut, list):
            act.setShortcuts(shortcut)
        elif shortcut is not None:
            act.setShortcut(shortcut)
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        if slot is not None:
            act.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(act)
        return act

    def _build_file_and_edit(self) -> None:
        w = self.window
        packages = w.package_actions
        self.act_import = self._action("&Import visit package…", "actionImport",
                                       lambda: packages.import_package(),
                                       shortcut=key(key.StandardKey.Open), icon_name="import",
                                       tip="Import a .json visit package (Ctrl+O)")
        self.act_export = self._action("&Export visit package…", "actionExport",
                                       packages.export_package, shortcut=key("Ctrl+Shift+E"),
                                       icon_name="export", tip="Write the visit as a package")
        replies = w.reply_actions
        self.act_fetch_replies = self._action(
            "Fetch &replies", "actionFetchReplies", replies.fetch,
            shortcut=key("Ctrl+Shift+R"), icon_name="mail",
            tip="Read the answers to the invitations from the office's mailbox (Ctrl+Shift+R)")
        self.act_import_replies = self._action(
            "Import replie&s…", "actionImportReplies", replies.ask_and_import,
            icon_name="import",
            tip="Read answers to the invitations from .eml or .ics files (or drop them here)")
        self.act_save = self._action("&Save", "actionSave", w.save,
                                     shortcut=key(key.StandardKey.Save), icon_name="save",
                                     tip="Save the visit's details (Ctrl+S)")
        self.act_reload = self._action("&Reload from database", "actionReload",
                                       w.refresh_all, shortcut=key(key.StandardKey.Refresh),
                                       icon_name="refresh",
                                       tip="Read everything again (changes by others)")
        self.act_preferences = self._action("&Preferences…", "actionPreferences",
                                            self.edit_preferences,
                                            shortcut=[key(key.StandardKey.Preferences),
                                                      key("Ctrl+,")],
                                            icon_name="preferences")
        self.act_restore = self._action("Restore from &backup…", "actionRestoreBackup",
                                        self.restore_backup, icon_name="revert",
                                        tip="Replace the database with one of its backups")
        self.act_quit = self._action("&Quit", "actionQuit", w.close,
                                     shortcut=key(key.StandardKey.Quit))
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.act_undo = w.undo_stack.createUndoAction(w, "&Undo")
        self.act_undo.setObjectName("actionUndo")
        self.act_undo.setShortcut(key(key.StandardKey.Undo))
        self.act_undo.setIcon(icon("undo"))
        self.act_redo = w.undo_stack.createRedoAction(w, "&Redo")
        self.act_redo.setObjectName("actionRedo")
        redo_keys = [key("Ctrl+Shift+Z")]
        for extra in key.keyBindings(key.StandardKey.Redo):
            if extra not in redo_keys:
                redo_keys.append(extra)
        self.act_redo.setShortcuts(redo_keys)
        self.act_redo.setIcon(icon("redo"))
        w.addAction(self.act_undo)
        w.addAction(self.act_redo)
        self.act_find = self._action("&Find…", "actionFind", w.focus_filter,
                                     shortcut=key(key.StandardKey.Find), icon_name="search",
                                     tip="Filter the visits, or search people (Ctrl+F)")

    def _build_visit(self) -> None:
        w = self.window
        visits = w.visit_actions
        self.act_new_visit = self._action("&New visit…", "actionNewVisit", visits.new_visit,
                                          shortcut=key(key.StandardKey.New), icon_name="add",
                                          tip="Create a visit (Ctrl+N)")
        self.act_open_visit = self._action("&Open", "actionOpenVisit", visits.open_selected,
                                           icon_name="open", tip="Open the selected visit")
        self.act_edit_visit = self._action("&Edit details…", "actionEditVisit",
                                           visits.edit_visit, shortcut=key("Ctrl+E"),
                                           icon_name="edit",
                                           tip="Edit the visit's title, dates and status")
        self.act_duplicate = self._action("&Duplicate as template…", "actionDuplicateVisit",
                                          visits.duplicate_visit, shortcut=key("Ctrl+D"),
                                          icon_name="duplicate",
                                          tip="A recurring visit: copy it to new dates")
        self.act_cancel_visit = self._action("&Cancel visit…", "actionCancelVisit",
                                             visits.cancel_visit, icon_name="cancel",
                                             tip="Mark the visit cancelled (kept on record)")
        # Delete works in the visits list only (the Delete key edits text elsewhere).
        self.act_delete_visit = QAction(icon("delete"), "De&lete visit…", w)
        self.act_delete_visit.setObjectName("actionDeleteVisit")
        self.act_delete_visit.setShortcut(key(key.StandardKey.Delete))
        self.act_delete_visit.setShortcutContext(
            QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_delete_visit.triggered.connect(lambda _c=False: visits.delete_visit())
        w.visits_page.table.addAction(self.act_delete_visit)
        self.act_delete_visit.setStatusTip("Delete the visit for good (a copy is kept)")

        # Connected by _wire_outputs to the invites, calendar and briefing dialogs.
        self.act_send_invites = QAction(icon("mail"), "Send &invites…", w)
        self.act_send_invites.setObjectName("actionSendInvites")
        self.act_send_programmes = QAction(icon("mail"), "Send pro&grammes…", w)
        self.act_send_programmes.setObjectName("actionSendProgrammes")
        self.act_send_programmes.setStatusTip("E-mail each guest their itinerary and "
                                              "personal briefing copy, where due")
        self.act_export_calendar = QAction(icon("calendar"), "Export &calendar…", w)
        self.act_export_calendar.setObjectName("actionExportCalendar")
        self.act_briefing = QAction(icon("book"), "&Briefing book…", w)
        self.act_briefing.setObjectName("actionBriefingBook")
        self.act_invitation_cards = QAction(icon("mail"), "Invitation c&ards…", w)
        self.act_invitation_cards.setObjectName("actionInvitationCards")
        self.act_invitation_cards.setStatusTip("Print the invitation cards of an event and "
                                               "its envelope list")
        for act in (self.act_send_invites, self.act_send_programmes, self.act_export_calendar,
                    self.act_briefing, self.act_invitation_cards):
            act.setEnabled(False)
        w.visits_page.add_actions([self.act_open_visit, self.act_edit_visit,
                                   self.act_duplicate, None, self.act_cancel_visit,
                                   self.act_delete_visit, None, self.act_export])

    def _build_go_and_help(self) -> None:
        w = self.window
        self.act_go_visits = self._action("&Visits", "actionGoVisits",
                                          lambda: w.navigate(w.PAGE_VISITS),
                                          shortcut=key("Ctrl+1"), icon_name="visits")
        self.act_go_visit = self._action("Open &visit", "actionGoVisit",
                                         lambda: w.navigate(w.PAGE_VISIT),
                                         shortcut=key("Ctrl+2"), icon_name="calendar")
        self.act_go_people = self._action("&People", "actionGoPeople",
                                          lambda: w.navigate(w.PAGE_PEOPLE),
                                          shortcut=key("Ctrl+3"), icon_name="people")
        self.act_back = self._action("&Back to visits", "actionBack",
                                     lambda: w.navigate(w.PAGE_VISITS),
                                     shortcut=key(key.StandardKey.Back), icon_name="back")
        self.act_about = self._action(f"&About {APP_TITLE}", "actionAbout", self.about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.act_logs = self._action("Open the &log folder", "actionOpenLogs",
                                     self.open_log_folder)

    def _build_menus(self) -> None:
        menus = self.window.menus
        for name, actions in (
            ("menuFile", (self.act_import, self.act_export, None, self.act_fetch_replies,
                          self.act_import_replies, None, self.act_save,
                          self.act_reload, None, self.act_restore, None,
                          self.act_preferences, None, self.act_quit)),
            ("menuEdit", (self.act_undo, self.act_redo, None, self.act_find)),
            ("menuVisit", (self.act_new_visit, self.act_open_visit, self.act_edit_visit,
                           self.act_duplicate, None, self.act_cancel_visit,
                           self.act_delete_visit, None, self.act_export_calendar,
                           self.act_send_invites, self.act_send_programmes,
                           self.act_briefing,
                           self.act_invitation_cards)),
            ("menuGo", (self.act_go_visits, self.act_go_visit, self.act_go_people, None,
                        self.act_back)),
            ("menuHelp", (self.act_logs, self.act_about)),
        ):
            for act in actions:
                menus[name].addSeparator() if act is None else menus[name].addAction(act)

    def wire_visit_action(self, action: QAction, handler: Callable[[int], Any]) -> None:
        """Connect one of the Visit menu's actions (Send invites…, Export calendar…,
        Briefing book…) to ``handler(visit_id)``; it is enabled whenever a visit is open
        or selected."""
        current = self.window.visit_actions.current_visit_id
        action.triggered.connect(lambda _checked=False: (
            handler(vid) if (vid := current()) is not None else None))
        if action not in self.wired_visit_actions:
            self.wired_visit_actions.append(action)
        self.update()

    def _wire_outputs(self) -> None:
        """Connect the Visit menu's outputs.  Their modules (icalendar, reportlab) load
        only when first used, never on the way to the first painted window."""
        w = self.window

        def send_invites(visit_id: int) -> None:
            from ui.dialogs.send_invites import SendInvitesDialog

            SendInvitesDialog(w.require_services(), visit_id, w).open()

        def send_programmes(visit_id: int) -> None:
            from ui.dialogs.send_programmes import SendProgrammesDialog

            SendProgrammesDialog(w.require_services(), visit_id, w).open()

        def export_calendar(visit_id: int) -> None:
            from ui.dialogs.send_invites import export_calendar as export

            export(w.require_services(), visit_id, w)

        def briefing(visit_id: int) -> None:
            from ui.dialogs.briefing import BriefingDialog

            BriefingDialog(w.require_services(), visit_id, w).open()

        def invitation_cards(visit_id: int) -> None:
            from ui.dialogs.invitation_cards import InvitationCardsDialog

            InvitationCardsDialog(w.require_services(), visit_id, w).open()

        def precedence(visit_id: int) -> None:
            from ui.dialogs.precedence_table import PrecedenceOverridesDialog

            PrecedenceOverridesDialog(w.require_services(), visit_id, w).open()

        def precedence_table() -> None:
            from ui.dialogs.precedence_table import PrecedenceTableDialog

            PrecedenceTableDialog(w.require_services(), w).open()

        def travel_times() -> None:
            if w.workspace is not None and w.workspace.visit is not None:
                w.workspace.findings.edit_travel_times()  # its checks follow each change
                return
            from ui.dialogs.travel_times import TravelTimesDialog

            TravelTimesDialog(w.require_services(), w).open()

        def controlled_venues() -> None:
            from ui.dialogs.controlled_venues import ControlledVenuesDialog

            dialog = ControlledVenuesDialog(w.require_services(), w)
            if w.workspace is not None:  # the open visit's review follows each tick
                dialog.changed.connect(w.workspace.refresh)
            dialog.open()

        self.act_controlled_venues = QAction("Venues with &controlled technology…", w)
        self.act_controlled_venues.setObjectName("actionControlledVenues")
        self.act_controlled_venues.setStatusTip("The venues a tour of which needs a risk review")
        self.act_controlled_venues.triggered.connect(lambda _c=False: controlled_venues())
        self.act_precedence = QAction(icon("star"), "Order of &precedence…", w)
        self.act_precedence.setObjectName("actionPrecedence")
        self.act_precedence_table = QAction("Precedence &table…", w)
        self.act_precedence_table.setObjectName("actionPrecedenceTable")
        self.act_precedence_table.triggered.connect(lambda _c=False: precedence_table())
        self.act_travel_times = QAction("&Travel times between venues…", w)
        self.act_travel_times.setObjectName("actionTravelTimes")
        self.act_travel_times.setStatusTip("The minutes between venues that the clash checks "
                                           "allow")
        self.act_travel_times.triggered.connect(lambda _c=False: travel_times())
        self.visit_menu.addSeparator()
        self.visit_menu.addAction(self.act_precedence)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.act_precedence_table)
        self.edit_menu.addAction(self.act_travel_times)
        self.edit_menu.addAction(self.act_controlled_venues)
        self.wire_visit_action(self.act_precedence, precedence)
        self.wire_visit_action(self.act_send_invites, send_invites)
        self.wire_visit_action(self.act_send_programmes, send_programmes)
        self.wire_visit_action(self.act_export_calendar, export_calendar)
        self.wire_visit_action(self.act_briefing, briefing)
        self.wire_visit_action(self.act_invitation_cards, invitation_cards)

    def update(self, *_args: object) -> None:
        """Enable what applies to the page, the selection and the edits; what needs the
        services waits until they are open."""
        w = self.window
        if not hasattr(self, "act_travel_times"):
            return  # still being built
        ready = w.services is not None
        has_visit = ready and w.visit_actions.current_visit_id() is not None
        for act in (self.act_edit_visit, self.act_duplicate, self.act_cancel_visit,
                    self.act_delete_visit, self.act_export, *self.wired_visit_actions):
            act.setEnabled(has_visit)
        for act in (self.act_import, self.act_fetch_replies, self.act_import_replies,
                    self.act_new_visit, self.act_reload,
                    self.act_preferences, self.act_go_people, self.act_precedence_table,
                    self.act_travel_times, self.act_controlled_venues):
            act.setEnabled(ready)
        self.act_restore.setEnabled(ready and getattr(w.services.db, "path", None) is not None)
        self.act_open_visit.setEnabled(w.current_page() == w.PAGE_VISITS and has_visit)
        self.act_save.setEnabled(w.has_unsaved_changes())
        self.act_go_visit.setEnabled(w.workspace is not None and w.workspace.visit
                                     is not None)
        w.setWindowModified(w.has_unsaved_changes())

    # -- small handlers --------------------------------------------------------------
    def restore_backup(self) -> None:
        """File → Restore from backup…; then everything shown is read again."""
        from ui.dialogs.restore_backup import RestoreBackupDialog

        w = self.window
        dialog = RestoreBackupDialog.for_services(w.require_services(), w)
        if dialog.exec() and dialog.restored_from is not None:
            w.refresh_all()
            w.statusBar().showMessage(
                f"Restored from {dialog.restored_from.name}; the replaced database is kept "
                f"as {dialog.kept_aside}", 10000)

    def edit_preferences(self) -> None:
        """Edit the preferences; the audit trail uses the new name at once."""
        from ui.dialogs.preferences import PreferencesDialog

        w = self.window
        dialog = PreferencesDialog(parent=w, screening=getattr(w.services, "screening", None))
        self.preferences_dialog: QDialog | None = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            actor = dialog.settings.actor
            services = w.require_services()
            services.actor = actor
            for service in (services.people, services.visits, services.events,
                            services.gifts, services.audit, services.packages):
                if hasattr(service, "actor"):
                    service.actor = actor
            # the mail and mailbox settings saved are used from the next message on
            services.invites.settings = dialog.settings
            services.replies.settings = dialog.settings
            w.welcome_page.set_office_name(dialog.settings.office_name)
            w.statusBar().showMessage("Preferences saved", 3000)
        if dialog.screening_panel is not None and dialog.screening_panel.changed:
            w.refresh_all()  # the reviews' screening warnings and matches
        dialog.deleteLater()
        self.preferences_dialog = None

    @staticmethod
    def open_log_folder() -> None:
        """Show the folder of the log files in the file manager."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(config.log_dir())))

    def about(self) -> None:
        """The About box."""
        from PySide6.QtWidgets import QMessageBox

        from protocol_app import __version__

        QMessageBox.about(self.window, f"About {APP_TITLE}",
                          f"<b>{APP_TITLE}</b> {__version__}<br>Visiting delegations, "
                          "dignitaries and itineraries for protocol offices.<br><br>"
                          f"Logs: {config.log_dir()}")
