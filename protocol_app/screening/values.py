"""The values screening returns (frozen; no database behind them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

#: A list loaded longer ago than this is stale: every review warns of it.
STALE_AFTER_DAYS = 30
#: Where a match is reported (0-100; see protocol_app.screening.matching for why 85).
THRESHOLD = 85.0
#: The layouts a list file may have, by their stored name.
LAYOUT_NAMES = {"csl": "U.S. Consolidated Screening List", "opensanctions": "OpenSanctions"}


@dataclass(frozen=True, slots=True)
class ScreeningMatch:
    """A person of a visit (or their organization) alike to a list entry, side by side.

    ``name`` is the person's name as stored (for ``subject == "organization"``: the
    organization's name, and ``person_name`` the person it belongs to); ``entry`` the
    entry's name and ``entry_details`` its aliases, countries, programmes and dates in one
    line; ``score`` 0-100; ``reason`` which names agree and how."""

    person_ref: str
    name: str
    subject: str  # "person" or "organization"
    list: str  # the source name the list was loaded under
    entry: str
    entry_details: str
    score: float
    reason: str
    person_id: int = 0
    person_name: str = ""
    matched_name: str = ""  # the form of the name that matched (e.g. its own script)
    matched_entry_name: str = ""  # the entry's name or the alias that matched
    entry_id: str = ""  # the entry's id in its list
    entry_kind: str = ""  # "person", "organization" or "unknown"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, every field by its name."""
        return {"person_ref": self.person_ref, "person_id": self.person_id,
                "person_name": self.person_name, "name": self.name, "subject": self.subject,
                "list": self.list, "entry": self.entry, "entry_id": self.entry_id,
                "entry_kind": self.entry_kind, "entry_details": self.entry_details,
                "matched_name": self.matched_name,
                "matched_entry_name": self.matched_entry_name, "score": self.score,
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ScreeningListInfo:
    """A loaded list: its source name, entry count, when and by whom it was loaded, and
    whether it is stale (loaded more than :data:`STALE_AFTER_DAYS` days ago)."""

    source: str
    entries: int
    loaded_at: datetime  # aware, UTC
    stale: bool
    layout: str = ""  # "csl" or "opensanctions"
    file_name: str = ""
    loaded_by: str = ""

    def age_days(self, now: datetime | None = None) -> int:
        """Whole days since the list was loaded."""
        return ((now or datetime.now(UTC)) - self.loaded_at).days

    def warning(self) -> str:
        """The warning a review shows for a stale list ("" when it is current)."""
        if not self.stale:
            return ""
        return (f"The screening list {self.source} was loaded {self.age_days()} days ago "
                f"({self.loaded_at:%Y-%m-%d}); load a current copy with "
                "`protocol-app screening load FILE.csv`.")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (``loaded_at`` in ISO 8601 UTC)."""
        return {"source": self.source, "entries": self.entries,
                "loaded_at": self.loaded_at.isoformat(), "stale": self.stale,
                "layout": self.layout, "file": self.file_name, "loaded_by": self.loaded_by}


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What ``screening load`` did."""

    source: str
    layout: str
    entries: int
    skipped_lines: tuple[int, ...]
    replaced_entries: int | None  # the previous version's entry count, None if new
    file_name: str

    def lines(self) -> list[str]:
        """The report in words."""
        head = (f"Loaded {self.entries:,} entries into {self.source} "
                f"({LAYOUT_NAMES.get(self.layout, self.layout)} layout) from {self.file_name}")
        if self.replaced_entries is not None:
            head += f"; they replace the {self.replaced_entries:,} entries loaded before"
        lines = [head + "."]
        if self.skipped_lines:
            shown = ", ".join(str(n) for n in self.skipped_lines[:10])
            more = " ..." if len(self.skipped_lines) > 10 else ""
            lines.append(f"Skipped {len(self.skipped_lines)} rows without a name "
                         f"(lines {shown}{more}).")
        return lines
