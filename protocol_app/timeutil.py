"""Wall-clock times in IANA zones, converted to and from UTC without guessing.

A local time that does not exist (the hour skipped when clocks go forward) is refused
with a message that says so; an ambiguous one (the hour repeated when clocks go back)
takes its first occurrence, as calendars do.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo


class LocalTimeError(ValueError):
    """A wall-clock time that cannot be placed in its zone."""


def local_to_utc(local: datetime, zone: str) -> datetime:
    """The aware UTC instant of a naive wall-clock time in ``zone``."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    tz = ZoneInfo(zone)
    first = local.replace(tzinfo=tz, fold=0)
    try:
        round_trip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    except OverflowError:
        raise LocalTimeError(
            f"{local.isoformat(timespec='minutes')} in {zone} is outside the calendar this "
            "program can place (years 1 to 9999)"
        ) from None
    if round_trip != local:
        raise LocalTimeError(
            f"{local.isoformat(timespec='minutes')} does not exist in {zone} "
            "(the clocks go forward at that hour); choose a time before or after the change"
        )
    return first.astimezone(UTC)


def utc_to_local(moment: datetime, zone: str) -> datetime:
    """An aware instant as an aware wall-clock time in ``zone``."""
    return moment.astimezone(ZoneInfo(zone))


def format_local(moment: datetime, zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant shown as wall-clock time in ``zone``, e.g. ``2027-03-12 20:00``."""
    return utc_to_local(moment, zone).strftime(fmt)


def shift_local_days(moment: datetime, zone: str, days: int) -> datetime:
    """The instant ``days`` calendar days after ``moment`` at the same wall-clock time in
    ``zone`` (across a clock change the UTC distance is not ``days`` × 24 hours).  A time
    that falls in a skipped hour is moved forward by the length of the gap."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
    try:
        return local_to_utc(local, zone)
    except LocalTimeError:
        return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


#: Countries whose first ``zone.tab`` row is not where most people live.
MOST_USED_ZONE: dict[str, str] = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Kinshasa",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "KI": "Pacific/Tarawa",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
}


@cache
def _zone_tab() -> tuple[tuple[str, str], ...]:
    """(country codes, zone) rows of the ``zone.tab`` shipped with tzdata, in its order."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(
            encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - tzdata required
        return ()
    rows = []
    for line in text.splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) >= 3:
            rows.append((fields[0], fields[2].strip()))
    return tuple(rows)


@cache
def _principal_zones() -> dict[str, str]:
    """Country code -> its principal zone (its first ``zone.tab`` row)."""
    table: dict[str, str] = {}
    for codes, zone in _zone_tab():
        for code in codes.split(","):
            table.setdefault(code.strip().upper(), zone)
    return table


@cache
def listed_zones() -> tuple[str, ...]:
    """The zones a person chooses from: one per region where clocks differ (the rows of
    ``zone.tab``, without the old aliases such as ``US/Eastern``), and ``UTC``; sorted."""
    return tuple(sorted({zone for _codes, zone in _zone_tab()} | {"UTC"}))


def home_zone(country: str) -> str | None:
    """The IANA zone most used in ``country`` (the delegation's home time), or None.

    >>> home_zone("VN")
    'Asia/Ho_Chi_Minh'
    """
    code = (country or "").strip().upper()
    if not code:
        return None
    return MOST_USED_ZONE.get(code) or _principal_zones().get(code)
