"""RFC 5545 content lines: escaping of user text, parameter values, folding.

Every piece of user text that goes into a calendar passes through :func:`escape_text`
(property values) or :func:`param_value` (parameters such as ``CN``); every line through
:func:`fold`.  Folding counts octets of UTF-8 and breaks only between characters, never
inside a character, an escape pair (``\\,``) or before a combining mark, so every reader
gets the text back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

#: Octets per line, the CRLF excluded (RFC 5545 section 3.1).
LINE_LIMIT = 75
CRLF = "\r\n"

# Control characters a TEXT value may not hold (HTAB is allowed; newlines are escaped).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Line breaks some readers split lines on (str.splitlines does): made plain newlines.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x85\u2028\u2029]")
_PARAM_ESCAPES = str.maketrans({"^": "^^", "\n": "^n", '"': "^'"})
_ZERO_WIDTH_JOINERS = frozenset("\u200c\u200d")


def clean_text(value: str) -> str:
    """User text with line breaks normalized to ``\\n`` and other control characters
    turned into spaces."""
    if not value:
        return ""
    if not value.isascii() or "\r" in value:
        value = _LINE_BREAKS.sub("\n", value)
    if _CONTROL.search(value):
        value = _CONTROL.sub(" ", value)
    return value


def escape_text(value: str) -> str:
    """A TEXT property value: backslash, semicolon, comma and newline escaped."""
    value = clean_text(value)
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    return value.replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value (``CN=...``), always quoted; ``"``, ``^`` and newlines encoded
    as RFC 6868 says (``^'``, ``^^``, ``^n``), other control characters made spaces."""
    value = clean_text(value).translate(_PARAM_ESCAPES)
    return f'"{value}"'


def format_utc(moment: datetime) -> str:
    """A DATE-TIME in UTC form: ``20270313T233000Z``."""
    m = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    return (f"{m.year:04d}{m.month:02d}{m.day:02d}T"
            f"{m.hour:02d}{m.minute:02d}{m.second:02d}Z")


def format_local(moment: datetime) -> str:
    """A DATE-TIME as wall-clock time (the zone given by a TZID): ``20270313T193000``."""
    m = moment
    return (f"{m.year:04d}{m.month:02d}{m.day:02d}T"
            f"{m.hour:02d}{m.minute:02d}{m.second:02d}")


def _breaks_pair(data: bytes, start: int, end: int) -> bool:
    """True if cutting ``data`` before ``end`` separates an escape character from the
    character it escapes (an odd run of ``\\`` or ``^`` just before ``end``)."""
    run = 0
    i = end - 1
    while i >= start and data[i] in (0x5C, 0x5E):
        run += 1
        i -= 1
    return run % 2 == 1


def _joins_previous(ch: str) -> bool:
    """True for characters that belong to the one before them (combining marks,
    variation selectors, joiners, emoji modifiers and tags)."""
    if ch < "\u0300":
        return False
    if ch in _ZERO_WIDTH_JOINERS or "\ufe00" <= ch <= "\ufe0f":
        return True
    if "\U0001f3fb" <= ch <= "\U0001f3ff" or "\U000e0020" <= ch <= "\U000e007f":
        return True
    return unicodedata.category(ch)[0] == "M"


def _char_start(data: bytes, end: int) -> int:
    """The start of the UTF-8 character that ends just before ``end``."""
    i = end - 1
    while i > 0 and data[i] & 0xC0 == 0x80:
        i -= 1
    return i


def _char_at(data: bytes, i: int) -> str:
    lead = data[i]
    size = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    return data[i:i + size].decode("utf-8")


_JOINER_BYTES = tuple(j.encode("utf-8") for j in _ZERO_WIDTH_JOINERS)


def _safe_end(data: bytes, start: int, end: int) -> int:
    """Move a fold point (a character boundary of ``data``) back so it splits neither an
    escape pair nor a character from its combining marks; never to ``start``."""
    for _ in range(16):
        before = _char_start(data, end)
        if before <= start:
            break
        if _breaks_pair(data, start, end):
            end -= 1
        elif (data[end] >= 0xCC and _joins_previous(_char_at(data, end))) or (
                data[end - 3:end] in _JOINER_BYTES):
            end = before
        else:
            break
    return end


def fold(line: str) -> str:
    """One content line folded to at most 75 octets per physical line."""
    if line.isascii():
        if len(line) <= LINE_LIMIT:
            return line
        data = line.encode("ascii")
    else:
        data = line.encode("utf-8")
        if len(data) <= LINE_LIMIT:
            return line
    parts: list[str] = []
    start, limit, size = 0, LINE_LIMIT, len(data)
    while size - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # inside a character: back to its start
            end -= 1
        end = _safe_end(data, start, end)
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, LINE_LIMIT - 1  # continuation lines begin with a space
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)


class ContentWriter:
    """Accumulates content lines and renders them folded, CRLF-terminated, UTF-8."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: list[str] = []

    def begin(self, component: str) -> None:
        """``BEGIN:VEVENT`` and the like."""
        self.lines.append(f"BEGIN:{component}")

    def end(self, component: str) -> None:
        """``END:VEVENT`` and the like."""
        self.lines.append(f"END:{component}")

    def raw(self, name: str, value: str, params: str = "") -> None:
        """A property whose value is already in its iCalendar form (dates, numbers,
        URIs, escaped text).  ``params`` starts with ``;`` when given."""
        self.lines.append(f"{name}{params}:{value}")

    def text(self, name: str, value: str, params: str = "") -> None:
        """A TEXT property from user text."""
        self.lines.append(f"{name}{params}:{escape_text(value)}")

    def extend(self, lines: list[str]) -> None:
        """Lines already built (a cached VTIMEZONE)."""
        self.lines.extend(lines)

    def to_bytes(self) -> bytes:
        """The folded document as UTF-8 bytes with CRLF line ends."""
        return (CRLF.join(map(fold, self.lines)) + CRLF).encode("utf-8")
