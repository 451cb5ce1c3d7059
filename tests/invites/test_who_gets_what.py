"""Who gets what: the kinds that invite by default (preferences), each event's switch,
and calendar managers who receive a person's invitations (SENT-BY)."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from pathlib import Path

import icalendar
import pytest

from protocol_app.config import Settings
from protocol_app.errors import NotFoundError, ValidationError
from protocol_app.invites.calendar import Organizer
from protocol_app.invites.ledger import CalendarManager, plan_invites
from protocol_app.invites.service import InviteService
from protocol_app.invites.values import InviteKind
from protocol_app.resources import resources_root
from tests.support.demo_refs import NOW, VISIT
from tests.support.imip import check_imip
from tests.support.invite_factories import event, person, utc, visit

ORGANIZER = Organizer("Office of Protocol", "protocol@example.edu")


def _plan(events, people=None, **kw):
    people = people or [person(1, "Adler"), person(2, "Baker")]
    return plan_invites(visit(people, events), {}, {}, organizer=ORGANIZER, **kw)


@pytest.mark.parametrize(("kind", "invites"), [
    ("meeting", True), ("meal", True), ("tour", True), ("ceremony", True),
    ("transport", False), ("private", False)])
def test_each_kind_has_a_default(kind: str, invites: bool) -> None:
    plan = _plan([event(1, utc(2027, 3, 12, 14), attendees=(1, 2), kind=kind)])
    assert bool(plan.items) is invites
    if not invites:
        assert {(n.name, n.reason) for n in plan.not_invited} == {
            ("Adler", f"{kind} events send no invitations (preferences)"),
            ("Baker", f"{kind} events send no invitations (preferences)")}


def test_the_events_switch_wins_over_its_kind() -> None:
    plan = _plan([event(1, utc(2027, 3, 12, 14), attendees=(1,), kind="transport",
                        invitations="on"),
                  event(2, utc(2027, 3, 12, 16), attendees=(1,), kind="meeting",
                        invitations="off")])
    assert [(i.event_id, i.kind, i.reason) for i in plan.items] == [
        (1, InviteKind.NEW, "new event")]
    assert [(n.event_id, n.reason) for n in plan.not_invited] == [
        (2, "invitations are off for this event")]


def test_the_preferences_choose_the_kinds() -> None:
    events = [event(1, utc(2027, 3, 12, 14), attendees=(1,), kind="meal"),
              event(2, utc(2027, 3, 12, 16), attendees=(1,), kind="transport")]
    plan = _plan(events, invite_kinds=frozenset({"transport"}))
    assert [i.event_id for i in plan.items] == [2]
    settings = Settings(invite_kinds=" Transport, meal ,")
    assert settings.invite_kind_set == frozenset({"transport", "meal"})


def test_a_manager_receives_and_the_principal_stays_the_attendee() -> None:
    people = [person(1, "Adler"), person(2, "Baker", email=""), person(3, "Chief")]
    managers = {1: CalendarManager(3, "Chief", "p3@example.org"),
                2: CalendarManager(3, "Chief", "P3@example.org")}
    plan = _plan([event(1, utc(2027, 3, 12, 14), attendees=(1, 2))], people,
                 managers=managers)
    by_name = {i.name: i for i in plan.items}
    assert (by_name["Adler"].email, by_name["Adler"].sent_to, by_name["Adler"].deliver_to) == (
        "p1@example.org", "p3@example.org", "p3@example.org")
    # without an address of their own, the principal is the ATTENDEE at the manager's
    assert (by_name["Baker"].email, by_name["Baker"].sent_to) == ("p3@example.org", "")
    assert plan.not_invited == ()


# -- against the demo database ------------------------------------------------------------
def _ids(demo_services):
    record = demo_services.visits.get(VISIT)
    head = record.head_of_delegation
    assert head is not None
    staff = next(p for p in record.participants if p.person.email and p.person_id != head.person_id
                 and p.role == "staff")
    return record, head, staff


def test_a_calendar_manager_gets_the_messages_with_sent_by(demo_services, invites,
                                                           tmp_path) -> None:
    record, head, staff = _ids(demo_services)
    assert invites.set_calendar_manager(head.person.email, staff.person_id).email == \
        staff.person.email
    plan = invites.plan(VISIT)
    mine = [i for i in plan.items if i.person_id == head.person_id]
    assert mine and {(i.email, i.sent_to) for i in mine} == {
        (head.person.email.lower(), staff.person.email.lower())}
    report = invites.write_messages(VISIT, tmp_path / "out", now=NOW)
    path = next(d.path for d in report.delivered if d.item.person_id == head.person_id)
    msg = message_from_bytes(Path(path).read_bytes(), policy=policy.default)
    _method, data = check_imip(msg)
    assert msg["To"].addresses[0].addr_spec.lower() == staff.person.email.lower()
    assert "calendar manager of" in msg.get_body(("plain",)).get_content()
    vevent = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    attendees = vevent.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    principal = [a for a in attendees if str(a).lower() == f"mailto:{head.person.email}".lower()]
    assert len(principal) == 1
    assert principal[0].params["SENT-BY"].lower() == f"mailto:{staff.person.email}".lower()
    # a change of manager re-sends to the new one; removing it is audited too
    assert invites.set_calendar_manager(head.person_id, None) is None
    again = invites.plan(VISIT)
    assert {(i.kind, i.changes, i.sent_to) for i in again.items} == {
        (InviteKind.UPDATE, ("calendar manager",), "")}
    trail = [a.summary for a in demo_services.audit.list("person", head.person_id)]
    assert f"Calendar manager set to {staff.person.email}" in trail
    assert "Calendar manager removed" in trail
    del record


def test_a_manager_is_checked(demo_services, invites) -> None:
    _record, head, _staff = _ids(demo_services)
    with pytest.raises(ValidationError, match="the person themself"):
        invites.set_calendar_manager(head.person_id, head.person_id)
    with pytest.raises(NotFoundError, match=r"nobody has the number or e-mail address 'x@y\.z'"):
        invites.set_calendar_manager(head.person_id, "x@y.z")


def test_the_switch_travels_in_packages(demo_services, tmp_path) -> None:
    source = resources_root() / "demo" / "ministerial-delegation.json"
    package = json.loads(source.read_text(encoding="utf-8"))
    package["events"][0]["invitations"] = "on"  # e01, an arrival motorcade
    package["events"][4]["invitations"] = "off"  # e05, a meeting
    demo_services.packages.import_bytes(json.dumps(package).encode())
    events = {e.ref: e for e in demo_services.events.list(VISIT)}
    assert (events["e01"].invitations, events["e05"].invitations,
            events["e06"].invitations) == ("on", "off", None)
    out = tmp_path / "visit.json"
    demo_services.packages.export_file(VISIT, out)
    written = {e["ref"]: e for e in json.loads(out.read_text(encoding="utf-8"))["events"]}
    assert (written["e01"]["invitations"], written["e05"]["invitations"]) == ("on", "off")
    assert "invitations" not in written["e06"]
    package["events"][4]["invitations"] = "yes"
    with pytest.raises(ValidationError,
                       match=r"events\[4\]\.invitations: 'yes' is not one of on, off"):
        demo_services.packages.import_bytes(json.dumps(package).encode())
    assert demo_services.events.get(events["e05"].id).invitations == "off"  # nothing changed
    plan = InviteService(demo_services.db, "test").plan(VISIT)
    assert "e01" in {i.event_ref for i in plan.items}
    assert "e05" not in {i.event_ref for i in plan.items}
