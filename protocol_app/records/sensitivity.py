"""The one list of sensitive fields, and the audiences allowed to see them.

Every output that leaves the office (briefing books for hosts or guests, calendar
invites, exports for a given audience) filters people through :func:`redact`.
Adding a sensitive field means adding one line here, nothing else.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import TypeVar


class Audience(StrEnum):
    """Who an output is for, from the most to the least trusted."""

    INTERNAL = "internal"
    HOST = "host"
    GUEST = "guest"


#: Person field name -> the audiences that may see it.  Fields not listed are public.
SENSITIVE_PERSON_FIELDS: dict[str, frozenset[Audience]] = {
    "medical": frozenset({Audience.INTERNAL}),
    "security": frozenset({Audience.INTERNAL}),
    "protocol_notes": frozenset({Audience.INTERNAL, Audience.HOST}),
}

#: Human labels for the sensitive fields, used by the UI and the printed books.
SENSITIVE_LABELS: dict[str, str] = {
    "medical": "Medical notes",
    "security": "Security notes",
    "protocol_notes": "Protocol notes",
}


def is_sensitive(field: str) -> bool:
    """True if ``field`` of a person is restricted to some audiences."""
    return field in SENSITIVE_PERSON_FIELDS


def visible_to(field: str, audience: Audience | str) -> bool:
    """True if ``audience`` may see ``field`` of a person."""
    allowed = SENSITIVE_PERSON_FIELDS.get(field)
    return allowed is None or Audience(audience) in allowed


T = TypeVar("T")


def redact(person: T, audience: Audience | str) -> T:
    """Return a copy of a frozen person value with fields hidden from ``audience`` blanked."""
    hidden = {
        name: ""
        for name in SENSITIVE_PERSON_FIELDS
        if hasattr(person, name) and not visible_to(name, audience)
    }
    return dataclasses.replace(person, **hidden) if hidden else person  # type: ignore[type-var]
