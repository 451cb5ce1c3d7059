"""The seating page: a meal's or ceremony's tables drawn with their seats, edited by hand.

:class:`SeatingView` shows the visit's meals and ceremonies in a picker and the chosen
one's seating plan in a :class:`QGraphicsView`: tables as circles or rectangles, each
seat numbered and named (place-card form), the host, guest of honour and co-host
coloured as on the printed chart, locked seats with a padlock, dietary needs with a red
dot.  Beside it: the attendees without a seat and the checker's findings.

Editing (every change goes through :class:`~protocol_app.services.protocol.ProtocolService`
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
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QDrag,
    QFont,
    QFontMetricsF,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError, StaleWriteError
from protocol_app.rules.names import display_name
from protocol_app.rules.seating import SeatingFinding
from protocol_app.services.protocol import (
    SeatingOptions,
    SeatingPlanView,
    SeatView,
    TableView,
    has_dietary_need,
    parse_tables,
)
from protocol_app.services.values import EventRecord, PersonRecord, VisitRecord
from ui.dialogs.errors import show_error
from ui.tasks import run_task
from ui.undo import ServiceCommand

SEAT_MIME = "application/x-protocol-desk-seat"
PERSON_MIME = "application/x-protocol-desk-person"
SEAT_R = 15.0

HOST_FILL = QColor("#1b2a41")
HONOUR_FILL = QColor("#d4a72c")
COHOST_FILL = QColor("#7d95b5")
HOST_SIDE_FILL = QColor("#dbe7f3")
GUEST_FILL = QColor("#ffffff")
TABLE_FILL = QColor("#f4efe4")
DIETARY = QColor("#c0392b")
INK = QColor("#1b2a41")

Seat = tuple[int, int]


def seat_colors(place: SeatView) -> tuple[QColor, QColor]:
    """Fill and number colour of a seat, as on the printed chart."""
    if place.person is None:
        return QColor("#f7f7f7"), QColor("#8a939c")
    if place.marker == "host":
        return HOST_FILL, QColor("white")
    if place.marker == "guest_of_honour":
        return HONOUR_FILL, INK
    if place.marker == "cohost":
        return COHOST_FILL, QColor("white")
    if place.side == "host":
        return HOST_SIDE_FILL, INK
    return GUEST_FILL, INK


def person_tooltip(person: PersonRecord, plan: SeatingPlanView) -> str:
    """Name, native name, place card, organization and dietary needs of a person."""
    lines = [display_name(person)]
    if person.native_name and person.native_name != lines[0]:
        lines.append(person.native_name)
    lines.append(f"Place card: {plan.place_card(person)}")
    if person.position or person.organization:
        lines.append(", ".join(p for p in (person.position, person.organization) if p))
    if has_dietary_need(person.dietary):
        lines.append(f"Dietary: {person.dietary}")
    if person.languages:
        lines.append(f"Languages: {', '.join(person.languages)}")
    return "\n".join(lines)


def later(fn: Callable[[], object]) -> None:
    """Run ``fn`` once control is back in the event loop.

    Edits started from a seat's own event handler (a drop, a context-menu action) redraw
    the plan, which deletes that seat item: they must not run while Qt is still inside
    the item's handler."""
    QTimer.singleShot(0, fn)


def two_lines(metrics: QFontMetricsF, text: str, width: float) -> list[str]:
    """``text`` on one line, or broken at a space onto two (the second elided)."""
    if metrics.horizontalAdvance(text) <= width or " " not in text:
        return [metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    words = text.split()
    first = words[0]
    rest = words[1:]
    while rest and metrics.horizontalAdvance(f"{first} {rest[0]}") <= width:
        first = f"{first} {rest.pop(0)}"
    second = " ".join(rest)
    return [metrics.elidedText(first, Qt.TextElideMode.ElideRight, width),
            metrics.elidedText(second, Qt.TextElideMode.ElideRight, width)]


def encode_seat(seat: Seat) -> QByteArray:
    """A seat as drag-and-drop data."""
    return QByteArray(f"{seat[0]},{seat[1]}".encode())


def decode_seat(data: QByteArray) -> Seat | None:
    """A seat from drag-and-drop data, or None."""
    try:
        table, seat = bytes(data.data()).decode().split(",")
        return int(table), int(seat)
    except ValueError:
        return None


class SeatItem(QGraphicsObject):
    """One seat: a numbered circle, its name label, a padlock when locked.

    Drag it onto another seat to swap; it accepts seats and people dropped on it."""

    def __init__(self, view: SeatingView, place: SeatView, label: QRectF, align: Qt.AlignmentFlag,
                 plan: SeatingPlanView) -> None:
        super().__init__()
        self.view = view
        self.place = place
        self.label_rect = label
        self.align = align
        self.plan = plan
        self.highlight = False
        self._press: QPointF | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable, True)
        self.setAcceptDrops(True)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.OpenHandCursor if place.person else
                       Qt.CursorShape.ArrowCursor)
        tip = [f"Table {place.table}, seat {place.seat}"]
        if place.marker:
            tip.append({"host": "Host", "guest_of_honour": "Guest of honour (host's right)",
                        "cohost": "Co-host"}[place.marker])
        if place.person is not None:
            tip.append(person_tooltip(place.person, plan))
        for b in place.behind:
            tip.append(f"Behind: {display_name(b)} (interpreter)")
        if place.locked:
            tip.append("Locked: kept when the plan is made again")
        self.setToolTip("\n".join(tip))

    @property
    def seat(self) -> Seat:
        """(table, seat)."""
        return (self.place.table, self.place.seat)

    def label_text(self) -> str:
        """The first line of the label: the name in place-card form, or "(empty)"."""
        if self.place.person is None:
            return "(empty)"
        return self.plan.place_card(self.place.person)

    def boundingRect(self) -> QRectF:
        circle = QRectF(-SEAT_R - 3, -SEAT_R - 3, 2 * SEAT_R + 6, 2 * SEAT_R + 6)
        return circle.united(self.label_rect)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), SEAT_R + 2, SEAT_R + 2)
        path.addRect(self.label_rect)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill, ink = seat_colors(self.place)
        selected = self.isSelected()
        pen = QPen(INK, 1.4)
        if self.place.person is None:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawEllipse(QPointF(0, 0), SEAT_R, SEAT_R)
        if selected or self.highlight:
            ring = QPen(QColor("#2f80ed") if selected else QColor("#e67e22"), 3)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), SEAT_R + 3, SEAT_R + 3)
        font = QFont(painter.font())
        font.setPointSizeF(8.5)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(QRectF(-SEAT_R, -SEAT_R, 2 * SEAT_R, 2 * SEAT_R),
                         Qt.AlignmentFlag.AlignCenter, str(self.place.seat))
        if self.place.locked:
            self._paint_lock(painter, QPointF(SEAT_R * 0.85, -SEAT_R * 0.85))
        if self.place.person is not None and has_dietary_need(self.place.person.dietary):
            painter.setPen(QPen(QColor("white"), 1))
            painter.setBrush(DIETARY)
            painter.drawEllipse(QPointF(-SEAT_R * 0.8, -SEAT_R * 0.8), 4, 4)
        if self.place.behind:
            painter.setPen(QPen(INK, 1))
            painter.setBrush(QColor("#eef2f6"))
            painter.drawEllipse(QPointF(SEAT_R * 0.9, SEAT_R * 0.9), 5.5, 5.5)
            small = QFont(font)
            small.setPointSizeF(6.5)
            painter.setFont(small)
            painter.drawText(QRectF(SEAT_R * 0.9 - 5.5, SEAT_R * 0.9 - 5.5, 11, 11),
                             Qt.AlignmentFlag.AlignCenter, "i")
        self._paint_label(painter)

    def _paint_lock(self, painter: QPainter, at: QPointF) -> None:
        painter.save()
        painter.translate(at)
        painter.setPen(QPen(INK, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(QRectF(-3.2, -7, 6.4, 8), 0, 180 * 16)
        painter.setPen(QPen(QColor("white"), 0.8))
        painter.setBrush(INK)
        painter.drawRoundedRect(QRectF(-4.5, -3, 9, 7), 1.2, 1.2)
        painter.restore()

    def _paint_label(self, painter: QPainter) -> None:
        rect = self.label_rect
        name_font = QFont(painter.font())
        name_font.setBold(self.place.person is not None)
        name_font.setPointSizeF(9)
        small = QFont(name_font)
        small.setBold(False)
        small.setPointSizeF(7.5)
        name_color = INK if self.place.person is not None else QColor("#8a939c")
        lines: list[tuple[str, QFont, QColor]] = [
            (part, name_font, name_color)
            for part in two_lines(QFontMetricsF(name_font), self.label_text(), rect.width())]
        if self.place.person is not None:
            native = self.place.person.native_name.strip()
            if native and native not in (self.label_text(), display_name(self.place.person)):
                lines.append((native, small, QColor("#5b6775")))
        for b in self.place.behind:
            lines.append((f"behind: {display_name(b)}", small, QColor("#5b6775")))
        heights = [QFontMetricsF(f).height() for _, f, _ in lines]
        total = sum(heights)
        if self.align & Qt.AlignmentFlag.AlignTop:
            y = rect.top()
        elif self.align & Qt.AlignmentFlag.AlignBottom:
            y = rect.bottom() - total
        else:
            y = rect.center().y() - total / 2
        horizontal = self.align & (Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignRight
                                   | Qt.AlignmentFlag.AlignHCenter)
        for (text, font, color), height in zip(lines, heights, strict=True):
            metrics = QFontMetricsF(font)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            painter.setFont(font)
            painter.setPen(color)
            painter.drawText(QRectF(rect.left(), y, rect.width(), height),
                             horizontal | Qt.AlignmentFlag.AlignVCenter, shown)
            y += height

    # -- mouse, drag and drop ----------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._press = event.scenePos()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if (self._press is None or self.place.person is None
                or (event.scenePos() - self._press).manhattanLength() < 8):
            return
        self._press = None
        mime = QMimeData()
        mime.setData(SEAT_MIME, encode_seat(self.seat))
        mime.setText(self.label_text())
        drag = QDrag(event.widget())
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        mime = event.mimeData()
        ok = mime.hasFormat(SEAT_MIME) or mime.hasFormat(PERSON_MIME)
        event.setAccepted(ok)
        if ok:
            self.highlight = True
            self.update()

    def dragLeaveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        self.highlight = False
        self.update()

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        self.highlight = False
        self.update()
        mime = event.mimeData()
        if mime.hasFormat(SEAT_MIME):
            source = decode_seat(mime.data(SEAT_MIME))
            if source is not None and source != self.seat:
                event.acceptProposedAction()
                target = self.seat
                later(lambda: self.view.swap_seats(source, target))
        elif mime.hasFormat(PERSON_MIME):
            try:
                person_id = int(bytes(mime.data(PERSON_MIME).data()).decode())
            except ValueError:
                return
            event.acceptProposedAction()
            target = self.seat
            later(lambda: self.view.place_person(person_id, target))

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        if not self.isSelected():
            self.scene().clearSelection()
            self.setSelected(True)
        menu = self.view.seat_menu(self)
        menu.exec(event.screenPos())


class TableItem(QGraphicsItem):
    """The table top: a circle or a rectangle with its number."""

    def __init__(self, table: TableView, rect: QRectF) -> None:
        super().__init__()
        self.table = table
        self.rect = rect
        self.setZValue(-1)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(INK, 1.6))
        painter.setBrush(TABLE_FILL)
        if self.table.shape == "round":
            painter.drawEllipse(self.rect)
        else:
            painter.drawRoundedRect(self.rect, 4, 4)
        font = QFont(painter.font())
        font.setPointSizeF(12)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(INK)
        title = f"Table {self.table.number}"
        if self.table.name:
            title += f"\n{self.table.name}"
        painter.drawText(self.rect, Qt.AlignmentFlag.AlignCenter, title)


def table_geometry(table: TableView) -> tuple[QRectF, list[tuple[QPointF, QRectF,
                                                                    Qt.AlignmentFlag]]]:
    """The table top's rectangle and, per seat, its centre and label box (relative to the
    seat), in scene units with the table centred on (0, 0)."""
    rule = table.to_table()
    out: list[tuple[QPointF, QRectF, Qt.AlignmentFlag]] = []
    if table.shape == "round":
        n = table.seat_count
        radius = max(55.0, n * 9.5)
        ring = radius + SEAT_R + 6
        width, height = 128.0, 50.0
        for seat in range(1, n + 1):
            pos = rule.position(seat)
            centre = QPointF(pos.x * ring, -pos.y * ring)
            if abs(pos.x) < 0.3:
                top = -pos.y > 0
                label = QRectF(-width / 2, SEAT_R + 4 if top else -SEAT_R - 4 - height,
                               width, height)
                align = (Qt.AlignmentFlag.AlignHCenter
                         | (Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignBottom))
            elif pos.x > 0:
                label = QRectF(SEAT_R + 5, -height / 2, width, height)
                align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            else:
                label = QRectF(-SEAT_R - 5 - width, -height / 2, width, height)
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            out.append((centre, label, align))
        return QRectF(-radius, -radius, 2 * radius, 2 * radius), out
    head = table.shape == "head"
    per_side = table.seat_count if head else table.seat_count // 2
    pitch = 118.0
    width = per_side * pitch
    height = 60.0 if head else 90.0
    rect = QRectF(-width / 2, -height / 2, width, height)
    for seat in range(1, table.seat_count + 1):
        pos = rule.position(seat)
        x = pos.x * width / 2
        below = head or pos.y < 0
        y = height / 2 + SEAT_R + 6 if below else -height / 2 - SEAT_R - 6
        label_h = 50.0
        label = QRectF(-pitch / 2 + 3, SEAT_R + 4 if below else -SEAT_R - 4 - label_h,
                       pitch - 6, label_h)
        align = Qt.AlignmentFlag.AlignHCenter | (
            Qt.AlignmentFlag.AlignTop if below else Qt.AlignmentFlag.AlignBottom)
        out.append((QPointF(x, y), label, align))
    return rect, out


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


class PlanScene(QGraphicsScene):
    """The scene of the tables; knows its seat items by (table, seat)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seats: dict[Seat, SeatItem] = {}


class PlanGraphicsView(QGraphicsView):
    """The drawing: fits the tables in view; L locks or unlocks, Delete unseats."""

    def __init__(self, owner: SeatingView) -> None:
        super().__init__()
        self.owner = owner
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setAcceptDrops(True)
        self.setBackgroundBrush(QColor("#fbfbfa"))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Show every table."""
        scene = self.scene()
        if scene is not None and not scene.itemsBoundingRect().isEmpty():
            self.fitInView(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20),
                           Qt.AspectRatioMode.KeepAspectRatio)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_L and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self.owner.toggle_lock_selected()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.owner.unseat_selected()
            return
        super().keyPressEvent(event)


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

        self.event_box = QComboBox()
        self.event_box.setObjectName("seatingEvent")
        self.event_box.setMinimumContentsLength(28)
        self.event_box.currentIndexChanged.connect(self._event_chosen)
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
        for button in (self.plan_button, self.tables_button, self.options_button,
                       self.lock_button, self.print_button):
            top.addWidget(button)

        self.scene = PlanScene(self)
        self.scene.selectionChanged.connect(self._update_actions)
        self.graphics = PlanGraphicsView(self)
        self.graphics.setScene(self.scene)
        self.graphics.setObjectName("seatingDrawing")

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
        side_layout.addWidget(QLabel("<b>Checks</b>"))
        side_layout.addWidget(self.findings_list, 2)

        splitter = QSplitter()
        splitter.addWidget(self.graphics)
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
        self._events = self.services.protocol.seating_events(visit.id) if visit else []
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
        try:
            self._show(self.services.protocol.seating_plan(self.visit.id, ref))
        except ProtocolError as exc:
            self._show(None)
            show_error(self, "Cannot show the seating plan", exc)

    def _show(self, plan: SeatingPlanView | None) -> None:
        selected = set(self.selected_seats())
        self.plan = plan
        self.scene.seats = {}
        self.scene.blockSignals(True)
        self.scene.clear()
        self.scene.blockSignals(False)
        self.unseated_list.clear()
        self.findings_list.clear()
        if plan is None:
            self.status.setText("This visit has no meal or ceremony to seat."
                                if self.visit is not None else "")
            self.planChanged.emit(None)
            self._update_actions()
            return
        x = 0.0
        y = 0.0
        row_height = 0.0
        for table in plan.tables:
            rect, seats = table_geometry(table)
            bounds = QRectF(rect)
            for centre, label, _align in seats:
                bounds = bounds.united(label.translated(centre)).united(
                    QRectF(centre.x() - SEAT_R, centre.y() - SEAT_R, 2 * SEAT_R, 2 * SEAT_R))
            if x > 0 and x + bounds.width() > 1800:
                x, y, row_height = 0.0, y + row_height + 60, 0.0
            offset = QPointF(x - bounds.left(), y - bounds.top())
            top = TableItem(table, rect.translated(offset))
            self.scene.addItem(top)
            for place, (centre, label, align) in zip(table.places, seats, strict=True):
                item = SeatItem(self, place, label, align, plan)
                item.setPos(centre + offset)
                self.scene.addItem(item)
                self.scene.seats[(place.table, place.seat)] = item
                if (place.table, place.seat) in selected:
                    item.setSelected(True)
            x += bounds.width() + 60
            row_height = max(row_height, bounds.height())
        for person in plan.unseated:
            item = QListWidgetItem(plan.place_card(person))
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setToolTip(person_tooltip(person, plan))
            self.unseated_list.addItem(item)
        for finding in plan.findings:
            self.findings_list.addItem(self._finding_item(finding))
        if not plan.tables:
            self.status.setText("No seating plan yet: choose “Plan automatically” (or "
                                "“Tables…” to choose the tables first).")
        else:
            seated = len(plan.seated_ids)
            state = f"version {plan.version}" if plan.stored else "not saved"
            by = f", last changed by {plan.updated_by}" if plan.updated_by else ""
            self.status.setText(f"{seated} seated, {len(plan.unseated)} without a seat · "
                                f"plan {state}{by}")
        # the scene's rectangle only ever grows by itself: fit it to this plan
        self.scene.setSceneRect(self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.graphics.fit()
        self.planChanged.emit(plan)
        self._update_actions()

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
        self.tables_button.setEnabled(has_event)
        self.options_button.setEnabled(stored)
        self.print_button.setEnabled(self.plan is not None and bool(self.plan.tables))
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
                view = self.services.protocol.seating_plan(visit_id, event_ref)
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
        protocol = self.services.protocol

        def swap(version: int | None) -> SeatingPlanView:
            return protocol.swap(visit_id, ref, tuple(a), tuple(b), expected_version=version)

        return self._push(f"Swap seats {a[1]} and {b[1]}", swap, swap)

    def place_person(self, person_id: int, seat: Seat | None) -> bool:
        """Seat a person (or, with ``seat=None``, unseat them), undoable."""
        if self.visit is None or self.plan is None:
            return False
        visit_id, ref = self.visit.id, self.current_event_ref()
        protocol = self.services.protocol
        before = self.plan.seats()
        tables = self.plan.table_specs()
        options = self.plan.options

        def do(version: int | None) -> SeatingPlanView:
            return protocol.move_seat(visit_id, ref, person_id,
                                      tuple(seat) if seat else None, expected_version=version)

        def undo(version: int | None) -> SeatingPlanView:
            return protocol.save_plan(visit_id, ref, tables, before, options,
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
        protocol = self.services.protocol

        def apply(value: bool) -> Callable[[int | None], SeatingPlanView]:
            return lambda version: protocol.set_locked(visit_id, ref, tuple(seat), value,
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
        protocol = self.services.protocol
        before = self.plan

        def do(version: int | None) -> SeatingPlanView:
            return protocol.plan_seating(visit_id, ref, tables, expected_version=version)

        def undo(version: int | None) -> SeatingPlanView | None:
            if before is None or not before.stored:
                protocol.delete_plan(visit_id, ref, expected_version=version)
                return protocol.seating_plan(visit_id, ref)
            return protocol.save_plan(visit_id, ref, before.table_specs(), before.seats(),
                                      before.options, expected_version=version)

        return self._push("Plan the seating automatically", do, undo)

    def set_options(self, options: SeatingOptions) -> bool:
        """Change how the plan is made (undoable); re-plan to apply."""
        if self.visit is None or self.plan is None or not self.plan.stored:
            return False
        visit_id, ref = self.visit.id, self.current_event_ref()
        protocol = self.services.protocol
        old = self.plan.options

        def apply(value: SeatingOptions) -> Callable[[int | None], SeatingPlanView]:
            return lambda version: protocol.set_seating_options(
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
            short = {"round": "round", "rectangular": "rect", "head": "head"}
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

        def work() -> str:
            from protocol_app.briefing.cards import write_seating_pdf

            write_seating_pdf(Path(path), plan, parts=parts, paper=settings.paper_size or "A4",
                              office=settings.office_name)
            return str(path)

        def done(written: str) -> None:
            self.status.setText(f"Saved the seating chart and cards to {written}")
            self.printed.emit(written)

        self.status.setText("Writing the seating chart and cards…")
        run_task(work, on_success=done, parent=self, title="The cards could not be saved")


class PairListEditor(QWidget):
    """A list of person pairs with two pickers to add one."""

    def __init__(self, people: Sequence[PersonRecord], pairs: Sequence[tuple[int, int]],
                 left: str, right: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = {p.id: display_name(p) for p in people}
        self.list = QListWidget()
        self.first = QComboBox()
        self.second = QComboBox()
        for combo in (self.first, self.second):
            for p in people:
                combo.addItem(display_name(p), p.id)
        add = QPushButton("Add")
        add.clicked.connect(self._add)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: [self.list.takeItem(self.list.row(i))
                                        for i in self.list.selectedItems()])
        row = QHBoxLayout()
        row.addWidget(QLabel(left))
        row.addWidget(self.first, 1)
        row.addWidget(QLabel(right))
        row.addWidget(self.second, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)
        self._right = right
        for a, b in pairs:
            self._append(a, b)

    def _append(self, a: int, b: int) -> None:
        item = QListWidgetItem(f"{self.names.get(a, a)} {self._right} {self.names.get(b, b)}")
        item.setData(Qt.ItemDataRole.UserRole, (a, b))
        self.list.addItem(item)

    def _add(self) -> None:
        a, b = self.first.currentData(), self.second.currentData()
        if a is None or b is None or a == b or (a, b) in self.pairs():
            return
        self._append(int(a), int(b))

    def pairs(self) -> tuple[tuple[int, int], ...]:
        """The pairs listed."""
        return tuple(tuple(self.list.item(i).data(Qt.ItemDataRole.UserRole))  # type: ignore[misc]
                     for i in range(self.list.count()))


class SeatingOptionsDialog(QDialog):
    """How a plan is made: couples together or apart, pairs kept apart, interpreters."""

    def __init__(self, plan: SeatingPlanView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Seating options – {plan.event.title}")
        people = sorted(plan.people.values(), key=display_name)
        self.together = QCheckBox("Seat couples side by side (otherwise apart)")
        self.together.setChecked(plan.options.couples_together)
        self.at_table = QCheckBox("Interpreters sit at the table (otherwise behind)")
        self.at_table.setChecked(plan.options.interpreters_at_table)
        self.couples = PairListEditor(people, plan.options.couples, "", "and")
        self.apart = PairListEditor(people, plan.options.not_together, "", "not next to")
        self.interpreters = PairListEditor(people, plan.interpreters, "Interpreter",
                                           "interprets for")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.together)
        layout.addWidget(QLabel("<b>Couples</b>"))
        layout.addWidget(self.couples)
        layout.addWidget(QLabel("<b>Keep apart</b>"))
        layout.addWidget(self.apart)
        layout.addWidget(self.at_table)
        layout.addWidget(QLabel("<b>Interpreters</b> (by default: the head of delegation's, "
                                "or the host's)"))
        layout.addWidget(self.interpreters)
        layout.addWidget(QLabel("Choose “Plan automatically” afterwards to apply them."))
        layout.addWidget(buttons)

    def options(self) -> SeatingOptions:
        """The options as edited."""
        return SeatingOptions(
            couples_together=self.together.isChecked(), couples=self.couples.pairs(),
            not_together=self.apart.pairs(), interpreters=self.interpreters.pairs(),
            interpreters_at_table=self.at_table.isChecked())


__all__ = ["SeatItem", "SeatingOptionsDialog", "SeatingView", "table_geometry"]
