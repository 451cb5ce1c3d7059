"""Who may see an event: the whole programme, the hosts only, or its attendees only.

An officer may set an event's visibility; when it is not set (``None``), the default
comes from :func:`default_visibility`, one rule a line:

- a private event is for the hosts only, unless guests attend it (then it is theirs:
  its attendees only);
- an event that only hosts attend is for the hosts only;
- a meeting whose guests all come from one delegation, in a visit whose guests come
  from several (a bilateral at a diplomatic-corps event), is for its attendees only;
- everything else belongs to the whole programme.

A guest's delegation is their country, or their organization when no country is on
record (:func:`delegation_of`).  Pure: reads the visit's values, nothing else.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from protocol_app.services.values import EventRecord, PersonRecord, VisitRecord


class Visibility(StrEnum):
    """Who may see an event (the stored values, as in visit packages)."""

    ALL = "all"
    HOSTS = "hosts"
    ATTENDEES = "attendees"

    @property
    def label(self) -> str:
        """The words an officer reads: "the whole programme", "hosts only"..."""
        return VISIBILITY_LABELS[self]


VISIBILITY_LABELS: dict[str, str] = {
    "all": "the whole programme",
    "hosts": "hosts only",
    "attendees": "its attendees only",
}
VISIBILITIES: tuple[str, ...] = tuple(v.value for v in Visibility)


class _Delegated(Protocol):
    country: str
    organization: str


def delegation_of(person: PersonRecord | _Delegated) -> str:
    """The delegation a guest belongs to: their country ("PT"), else their organization."""
    country = (person.country or "").strip().upper()
    return country or " ".join((person.organization or "").split()).casefold()


def _sides(visit: VisitRecord) -> dict[int, str]:
    return {p.person_id: p.side for p in visit.participants}


def event_people(event: EventRecord) -> tuple[int, ...]:
    """The people of an event: its attendees and its host."""
    ids = list(event.attendee_ids)
    if event.host_person_id is not None and event.host_person_id not in ids:
        ids.append(event.host_person_id)
    return tuple(ids)


def guest_delegations(visit: VisitRecord, person_ids: tuple[int, ...] | None = None
                      ) -> set[str]:
    """The delegations of the visit's guests (of ``person_ids`` only, when given)."""
    wanted = set(person_ids) if person_ids is not None else None
    return {delegation_of(p.person) for p in visit.participants
            if p.side == "guest" and (wanted is None or p.person_id in wanted)}


def is_diplomatic_corps(visit: VisitRecord) -> bool:
    """Whether the visit's guests come from several delegations."""
    return len(guest_delegations(visit)) > 1


def default_visibility_reason(event: EventRecord, visit: VisitRecord
                              ) -> tuple[Visibility, str]:
    """The default visibility of an event and the reason in a few words."""
    sides = _sides(visit)
    people = [pid for pid in event_people(event) if pid in sides]
    guests = tuple(pid for pid in people if sides[pid] == "guest")
    if event.kind == "private":
        if guests:
            return Visibility.ATTENDEES, "a private event of guests"
        return Visibility.HOSTS, "a private event"
    if people and not guests:
        return Visibility.HOSTS, "only hosts attend"
    if (event.kind == "meeting" and guests and len(guest_delegations(visit, guests)) == 1
            and is_diplomatic_corps(visit)):
        return Visibility.ATTENDEES, "a meeting with one delegation of several"
    return Visibility.ALL, "an event of the programme"


def default_visibility(event: EventRecord, visit: VisitRecord) -> Visibility:
    """Who may see the event when the officer has not said (see the module's rules)."""
    return default_visibility_reason(event, visit)[0]


def effective_visibility(event: EventRecord, visit: VisitRecord) -> Visibility:
    """The officer's choice when there is one, else the default."""
    chosen = getattr(event, "visibility", None)
    return Visibility(chosen) if chosen else default_visibility(event, visit)


def describe_default(event: EventRecord, visit: VisitRecord) -> str:
    """"Default: hosts only (a private event)"."""
    visibility, reason = default_visibility_reason(event, visit)
    return f"Default: {visibility.label} ({reason})"


def visible_to_viewer(event: EventRecord, visit: VisitRecord, *, guest: bool,
                      viewer_id: int | None = None) -> bool:
    """Whether a copy may hold ``event``.

    ``guest`` False (the hosts' and internal copies): every event.  A guests' copy
    (``viewer_id`` None): the whole-programme events.  A personal copy of
    ``viewer_id``: the events they attend, and the whole-programme events of their
    own delegation (those no guest attends, or some of their delegation attends).
    """
    if not guest:
        return True
    visibility = effective_visibility(event, visit)
    if viewer_id is None:
        return visibility is Visibility.ALL
    people = event_people(event)
    if viewer_id in people:
        return True
    if visibility is not Visibility.ALL:
        return False
    viewer = visit.person(viewer_id)
    sides = _sides(visit)
    guests = tuple(pid for pid in people if sides.get(pid) == "guest")
    if viewer is None or not guests or sides.get(viewer_id) != "guest":
        return True
    return delegation_of(viewer) in guest_delegations(visit, guests)


__all__ = [
    "VISIBILITIES",
    "VISIBILITY_LABELS",
    "Visibility",
    "default_visibility",
    "default_visibility_reason",
    "delegation_of",
    "describe_default",
    "effective_visibility",
    "event_people",
    "guest_delegations",
    "is_diplomatic_corps",
    "visible_to_viewer",
]
