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
