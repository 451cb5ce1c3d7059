"""Reading a screening list: the U.S. Consolidated Screening List CSV or OpenSanctions'
``targets.simple.csv``, told apart by the header row.

Columns are found by name (case and surrounding spaces do not matter), extra columns are
ignored, and a missing required column is refused with its name.  A file is read whole
before anything is stored, through :func:`protocol_app.files.read_bounded`: at most
:data:`MAX_LIST_BYTES` from any regular file, pipe or FIFO; a device or a folder is
refused at once.  The text must be UTF-8 (both publishers write it so; a byte-order mark
is allowed).  Rows without a name are skipped and counted.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from protocol_app.errors import ProtocolError
from protocol_app.files import FileTooLarge, read_bounded
from protocol_app.screening.normalize import ORGANIZATION, PERSON
from protocol_app.screening.values import LAYOUT_NAMES

#: The largest list read (bytes): the Consolidated Screening List is about 20 MB and
#: OpenSanctions' sanctions collection about 50 MB; its whole default collection (with
#: every politically exposed person) is larger and must be split by dataset.
MAX_LIST_BYTES = 100 * 1024 * 1024

CSL, OPENSANCTIONS = "csl", "opensanctions"
#: The source name a layout is stored under when ``--source`` is not given.
DEFAULT_SOURCE = {CSL: "us-csl", OPENSANCTIONS: "opensanctions"}
REQUIRED_COLUMNS = {CSL: ("source", "type", "name", "alt_names"),
                    OPENSANCTIONS: ("id", "schema", "name", "aliases")}
_KNOWN_COLUMNS = {
    CSL: {"_id", "entity_number", "source", "type", "name", "alt_names", "addresses",
          "nationalities", "citizenships", "dates_of_birth", "places_of_birth", "programs",
          "remarks", "start_date", "end_date", "source_list_url", "ids", "title"},
    OPENSANCTIONS: {"id", "schema", "name", "aliases", "birth_date", "countries",
                    "addresses", "identifiers", "sanctions", "phones", "emails", "dataset",
                    "datasets", "first_seen", "last_seen", "last_change"},
}
_KIND_BY_TYPE = {"individual": PERSON, "person": PERSON, "entity": ORGANIZATION,
                 "organization": ORGANIZATION, "company": ORGANIZATION,
                 "publicbody": ORGANIZATION, "vessel": "other", "aircraft": "other",
                 "airplane": "other"}
UNKNOWN = "unknown"


class ScreeningListError(ProtocolError):
    """A screening list was refused; nothing was stored."""


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One entry of a list as read from its file."""

    source_id: str
    kind: str  # "person", "organization", "other" (vessels, aircraft) or "unknown"
    name: str
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    listed_on: str = ""
    sublist: str = ""  # the CSL's "source" (e.g. the Entity List), OpenSanctions' dataset
    remarks: str = ""


@dataclass(frozen=True, slots=True)
class ParsedList:
    """A whole list file: its layout, its entries and the lines skipped (no name)."""

    layout: str
    entries: tuple[ListEntry, ...]
    skipped_lines: tuple[int, ...]
    data: bytes


def read_list(path: Path, *, limit: int = MAX_LIST_BYTES) -> ParsedList:
    """The list in ``path``, or :class:`ScreeningListError` saying what is wrong."""
    path = Path(path)
    data = _read(path, limit)
    text = _decode(path, data)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
        if header is None:
            raise ScreeningListError(f"{path}: the file is empty; a screening list needs its "
                                     "header row and at least one entry.")
        columns = [c.strip().lower() for c in header]
        layout = detect_layout(path, columns)
        index = {c: i for i, c in reversed(list(enumerate(columns)))}
        entries, skipped = [], []
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            entry = (_csl_entry if layout == CSL else _opensanctions_entry)(
                _Row(row, index), rows.line_num)
            if entry is None:
                skipped.append(rows.line_num)
            else:
                entries.append(entry)
    except csv.Error as exc:
        raise ScreeningListError(f"{path}, line {rows.line_num}: not readable as CSV "
                                 f"({exc}).") from None
    if not entries:
        raise ScreeningListError(f"{path}: no entry with a name; nothing was loaded.")
    return ParsedList(layout, tuple(entries), tuple(skipped), data)


def _read(path: Path, limit: int) -> bytes:
    try:
        kind = os.stat(path).st_mode
        if stat.S_ISDIR(kind):
            raise ScreeningListError(f"{path} is a folder, not a CSV file.")
        if stat.S_ISCHR(kind) or stat.S_ISBLK(kind):
            raise ScreeningListError(f"{path} is a device, not a CSV file.")
        return read_bounded(path, limit)
    except FileTooLarge as exc:
        raise ScreeningListError(
            f"{path} is too large for a screening list ({exc.size_text}; the limit is "
            f"{limit:,} bytes). Nothing was loaded.") from None
    except OSError as exc:
        raise ScreeningListError(f"{path} cannot be read: {exc.strerror or exc}.") from None


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScreeningListError(f"{path} is UTF-16 text; save it as UTF-8 (the lists are "
                                 "published in UTF-8). Nothing was loaded.")
    nul = data.find(b"\x00")
    if nul >= 0:  # Python's csv reads it, PostgreSQL cannot store it: no text file has one
        raise ScreeningListError(f"{path}, line {_line_of(data, nul)}: a NUL byte; this is "
                                 "not a text file. Nothing was loaded.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScreeningListError(
            f"{path}, line {_line_of(data, exc.start)}: not UTF-8 text (byte "
            f"0x{data[exc.start]:02X}); save the list as UTF-8 (the lists are published in "
            "UTF-8). Nothing was loaded.") from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def detect_layout(path: Path, columns: list[str]) -> str:
    """The layout of a header row (:data:`CSL` or :data:`OPENSANCTIONS`), or
    :class:`ScreeningListError` naming the required columns it lacks."""
    present = set(columns)
    if "schema" in present or "aliases" in present:
        layout = OPENSANCTIONS
    elif "alt_names" in present or "type" in present:
        layout = CSL
    else:
        overlap = {name: len(present & known) for name, known in _KNOWN_COLUMNS.items()}
        layout = max(overlap, key=lambda name: overlap[name])
        if overlap[layout] <= 1:
            raise ScreeningListError(
                f"{path}: the header row is neither the Consolidated Screening List's "
                f"({', '.join(REQUIRED_COLUMNS[CSL])}, ...) nor OpenSanctions' "
                f"({', '.join(REQUIRED_COLUMNS[OPENSANCTIONS])}, ...). Nothing was loaded.")
    missing = [c for c in REQUIRED_COLUMNS[layout] if c not in present]
    if missing:
        plural = "columns" if len(missing) > 1 else "column"
        raise ScreeningListError(
            f"{path}: the {LAYOUT_NAMES[layout]} layout needs the {plural} "
            f"{', '.join(missing)} (missing from the header row). Nothing was loaded.")
    return layout


class _Row:
    """A CSV row read by column name ("" for a column the file lacks or a short row)."""

    def __init__(self, cells: list[str], index: dict[str, int]) -> None:
        self.cells, self.index = cells, index

    def __getitem__(self, column: str) -> str:
        i = self.index.get(column)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def split(self, *columns: str) -> tuple[str, ...]:
        """The ``;``-separated values of the columns, each once, in order."""
        values = (v.strip() for c in columns for v in self[c].split(";"))
        return tuple(dict.fromkeys(v for v in values if v))


def _kind(value: str) -> str:
    return _KIND_BY_TYPE.get(value.replace(" ", "").lower(), UNKNOWN)


def _csl_entry(row: _Row, line: int) -> ListEntry | None:
    if not row["name"]:
        return None
    return ListEntry(
        source_id=row["_id"] or row["entity_number"] or f"line {line}", kind=_kind(row["type"]),
        name=row["name"], aliases=row.split("alt_names"),
        countries=row.split("nationalities", "citizenships"), programs=row.split("programs"),
        birth_dates=row.split("dates_of_birth"), listed_on=row["start_date"],
        sublist=row["source"], remarks=row["remarks"])


def _opensanctions_entry(row: _Row, line: int) -> ListEntry | None:
    if not row["name"]:
        return None
    return ListEntry(
        source_id=row["id"] or f"line {line}", kind=_kind(row["schema"]), name=row["name"],
        aliases=row.split("aliases"), countries=tuple(c.upper() for c in row.split("countries")),
        programs=row.split("sanctions"), birth_dates=row.split("birth_date"),
        listed_on=row["first_seen"][:10], sublist=row["dataset"] or row["datasets"])
