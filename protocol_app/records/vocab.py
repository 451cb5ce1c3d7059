"""Closed vocabularies shared by records, packages, services and the UI.

Each vocabulary is a :class:`~enum.StrEnum` whose members carry the words people read:
``Role.HEAD == "head"``, ``Role.HEAD.label == "Head of delegation"``,
``Role.HEAD.plural == "Heads of delegation"``.  The stored values (in the database and
in visit packages) are the members' values and never change; the tuples below
(``ROLES``...) list them as plain strings for validation and for the screens' pickers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Vocabulary(StrEnum):
    """A stored value with its label (and plural) for people."""

    label: str
    plural: str

    def __new__(cls, value: str, label: str, plural: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.plural = plural or f"{label}s"
        return member

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The stored values, in order, as plain strings."""
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict[str, str]:
        """``{value: label}`` for every member."""
        return {member.value: member.label for member in cls}

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of a stored value; the value itself when it is not in the list."""
        return next((member.label for member in cls if member.value == value), value)


class VisitStatus(Vocabulary):
    PROPOSED = "proposed", "Proposed"
    PLANNED = "planned", "Planned"
    CONFIRMED = "confirmed", "Confirmed"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class EventStatus(Vocabulary):
    TENTATIVE = "tentative", "Tentative"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


class EventKind(Vocabulary):
    MEETING = "meeting", "Meeting"
    MEAL = "meal", "Meal"
    TOUR = "tour", "Tour"
    CEREMONY = "ceremony", "Ceremony"
    TRANSPORT = "transport", "Transport", "Transport"
    PRESS = "press", "Press", "Press"
    PRIVATE = "private", "Private", "Private"


class Side(Vocabulary):
    GUEST = "guest", "Guest"
    HOST = "host", "Host"


class Role(Vocabulary):
    HEAD = "head", "Head of delegation", "Heads of delegation"
    MEMBER = "member", "Member"
    STAFF = "staff", "Staff", "Staff"
    INTERPRETER = "interpreter", "Interpreter"
    SECURITY = "security", "Security", "Security"
    HOST = "host", "Host"
    ESCORT = "escort", "Escort"


class NameOrder(Vocabulary):
    GIVEN_FIRST = "given_first", "Given name first (Anna Smith)"
    FAMILY_FIRST = "family_first", "Family name first (Võ Thanh Tùng)"


class Gender(Vocabulary):
    NOT_STATED = "", "Not stated"
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class GiftDirection(Vocabulary):
    RECEIVED = "received", "Received"
    GIVEN = "given", "Given"


class ReviewDimension(Vocabulary):
    """The checklist of a risk review, one line per dimension."""

    EXPORT_CONTROL = "export_control", "Export control and deemed exports"
    INTELLECTUAL_PROPERTY = "intellectual_property", "Intellectual property"
    DATA_SECURITY = "data_security", "Data security and access"
    NATIONAL_SECURITY = "national_security", "National security"
    HUMAN_RIGHTS = "human_rights", "Human rights"
    REPUTATION = "reputation", "Reputation"
    MISSION = "mission", "Alignment with the institution's mission"


class ReviewDecision(Vocabulary):
    """What a reviewer decided."""

    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    REJECTED = "rejected", "Rejected"


class ReviewState(Vocabulary):
    """Where a visit's risk review stands (a decided review whose reasons changed since
    is pending again)."""

    NOT_REQUIRED = "not_required", "Not required"
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    REJECTED = "rejected", "Rejected"


VISIT_STATUSES: tuple[str, ...] = VisitStatus.values()
EVENT_STATUSES: tuple[str, ...] = EventStatus.values()
EVENT_KINDS: tuple[str, ...] = EventKind.values()
SIDES: tuple[str, ...] = Side.values()
ROLES: tuple[str, ...] = Role.values()
NAME_ORDERS: tuple[str, ...] = NameOrder.values()
GENDERS: tuple[str, ...] = Gender.values()
GIFT_DIRECTIONS: tuple[str, ...] = GiftDirection.values()

#: Visit statuses a required risk review must be approved for (the gate).
REVIEWED_STATUSES: frozenset[str] = frozenset({"confirmed", "completed"})

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
