"""The seating page: a meal's or ceremony's tables drawn with their seats, edited by hand.

:class:`SeatingView` shows the visit's meals and ceremonies in a picker and the chosen
one's seating plan in a :class:`QGraphicsView`: tables as circles or rectangles, each
seat numbered and named (place-card form), the host, guest of honour and co-host
coloured as on the printed chart, locked seats with a padlock, dietary needs with a red
dot, interpreters with an "i" (every colour from :mod:`protocol_app.rules.seat_style`, the
palette of the printed chart too).  Beside it: the attendees without a seat and the
checker's findings.

Editing (every change goes through :class:`~protocol_app.services.protocol.seating.SeatingService`
and onto the undo stack it is given):

* drag a name onto another seat to swap the two (a drag from the "Without a seat" list
  seats that person; a seat dropped on that list unseats its person);
* lock or unlock seats: the context menu, the "Lock" button, or the L key on selected
  seats; "Plan automatically" re-plans everything else and keeps locked seats;
* "Tables…" sets the tables (``round:10, rect:16, head:8``) and re-plans;
* "Options…" edits couples, pairs to keep apart and interpreters' principals;
* "Print cards…" saves the chart, place cards and badges as a PDF (in the background).

Tests (and the main window) drive it through :meth:`SeatingView.set_visit`,
:meth:`~SeatingView.set_event`, :meth:`~SeatingView.swap_seats`,
:meth:`~SeatingView.place_person`, :meth:`~SeatingView.set_seat_locked`,
:meth:`~SeatingView.plan_automatically` and :meth:`~SeatingView.print_cards`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError, StaleWriteError
from protocol_app.rules.arrangements import Arrangement
from protocol_app.rules.names import display_name
from protocol_app.rules.seating import SeatingFinding
from protocol_app.services.protocol import SeatingOptions, SeatingPlanView, parse_tables
from protocol_app.services.values import EventRecord, VisitRecord
from ui.dialogs.errors import show_error
from ui.seating.dialogs import SeatingOptionsDialog
from ui.seating.items import (
    PERSON_MIME,
    SEAT_MIME,
    Seat,
    SeatItem,
    decode_seat,
    later,
    person_tooltip,
)
from ui.seating.view import PlanGraphicsView, PlanScene
from ui.tasks import run_task
from ui.undo import ServiceCommand


class UnseatedList(QListWidget):
    """Attendees without a seat: drag one onto a seat; drop a seat here to unseat."""

    def __init__(self, view: SeatingView) -> None:
        super().__init__()
        self.view = view
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        mime = QMimeData()
        if items:
            pid = items[0].data(Qt.ItemDataRole.UserRole)
            mime.setData(PERSON_MIME, QByteArray(str(pid).encode()))
            mime.setText(items[0].text())
        return mime

    def mimeTypes(self) -> list[str]:
        return [PERSON_MIME]

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(SEAT_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(SEAT_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        seat = decode_seat(event.mimeData().data(SEAT_MIME)) \
            if event.mimeData().hasFormat(SEAT_MIME) else None
        if seat is None:
            event.ignore()
            return
        event.acceptProposedAction()
        plan = self.view.plan
        person = plan.person_at(*seat) if plan else None
        if person is not None:
            person_id = person.id
            later(lambda: self.view.place_person(person_id, None))



class SeatingView(QWidget):
    """Seating plans of a visit's meals and ceremonies (see the module docstring).

    Embed it in the visit workspace: ``view = SeatingView(services, undo_stack)`` then
    ``view.set_visit(visit_record)`` whenever the visit is (re)loaded."""

    planChanged = Signal(object)  # SeatingPlanView (or None when there is no event)
    printed = Signal(str)  # the path of a written PDF

    def __init__(self, services, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack
        self.visit: VisitRecord | None = None
        self.plan: SeatingPlanView | None = None
        self._events: list[EventRecord] = []
        self._written: dict[tuple[int, str], int] = {}  # plan version after our last write
        self._chosen: dict[tuple[int, str], str] = {}  # arrangement chosen before planning

        self.event_box = QComboBox()
        self.event_box.setObjectName("seatingEvent")
        self.event_box.setMinimumContentsLength(28)
        self.event_box.currentIndexChanged.connect(self._event_chosen)
        self.arrangement_box = QComboBox()
        self.arrangement_box.setObjectName("seatingArrangement")
        for arrangement in Arrangement:
            self.arrangement_box.addItem(arrangement.label, arrangement.value)
        self.arrangement_box.setToolTip("How the event is laid out; it defaults from the "
                                        "event's kind and title")
        self.arrangement_box.activated.connect(
            lambda index: self.choose_arrangement(str(self.arrangement_box.itemData(index))))
        self.plan_button = QPushButton("Plan automatically")
        self.plan_button.setToolTip("Seat everyone by precedence and convention; locked seats "
                                    "stay as they are")
        self.plan_button.clicked.connect(lambda: self.plan_automatically())
        self.tables_button = QPushButton("Tables…")
        self.tables_button.clicked.connect(self.edit_tables)
        self.options_button = QPushButton("Options…")
        self.options_button.clicked.connect(self.edit_options)
        self.lock_button = QPushButton("Lock")
        self.lock_button.setToolTip("Lock or unlock the selected seats (L)")
        self.lock_button.clicked.connect(self.toggle_lock_selected)
        self.print_button = QPushButton("Print cards…")
        self.print_button.setToolTip("Save the seating chart, place cards and name badges "
                                     "as a PDF")
        self.print_button.clicked.connect(self.choose_print_file)

        top = QHBoxLayout()
        top.addWidget(QLabel("Meal or ceremony:"))
        top.addWidget(self.event_box, 1)
        top.addWidget(QLabel("Arrangement:"))
        top.addWidget(self.arrangement_box)
        for button in (self.plan_button, self.tables_button, self.options_button,
                       self.lock_button, self.print_button):
            top.addWidget(button)

        self.scene = PlanScene(self)
        self.scene.selectionChanged.connect(self._update_actions)
        self.graphics = PlanGraphicsView(self)
        self.graphics.setScene(self.scene)
        self.graphics.setObjectName("seatingDrawing")
        self.line_list = QListWidget()  # a reception: the receiving line, no seats
        self.line_list.setObjectName("receivingLine")
        self.line_list.setVisible(False)
        self.canvas = QSplitter(Qt.Orientation.Vertical)
        self.canvas.addWidget(self.graphics)
        self.canvas.addWidget(self.line_list)
        self.canvas.setStretchFactor(0, 3)
        self.canvas.setStretchFactor(1, 1)
        self.left_out_list = QListWidget()
        self.left_out_list.setObjectName("notSeated")
        self.left_out_list.setWordWrap(True)
        self.left_out_list.itemSelectionChanged.connect(self._update_actions)
        self.seat_anyway_button = QPushButton("Seat anyway")
        self.seat_anyway_button.setToolTip("Seat the chosen person though they are on duty "
                                           "(after every guest and host of rank)")
        self.seat_anyway_button.clicked.connect(self._seat_anyway_selected)

        self.unseated_list = UnseatedList(self)
        self.unseated_list.setObjectName("unseated")
        self.findings_list = QListWidget()
        self.findings_list.setObjectName("seatingFindings")
        self.findings_list.setWordWrap(True)
        self.findings_list.itemActivated.connect(self._finding_activated)
        self.findings_list.itemClicked.connect(self._finding_activated)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("<b>Without a seat</b>"))
        side_layout.addWidget(self.unseated_list, 1)
        side_layout.addWidget(QLabel("<b>Not seated</b> (on duty)"))
        side_layout.addWidget(self.left_out_list, 1)
        side_layout.addWidget(self.seat_anyway_button)
        side_layout.addWidget(QLabel("<b>Checks</b>"))
        side_layout.addWidget(self.findings_list, 2)

        splitter = QSplitter()
        splitter.addWidget(self.canvas)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 320])

        self.status = QLabel()
        self.status.setObjectName("seatingStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        self.act_lock = QAction("Lock or unlock seat", self)
        self.act_lock.setShortcut(QKeySequence("Ctrl+L"))
        self.act_lock.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_lock.triggered.connect(self.toggle_lock_selected)
        self.addAction(self.act_lock)
        self._update_actions()

    # -- loading ------------------------------------------------------------------------

    def set_visit(self, visit: VisitRecord | int | str | None) -> None:
        """Show a visit's meals and ceremonies (the first one, or the one shown before
        if it is still there)."""
        if visit is not None and not isinstance(visit, VisitRecord):
            visit = self.services.visits.get(visit)
        previous = self.current_event_ref()
        self.visit = visit
        self._events = self.services.seating.seating_events(visit.id) if visit else []
        self.event_box.blockSignals(True)
        self.event_box.clear()
        for event in self._events:
            self.event_box.addItem(f"{event.title} ({event.kind}, {event.ref})", event.ref)
        self.event_box.blockSignals(False)
        refs = [e.ref for e in self._events]
        index = refs.index(previous) if previous in refs else (0 if refs else -1)
        self.event_box.setCurrentIndex(index)
        self.reload()

    def set_event(self, event_ref: str) -> None:
        """Show one event's plan."""
        index = self.event_box.findData(event_ref)
        if index < 0:
            raise ValueError(f"{event_ref!r} is not a meal or ceremony of this visit")
        if index == self.event_box.currentIndex():
            self.reload()
        else:
            self.event_box.setCurrentIndex(index)

    def current_event_ref(self) -> str | None:
        """The ref of the event shown."""
        data = self.event_box.currentData() if self.event_box.count() else None
        return str(data) if data is not None else None

    def _event_chosen(self, _index: int) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the shown event's plan again."""
        ref = self.current_event_ref()
        if self.visit is None or ref is None:
            self._show(None)
            return
        chosen = self._chosen.get((self.visit.id, ref))
        options = SeatingOptions(arrangement=chosen) if chosen else None
        try:
            self._show(self.services.seating.seating_plan(self.visit.id, ref, options))
        except ProtocolError as exc:
            self._show(None)
            show_error(self, "Cannot show the seating plan", exc)

    def _show(self, plan: SeatingPlanView | None) -> None:
        selected = set(self.selected_seats())
        self.plan = plan
        self.unseated_list.clear()
        self.findings_list.clear()
        self.left_out_list.clear()
        self.line_list.clear()
        if plan is None:
            self.scene.clear_plan()
            self.status.setText("This visit has no meal or ceremony to seat."
                                if self.visit is not None else "")
            self.planChanged.emit(None)
            self._update_actions()
            return
        self.scene.show_plan(self, plan, selected)
        self.arrangement_box.setCurrentIndex(self.arrangement_box.findData(plan.arrangement.value))
        self._show_receiving_line(plan)
        for left in plan.left_out:
            item = QListWidgetItem(f"{plan.place_card(left.person)} – {left.reason}")
            item.setData(Qt.ItemDataRole.UserRole, left.person.id)
            self.left_out_list.addItem(item)
        for person in plan.unseated:
            item = QListWidgetItem(plan.place_card(person))
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setToolTip(person_tooltip(person, plan))
            self.unseated_list.addItem(item)
        for finding in plan.findings:
            self.findings_list.addItem(self._finding_item(finding))
        if plan.receiving_line:
            state = f"version {plan.version}" if plan.stored else "not saved"
            self.status.setText(f"A receiving line of {len(plan.receiving_line)}, "
                                f"{len(plan.announced)} guests announced · plan {state}")
        elif not plan.tables:
            self.status.setText("No seating plan yet: choose “Plan automatically” (or "
                                "“Tables…” to choose the tables first).")
        else:
            seated = len(plan.seated_ids)
            state = f"version {plan.version}" if plan.stored else "not saved"
            by = f", last changed by {plan.updated_by}" if plan.updated_by else ""
            self.status.setText(f"{seated} seated, {len(plan.unseated)} without a seat · "
                                f"plan {state}{by}")
        self.graphics.fit()
        self.planChanged.emit(plan)
        self._update_actions()

    def _show_receiving_line(self, plan: SeatingPlanView) -> None:
        """A reception has no seats: the receiving line and the order of announcement."""
        is_line = plan.arrangement is Arrangement.RECEIVING_LINE
        # the line is drawn; the list beside it holds the whole order of announcement
        self.line_list.setVisible(is_line)
        if not is_line:
            return
        header = QListWidgetItem("Receiving line (from the entrance)")
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        self.line_list.addItem(header)
        for n, person in enumerate(plan.receiving_line, start=1):
            self.line_list.addItem(f"  {n}. {plan.place_card(person)}")
        header = QListWidgetItem("Order of announcement")
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        self.line_list.addItem(header)
        for n, person in enumerate(plan.announced, start=1):
            self.line_list.addItem(f"  {n}. {plan.place_card(person)}")

    def _finding_item(self, finding: SeatingFinding) -> QListWidgetItem:
        icons = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical,
                 "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
                 "info": QStyle.StandardPixmap.SP_MessageBoxInformation}
        item = QListWidgetItem(self.style().standardIcon(
            icons.get(finding.severity, QStyle.StandardPixmap.SP_MessageBoxInformation)),
            finding.message)
        item.setData(Qt.ItemDataRole.UserRole, finding)
        item.setToolTip(f"{finding.severity}: {finding.message}")
        return item

    def _finding_activated(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(finding, SeatingFinding):
            return
        self.scene.clearSelection()
        seats = {tuple(s) for s in finding.seats}
        if self.plan is not None:
            for pid in finding.person_ids:
                seat = self.plan.seat_of(pid)
                if seat is not None and not seats:
                    seats.add(tuple(seat))
        for seat in seats:
            found = self.scene.seats.get(seat)  # type: ignore[arg-type]
            if found is not None:
                found.setSelected(True)
                self.graphics.ensureVisible(found)

    # -- inspection ---------------------------------------------------------------------

    def seat_item(self, table: int, seat: int) -> SeatItem | None:
        """The item drawing a seat."""
        return self.scene.seats.get((table, seat))

    def selected_seats(self) -> list[Seat]:
        """The selected seats, in table and seat order."""
        return sorted(item.seat for item in self.scene.seats.values() if item.isSelected())

    def select_seats(self, seats: Sequence[Seat]) -> None:
        """Select these seats (and only these)."""
        self.scene.clearSelection()
        for seat in seats:
            item = self.scene.seats.get(tuple(seat))  # type: ignore[arg-type]
            if item is not None:
                item.setSelected(True)

    def finding_texts(self) -> list[str]:
        """The findings shown beside the drawing."""
        return [self.findings_list.item(i).text() for i in range(self.findings_list.count())]

    def _update_actions(self) -> None:
        has_event = self.visit is not None and self.current_event_ref() is not None
        stored = self.plan is not None and self.plan.stored
        self.plan_button.setEnabled(has_event)
        seated_meal = self.plan is None or self.plan.arrangement is Arrangement.TABLES
        self.tables_button.setEnabled(has_event and seated_meal)
        self.arrangement_box.setEnabled(has_event)
        self.options_button.setEnabled(stored)
        self.print_button.setEnabled(self.plan is not None and bool(
            self.plan.tables or self.plan.receiving_line))
        self.seat_anyway_button.setEnabled(bool(self.left_out_list.selectedItems()))
        seats = self.selected_seats()
        occupied = [s for s in seats if self.plan and self.plan.person_at(*s) is not None]
        self.lock_button.setEnabled(stored and bool(occupied))
        self.act_lock.setEnabled(stored and bool(occupied))
        if occupied and self.plan is not None:
            all_locked = all(self.plan.place(*s).locked for s in occupied)  # type: ignore[union-attr]
            self.lock_button.setText("Unlock" if all_locked else "Lock")

    # -- writes (undoable) --------------------------------------------------------------

    def _push(self, text: str, do: Callable[[int | None], SeatingPlanView | None],
              undo: Callable[[int | None], SeatingPlanView | None]) -> bool:
        """Push an undoable edit of the shown plan.  ``do``/``undo`` take the plan
        version they expect and return the new view.

        The first run expects the version on screen; undo and redo expect the version
        this view's own last write left, so a change made meanwhile by someone else
        makes the service refuse them (nothing is overwritten silently)."""
        if self.visit is None or self.current_event_ref() is None:
            return False
        visit_id, event_ref = self.visit.id, self.current_event_ref()
        key = (visit_id, str(event_ref))
        shown = self.plan.version if self.plan else 0
        state = {"first": True}
        failed: list[ProtocolError] = []

        def run(fn: Callable[[int | None], SeatingPlanView | None]) -> None:
            expected = shown if state["first"] else self._written.get(key, shown)
            state["first"] = False
            view = fn(expected)
            if view is None:
                view = self.services.seating.seating_plan(visit_id, event_ref)
            self._written[key] = view.version
            if self.visit is not None and self.visit.id == visit_id:
                if self.current_event_ref() != event_ref:
                    self.event_box.blockSignals(True)
                    self.event_box.setCurrentIndex(self.event_box.findData(event_ref))
                    self.event_box.blockSignals(False)
                self._show(view)

        def on_error(exc: ProtocolError) -> None:
            failed.append(exc)
            if isinstance(exc, StaleWriteError):
                self.reload()
            show_error(self, "Seating not changed", exc)

        command = ServiceCommand(text, lambda: run(do), lambda: run(undo), on_error=on_error)
        self.undo_stack.push(command)
        return not failed

    def swap_seats(self, a: Seat, b: Seat) -> bool:
        """Exchange who sits at two seats (undoable)."""
        if self.visit is None or tuple(a) == tuple(b):
            return False
        visit_id, ref = self.visit.id, self.current_event_ref()
        seating = self.services.seating

        def swap(version: int | None) -> SeatingPlanView:
            return seating.swap(visit_id, ref, tuple(a), tuple(b), expected_version=version)

        return self._push(f"Swap seats {a[1]} and {b[1]}", swap, swap)

    def place_person(self, person_id: int, seat: Seat | None) -> bool:
        """Seat a person (or, with ``seat=None``, unseat them), undoable."""
        if self.visit is None or self.plan is None:
            return False
        visit_id, ref = self.visit.id, self.current_event_ref()
        seating = self.services.seating
        before = self.plan.seats()
        tables = self.plan.table_specs()
        options = self.plan.options

        def do(version: int | None) -> SeatingPlanView:
            return seating.move_seat(visit_id, ref, person_id,
                                      tuple(seat) if seat else None, expected_version=version)

        def undo(version: int | None) -> SeatingPlanView:
            return seating.save_plan(visit_id, ref, tables, before, options,
                                      expected_version=version)

        person = self.plan.people.get(person_id)
        name = display_name(person) if person else f"person {person_id}"
        text = f"Seat {name}" if seat else f"Unseat {name}"
        return self._push(text, do, undo)

    def set_seat_locked(self, seat: Seat, locked: bool) -> bool:
        """Lock or unlock a seat (undoable)."""
        if self.visit is None:
            return False
        visit_id, ref = self.visit.id, self.current_event_ref()
        seating = self.services.seating

        def apply(value: bool) -> Callable[[int | None], SeatingPlanView]:
            return lambda version: seating.set_locked(visit_id, ref, tuple(seat), value,
                                                       expected_version=version)

        verb = "Lock" if locked else "Unlock"
        return self._push(f"{verb} seat {seat[1]} at table {seat[0]}", apply(locked),
                          apply(not locked))

    def toggle_lock_selected(self) -> None:
        """Lock the selected occupied seats, or unlock them if all are locked."""
        if self.plan is None or not self.plan.stored:
            return
        occupied = [s for s in self.selected_seats() if self.plan.person_at(*s) is not None]
        if not occupied:
            return
        lock = not all(self.plan.place(*s).locked for s in occupied)  # type: ignore[union-attr]
        self.undo_stack.beginMacro("Lock seats" if lock else "Unlock seats")
        try:
            for seat in occupied:
                place = self.plan.place(*seat) if self.plan else None
                if (place is not None and place.locked != lock
                        and not self.set_seat_locked(seat, lock)):
                    break
        finally:
            self.undo_stack.endMacro()

    def unseat_selected(self) -> None:
        """Take the people in the selected seats off them."""
        if self.plan is None or not self.plan.stored:
            return
        for seat in self.selected_seats():
            person = self.plan.person_at(*seat) if self.plan else None
            if person is not None:
                self.place_person(person.id, None)

    def plan_automatically(self, tables: Sequence | None = None) -> bool:
        """Make the plan by precedence and convention, keeping locked seats (undoable)."""
        if self.visit is None or self.current_event_ref() is None:
            return False
        visit_id, ref = self.visit.id, self.current_event_ref()
        seating = self.services.seating
        before = self.plan

        chosen = self._chosen.get((visit_id, str(ref)))
        options = (replace(before.options, arrangement=chosen)
                   if chosen and before is not None and not before.stored else None)

        def do(version: int | None) -> SeatingPlanView:
            return seating.plan_seating(visit_id, ref, tables, options,
                                        expected_version=version)

        def undo(version: int | None) -> SeatingPlanView | None:
            if before is None or not before.stored:
                seating.delete_plan(visit_id, ref, expected_version=version)
                return seating.seating_plan(visit_id, ref)
            return seating.save_plan(visit_id, ref, before.table_specs(), before.seats(),
                                      before.options, expected_version=version)

        return self._push("Plan the seating automatically", do, undo)

    def _replan(self, text: str,
                do: Callable[[int | None], SeatingPlanView]) -> bool:
        """Push a change that plans again; undo puts the plan back as it was."""
        visit_id, ref = self.visit.id, self.current_event_ref()  # type: ignore[union-attr]
        seating = self.services.seating
        before = self.plan

        def undo(version: int | None) -> SeatingPlanView | None:
            if before is None or not before.stored:
                seating.delete_plan(visit_id, ref, expected_version=version)
                return seating.seating_plan(visit_id, ref)
            return seating.save_plan(visit_id, ref, before.table_specs(), before.seats(),
                                      before.options, expected_version=version)

        return self._push(text, do, undo)

    def choose_arrangement(self, value: str) -> bool:
        """Lay the event out another way: a stored plan is planned again (undoable); before
        the first plan the choice waits for "Plan automatically"."""
        if self.visit is None or self.current_event_ref() is None or self.plan is None:
            return False
        if value == self.plan.arrangement.value:
            return False
        visit_id, ref = self.visit.id, str(self.current_event_ref())
        if not self.plan.stored:
            self._chosen[(visit_id, ref)] = value
            self.reload()
            return True
        seating = self.services.seating
        return self._replan(f"Lay out as {Arrangement(value).label}", lambda version: (
            seating.set_arrangement(visit_id, ref, value, expected_version=version)))

    def seat_anyway(self, person_id: int) -> bool:
        """Seat a person left out because they are on duty (undoable)."""
        if self.visit is None or self.plan is None or self.current_event_ref() is None:
            return False
        visit_id, ref = self.visit.id, str(self.current_event_ref())
        seating = self.services.seating
        person = self.plan.people.get(person_id) or next(
            (lo.person for lo in self.plan.left_out if lo.person.id == person_id), None)
        name = display_name(person) if person else f"person {person_id}"
        chosen = self._chosen.get((visit_id, ref))

        def do(version: int | None) -> SeatingPlanView:
            if chosen and version == 0:  # not planned yet: plan in the chosen arrangement
                options = replace(self.plan.options if self.plan else SeatingOptions(),
                                  arrangement=chosen)
                seating.plan_seating(visit_id, ref, None, options, expected_version=0)
                version = 1
            return seating.seat_anyway(visit_id, ref, person_id, expected_version=version)

        return self._replan(f"Seat {name} anyway", do)

    def _seat_anyway_selected(self) -> None:
        for item in self.left_out_list.selectedItems():
            self.seat_anyway(int(item.data(Qt.ItemDataRole.UserRole)))

    def set_options(self, options: SeatingOptions) -> bool:
        """Change how the plan is made (undoable); re-plan to apply."""
        if self.visit is None or self.plan is None or not self.plan.stored:
            return False
        visit_id, ref = self.visit.id, self.current_event_ref()
        seating = self.services.seating
        old = self.plan.options

        def apply(value: SeatingOptions) -> Callable[[int | None], SeatingPlanView]:
            return lambda version: seating.set_seating_options(
                visit_id, ref, value, expected_version=version)

        return self._push("Change seating options", apply(options), apply(old))

    # -- dialogs ------------------------------------------------------------------------

    def seat_menu(self, item: SeatItem) -> QMenu:
        """The context menu of a seat (its actions run once the menu has closed)."""
        menu = QMenu(self)
        plan = self.plan
        place = item.place
        seat = item.seat
        if plan is None or not plan.stored:
            menu.addAction("Plan automatically first").setEnabled(False)
            return menu
        if place.person is not None:
            person_id = place.person.id
            lock = menu.addAction("Unlock seat" if place.locked else "Lock seat")
            lock.setShortcut(QKeySequence("L"))
            lock.triggered.connect(
                lambda: later(lambda: self.set_seat_locked(seat, not place.locked)))
            unseat = menu.addAction("Remove from this seat")
            unseat.setEnabled(not place.locked)
            unseat.triggered.connect(lambda: later(lambda: self.place_person(person_id, None)))
            swap = menu.addMenu("Swap with")
            swap.setEnabled(not place.locked)
            for table in plan.tables:
                for other in table.places:
                    if other.ref == place.ref or other.locked:
                        continue
                    label = plan.place_card(other.person) if other.person else "(empty)"
                    action = swap.addAction(f"T{other.table} · {other.seat}  {label}")
                    action.triggered.connect(
                        lambda _=False, s=(other.table, other.seat): later(
                            lambda: self.swap_seats(seat, s)))
        if not place.locked and plan.unseated:
            seat_here = menu.addMenu("Seat here")
            for person in plan.unseated:
                action = seat_here.addAction(plan.place_card(person))
                action.triggered.connect(
                    lambda _=False, pid=person.id: later(lambda: self.place_person(pid, seat)))
        return menu

    def edit_tables(self) -> None:
        """Ask for the tables (``round:10, rect:16, head:8``) and re-plan with them."""
        current = ""
        if self.plan is not None and self.plan.tables:
            short = {"round": "round", "rectangular": "rect", "head": "head", "car": "car"}
            current = ", ".join(f"{short[t.shape]}:{t.seat_count}" for t in self.plan.tables)
        text, ok = QInputDialog.getText(
            self, "Tables", "Tables in order of importance, as SHAPE:SEATS\n"
            "(round:10, rect:16 for a rectangular table, head:8 for a head table):",
            text=current or "round:10")
        if not ok or not text.strip():
            return
        try:
            tables = parse_tables(text)
        except ProtocolError as exc:
            show_error(self, "Tables not changed", exc)
            return
        self.plan_automatically(tables)

    def edit_options(self) -> None:
        """Edit couples, pairs kept apart and interpreters' principals."""
        if self.plan is None or not self.plan.stored:
            return
        dialog = SeatingOptionsDialog(self.plan, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_options(dialog.options())

    # -- printing ----------------------------------------------------------------------

    def choose_print_file(self) -> None:
        """Ask where to save the cards, then write them in the background."""
        if self.plan is None or not self.plan.tables:
            return
        name = f"seating-{self.plan.event.ref}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Save seating chart and cards", name,
                                              "PDF files (*.pdf)")
        if path:
            self.print_cards(Path(path))

    def print_cards(self, path: Path,
                    parts: Sequence[str] = ("chart", "cards", "badges")) -> None:
        """Write the chart, place cards and badges of the shown plan to ``path`` in the
        background; :attr:`printed` is emitted when done."""
        if self.plan is None:
            return
        plan = self.plan
        from protocol_app.config import Settings

        settings = Settings.load()
        editions = self.services.editions

        def work() -> str:
            from protocol_app.briefing.cards import write_seating_pdf
            from protocol_app.briefing.editions import record_seating_print

            paper = settings.paper_size or "A4"
            write_seating_pdf(Path(path), plan, parts=parts, paper=paper,
                              office=settings.office_name)
            record_seating_print(editions, plan, parts, path, paper)  # printed: an edition
            return str(path)

        def done(written: str) -> None:
            self.status.setText(f"Saved the seating chart and cards to {written}")
            self.printed.emit(written)

        self.status.setText("Writing the seating chart and cards…")
        run_task(work, on_success=done, parent=self, title="The cards could not be saved")

