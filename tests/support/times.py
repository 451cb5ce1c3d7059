"""Times and places the tests share."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

#: The project's folder.
ROOT = Path(__file__).resolve().parents[2]

NEW_YORK = ZoneInfo("America/New_York")


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """An aware wall-clock time in New York."""
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)
