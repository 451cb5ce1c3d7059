"""What a copy could show, kept as a snapshot, and what changed between two snapshots.

A *snapshot* is a compact JSON value of a visit as one audience (or one person's
personal copy) sees it: built only from the visit after
:func:`protocol_app.services.audience.audience_view`, so it never holds what that copy
may not show.  Two snapshots of the same audience give the list of :class:`Change`
values a principal reads in a minute ("State dinner moved: Tue 9 Mar 19:00 → Wed 10 Mar
19:30"); since both are filtered, the list never names what the audience may not see.

Card snapshots (place cards, badges) hold, per person on the cards, the printed forms
of the name and the seat; :func:`card_changes` says whose cards differ.

Pure functions over plain values: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from protocol_app.formatting import format_datetime
from protocol_app.rules.names import display_name
from protocol_app.services.values import VisitRecord

#: The snapshot layout written by this version (older copies have none at all).
SNAPSHOT_FORMAT = 1

#: How an event or person changed, in the order the list shows them.
HOWS: tuple[str, ...] = (
    "added", "cancelled", "reinstated", "moved", "retitled", "venue", "room", "host",
    "dress_code", "attendees", "removed", "renamed", "position", "form_of_address", "seat",
)

Snapshot = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """One change: what (an event's title or a person's name), how, and the values."""

    subject: str  # "event" or "person"
    name: str
    how: str  # one of HOWS
    old: str | None = None
    new: str | None = None
    ref: str = ""
    id: int | None = None

    @property
    def text(self) -> str:
        """The change in words: "State dinner moved: Tue 9 Mar 19:00 → Wed 10 Mar 19:30"."""
        label = _HOW_WORDS[self.how]
        if self.old is not None and self.new is not None:
            return f"{self.name} {label}: {self.old or '—'} → {self.new or '—'}"
        value = self.new if self.new is not None else self.old
        return f"{self.name} {label}" + (f": {value}" if value else "")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``changes --json``; the shape is documented in README.md)."""
        return {"subject": self.subject, "name": self.name, "ref": self.ref, "id": self.id,
                "change": self.how, "old": self.old, "new": self.new, "text": self.text}


_HOW_WORDS: dict[str, str] = {
    "added": "added", "cancelled": "cancelled", "reinstated": "back on the programme",
    "moved": "moved", "retitled": "renamed", "venue": "changed venue",
    "room": "changed room", "host": "changed host", "dress_code": "changed dress code",
    "attendees": "changed attendees", "removed": "no longer takes part",
    "renamed": "name changed", "position": "position changed",
    "form_of_address": "form of address changed", "seat": "moved seat",
}


# -- snapshots --------------------------------------------------------------------


def visit_snapshot(view: VisitRecord, audience: str, person_id: int | None = None) -> Snapshot:
    """The snapshot of a visit already filtered for ``audience`` (the personal copy of
    ``person_id``): events with times, venue, room, host, dress code and attendees;
    people with names, positions, forms of address and sides."""
    names = {p.person_id: _name(p.person) for p in view.participants}
    events = {}
    for e in view.events:  # keyed by calendar UID: a row number may be used again
        events[e.uid or f"#{e.id}"] = {
            "id": e.id, "ref": e.ref, "title": e.title, "status": e.status,
            "start": e.start_utc.isoformat(), "end": e.end_utc.isoformat(), "tz": e.timezone,
            "venue": e.venue_name, "room": e.venue_room,
            "host": names.get(e.host_person_id, "") if e.host_person_id else "",
            "dress_code": e.dress_code,
            "attendees": sorted(names[a] for a in e.attendee_ids if a in names),
        }
    people = {}
    for p in view.participants:
        forms = p.forms
        people[str(p.person_id)] = {
            "ref": p.ref, "name": names[p.person_id], "position": p.person.position,
            "side": p.side, "role": p.role,
            "forms": None if forms is None else {
                "list_form": forms.list_form, "place_card": forms.place_card,
                "badge": forms.badge},
        }
    return {"format": SNAPSHOT_FORMAT, "audience": str(audience), "person_id": person_id,
            "visit_version": view.version, "events": events, "people": people}


def _name(person: Any) -> str:
    return display_name(person) or f"#{person.id}"


def card_snapshot(cards: Mapping[int, Mapping[str, str]], event_id: int) -> Snapshot:
    """The snapshot of a set of place cards or badges: per person id, the printed texts
    (name forms, native name, organization) and the seat ("" where none)."""
    return {"format": SNAPSHOT_FORMAT, "event_id": event_id,
            "cards": {str(pid): dict(values) for pid, values in cards.items()}}


# -- differences ------------------------------------------------------------------


def _when(value: str, zone: str) -> str:
    return format_datetime(datetime.fromisoformat(value), zone, short=True)


def diff_snapshots(old: Snapshot, new: Snapshot) -> list[Change]:
    """What changed from ``old`` to ``new`` (two snapshots of the same audience):
    events added, cancelled, moved, renamed, with another venue, room, host, dress code
    or attendees; people added, removed, renamed or with another position or form of
    address.  An event that is gone (deleted, or no longer shown) counts as cancelled."""
    changes: list[Change] = []
    old_events, new_events = old.get("events", {}), new.get("events", {})
    for key in _ordered(old_events, new_events):
        before, after = old_events.get(key), new_events.get(key)
        if before is None and after is not None:
            changes.append(Change("event", after["title"], "added",
                                  new=_when(after["start"], after["tz"]), ref=after["ref"],
                                  id=after["id"]))
        elif before is not None and (after is None or (
                after["status"] == "cancelled" and before["status"] != "cancelled")):
            if before["status"] != "cancelled":
                changes.append(Change("event", before["title"], "cancelled",
                                      old=_when(before["start"], before["tz"]),
                                      ref=before["ref"], id=before["id"]))
        elif before is not None and after is not None:
            changes.extend(_event_changes(after["id"], before, after))
    old_people, new_people = old.get("people", {}), new.get("people", {})
    for key in _ordered(old_people, new_people):
        before, after = old_people.get(key), new_people.get(key)
        if before is None and after is not None:
            changes.append(Change("person", after["name"], "added", new=after["position"],
                                  ref=after["ref"], id=int(key)))
        elif before is not None and after is None:
            changes.append(Change("person", before["name"], "removed", ref=before["ref"],
                                  id=int(key)))
        elif before is not None and after is not None:
            changes.extend(_person_changes(int(key), before, after))
    order = {how: i for i, how in enumerate(HOWS)}
    first: dict[tuple[str, int | None], int] = {}  # one event's changes stay together
    for c in changes:
        subject = (c.subject, c.id)
        first[subject] = min(first.get(subject, len(order)), order[c.how])
    return sorted(changes, key=lambda c: (c.subject != "event", first[(c.subject, c.id)],
                                          c.name, order[c.how]))


def _ordered(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return sorted(set(old) | set(new), key=lambda k: (len(k), k))


def _event_changes(event_id: int, before: Mapping[str, Any],
                   after: Mapping[str, Any]) -> list[Change]:
    name, ref = after["title"], after["ref"]
    found: list[Change] = []

    def add(how: str, old: str, new: str) -> None:
        found.append(Change("event", name, how, old=old, new=new, ref=ref, id=event_id))

    if before["status"] == "cancelled" and after["status"] != "cancelled":
        add("reinstated", "cancelled", after["status"])
    if before["start"] != after["start"] or before["end"] != after["end"]:
        add("moved", _when(before["start"], before["tz"]), _when(after["start"], after["tz"]))
    if before["title"] != after["title"]:
        add("retitled", before["title"], after["title"])
    for how in ("venue", "room", "host", "dress_code"):
        if before[how] != after[how]:
            add(how, before[how], after[how])
    if before["attendees"] != after["attendees"]:
        gone = [n for n in before["attendees"] if n not in after["attendees"]]
        came = [n for n in after["attendees"] if n not in before["attendees"]]
        add("attendees", ", ".join(gone), ", ".join(came))
    return found


def _person_changes(person_id: int, before: Mapping[str, Any],
                    after: Mapping[str, Any]) -> list[Change]:
    name, ref = after["name"], after["ref"]
    found: list[Change] = []
    if before["name"] != after["name"]:
        found.append(Change("person", name, "renamed", old=before["name"], new=after["name"],
                            ref=ref, id=person_id))
    if before["position"] != after["position"]:
        found.append(Change("person", name, "position", old=before["position"],
                            new=after["position"], ref=ref, id=person_id))
    old_forms, new_forms = before.get("forms"), after.get("forms")
    if old_forms and new_forms and old_forms.get("list_form") != new_forms.get("list_form") \
            and before["name"] == after["name"]:
        found.append(Change("person", name, "form_of_address", old=old_forms["list_form"],
                            new=new_forms["list_form"], ref=ref, id=person_id))
    return found


def card_changes(old: Snapshot, new: Mapping[int, Mapping[str, str]]) -> list[int]:
    """The people whose card differs from the printed one (another name, form of address
    or seat), or who had none; in seat order of ``new``."""
    printed = old.get("cards", {})
    return [pid for pid, values in new.items() if printed.get(str(pid)) != dict(values)]


def summary_line(changes: Sequence[Change]) -> str:
    """"3 changes: 1 event moved, 1 cancelled, 1 person added" (or "No changes")."""
    if not changes:
        return "No changes"
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.how] = counts.get(c.how, 0) + 1
    parts = [f"{n} {_HOW_WORDS[how]}" for how, n in counts.items()]
    return f"{len(changes)} change{'s' if len(changes) != 1 else ''}: {', '.join(parts)}"


__all__ = ["HOWS", "SNAPSHOT_FORMAT", "Change", "Snapshot", "card_changes", "card_snapshot",
           "diff_snapshots", "summary_line", "visit_snapshot"]
