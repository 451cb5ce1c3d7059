"""Who may see what: the visibility rule (a table of cases), the one filter on the
service layer, the stored field (validation, audit, copies), visit packages and the
check of notes written for hosts."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from protocol_app.errors import ValidationError
from protocol_app.rules.visibility import (
    Visibility,
    default_visibility,
    describe_default,
    effective_visibility,
)
from protocol_app.rules.visibility_checks import check_visibility
from protocol_app.services.audience import audience_view
from protocol_app.services.values import (
    EventRecord,
    ParticipantRecord,
    PersonRecord,
    VisitRecord,
)
from tests.support.times import ny

RECEPTION = "diplomatic-corps-reception-2027"
T = datetime(2027, 11, 4, 18, tzinfo=UTC)


def _person(pid: int, country: str, organization: str = "") -> PersonRecord:
    return PersonRecord(id=pid, family_name=f"P{pid}", country=country,
                        organization=organization, phone=f"+1 555 01{pid:02d}",
                        dietary=f"diet-{pid}", email=f"p{pid}@example.org")


def _visit(guests: dict[int, tuple[str, str]], hosts: tuple[int, ...] = (90, 91)
           ) -> VisitRecord:
    parts = [ParticipantRecord(pid, "guest", "member", _person(pid, *where), ref=f"g{pid}")
             for pid, where in guests.items()]
    parts += [ParticipantRecord(pid, "host", "host", _person(pid, "US"), ref=f"h{pid}")
              for pid in hosts]
    return VisitRecord(id=1, public_id="v", title="V", purpose="", status="planned",
                       timezone="UTC", start_date=T.date(), end_date=T.date(), country="US",
                       organizer_name="", organizer_email="", responsible_officer="",
                       version=1, participants=tuple(parts))


def _event(kind: str, people: tuple[int, ...], visibility: str | None = None,
           ref: str = "e1") -> EventRecord:
    return EventRecord(id=len(ref), visit_id=1, ref=ref, title=ref, kind=kind, start_utc=T,
                       end_utc=T.replace(hour=19), timezone="UTC", status="confirmed",
                       attendee_ids=people, visibility=visibility)


CORPS = {1: ("PT", ""), 2: ("JO", ""), 3: ("PT", "")}
ONE = {1: ("VN", ""), 2: ("VN", "")}
ORGS = {1: ("", "UNESCO"), 2: ("", "World Bank")}


@pytest.mark.parametrize(("guests", "kind", "people", "expected", "reason"), [
    (ONE, "private", (90, 91), "hosts", "a private event"),
    (ONE, "private", (1, 2), "attendees", "a private event of guests"),
    (ONE, "meal", (90, 91), "hosts", "only hosts attend"),
    (ONE, "meeting", (1, 90), "all", "an event of the programme"),  # one delegation
    (CORPS, "meeting", (1, 3, 90), "attendees", "a meeting with one delegation of several"),
    (CORPS, "meeting", (1, 2, 90), "all", "an event of the programme"),  # two delegations
    (CORPS, "tour", (1, 90), "all", "an event of the programme"),  # not a meeting
    (ORGS, "meeting", (1, 90), "attendees", "a meeting with one delegation of several"),
    (CORPS, "meal", (), "all", "an event of the programme"),  # nobody listed yet
])
def test_the_default_visibility(guests, kind, people, expected, reason) -> None:
    visit, event = _visit(guests), _event(kind, people)
    assert default_visibility(event, visit) == expected
    assert describe_default(event, visit) == (
        f"Default: {Visibility(expected).label} ({reason})")


def test_the_officers_choice_wins_over_the_default() -> None:
    visit = _visit(ONE)
    assert effective_visibility(_event("private", (90,), "all"), visit) is Visibility.ALL
    assert effective_visibility(_event("meal", (1, 90), "hosts"), visit) is Visibility.HOSTS


def _corps_programme() -> VisitRecord:
    visit = _visit(CORPS)
    events = (_event("meal", (1, 2, 3, 90), ref="reception"),
              _event("private", (90, 91), ref="briefing"),
              _event("meeting", (2, 90), ref="bilateral-jo"),
              _event("tour", (1, 90), ref="tour-pt"),
              _event("meal", (1, 2, 90), "hosts", ref="dinner-hosts-set"))
    return VisitRecord(**{**{f: getattr(visit, f) for f in visit.__slots__}, "events": events})


def test_the_guests_copy_holds_only_the_whole_programme_and_no_private_details() -> None:
    """No guest's details (several delegations); of the hosts, only the phone and e-mail
    of the one on duty at its events (91, protocol staff at the reception), and no host's
    dietary needs."""
    programme = _corps_programme()
    programme = dataclasses.replace(
        programme,
        participants=tuple(dataclasses.replace(p, role="staff") if p.person_id == 91 else p
                           for p in programme.participants),
        events=tuple(dataclasses.replace(e, attendee_ids=(*e.attendee_ids, 91))
                     if e.ref == "reception" else e for e in programme.events))
    view = audience_view(programme, "guest")
    assert [e.ref for e in view.events] == ["reception", "tour-pt"]
    for p in view.participants:
        shown = (p.person.phone, p.person.dietary, p.person.email)
        assert shown == (("+1 555 0191", "", "p91@example.org") if p.person_id == 91
                         else ("", "", "")), p.person_id


def test_a_personal_copy_holds_its_owners_programme_and_details() -> None:
    view = audience_view(_corps_programme(), "guest", person_id=2)
    # the bilateral and the hosts-only dinner he attends; the tour of another delegation
    # and the hosts' briefing are not his
    assert [e.ref for e in view.events] == ["reception", "bilateral-jo", "dinner-hosts-set"]
    people = {p.person_id: p.person for p in view.participants}
    assert (people[2].phone, people[2].dietary) == ("+1 555 0102", "diet-2")
    for pid in (1, 3, 90):
        assert (people[pid].phone, people[pid].dietary, people[pid].email) == ("", "", "")
        assert people[pid].family_name == f"P{pid}"
    view = audience_view(_corps_programme(), "guest", person_id=1)
    assert [e.ref for e in view.events] == ["reception", "tour-pt", "dinner-hosts-set"]


def test_the_hosts_and_internal_copies_are_unchanged() -> None:
    visit = _corps_programme()
    for audience in ("host", "internal"):
        view = audience_view(visit, audience)
        assert [e.ref for e in view.events] == [e.ref for e in visit.events]
        assert {p.person.phone for p in view.participants} == {
            p.person.phone for p in visit.participants}


def test_visibility_is_stored_checked_audited_and_copied(world) -> None:
    s = world.services
    tea = s.events.create(world.visit_id, title="Tea", start=ny(2027, 3, 12, 15),
                          end=ny(2027, 3, 12, 16), attendee_ids=(world.guest_id,),
                          visibility="hosts")
    assert tea.visibility == "hosts"
    changed = s.events.update(tea.id, tea.version, visibility=None)
    assert changed.visibility is None and changed.version == tea.version + 1
    with pytest.raises(ValidationError) as caught:
        s.events.update(changed.id, changed.version, visibility="everyone")
    assert caught.value.problems[0].path == "visibility"
    assert "'everyone' is not one of all, hosts, attendees" in caught.value.problems[0].message
    assert s.events.get(tea.id).visibility is None  # nothing changed
    s.events.update(changed.id, changed.version, visibility="attendees")
    entries = [a for a in s.audit.list(entity="event", entity_id=tea.id)]
    assert any(a.old.get("visibility") is None and a.new.get("visibility") == "attendees"
               for a in entries)
    assert s.events.duplicate(tea.id).visibility == "attendees"


def test_the_package_field_round_trips_and_a_bad_value_is_refused(demo_services,
                                                                   tmp_path) -> None:
    s = demo_services
    doc = json.loads(s.packages.export_file(RECEPTION, tmp_path / "out.json").read_text())
    events = {e["ref"]: e for e in doc["events"]}
    assert events["r01"]["visibility"] == "hosts"  # set in the demo
    assert "visibility" not in events["r04"]  # the default: absent
    events["r04"]["visibility"] = "attendees"
    s.packages.import_bytes(json.dumps(doc).encode())
    stored = {e.ref: e for e in s.events.list(RECEPTION)}
    assert stored["r04"].visibility == "attendees"
    del events["r04"]["visibility"]  # absent means the default again
    s.packages.import_bytes(json.dumps(doc).encode())
    assert {e.ref: e for e in s.events.list(RECEPTION)}["r04"].visibility is None
    index = doc["events"].index(events["r03"])
    events["r03"]["visibility"] = "guests"
    with pytest.raises(ValidationError) as caught:
        s.packages.import_bytes(json.dumps(doc).encode())
    assert [p.path for p in caught.value.problems] == [f"events[{index}].visibility"]
    assert {e.ref: e for e in s.events.list(RECEPTION)}["r03"].visibility is None


def test_check_names_each_host_note_in_an_event_open_to_guests() -> None:
    visit = _visit(ONE)
    quoted = PersonRecord(id=1, family_name="Võ", country="VN",
                          medical="Type 2 diabetes: fresh fruit in place of dessert please")
    parts = (ParticipantRecord(1, "guest", "head", quoted), *visit.participants[1:])
    events = (
        _event("meal", (1, 90), ref="lunch"),
        _event("meeting", (1, 90), ref="talks"),
        _event("meal", (90, 91), "all", ref="host-dinner"),
        _event("private", (90, 91), ref="briefing"),  # hosts only: may say anything
    )
    events = (events[0].__class__(**{**_fields(events[0]),
                                     "notes": "Serve fresh fruit in place of dessert."}),
              events[1].__class__(**{**_fields(events[1]),
                                     "notes": "Brief the President on the budget first."}),
              events[2],
              events[3].__class__(**{**_fields(events[3]), "notes": "Internal: do not tell."}))
    visit = VisitRecord(**{**_fields(visit), "participants": parts, "events": events})
    found = {(f.code, f.event_refs) for f in check_visibility(visit)}
    assert found == {("notes_quote_sensitive_field", ("lunch",)),
                     ("notes_use_host_words", ("talks",)),
                     ("hosts_only_event_open_to_guests", ("host-dinner",))}


def _fields(record) -> dict:
    return {f: getattr(record, f) for f in record.__slots__}


def test_the_demo_has_no_host_notes_open_to_guests(demo_services) -> None:
    for summary in demo_services.visits.list():
        codes = {f.code for f in demo_services.travel.check(summary.id)}
        assert not codes & {"notes_quote_sensitive_field", "notes_use_host_words",
                            "hosts_only_event_open_to_guests"}, summary.public_id
