"""The one seat palette: what each kind of seat looks like, and that the colours stay
apart in grey-scale print and keep their text readable."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import pytest

from protocol_app.rules import seat_style as palette
from protocol_app.rules.seat_style import KINDS, kind_style, seat_style, style_of_seat


def grey(hex_rgb: str) -> float:
    """Rec. 601 grey level (0-255), as a grey-scale printer or PDF conversion sees it."""
    r, g, b = (int(hex_rgb[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    def luminance(hex_rgb: str) -> float:
        channels = [int(hex_rgb[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(("state", "kind", "fill", "text"), [
    ({"occupied": True, "marker": "host", "side": "host"}, "host", palette.HOST_FILL,
     palette.WHITE),
    ({"occupied": True, "marker": "guest_of_honour", "side": "guest"}, "guest_of_honour",
     palette.HONOUR_FILL, palette.INK),
    ({"occupied": True, "marker": "cohost", "side": "host"}, "cohost", palette.COHOST_FILL,
     palette.WHITE),
    ({"occupied": True, "side": "host"}, "host_side", palette.HOST_SIDE_FILL, palette.INK),
    ({"occupied": True, "side": "guest"}, "guest", palette.WHITE, palette.INK),
    ({"occupied": True}, "guest", palette.WHITE, palette.INK),
    ({"occupied": False}, "empty", palette.WHITE, palette.MUTED),
    ({"occupied": False, "marker": "host"}, "empty", palette.WHITE, palette.MUTED),
])
def test_each_kind_of_seat(state: dict, kind: str, fill: str, text: str) -> None:
    look = seat_style(**state)
    assert (look.kind, look.fill, look.text) == (kind, fill, text)
    assert look.dashed == (kind == "empty")
    assert look.border == (palette.MUTED if kind == "empty" else palette.INK)
    assert look.marks == ()


def test_marks_locked_dietary_and_interpreters() -> None:
    assert seat_style(occupied=True, locked=True, dietary=True).marks == ("locked", "dietary")
    # an interpreter sitting at the table, or one behind the seat
    assert seat_style(occupied=True, side="guest", role="interpreter").marks == ("interpreter",)
    assert seat_style(occupied=True, marker="guest_of_honour",
                      interpreter_behind=True).marks == ("interpreter",)
    # an empty seat has no sitter, so no dietary need and no interpreter of its own
    assert seat_style(occupied=False, dietary=True, role="interpreter").marks == ()
    # an interpreter keeps the colour of their side
    assert seat_style(occupied=True, side="host", role="interpreter").kind == "host_side"


def test_fills_stay_apart_in_grey_scale_and_text_stays_readable() -> None:
    kinds = [k for k, _ in KINDS if k != "empty"]
    levels = sorted(grey(kind_style(k).fill) for k in kinds)
    assert len(levels) == len(kinds)
    gaps = [b - a for a, b in pairwise(levels)]
    assert min(gaps) >= 35, dict(zip(kinds, levels, strict=True))
    for kind, _ in KINDS:
        look = kind_style(kind)
        assert contrast(look.fill, look.text) >= 4.5, kind
    # the dietary dot shows on the lightest and (by its white ring) the darkest seat
    assert contrast(palette.DIETARY, palette.WHITE) >= 4.5


def test_an_empty_seat_differs_from_a_guest_by_its_outline_and_number() -> None:
    empty, guest = kind_style("empty"), kind_style("guest")
    assert empty.fill == guest.fill
    assert empty.dashed and not guest.dashed
    assert empty.border != guest.border and empty.text != guest.text


def test_kind_style_names_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match=r"'vip'.*host, guest_of_honour"):
        kind_style("vip")


@dataclass
class Place:
    person: object | None
    marker: str = ""
    side: str = ""
    role: str = ""
    locked: bool = False
    behind: tuple[object, ...] = ()


def test_style_of_seat_reads_a_plans_seat() -> None:
    look = style_of_seat(Place(object(), "cohost", "host", locked=True, behind=(object(),)),
                         dietary=True)
    assert look.kind == "cohost"
    assert look.marks == ("locked", "dietary", "interpreter")
    assert style_of_seat(Place(None, "host"), dietary=False).kind == "empty"
