"""The graphics items of the seating drawing: a seat (:class:`SeatItem`) and a table top
(:class:`TableItem`), with the drag-and-drop data they exchange.

Every colour comes from :mod:`protocol_app.rules.seat_style`, the palette the printed
chart uses too: :meth:`SeatItem.style` is the seat's :class:`SeatStyle`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDrag,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from protocol_app.rules import seat_style as palette
from protocol_app.rules.names import display_name
from protocol_app.rules.seat_style import SeatStyle, style_of_seat
from protocol_app.services.protocol import (
    SeatingPlanView,
    SeatView,
    TableView,
    has_dietary_need,
)
from protocol_app.services.values import PersonRecord
from ui.seating.geometry import SEAT_R, Box

if TYPE_CHECKING:
    from ui.seating.page import SeatingView

SEAT_MIME = "application/x-protocol-desk-seat"
PERSON_MIME = "application/x-protocol-desk-person"

INK = QColor(palette.INK)
MUTED = QColor(palette.MUTED)
GUIDE = QColor(palette.GUIDE)
SELECTED_RING = QColor("#2f80ed")  # a selected seat (screen only)
DROP_RING = QColor("#e67e22")  # a seat something is dragged over (screen only)

Seat = tuple[int, int]

_HORIZONTAL = {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight,
               "center": Qt.AlignmentFlag.AlignHCenter}
_VERTICAL = {"top": Qt.AlignmentFlag.AlignTop, "bottom": Qt.AlignmentFlag.AlignBottom,
             "center": Qt.AlignmentFlag.AlignVCenter}


def qrect(box: Box) -> QRectF:
    """A geometry box as a Qt rectangle."""
    return QRectF(box.x, box.y, box.w, box.h)


def seat_style_of(place: SeatView) -> SeatStyle:
    """The seat's look, as on the printed chart."""
    dietary = place.person is not None and has_dietary_need(place.person.dietary)
    return style_of_seat(place, dietary=dietary)


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

    def __init__(self, view: SeatingView, place: SeatView, label: Box,
                 align: tuple[str, str], plan: SeatingPlanView) -> None:
        super().__init__()
        self.view = view
        self.place = place
        self.label_rect = qrect(label)
        self.align = _HORIZONTAL[align[0]] | _VERTICAL[align[1]]
        self.plan = plan
        self.highlight = False
        self.show_behind = True  # False where the people behind are drawn on their own
        self.look = seat_style_of(place)
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
        look = self.look
        pen = QPen(QColor(look.border), 1.4)
        if look.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor(look.fill)))
        painter.drawEllipse(QPointF(0, 0), SEAT_R, SEAT_R)
        if self.isSelected() or self.highlight:
            painter.setPen(QPen(SELECTED_RING if self.isSelected() else DROP_RING, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), SEAT_R + 3, SEAT_R + 3)
        font = QFont(painter.font())
        font.setPointSizeF(8.5)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(look.text))
        painter.drawText(QRectF(-SEAT_R, -SEAT_R, 2 * SEAT_R, 2 * SEAT_R),
                         Qt.AlignmentFlag.AlignCenter, str(self.place.seat))
        if "locked" in look.marks:
            self._paint_lock(painter, QPointF(SEAT_R * 0.85, -SEAT_R * 0.85))
        if "dietary" in look.marks:
            painter.setPen(QPen(QColor(palette.WHITE), 1))
            painter.setBrush(QColor(palette.DIETARY))
            painter.drawEllipse(QPointF(-SEAT_R * 0.8, -SEAT_R * 0.8), 4, 4)
        if "interpreter" in look.marks:
            painter.setPen(QPen(INK, 1))
            painter.setBrush(QColor(palette.INTERPRETER_FILL))
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
        painter.setPen(QPen(QColor(palette.WHITE), 0.8))
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
        name_color = INK if self.place.person is not None else GUIDE
        lines: list[tuple[str, QFont, QColor]] = [
            (part, name_font, name_color)
            for part in two_lines(QFontMetricsF(name_font), self.label_text(), rect.width())]
        if self.place.person is not None:
            native = self.place.person.native_name.strip()
            if native and native not in (self.label_text(), display_name(self.place.person)):
                lines.append((native, small, MUTED))
        for b in self.place.behind if self.show_behind else ():
            lines.append((f"behind: {display_name(b)}", small, MUTED))
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
        painter.setBrush(QColor(palette.TABLE_FILL))
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
