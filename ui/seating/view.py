"""The seating drawing: the scene of tables and seats and the view that shows it.

:meth:`PlanScene.show_plan` lays a plan out with :func:`ui.seating.geometry.layout_tables`
and fills the scene with :class:`~ui.seating.items.TableItem` and
:class:`~ui.seating.items.SeatItem` (any other arrangement is drawn by
:func:`ui.seating.arrangement_items.add_diagram`); :class:`PlanGraphicsView` fits it
in view and turns the L and Delete keys into the page's lock and unseat.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from protocol_app.services.protocol import SeatingPlanView
from protocol_app.services.protocol.diagrams import diagram_of
from ui.seating.arrangement_items import add_diagram
from ui.seating.geometry import layout_tables
from ui.seating.items import Seat, SeatItem, TableItem, qrect

if TYPE_CHECKING:
    from ui.seating.page import SeatingView

BACKGROUND = QColor("#fbfbfa")


class PlanScene(QGraphicsScene):
    """The scene of the tables; knows its seat items by (table, seat)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seats: dict[Seat, SeatItem] = {}

    def clear_plan(self) -> None:
        """Remove every item (without a selection signal for each)."""
        self.seats = {}
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)

    def show_plan(self, owner: SeatingView, plan: SeatingPlanView,
                  selected: Collection[Seat] = ()) -> None:
        """Draw the plan's tables (the ``selected`` seats selected again)."""
        self.clear_plan()
        diagram = diagram_of(plan)
        if diagram is not None:  # a signing, a meeting, a reception, rows or cars
            self.seats = add_diagram(self, owner, plan, diagram, selected)
            self.setSceneRect(self.itemsBoundingRect().adjusted(-20, -20, 20, 20))
            return
        for placed in layout_tables(plan.tables):
            offset = QPointF(placed.dx, placed.dy)
            self.addItem(TableItem(placed.table, qrect(placed.geometry.top.moved(
                placed.dx, placed.dy))))
            for place, spot in zip(placed.table.places, placed.geometry.seats, strict=True):
                item = SeatItem(owner, place, spot.label, spot.align, plan)
                item.setPos(QPointF(spot.x, spot.y) + offset)
                self.addItem(item)
                self.seats[(place.table, place.seat)] = item
                if (place.table, place.seat) in selected:
                    item.setSelected(True)
        # the scene's rectangle only ever grows by itself: fit it to this plan
        self.setSceneRect(self.itemsBoundingRect().adjusted(-20, -20, 20, 20))


class PlanGraphicsView(QGraphicsView):
    """The drawing: fits the tables in view; L locks or unlocks, Delete unseats."""

    def __init__(self, owner: SeatingView) -> None:
        super().__init__()
        self.owner = owner
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setAcceptDrops(True)
        self.setBackgroundBrush(BACKGROUND)

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
