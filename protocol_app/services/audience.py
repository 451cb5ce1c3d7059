"""Who may see what: the one filter of a visit for an audience (and a personal copy).

Every output that leaves the office reads the visit through :func:`audience_view`
(briefing books) or asks :func:`event_visible` about each event (calendar files):

- people pass through the sensitive-field list
  (:func:`protocol_app.records.sensitivity.redact`), events too (``redact_event``);
- a copy for guests holds only the events the visibility rules
  (:mod:`protocol_app.rules.visibility`) open to them, and no cancelled event;
- where the guests come from several delegations (a diplomatic corps), a copy for
  guests shows no guest's :data:`~protocol_app.records.sensitivity.DELEGATION_PRIVATE_FIELDS`
  (contact details, dietary needs);
- a personal copy (``person_id``) holds that person's own programme and their own
  details; of everyone else only names, positions and roles - except the hosts on duty
  for them: an escort or protocol staff member of the host side who attends one of the
  copy's events keeps their phone and e-mail
  (:data:`~protocol_app.records.sensitivity.HOST_CONTACT_FIELDS`), so the guest knows
  whom to call.  Another guest's contact details never appear;
- a copy for guests shows no host's dietary needs, and the contact details only of the
  hosts on duty for its events (escorts and protocol staff, as above): a dean's allergy
  or the President's phone is the hosts' business.

The hosts' and the internal copies keep every event and every person.  Invitations go
to an event's attendees only, who may always see the events they attend.
"""

from __future__ import annotations

import dataclasses

from protocol_app.errors import NotFoundError
from protocol_app.records.sensitivity import (
    DELEGATION_PRIVATE_FIELDS,
    HOST_CONTACT_FIELDS,
    HOST_CONTACT_ROLES,
    Audience,
    blank_fields,
    names_and_positions,
    redact,
    redact_event,
)
from protocol_app.rules.visibility import is_diplomatic_corps, visible_to_viewer
from protocol_app.services.values import EventRecord, ParticipantRecord, VisitRecord


def event_visible(event: EventRecord, visit: VisitRecord, audience: Audience | str,
                  person_id: int | None = None) -> bool:
    """Whether a copy for ``audience`` (a personal copy of ``person_id``) may hold
    ``event`` at all, by its visibility (cancelled events are the caller's concern)."""
    return visible_to_viewer(event, visit, guest=Audience(audience) is Audience.GUEST,
                             viewer_id=person_id)


#: The guests who get a personal copy of their own: heads of delegation and members.
GUEST_PRINCIPAL_ROLES: frozenset[str] = frozenset({"head", "member"})


def guest_principals(participants: tuple[ParticipantRecord, ...]
                     ) -> list[ParticipantRecord]:
    """The visit's guest principals (heads and members), in order of precedence."""
    chosen = [p for p in participants
              if p.side == "guest" and p.role in GUEST_PRINCIPAL_ROLES]
    return sorted(chosen, key=lambda p: (p.precedence or 10**6, p.person_id))


def find_participant(visit: VisitRecord, ref: int | str) -> ParticipantRecord:
    """A participant by package ref ("p1", "vn-minister") or person number."""
    wanted = str(ref).strip()
    for p in visit.participants:
        if wanted in (p.ref, str(p.person_id)):
            return p
    raise NotFoundError(
        f"Nobody with the ref or number '{ref}' takes part in {visit.title}. Use a "
        "person's ref from the visit package (such as p1) or their number.")


def audience_view(visit: VisitRecord, audience: Audience | str,
                  person_id: int | None = None) -> VisitRecord:
    """The visit as ``audience`` may see it (see the module's rules); with
    ``person_id``, the personal copy of that participant."""
    audience = Audience(audience)
    guest = audience is Audience.GUEST
    corps = guest and is_diplomatic_corps(visit)
    events = tuple(
        redact_event(e, audience) for e in visit.events
        if not (guest and e.status == "cancelled")
        and event_visible(e, visit, audience, person_id)
    )
    on_duty = host_contacts(visit, events) if guest else set()
    participants = []
    for p in visit.participants:
        person = redact(p.person, audience)
        if guest and person_id is not None and p.person_id != person_id:
            person = names_and_positions(person, contact=p.person_id in on_duty)
        elif guest and p.side == "host":
            person = blank_fields(person, DELEGATION_PRIVATE_FIELDS if p.person_id not in
                                  on_duty else _NOT_HOST_CONTACT)
        elif corps and person_id is None and p.side == "guest":
            person = blank_fields(person, DELEGATION_PRIVATE_FIELDS)
        participants.append(dataclasses.replace(p, person=person))
    gifts = visit.gifts if audience in GIFT_AUDIENCES else ()
    return dataclasses.replace(visit, participants=tuple(participants), events=events,
                               gifts=gifts)


def host_contacts(visit: VisitRecord, events: tuple[EventRecord, ...]) -> set[int]:
    """The hosts on duty at ``events`` (a personal copy's programme): the host side's
    escorts and staff (:data:`HOST_CONTACT_ROLES`) attending at least one of them."""
    attending = {pid for e in events for pid in e.attendee_ids}
    return {p.person_id for p in visit.participants
            if p.side == "host" and p.role in HOST_CONTACT_ROLES and p.person_id in attending}


#: What a guests' copy leaves out of a host on duty for them (they keep how to reach them).
_NOT_HOST_CONTACT: tuple[str, ...] = tuple(f for f in DELEGATION_PRIVATE_FIELDS
                                          if f not in HOST_CONTACT_FIELDS)

#: Copies that list the gifts (gifts hold no sensitive person field).
GIFT_AUDIENCES: frozenset[Audience] = frozenset({Audience.INTERNAL, Audience.HOST})

__all__ = ["GIFT_AUDIENCES", "audience_view", "event_visible", "find_participant",
           "host_contacts"]
