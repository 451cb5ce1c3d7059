"""The agenda: one column per day, a vertical time axis, events as cards.

Over 800 lines because the canvas, its day headers and its zoom share one geometry (hour
height, gutter, fitted day); the next clean cut is the day headers (:class:`DayHeader`).

Everything is painted (:class:`AgendaCanvas`) inside a :class:`QScrollArea`, with the day
headers (:class:`DayHeader`) kept above it.  The axis is wall-clock time in the visit's
zone: a day when the clocks change shows the skipped hour hatched (or the repeated hour
shaded), and its header says so.  Cards are sized by duration; overlapping events sit
side by side; cancelled ones are greyed and struck through, tentative ones dashed.

A card can be dragged to another time or day; the drop snaps to 15 minutes and is
reported as :attr:`AgendaCanvas.moveRequested` (the itinerary does the write).

Zoom: Ctrl+wheel and Ctrl+plus/minus change the height of an hour; Ctrl+0 "fits the
day" (the default): the hours from the day's first event to its last fill the height.
The zoom chosen is remembered per user (``QSettings`` key ``agenda/hour_height``, 0 for
"fit the day").  A card is at least two title lines tall, and its title wraps onto two
lines (three on a tall card) before it is cut (:mod:`ui.pages.agenda_text`); a card's
tooltip always has the whole title.  (Over 800 lines: the canvas, its header and the
view share their geometry closely; splitting them would spread one drawing over files.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from protocol_app.formatting import zone_city, zone_label, zone_offset_label
from protocol_app.services.values import EventRecord
from ui.models.events_model import event_tooltip, time_range
from ui.models.zones import (
    Transition,
    day_transition,
    hours_between,
)
from ui.pages.agenda_text import CardLine, card_lines, grown_to_two_lines, wrap_lines

SNAP_MINUTES = 15
DAY_MINUTES = 24 * 60
GUTTER = 62
TOP_PAD = 10
MIN_COLUMN = 170
MAX_HOUR_HEIGHT = 400
ZOOM_STEP = 1.25
SETTINGS_KEY = "agenda/hour_height"

#: Hue of each event kind (lightness and saturation follow the palette).
KIND_HUES: dict[str, int] = {
    "meeting": 212, "meal": 28, "tour": 140, "ceremony": 276, "transport": 188,
    "press": 334, "private": 48,
}


@dataclass(frozen=True, slots=True)
class Segment:
    """The part of an event drawn in one day column (events past midnight have two)."""

    event: EventRecord
    day_index: int
    start: int  # minutes after local midnight (wall clock)
    end: int
    first: bool  # the segment holding the event's start
    column: int = 0
    columns: int = 1


def snap(minutes: float, step: int = SNAP_MINUTES) -> int:
    """``minutes`` rounded to the nearest ``step``."""
    return int(round(minutes / step) * step)


def wall_minutes(moment: datetime) -> int:
    """Minutes after midnight on the wall clock."""
    return moment.hour * 60 + moment.minute


def layout_day(segments: list[Segment], min_minutes: int) -> list[Segment]:
    """Side-by-side columns for overlapping segments of one day."""
    ordered = sorted(segments, key=lambda s: (s.start, -(s.end - s.start), s.event.id))
    placed: list[Segment] = []
    cluster: list[tuple[Segment, int]] = []
    column_ends: list[int] = []
    cluster_end = -1

    def flush() -> None:
        count = max((c for _s, c in cluster), default=-1) + 1
        for segment, column in cluster:
            placed.append(Segment(segment.event, segment.day_index, segment.start,
                                  segment.end, segment.first, column, count))

    for segment in ordered:
        visual_end = max(segment.end, segment.start + min_minutes)
        if segment.start >= cluster_end and cluster:
            flush()
            cluster, column_ends = [], []
        for column, end in enumerate(column_ends):
            if end <= segment.start:
                column_ends[column] = visual_end
                break
        else:
            column = len(column_ends)
            column_ends.append(visual_end)
        cluster.append((segment, column))
        cluster_end = max(cluster_end, visual_end)
    if cluster:
        flush()
    return placed


class AgendaCanvas(QWidget):
    """The painted days and cards (lives inside :class:`AgendaView`'s scroll area)."""

    selectionChanged = Signal(object)  # event id or None
    editRequested = Signal(int)
    addRequested = Signal(object, int)  # date, minutes after midnight (visit zone)
    moveRequested = Signal(int, object, int)  # event id, date, minutes (visit zone)
    deleteRequested = Signal(int)
    contextMenuRequested = Signal(QPoint)  # global position
    zoomChanged = Signal(int)  # the new hour height
    zoomedByUser = Signal()  # Ctrl+wheel
    zoomKey = Signal(int)  # Ctrl+plus: 1, Ctrl+minus: -1, Ctrl+0: 0 (when no shortcut took it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaCanvas")
        self.setAccessibleName("Agenda")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.zone = "UTC"
        self.home_zone: str | None = None
        self.days: list[date] = []
        self.visit_days: set[date] = set()
        self.events: list[EventRecord] = []
        self.segments: list[Segment] = []
        self.transitions: dict[int, Transition] = {}
        self.selected_id: int | None = None
        self._rects: list[tuple[QRectF, Segment]] = []
        self._press: tuple[QPoint, Segment, int] | None = None  # pos, segment, grab offset
        self._drag_target: int | None = None  # absolute minutes from the first day
        self._font_metrics()

    # -- geometry --------------------------------------------------------------------
    def _font_metrics(self) -> None:
        base = self.font()
        self.title_font = QFont(base)
        self.title_font.setBold(True)
        self.small_font = QFont(base)
        self.small_font.setPointSizeF(max(7.0, base.pointSizeF() * 0.9))
        self.line = QFontMetrics(base).lineSpacing()
        self.two_line_height = 2 * QFontMetrics(self.title_font).lineSpacing() + 7
        """How tall a card grows, where the space below it is free, so that a short
        event's title wraps onto two lines rather than being cut to one."""
        self.hour_height = max(60, round(self.line * 3.4))

    def min_hour_height(self) -> int:
        """The smallest zoom: a one-hour card still holds its title line."""
        return self.line + 8

    def set_hour_height(self, height: int) -> None:
        """Zoom: the height of one hour, in pixels (clamped to readable limits)."""
        height = max(self.min_hour_height(), min(MAX_HOUR_HEIGHT, int(height)))
        if height == self.hour_height:
            return
        self.hour_height = height
        self._split()
        self.setMinimumSize(self.minimumSizeHint())
        self.resize(self.width(), self.content_height())
        self._layout_rects()
        self.update()
        self.zoomChanged.emit(height)

    def busy_span(self) -> tuple[int, int]:
        """The wall-clock minutes from the earliest start to the latest end of any day
        (08:00–18:00 when there are no events)."""
        firsts = [s.start for s in self.segments if s.first]  # not a night's continuation
        lasts = [s.end for s in self.segments if s.first or s.end < 12 * 60]
        lasts = [end for end in lasts if end < DAY_MINUTES] or lasts
        if not firsts:
            return 8 * 60, 18 * 60
        return min(firsts), max(lasts)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_hour_height(round(self.hour_height * ZOOM_STEP ** steps))
                self.zoomedByUser.emit()
            event.accept()
            return
        super().wheelEvent(event)

    @property
    def pixels_per_minute(self) -> float:
        """Vertical scale of the time axis."""
        return self.hour_height / 60

    @property
    def min_card_minutes(self) -> int:
        """The shortest card drawn (one line of text), in minutes of the axis."""
        return int((self.line + 6) / self.pixels_per_minute) + 1

    def sizeHint(self) -> QSize:
        return QSize(GUTTER + max(1, len(self.days)) * 200, self.content_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(GUTTER + max(1, len(self.days)) * MIN_COLUMN, self.content_height())

    def content_height(self) -> int:
        """Height of the whole day (24 h) plus margins."""
        return TOP_PAD * 2 + 24 * self.hour_height

    def column_width(self) -> float:
        """Width of one day column."""
        return max(MIN_COLUMN, (self.width() - GUTTER - 8) / max(1, len(self.days)))

    def column_x(self, day_index: int) -> float:
        """Left edge of a day column."""
        return GUTTER + day_index * self.column_width()

    def y_of(self, minutes: float) -> float:
        """The y of a wall-clock time (minutes after midnight)."""
        return TOP_PAD + minutes * self.pixels_per_minute

    def minutes_at(self, y: float) -> float:
        """The wall-clock minutes at ``y``."""
        return (y - TOP_PAD) / self.pixels_per_minute

    def day_index_at(self, x: float) -> int:
        """The day column under ``x`` (clamped to the days shown)."""
        index = int((x - GUTTER) // self.column_width())
        return max(0, min(len(self.days) - 1, index))

    def point_for(self, day: date, minutes: int) -> QPoint:
        """The centre of a day column at a wall-clock time (tests, keyboard)."""
        index = self.days.index(day)
        return QPoint(round(self.column_x(index) + self.column_width() / 2),
                      round(self.y_of(minutes)))

    def card_rect(self, event_id: int) -> QRect:
        """Where the first segment of an event is drawn."""
        for rect, segment in self._rects:
            if segment.event.id == event_id and segment.first:
                return rect.toAlignedRect()
        for rect, segment in self._rects:
            if segment.event.id == event_id:
                return rect.toAlignedRect()
        return QRect()

    # -- data ------------------------------------------------------------------------
    def set_events(self, events: Sequence[EventRecord], zone: str, first: date, last: date,
                   home_zone: str | None = None) -> None:
        """Show ``events`` on the days ``first``..``last`` (widened to every event)."""
        self.zone = zone
        self.home_zone = home_zone if home_zone != zone else None
        self.events = sorted(events, key=lambda e: (e.start_utc, e.id))
        tz = ZoneInfo(zone)
        start, end = first, last
        for e in self.events:
            start = min(start, e.start_utc.astimezone(tz).date())
            end = max(end, (e.end_utc - timedelta(minutes=1)).astimezone(tz).date())
        self.days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        self.visit_days = {first + timedelta(days=i) for i in range((last - first).days + 1)}
        self.transitions = {}
        for index, day in enumerate(self.days):
            change = day_transition(zone, day)
            if change is not None:
                self.transitions[index] = change
        self._split()
        if self.selected_id is not None and all(e.id != self.selected_id for e in self.events):
            self.selected_id = None
        self.setMinimumSize(self.minimumSizeHint())
        self._layout_rects()
        self.update()

    def _split(self) -> None:
        tz = ZoneInfo(self.zone)
        index_of = {d: i for i, d in enumerate(self.days)}
        raw: dict[int, list[Segment]] = {}
        for event in self.events:
            start = event.start_utc.astimezone(tz)
            end = event.end_utc.astimezone(tz)
            day, first = start.date(), True
            while day <= end.date():
                begin = wall_minutes(start) if first else 0
                finish = wall_minutes(end) if day == end.date() else DAY_MINUTES
                if day == end.date() and not first and finish == 0:
                    break
                finish = max(finish, begin + SNAP_MINUTES) if first else finish
                index = index_of.get(day)
                if index is not None and finish > begin:
                    raw.setdefault(index, []).append(
                        Segment(event, index, begin, min(finish, DAY_MINUTES), first))
                first = False
                day += timedelta(days=1)
        self.segments = [s for index in sorted(raw)
                         for s in layout_day(raw[index], self.min_card_minutes)]

    def _layout_rects(self) -> None:
        self._rects = []
        width = self.column_width()
        for segment in self.segments:
            lane = (width - 10) / segment.columns
            x = self.column_x(segment.day_index) + 4 + segment.column * lane
            top = self.y_of(segment.start)
            height = max(self.line + 6, self.y_of(segment.end) - top)
            self._rects.append((QRectF(x + 1, top + 1, lane - 3, height - 2), segment))
        self._rects = grown_to_two_lines(self._rects, self.two_line_height - 2,
                                         self.y_of(DAY_MINUTES))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout_rects()
        super().resizeEvent(event)

    def select(self, event_id: int | None) -> None:
        """Select an event (None: nothing) and tell listeners."""
        if event_id == self.selected_id:
            return
        self.selected_id = event_id
        selected = self.selected_event()
        self.setAccessibleDescription(
            f"{selected.title}, {time_range(selected, selected.timezone)}" if selected else "")
        self.update()
        self.selectionChanged.emit(event_id)

    def selected_event(self) -> EventRecord | None:
        """The selected event, if any."""
        return next((e for e in self.events if e.id == self.selected_id), None)

    def segment_at(self, pos: QPoint) -> Segment | None:
        """The card under ``pos`` (the topmost one)."""
        for rect, segment in reversed(self._rects):
            if rect.contains(pos.toPointF()):
                return segment
        return None

    # -- painting --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Base))
        self._paint_grid(painter, palette, event.rect())
        for rect, segment in self._rects:
            if rect.intersects(QRectF(event.rect())):
                self._paint_card(painter, palette, rect, segment)
        self._paint_drag(painter, palette)
        painter.end()

    def _paint_grid(self, painter: QPainter, palette: QPalette, clip: QRect) -> None:
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        line = _mix(base, text, 0.14)
        half = _mix(base, text, 0.06)
        width = self.column_width()
        right = GUTTER + width * len(self.days)
        # days outside the visit: a faint tint
        for index, day in enumerate(self.days):
            if day not in self.visit_days:
                painter.fillRect(QRectF(self.column_x(index), 0, width, self.height()),
                                 _mix(base, text, 0.035))
        # clock changes
        for index, change in self.transitions.items():
            self._paint_transition(painter, palette, index, change)
        painter.setFont(self.small_font)
        metrics = QFontMetrics(self.small_font)
        for hour in range(25):
            y = self.y_of(hour * 60)
            if y < clip.top() - self.hour_height or y > clip.bottom() + self.hour_height:
                continue
            painter.setPen(QPen(line, 1))
            painter.drawLine(QRectF(GUTTER - 6, y, right - GUTTER + 6, 0).topLeft(),
                             QRectF(right, y, 0, 0).topLeft())
            if hour < 24:
                painter.setPen(QPen(half, 1, Qt.PenStyle.DotLine))
                yh = self.y_of(hour * 60 + 30)
                painter.drawLine(QPoint(GUTTER, round(yh)), QPoint(round(right), round(yh)))
            painter.setPen(_mix(base, text, 0.65))
            label = f"{hour % 24:02d}:00"
            box = QRectF(0, y - metrics.height() / 2, GUTTER - 10, metrics.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             label)
        painter.setPen(QPen(line, 1))
        for index in range(len(self.days) + 1):
            x = round(self.column_x(index))
            painter.drawLine(QPoint(x, 0), QPoint(x, self.height()))

    def _paint_transition(self, painter: QPainter, palette: QPalette, index: int,
                          change: Transition) -> None:
        start = change.start.hour * 60 + change.start.minute
        end = change.end.hour * 60 + change.end.minute
        rect = QRectF(self.column_x(index) + 1, self.y_of(start), self.column_width() - 2,
                      self.y_of(end) - self.y_of(start))
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(rect, _mix(base, text, 0.06))
        if change.forward:
            brush = QBrush(_mix(base, text, 0.28), Qt.BrushStyle.BDiagPattern)
            painter.fillRect(rect, brush)
            label = (f"{change.start:%H:%M}–{change.end:%H:%M} skipped: clocks go forward "
                     f"({change.before} → {change.after})")
        else:
            label = (f"{change.start:%H:%M}–{change.end:%H:%M} happens twice: clocks go back "
                     f"({change.before} → {change.after})")
        painter.setFont(self.small_font)
        metrics = QFontMetrics(self.small_font)
        lines = wrap_lines(label, metrics, int(rect.width() - 12),
                           max(1, int(rect.height() // metrics.lineSpacing())))
        box = rect.adjusted(6, 2, -6, -2)
        text_rect = QRectF(box.left(), box.top(), box.width(),
                           metrics.lineSpacing() * len(lines))
        text_rect.moveCenter(box.center())
        painter.fillRect(text_rect.adjusted(-3, -1, 3, 1), _mix(base, text, 0.04))
        painter.setPen(_mix(base, text, 0.8))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, "\n".join(lines))

    def card_colors(self, event: EventRecord, palette: QPalette) -> tuple[QColor, QColor, QColor]:
        """Fill, accent and text colours of a card."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        dark = base.lightness() < 128
        hue = KIND_HUES.get(event.kind, 210)
        if event.status == "cancelled":
            grey = _mix(base, text, 0.10)
            return grey, _mix(base, text, 0.35), _mix(base, text, 0.55)
        accent = QColor.fromHsl(hue, 150, 150 if dark else 105)
        fill = QColor.fromHsl(hue, 120 if dark else 170, 62 if dark else 228)
        if event.status == "tentative":
            fill = _mix(fill, base, 0.55)
        return fill, accent, text

    def _paint_card(self, painter: QPainter, palette: QPalette, rect: QRectF,
                    segment: Segment) -> None:
        event = segment.event
        dragging = self._drag_target is not None and self._press is not None and \
            self._press[1].event.id == event.id
        fill, accent, text = self.card_colors(event, palette)
        painter.save()
        if dragging:
            painter.setOpacity(0.35)
        selected = event.id == self.selected_id
        border = QPen(palette.color(QPalette.ColorRole.Highlight) if selected else accent,
                      2.2 if selected else 1.2)
        if event.status == "tentative":
            border.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 5, 5)
        # the accent stripe on the left
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        stripe = QRectF(rect.left() + 1.5, rect.top() + 1.5, 4, rect.height() - 3)
        painter.drawRoundedRect(stripe, 2, 2)
        painter.setClipRect(rect.adjusted(8, 2, -4, -2))
        self._paint_card_text(painter, _text_box(rect), segment, text)
        painter.restore()

    def _card_time(self, event: EventRecord) -> str:
        text = time_range(event, event.timezone, with_zone=event.timezone != self.zone)
        if event.timezone != self.zone:
            text += f" {zone_city(event.timezone)}"
        if self.home_zone:
            home = event.start_utc.astimezone(ZoneInfo(self.home_zone))
            text += f" · {zone_city(self.home_zone)} {home:%H:%M}"
        return text

    def card_text(self, segment: Segment, box: QRectF) -> tuple[QFont, QFont, list[CardLine]]:
        """The title font, the small font and the lines a card's text ``box`` shows
        (:func:`ui.pages.agenda_text.card_lines`)."""
        event = segment.event
        title_font = QFont(self.title_font)
        if event.status == "cancelled":
            title_font.setStrikeOut(True)
        when = self._card_time(event)
        if not segment.first:
            when = "continued · " + when
        if event.status != "confirmed":
            when += f" · {event.status}"
        start = event.start_utc.astimezone(ZoneInfo(event.timezone))
        prefix = f"{start:%H:%M} " if segment.first else "… "
        small = QFont(self.small_font)
        return title_font, small, card_lines(
            event.title, when, event.venue_name, prefix, title_metrics=QFontMetrics(title_font),
            small_metrics=QFontMetrics(small), width=int(box.width()), height=box.height())

    def card_lines_of(self, event_id: int) -> list[CardLine]:
        """The lines the (first) card of an event shows now."""
        for rect, segment in self._rects:
            if segment.event.id == event_id:
                return self.card_text(segment, _text_box(rect))[2]
        return []

    def _paint_card_text(self, painter: QPainter, box: QRectF, segment: Segment,
                         color: QColor) -> None:
        title_font, small, lines = self.card_text(segment, box)
        width, y = int(box.width()), box.top()
        for line in lines:
            font = title_font if line.title else small
            painter.setFont(font)
            painter.setPen(color if line.title else
                           _mix(self.palette().color(QPalette.ColorRole.Base), color, 0.8))
            spacing = QFontMetrics(font).lineSpacing()
            painter.drawText(QRectF(box.left(), y, width, spacing),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             line.text)
            y += spacing

    def _paint_drag(self, painter: QPainter, palette: QPalette) -> None:
        if self._drag_target is None or self._press is None:
            return
        event = self._press[1].event
        day_index, minute = divmod(self._drag_target, DAY_MINUTES)
        length = max(SNAP_MINUTES, int((event.end_utc - event.start_utc).total_seconds() // 60))
        width = self.column_width()
        top = self.y_of(minute)
        bottom = self.y_of(min(DAY_MINUTES, minute + length))
        rect = QRectF(self.column_x(day_index) + 4, top, width - 10, max(self.line + 6,
                                                                       bottom - top))
        highlight = palette.color(QPalette.ColorRole.Highlight)
        fill = QColor(highlight)
        fill.setAlpha(40)
        painter.setPen(QPen(highlight, 2, Qt.PenStyle.DashLine))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 5, 5)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.setFont(self.title_font)
        day = self.days[day_index]
        end_minute = minute + length
        label = (f"{day:%a} {day.day} {day:%b} · {minute // 60:02d}:{minute % 60:02d}"
                 f"–{(end_minute // 60) % 24:02d}:{end_minute % 60:02d}")
        painter.drawText(rect.adjusted(10, 3, -6, -3),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         QFontMetrics(self.title_font).elidedText(
                             label, Qt.TextElideMode.ElideRight, int(rect.width() - 16)))

    # -- mouse and keyboard ----------------------------------------------------------
    def _absolute(self, pos: QPoint) -> int:
        return self.day_index_at(pos.x()) * DAY_MINUTES + round(self.minutes_at(pos.y()))

    def _event_start_absolute(self, event: EventRecord) -> int:
        start = event.start_utc.astimezone(ZoneInfo(self.zone))
        index = self.days.index(start.date()) if start.date() in self.days else 0
        return index * DAY_MINUTES + wall_minutes(start)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        segment = self.segment_at(event.position().toPoint())
        self.select(segment.event.id if segment else None)
        if segment is not None and event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            offset = self._absolute(pos) - self._event_start_absolute(segment.event)
            self._press = (pos, segment, offset)
        else:
            self._press = None
        self._drag_target = None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            segment = self.segment_at(event.position().toPoint())
            movable = segment is not None and segment.event.status != "cancelled"
            self.setCursor(Qt.CursorShape.OpenHandCursor if movable
                           else Qt.CursorShape.ArrowCursor)
            return
        pos, segment, offset = self._press
        if segment.event.status == "cancelled":
            return
        moved = event.position().toPoint() - pos
        if self._drag_target is None and \
                moved.manhattanLength() < QApplication.startDragDistance():
            return
        area = self.parent().parent() if self.parent() else None
        if isinstance(area, QScrollArea):  # scroll along when dragging past the edge
            point = event.position().toPoint()
            area.ensureVisible(point.x(), point.y(), 20, round(self.hour_height / 2))
        target = snap(self._absolute(event.position().toPoint()) - offset)
        last_day = len(self.days) - 1
        target = max(0, min(last_day * DAY_MINUTES + DAY_MINUTES - SNAP_MINUTES, target))
        if target != self._drag_target:
            self._drag_target = target
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, target = self._press, self._drag_target
        self._press, self._drag_target = None, None
        self.unsetCursor()
        if press is not None and target is not None:
            self.update()
            event_record = press[1].event
            if target != self._event_start_absolute(event_record):
                day_index, minute = divmod(target, DAY_MINUTES)
                self.moveRequested.emit(event_record.id, self.days[day_index], minute)
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        segment = self.segment_at(pos)
        if segment is not None:
            self.editRequested.emit(segment.event.id)
        elif pos.x() > GUTTER and self.days:
            minute = max(0, min(DAY_MINUTES - 60, snap(self.minutes_at(pos.y()) - 30, 30)))
            self.addRequested.emit(self.days[self.day_index_at(pos.x())], minute)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        segment = self.segment_at(event.pos())
        self.select(segment.event.id if segment else None)
        self.contextMenuRequested.emit(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        zoom = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Equal: 1, Qt.Key.Key_Minus: -1,
                Qt.Key.Key_0: 0}.get(Qt.Key(key))
        if zoom is not None and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoomKey.emit(zoom)
            return
        if key == Qt.Key.Key_Escape and self._press is not None:
            self._press, self._drag_target = None, None
            self.unsetCursor()
            self.update()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Left,
                   Qt.Key.Key_Home, Qt.Key.Key_End) and self.events:
            ids = [e.id for e in self.events]
            current = ids.index(self.selected_id) if self.selected_id in ids else -1
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Right):
                current = min(len(ids) - 1, current + 1)
            elif key in (Qt.Key.Key_Up, Qt.Key.Key_Left):
                current = max(0, current - 1)
            elif key == Qt.Key.Key_Home:
                current = 0
            else:
                current = len(ids) - 1
            self.select(ids[current])
            self.ensure_visible(ids[current])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_id is not None:
            self.editRequested.emit(self.selected_id)
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected_id is not None:
            self.deleteRequested.emit(self.selected_id)
            return
        super().keyPressEvent(event)

    def ensure_visible(self, event_id: int) -> None:
        """Scroll the enclosing scroll area to an event's card."""
        rect = self.card_rect(event_id)
        area = self.parent().parent() if self.parent() else None
        if isinstance(area, QScrollArea) and not rect.isNull():
            area.ensureVisible(rect.center().x(), rect.center().y(),
                               rect.width() // 2 + 10, rect.height() // 2 + 40)

    def event(self, event: QEvent) -> bool:  # tooltips
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            segment = self.segment_at(event.pos())
            if segment is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), event_tooltip(
                    segment.event, self.zone, self.home_zone, {}), self)
            return True
        return super().event(event)


class DayHeader(QWidget):
    """The day labels above the canvas, scrolled with it horizontally."""

    def __init__(self, canvas: AgendaCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.offset = 0
        self.setObjectName("agendaHeader")
        metrics = QFontMetrics(self.font())
        self.setFixedHeight(metrics.lineSpacing() * 3 + 14)

    def set_offset(self, offset: int) -> None:
        """Follow the canvas's horizontal scroll position."""
        self.offset = offset
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        canvas = self.canvas
        painter = QPainter(self)
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        painter.fillRect(self.rect(), window)
        painter.translate(-self.offset, 0)
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(canvas.small_font)
        line = QFontMetrics(self.font()).lineSpacing()
        small_line = QFontMetrics(small).lineSpacing()
        width = canvas.column_width()
        painter.setFont(small)
        painter.setPen(_mix(window, text, 0.6))
        painter.drawText(QRectF(2, 6, GUTTER - 10, self.height() - 12),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                         "\n".join(wrap_lines(zone_city(canvas.zone), QFontMetrics(small),
                                              GUTTER - 12, 2)))
        for index, day in enumerate(canvas.days):
            x = canvas.column_x(index)
            box = QRectF(x + 8, 6, width - 14, self.height() - 10)
            noon = datetime.combine(day, time(12), ZoneInfo(canvas.zone))
            painter.setFont(bold)
            painter.setPen(text if day in canvas.visit_days else _mix(window, text, 0.55))
            label = f"{day:%a} {day.day} {day:%b %Y}"
            painter.drawText(QRectF(box.left(), box.top(), box.width(), line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(bold).elidedText(label, Qt.TextElideMode.ElideRight,
                                                           int(box.width())))
            painter.setFont(small)
            painter.setPen(_mix(window, text, 0.7))
            parts = [zone_offset_label(canvas.zone, noon)]
            if canvas.home_zone:
                ahead = hours_between(canvas.zone, canvas.home_zone, noon)
                parts.append(f"{zone_city(canvas.home_zone)} {ahead:+g} h")
            y = box.top() + line + 1
            painter.drawText(QRectF(box.left(), y, box.width(), small_line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(small).elidedText(" · ".join(parts),
                                                            Qt.TextElideMode.ElideRight,
                                                            int(box.width())))
            change = canvas.transitions.get(index)
            if change is not None:
                y += small_line
                warn = QColor.fromHsl(28, 200, 150 if window.lightness() < 128 else 95)
                painter.setPen(warn)
                painter.drawText(QRectF(box.left(), y, box.width(), small_line),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 QFontMetrics(small).elidedText(
                                     change.text, Qt.TextElideMode.ElideRight,
                                     int(box.width())))
        painter.setPen(QPen(_mix(window, text, 0.2), 1))
        painter.drawLine(QPoint(0, self.height() - 1),
                         QPoint(round(GUTTER + width * len(canvas.days)), self.height() - 1))
        painter.end()


class AgendaView(QWidget):
    """Day headers over a scrollable, painted agenda."""

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None
                 ) -> None:
        super().__init__(parent)
        if settings is None:
            from ui.main_window import default_settings

            settings = default_settings()
        self.settings = settings
        self.canvas = AgendaCanvas()
        self.header = DayHeader(self.canvas)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("agendaScroll")
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.horizontalScrollBar().valueChanged.connect(self.header.set_offset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.scroll, 1)
        self.setFocusProxy(self.canvas)
        self.canvas.zoomChanged.connect(lambda _h: self.header.update())
        self.canvas.zoomedByUser.connect(self._remember_zoom)
        self.canvas.zoomKey.connect(lambda step: (self.zoom_in, self.fit_day, self.zoom_out)[
            1 - step]())
        self.zoom_in_action = self._zoom_action("Zoom in", QKeySequence.StandardKey.ZoomIn,
                                                self.zoom_in, "zoom-in")
        self.zoom_out_action = self._zoom_action("Zoom out", QKeySequence.StandardKey.ZoomOut,
                                                 self.zoom_out, "zoom-out")
        self.fit_day_action = self._zoom_action("Fit the day", QKeySequence("Ctrl+0"),
                                                self.fit_day, "fit-day")
        stored = self.settings.value(SETTINGS_KEY, 0)
        self.fixed_hour_height = int(stored) if str(stored).isdigit() else 0

    def _zoom_action(self, text: str, keys: QKeySequence | QKeySequence.StandardKey,
                     slot: Callable[[], object], name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text} ({QKeySequence(keys).toString(QKeySequence.NativeText)})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def set_events(self, events: Sequence[EventRecord], zone: str, first: date, last: date,
                   home_zone: str | None = None) -> None:
        """Show the events (see :meth:`AgendaCanvas.set_events`), at the remembered zoom
        or fitting the day."""
        self.canvas.set_events(events, zone, first, last, home_zone)
        noon = datetime.combine(first, time(12), ZoneInfo(zone))
        self.header.setToolTip(f"Times in {zone_label(zone, noon)}\nTime zone: {zone}")
        self.header.update()
        self.apply_zoom()

    # -- zoom ------------------------------------------------------------------------
    def apply_zoom(self) -> None:
        """The remembered hour height, or fit the day when none is remembered."""
        if self.fixed_hour_height:
            self.canvas.set_hour_height(self.fixed_hour_height)
        else:
            self._fit()

    def fit_day(self) -> None:
        """Fit the day (and remember that choice)."""
        self.fixed_hour_height = 0
        self.settings.setValue(SETTINGS_KEY, 0)
        self._fit()

    def _fit(self) -> None:
        first, last = self.canvas.busy_span()
        first, last = max(0, first - 30), min(DAY_MINUTES, last + 30)
        room = self.scroll.viewport().height() - 2 * TOP_PAD
        if room <= 50:  # not laid out yet: resizeEvent fits again
            return
        self.canvas.set_hour_height(int(room * 60 / max(60, last - first)))
        self.scroll.verticalScrollBar().setValue(round(self.canvas.y_of(first)) - TOP_PAD)

    def set_zoom(self, hour_height: int) -> None:
        """Show an hour ``hour_height`` pixels tall, and remember it."""
        self.canvas.set_hour_height(hour_height)
        self._remember_zoom()

    def zoom_in(self) -> None:
        """Taller hours (Ctrl++)."""
        self.set_zoom(round(self.canvas.hour_height * ZOOM_STEP))

    def zoom_out(self) -> None:
        """Shorter hours (Ctrl+−)."""
        self.set_zoom(round(self.canvas.hour_height / ZOOM_STEP))

    def _remember_zoom(self) -> None:
        self.fixed_hour_height = self.canvas.hour_height
        self.settings.setValue(SETTINGS_KEY, self.fixed_hour_height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.fixed_hour_height:
            self._fit()

    def scroll_to_morning(self) -> None:
        """Scroll so the earliest daytime event (or 08:00) is near the top (fitting the
        day already shows the first event at the top)."""
        if not self.fixed_hour_height:
            self._fit()
            return
        starts = [s.start for s in self.canvas.segments if s.first and s.start >= 5 * 60]
        minute = max(0, (min(starts) if starts else 8 * 60) - 45)
        self.scroll.verticalScrollBar().setValue(round(self.canvas.y_of(minute)) - TOP_PAD)


def _text_box(card: QRectF) -> QRectF:
    """The part of a card its text is set in (right of the accent stripe)."""
    return card.adjusted(10, 3, -6, -2)


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` of the way towards ``b``."""
    return QColor(round(a.red() + (b.red() - a.red()) * amount),
                  round(a.green() + (b.green() - a.green()) * amount),
                  round(a.blue() + (b.blue() - a.blue()) * amount))
