"""How a seat looks, on screen and on paper: one palette for the seating page and PDF.

:func:`seat_style` turns a seat's state (empty or who sits there, its marker, the
sitter's side and role, locked, a dietary need, an interpreter behind) into fill, border
and text colours as ``#rrggbb`` strings, whether the outline is dashed, and the small
marks drawn on the seat.  :func:`style_of_seat` reads that state from a seat of a plan
(:class:`protocol_app.services.protocol.SeatView` or anything shaped like it).  The
seating page (``ui.seating.items``) and the seating PDF
(:mod:`protocol_app.briefing.seating_chart`, :mod:`protocol_app.briefing.cards`) both
draw from here, so the screen and the paper agree.

The fills are chosen to stay apart in grey-scale print as well as in colour (their
Rec. 601 grey levels, 0 black to 255 white): host 40, co-host 110, guest of honour 168,
host side 217, guest 255.  An empty seat is white too but drawn with a dashed grey
outline and a grey number, so it never passes for a guest.  Text on each fill has a
contrast of at least 4.5:1 (WCAG AA); ``tests/rules/test_seat_style.py`` checks both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

INK = "#1b2a41"  # names, outlines, the table's number
MUTED = "#5b6775"  # second lines, an empty seat's outline and number
GUIDE = "#9aa5b1"  # rules, leader lines, "(empty)"
WHITE = "#ffffff"
TABLE_FILL = "#f4efe4"
DIETARY = "#c0392b"  # the dot of a dietary need (white ring: it shows on any fill)
INTERPRETER_FILL = "#eef2f6"  # the "i" badge of an interpreter

HOST_FILL = "#1b2a41"
COHOST_FILL = "#56708f"
HONOUR_FILL = "#d4a72c"
HOST_SIDE_FILL = "#cddbeb"
GUEST_FILL = WHITE
EMPTY_FILL = WHITE

#: The kinds of seat, most important first, with their legend text.
KINDS: tuple[tuple[str, str], ...] = (
    ("host", "Host (place of honour)"),
    ("guest_of_honour", "Guest of honour (host's right)"),
    ("cohost", "Co-host"),
    ("host_side", "Host side"),
    ("guest", "Guest"),
    ("empty", "Empty seat"),
)

#: The marks a seat can carry, with their legend text.
MARKS: tuple[tuple[str, str], ...] = (
    ("dietary", "Dietary need (see notes)"),
    ("locked", "Locked seat"),
    ("interpreter", "Interpreter"),
)


@dataclass(frozen=True, slots=True)
class SeatStyle:
    """The look of one seat: ``kind`` (one of :data:`KINDS`), colours as ``#rrggbb``,
    a dashed outline for an empty seat, and ``marks`` (names from :data:`MARKS`)."""

    kind: str
    fill: str
    border: str
    text: str
    dashed: bool = False
    marks: tuple[str, ...] = ()


_BY_KIND: dict[str, tuple[str, str, str]] = {  # fill, border, number
    "host": (HOST_FILL, INK, WHITE),
    "guest_of_honour": (HONOUR_FILL, INK, INK),
    "cohost": (COHOST_FILL, INK, WHITE),
    "host_side": (HOST_SIDE_FILL, INK, INK),
    "guest": (GUEST_FILL, INK, INK),
    "empty": (EMPTY_FILL, MUTED, MUTED),
}


def kind_style(kind: str) -> SeatStyle:
    """The plain look of a kind of seat (for a legend); ValueError for an unknown kind."""
    if kind not in _BY_KIND:
        raise ValueError(f"unknown kind of seat {kind!r}; expected one of "
                         f"{', '.join(_BY_KIND)}")
    fill, border, text = _BY_KIND[kind]
    return SeatStyle(kind, fill, border, text, dashed=kind == "empty")


def seat_style(*, occupied: bool, marker: str = "", side: str = "", role: str = "",
               locked: bool = False, dietary: bool = False,
               interpreter_behind: bool = False) -> SeatStyle:
    """The look of a seat.

    ``marker`` is the seat's place in the plan ("host", "guest_of_honour", "cohost" or
    ""), ``side`` and ``role`` those of the person sitting there ("host"/"guest",
    "interpreter", ...).  An empty seat is "empty" whatever its marker; a marked seat
    takes its marker's colour, any other the colour of its sitter's side.  Marks:
    "locked", "dietary" (only for an occupied seat) and "interpreter" (an interpreter
    sits here, or behind this seat).

    >>> seat_style(occupied=True, marker="host").fill
    '#1b2a41'
    >>> seat_style(occupied=False, marker="host", interpreter_behind=True).kind
    'empty'
    >>> seat_style(occupied=True, side="guest", dietary=True, locked=True).marks
    ('locked', 'dietary')
    """
    if not occupied:
        kind = "empty"
    elif marker in ("host", "guest_of_honour", "cohost"):
        kind = marker
    elif side == "host":
        kind = "host_side"
    else:
        kind = "guest"
    marks: list[str] = []
    if locked:
        marks.append("locked")
    if occupied and dietary:
        marks.append("dietary")
    if interpreter_behind or (occupied and role == "interpreter"):
        marks.append("interpreter")
    fill, border, text = _BY_KIND[kind]
    return SeatStyle(kind, fill, border, text, dashed=kind == "empty", marks=tuple(marks))


class SeatLike(Protocol):
    """What :func:`style_of_seat` reads of a seat of a plan (read-only, so frozen
    values match)."""

    @property
    def person(self) -> object | None: ...
    @property
    def marker(self) -> str: ...
    @property
    def side(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def locked(self) -> bool: ...
    @property
    def behind(self) -> tuple[object, ...]: ...


def style_of_seat(place: SeatLike, *, dietary: bool) -> SeatStyle:
    """The look of a seat of a plan; ``dietary``: its sitter has a dietary need."""
    return seat_style(occupied=place.person is not None, marker=place.marker,
                      side=place.side, role=place.role, locked=place.locked,
                      dietary=dietary, interpreter_behind=bool(place.behind))
