"""The itinerary as a table: one row per event, times in the event's own zone with the
visit's zone and the delegation's home zone beside them.

Vorta style: column constants, headers in one tuple, rows replaced in one
:meth:`EventsTableModel.set_rows`; the model holds frozen :class:`EventRecord` values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from protocol_app.formatting import zone_abbreviation, zone_city
from protocol_app.records.vocab import EventKind, EventStatus
from protocol_app.services.values import EventRecord
from ui.models.base import Index as _Index
from ui.models.base import RecordTableModel

DAY, TIME, TITLE, KIND, STATUS, VENUE, HOST, VISIT_TIME, HOME_TIME = range(9)
HEADERS: tuple[str, ...] = (
    "Day", "Time", "Title", "Kind", "Status", "Venue", "Host", "Visit time", "Home time",
)

#: Role giving the event's id.
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role giving the whole :class:`EventRecord`.
EVENT_ROLE = Qt.ItemDataRole.UserRole + 2


def local(moment: datetime, zone: str) -> datetime:
    """An aware instant as wall-clock time in ``zone``."""
    return moment.astimezone(ZoneInfo(zone))


def time_range(event: EventRecord, zone: str, *, with_zone: bool = True) -> str:
    """``09:00–09:45 EST`` in ``zone``; an end on a later day says so (``+1 d``)."""
    start, end = local(event.start_utc, zone), local(event.end_utc, zone)
    text = f"{start:%H:%M}–{end:%H:%M}"
    days = (end.date() - start.date()).days
    if days:
        text += f" (+{days} d)"
    if with_zone:
        text += " " + zone_abbreviation(zone, event.start_utc)
    return text


def day_label(day: date) -> str:
    """``Fri 12 Mar 2027``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def event_tooltip(event: EventRecord, visit_zone: str, home_zone: str | None,
                  names: Mapping[int, str]) -> str:
    """Every time of an event, in its zone, the visit's and the delegation's home zone."""
    lines = [event.title, f"{day_label(local(event.start_utc, event.timezone).date())}, "
             f"{time_range(event, event.timezone)} ({zone_city(event.timezone)})"]
    if visit_zone != event.timezone:
        lines.append(f"Visit time: {time_range(event, visit_zone)} ({zone_city(visit_zone)})")
    if home_zone and home_zone not in (event.timezone, visit_zone):
        start = local(event.start_utc, home_zone)
        lines.append(f"Home time: {start:%a} {time_range(event, home_zone)} "
                     f"({zone_city(home_zone)})")
    lines.append(f"{EventKind.label_of(event.kind)} · {event.status}")
    venue = ", ".join(p for p in (event.venue_name, event.venue_room) if p)
    if venue:
        lines.append(venue)
    if event.host_person_id is not None and event.host_person_id in names:
        lines.append(f"Host: {names[event.host_person_id]}")
    return "\n".join(lines)


class EventsTableModel(RecordTableModel[EventRecord]):
    """The events of one visit, in time order."""

    HEADERS = HEADERS  # the module tuple, for the shared counts and header text

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._visit_zone = "UTC"
        self._home_zone: str | None = None
        self._names: dict[int, str] = {}

    # -- filling -----------------------------------------------------------------
    def set_rows(self, events: Sequence[EventRecord], *, visit_zone: str,
                 home_zone: str | None = None, names: Mapping[int, str] | None = None) -> None:
        """Replace every row: ``events`` of a visit in ``visit_zone``; ``home_zone`` is the
        delegation's; ``names`` maps person ids to display names (for the host)."""
        self.beginResetModel()
        self._rows = sorted(events, key=lambda e: (e.start_utc, e.id))
        self._visit_zone = visit_zone
        self._home_zone = home_zone if home_zone != visit_zone else None
        self._names = dict(names or {})
        self.endResetModel()

    def event_at(self, row: int) -> EventRecord:
        """The event shown on ``row``."""
        return self._rows[row]

    def events(self) -> tuple[EventRecord, ...]:
        """Every event, in row order."""
        return tuple(self._rows)

    def row_of(self, event_id: int) -> int | None:
        """The row showing event ``event_id``, if any."""
        return self._find_row(lambda e: e.id == event_id)

    @property
    def home_zone(self) -> str | None:
        """The delegation's home zone when it differs from the visit's."""
        return self._home_zone

    # -- Qt model ------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == VISIT_TIME:
                return f"Visit time ({zone_city(self._visit_zone)})"
            if section == HOME_TIME and self._home_zone:
                return f"Home time ({zone_city(self._home_zone)})"
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == TIME:
                return "Start and end in the event's own time zone"
            if section == VISIT_TIME:
                return f"The same times in the visit's zone, {self._visit_zone}"
            if section == HOME_TIME:
                return (f"The same times in the delegation's home zone, {self._home_zone}"
                        if self._home_zone else "The delegation's home zone is the visit's")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        event = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(event, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return event_tooltip(event, self._visit_zone, self._home_zone, self._names)
        if role == EVENT_ID_ROLE:
            return event.id
        if role == EVENT_ROLE:
            return event
        if role == Qt.ItemDataRole.FontRole and event.status == "cancelled":
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.FontRole and event.status == "tentative":
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and event.status == "cancelled":
            app = QApplication.instance()
            if isinstance(app, QApplication):
                return app.palette().brush(QPalette.ColorGroup.Disabled,
                                           QPalette.ColorRole.Text)
        return None

    def _display(self, event: EventRecord, column: int) -> str:
        if column == DAY:
            return day_label(local(event.start_utc, event.timezone).date())
        if column == TIME:
            text = time_range(event, event.timezone)
            if event.timezone != self._visit_zone:
                text += f" ({zone_city(event.timezone)})"
            return text
        if column == TITLE:
            return event.title
        if column == KIND:
            return EventKind.label_of(event.kind)
        if column == STATUS:
            return EventStatus.label_of(event.status)
        if column == VENUE:
            return ", ".join(p for p in (event.venue_name, event.venue_room) if p)
        if column == HOST:
            return self._names.get(event.host_person_id, "") if event.host_person_id else ""
        if column == VISIT_TIME:
            return time_range(event, self._visit_zone)
        if column == HOME_TIME:
            if not self._home_zone:
                return ""
            start = local(event.start_utc, self._home_zone)
            return f"{start:%a} {time_range(event, self._home_zone)}"
        return ""
