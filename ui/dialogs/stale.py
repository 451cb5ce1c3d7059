"""A write refused because someone else changed the record first.

:func:`handle_stale_write` shows who changed the record and when (from the audit trail,
:meth:`AuditService.changes_since`), what changed (field, what you saw, what is stored
now) and offers to reload.  Nothing is ever overwritten from here: the only ways out are
"Reload" (take the stored version) and "Not now" (keep your edits, unsaved).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_app.errors import ProtocolError, StaleWriteError
from protocol_app.services.values import AuditRecord
from ui.dialogs.fit import fit_to_screen
from ui.look import tune_table

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LABELS: dict[str, str] = {
    "public_id": "Visit id", "start_date": "Start date", "end_date": "End date",
    "timezone": "Time zone", "organizer_name": "Organizer", "organizer_email":
    "Organizer e-mail", "responsible_officer": "Responsible officer", "family_name":
    "Family name", "given_name": "Given name", "host_person_id": "Host",
    "attendee_ids": "Attendees", "venue_name": "Venue", "venue_room": "Room",
}


def field_label(name: str) -> str:
    """A field name as words: ``start_date`` -> ``Start date``."""
    return _LABELS.get(name) or name.replace("_", " ").capitalize()


def value_text(value: object) -> str:
    """A stored value as a person reads it (ISO dates as ``11 Mar 2027``)."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        from datetime import date

        from ui.models import format_date

        return format_date(date.fromisoformat(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def when_text(moment: datetime) -> str:
    """``11 Mar 2027 at 14:05`` in this computer's time (a change is read locally)."""
    from ui.models import format_date

    local = moment.astimezone()
    return f"{format_date(local.date())} at {local:%H:%M}"


def history_text(history: Sequence[AuditRecord]) -> str:
    """``Changed by Ana Ruiz on 11 Mar 2027 at 14:05: title, start date.`` — one line per
    change, newest first; empty without history."""
    lines = []
    for entry in history:
        fields = [field_label(name).lower() for name in dict.fromkeys([*entry.old,
                                                                        *entry.new])]
        verb = {"delete": "Deleted", "create": "Created"}.get(entry.action, "Changed")
        what = f": {', '.join(fields)}" if fields and entry.action == "update" else ""
        lines.append(f"{verb} by {entry.actor} on {when_text(entry.at)}{what}.")
    return "\n".join(lines)


def find_audit(widget: QWidget | None) -> Any:
    """The audit service of the window ``widget`` lives in (its nearest ``services``)."""
    while widget is not None:
        services = getattr(widget, "services", None)
        if services is not None and hasattr(services, "audit"):
            return services.audit
        widget = widget.parentWidget()
    return None


def stale_history(widget: QWidget | None, error: StaleWriteError) -> list[AuditRecord]:
    """The audit entries behind a refused write (empty when they cannot be read)."""
    audit = find_audit(widget)
    if audit is None:
        return []
    try:
        return audit.changes_since(error.entity, error.entity_id, error.expected_version,
                                   error.current_version)
    except ProtocolError:
        return []


class StaleWriteDialog(QDialog):
    """Shows a refused stale write (who, when, what) and offers to reload."""

    def __init__(self, error: StaleWriteError, parent: QWidget | None = None, *,
                 history: Sequence[AuditRecord] = ()) -> None:
        super().__init__(parent)
        self.error = error
        self.history = tuple(history)
        self.setObjectName("staleWriteDialog")
        self.setWindowTitle("Changed by someone else")
        self.setAccessibleName("Changed by someone else")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)

        head = QHBoxLayout()
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        head.addWidget(icon)
        who = sorted({entry.actor for entry in self.history})
        by = f"by {', '.join(who)}" if who else "by someone else"
        text = QLabel(
            f"<b>This {error.entity} was changed {escape(by)} while you were editing it."
            "</b><br>Nothing was saved, and nothing of theirs was overwritten.")
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(text, 1)
        layout.addLayout(head)
        self.who_label = QLabel(history_text(self.history))
        self.who_label.setObjectName("staleWhoWhen")
        self.who_label.setWordWrap(True)
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)
        self.who_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.who_label.setVisible(bool(self.history))
        layout.addWidget(self.who_label)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("staleChangesTable")
        self.table.setAccessibleName("Fields changed by someone else")
        self.table.setHorizontalHeaderLabels(("Field", "You saw", "Now stored"))
        tune_table(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for name, pair in error.changed_fields.items():
            seen, stored = pair if isinstance(pair, tuple | list) and len(pair) == 2 else (
                "?", pair)
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, value in enumerate((field_label(name), value_text(seen),
                                         value_text(stored))):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, col, item)
        rows = self.table.rowCount()
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + frame
                                  + rows * self.table.verticalHeader().defaultSectionSize())
        if error.changed_fields:
            heading = QLabel("What they changed:")
            heading.setObjectName("staleChangesHeading")
            changes = QVBoxLayout()  # the heading sits close to its table
            changes.setSpacing(4)
            changes.addWidget(heading)
            changes.addWidget(self.table)
            layout.addLayout(changes)
        else:
            self.table.hide()
            other = QLabel(f"Another change was saved first (your version "
                           f"{error.expected_version}, stored version {error.current_version}).")
            other.setWordWrap(True)
            layout.addWidget(other)
        advice = QLabel("<b>Reload</b> shows the stored version; apply your changes to it "
                        "again. <b>Not now</b> keeps your edits on screen, unsaved.")
        advice.setWordWrap(True)
        layout.addWidget(advice)
        layout.addStretch(1)  # room to spare goes below the text, not into the gaps

        buttons = QDialogButtonBox()
        self.reload_button = buttons.addButton("Reload", QDialogButtonBox.ButtonRole.AcceptRole)
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.setDefault(True)
        copy = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        later = buttons.addButton("Not now", QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("notNowButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)
        fit_to_screen(self)

    def details_text(self) -> str:
        """The refusal and every changed field as plain text."""
        lines = [str(self.error)]
        if self.history:
            lines.append(history_text(self.history))
        for name, pair in self.error.changed_fields.items():
            if isinstance(pair, tuple | list) and len(pair) == 2:
                lines.append(f"{field_label(name)}: you saw {value_text(pair[0])}; "
                             f"now stored {value_text(pair[1])}")
        return "\n".join(lines)

    def copy_details(self) -> None:
        """Put the details on the clipboard."""
        QGuiApplication.clipboard().setText(self.details_text())


def handle_stale_write(parent: QWidget | None, error: StaleWriteError,
                       reload: Callable[[], None]) -> bool:
    """Show a refused stale write; call ``reload()`` if the user chooses to.

    Returns True when the record was reloaded.  Never retries the write."""
    dialog = StaleWriteDialog(error, parent, history=stale_history(parent, error))
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    if accepted:
        reload()
    return accepted
