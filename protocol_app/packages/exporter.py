"""Writing a visit as a ``protocol-visit/1`` package.  Importing the result gives back
the same visit (people, delegation, itinerary, gifts)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from protocol_app.errors import ProtocolError
from protocol_app.files import write_private
from protocol_app.packages import FORMAT
from protocol_app.services.values import EventRecord, PersonRecord, VisitRecord


def _wall_clock(moment: datetime, zone: str) -> str:
    """Local wall-clock time; with its offset only in the repeated hour, where the
    wall-clock time alone would be ambiguous."""
    local = moment.astimezone(ZoneInfo(zone))
    naive = local.replace(tzinfo=None)
    text = naive.isoformat(timespec="seconds" if naive.second else "minutes")
    tz = ZoneInfo(zone)
    if naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz,
                                                                    fold=1).utcoffset():
        text = local.isoformat(timespec="seconds" if naive.second else "minutes")
    return text


def _person(ref: str, p: PersonRecord, refs: dict[int, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"ref": ref, "family_name": p.family_name}
    for name in ("given_name", "name_order", "native_name", "pronunciation", "gender",
                 "honorific", "title_name", "position", "organization", "country", "email",
                 "phone", "rank"):
        value = getattr(p, name)
        if value and not (name == "name_order" and value == "given_first"):
            out[name] = value
    if p.rank_date:
        out["rank_date"] = p.rank_date.isoformat()
    if p.languages:
        out["languages"] = list(p.languages)
    for name in ("dietary", "medical", "security", "protocol_notes", "bio"):
        value = getattr(p, name)
        if value:
            out[name] = value
    if p.calendar_manager_id in refs:  # a manager outside the visit is not in the file
        out["calendar_manager"] = refs[p.calendar_manager_id]
    return out


def _event(e: EventRecord, refs: dict[int, str], visit_zone: str) -> dict[str, Any]:
    out: dict[str, Any] = {"ref": e.ref, "title": e.title, "kind": e.kind,
                           "start": _wall_clock(e.start_utc, e.timezone),
                           "end": _wall_clock(e.end_utc, e.timezone)}
    if e.timezone != visit_zone:
        out["timezone"] = e.timezone
    out["status"] = e.status
    venue: dict[str, Any] = {k: val for k, val in (
        ("name", e.venue_name), ("address", e.venue_address), ("room", e.venue_room)) if val}
    if venue and e.venue_controlled:
        venue["controlled_technology"] = True
    if venue:
        out["venue"] = venue
    if e.attendee_ids:
        out["attendees"] = [refs[i] for i in e.attendee_ids if i in refs]
    if e.host_person_id is not None and e.host_person_id in refs:
        out["host"] = refs[e.host_person_id]
    if e.dress_code:
        out["dress_code"] = e.dress_code
    if e.notes:
        out["notes"] = e.notes
    if e.internal_notes:
        out["internal_notes"] = e.internal_notes
    if e.visibility:  # only the officer's choice: absent means the rules' default
        out["visibility"] = e.visibility
    if e.invitations:  # only the officer's switch: absent means the default of the kind
        out["invitations"] = e.invitations
    return out


def package_document(visit: VisitRecord) -> dict[str, Any]:
    """The visit as a package document (a JSON-ready dict)."""
    refs: dict[int, str] = {}
    used: set[str] = set()
    for p in visit.participants:
        ref = p.ref if p.ref and p.ref not in used else f"p{p.person_id}"
        n = 2
        while ref in used:  # refs must be unique in the file, or it cannot be imported
            ref, n = f"p{p.person_id}-{n}", n + 1
        refs[p.person_id] = ref
        used.add(ref)
    doc_visit: dict[str, Any] = {"id": visit.public_id, "title": visit.title}
    if visit.purpose:
        doc_visit["purpose"] = visit.purpose
    doc_visit.update(status=visit.status, timezone=visit.timezone,
                     start_date=visit.start_date.isoformat(),
                     end_date=visit.end_date.isoformat(), country=visit.country)
    if visit.organizer_name or visit.organizer_email:
        doc_visit["organizer"] = {"name": visit.organizer_name, "email": visit.organizer_email}
    gifts = []
    for g in visit.gifts:
        item: dict[str, Any] = {"direction": g.direction}
        if g.giver_person_id in refs:
            item["from"] = refs[g.giver_person_id]
        if g.recipient_person_id in refs:
            item["to"] = refs[g.recipient_person_id]
        item["description"] = g.description
        if g.value is not None:
            item["value"] = int(g.value) if float(g.value).is_integer() else g.value
        if g.currency:
            item["currency"] = g.currency
        if g.date:
            item["date"] = g.date.isoformat()
        gifts.append(item)
    return {
        "format": FORMAT,
        "visit": doc_visit,
        "people": [_person(refs[p.person_id], p.person, refs) for p in visit.participants],
        "delegation": [{"person": refs[p.person_id], "side": p.side, "role": p.role}
                       for p in visit.participants],
        "events": [_event(e, refs, visit.timezone) for e in visit.events],
        "gifts": gifts,
    }


def package_bytes(visit: VisitRecord) -> bytes:
    """The package as UTF-8 JSON text."""
    text = json.dumps(package_document(visit), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def write_package(visit: VisitRecord, path: Path) -> Path:
    """Write the package atomically (a crash never leaves half a file), readable by its
    owner only (mode 0600): it carries the people's sensitive notes and the events'
    internal notes."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ProtocolError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    if path.is_dir():
        raise ProtocolError(f"Cannot write {path}: it is a folder; give a file name, such as "
                            f"{path / 'visit.json'}.")
    return write_private(path, package_bytes(visit))
