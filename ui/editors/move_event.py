"""The "Move…" dialog: a new start day and time for an event, from the keyboard.

The time is typed as wall-clock time in the event's own zone, in steps of 15 minutes;
the event keeps its length.  A time the clocks skip is refused with the core's message.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QFocusEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from protocol_app.formatting import zone_abbreviation, zone_city, zone_short
from protocol_app.services.values import EventRecord
from protocol_app.timeutil import LocalTimeError, local_to_utc
from ui.dialogs.fit import fit_to_screen
from ui.editors import FieldErrors

STEP_MINUTES = 15


class QuarterTimeEdit(QTimeEdit):
    """A time edit whose arrows and Up/Down keys step by 15 minutes."""

    def stepBy(self, steps: int) -> None:
        if self.currentSection() == QTimeEdit.Section.MinuteSection:
            self.setTime(self.time().addSecs(steps * STEP_MINUTES * 60))
        else:
            super().stepBy(steps)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.setCurrentSection(QTimeEdit.Section.MinuteSection)


class MoveEventDialog(QDialog):
    """Choose a new start for ``event``; :meth:`new_start` gives it in UTC."""

    def __init__(self, event: EventRecord, parent: QWidget | None = None,
                 *, visit_zone: str | None = None) -> None:
        super().__init__(parent)
        self.event_record = event
        self.visit_zone = visit_zone or event.timezone
        self.errors = FieldErrors()
        self._start: datetime | None = None
        self.setObjectName("moveEventDialog")
        self.setWindowTitle(f"Move — {event.title}")
        zone = ZoneInfo(event.timezone)
        local = event.start_utc.astimezone(zone)

        title = QLabel(f"<b>{_escape(event.title)}</b>")
        title.setWordWrap(True)
        self.day = QDateEdit(objectName="moveDate")
        self.day.setAccessibleName("New date")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.day.setDate(QDate(local.year, local.month, local.day))
        self.time = QuarterTimeEdit(objectName="moveTime")
        self.time.setAccessibleName(f"New start time in {zone_short(event.timezone)}")
        self.time.setDisplayFormat("HH:mm")
        self.time.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.time.setTime(QTime(local.hour, local.minute))
        self.time.setCurrentSection(QTimeEdit.Section.MinuteSection)
        self.result_label = QLabel()
        self.result_label.setObjectName("moveResult")
        self.result_label.setWordWrap(True)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        day_label = QLabel("&Day:")
        day_label.setBuddy(self.day)
        time_label = QLabel(f"&Start ({zone_city(event.timezone)}):")
        time_label.setBuddy(self.time)
        form.addRow(day_label, self.day)
        form.addRow(time_label, self.errors.wrap("start", self.time))
        form.addRow("", self.result_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Move")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.day.dateChanged.connect(self._update)
        self.time.timeChanged.connect(self._update)
        self._update()
        self.time.setFocus()
        self.resize(460, self.sizeHint().height())
        fit_to_screen(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.time.setCurrentSection(QTimeEdit.Section.MinuteSection)
        self.time.lineEdit().setSelection(3, 2)

    def local_start(self) -> datetime:
        """The chosen start: naive wall-clock time in the event's zone."""
        d, t = self.day.date(), self.time.time()
        return datetime.combine(date(d.year(), d.month(), d.day()), time(t.hour(), t.minute()))

    def set_local_start(self, local: datetime) -> None:
        """Put a wall-clock start into the fields (keyboard users and tests)."""
        self.day.setDate(QDate(local.year, local.month, local.day))
        self.time.setTime(QTime(local.hour, local.minute))

    def _update(self, *_: object) -> None:
        self.errors.clear()
        try:
            start = local_to_utc(self.local_start(), self.event_record.timezone)
        except LocalTimeError as exc:
            self._start = None
            self.errors.show("start", str(exc))
            self.result_label.setText("")
            self.ok_button.setEnabled(False)
            return
        self._start = start
        end = start + (self.event_record.end_utc - self.event_record.start_utc)
        zone = self.event_record.timezone
        a, b = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
        text = f"New time: {a:%a %d %b %H:%M}–{b:%H:%M} {zone_abbreviation(zone, start)}"
        if self.visit_zone != zone:
            va = start.astimezone(ZoneInfo(self.visit_zone))
            text += f"\nVisit time: {va:%a %d %b %H:%M} ({zone_city(self.visit_zone)})"
        self.result_label.setText(text)
        self.ok_button.setEnabled(start != self.event_record.start_utc)

    def new_start(self) -> datetime | None:
        """The chosen start as an aware UTC datetime (None when it cannot be placed)."""
        return self._start

    def accept(self) -> None:
        if self._start is None:
            return
        super().accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

