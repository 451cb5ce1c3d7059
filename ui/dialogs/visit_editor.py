"""The visit's own fields: one form (:class:`VisitForm`) used by the New/Edit visit
dialog and by the workspace's Overview tab, and the "Duplicate as template" dialog."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import FieldProblem, ProtocolError, StaleWriteError, ValidationError
from protocol_app.records import vocab
from protocol_app.services.values import VisitRecord
from ui.dialogs.forms import accept_cancel_buttons, dialog_column, set_buddies
from ui.look import secondary
from ui.models import STATUS_LABELS, country_name, format_date
from ui.widgets.searchable_combo import SearchableCombo, ZonePicker

DATE_FORMAT = "d MMM yyyy"

#: Labels of the visit's fields, as the form shows them (also used for error messages).
FIELD_LABELS: dict[str, str] = {
    "title": "Title", "public_id": "Visit id", "id": "Visit id", "purpose": "Purpose",
    "status": "Status", "start_date": "Start", "end_date": "End", "country": "Country",
    "timezone": "Time zone", "organizer_name": "Organizer", "organizer_email":
    "Organizer e-mail", "responsible_officer": "Responsible officer",
}


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(label, code) of every ISO 3166-1 country, sorted by name."""
    import pycountry

    out = []
    for c in pycountry.countries:
        out.append((f"{country_name(c.alpha_2)} ({c.alpha_2})", c.alpha_2))
    return tuple(sorted(out, key=lambda x: x[0].casefold()))


def system_timezone() -> str:
    """The computer's IANA time zone, or "UTC"."""
    from PySide6.QtCore import QTimeZone

    zone = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "ignore")
    return zone if "/" in zone else "UTC"


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def make_date_edit(name: str) -> QDateEdit:
    """A date field with a calendar pop-up and an unambiguous format."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setAccessibleName(name)
    edit.setMinimumWidth(130)
    return edit


class VisitForm(QWidget):
    """The visit's own fields, with change tracking and inline problems."""

    #: Emitted on every edit by the user.
    edited = Signal()

    def __init__(self, *, creating: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.creating = creating
        self._loaded: dict[str, Any] = {}
        self._status_base = "planned"

        self.problems_label = QLabel()
        self.problems_label.setObjectName("formProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.setAccessibleName("Problems with the visit")
        self.problems_label.hide()

        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("e.g. Official visit of the Minister of Education")
        self.public_id = QLineEdit()
        self.public_id.setAccessibleName("Visit id")
        self.public_id.setPlaceholderText("made from the title if left empty")
        self.purpose = QPlainTextEdit()
        self.purpose.setAccessibleName("Purpose")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setPlaceholderText("What the visit is for, in a sentence or two")
        self.purpose.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.start = make_date_edit("Start date")
        self.end = make_date_edit("End date")
        self.days_label = QLabel()
        secondary(self.days_label)
        self.country = SearchableCombo("Country of the delegation")
        self.country.lineEdit().setPlaceholderText("Type a country name or code")
        self.timezone = ZonePicker("Time zone of the visit")
        self.timezone.lineEdit().setPlaceholderText("e.g. New York")
        self.organizer_name = QLineEdit()
        self.organizer_name.setAccessibleName("Organizer")
        self.organizer_email = QLineEdit()
        self.organizer_email.setAccessibleName("Organizer e-mail")
        self.organizer_email.setPlaceholderText("name@example.org")
        self.responsible_officer = QLineEdit()
        self.responsible_officer.setAccessibleName("Responsible officer")
        self.responsible_officer.setPlaceholderText("Who in the office runs this visit")

        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.start)
        dash = QLabel("to")
        dates.addWidget(dash)
        dates.addWidget(self.end)
        dates.addWidget(self.days_label)
        dates.addStretch(1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(12)
        self._form = form
        form.addRow("&Title", self.title)
        if creating:
            form.addRow("Visit &id", self.public_id)
        form.addRow("&Purpose", self.purpose)
        form.addRow("&Status", self.status)
        form.addRow("&Dates", dates)
        form.addRow("&Country", self.country)
        form.addRow("Time &zone", self.timezone)
        form.addRow("&Organizer", self.organizer_name)
        form.addRow("Organizer &e-mail", self.organizer_email)
        form.addRow("&Responsible officer", self.responsible_officer)
        set_buddies(form, (self.title, self.public_id, self.purpose, self.status, self.country,
                           self.timezone, self.organizer_name, self.organizer_email,
                           self.responsible_officer, (dates, self.start)))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.problems_label)
        outer.addLayout(form)

        self.country.set_items(country_choices())
        self._set_status_choices("proposed" if creating else "planned", creating=creating)
        today = date.today()
        self.start.setDate(to_qdate(today))
        self.end.setDate(to_qdate(today))
        self._update_days()

        for w in (self.title, self.public_id, self.organizer_name, self.organizer_email,
                  self.responsible_officer):
            w.textEdited.connect(self._on_edit)
        self.purpose.textChanged.connect(self._on_edit)
        self.status.activated.connect(self._on_edit)
        self.country.editTextChanged.connect(self._on_edit)
        self.timezone.editTextChanged.connect(self._on_edit)
        self.start.dateChanged.connect(self._start_changed)
        self.end.dateChanged.connect(self._on_edit)
        self.end.dateChanged.connect(self._update_days)

        order = [self.title, *([self.public_id] if creating else []), self.purpose,
                 self.status, self.start, self.end, self.country, self.timezone,
                 self.organizer_name, self.organizer_email, self.responsible_officer]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # -- values --------------------------------------------------------------------
    def _set_status_choices(self, current: str, *, creating: bool = False) -> None:
        choices = (("proposed", "planned", "confirmed") if creating
                   else (current, *vocab.next_visit_statuses(current)))
        with QSignalBlocker(self.status):
            self.status.clear()
            for status in vocab.VISIT_STATUSES:
                if status in choices:
                    self.status.addItem(STATUS_LABELS[status], status)
            self.status.setCurrentIndex(max(0, self.status.findData(current)))
        self._status_base = current

    def set_values(self, values: Mapping[str, Any] | VisitRecord) -> None:
        """Show a visit's values (a record or a mapping of fields); clears 'edited'."""
        if isinstance(values, VisitRecord):
            values = {name: getattr(values, name) for name in (
                "public_id", "title", "purpose", "status", "timezone", "start_date",
                "end_date", "country", "organizer_name", "organizer_email",
                "responsible_officer")}
        blockers = [QSignalBlocker(w) for w in (
            self.title, self.public_id, self.purpose, self.status, self.start, self.end,
            self.country, self.timezone, self.organizer_name, self.organizer_email,
            self.responsible_officer)]
        self.title.setText(values.get("title", ""))
        self.public_id.setText(values.get("public_id", ""))
        self.purpose.setPlainText(values.get("purpose", ""))
        status = values.get("status") or ("proposed" if self.creating else "planned")
        self._set_status_choices(status, creating=self.creating)
        start = values.get("start_date") or date.today()
        end = values.get("end_date") or start
        self.start.setDate(to_qdate(start))
        self.end.setDate(to_qdate(end))
        self.country.set_value(values.get("country", ""))
        self.timezone.set_day(start)
        self.timezone.set_value(values.get("timezone", ""))
        self.organizer_name.setText(values.get("organizer_name", ""))
        self.organizer_email.setText(values.get("organizer_email", ""))
        self.responsible_officer.setText(values.get("responsible_officer", ""))
        del blockers
        self._update_days()
        self._loaded = self.values()
        self.set_problems(())

    def values(self) -> dict[str, Any]:
        """The values as the service takes them (dates as ``date``)."""
        out: dict[str, Any] = {
            "title": self.title.text().strip(),
            "purpose": self.purpose.toPlainText().strip(),
            "status": self.status.currentData() or self._status_base,
            "start_date": from_qdate(self.start.date()),
            "end_date": from_qdate(self.end.date()),
            "country": self.country.value().upper() if len(self.country.value()) == 2
            else self.country.value(),
            "timezone": self.timezone.value(),
            "organizer_name": self.organizer_name.text().strip(),
            "organizer_email": self.organizer_email.text().strip(),
            "responsible_officer": self.responsible_officer.text().strip(),
        }
        if self.creating and self.public_id.text().strip():
            out["public_id"] = self.public_id.text().strip()
        return out

    def changes(self) -> dict[str, Any]:
        """Only the fields the user changed since :meth:`set_values`."""
        now = self.values()
        return {k: v for k, v in now.items() if self._loaded.get(k) != v}

    def is_dirty(self) -> bool:
        """Whether anything was changed since :meth:`set_values`."""
        return bool(self.changes())

    def set_problems(self, problems: Iterable[FieldProblem]) -> None:
        """Show the service's problems above the form and focus the first field named."""
        problems = list(problems)
        if not problems:
            self.problems_label.hide()
            self.problems_label.clear()
            return
        items = "".join(
            f"<li><b>{FIELD_LABELS.get(p.path, p.path.replace('_', ' ').capitalize())}"
            f"</b> {_escape(p.message)}</li>" if p.path else f"<li>{_escape(p.message)}</li>"
            for p in problems)
        self.problems_label.setText(
            f"Please correct {'this' if len(problems) == 1 else 'these'} before saving:"
            f"<ul style='margin:2px 0 0 -20px'>{items}</ul>")
        self.problems_label.show()
        widget = self._widget_for(problems[0].path)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _widget_for(self, path: str) -> QWidget | None:
        return {
            "title": self.title, "public_id": self.public_id, "id": self.public_id,
            "purpose": self.purpose, "status": self.status, "start_date": self.start,
            "end_date": self.end, "country": self.country, "timezone": self.timezone,
            "organizer_name": self.organizer_name, "organizer_email": self.organizer_email,
            "responsible_officer": self.responsible_officer,
        }.get(path)

    # -- reactions -----------------------------------------------------------------
    def _start_changed(self, new_start: QDate) -> None:
        """Moving the start keeps the visit's length."""
        old_start = self._previous_start if hasattr(self, "_previous_start") else None
        if old_start is not None:
            length = old_start.daysTo(self.end.date())
            if length >= 0:
                with QSignalBlocker(self.end):
                    self.end.setDate(new_start.addDays(length))
        self._previous_start = new_start
        self._update_days()
        self._on_edit()

    def _update_days(self) -> None:
        self._previous_start = self.start.date()
        days = self.start.date().daysTo(self.end.date()) + 1
        self.days_label.setText(f"{days} day{'s' if days != 1 else ''}" if days > 0
                                else "ends before it starts")

    def _on_edit(self, *_args: object) -> None:
        self.edited.emit()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class VisitEditorDialog(QDialog):
    """New visit, or edit a visit's fields.  ``submit(values)`` writes them; a
    :class:`ValidationError` it raises is shown in the form and the dialog stays open."""

    def __init__(self, submit: Callable[[dict[str, Any]], object], *,
                 record: VisitRecord | None = None,
                 defaults: Mapping[str, Any] | None = None,
                 on_stale: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self._on_stale = on_stale
        self.record = record
        self.result_value: object = None
        creating = record is None
        self.setObjectName("visitEditorDialog")
        self.setWindowTitle("New visit" if creating else f"Edit visit — {record.title}")
        self.setAccessibleName(self.windowTitle())
        self.form = VisitForm(creating=creating, parent=self)
        if record is not None:
            self.form.set_values(record)
        else:
            self.form.set_values(dict(defaults or {}))
        self.buttons = accept_cancel_buttons(self, text="Create visit" if creating else "Save",
                                             name="saveVisitButton")
        dialog_column(self, self.form, self.buttons)
        self.setMinimumWidth(600)
        self.form.title.setFocus()

    def accept(self) -> None:
        """Write the values; stay open and show the problems if they are refused."""
        values = self.form.values() if self.record is None else self.form.changes()
        if self.record is not None and not values:
            super().accept()
            return
        try:
            self.result_value = self._submit(values)
        except StaleWriteError as exc:
            from ui.dialogs.stale import handle_stale_write

            handle_stale_write(self, exc, self._on_stale or (lambda: None))
            self.reject()
            return
        except ValidationError as exc:
            self.form.set_problems(exc.problems)
            return
        except ProtocolError as exc:
            from ui.dialogs.errors import show_error

            show_error(self, "Not saved", exc)
            return
        super().accept()


class DuplicateVisitDialog(QDialog):
    """Asks for the new start date (and title) of a visit copied as a template."""

    def __init__(self, record: VisitRecord | Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = record
        self.setObjectName("duplicateVisitDialog")
        self.setWindowTitle("Duplicate visit as a template")
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(
            f"A new visit is made from <b>{_escape(record.title)}</b>: the same delegation, "
            "hosts and itinerary, moved to the new dates. It starts as <i>Proposed</i>, "
            "with fresh calendar invitations.")
        intro.setWordWrap(True)
        self.title = QLineEdit(record.title)
        self.title.setAccessibleName("Title of the new visit")
        self.start = make_date_edit("Start date of the new visit")
        suggested = _same_weekday_next_year(record.start_date)
        self.start.setDate(to_qdate(suggested))
        self.shift_label = QLabel()
        secondary(self.shift_label)
        self.shift_label.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("&Title", self.title)
        form.addRow("New &start date", self.start)
        form.addRow("", self.shift_label)
        set_buddies(form, (self.title, self.start))
        buttons = accept_cancel_buttons(self, QDialogButtonBox.StandardButton.Ok,
                                        text="Duplicate")
        dialog_column(self, intro, form, buttons)
        self.start.dateChanged.connect(self._update_shift)
        self._update_shift()
        self.setMinimumWidth(480)
        self.start.setFocus()

    def start_date(self) -> date:
        """The chosen start date."""
        return from_qdate(self.start.date())

    def new_title(self) -> str:
        """The chosen title (the original's if left empty)."""
        return self.title.text().strip() or self.record.title

    def _update_shift(self) -> None:
        start = self.start_date()
        length = (self.record.end_date - self.record.start_date).days
        end = start + timedelta(days=length)
        self.shift_label.setText(f"The new visit runs {format_date(start)} to "
                                 f"{format_date(end)}; every event moves by "
                                 f"{(start - self.record.start_date).days:+d} days.")


def _same_weekday_next_year(start: date) -> date:
    """The same weekday, 52 weeks later (recurring visits keep their weekday)."""
    return start + timedelta(weeks=52)
