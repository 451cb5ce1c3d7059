"""Qt item models over the services' frozen values (never ORM objects).

Each model follows one shape: column constants, the headers in one tuple, and one
``set_rows()`` that resets every row.  The small text formatters they share live here.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from protocol_app import formatting
from protocol_app.records import vocab

#: Role under which every model returns the value a column sorts by.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role under which every model returns the frozen record of a row.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2

#: Labels of the stored values, read from the vocabularies (protocol_app.records.vocab).
STATUS_LABELS: dict[str, str] = vocab.VisitStatus.labels()
SIDE_LABELS: dict[str, str] = vocab.Side.labels()
ROLE_LABELS: dict[str, str] = vocab.Role.labels()
DIRECTION_LABELS: dict[str, str] = vocab.GiftDirection.labels()


def format_date(value: date | None) -> str:
    """``11 Mar 2027`` (unambiguous in every locale), or an empty string."""
    return formatting.format_date(value, short=True)


def format_date_range(start: date, end: date) -> str:
    """A compact range: ``11–14 Mar 2027``, ``28 Feb – 2 Mar 2027``, or one day."""
    return formatting.format_date_range(start, end, short=True)


country_name = formatting.country_name


def format_money(value: float | None, currency: str) -> str:
    """``1,250.00 USD``; empty when the value is unknown."""
    if value is None:
        return ""
    amount = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{amount} {currency}".strip()
