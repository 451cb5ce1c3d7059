"""Closed vocabularies shared by records, packages, services and the UI."""

from __future__ import annotations

VISIT_STATUSES: tuple[str, ...] = ("proposed", "planned", "confirmed", "completed", "cancelled")
EVENT_STATUSES: tuple[str, ...] = ("tentative", "confirmed", "cancelled")
EVENT_KINDS: tuple[str, ...] = (
    "meeting", "meal", "tour", "ceremony", "transport", "press", "private",
)
SIDES: tuple[str, ...] = ("guest", "host")
ROLES: tuple[str, ...] = ("head", "member", "staff", "interpreter", "security", "host", "escort")
NAME_ORDERS: tuple[str, ...] = ("given_first", "family_first")
GENDERS: tuple[str, ...] = ("", "female", "male")
GIFT_DIRECTIONS: tuple[str, ...] = ("received", "given")

#: Allowed visit status changes; "cancelled" is reachable from any open state.
VISIT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "proposed": ("planned", "cancelled"),
    "planned": ("proposed", "confirmed", "cancelled"),
    "confirmed": ("planned", "completed", "cancelled"),
    "completed": (),
    "cancelled": ("proposed", "planned"),
}


def next_visit_statuses(status: str) -> tuple[str, ...]:
    """The statuses a visit in ``status`` may move to next (none once it is final)."""
    return VISIT_TRANSITIONS.get(status, ())


def visit_status_path(old: str, new: str) -> tuple[str, ...] | None:
    """The shortest chain of allowed status changes from ``old`` to ``new``, ending with
    ``new`` (empty when they are the same); None when ``new`` cannot be reached.

    >>> visit_status_path("cancelled", "confirmed")
    ('planned', 'confirmed')
    >>> visit_status_path("completed", "planned") is None
    True
    """
    if old == new:
        return ()
    paths: dict[str, tuple[str, ...]] = {old: ()}
    frontier = [old]
    while frontier:  # breadth first: the first path found to a status is a shortest one
        following: list[str] = []
        for status in frontier:
            for nxt in next_visit_statuses(status):
                if nxt not in paths:
                    paths[nxt] = (*paths[status], nxt)
                    following.append(nxt)
        frontier = following
    return paths.get(new)
