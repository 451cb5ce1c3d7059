"""The writable fields of people, visits, events and gifts, and the checks of their values.

Pure Python (no SQLAlchemy, no database): shared by the services, the visit-package
reader and the UI.  Each ``*_problem`` check returns an error message (for a
:class:`~protocol_app.errors.FieldProblem`) or None; the caller decides the path
(``email`` or ``people[2].email``).  Each ``validate_*_values`` returns every problem
of a record's values at once.

The length limits are the column lengths of :mod:`protocol_app.records.models`
(a test holds the two together); text columns without a length take :data:`MAX_LONG`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry

from protocol_app.errors import FieldProblem
from protocol_app.records import vocab
from protocol_app.rules.visibility import VISIBILITIES

PERSON_FIELDS: tuple[str, ...] = (
    "family_name", "given_name", "name_order", "native_name", "pronunciation", "gender",
    "honorific", "title_name", "position", "organization", "country", "email", "phone",
    "rank", "rank_date", "languages", "dietary", "medical", "security", "protocol_notes", "bio",
)
VISIT_FIELDS: tuple[str, ...] = (
    "public_id", "title", "purpose", "status", "timezone", "start_date", "end_date",
    "country", "organizer_name", "organizer_email", "responsible_officer",
)
EVENT_FIELDS: tuple[str, ...] = (
    "ref", "title", "kind", "start", "end", "timezone", "status", "venue_name",
    "venue_address", "venue_room", "host_person_id", "attendee_ids", "dress_code", "notes",
    "internal_notes", "visibility", "invitations",
)
GIFT_FIELDS: tuple[str, ...] = (
    "direction", "giver_person_id", "recipient_person_id", "description", "value", "currency",
    "date",
)

#: An event's invitations switch (``None``: the default of its kind, in preferences).
INVITATION_SWITCHES: tuple[str, ...] = ("on", "off")

MAX_SHORT = 300
MAX_LONG = 20_000
REF_LENGTH = 120  # participants.ref, events.ref
MAX_LANGUAGES = 20

#: One-line text fields and their longest value: the lengths of their columns.
PERSON_LENGTHS: dict[str, int] = {
    "family_name": 200, "given_name": 200, "native_name": 300, "pronunciation": 300,
    "honorific": 100, "title_name": 200, "position": 300, "organization": 300, "phone": 60,
    "rank": 60, "email": 320, "languages": 200,  # languages: the tags joined by commas
}
VISIT_LENGTHS: dict[str, int] = {
    "public_id": REF_LENGTH, "title": 500, "organizer_name": 300, "organizer_email": 320,
    "responsible_officer": 300,
}
EVENT_LENGTHS: dict[str, int] = {
    "ref": REF_LENGTH, "title": 500, "venue_name": 300, "venue_room": 200, "dress_code": 200,
}
PERSON_LONG_FIELDS = ("dietary", "medical", "security", "protocol_notes", "bio")

#: The dates a calendar (and every exporter) can carry; anything else is refused.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2200, 12, 31)
MAX_EVENT_LENGTH = timedelta(days=14)

# Characters that end a line somewhere (Python's str.splitlines, e-mail headers,
# Unicode): never in one-line text.  Of these, text of several lines keeps only
# LF and CR (the ordinary line break).
LINE_SEPARATORS = frozenset("\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029")
_CONTROL_OR_SEPARATOR = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]{2,}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # half of a UTF-16 pair: not storable text
_PUBLIC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
#: Files in a zoneinfo folder that are not zones of the tz database.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory", "leapseconds", "tzdata.zi"})


def character_problem(value: str, *, multiline: bool = False) -> str | None:
    """A line separator or control character that the field cannot hold.

    One-line text (names, titles, places, refs) holds none of them, not even a tab: it
    goes into e-mail headers, calendar lines and table cells.  Text of several lines
    holds LF, CR and tab, nothing else of them."""
    for match in _CONTROL_OR_SEPARATOR.finditer(value):
        char = match.group()
        if multiline and char in "\n\r\t":
            continue
        code = f"U+{ord(char):04X}"
        if char in LINE_SEPARATORS:
            return (f"contains a line separator ({code}): use an ordinary line break"
                    if multiline else f"contains a line separator ({code}): it must be one line")
        if char == "\t":
            return f"contains a tab ({code}): it must be one line"
        return f"contains a control character ({code})"
    return None


def text_problem(value: object, *, required: bool = False, max_length: int = MAX_SHORT,
                 multiline: bool = False) -> str | None:
    """Check a text value: type, presence, length, line separators, control characters."""
    if not isinstance(value, str):
        return "must be text"
    if required and not value.strip():
        return "is required"
    if len(value) > max_length:
        return f"is too long ({len(value):,} characters; at most {max_length:,})"
    if _SURROGATE.search(value):
        return "contains an invalid character (half of a UTF-16 surrogate pair)"
    return character_problem(value, multiline=multiline)


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
def iana_zones() -> frozenset[str]:
    """The names of the tz database (``zoneinfo.available_timezones()`` and ``UTC``),
    without the files a zoneinfo folder holds beside them (``localtime``,
    ``posixrules``, ``Factory``) and the ``posix/`` and ``right/`` copies."""
    return frozenset(
        name for name in available_timezones() | {"UTC"}
        if name not in _NOT_ZONES and _ZONE_NAME.match(name)
        and not name.startswith(("posix/", "right/")))


def timezone_problem(value: str) -> str | None:
    """An IANA time zone name such as ``America/New_York``."""
    if value and not isinstance(value, str):
        return "must be text (an IANA time zone such as Europe/Paris)"
    if not value:
        return "is required (an IANA time zone such as Europe/Paris)"
    if value not in iana_zones():
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


def is_date(value: object) -> TypeGuard[date]:
    """True for a calendar date (a ``datetime``, which is also a ``date``, is not one)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def date_problem(value: object) -> str | None:
    """A calendar date between :data:`FIRST_DATE` and :data:`LAST_DATE` (a datetime is
    checked by its UTC date)."""
    if isinstance(value, datetime):
        day = value.astimezone(UTC).date() if value.tzinfo is not None else value.date()
    elif isinstance(value, date):
        day = value
    else:
        return "must be a date (YYYY-MM-DD)"
    if not FIRST_DATE <= day <= LAST_DATE:
        return (f"{day.isoformat()} is outside the dates a calendar can carry "
                f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})")
    return None


def is_record_number(value: object) -> bool:
    """True for what can be the number of a stored record: a positive ``int`` that fits
    the smaller of the two engines' keys (PostgreSQL's ``integer``, 32 bits; a larger one
    would make the server refuse the query instead of our message naming the field)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2 ** 31


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


def languages_problems(value: object) -> list[tuple[str, str]]:
    """(sub-path, message) for a list of BCP 47 tags: its type, count and stored length
    first (a huge list gets one message, not one per entry), then each tag."""
    if not isinstance(value, list | tuple) or not all(isinstance(x, str) for x in value):
        return [("", "must be a list of language tags")]
    if len(value) > MAX_LANGUAGES:
        return [("", f"lists {len(value):,} languages; at most {MAX_LANGUAGES}")]
    stored = len(",".join(value))
    if stored > PERSON_LENGTHS["languages"]:
        return [("", f"is too long ({stored:,} characters with commas; at most "
                     f"{PERSON_LENGTHS['languages']})")]
    return [(f"[{i}]", msg) for i, tag in enumerate(value) if (msg := language_problem(tag))]


class _Problems(list[FieldProblem]):
    """Problems of one record, each path with the caller's prefix."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def add(self, field: str, message: str | None) -> None:
        if message:
            self.append(FieldProblem(self.prefix + field, message))


def validate_person_values(values: Mapping[str, Any], *, creating: bool,
                           prefix: str = "") -> list[FieldProblem]:
    """Every problem with a person's field values (all of them, not just the first)."""
    out = _Problems(prefix)
    if creating or "family_name" in values:
        out.add("family_name", text_problem(values.get("family_name", ""), required=True,
                                            max_length=PERSON_LENGTHS["family_name"]))
    for name in ("given_name", "native_name", "pronunciation", "honorific", "title_name",
                 "position", "organization", "phone", "rank"):
        if name in values:
            out.add(name, text_problem(values[name], max_length=PERSON_LENGTHS[name]))
    for name in PERSON_LONG_FIELDS:
        if name in values:
            out.add(name, text_problem(values[name], max_length=MAX_LONG, multiline=True))
    if "name_order" in values:
        out.add("name_order", choice_problem(values["name_order"], vocab.NAME_ORDERS))
    if "gender" in values:
        out.add("gender", choice_problem(values["gender"], vocab.GENDERS))
    if "email" in values:
        out.add("email", text_problem(values["email"], max_length=PERSON_LENGTHS["email"])
                or email_problem(values["email"]))
    if "country" in values:
        out.add("country", text_problem(values["country"]) or country_problem(values["country"]))
    if values.get("rank_date") is not None:
        out.add("rank_date", date_problem(values["rank_date"]) if is_date(values["rank_date"])
                else "must be a date (YYYY-MM-DD)")
    if "languages" in values:
        for where, message in languages_problems(values["languages"]):
            out.add("languages" + where, message)
    return list(out)


def validate_visit_values(values: Mapping[str, Any], *, creating: bool,
                          prefix: str = "") -> list[FieldProblem]:
    """Every problem with a visit's field values."""
    out = _Problems(prefix)
    if creating or "title" in values:
        out.add("title", text_problem(values.get("title", ""), required=True,
                                      max_length=VISIT_LENGTHS["title"]))
    for name in ("organizer_name", "responsible_officer"):
        if name in values:
            out.add(name, text_problem(values[name], max_length=VISIT_LENGTHS[name]))
    if "purpose" in values:
        out.add("purpose", text_problem(values["purpose"], max_length=MAX_LONG, multiline=True))
    if values.get("public_id") or (not creating and "public_id" in values):
        pid = values["public_id"]
        if not isinstance(pid, str) or not _PUBLIC_ID.match(pid):
            out.add("public_id", "must be letters, digits, '.', '_' or '-' (at most 120), such "
                    "as jp-rector-2027")
    if "status" in values:
        out.add("status", choice_problem(values["status"], vocab.VISIT_STATUSES))
    if creating or "timezone" in values:
        out.add("timezone", timezone_problem(values.get("timezone", "")))
    if creating or "country" in values:
        out.add("country", country_problem(values.get("country", ""), required=True))
    if "organizer_email" in values:
        out.add("organizer_email", text_problem(values["organizer_email"],
                                                max_length=VISIT_LENGTHS["organizer_email"])
                or email_problem(values["organizer_email"]))
    for name in ("start_date", "end_date"):
        if creating or name in values:
            value = values.get(name)
            out.add(name, date_problem(value) if is_date(value)
                    else "is required (a date, YYYY-MM-DD)")
    start, end = values.get("start_date"), values.get("end_date")
    if is_date(start) and is_date(end):
        out.add("end_date", date_range_problem(start, end))
    return list(out)


def validate_event_values(values: Mapping[str, Any], *, creating: bool,
                          participant_ids: Collection[int], prefix: str = "") -> list[FieldProblem]:
    """Every problem with an event's values.  ``start``/``end`` are aware datetimes."""
    out = _Problems(prefix)
    if creating or "title" in values:
        out.add("title", text_problem(values.get("title", ""), required=True,
                                      max_length=EVENT_LENGTHS["title"]))
    if "ref" in values and values["ref"] is not None:
        out.add("ref", text_problem(values["ref"], required=True, max_length=REF_LENGTH))
    for name in ("venue_name", "venue_room", "dress_code"):
        if name in values:
            out.add(name, text_problem(values[name], max_length=EVENT_LENGTHS[name]))
    for name in ("venue_address", "notes", "internal_notes"):
        if name in values:
            out.add(name, text_problem(values[name], max_length=MAX_LONG, multiline=True))
    if "kind" in values:
        out.add("kind", choice_problem(values["kind"], vocab.EVENT_KINDS))
    if "status" in values:
        out.add("status", choice_problem(values["status"], vocab.EVENT_STATUSES))
    if values.get("visibility") is not None:  # None: the default of the rules
        out.add("visibility", choice_problem(values["visibility"], VISIBILITIES))
    if values.get("invitations") is not None:  # None: the default of the event's kind
        out.add("invitations", choice_problem(values["invitations"], INVITATION_SWITCHES))
    if "timezone" in values:
        out.add("timezone", timezone_problem(values["timezone"]))
    for name in ("start", "end"):
        if creating or name in values:
            value = values.get(name)
            if not isinstance(value, datetime) or value.tzinfo is None:
                out.add(name, "is required (a date and time)")
            else:
                out.add(name, date_problem(value))
    start, end = values.get("start"), values.get("end")
    if (isinstance(start, datetime) and isinstance(end, datetime)
            and start.tzinfo is not None and end.tzinfo is not None):
        if end <= start:
            out.add("end", "must be after the start")
        elif end - start > MAX_EVENT_LENGTH:
            out.add("end", "is more than 14 days after the start")
    host = values.get("host_person_id")
    if host is not None and not is_record_number(host):
        out.add("host", "must be a person's number")
    elif host is not None and host not in participant_ids:
        out.add("host", f"person #{host} does not take part in the visit")
    attendees = values.get("attendee_ids", ())
    if not isinstance(attendees, list | tuple) or not all(
            is_record_number(x) for x in attendees):
        out.add("attendees", "must be a list of people's numbers")
        return list(out)
    for i, person_id in enumerate(attendees):
        if person_id not in participant_ids:
            out.add(f"attendees[{i}]", f"person #{person_id} does not take part in the visit")
    if len(set(attendees)) != len(attendees):
        out.add("attendees", "lists someone twice")
    return list(out)


def validate_gift_values(values: Mapping[str, Any], *, creating: bool,
                         prefix: str = "") -> list[FieldProblem]:
    """Every problem with a gift's values."""
    out = _Problems(prefix)
    if creating or "direction" in values:
        out.add("direction", choice_problem(values.get("direction"), vocab.GIFT_DIRECTIONS))
    if creating or "description" in values:
        out.add("description", text_problem(values.get("description", ""), required=True,
                                            max_length=MAX_LONG, multiline=True))
    if values.get("value") is not None:
        value = values["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(
                value) or value < 0:
            out.add("value", "must be a number, zero or more")
    if values.get("currency"):
        cur = values["currency"]
        if not (isinstance(cur, str) and len(cur) == 3 and cur.isascii() and cur.isupper()):
            out.add("currency", f"'{cur}' is not an ISO 4217 code (such as USD, EUR, JPY)")
    if values.get("date") is not None:
        out.add("date", date_problem(values["date"]) if is_date(values["date"])
                else "must be a date (YYYY-MM-DD)")
    return list(out)


def _finite(value: int | float) -> bool:
    """True for a number that can be stored (an integer too large for a float cannot)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
