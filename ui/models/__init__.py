"""Qt item models over the services' frozen values (never ORM objects).

Each model follows one shape: column constants, the headers in one tuple, and one
``set_rows()`` that resets every row.  The small text formatters they share live here.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

#: Role under which every model returns the value a column sorts by.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role under which every model returns the frozen record of a row.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

STATUS_LABELS: dict[str, str] = {
    "proposed": "Proposed", "planned": "Planned", "confirmed": "Confirmed",
    "completed": "Completed", "cancelled": "Cancelled",
}
SIDE_LABELS: dict[str, str] = {"guest": "Guest", "host": "Host"}
ROLE_LABELS: dict[str, str] = {
    "head": "Head of delegation", "member": "Member", "staff": "Staff",
    "interpreter": "Interpreter", "security": "Security", "host": "Host", "escort": "Escort",
}
DIRECTION_LABELS: dict[str, str] = {"received": "Received", "given": "Given"}


def format_date(value: date | None) -> str:
    """``11 Mar 2027`` (unambiguous in every locale), or an empty string."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_date_range(start: date, end: date) -> str:
    """A compact range: ``11–14 Mar 2027``, ``28 Feb – 2 Mar 2027``, or one day."""
    if start == end:
        return format_date(start)
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} – {format_date(end)}"
    return f"{format_date(start)} – {format_date(end)}"


def country_name(code: str) -> str:
    """The English short name of an ISO 3166-1 code (the code itself if unknown)."""
    if not code:
        return ""
    from protocol_app.records.fields import country_name as core_country_name

    return core_country_name(code)


def format_money(value: float | None, currency: str) -> str:
    """``1,250.00 USD``; empty when the value is unknown."""
    if value is None:
        return ""
    amount = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{amount} {currency}".strip()
