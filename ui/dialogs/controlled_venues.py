"""Edit → Venues with controlled technology…: which venues hold export-controlled
technology (a tour of one makes a visit's risk review required).  Each tick is written
at once through ``services.reviews.set_venue_controlled`` (audited)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from protocol_app.errors import ProtocolError
from ui.dialogs.errors import show_error
from ui.dialogs.forms import dialog_column
from ui.look import secondary


class ControlledVenuesDialog(QDialog):
    """Tick the venues that hold controlled technology."""

    #: A venue's mark changed.
    changed = Signal()

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("controlledVenuesDialog")
        self.setWindowTitle("Venues with controlled technology")
        self.services = services
        hint = QLabel("A tour of a ticked venue (a laboratory, a clean room) makes the visit's "
                      "risk review required: showing controlled technology to foreign "
                      "visitors may be a deemed export.")
        hint.setWordWrap(True)
        secondary(hint)
        self.venues = QListWidget()
        self.venues.setObjectName("controlledVenuesList")
        self.venues.setAccessibleName("Venues")
        marked = services.reviews.controlled_venue_ids()
        for venue in services.travel.venues():
            item = QListWidgetItem(venue.name + (f" — {venue.address}" if venue.address
                                                 else ""))
            item.setData(Qt.ItemDataRole.UserRole, venue.id)
            item.setToolTip(item.text())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if venue.id in marked
                               else Qt.CheckState.Unchecked)
            self.venues.addItem(item)
        self.venues.itemChanged.connect(self._toggled)
        # wide enough for every venue and its address (the screen bounds it: fit.py)
        bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        self.venues.setMinimumWidth(min(self.venues.sizeHintForColumn(0) + bar
                                        + 2 * self.venues.frameWidth() + 8, 1000))
        rows = min(max(self.venues.count(), 4), 16)  # most offices see every venue at once
        self.venues.setMinimumHeight(rows * max(self.venues.sizeHintForRow(0), 1)
                                     + 2 * self.venues.frameWidth())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        dialog_column(self, hint, self.venues, buttons)
        self.setMinimumWidth(480)

    def _toggled(self, item: QListWidgetItem) -> None:
        controlled = item.checkState() == Qt.CheckState.Checked
        try:
            self.services.reviews.set_venue_controlled(item.data(Qt.ItemDataRole.UserRole),
                                                       controlled)
        except ProtocolError as exc:
            show_error(self, "Not saved", exc)
            return
        self.changed.emit()
