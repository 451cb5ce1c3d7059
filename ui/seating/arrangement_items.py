"""The seating page's drawing of an arrangement that is not a banquet table: a signing
table, a meeting's two sides, a receiving line, front rows or a car plan.

:func:`add_diagram` draws the layout of
:func:`protocol_app.services.protocol.diagrams.diagram_of` (the one the seating PDF
prints) into the page's scene, scaled so that its spots are the size of the page's seats:
each seat is a :class:`~ui.seating.items.SeatItem` (it swaps, locks and takes drops as at
a table), a place to stand or a chair behind is a :class:`PersonSpotItem` (a square or a
small circle, not a seat), and the outlines and captions are :class:`OutlineItem` and
:class:`CaptionItem`.  The colours come from :mod:`protocol_app.rules.seat_style`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from protocol_app.rules import seat_style as palette
from protocol_app.rules.names import display_name
from protocol_app.rules.seat_style import seat_style
from protocol_app.services.protocol import SeatingPlanView
from protocol_app.services.protocol.diagrams import Caption, Diagram, Outline, Spot
from ui.seating.geometry import SEAT_R, Box
from ui.seating.items import INK, MUTED, Seat, SeatItem, person_tooltip

if TYPE_CHECKING:
    from ui.seating.page import SeatingView

#: Drawing units to scene units.  The page's seats (radius SEAT_R) are larger than the
#: diagram's spots (SPOT_R) and its labels smaller than the paper's in proportion, so the
#: positions grow by less than the seats: names stay readable when a wide plan is fitted.
SCALE = 1.25


class OutlineItem(QGraphicsItem):
    """A signing or meeting table, the stage, a car seen from above, or the entrance."""

    def __init__(self, outline: Outline) -> None:
        super().__init__()
        self.outline = outline
        self.rect = QRectF(outline.x * SCALE, outline.y * SCALE, outline.w * SCALE,
                           outline.h * SCALE)
        self.setZValue(-1)

    @property
    def title(self) -> str:
        """What the outline says: "Signing table", "Car 1", "Stage"."""
        return self.outline.title

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-2, -36, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        kind = self.outline.kind
        pen = QPen(INK, 1.6)
        if kind == "entrance":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor(palette.TABLE_FILL if kind in ("table", "stage")
                                else palette.WHITE))
        font = QFont(painter.font())
        font.setPointSizeF(12)
        font.setBold(True)
        if kind == "car":
            painter.drawRoundedRect(self.rect, 26, 26)
            painter.setPen(QPen(QColor(palette.GUIDE), 1.2))
            y = self.rect.top() + self.rect.height() * 0.18
            painter.drawLine(QPointF(self.rect.left() + 14, y), QPointF(self.rect.right() - 14, y))
            painter.setFont(font)
            painter.setPen(INK)
            title = self.outline.title + (f" – {self.outline.subtitle}"
                                          if self.outline.subtitle else "")
            painter.drawText(QRectF(self.rect.left() - 60, self.rect.top() - 34,
                                    self.rect.width() + 120, 30),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, title)
            return
        painter.drawRoundedRect(self.rect, 4, 4)
        painter.setFont(font)
        painter.setPen(INK)
        text = self.outline.title + (f"\n{self.outline.subtitle}" if self.outline.subtitle
                                     else "")
        painter.drawText(self.rect, Qt.AlignmentFlag.AlignCenter, text)


class CaptionItem(QGraphicsSimpleTextItem):
    """A side's delegation, a row's letter, a note or a line of a car's list."""

    def __init__(self, caption: Caption) -> None:
        super().__init__(caption.text)
        self.caption = caption
        font = self.font()
        font.setPointSizeF({"side": 12.0, "row": 12.0, "list": 9.0}.get(caption.kind, 10.0))
        font.setBold(caption.kind in ("side", "row"))
        self.setFont(font)
        self.setBrush(INK if caption.kind in ("side", "row") else MUTED)
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(caption.text)
        x = caption.x * SCALE
        x -= {"center": width / 2, "right": width}.get(caption.align, 0.0)
        self.setPos(x, caption.y * SCALE - metrics.ascent())


class PersonSpotItem(QGraphicsItem):
    """A place to stand (a square: a witness, the receiving line), a chair behind a
    principal (a small circle) or the driver's seat: not a seat of the plan."""

    def __init__(self, spot: Spot, plan: SeatingPlanView, label: Box) -> None:
        super().__init__()
        self.spot = spot
        self.plan = plan
        self.label_rect = QRectF(label.x, label.y, label.w, label.h)
        self.look = seat_style(occupied=spot.person is not None, side=spot.side,
                               role="interpreter" if spot.posture == "behind" else "")
        tip = [spot.caption] if spot.caption else []
        if spot.person is not None:
            tip.append(person_tooltip(spot.person, plan))
        self.setToolTip("\n".join(tip))

    def label_text(self) -> str:
        """The name in place-card form, or what the place is (the driver's seat)."""
        if self.spot.person is None:
            return self.spot.caption
        return self.plan.place_card(self.spot.person)

    def boundingRect(self) -> QRectF:
        return QRectF(-SEAT_R - 2, -SEAT_R - 2, 2 * SEAT_R + 4,
                      2 * SEAT_R + 4).united(self.label_rect)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(self.look.border), 1.4)
        if self.look.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor(self.look.fill)))
        box = QRectF(-SEAT_R, -SEAT_R, 2 * SEAT_R, 2 * SEAT_R)
        if self.spot.posture == "standing":
            painter.drawRect(box.adjusted(1, 1, -1, -1))
        else:
            painter.drawEllipse(box)
        font = QFont(painter.font())
        font.setPointSizeF(8.5)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(self.look.text))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.spot.number)
        if self.spot.label == "none":
            return
        lines = [(self.label_text(), True)]
        if self.spot.person is not None:
            native = self.spot.person.native_name.strip()
            if native and native not in (lines[0][0], display_name(self.spot.person)):
                lines.append((native, False))
            if self.spot.caption:
                lines.append((self.spot.caption, False))
        _paint_lines(painter, lines, self.label_rect, self.spot.label)


def _paint_lines(painter: QPainter, lines: list[tuple[str, bool]], rect: QRectF,
                 where: str) -> None:
    """Name lines in ``rect``: the first bold; aligned towards the spot."""
    fonts = []
    for _text, bold in lines:
        font = QFont(painter.font())
        font.setBold(bold)
        font.setPointSizeF(9 if bold else 7.5)
        fonts.append(font)
    heights = [QFontMetricsF(f).height() for f in fonts]
    y = rect.bottom() - sum(heights) if where == "above" else (
        rect.top() if where == "below" else rect.center().y() - sum(heights) / 2)
    horizontal = {"left": Qt.AlignmentFlag.AlignRight,
                  "right": Qt.AlignmentFlag.AlignLeft}.get(where, Qt.AlignmentFlag.AlignHCenter)
    for (text, bold), font, height in zip(lines, fonts, heights, strict=True):
        painter.setFont(font)
        painter.setPen(INK if bold else MUTED)
        shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRectF(rect.left(), y, rect.width(), height),
                         horizontal | Qt.AlignmentFlag.AlignVCenter, shown)
        y += height


LABEL_H = 46.0


def label_box(spot: Spot) -> tuple[Box, tuple[str, str]]:
    """The label's box around a spot (scene units, relative to its centre) and its
    alignment for :class:`SeatItem`."""
    width = spot.label_w * SCALE
    if spot.label == "none":
        return Box(0, 0, 0, 0), ("center", "center")
    if spot.label == "above":
        return Box(-width / 2, -SEAT_R - 4 - LABEL_H, width, LABEL_H), ("center", "bottom")
    if spot.label == "left":
        return Box(-SEAT_R - 6 - width, -LABEL_H / 2, width, LABEL_H), ("right", "center")
    if spot.label == "right":
        return Box(SEAT_R + 6, -LABEL_H / 2, width, LABEL_H), ("left", "center")
    return Box(-width / 2, SEAT_R + 4, width, LABEL_H), ("center", "top")


def add_diagram(scene: QGraphicsScene, owner: SeatingView, plan: SeatingPlanView,
                diagram: Diagram, selected: Collection[Seat] = ()) -> dict[Seat, SeatItem]:
    """Draw ``diagram`` into ``scene``; returns the seat items by (table, seat)."""
    seats: dict[Seat, SeatItem] = {}
    drawn = {s.person.id for s in diagram.spots if s.person is not None and s.place is None}
    for outline in diagram.outlines:
        scene.addItem(OutlineItem(outline))
    for caption in diagram.captions:
        scene.addItem(CaptionItem(caption))
    for spot in diagram.spots:
        box, align = label_box(spot)
        item: QGraphicsItem
        if spot.place is not None:
            seat_item = SeatItem(owner, spot.place, box, align, plan)
            seat_item.show_behind = not {b.id for b in spot.place.behind} <= drawn
            seats[seat_item.seat] = seat_item
            seat_item.setSelected(seat_item.seat in selected)
            item = seat_item
        else:
            item = PersonSpotItem(spot, plan, box)
        item.setPos(QPointF(spot.x * SCALE, spot.y * SCALE))
        scene.addItem(item)
    return seats
