"""Register or change a gift given or received on a visit."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QDoubleValidator, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from protocol_app.errors import ProtocolError, StaleWriteError, ValidationError
from protocol_app.services.values import GiftRecord, VisitRecord
from ui.dialogs.forms import accept_cancel_buttons, dialog_column, set_buddies, show_problems
from ui.dialogs.visit_editor import from_qdate, make_date_edit, to_qdate
from ui.models import ROLE_LABELS
from ui.models.participants_model import full_name, participant_sort_key

COMMON_CURRENCIES: tuple[str, ...] = (
    "USD", "EUR", "GBP", "JPY", "CNY", "KRW", "INR", "CHF", "CAD", "AUD", "VND", "SAR", "AED",
    "BRL", "MXN", "SGD",
)
_FIELD_LABELS = {"direction": "Direction", "description": "Gift", "giver_person_id": "From",
                 "recipient_person_id": "To", "value": "Value", "currency": "Currency",
                 "date": "Date"}


class GiftEditorDialog(QDialog):
    """The gift's fields; ``submit(values)`` writes them (problems keep the dialog open)."""

    def __init__(self, visit: VisitRecord, submit: Callable[[dict[str, Any]], object], *,
                 gift: GiftRecord | None = None,
                 on_stale: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_stale = on_stale
        self.visit = visit
        self.gift = gift
        self._submit = submit
        self.setObjectName("giftEditorDialog")
        self.setWindowTitle("Register a gift" if gift is None else "Edit gift")
        self.setAccessibleName(self.windowTitle())

        self.direction = QComboBox()
        self.direction.setAccessibleName("Direction")
        self.direction.addItem("Received by our side (from the delegation)", "received")
        self.direction.addItem("Given by our side (to the delegation)", "given")
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description of the gift")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText("e.g. Lacquered box with the Ministry's emblem")
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.giver = QComboBox()
        self.giver.setAccessibleName("Given by")
        self.recipient = QComboBox()
        self.recipient.setAccessibleName("Received by")
        people = sorted(visit.participants, key=participant_sort_key)
        for combo in (self.giver, self.recipient):
            combo.addItem("— not recorded —", None)
            for p in people:
                side = "guest" if p.side == "guest" else "host"
                combo.addItem(f"{full_name(p)}  ·  {ROLE_LABELS.get(p.role, p.role)} ({side})",
                              p.person_id)
        self.value = QLineEdit()
        self.value.setAccessibleName("Estimated value")
        self.value.setPlaceholderText("unknown")
        validator = QDoubleValidator(0.0, 1e12, 2, self.value)
        validator.setLocale(QLocale.c())
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        self.value.setValidator(validator)
        self.value.setMaximumWidth(140)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.setAccessibleName("Currency")
        self.currency.addItems(COMMON_CURRENCIES)
        self.currency.setValidator(QRegularExpressionValidator(r"[A-Za-z]{0,3}", self.currency))
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.date = make_date_edit("Date of the gift")
        self.no_date = QCheckBox("Date not known")
        self.no_date.setAccessibleName("Date not known")
        self.no_date.toggled.connect(lambda on: self.date.setEnabled(not on))

        value_row = QHBoxLayout()
        value_row.setContentsMargins(0, 0, 0, 0)
        value_row.addWidget(self.value)
        value_row.addWidget(self.currency)
        value_row.addStretch(1)
        date_row = QHBoxLayout()
        date_row.setContentsMargins(0, 0, 0, 0)
        date_row.addWidget(self.date)
        date_row.addWidget(self.no_date)
        date_row.addStretch(1)

        self.problems = QLabel()
        self.problems.setObjectName("giftProblems")
        self.problems.setWordWrap(True)
        self.problems.hide()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Direction", self.direction)
        form.addRow("&Gift", self.description)
        form.addRow("&From", self.giver)
        form.addRow("&To", self.recipient)
        form.addRow("Estimated &value", value_row)
        form.addRow("D&ate", date_row)
        set_buddies(form, (self.direction, self.description, self.giver, self.recipient,
                           (value_row, self.value), (date_row, self.date)))

        buttons = accept_cancel_buttons(self)
        dialog_column(self, self.problems, form, buttons)
        self.setMinimumWidth(560)
        order = [self.direction, self.description, self.giver, self.recipient, self.value,
                 self.currency, self.date, self.no_date]
        for a, b in itertools.pairwise(order):
            QWidget.setTabOrder(a, b)

        self._load(gift)
        self._loaded = self.values()
        self.direction.currentIndexChanged.connect(self._direction_changed)
        self.description.setFocus()

    def _load(self, gift: GiftRecord | None) -> None:
        if gift is None:
            self.direction.setCurrentIndex(0)
            head = self.visit.head_of_delegation
            if head is not None:
                self.giver.setCurrentIndex(max(0, self.giver.findData(head.person_id)))
            self.currency.setCurrentText("USD")
            self.date.setDate(to_qdate(self.visit.start_date))
            return
        self.direction.setCurrentIndex(max(0, self.direction.findData(gift.direction)))
        self.description.setPlainText(gift.description)
        self.giver.setCurrentIndex(max(0, self.giver.findData(gift.giver_person_id)))
        self.recipient.setCurrentIndex(max(0, self.recipient.findData(gift.recipient_person_id)))
        self.value.setText("" if gift.value is None else f"{gift.value:g}")
        self.currency.setCurrentText(gift.currency)
        self.date.setDate(to_qdate(gift.date or self.visit.start_date))
        self.no_date.setChecked(gift.date is None)

    def _direction_changed(self) -> None:
        """Swap giver and recipient when the direction flips (the common case)."""
        giver, recipient = self.giver.currentIndex(), self.recipient.currentIndex()
        self.giver.setCurrentIndex(recipient)
        self.recipient.setCurrentIndex(giver)

    def values(self) -> dict[str, Any]:
        """The gift's values as the service takes them."""
        text = self.value.text().strip().replace(",", "")
        try:
            value: float | None = float(text) if text else None
        except ValueError:
            value = None
        when: date | None = None if self.no_date.isChecked() else from_qdate(self.date.date())
        return {
            "direction": self.direction.currentData(),
            "description": self.description.toPlainText().strip(),
            "giver_person_id": self.giver.currentData(),
            "recipient_person_id": self.recipient.currentData(),
            "value": value,
            "currency": self.currency.currentText().strip().upper(),
            "date": when,
        }

    def changes(self) -> dict[str, Any]:
        """The fields changed since the dialog opened."""
        return {k: v for k, v in self.values().items() if self._loaded.get(k) != v}

    def accept(self) -> None:
        """Write the gift; stay open and show problems if it is refused."""
        values = self.values() if self.gift is None else self.changes()
        if self.gift is not None and not values:
            super().accept()
            return
        try:
            self._submit(values)
        except StaleWriteError as exc:
            from ui.dialogs.stale import handle_stale_write

            handle_stale_write(self, exc, self._on_stale or (lambda: None))
            self.reject()
            return
        except ValidationError as exc:
            show_problems(self.problems, exc.problems, _FIELD_LABELS)
            return
        except ProtocolError as exc:
            from ui.dialogs.errors import show_error

            show_error(self, "Not saved", exc)
            return
        super().accept()
