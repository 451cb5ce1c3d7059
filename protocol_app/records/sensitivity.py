"""The one list of sensitive fields, and the audiences allowed to see them.

Every output that leaves the office (briefing books for hosts or guests, calendar
invites, exports for a given audience) filters people through :func:`redact` and
itinerary events through :func:`redact_event`; which events and whose details a copy
holds at all is decided in :func:`protocol_app.services.audience.audience_view`, from
the lists here (:data:`DELEGATION_PRIVATE_FIELDS`, :data:`SHARED_PERSON_FIELDS`).
Adding a sensitive field means adding one line here (and its label), nothing else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
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
    "review_conditions": frozenset({Audience.INTERNAL, Audience.HOST}),
}

#: A guest's own details.  Where the guests come from several delegations (a diplomatic
#: corps), a copy for guests shows them only to the guest's own delegation, and a
#: personal copy only to its owner (the sensitive fields above never reach guests).
DELEGATION_PRIVATE_FIELDS: tuple[str, ...] = ("email", "phone", "dietary")

#: What a personal copy shows of everyone but its owner: names and positions (roles are
#: the participant's); every other field of theirs is left blank.
SHARED_PERSON_FIELDS: frozenset[str] = frozenset({
    "id", "version", "family_name", "given_name", "name_order", "native_name",
    "pronunciation", "gender", "honorific", "title_name", "position", "organization",
    "country", "rank", "rank_date",
})

#: What a personal copy keeps of a host on duty for its owner (an escort or protocol
#: staff attending one of the owner's events): how to reach them.  A guest never gets
#: another guest's contact details.
HOST_CONTACT_FIELDS: frozenset[str] = frozenset({"phone", "email"})

#: The hosts' roles whose contact a personal copy keeps (see :data:`HOST_CONTACT_FIELDS`).
HOST_CONTACT_ROLES: frozenset[str] = frozenset({"escort", "staff"})

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
    "review_conditions": "Conditions of the risk review",
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


def blank_fields(record: T, fields: Iterable[str]) -> T:
    """A copy of a frozen record with ``fields`` set back to their defaults (blank)."""
    wanted = set(fields)
    blanked: dict[str, object] = {}
    for f in dataclasses.fields(record):
        if f.name not in wanted:
            continue
        if f.default is not dataclasses.MISSING:
            blanked[f.name] = f.default
        elif callable(f.default_factory):
            blanked[f.name] = f.default_factory()
    changed = {k: v for k, v in blanked.items() if getattr(record, k) != v}
    return dataclasses.replace(record, **changed) if changed else record


def names_and_positions(person: T, *, contact: bool = False) -> T:
    """A person as a personal copy shows everyone but its owner: only the
    :data:`SHARED_PERSON_FIELDS` (and, with ``contact``, the
    :data:`HOST_CONTACT_FIELDS` of a host on duty for the owner)."""
    kept = SHARED_PERSON_FIELDS | (HOST_CONTACT_FIELDS if contact else frozenset())
    return blank_fields(person, (f.name for f in dataclasses.fields(person)
                                 if f.name not in kept))


def redact_event(event: T, audience: Audience | str) -> T:
    """An itinerary event with the fields hidden from ``audience`` blanked."""
    return redact(event, audience, SENSITIVE_EVENT_FIELDS)
