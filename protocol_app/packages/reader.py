"""Reading and checking a visit package, with every problem reported at once.

:func:`read_package` turns bytes into a :class:`Package` of values ready for the
services (dates as ``date``, times as aware UTC ``datetime``), or raises
:class:`~protocol_app.errors.PackageError` listing every problem with its JSON path
(``events[3].end``).  Nothing here touches the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from protocol_app.errors import FieldProblem, PackageError
from protocol_app.packages import FORMAT
from protocol_app.records import fields as v
from protocol_app.records import vocab
from protocol_app.records.fields import (
    REF_LENGTH,
    validate_event_values,
    validate_gift_values,
    validate_person_values,
    validate_visit_values,
)
from protocol_app.timeutil import LocalTimeError, local_to_utc

TOP_KEYS = ("format", "visit", "people", "delegation", "events", "gifts")
VISIT_KEYS = ("id", "title", "purpose", "status", "timezone", "start_date", "end_date",
              "country", "organizer")
ORGANIZER_KEYS = ("name", "email")
PERSON_KEYS = ("ref", "family_name", "given_name", "name_order", "native_name", "pronunciation",
               "gender", "honorific", "title_name", "position", "organization", "country",
               "email", "phone", "rank", "rank_date", "languages", "dietary", "medical", "security",
               "protocol_notes", "bio", "calendar_manager")
DELEGATION_KEYS = ("person", "side", "role")
EVENT_KEYS = ("ref", "title", "kind", "start", "end", "timezone", "status", "venue",
              "attendees", "host", "dress_code", "notes", "internal_notes", "visibility",
              "invitations")
VENUE_KEYS = ("name", "address", "room", "controlled_technology")
GIFT_KEYS = ("direction", "from", "to", "description", "value", "currency", "date")


@dataclass(frozen=True)
class PackagePerson:
    ref: str
    values: dict[str, Any]  # PERSON_FIELDS values
    #: the ref of who receives their invitations; "" (null): nobody; None: not said (kept)
    manager_ref: str | None = None


@dataclass(frozen=True)
class PackageEvent:
    ref: str
    values: dict[str, Any]  # EVENT_FIELDS values, without attendee_ids / host_person_id
    attendee_refs: tuple[str, ...]
    host_ref: str | None
    #: ``venue.controlled_technology`` when the package says it; None: left as stored
    venue_controlled: bool | None = None


@dataclass(frozen=True)
class PackageGift:
    values: dict[str, Any]  # GIFT_FIELDS values, without the person ids
    giver_ref: str | None
    recipient_ref: str | None


@dataclass(frozen=True)
class Package:
    """A checked package: values ready for the services."""

    visit: dict[str, Any]
    people: tuple[PackagePerson, ...]
    delegation: tuple[tuple[str, str, str], ...]  # (person ref, side, role)
    events: tuple[PackageEvent, ...]
    gifts: tuple[PackageGift, ...] = field(default=())


def decode_document(data: bytes, source: str) -> Any:
    """Bytes to a JSON document, or one clear error naming the file and where it broke."""
    # The message names the file itself, so it is not repeated as the subject.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageError([FieldProblem("", (
            f"{source} is not UTF-8 text: byte 0x{data[exc.start]:02x} at position "
            f"{exc.start} cannot be read. Save the file as UTF-8 and import it again."))]
            ) from None
    repeated: list[bool] = []
    try:
        document = json.loads(text, object_pairs_hook=lambda pairs: _json_object(pairs, repeated))
    except json.JSONDecodeError as exc:
        raise PackageError([FieldProblem("", (
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}."))]) from None
    except RecursionError:
        raise PackageError([FieldProblem("", f"{source} is nested too deeply to be a visit "
                                             "package.")]) from None
    except ValueError as exc:  # e.g. a number with more digits than Python converts
        raise PackageError([FieldProblem("", f"{source} is not a usable JSON document: "
                                             f"{exc}.")]) from None
    if repeated:
        raise PackageError([FieldProblem(path, "is given twice in one object (each key may "
                                               "appear once)")
                            for path in list(_repeated_keys(document, ""))[:20]], subject=source)
    if _ESCAPED_SURROGATE.search(text):
        broken = list(_lone_surrogates(document, ""))
        if broken:
            raise PackageError([FieldProblem(path, "contains an invalid character (an escaped "
                                                   "half of a UTF-16 surrogate pair)")
                                for path in broken[:20]], subject=source)
    return document


#: Event fields whose place in the package differs from their name in the services.
_EVENT_PATHS = {"venue_name": "venue.name", "venue_address": "venue.address",
                "venue_room": "venue.room"}
_CALENDAR_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_LOCAL_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
                         r"(Z|[+-][0-9]{2}:[0-9]{2})?$")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _RepeatedKeys(dict):
    """A JSON object in which some keys were given more than once (the last value won)."""

    repeated: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]], found: list[bool]) -> dict[str, Any]:
    """A JSON object as a dict; one with a repeated key is marked so it can be named."""
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    repeated: list[str] = []
    for key, _ in pairs:
        if key in seen:
            repeated.append(key)
        seen.add(key)
    marked = _RepeatedKeys(obj)
    marked.repeated = tuple(dict.fromkeys(repeated))
    found.append(True)
    return marked


def _repeated_keys(value: Any, path: str) -> Iterator[str]:
    """JSON paths of the keys given twice in one object."""
    if isinstance(value, dict):
        for key in getattr(value, "repeated", ()):
            yield f"{path}.{key}" if path else key
        for key, item in value.items():
            yield from _repeated_keys(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _repeated_keys(item, f"{path}[{i}]")


def _lone_surrogates(value: Any, path: str) -> Iterator[str]:
    """JSON paths of the keys and strings holding a lone surrogate (which no database or
    file can store as UTF-8)."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            yield path or "(the document)"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if _SURROGATE.search(key):
                yield (f"{path}.{key!a}" if path else ascii(key))
                continue
            yield from _lone_surrogates(item, where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _lone_surrogates(item, f"{path}[{i}]")


class _Checker:
    """Collects problems while walking the document."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def add(self, path: str, message: str | None) -> None:
        if message:
            self.problems.append(FieldProblem(path, message))

    def obj(self, value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.add(path, "must be an object ({...})")
            return None
        for key in value:
            if key not in keys:
                self.add(f"{path}.{key}" if path else key,
                         "is not a field of this format (check the spelling)")
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, "must be a list ([...])")
            return []
        return value

    def string(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False,
               default: str = "") -> str:
        if key not in obj or obj[key] is None:
            if required:
                self.add(f"{path}.{key}", "is required")
            return default
        value = obj[key]
        if not isinstance(value, str):
            self.add(f"{path}.{key}", "must be text")
            return default
        if required and not value.strip():
            self.add(f"{path}.{key}", "is required")
        return value

    def iso_date(self, obj: dict[str, Any], key: str, path: str, *,
                 required: bool = False) -> date | None:
        raw = self.string(obj, key, path, required=required)
        if not raw:
            return None
        try:
            if not _CALENDAR_DATE.match(raw):  # not a week or ordinal date, nor 20270304
                raise ValueError
            return date.fromisoformat(raw)
        except ValueError:
            self.add(f"{path}.{key}", f"'{raw}' is not a date (YYYY-MM-DD)")
            return None


def _check_managers(c: _Checker, people: list[PackagePerson]) -> None:
    """Each ``calendar_manager`` is the ref of another person of the file who has an
    e-mail address."""
    by_ref = {p.ref: p for p in people}
    for i, person in enumerate(people):
        ref = person.manager_ref
        if not ref:
            continue
        path = f"people[{i}].calendar_manager"
        manager = by_ref.get(ref)
        if manager is None:
            c.add(path, f"'{ref}' is not the ref of a person in this file")
        elif manager is person:
            c.add(path, "is the person themself (leave it out instead)")
        elif not str(manager.values.get("email") or "").strip():
            c.add(path, f"'{ref}' has no e-mail address to receive invitations at")


def _local_instant(raw: str, zone: str, where: str, check: _Checker) -> datetime | None:
    """A wall-clock time in ``zone`` as a UTC instant.  An explicit offset is accepted only
    when the zone has it at that wall-clock time (it settles the repeated hour); a time in
    the skipped hour is refused, with an offset or without."""
    try:
        if not _LOCAL_TIME.match(raw):  # calendar dates only, as the format says
            raise ValueError
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        check.add(where, f"'{raw}' is not a date and time (YYYY-MM-DDTHH:MM)")
        return None
    out_of_range = v.date_problem(parsed.date())
    if out_of_range:
        check.add(where, out_of_range)
        return None
    try:
        tz = ZoneInfo(zone)
    except (ValueError, KeyError, OSError):
        return None  # the zone itself is reported elsewhere
    naive = parsed.replace(tzinfo=None)
    try:
        instant = local_to_utc(naive, zone)
    except LocalTimeError as exc:
        check.add(where, str(exc))
        return None
    if parsed.tzinfo is None:
        return instant
    instant = parsed.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != naive:
        check.add(where, f"'{raw}': that offset is not in force in {zone} at that time")
        return None
    return instant


def read_package(data: bytes, source: str = "the package") -> Package:
    """Decode and check a package; raise PackageError with every problem at once."""
    document = decode_document(data, source)
    return check_document(document, source)


def check_document(document: Any, source: str = "the package") -> Package:
    """Check a decoded JSON document against the format."""
    c = _Checker()
    if not isinstance(document, dict):
        raise PackageError([FieldProblem("", (
            f"{source} is not a visit package: it must be a JSON object ({{...}}) with "
            f"\"format\": \"{FORMAT}\"."))])
    top: dict[str, Any] = document
    c.obj(top, "", TOP_KEYS)  # unknown top-level keys
    fmt = top.get("format")
    if fmt != FORMAT:
        c.add("format", f"must be \"{FORMAT}\"" if fmt is None else
              f"'{fmt}' is not supported; this version reads \"{FORMAT}\"")

    # -- visit -------------------------------------------------------------------
    visit_values: dict[str, Any] = {}
    visit = c.obj(top.get("visit"), "visit", VISIT_KEYS) if "visit" in top else None
    if "visit" not in top:
        c.add("visit", "is required")
    visit_zone = ""
    if visit is not None:
        visit_values = {
            "title": c.string(visit, "title", "visit", required=True),
            "purpose": c.string(visit, "purpose", "visit"),
            "timezone": c.string(visit, "timezone", "visit", required=True),
            "country": c.string(visit, "country", "visit", required=True),
        }
        if visit.get("status") is not None:  # absent: "planned" for a new visit, kept on update
            visit_values["status"] = c.string(visit, "status", "visit")
        if visit.get("id") not in (None, ""):
            visit_values["public_id"] = c.string(visit, "id", "visit")
        visit_zone = visit_values["timezone"]
        start = c.iso_date(visit, "start_date", "visit", required=True)
        end = c.iso_date(visit, "end_date", "visit", required=True)
        if start:
            visit_values["start_date"] = start
        if end:
            visit_values["end_date"] = end
        organizer = visit.get("organizer")
        if organizer is not None:
            org = c.obj(organizer, "visit.organizer", ORGANIZER_KEYS)
            if org is not None:
                visit_values["organizer_name"] = c.string(org, "name", "visit.organizer")
                visit_values["organizer_email"] = c.string(org, "email", "visit.organizer")
        problems = validate_visit_values(
            {k: val for k, val in visit_values.items() if k not in ("start_date", "end_date")
             or val is not None}, creating=False, prefix="visit.")
        for p in problems:
            path = p.path.replace("visit.public_id", "visit.id").replace(
                "visit.organizer_", "visit.organizer.")
            if not any(q.path == path for q in c.problems):
                c.add(path, p.message)
        if v.timezone_problem(visit_zone):
            visit_zone = ""

    # -- people ------------------------------------------------------------------
    people: list[PackagePerson] = []
    refs: set[str] = set()
    emails: dict[str, int] = {}  # folded e-mail -> index of the first person with it
    for i, raw in enumerate(c.array(top.get("people"), "people")):
        path = f"people[{i}]"
        person = c.obj(raw, path, PERSON_KEYS)
        if person is None:
            continue
        ref = c.string(person, "ref", path, required=True)
        if ref:
            c.add(f"{path}.ref", v.text_problem(ref, max_length=REF_LENGTH))
        if ref and ref in refs:
            c.add(f"{path}.ref", f"'{ref}' is used by another person in this file")
        refs.add(ref)
        email = person.get("email")
        if isinstance(email, str) and email.strip():
            key = email.strip().lower()
            if key in emails:
                c.add(f"{path}.email", f"'{email}' is also the e-mail of people[{emails[key]}]; "
                      "one person appears once")
            else:
                emails[key] = i
        values: dict[str, Any] = {}
        for key in PERSON_KEYS:
            if key in ("ref", "rank_date", "languages", "calendar_manager") or key not in person:
                continue
            values[key] = person[key] if person[key] is not None else ""
        values.setdefault("family_name", person.get("family_name", ""))
        if "rank_date" in person and person["rank_date"] is not None:
            values["rank_date"] = c.iso_date(person, "rank_date", path)
        if "languages" in person:
            values["languages"] = person["languages"]
        for p in validate_person_values(values, creating=True, prefix=path + "."):
            c.add(p.path, p.message)
        if "languages" in values and isinstance(values["languages"], list):
            values["languages"] = tuple(values["languages"])
        manager = (c.string(person, "calendar_manager", path) if "calendar_manager" in person
                   else None)
        people.append(PackagePerson(ref=ref, values=values, manager_ref=manager))
    _check_managers(c, people)

    # -- delegation ----------------------------------------------------------------
    delegation: list[tuple[str, str, str]] = []
    seen_members: set[str] = set()
    for i, raw in enumerate(c.array(top.get("delegation"), "delegation")):
        path = f"delegation[{i}]"
        member = c.obj(raw, path, DELEGATION_KEYS)
        if member is None:
            continue
        ref = c.string(member, "person", path, required=True)
        side = c.string(member, "side", path, required=True)
        role = c.string(member, "role", path, required=True)
        if ref and ref not in refs:
            c.add(f"{path}.person", f"'{ref}' is not the ref of a person in this file")
        elif ref in seen_members:
            c.add(f"{path}.person", f"'{ref}' is already in the delegation")
        seen_members.add(ref)
        if side:
            c.add(f"{path}.side", v.choice_problem(side, vocab.SIDES))
        if role:
            c.add(f"{path}.role", v.choice_problem(role, vocab.ROLES))
        delegation.append((ref, side, role))
    members = {ref for ref, _, _ in delegation}

    # -- events ---------------------------------------------------------------------
    events: list[PackageEvent] = []
    event_refs: set[str] = set()
    for i, raw in enumerate(c.array(top.get("events"), "events")):
        path = f"events[{i}]"
        ev = c.obj(raw, path, EVENT_KEYS)
        if ev is None:
            continue
        ref = c.string(ev, "ref", path, required=True)
        if ref:
            c.add(f"{path}.ref", v.text_problem(ref, max_length=REF_LENGTH))
        if ref and ref in event_refs:
            c.add(f"{path}.ref", f"'{ref}' is used by another event in this file")
        event_refs.add(ref)
        zone = c.string(ev, "timezone", path, default=visit_zone) or visit_zone
        values = {
            "title": c.string(ev, "title", path, required=True),
            "kind": c.string(ev, "kind", path, default="meeting"),
            "status": c.string(ev, "status", path, default="confirmed"),
            "timezone": zone,
            "dress_code": c.string(ev, "dress_code", path),
            "notes": c.string(ev, "notes", path),
        }
        if ev.get("internal_notes") is not None:  # absent: a re-import keeps the stored ones
            values["internal_notes"] = c.string(ev, "internal_notes", path)
        # absent: the default of the rules (all, hosts or attendees; checked below)
        values["visibility"] = (c.string(ev, "visibility", path)
                                if ev.get("visibility") is not None else None)
        # absent or "default": the default of the event's kind (on or off; checked below)
        switch = c.string(ev, "invitations", path) if ev.get("invitations") is not None else ""
        values["invitations"] = None if switch in ("", "default") else switch
        if "timezone" in ev and zone:
            c.add(f"{path}.timezone", v.timezone_problem(zone))
        zone_ok = bool(zone) and v.timezone_problem(zone) is None
        for key in ("start", "end"):
            raw_time = c.string(ev, key, path, required=True)
            if raw_time and zone_ok:
                instant = _local_instant(raw_time, zone, f"{path}.{key}", c)
                if instant is not None:
                    values[key] = instant
        venue = ev.get("venue")
        venue_controlled: bool | None = None
        if venue is not None:
            vo = c.obj(venue, f"{path}.venue", VENUE_KEYS)
            if vo is not None:
                values["venue_name"] = c.string(vo, "name", f"{path}.venue")
                values["venue_address"] = c.string(vo, "address", f"{path}.venue")
                values["venue_room"] = c.string(vo, "room", f"{path}.venue")
                flag = vo.get("controlled_technology")
                if flag is not None and not isinstance(flag, bool):
                    c.add(f"{path}.venue.controlled_technology", "must be true or false")
                venue_controlled = flag if isinstance(flag, bool) else None
        attendee_refs: list[str] = []
        for j, a in enumerate(c.array(ev.get("attendees"), f"{path}.attendees")):
            if not isinstance(a, str):
                c.add(f"{path}.attendees[{j}]", "must be a person ref (text)")
            elif a not in refs:
                c.add(f"{path}.attendees[{j}]", f"'{a}' is not the ref of a person in this file")
            elif a not in members:
                c.add(f"{path}.attendees[{j}]", f"'{a}' is not in the delegation")
            elif a in attendee_refs:
                c.add(f"{path}.attendees[{j}]", f"'{a}' is listed twice")
            else:
                attendee_refs.append(a)
        host = c.string(ev, "host", path) or None
        if host and host not in refs:
            c.add(f"{path}.host", f"'{host}' is not the ref of a person in this file")
        elif host and host not in members:
            c.add(f"{path}.host", f"'{host}' is not in the delegation")
        for p in validate_event_values(values, creating=True, participant_ids=set(),
                                       prefix=path + "."):
            if p.path.endswith((".start", ".end")) and "is required" in p.message:
                continue  # already reported with the raw value
            field_name = p.path.removeprefix(path + ".")
            c.add(f"{path}.{_EVENT_PATHS.get(field_name, field_name)}", p.message)
        events.append(PackageEvent(ref=ref, values=values, attendee_refs=tuple(attendee_refs),
                                   host_ref=host, venue_controlled=venue_controlled))

    # -- gifts ----------------------------------------------------------------------
    gifts: list[PackageGift] = []
    for i, raw in enumerate(c.array(top.get("gifts"), "gifts")):
        path = f"gifts[{i}]"
        g = c.obj(raw, path, GIFT_KEYS)
        if g is None:
            continue
        values = {
            "direction": c.string(g, "direction", path, required=True),
            "description": c.string(g, "description", path, required=True),
            "currency": c.string(g, "currency", path),
            "value": g.get("value"),
            "date": c.iso_date(g, "date", path),
        }
        refs_of: dict[str, str | None] = {}
        for key in ("from", "to"):
            person_ref = c.string(g, key, path) or None
            if person_ref and person_ref not in refs:
                c.add(f"{path}.{key}", f"'{person_ref}' is not the ref of a person in this file")
            refs_of[key] = person_ref
        for p in validate_gift_values(values, creating=True, prefix=path + "."):
            c.add(p.path, p.message)
        gifts.append(PackageGift(values=values, giver_ref=refs_of["from"],
                                 recipient_ref=refs_of["to"]))

    if c.problems:
        unique: list[FieldProblem] = []
        for p in c.problems:
            if p not in unique:
                unique.append(p)
        raise PackageError(unique, subject=source)
    return Package(visit=visit_values, people=tuple(people), delegation=tuple(delegation),
                   events=tuple(events), gifts=tuple(gifts))
