"""The writable fields of people, visits, events and gifts, and the checks of their values.

Pure Python (no SQLAlchemy, no database): shared by the services, the visit-package
reader and the UI.  Each ``*_problem`` check returns an error message (for a
:class:`~protocol_app.errors.FieldProblem`) or None; the caller decides the path
(``email`` or ``people[2].email``).  Each ``validate_*_values`` returns every problem
of a record's values at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry

from protocol_app.errors import FieldProblem
from protocol_app.records import vocab

PERSON_FIELDS: tuple[str, ...] = (
    "family_name", "given_name", "name_order", "native_name", "pronunciation", "gender",
    "honorific", "position", "organization", "country", "email", "phone", "rank",
    "rank_date", "languages", "dietary", "medical", "security", "protocol_notes", "bio",
)
VISIT_FIELDS: tuple[str, ...] = (
    "public_id", "title", "purpose", "status", "timezone", "start_date", "end_date",
    "country", "organizer_name", "organizer_email", "responsible_officer",
)
EVENT_FIELDS: tuple[str, ...] = (
    "ref", "title", "kind", "start", "end", "timezone", "status", "venue_name",
    "venue_address", "venue_room", "host_person_id", "attendee_ids", "dress_code", "notes",
    "internal_notes",
)
GIFT_FIELDS: tuple[str, ...] = (
    "direction", "giver_person_id", "recipient_person_id", "description", "value", "currency",
    "date",
)
REF_LENGTH = 120  # participants.ref, events.ref
MAX_EVENT_LENGTH = timedelta(days=14)
_LONG_FIELDS = ("dietary", "medical", "security", "protocol_notes", "bio")
_PUBLIC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")

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


def country_name(code: str) -> str:
    """The English short name of a country code, or the code itself."""
    found = pycountry.countries.get(alpha_2=code) if code else None
    return getattr(found, "common_name", None) or getattr(found, "name", code) if found else code


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


def validate_person_values(values: Mapping[str, Any], *, creating: bool,
                           prefix: str = "") -> list[FieldProblem]:
    """Every problem with a person's field values (all of them, not just the first)."""
    problems: list[FieldProblem] = []

    def add(field: str, message: str | None) -> None:
        if message:
            problems.append(FieldProblem(prefix + field, message))

    if creating or "family_name" in values:
        add("family_name", text_problem(values.get("family_name", ""), required=True))
    for name in ("given_name", "native_name", "pronunciation", "honorific", "position",
                 "organization", "phone", "rank"):
        if name in values:
            add(name, text_problem(values[name]))
    for name in _LONG_FIELDS:
        if name in values:
            add(name, text_problem(values[name], max_length=MAX_LONG, multiline=True))
    if "name_order" in values:
        add("name_order", choice_problem(values["name_order"], vocab.NAME_ORDERS))
    if "gender" in values:
        add("gender", choice_problem(values["gender"], vocab.GENDERS))
    if "email" in values:
        add("email", text_problem(values["email"]) or email_problem(values["email"]))
    if "country" in values:
        add("country", text_problem(values["country"]) or country_problem(values["country"]))
    if "rank_date" in values and values["rank_date"] is not None and not is_date(
        values["rank_date"]
    ):
        add("rank_date", "must be a date (YYYY-MM-DD)")
    if "languages" in values:
        langs = values["languages"]
        if not isinstance(langs, list | tuple) or not all(isinstance(x, str) for x in langs):
            add("languages", "must be a list of language tags")
        else:
            for i, tag in enumerate(langs):
                add(f"languages[{i}]", language_problem(tag))
    return problems


def validate_visit_values(values: Mapping[str, Any], *, creating: bool,
                          prefix: str = "") -> list[FieldProblem]:
    """Every problem with a visit's field values."""
    problems: list[FieldProblem] = []

    def add(field: str, message: str | None) -> None:
        if message:
            problems.append(FieldProblem(prefix + field, message))

    if creating or "title" in values:
        add("title", text_problem(values.get("title", ""), required=True, max_length=500))
    for name in ("organizer_name", "responsible_officer"):
        if name in values:
            add(name, text_problem(values[name]))
    if "purpose" in values:
        add("purpose", text_problem(values["purpose"], max_length=MAX_LONG, multiline=True))
    if values.get("public_id") or (not creating and "public_id" in values):
        pid = values["public_id"]
        if not isinstance(pid, str) or not _PUBLIC_ID.match(pid):
            add("public_id", "must be letters, digits, '.', '_' or '-' (at most 120), such as "
                "jp-rector-2027")
    if "status" in values:
        add("status", choice_problem(values["status"], vocab.VISIT_STATUSES))
    if creating or "timezone" in values:
        add("timezone", timezone_problem(values.get("timezone", "")))
    if creating or "country" in values:
        add("country", country_problem(values.get("country", ""), required=True))
    if "organizer_email" in values:
        add("organizer_email", text_problem(values["organizer_email"])
            or email_problem(values["organizer_email"]))
    for name in ("start_date", "end_date"):
        if (creating or name in values) and not is_date(values.get(name)):
            add(name, "is required (a date, YYYY-MM-DD)")
    start, end = values.get("start_date"), values.get("end_date")
    if is_date(start) and is_date(end):
        add("end_date", date_range_problem(start, end))
    return problems


def validate_event_values(values: Mapping[str, Any], *, creating: bool, participant_ids: set[int],
                          prefix: str = "") -> list[FieldProblem]:
    """Every problem with an event's values.  ``start``/``end`` are aware datetimes."""
    problems: list[FieldProblem] = []

    def add(field: str, message: str | None) -> None:
        if message:
            problems.append(FieldProblem(prefix + field, message))

    if creating or "title" in values:
        add("title", text_problem(values.get("title", ""), required=True, max_length=500))
    if "ref" in values and values["ref"] is not None:
        add("ref", text_problem(values["ref"], required=True, max_length=120))
    for name in ("venue_name", "venue_room", "dress_code"):
        if name in values:
            add(name, text_problem(values[name]))
    for name in ("venue_address", "notes", "internal_notes"):
        if name in values:
            add(name, text_problem(values[name], max_length=MAX_LONG, multiline=True))
    if "kind" in values:
        add("kind", choice_problem(values["kind"], vocab.EVENT_KINDS))
    if "status" in values:
        add("status", choice_problem(values["status"], vocab.EVENT_STATUSES))
    if "timezone" in values:
        add("timezone", timezone_problem(values["timezone"]))
    for name in ("start", "end"):
        if creating or name in values:
            value = values.get(name)
            if not isinstance(value, datetime) or value.tzinfo is None:
                add(name, "is required (a date and time)")
    start, end = values.get("start"), values.get("end")
    if (isinstance(start, datetime) and isinstance(end, datetime)
            and start.tzinfo is not None and end.tzinfo is not None):
        if end <= start:
            add("end", "must be after the start")
        elif end - start > MAX_EVENT_LENGTH:
            add("end", "is more than 14 days after the start")
    host = values.get("host_person_id")
    if host is not None and not is_record_number(host):
        add("host", "must be a person's number")
    elif host is not None and host not in participant_ids:
        add("host", f"person #{host} does not take part in the visit")
    attendees = values.get("attendee_ids", ())
    if not isinstance(attendees, list | tuple) or not all(
            is_record_number(x) for x in attendees):
        add("attendees", "must be a list of people's numbers")
        return problems
    for i, person_id in enumerate(attendees):
        if person_id not in participant_ids:
            add(f"attendees[{i}]", f"person #{person_id} does not take part in the visit")
    if len(set(attendees)) != len(attendees):
        add("attendees", "lists someone twice")
    return problems


def validate_gift_values(values: Mapping[str, Any], *, creating: bool,
                         prefix: str = "") -> list[FieldProblem]:
    """Every problem with a gift's values."""
    problems: list[FieldProblem] = []

    def add(field: str, message: str | None) -> None:
        if message:
            problems.append(FieldProblem(prefix + field, message))

    if creating or "direction" in values:
        add("direction", choice_problem(values.get("direction"), vocab.GIFT_DIRECTIONS))
    if creating or "description" in values:
        add("description", text_problem(values.get("description", ""), required=True,
                                          max_length=MAX_LONG, multiline=True))
    if values.get("value") is not None:
        value = values["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(
                value) or value < 0:
            add("value", "must be a number, zero or more")
    if values.get("currency"):
        cur = values["currency"]
        if not (isinstance(cur, str) and len(cur) == 3 and cur.isascii() and cur.isupper()):
            add("currency", f"'{cur}' is not an ISO 4217 code (such as USD, EUR, JPY)")
    if values.get("date") is not None and not is_date(values["date"]):
        add("date", "must be a date (YYYY-MM-DD)")
    return problems


def _finite(value: int | float) -> bool:
    """True for a number that can be stored (an integer too large for a float cannot)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
