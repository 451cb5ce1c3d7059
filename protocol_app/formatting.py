"""How Protocol Desk writes dates, date ranges, time zones and country names: one place.

Everything is English as a protocol office writes it, whatever the machine's locale:

* dates — ``Thursday 11 March 2027``, ``11 March 2027``, ``11 Mar 2027``; month and
  weekday names come from CLDR through Babel (:func:`babel.dates.format_date`, locale
  ``en``; the patterns fix day-month-year order).
* date ranges — ``11–14 March 2027``, ``30 March – 2 April 2027``,
  ``30 December 2026 – 2 January 2027``.  Written here from Babel-formatted parts rather
  than with :func:`babel.dates.format_interval`: CLDR's English interval patterns put
  thin spaces around the dash of a day range (``11 – 14 Mar``) where protocol offices
  write ``11–14``, and CLDR has no interval pattern with full month names (Babel falls
  back to abbreviated months).
* time zones — :func:`zone_label` ``New York time (EST, UTC−5)`` for people,
  :func:`zone_short` ``New York time`` for tight places; the city is CLDR's exemplar
  city (:func:`babel.dates.get_timezone_location`), the abbreviation and offset are
  those in force at the given instant, the minus sign is U+2212.  The IANA name
  (``America/New_York``) belongs only in tooltips and in the exchange formats.
* country names — :func:`country_name`, the United Nations' English short names
  (``Viet Nam``, ``Türkiye``, ``Republic of Korea``, ``United Kingdom of Great Britain
  and Northern Ireland``), read from ``resources/data/un_country_names.json``: UN M49 /
  UNTERM short names where they differ from ISO 3166-1 (pycountry's ``name``), pycountry's
  ``name`` elsewhere.  Badges, books, cards, lists and the screens all print this name.

Pure functions, no Qt; cheap after their first call (Babel's locale data and the name
table are loaded once).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

__all__ = [
    "country_name",
    "format_date",
    "format_date_range",
    "format_datetime",
    "format_time_of_day",
    "month_name",
    "utc_offset",
    "weekday_name",
    "zone_abbreviation",
    "zone_city",
    "zone_label",
    "zone_offset_label",
    "zone_short",
]

#: Babel locale for names of months, weekdays and cities ("Sep", not en-GB's "Sept").
LOCALE = "en"
MINUS = "\u2212"


# -- dates --------------------------------------------------------------------------
def _babel_date(day: date, pattern: str) -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, pattern, locale=LOCALE)


def format_date(day: date | None, *, weekday: bool = False, short: bool = False) -> str:
    """``11 March 2027``; ``Thursday 11 March 2027`` with ``weekday``; ``11 Mar 2027``
    (``Thu 11 Mar 2027``) with ``short``.  An empty string for ``None``."""
    if day is None:
        return ""
    pattern = "d MMM y" if short else "d MMMM y"
    if weekday:
        pattern = ("EEE " if short else "EEEE ") + pattern
    return _babel_date(day, pattern)


def format_date_range(start: date, end: date, *, short: bool = False) -> str:
    """``11–14 March 2027``, ``30 March – 2 April 2027``, ``30 December 2026 – 2 January
    2027``, or one date when ``start == end``; abbreviated months with ``short``."""
    month = "MMM" if short else "MMMM"
    last = _babel_date(end, f"d {month} y")
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{last}"
    if start.year == end.year:
        return f"{_babel_date(start, f'd {month}')} – {last}"
    return f"{_babel_date(start, f'd {month} y')} – {last}"


def format_datetime(moment: datetime, tz: str | tzinfo | None = None, *,
                    short: bool = False) -> str:
    """``10 March 2027 14:05`` (``Tue 9 Mar 14:00`` with ``short``: a time in a week's
    programme), read on the clock of ``tz`` (the moment's own zone when ``None``)."""
    from babel.dates import format_datetime as babel_format_datetime

    local = moment.astimezone(_zone(tz)) if tz is not None else moment
    pattern = "EEE d MMM HH:mm" if short else "d MMMM y HH:mm"
    return babel_format_datetime(local, pattern, tzinfo=local.tzinfo, locale=LOCALE)


def month_name(month: int, *, short: bool = False) -> str:
    """``March`` (``Mar`` with ``short``) for ``3``."""
    return _babel_date(date(2000, month, 1), "MMM" if short else "MMMM")


def weekday_name(day: date, *, short: bool = False) -> str:
    """``Thursday`` (``Thu`` with ``short``) for a date."""
    return _babel_date(day, "EEE" if short else "EEEE")


# -- time zones ---------------------------------------------------------------------
def _zone(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _zone_key(tz: str | tzinfo) -> str:
    return tz if isinstance(tz, str) else getattr(tz, "key", None) or str(tz)


@cache
def zone_city(tz: str) -> str:
    """CLDR's exemplar city of an IANA zone (``Asia/Ho_Chi_Minh`` -> ``Ho Chi Minh City``);
    the zone's last part, readable, when CLDR has none; ``UTC`` for UTC."""
    if tz in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return "UTC"
    try:
        from babel.dates import get_timezone_location

        city = get_timezone_location(ZoneInfo(tz), locale=LOCALE, return_city=True)
    except (LookupError, ValueError):
        city = ""
    return city or tz.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(tz: str | tzinfo, at: datetime) -> str:
    """``UTC−5``, ``UTC+7``, ``UTC+5:30``, ``UTC+0`` (a real minus sign) at the instant."""
    offset = at.astimezone(_zone(tz)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{MINUS if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


def zone_abbreviation(tz: str | tzinfo, at: datetime) -> str:
    """The zone's letters at the instant (``EST``/``EDT``), or its offset (``UTC+7``)
    where the zone has no abbreviation in letters."""
    name = at.astimezone(_zone(tz)).tzname() or ""
    if not name or name[0] in "+-":
        return utc_offset(tz, at)
    return name


def zone_offset_label(tz: str | tzinfo, at: datetime) -> str:
    """``EST, UTC−5`` (``UTC+7`` when the zone has no letters): the zone's state at the
    instant, for places where the city is already said."""
    offset = utc_offset(tz, at)
    abbreviation = zone_abbreviation(tz, at)
    return offset if abbreviation == offset else f"{abbreviation}, {offset}"


def zone_short(tz: str | tzinfo) -> str:
    """``New York time``: the short form for tight places (``UTC`` for UTC)."""
    city = zone_city(_zone_key(tz))
    return city if city == "UTC" else f"{city} time"


def zone_label(tz: str | tzinfo, at: datetime) -> str:
    """``New York time (EST, UTC−5)``; ``Ho Chi Minh City time (UTC+7)`` when the zone
    has no letters of its own; ``UTC`` for UTC."""
    short = zone_short(tz)
    return "UTC" if short == "UTC" else f"{short} ({zone_offset_label(tz, at)})"


# -- countries ----------------------------------------------------------------------
@cache
def _un_names() -> dict[str, str]:
    from protocol_app.resources import resource_path

    path = resource_path("data", "un_country_names.json")
    return dict(json.loads(path.read_text(encoding="utf-8"))["names"])


def country_name(code: str | None) -> str:
    """The UN English short name of an ISO 3166-1 alpha-2 code (``VN`` -> ``Viet Nam``);
    pycountry's name for a code the table lacks; the code itself when unknown."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    name = _un_names().get(code)
    if name:
        return name
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return found.name if found is not None else code


# -- times of day -------------------------------------------------------------------
def format_time_of_day(moment: datetime) -> str:
    """``7:30 p.m.``, ``11 a.m.``: the clock time as formal invitations write it (CLDR's
    English ``h:mm a`` through Babel, the day period in lower case with points, and no
    ``:00`` on the hour)."""
    from babel.dates import format_time as babel_format_time

    pattern = "h a" if moment.minute == 0 else "h:mm a"
    text = babel_format_time(moment, pattern, locale=LOCALE)
    return text.replace("AM", "a.m.").replace("PM", "p.m.")
