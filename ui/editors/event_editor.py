"""The event editor: what, when (wall-clock times in the event's zone), where, who.

``EventEditor(services, visit, event=None)`` adds an event to ``visit`` (or edits
``event``).  Start and end are typed as wall-clock times in the event's IANA zone; a
time in the hour the clocks skip is refused with the core's own message, beside the
field.  The times in the visit's zone and the delegation's home zone are shown under
them.  Under the notes (which every audience reads) are the event's sensitive fields
from ``protocol_app.records.sensitivity`` (the internal notes), tinted and marked with a
lock as the person editor marks its own.  Saving goes through a
:class:`~ui.undo.VersionedCommand` on the given undo stack; problems the service finds are
shown next to the fields they name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from protocol_app.config import Settings
from protocol_app.errors import FieldProblem, ProtocolError, StaleWriteError, ValidationError
from protocol_app.formatting import zone_abbreviation, zone_city, zone_label
from protocol_app.records import vocab
from protocol_app.records.fields import EVENT_FIELDS
from protocol_app.records.sensitivity import SENSITIVE_EVENT_FIELDS, sensitive_label
from protocol_app.rules.visibility import Visibility, describe_default
from protocol_app.services.values import EventRecord, VisitRecord
from protocol_app.timeutil import LocalTimeError, home_zone, local_to_utc
from ui.dialogs.confirm import UnsavedChoice, ask_unsaved_changes
from ui.dialogs.errors import show_error
from ui.dialogs.fit import fit_to_screen
from ui.dialogs.stale import handle_stale_write
from ui.editors import (
    FieldErrors,
    RecordHandle,
    audience_note,
    lock_icon,
    report_problems,
    report_undo_failure,
    tint_sensitive,
)
from ui.editors.move_event import QuarterTimeEdit
from ui.editors.withheld import withhold
from ui.look import secondary
from ui.models.participants_model import participant_sort_key
from ui.undo import VersionedCommand, push
from ui.widgets.searchable_combo import ZonePicker

if TYPE_CHECKING:
    from protocol_app.services import Services

DRESS_CODES: tuple[str, ...] = (
    "Business", "Business formal", "Lounge suit", "Dark suit", "Smart casual", "Casual",
    "Black tie", "White tie", "National dress", "Academic dress",
)
#: The sensitive fields an officer types here: those stored on the event (a risk review's
#: conditions are sensitive too, but they are set in the visit's Review tab).
EDITED_SENSITIVE: tuple[str, ...] = tuple(f for f in SENSITIVE_EVENT_FIELDS if f in EVENT_FIELDS)
#: Event fields the editor writes (the service's names).
EDITED_FIELDS: tuple[str, ...] = (
    "title", "kind", "status", "timezone", "start", "end", "venue_name", "venue_address",
    "venue_room", "host_person_id", "attendee_ids", "dress_code", "notes", "visibility",
    "invitations", *EDITED_SENSITIVE,
)


def event_values(event: EventRecord) -> dict[str, Any]:
    """The editable fields of a stored event, as the service takes them."""
    return {
        "title": event.title, "kind": event.kind, "status": event.status,
        "timezone": event.timezone, "start": event.start_utc, "end": event.end_utc,
        "venue_name": event.venue_name, "venue_address": event.venue_address,
        "venue_room": event.venue_room, "host_person_id": event.host_person_id,
        "attendee_ids": tuple(event.attendee_ids), "dress_code": event.dress_code,
        "notes": event.notes, "visibility": event.visibility,
        "invitations": event.invitations,
        **{name: getattr(event, name) for name in EDITED_SENSITIVE},
    }


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


class EventEditor(QDialog):
    """Add an event to a visit, or edit one."""

    saved = Signal(object)  # the EventRecord as stored

    def __init__(self, services: Services, visit: VisitRecord, event: EventRecord | None = None,
                 parent: QWidget | None = None, *, undo_stack: QUndoStack | None = None,
                 start: datetime | None = None,
                 on_done: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self.services = services
        self.visit = visit
        self.event_record = event
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.handle = RecordHandle(event.id if event else None, event.version if event else None)
        self.errors = FieldErrors()
        self.home_zone = home_zone(visit.country)
        self._saving = False
        self.setObjectName("eventEditor")
        self.setWindowTitle(f"{'Edit' if event else 'New'} event — {visit.title}")
        self._build()
        if event is not None:
            self._show(event_values(event))
        else:
            self._show_new(start)
        self._loaded = self._current_raw()
        self._update_hints()
        self._update_visibility_default()
        self._update_invitations_default()
        self.title_edit.setFocus()

    # -- building --------------------------------------------------------------------
    def _build(self) -> None:
        e = self.errors
        self.title_edit = QLineEdit(objectName="title")
        self.title_edit.setAccessibleName("Title")
        self.kind = QComboBox(objectName="kind")
        self.kind.setAccessibleName("Kind")
        for key in vocab.EVENT_KINDS:
            self.kind.addItem(vocab.EventKind.label_of(key), key)
        self.status = QComboBox(objectName="status")
        self.status.setAccessibleName("Status")
        for key in vocab.EVENT_STATUSES:
            self.status.addItem(vocab.EventStatus.label_of(key), key)

        self.zone = ZonePicker("Time zone of the event", on=self.visit.start_date)
        self.zone.setObjectName("timezone")

        self.start_date = QDateEdit(objectName="start_date")
        self.start_date.setAccessibleName("Start date")
        self.start_time = QuarterTimeEdit(objectName="start_time")
        self.start_time.setAccessibleName("Start time")
        self.end_date = QDateEdit(objectName="end_date")
        self.end_date.setAccessibleName("End date")
        self.end_time = QuarterTimeEdit(objectName="end_time")
        self.end_time.setAccessibleName("End time")
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
        for edit in (self.start_time, self.end_time):
            edit.setDisplayFormat("HH:mm")
        self.start_date.dateChanged.connect(self._start_date_changed)
        self._previous_start = self.start_date.date()
        self.duration = QLabel()
        self.duration.setObjectName("duration")
        self.other_times = QLabel()
        self.other_times.setObjectName("otherTimes")
        self.other_times.setWordWrap(False)
        self.other_times.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        start_row = QWidget()
        start_layout = QHBoxLayout(start_row)
        start_layout.setContentsMargins(0, 0, 0, 0)
        start_layout.addWidget(self.start_date, 3)
        start_layout.addWidget(self.start_time, 2)
        end_row = QWidget()
        end_layout = QHBoxLayout(end_row)
        end_layout.setContentsMargins(0, 0, 0, 0)
        end_layout.addWidget(self.end_date, 3)
        end_layout.addWidget(self.end_time, 2)

        self.venue_name = QLineEdit(objectName="venue_name")
        self.venue_name.setAccessibleName("Venue name")
        self.venue_address = QPlainTextEdit(objectName="venue_address")
        self.venue_address.setAccessibleName("Venue address")
        self.venue_address.setTabChangesFocus(True)
        self.venue_address.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.venue_room = QLineEdit(objectName="venue_room")
        self.venue_room.setAccessibleName("Room")

        self.visibility = QComboBox(objectName="visibility")
        self.visibility.setAccessibleName("Who may see it")
        self.visibility.addItem("Default", None)
        for choice in Visibility:
            label = choice.label
            self.visibility.addItem(label[0].upper() + label[1:], choice.value)
        self.invitations = QComboBox(objectName="invitations")
        self.invitations.setAccessibleName("Calendar invitations")
        self.invitations.addItem("Default", None)
        self.invitations.addItem("On: the attendees get calendar invitations", "on")
        self.invitations.addItem("Off: no invitations", "off")
        self._invite_kinds = Settings.load().invite_kind_set
        self.host = QComboBox(objectName="host")
        self.host.setAccessibleName("Host")
        self.host.addItem("No host", None)
        self.attendees = QListWidget()
        self.attendees.setObjectName("attendees")
        self.attendees.setAccessibleName("Attendees")
        self.attendees.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        # guests, then hosts, each in order of precedence
        for participant in sorted(self.visit.participants, key=participant_sort_key):
            name = participant.person.display_name
            self.host.addItem(f"{name} ({participant.role})", participant.person_id)
            role = participant.side if participant.role == participant.side else \
                f"{participant.side} · {participant.role}"
            item = QListWidgetItem(f"{name} — {role}")
            item.setData(Qt.ItemDataRole.UserRole, participant.person_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.attendees.addItem(item)
        self.all_button = QPushButton("Everyone")
        self.all_button.setAccessibleName("Check every attendee")
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button = QPushButton("No one")
        self.none_button.setAccessibleName("Uncheck every attendee")
        self.none_button.clicked.connect(lambda: self._check_all(False))

        self.dress_code = QComboBox(objectName="dress_code")
        self.dress_code.setAccessibleName("Dress code")
        self.dress_code.setEditable(True)
        self.dress_code.addItems(["", *DRESS_CODES])
        self.notes = QPlainTextEdit(objectName="notes")
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("For everyone: printed in every book, sent with the "
                                      "invitations")
        self.notes.setTabChangesFocus(True)
        self.notes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 6 + 14)

        what = QGroupBox("What and when")
        what_form = _form()
        what_form.addRow(self._label("&Title:", self.title_edit), e.wrap("title", self.title_edit))
        what_form.addRow(self._label("&Kind:", self.kind), e.wrap("kind", self.kind))
        what_form.addRow(self._label("Stat&us:", self.status), e.wrap("status", self.status))
        what_form.addRow(self._label("Time &zone:", self.zone),
                         e.wrap("timezone", self.zone))
        what_form.addRow(self._label("&Start:", self.start_date), e.wrap("start", start_row))
        what_form.addRow(self._label("&End:", self.end_date), e.wrap("end", end_row))
        what_form.addRow("", self.duration)
        what_form.addRow("", self.other_times)
        what_layout = QVBoxLayout(what)
        what_layout.addLayout(what_form)
        what_layout.addStretch(1)

        where = QGroupBox("Where")
        where_form = _form()
        where_form.addRow(self._label("&Venue:", self.venue_name),
                          e.wrap("venue_name", self.venue_name))
        where_form.addRow(self._label("&Address:", self.venue_address),
                          e.wrap("venue_address", self.venue_address))
        where_form.addRow(self._label("&Room:", self.venue_room),
                          e.wrap("venue_room", self.venue_room))
        where_form.addRow(self._label("&Dress code:", self.dress_code),
                          e.wrap("dress_code", self.dress_code))
        where_layout = QVBoxLayout(where)
        where_layout.addLayout(where_form)
        where_layout.addStretch(1)

        who = QGroupBox("Who")
        who_layout = QVBoxLayout(who)
        who_form = _form()
        who_form.addRow(self._label("&Host:", self.host), e.wrap("host", self.host,
                                                                 "host_person_id"))
        who_form.addRow(self._label("Who may &see it:", self.visibility),
                        e.wrap("visibility", self.visibility))
        who_form.addRow(self._label("&Invitations:", self.invitations),
                        e.wrap("invitations", self.invitations))
        who_layout.addLayout(who_form)
        attendees_label = self._label("Atte&ndees (from the visit's delegation and hosts):",
                                      self.attendees)
        who_layout.addWidget(attendees_label)
        who_layout.addWidget(e.wrap("attendees", self.attendees, "attendee_ids"), 1)
        check_row = QHBoxLayout()
        check_row.addWidget(self.all_button)
        check_row.addWidget(self.none_button)
        check_row.addStretch(1)
        who_layout.addLayout(check_row)

        notes_box = QGroupBox("Notes")
        notes_layout = QVBoxLayout(notes_box)
        notes_field = e.wrap("notes", self.notes)
        notes_field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        notes_layout.addWidget(notes_field, 2)
        self.sensitive_box = self._sensitive_box()
        withhold(self.sensitive_box, self.sensitive, self.services.hidden_fields("event"))
        notes_layout.addWidget(self.sensitive_box, 1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        grid.addWidget(what, 0, 0)
        grid.addWidget(where, 1, 0)
        grid.addWidget(who, 0, 1)
        grid.addWidget(notes_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        root = QVBoxLayout(self)
        root.setContentsMargins(16, 16, 16, 12)
        root.addLayout(grid, 1)
        root.addWidget(self.buttons)

        for signal in (self.start_date.dateChanged, self.start_time.timeChanged,
                       self.end_date.dateChanged, self.end_time.timeChanged,
                       self.zone.editTextChanged):
            signal.connect(self._update_hints)
        self.kind.currentIndexChanged.connect(self._update_visibility_default)
        self.kind.currentIndexChanged.connect(self._update_invitations_default)
        self.host.currentIndexChanged.connect(self._update_visibility_default)
        self.attendees.itemChanged.connect(self._update_visibility_default)
        chain = [self.title_edit, self.kind, self.status, self.zone, self.start_date,
                 self.start_time, self.end_date, self.end_time, self.venue_name,
                 self.venue_address, self.venue_room, self.dress_code, self.host,
                 self.visibility, self.invitations, self.attendees, self.all_button,
                 self.none_button, self.notes,
                 *self.sensitive.values(), self.save_button, self.cancel_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.resize(1040, 700)
        fit_to_screen(self)

    def _sensitive_box(self) -> QWidget:
        """The event's sensitive fields (internal notes), from the one list in
        ``sensitivity``, tinted and marked with a lock as the person editor marks its."""
        box = QWidget()
        box.setObjectName("sensitiveGroup")
        box.setAccessibleName("Sensitive — internal only: never printed for hosts or "
                              "guests, never in invites")
        tint_sensitive(box)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(4)
        self.sensitive: dict[str, QPlainTextEdit] = {}
        for field in EDITED_SENSITIVE:
            label = sensitive_label(field)
            who = audience_note(field, SENSITIVE_EVENT_FIELDS)
            edit = QPlainTextEdit(objectName=field)
            edit.setAccessibleName(f"{label} (sensitive, {who})")
            edit.setToolTip(f"Sensitive: {who}. Never printed for hosts or guests, "
                            "never in invites.")
            edit.setPlaceholderText("Security arrangements, seating cautions, fallback "
                                    "plans…")
            edit.setTabChangesFocus(True)
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 14)
            edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 14)  # notes first
            self.sensitive[field] = edit
            header = QHBoxLayout()
            lock = QLabel()
            lock.setPixmap(lock_icon(16, box.palette().color(QPalette.ColorRole.WindowText)))
            lock.setAccessibleName("Sensitive")
            caption = self._label(f"&{label} — {who}", edit)
            caption.setTextFormat(Qt.TextFormat.PlainText)
            font = caption.font()
            font.setBold(True)
            caption.setFont(font)
            caption.setObjectName(f"sensitiveTitle_{field}")
            note = QLabel("never printed for hosts or guests, never in invites")
            note.setObjectName(f"sensitiveNote_{field}")
            note.setWordWrap(True)
            secondary(note)
            header.addWidget(lock)
            header.addWidget(caption, 1)
            layout.addLayout(header)
            layout.addWidget(note)
            layout.addWidget(self.errors.wrap(field, edit), 1)
        self.internal_notes = self.sensitive["internal_notes"]
        return box

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # -- values ----------------------------------------------------------------------
    def _show(self, values: dict[str, Any]) -> None:
        zone = values["timezone"]
        self.title_edit.setText(values["title"])
        self.kind.setCurrentIndex(max(0, self.kind.findData(values["kind"])))
        self.status.setCurrentIndex(max(0, self.status.findData(values["status"])))
        self.zone.set_value(zone)
        self._set_local(values["start"].astimezone(ZoneInfo(zone)), self.start_date,
                        self.start_time)
        self._set_local(values["end"].astimezone(ZoneInfo(zone)), self.end_date, self.end_time)
        self.venue_name.setText(values["venue_name"])
        self.venue_address.setPlainText(values["venue_address"])
        self.venue_room.setText(values["venue_room"])
        self.host.setCurrentIndex(max(0, self.host.findData(values["host_person_id"])))
        chosen = set(values["attendee_ids"])
        for row in range(self.attendees.count()):
            item = self.attendees.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in chosen else Qt.CheckState.Unchecked)
        self.dress_code.setCurrentText(values["dress_code"])
        self.notes.setPlainText(values["notes"])
        self.visibility.setCurrentIndex(max(0, self.visibility.findData(values["visibility"])))
        self.invitations.setCurrentIndex(
            max(0, self.invitations.findData(values["invitations"])))
        for field, edit in self.sensitive.items():
            edit.setPlainText(values[field])

    def _show_new(self, start: datetime | None) -> None:
        zone = self.visit.timezone
        self.zone.set_value(zone)
        if start is None:
            local = datetime.combine(self.visit.start_date, time(9, 0))
        else:
            local = start.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        self.start_date.setDate(_qdate(local.date()))
        self.start_time.setTime(QTime(local.hour, local.minute))
        end = local + timedelta(hours=1)
        self.end_date.setDate(_qdate(end.date()))
        self.end_time.setTime(QTime(end.hour, end.minute))
        self.kind.setCurrentIndex(self.kind.findData("meeting"))
        self.status.setCurrentIndex(self.status.findData("tentative"))

    @staticmethod
    def _set_local(local: datetime, date_edit: QDateEdit, time_edit: QTimeEdit) -> None:
        date_edit.setDate(_qdate(local.date()))
        time_edit.setTime(QTime(local.hour, local.minute))

    def _start_date_changed(self, new: QDate) -> None:
        """Moving the start date moves the end date with it (keeping the length)."""
        shift = self._previous_start.daysTo(new)
        self._previous_start = new
        if shift:
            self.end_date.setDate(self.end_date.date().addDays(shift))

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.attendees.count()):
            self.attendees.item(row).setCheckState(state)

    def local_start(self) -> datetime:
        """The start as typed: a naive wall-clock time in the chosen zone."""
        t = self.start_time.time()
        return datetime.combine(_pydate(self.start_date.date()), time(t.hour(), t.minute()))

    def local_end(self) -> datetime:
        """The end as typed: a naive wall-clock time in the chosen zone."""
        t = self.end_time.time()
        return datetime.combine(_pydate(self.end_date.date()), time(t.hour(), t.minute()))

    def _current_raw(self) -> dict[str, Any]:
        return {
            "title": self.title_edit.text().strip(),
            "kind": self.kind.currentData(),
            "status": self.status.currentData(),
            "timezone": self.zone.value(),
            "start_local": self.local_start(),
            "end_local": self.local_end(),
            "venue_name": self.venue_name.text().strip(),
            "venue_address": self.venue_address.toPlainText().strip(),
            "venue_room": self.venue_room.text().strip(),
            "host_person_id": self.host.currentData(),
            "attendee_ids": self.attendee_ids(),
            "dress_code": self.dress_code.currentText().strip(),
            "notes": self.notes.toPlainText().strip(),
            "visibility": self.visibility.currentData(),
            "invitations": self.invitations.currentData(),
            **{field: edit.toPlainText().strip() for field, edit in self.sensitive.items()},
        }

    def attendee_ids(self) -> tuple[int, ...]:
        """The checked attendees: those the event had, in its stored order, then those
        added, in list order (the list is in order of precedence; re-ordering alone is no
        change to the event, and must not send an update to anyone's calendar)."""
        checked = [
            self.attendees.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.attendees.count())
            if self.attendees.item(row).checkState() == Qt.CheckState.Checked
        ]
        stored = self.event_record.attendee_ids if self.event_record is not None else ()
        kept = [pid for pid in stored if pid in checked]
        return (*kept, *(pid for pid in checked if pid not in kept))

    def values(self) -> dict[str, Any]:
        """The event's values for the service; raises ValidationError for times that
        cannot be placed in the zone (the clocks skip them) or an unknown zone."""
        raw = self._current_raw()
        zone = raw.pop("timezone")
        start_local, end_local = raw.pop("start_local"), raw.pop("end_local")
        problems: list[FieldProblem] = []
        start = end = None
        try:
            ZoneInfo(zone)
        except (ValueError, KeyError):
            problems.append(FieldProblem("timezone", f"'{zone}' is not a time zone: choose one "
                                         "from the list (type a city, such as New York)"))
        else:
            for key, local in (("start", start_local), ("end", end_local)):
                try:
                    moment = local_to_utc(local, zone)
                except LocalTimeError as exc:
                    problems.append(FieldProblem(key, str(exc)))
                else:
                    if key == "start":
                        start = moment
                    else:
                        end = moment
        if problems:
            raise ValidationError(problems, subject="event")
        return {**raw, "timezone": zone, "start": start, "end": end}

    def is_dirty(self) -> bool:
        """True when the form differs from what was loaded."""
        return self._current_raw() != self._loaded

    # -- hints -----------------------------------------------------------------------
    def _update_visibility_default(self, *_: object) -> None:
        """The first choice says what the default is for the event as it stands now."""
        draft = SimpleNamespace(kind=self.kind.currentData(),
                                attendee_ids=self.attendee_ids(),
                                host_person_id=self.host.currentData(), visibility=None)
        self.visibility.setItemText(0, describe_default(draft, self.visit))

    def _update_invitations_default(self, *_: object) -> None:
        """The first choice says what the kind of event does (the preferences)."""
        kind = vocab.EventKind(self.kind.currentData() or "meeting")
        invites = kind.value in self._invite_kinds
        self.invitations.setItemText(0, f"Default: {'on' if invites else 'off'} "
                                        f"({kind.label.lower()} events, in Preferences)")

    def _update_hints(self, *_: object) -> None:
        zone = self.zone.value()
        start, end = self.local_start(), self.local_end()
        try:
            ZoneInfo(zone)  # an unknown zone raises here
            utc_start = local_to_utc(start, zone)
            utc_end = local_to_utc(end, zone)
        except LocalTimeError as exc:
            self.duration.setText("")
            self.other_times.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        except (ValueError, KeyError):
            self.duration.setText("")
            self.other_times.setText("Choose a time zone from the list: type a city, such "
                                     "as New York.")
            return
        minutes = int((utc_end - utc_start).total_seconds() // 60)
        if minutes > 0:
            hours, rest = divmod(minutes, 60)
            length = " ".join(p for p in (f"{hours} h" if hours else "",
                                          f"{rest} min" if rest else "") if p)
            self.duration.setText(f"Lasts {length} · {zone_label(zone, utc_start)}")
        else:
            self.duration.setText("The end must be after the start.")
        lines = []
        for label, other in (("Visit time", self.visit.timezone), ("Home time", self.home_zone)):
            if not other or other == zone or (label == "Home time"
                                              and other == self.visit.timezone):
                continue
            a = utc_start.astimezone(ZoneInfo(other))
            b = utc_end.astimezone(ZoneInfo(other))
            lines.append(f"{label} ({zone_city(other)}): {a:%a %d %b %H:%M}–{b:%H:%M} "
                         f"{zone_abbreviation(other, utc_start)}")
        self.other_times.setText("\n".join(lines))

    # -- saving ------------------------------------------------------------------------
    def save(self) -> bool:
        """Write the event (undoably); close on success.  False when refused."""
        if self._saving:
            return False
        self.errors.clear()
        try:
            values = self.values()
        except ValidationError as exc:
            self._show_problems(exc)
            return False
        events = self.services.events
        handle = self.handle
        creating = handle.id is None
        if creating:
            changes = dict(values)
            old: dict[str, Any] = {}
        else:
            assert self.event_record is not None
            stored = event_values(self.event_record)
            changes = {k: v for k, v in values.items() if v != stored.get(k)}
            old = {k: stored[k] for k in changes}
            if not changes:
                self.accept()
                return True
        result: list[EventRecord] = []

        def redo(h: RecordHandle) -> EventRecord:
            record = (events.create(self.visit.id, **changes) if h.id is None
                      else events.update(h.id, h.version, **changes))
            result.append(record)
            return record

        def undo(h: RecordHandle) -> EventRecord | None:
            if not creating:
                return events.update(h.existing_id(), h.version, **old)
            events.delete(h.existing_id(), h.version)
            h.id, h.version = None, None  # a redo creates the event anew
            return None

        title = values["title"] or "event"
        command = VersionedCommand(f"{'Add' if creating else 'Edit'} {title}", handle, redo,
                                   undo, on_error=self._command_error, on_done=self._on_done)
        self._saving = True
        try:
            ok = push(self.undo_stack, command)
        finally:
            self._saving = False
        if not ok or not result:
            return False
        self.event_record = result[-1]
        self.saved.emit(result[-1])
        self.accept()
        return True

    def _show_problems(self, error: ValidationError) -> None:
        report_problems(self, self.errors, error)

    def _command_error(self, error: ProtocolError) -> None:
        if not self._saving:  # an undo or redo later on: just say why it failed
            report_undo_failure(self, error)
            return
        if isinstance(error, ValidationError):
            self._show_problems(error)
        elif isinstance(error, StaleWriteError):
            handle_stale_write(self, error, self.reload)
        else:
            show_error(self, "Not saved", error)

    def reject(self) -> None:
        """Cancel: with unsaved edits, ask Save / Discard / Cancel first."""
        if self.is_dirty() and self.isVisible():
            choice = ask_unsaved_changes(self, "this event")
            if choice is UnsavedChoice.SAVE:
                self.save()
                return
            if choice is not UnsavedChoice.DISCARD:
                return
        super().reject()

    def reload(self) -> None:
        """Load the stored event again (after someone else changed it)."""
        if self.handle.id is None:
            return
        fresh = self.services.events.get(self.handle.id)
        self.event_record = fresh
        self.handle.version = fresh.version
        self._show(event_values(fresh))
        self._loaded = self._current_raw()
        self._update_hints()


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    return form

