"""What the main window does to visits: open, create, edit, duplicate, cancel, delete.

Each use case is a call to the services (through :class:`ui.pages.visit_commands.
VisitCommands` where it can be undone); this module adds only the dialogs around it and
where the window goes next.  The actions run once the services are open (the window
enables them then).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from protocol_app import config
from protocol_app.errors import NotFoundError, ProtocolError, StaleWriteError
from ui.dialogs.confirm import confirm
from ui.dialogs.errors import show_error

if TYPE_CHECKING:
    from protocol_app.services.values import VisitRecord
    from ui.main_window import MainWindow

#: Where a deleted visit's package copy is kept (under the user's data folder).
DELETED_VISITS_FOLDER = "deleted-visits"


class VisitActions(QObject):
    """The Visit menu's use cases, over the main window's pages."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The visit dialog being shown (tests answer it), or None.
        self.visit_dialog: QDialog | None = None

    def current_visit_id(self) -> int | None:
        """The visit the Visit menu acts on: the open one, or the one selected."""
        w = self.window
        if w.current_page() == w.PAGE_VISIT and w.workspace.visit is not None:
            return w.workspace.visit.id
        selected = w.visits_page.selected_visit()
        return selected.id if selected is not None else None

    def current_record(self) -> VisitRecord | None:
        """The current visit as stored now, or None (said, and the list read again, when
        it is gone)."""
        visit_id = self.current_visit_id()
        if visit_id is None:
            return None
        try:
            return self.window.require_services().visits.get(visit_id)
        except NotFoundError as exc:
            show_error(self.window, "Visit not found", exc)
            self.window.reload_visits()
            return None

    def open_visit(self, visit_id: int) -> bool:
        """Open a visit in the workspace (asking about unsaved edits of another one)."""
        w = self.window
        ws = w.ensure_workspace()
        if ws.visit is not None and ws.visit.id != visit_id and not ws.maybe_leave(
                f"“{ws.visit.title}”"):
            return False
        try:
            record = w.require_services().visits.get(visit_id)
        except ProtocolError as exc:
            show_error(w, "Cannot open the visit", exc)
            w.reload_visits()
            return False
        ws.set_visit(record)
        w.nav_items[w.PAGE_VISIT].setHidden(False)
        w.show_page(w.PAGE_VISIT)
        w.visits_page.select_visit(visit_id)
        w.settings.setValue("session/lastVisit", visit_id)
        return True

    def open_selected(self) -> None:
        """Open the visit selected in the list."""
        selected = self.window.visits_page.selected_visit()
        if selected is not None:
            self.open_visit(selected.id)

    def visit_shown(self) -> None:
        """The open visit changed: name it in the sidebar and the title."""
        w = self.window
        if w.workspace is None or w.workspace.visit is None:
            return
        item = w.nav_items[w.PAGE_VISIT]
        title = w.workspace.visit.title
        item.setText(title)
        item.setToolTip(f"{title} (Ctrl+2)")
        w.update_title()
        w.update_actions()

    def visit_gone(self, visit_id: int) -> None:
        """The open visit was deleted (elsewhere): back to the list."""
        w = self.window
        w.nav_items[w.PAGE_VISIT].setHidden(True)
        self._forget_last_visit(visit_id)
        w.reload_visits()
        w.show_page(w.PAGE_VISITS)
        w.statusBar().showMessage("That visit no longer exists (it was deleted).", 8000)

    def new_visit(self) -> VisitRecord | None:
        """Ctrl+N: create a visit with the dialog, then open it."""
        from ui.dialogs.visit_editor import VisitEditorDialog, system_timezone

        w = self.window
        prefs = config.Settings.load()
        rows = w.visits_page.model.rows()
        zone = rows[-1].timezone if rows else system_timezone()
        defaults = {"status": "planned", "timezone": zone,
                    "organizer_name": prefs.organizer_name or prefs.office_name,
                    "organizer_email": prefs.organizer_email,
                    "responsible_officer": prefs.display_name,
                    "start_date": date.today(), "end_date": date.today()}
        dialog = VisitEditorDialog(w.commands.create_visit, defaults=defaults, parent=w)
        self.visit_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        record = dialog.result_value if accepted else None
        dialog.deleteLater()
        self.visit_dialog = None
        if record is not None:
            w.reload_visits()
            self.open_visit(record.id)
            w.statusBar().showMessage(f"Created “{record.title}”", 5000)
            return record
        return None

    def edit_visit(self) -> None:
        """Ctrl+E: edit the visit's details (in place on the Overview tab when open)."""
        from ui.dialogs.visit_editor import VisitEditorDialog

        w = self.window
        if w.current_page() == w.PAGE_VISIT and w.workspace.visit is not None:
            w.workspace.show_tab(w.workspace.OVERVIEW)
            w.workspace.overview.form.title.setFocus(
                QtCore.Qt.FocusReason.ShortcutFocusReason)
            return
        record = self.current_record()
        if record is None:
            return
        dialog = VisitEditorDialog(lambda changes: w.commands.edit_visit(record, changes),
                                   record=record, on_stale=w.refresh_all, parent=w)
        self.visit_dialog = dialog
        dialog.exec()
        dialog.deleteLater()
        self.visit_dialog = None

    def duplicate_visit(self) -> VisitRecord | None:
        """Ctrl+D: copy a visit as a template to a new start date, and open the copy."""
        from ui.dialogs.visit_editor import DuplicateVisitDialog

        w = self.window
        record = self.current_record()
        if record is None:
            return None
        dialog = DuplicateVisitDialog(record, w)
        self.visit_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        start, title = dialog.start_date(), dialog.new_title()
        dialog.deleteLater()
        self.visit_dialog = None
        if not accepted:
            return None
        try:
            copy = w.commands.duplicate_visit(record.id, start, title)
        except ProtocolError as exc:
            show_error(w, "Not duplicated", exc)
            return None
        self.open_visit(copy.id)
        w.statusBar().showMessage(f"Duplicated as “{copy.title}” starting {start}", 6000)
        return copy

    def cancel_visit(self) -> None:
        """Mark the visit cancelled, after confirmation."""
        from ui.dialogs.stale import handle_stale_write

        w = self.window
        record = self.current_record()
        if record is None or record.status == "cancelled":
            return
        if not confirm(w, "Cancel visit", f"Mark “{record.title}” as cancelled?",
                       informative="The visit, its delegation and its itinerary stay on "
                       "record; invitations can then be withdrawn. You can undo this with "
                       "Ctrl+Z.", action="Cancel visit"):
            return
        try:
            w.commands.cancel_visit(record)
        except StaleWriteError as exc:
            handle_stale_write(w, exc, w.refresh_all)
        except ProtocolError as exc:
            show_error(w, "Not cancelled", exc)

    def delete_visit(self) -> bool:
        """Delete the visit for good, after confirmation; the service keeps a package
        copy first (:meth:`protocol_app.services.visits.VisitService.delete`)."""
        from ui.dialogs.stale import handle_stale_write

        w = self.window
        record = self.current_record()
        if record is None:
            return False
        visits = w.require_services().visits
        try:  # before asking: a visit still in people's calendars cannot go
            visits.check_deletable(record.id)
        except ProtocolError as exc:
            show_error(w, "Not deleted", exc)
            return False
        keep = config.data_dir() / DELETED_VISITS_FOLDER
        if not confirm(w, "Delete visit", f"Delete “{record.title}” for good?",
                       informative=f"Its itinerary ({len(record.events)} events), delegation "
                       f"({len(record.participants)} people) and gifts are removed. The people "
                       f"stay in People. A copy is kept as a package in {keep}; import it to "
                       "bring the visit back.", action="Delete visit"):
            return False
        try:
            visits.delete(record.id, record.version, keep_copy=keep)
        except StaleWriteError as exc:
            handle_stale_write(w, exc, w.refresh_all)
            return False
        except ProtocolError as exc:
            show_error(w, "Not deleted", exc)
            return False
        if w.workspace is not None and w.workspace.visit is not None and (
                w.workspace.visit.id == record.id):
            w.workspace.visit = None
            w.nav_items[w.PAGE_VISIT].setHidden(True)
        self._forget_last_visit(record.id)
        w.reload_visits()
        w.show_page(w.PAGE_VISITS)
        w.statusBar().showMessage(f"Deleted “{record.title}” (copy kept in {keep})", 8000)
        return True

    def _forget_last_visit(self, visit_id: int) -> None:
        settings = self.window.settings
        if settings.value("session/lastVisit") in (visit_id, str(visit_id)):
            settings.remove("session/lastVisit")
