"""The itinerary of one visit: an agenda (a column per day) and a table of the same events.

:class:`ItineraryView` is embedded by the visit workspace.  Every write (add, edit,
duplicate, move, cancel, delete) goes through the services inside a
:class:`~ui.undo.VersionedCommand` pushed on the workspace's undo stack, and is followed
by a reload and the :attr:`ItineraryView.changed` signal.

Times: the agenda's axis is wall-clock time in the visit's zone; each card and row shows
the event's own zone, and the delegation's home zone (the zone most used in the visit's
country) beside it when it differs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError
from protocol_app.formatting import zone_label
from protocol_app.services.values import EventRecord, VisitRecord
from protocol_app.timeutil import LocalTimeError, home_zone, local_to_utc
from ui.dialogs.confirm import confirm
from ui.dialogs.errors import show_error
from ui.editors.event_editor import EventEditor, event_values
from ui.editors.move_event import MoveEventDialog
from ui.icons import icon
from ui.look import tune_table
from ui.models import events_model as em
from ui.pages.agenda_view import AgendaView
from ui.undo import RecordHandle, Step, VersionedCommand, push, report_failure

if TYPE_CHECKING:
    from protocol_app.services import Services


class ItineraryView(QWidget):
    """The events of one visit, as an agenda or a table, with every edit."""

    changed = Signal()

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack
        self.visit: VisitRecord | None = None
        self.home_zone: str | None = None
        self.selected_id: int | None = None
        self._handles: list[RecordHandle] = []
        self._editors: list[EventEditor] = []
        self.setObjectName("itineraryView")

        self._build_actions()
        self.toolbar = QToolBar("Itinerary")
        self.toolbar.setObjectName("itineraryToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in self.primary_actions():
            self.toolbar.addAction(action)
        self._toolbar_text_width = self.toolbar.sizeHint().width()

        self.agenda_button = QToolButton(text="Agenda", checkable=True)
        self.agenda_button.setObjectName("showAgenda")
        self.agenda_button.setAccessibleName("Show the agenda")
        self.table_button = QToolButton(text="Table", checkable=True)
        self.table_button.setObjectName("showTable")
        self.table_button.setAccessibleName("Show the table")
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.agenda_button)
        group.addButton(self.table_button)
        self.agenda_button.setChecked(True)
        self.agenda_button.clicked.connect(self.show_agenda)
        self.table_button.clicked.connect(self.show_table)

        self.zones_label = QLabel()
        self.zones_label.setObjectName("zonesLabel")
        self.zones_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the zones give way to the actions when space is short (the tooltip has them all)
        self.zones_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.zones_label.setMinimumWidth(80)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.toolbar)
        top.addWidget(self.zones_label, 1)
        self.zones_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(12)
        top.addWidget(self.agenda_button)
        top.addWidget(self.table_button)

        self.agenda = AgendaView()
        # secondary actions (zoom) and every primary one again: the overflow menu
        self.more_menu = QMenu("Itinerary", self)
        for action in self.primary_actions():
            self.more_menu.addAction(action)
        self.more_menu.addSeparator()
        for action in (self.agenda.zoom_in_action, self.agenda.zoom_out_action,
                       self.agenda.fit_day_action):
            self.more_menu.addAction(action)
        self.more_button = QToolButton()
        self.more_button.setObjectName("itineraryMore")
        self.more_button.setText("⋯")
        self.more_button.setToolTip("More: zoom the agenda, every itinerary action")
        self.more_button.setAccessibleName("More itinerary actions")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setMenu(self.more_menu)
        top.addWidget(self.more_button)
        canvas = self.agenda.canvas
        canvas.selectionChanged.connect(self._select_from_agenda)
        canvas.editRequested.connect(self.edit_event)
        canvas.addRequested.connect(self._add_at)
        canvas.moveRequested.connect(self._drop)
        canvas.deleteRequested.connect(self.delete_event)
        canvas.contextMenuRequested.connect(self._context_menu)

        self.model = em.EventsTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("eventsTable")
        self.table.setAccessibleName("Events")
        self.table.setModel(self.model)
        tune_table(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(
            lambda pos: self._context_menu(self.table.viewport().mapToGlobal(pos)))
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        # The title is what people scan for: the other columns stay narrow enough to
        # leave it room at 1440 px; each can be widened by hand.
        for column, width in ((em.DAY, 115), (em.TIME, 125), (em.TITLE, 360), (em.KIND, 85),
                              (em.STATUS, 85), (em.VENUE, 190), (em.HOST, 140),
                              (em.VISIT_TIME, 150), (em.HOME_TIME, 175)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(em.TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._select_from_table)
        self.table.doubleClicked.connect(lambda _i: self.edit_event())
        self.table.activated.connect(lambda _i: self.edit_event())

        self.stack = QStackedWidget()
        self.stack.addWidget(self.agenda)
        self.stack.addWidget(self.table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self._update_actions()

    def _build_actions(self) -> None:
        def action(text: str, icon_name: str, slot: Callable[[], object],
                   shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
            act = QAction(icon(icon_name), text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.setToolTip(tip or text.replace("&", "").replace("…", ""))
            act.setStatusTip(act.toolTip())
            act.triggered.connect(lambda _checked=False: slot())
            self.addAction(act)
            return act

        self.add_action = action("&Add event…", "add", self.add_event, "Ins",
                                 "Add an event (Ins, or double-click an empty time)")
        self.edit_action = action("&Edit…", "edit", self.edit_event, "Ctrl+E",
                                  "Edit the selected event (Ctrl+E, Enter, or double-click)")
        self.duplicate_action = action("D&uplicate", "duplicate", self.duplicate_event,
                                       "Ctrl+D", "Duplicate the selected event (Ctrl+D)")
        self.move_action = action("&Move…", "calendar", self.move_dialog, "Ctrl+M",
                                  "Move the selected event to another day or time (Ctrl+M)")
        self.cancel_action = action("&Cancel event", "cancel", self.cancel_event,
                                    "Ctrl+Shift+X", "Mark the selected event cancelled (it "
                                    "stays, greyed) (Ctrl+Shift+X)")
        self.delete_action = action("De&lete", "delete", lambda: self.delete_event(),
                                    QKeySequence.StandardKey.Delete,
                                    "Delete the selected event for good (Del)")

    def primary_actions(self) -> tuple[QAction, ...]:
        """The actions the toolbar always shows (icons only when space is short)."""
        return (self.add_action, self.edit_action, self.duplicate_action, self.move_action,
                self.cancel_action, self.delete_action)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Icons with tooltips, no text, when the toolbar's text would not fit."""
        super().resizeEvent(event)
        others = (self.agenda_button.sizeHint().width() + self.table_button.sizeHint().width()
                  + self.more_button.sizeHint().width() + self.zones_label.minimumWidth() + 60)
        short = self.width() < self._toolbar_text_width + others
        style = Qt.ToolButtonStyle.ToolButtonIconOnly if short else \
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        if self.toolbar.toolButtonStyle() != style:
            self.toolbar.setToolButtonStyle(style)

    # -- the API part A uses ---------------------------------------------------------
    def set_visit(self, visit: VisitRecord) -> None:
        """Show ``visit``'s itinerary."""
        first = self.visit is None or self.visit.id != visit.id
        self.visit = visit
        self.home_zone = home_zone(visit.country)
        if first:
            self._handles = []
            self.selected_id = None
        self._show_events(visit.events)
        noon = datetime.combine(visit.start_date, time(12), ZoneInfo(visit.timezone))
        zone_text = f"Times in {zone_label(visit.timezone, noon)}"
        tooltip = f"Visit zone: {visit.timezone}"
        if self.home_zone and self.home_zone != visit.timezone:
            zone_text += f" · delegation's home time: {zone_label(self.home_zone, noon)}"
            tooltip += f"\nHome zone: {self.home_zone}"
        self.zones_label.setText(zone_text)
        self.zones_label.setToolTip(tooltip)
        if first:
            self.agenda.scroll_to_morning()

    def show_agenda(self) -> None:
        """Show the day-by-day agenda."""
        self.stack.setCurrentWidget(self.agenda)
        self.agenda_button.setChecked(True)
        if self.selected_id is not None:
            self.agenda.canvas.ensure_visible(self.selected_id)

    def show_table(self) -> None:
        """Show the table of events."""
        self.stack.setCurrentWidget(self.table)
        self.table_button.setChecked(True)

    def has_unsaved_changes(self) -> bool:
        """True while an event editor opened here holds unsaved edits."""
        return any(e.isVisible() and e.is_dirty() for e in self._editors)

    def save(self) -> bool:
        """Save every open event editor holding edits; False if one was refused."""
        ok = True
        for editor in list(self._editors):
            if editor.isVisible() and editor.is_dirty():
                ok = editor.save() and ok
        return ok

    def discard_changes(self) -> None:
        """Close the open event editors without saving (nothing is asked)."""
        for editor in list(self._editors):
            editor.done(0)

    # -- showing -----------------------------------------------------------------------
    def _show_events(self, events: tuple[EventRecord, ...] | list[EventRecord]) -> None:
        assert self.visit is not None
        visit = self.visit
        names = {p.person_id: p.person.display_name for p in visit.participants}
        self.model.set_rows(events, visit_zone=visit.timezone, home_zone=self.home_zone,
                            names=names)
        self.table.setColumnHidden(em.HOME_TIME, self.model.home_zone is None)
        self.table.setColumnHidden(em.VISIT_TIME,
                                   all(e.timezone == visit.timezone for e in events))
        self.agenda.set_events(events, visit.timezone, visit.start_date, visit.end_date,
                               self.home_zone)
        self._select(self.selected_id if any(e.id == self.selected_id for e in events)
                     else None)

    def reload(self) -> None:
        """Read the visit again and show it."""
        if self.visit is None:
            return
        try:
            visit = self.services.visits.get(self.visit.id)
        except ProtocolError as exc:
            show_error(self, "Cannot show the itinerary", exc)
            return
        self.set_visit(visit)

    def events(self) -> tuple[EventRecord, ...]:
        """The events shown, in time order."""
        return self.model.events()

    def event_by_id(self, event_id: int | None) -> EventRecord | None:
        """The shown event with this id."""
        return next((e for e in self.model.events() if e.id == event_id), None)

    def selected_event(self) -> EventRecord | None:
        """The selected event, if any."""
        return self.event_by_id(self.selected_id)

    def select_event(self, event_id: int | None) -> None:
        """Select an event in both views."""
        self._select(event_id)

    def _select(self, event_id: int | None) -> None:
        self.selected_id = event_id
        if self.agenda.canvas.selected_id != event_id:
            self.agenda.canvas.select(event_id)
        row = self.model.row_of(event_id) if event_id is not None else None
        selection = self.table.selectionModel()
        current = selection.selectedRows()
        if row is None:
            if current:
                selection.clearSelection()
        elif not current or current[0].row() != row:
            selection.setCurrentIndex(self.model.index(row, 0),
                                      QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)
        self._update_actions()

    def _select_from_agenda(self, event_id: int | None) -> None:
        if event_id != self.selected_id:
            self._select(event_id)

    def _select_from_table(self, *_: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        event_id = self.model.event_at(rows[0].row()).id if rows else None
        if event_id != self.selected_id:
            self._select(event_id)

    def _update_actions(self) -> None:
        event = self.selected_event()
        has_visit = self.visit is not None
        self.add_action.setEnabled(has_visit)
        for act in (self.edit_action, self.duplicate_action, self.delete_action):
            act.setEnabled(event is not None)
        self.move_action.setEnabled(event is not None and event.status != "cancelled")
        self.cancel_action.setEnabled(event is not None and event.status != "cancelled")

    def _context_menu(self, global_pos: QPoint) -> None:
        menu = QMenu(self)
        if self.selected_event() is None:
            menu.addAction(self.add_action)
        else:
            for act in (self.edit_action, self.duplicate_action, self.move_action,
                        self.cancel_action):
                menu.addAction(act)
            menu.addSeparator()
            menu.addAction(self.delete_action)
            menu.addSeparator()
            menu.addAction(self.add_action)
        menu.popup(global_pos)

    # -- writing ------------------------------------------------------------------------
    def _handle(self, event: EventRecord) -> RecordHandle:
        """The shared handle of an event; the version is what the user sees now."""
        for handle in self._handles:
            if handle.id == event.id:
                handle.version = event.version
                return handle
        handle = RecordHandle(event.id, event.version)
        self._handles.append(handle)
        return handle

    def _written(self) -> None:
        """After any write, undo or redo of one of this view's commands."""
        try:
            self.reload()
            self.changed.emit()
        except RuntimeError:  # the view was closed while its commands stayed undoable
            pass

    def _failed(self, error: ProtocolError) -> None:
        with contextlib.suppress(RuntimeError):  # the view is gone
            report_failure(self, error, self.reload, "The itinerary was not changed")

    def _push(self, text: str, handle: RecordHandle, redo: Step, undo: Step) -> bool:
        command = VersionedCommand(text, handle, redo, undo, on_error=self._failed,
                                   on_done=self._written)
        return push(self.undo_stack, command)

    def _open_editor(self, event: EventRecord | None, start: datetime | None = None,
                     ) -> EventEditor | None:
        if self.visit is None:
            return None
        editor = EventEditor(self.services, self.visit, event, self,
                             undo_stack=self.undo_stack, start=start, on_done=self._written)
        if event is not None:
            editor.handle = self._handle(event)
        editor.saved.connect(self._editor_saved)
        editor.finished.connect(lambda _r, e=editor: self._forget(e))
        self._editors.append(editor)
        editor.open()
        return editor

    def _forget(self, editor: EventEditor) -> None:
        if editor in self._editors:
            self._editors.remove(editor)

    def _editor_saved(self, record: EventRecord) -> None:
        if all(h.id != record.id for h in self._handles):
            self._handles.append(RecordHandle(record.id, record.version))
        self._select(record.id)
        self.agenda.canvas.ensure_visible(record.id)

    def add_event(self) -> EventEditor | None:
        """Open the editor on a new event (at the selected event's end, or 09:00)."""
        start = None
        selected = self.selected_event()
        if selected is not None:
            start = selected.end_utc
        return self._open_editor(None, start)

    def _add_at(self, day: Any, minute: int) -> None:
        assert self.visit is not None
        local = datetime.combine(day, time(minute // 60, minute % 60))
        try:
            start = local_to_utc(local, self.visit.timezone)
        except LocalTimeError:
            start = local_to_utc(local + timedelta(hours=1), self.visit.timezone)
        self._open_editor(None, start)

    def edit_event(self, event_id: int | None = None) -> EventEditor | None:
        """Open the editor on an event (the selected one by default)."""
        event = self.event_by_id(event_id if event_id is not None else self.selected_id)
        return self._open_editor(event) if event is not None else None

    def duplicate_event(self) -> bool:
        """Add a tentative copy of the selected event (undoable)."""
        source = self.selected_event()
        if source is None:
            return False
        source_handle = self._handle(source)
        copy = RecordHandle(None, None)
        self._handles.append(copy)
        events = self.services.events

        def redo(_copy: RecordHandle) -> EventRecord:
            record = events.duplicate(source_handle.existing_id())
            self.selected_id = record.id
            return record

        def undo(copy: RecordHandle) -> None:
            events.delete(copy.existing_id(), copy.version)

        return self._push(f"Duplicate {source.title}", copy, redo, undo)

    def move_event(self, event_id: int, start: datetime) -> bool:
        """Move an event to a new start (aware), keeping its length (undoable)."""
        event = self.event_by_id(event_id)
        if event is None:
            return False
        handle = self._handle(event)
        old_start = event.start_utc
        events = self.services.events

        self.selected_id = event_id
        return self._push(f"Move {event.title}", handle,
                          lambda h: events.move(h.existing_id(), h.version, start),
                          lambda h: events.move(h.existing_id(), h.version, old_start))

    def _drop(self, event_id: int, day: Any, minute: int) -> None:
        """A card dropped in the agenda: wall-clock time in the visit's zone."""
        assert self.visit is not None
        local = datetime.combine(day, time(minute // 60, minute % 60))
        try:
            start = local_to_utc(local, self.visit.timezone)
        except LocalTimeError as exc:
            show_error(self, "The event was not moved", ProtocolError(
                str(exc)[:1].upper() + str(exc)[1:] + "."))
            self.agenda.canvas.update()
            return
        self.move_event(event_id, start)

    def move_dialog(self) -> MoveEventDialog | None:
        """Open the Move… dialog on the selected event."""
        event = self.selected_event()
        if event is None or self.visit is None:
            return None
        dialog = MoveEventDialog(event, self, visit_zone=self.visit.timezone)

        def accepted() -> None:
            start = dialog.new_start()
            if start is not None:
                self.move_event(event.id, start)

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def cancel_event(self) -> bool:
        """Mark the selected event cancelled, after confirmation (undoable)."""
        event = self.selected_event()
        if event is None or event.status == "cancelled":
            return False
        if not confirm(
                self, "Cancel event", f"Cancel “{event.title}”?",
                informative="It stays in the itinerary, greyed out, so the invitations "
                "already sent can be withdrawn.", action="Cancel event", keep="Keep it"):
            return False
        handle = self._handle(event)
        old_status = event.status
        events = self.services.events

        return self._push(f"Cancel {event.title}", handle,
                          lambda h: events.cancel(h.existing_id(), h.version),
                          lambda h: events.update(h.existing_id(), h.version, status=old_status))

    def delete_event(self, event_id: int | None = None) -> bool:
        """Delete an event for good, after confirmation (undoable)."""
        event = self.event_by_id(event_id if event_id is not None else self.selected_id)
        if event is None:
            return False
        try:  # before asking: an event still in people's calendars cannot go
            self.services.events.check_deletable(event.id)
        except ProtocolError as exc:
            show_error(self, "Not deleted", exc)
            return False
        if not confirm(
                self, "Delete event", f"Delete “{event.title}” for good?",
                informative="To withdraw invitations already sent, cancel the event "
                "instead.", action="Delete", keep="Keep it"):
            return False
        handle = self._handle(event)
        values = event_values(event)
        values["ref"] = event.ref
        visit_id = event.visit_id
        events = self.services.events

        if self.selected_id == event.id:
            self.selected_id = None
        return self._push(f"Delete {event.title}", handle,
                          lambda h: events.delete(h.existing_id(), h.version),
                          lambda _h: events.create(visit_id, **values))

