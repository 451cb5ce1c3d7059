"""Field checks shared by the services and the visit-package importer.

Each check returns an error message (for a :class:`~protocol_app.errors.FieldProblem`)
or None; the caller decides the path (``email`` or ``people[2].email``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry

from protocol_app.records import vocab

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]{2,}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # half of a UTF-16 pair: not storable text

MAX_SHORT = 300
MAX_LONG = 20_000


def text_problem(value: object, *, required: bool = False, max_length: int = MAX_SHORT,
                 multiline: bool = False) -> str | None:
    """Check a text value: type, presence, length, control characters."""
    if not isinstance(value, str):
        return "must be text"
    if required and not value.strip():
        return "is required"
    if len(value) > max_length:
        return f"is too long ({len(value):,} characters; at most {max_length:,})"
    if _CONTROL.search(value):
        return "contains control characters"
    if _SURROGATE.search(value):
        return "contains an invalid character (half of a UTF-16 surrogate pair)"
    if not multiline and ("\n" in value or "\r" in value):
        return "must be on one line"
    return None


def email_problem(value: str) -> str | None:
    """An e-mail address is empty or looks like ``name@domain.tld``."""
    if value and not _EMAIL.match(value):
        return f"'{value}' is not an e-mail address"
    return None


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def country_problem(value: str, *, required: bool = False) -> str | None:
    """An ISO 3166-1 alpha-2 code (upper case), e.g. ``JP``."""
    if value and not isinstance(value, str):
        return "must be text (an ISO 3166-1 code such as JP)"
    if not value:
        return "is required (an ISO 3166-1 code such as JP)" if required else None
    if value not in _countries():
        return f"'{value}' is not an ISO 3166-1 alpha-2 country code (such as JP, DE, US)"
    return None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone_problem(value: str) -> str | None:
    """An IANA time zone name such as ``America/New_York``."""
    if value and not isinstance(value, str):
        return "must be text (an IANA time zone such as Europe/Paris)"
    if not value:
        return "is required (an IANA time zone such as Europe/Paris)"
    if value not in _zones():
        return f"'{value}' is not a known IANA time zone (such as America/New_York)"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"'{value}' is not a known IANA time zone"
    return None


def language_problem(value: str) -> str | None:
    """A BCP 47 language tag such as ``en`` or ``zh-Hant``."""
    if not isinstance(value, str) or not _LANGUAGE.match(value):
        return f"'{value}' is not a BCP 47 language tag (such as en, ja, zh-Hant)"
    return None


def choice_problem(value: object, choices: tuple[str, ...]) -> str | None:
    """One of a closed list of values."""
    if value not in choices:
        shown = ", ".join(c or '""' for c in choices)
        return f"'{value}' is not one of {shown}"
    return None


def is_date(value: object) -> bool:
    """True for a calendar date (a ``datetime``, which is also a ``date``, is not one)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def is_record_number(value: object) -> bool:
    """True for what can be the number of a stored record (a positive 64-bit ``int``)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2 ** 63


def date_range_problem(start: date, end: date) -> str | None:
    """The end date is not before the start date."""
    if end < start:
        return f"ends ({end.isoformat()}) before it starts ({start.isoformat()})"
    return None


def visit_status_change_problem(old: str, new: str) -> str | None:
    """A visit's status moves only along the allowed transitions."""
    if old == new or new in vocab.VISIT_TRANSITIONS.get(old, ()):
        return None
    allowed = ", ".join(vocab.VISIT_TRANSITIONS.get(old, ())) or "nothing (it is final)"
    return f"cannot go from {old} to {new}; from {old} it can go to {allowed}"
