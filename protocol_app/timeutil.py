"""Wall-clock times in IANA zones, converted to and from UTC without guessing.

A local time that does not exist (the hour skipped when clocks go forward) is refused
with a message that says so; an ambiguous one (the hour repeated when clocks go back)
takes its first occurrence, as calendars do.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


class LocalTimeError(ValueError):
    """A wall-clock time that cannot be placed in its zone."""


def local_to_utc(local: datetime, zone: str) -> datetime:
    """The aware UTC instant of a naive wall-clock time in ``zone``."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    tz = ZoneInfo(zone)
    first = local.replace(tzinfo=tz, fold=0)
    round_trip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
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
