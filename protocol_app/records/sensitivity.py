"""The one list of sensitive fields, and the audiences allowed to see them.

Every output that leaves the office (briefing books for hosts or guests, calendar
invites, exports for a given audience) filters people through :func:`redact` and
itinerary events through :func:`redact_event`.  Adding a sensitive field means adding
one line here (and its label), nothing else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class Audience(StrEnum):
    """Who an output is for, from the most to the least trusted."""

    INTERNAL = "internal"
    HOST = "host"
    GUEST = "guest"


#: Field name -> the audiences that may see it; fields not listed are public.
Sensitivity = Mapping[str, frozenset[Audience]]

#: Sensitive fields of a person.
SENSITIVE_PERSON_FIELDS: dict[str, frozenset[Audience]] = {
    "medical": frozenset({Audience.INTERNAL}),
    "security": frozenset({Audience.INTERNAL}),
    "protocol_notes": frozenset({Audience.INTERNAL, Audience.HOST}),
}

#: Sensitive fields of an itinerary event.
SENSITIVE_EVENT_FIELDS: dict[str, frozenset[Audience]] = {
    "internal_notes": frozenset({Audience.INTERNAL}),
}

#: Every list, by the kind of record it belongs to.
SENSITIVE_FIELDS: dict[str, Sensitivity] = {
    "person": SENSITIVE_PERSON_FIELDS,
    "event": SENSITIVE_EVENT_FIELDS,
}

#: Human labels for the sensitive fields, used by the UI and the printed books.
SENSITIVE_LABELS: dict[str, str] = {
    "medical": "Medical notes",
    "security": "Security notes",
    "protocol_notes": "Protocol notes",
    "internal_notes": "Internal notes",
}


def sensitive_label(field: str) -> str:
    """The human label of a sensitive field ("Internal notes")."""
    return SENSITIVE_LABELS.get(field, field.replace("_", " ").capitalize())


def is_sensitive(field: str, record: str | None = None) -> bool:
    """True if ``field`` is restricted to some audiences: of a ``record`` kind ("person",
    "event"), or, without one, of any kind (the cautious answer, for the audit trail)."""
    if record is not None:
        return field in SENSITIVE_FIELDS.get(record, {})
    return any(field in fields for fields in SENSITIVE_FIELDS.values())


def visible_to(field: str, audience: Audience | str,
               fields: Sensitivity = SENSITIVE_PERSON_FIELDS) -> bool:
    """True if ``audience`` may see ``field`` (of a person, or of the record ``fields``
    lists the sensitive fields of)."""
    allowed = fields.get(field)
    return allowed is None or Audience(audience) in allowed


T = TypeVar("T", bound="DataclassInstance")


def redact(record: T, audience: Audience | str,
           fields: Sensitivity = SENSITIVE_PERSON_FIELDS) -> T:
    """A copy of a frozen record with the fields hidden from ``audience`` blanked.

    ``fields`` is the record's list (people by default); the record itself is returned
    when it holds nothing to hide."""
    audience = Audience(audience)
    hidden = {
        name: ""
        for name, allowed in fields.items()
        if audience not in allowed and getattr(record, name, None)
    }
    return dataclasses.replace(record, **hidden) if hidden else record


def redact_event(event: T, audience: Audience | str) -> T:
    """An itinerary event with the fields hidden from ``audience`` blanked."""
    return redact(event, audience, SENSITIVE_EVENT_FIELDS)
