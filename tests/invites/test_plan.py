"""The plan of what to send (a pure function): new, update and cancel, at which SEQUENCE,
to exactly the people a change concerns."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_app.invites.calendar import Organizer
from protocol_app.invites.ledger import plan_invites
from protocol_app.invites.values import InviteKind, InvitePlan, LedgerState
from protocol_app.services.values import EventRecord, VisitRecord
from tests.support.invite_factories import event, person, utc, visit

ORGANIZER = Organizer("Office of Protocol", "protocol@example.edu")
PEOPLE = [person(i, f"Person{i}") for i in range(1, 7)]
PEOPLE.append(person(7, "Noemail", email=""))
PEOPLE.append(person(8, "Organizer", email="Protocol@Example.edu"))


class Ledger:
    """The ledger as the service keeps it: latest state per (event, address), top SEQUENCE."""

    def __init__(self) -> None:
        self.latest: dict[tuple[int, str], LedgerState] = {}
        self.top: dict[int, int] = {}
        self.sent: list = []

    def plan(self, v: VisitRecord, **kw) -> InvitePlan:
        return plan_invites(v, self.latest, self.top, organizer=ORGANIZER, **kw)

    def send(self, plan: InvitePlan) -> InvitePlan:
        for item in plan.items:
            self.latest[(item.event_id, item.email)] = LedgerState(
                item.event_id, item.email, item.name, item.person_id, item.method,
                item.sequence, item.content_hash, item.snapshot)
            self.top[item.event_id] = max(self.top.get(item.event_id, -1), item.sequence)
            self.sent.append(item)
        return plan

    def holders(self, event_id: int) -> set[str]:
        return {email for (eid, email), s in self.latest.items()
                if eid == event_id and s.holds_event}


def _visit(*events: EventRecord, **fields) -> VisitRecord:
    return visit(PEOPLE, list(events), **fields)


def _change(v: VisitRecord, eid: int, *, significant: bool = False, **changes) -> VisitRecord:
    """What EventService does: apply the change, raise SEQUENCE if significant."""
    events = []
    for e in v.events:
        if e.id == eid:
            e = dataclasses.replace(e, **changes)
            if significant:
                e = dataclasses.replace(e, sequence=e.sequence + 1)
        events.append(e)
    return dataclasses.replace(v, events=tuple(events))


def _kinds(plan: InvitePlan) -> dict[str, tuple[str, int]]:
    return {i.email: (i.kind.value, i.sequence) for i in plan.items}


E1 = event(1, utc(2027, 3, 12, 15), attendees=(1, 2, 3, 7, 8), host_person_id=4)
E2 = event(2, utc(2027, 3, 13, 15), attendees=(2, 5))


def test_first_invitations_go_to_everyone_with_an_address() -> None:
    ledger = Ledger()
    plan = ledger.plan(_visit(E1, E2))
    assert _kinds(plan) == {"p1@example.org": ("new", 0), "p2@example.org": ("new", 0),
                            "p3@example.org": ("new", 0), "p4@example.org": ("new", 0),
                            "p5@example.org": ("new", 0)}
    assert len(plan.new) == 6 and plan.problems == ()
    assert {(n.name, n.reason) for n in plan.not_invited} == {
        ("Noemail", "no e-mail address"),
        ("Organizer", "is the organizer (sends the invitations)")}
    assert all(i.reason == "new event" for i in plan.items)
    host = next(i for i in plan.items if i.person_id == 4)
    assert host.event_id == 1  # the host is invited although not listed as attendee
    assert plan.summary() == "6 invitations, 0 updates, 0 cancellations to 5 people"


def test_nothing_is_sent_twice() -> None:
    ledger = Ledger()
    v = _visit(E1, E2)
    ledger.send(ledger.plan(v))
    assert ledger.plan(v).is_empty
    assert ledger.plan(v).summary().startswith("Nothing to send")


def test_a_moved_event_updates_its_people_only_with_a_higher_sequence() -> None:
    ledger = Ledger()
    v = _visit(E1, E2)
    ledger.send(ledger.plan(v))
    v = _change(v, 2, significant=True, start_utc=E2.start_utc + timedelta(hours=1),
                end_utc=E2.end_utc + timedelta(hours=1))
    plan = ledger.plan(v)
    assert _kinds(plan) == {"p2@example.org": ("update", 1), "p5@example.org": ("update", 1)}
    assert {i.reason for i in plan.items} == {"time changed"}


def test_a_changed_place_and_status_are_significant() -> None:
    ledger = Ledger()
    v = _visit(E2)
    ledger.send(ledger.plan(v))
    v = _change(v, 2, significant=True, venue_name="Founders Hall", status="tentative")
    plan = ledger.plan(v)
    assert {i.sequence for i in plan.items} == {1}
    assert plan.items[0].changes == ("place", "status")


def test_a_minor_change_is_an_update_at_the_same_sequence() -> None:
    ledger = Ledger()
    v = _visit(E2)
    ledger.send(ledger.plan(v))
    v = _change(v, 2, notes="Bring the signed copies.")
    plan = ledger.plan(v)
    assert _kinds(plan) == {"p2@example.org": ("update", 0), "p5@example.org": ("update", 0)}
    assert plan.items[0].reason == "details changed"
    v = _change(v, 2, title="Working lunch")
    assert ledger.plan(v).items[0].reason == "title changed"


def test_a_removed_attendee_gets_a_cancel_and_nobody_else_anything() -> None:
    ledger = Ledger()
    v = _visit(E1)
    ledger.send(ledger.plan(v))
    v = _change(v, 1, attendee_ids=(1, 3, 7, 8))
    plan = ledger.send(ledger.plan(v))
    assert _kinds(plan) == {"p2@example.org": ("cancel", 1)}
    assert plan.items[0].reason == "no longer on the event"
    assert ledger.plan(v).is_empty
    # Back on the event: invited again, above the CANCEL they hold.
    v = _change(v, 1, attendee_ids=(1, 2, 3, 7, 8))
    plan = ledger.send(ledger.plan(v))
    assert _kinds(plan) == {"p2@example.org": ("new", 2)}
    assert plan.items[0].reason == "invited again"
    # A later significant change goes above everything sent so far.
    v = _change(v, 1, significant=True, start_utc=E1.start_utc + timedelta(minutes=30))
    plan = ledger.plan(v)
    assert {i.sequence for i in plan.items} == {3}
    assert len(plan.items) == 4


def test_an_added_attendee_gets_the_current_invitation_only() -> None:
    ledger = Ledger()
    v = _visit(E2)
    ledger.send(ledger.plan(v))
    v = _change(v, 2, attendee_ids=(2, 5, 6))
    plan = ledger.plan(v)
    assert _kinds(plan) == {"p6@example.org": ("new", 0)}
    assert plan.items[0].reason == "new attendee"


def test_a_cancelled_event_cancels_for_everyone_who_has_it() -> None:
    ledger = Ledger()
    v = _visit(E1, E2)
    ledger.send(ledger.plan(v))
    v = _change(v, 2, significant=True, status="cancelled")
    plan = ledger.send(ledger.plan(v))
    assert _kinds(plan) == {"p2@example.org": ("cancel", 1), "p5@example.org": ("cancel", 1)}
    assert {i.reason for i in plan.items} == {"event cancelled"}
    assert {i.snapshot.status for i in plan.items} == {"CANCELLED"}
    assert ledger.plan(v).is_empty
    assert ledger.holders(2) == set()


def test_a_cancelled_visit_cancels_every_event_that_was_sent() -> None:
    ledger = Ledger()
    v = _visit(E1)
    ledger.send(ledger.plan(v))
    v = _visit(E1, E2, status="cancelled")  # E2 was never sent: nothing for it
    plan = ledger.send(ledger.plan(v))
    assert {i.event_id for i in plan.items} == {1}
    assert {(i.kind, i.sequence, i.reason) for i in plan.items} == {
        (InviteKind.CANCEL, 1, "visit cancelled")}
    assert len(plan.items) == 4
    assert plan.not_invited == ()


def test_resend_all_sends_every_current_invitation_again() -> None:
    ledger = Ledger()
    v = _visit(E1, E2)
    ledger.send(ledger.plan(v))
    v = _change(v, 1, attendee_ids=(1, 3))
    ledger.send(ledger.plan(v))  # a CANCEL to p2 for E1 (SEQUENCE 1)
    plan = ledger.plan(v, resend_all=True)
    assert sorted((i.event_id, i.email, i.kind.value, i.sequence) for i in plan.items) == [
        (1, "p1@example.org", "update", 1), (1, "p3@example.org", "update", 1),
        (1, "p4@example.org", "update", 1), (2, "p2@example.org", "update", 0),
        (2, "p5@example.org", "update", 0)]
    assert {i.reason for i in plan.items} == {"sent again"}


def test_a_changed_address_cancels_the_old_and_invites_the_new() -> None:
    ledger = Ledger()
    v = _visit(E2)
    ledger.send(ledger.plan(v))
    people = [dataclasses.replace(p, email="new5@example.org") if p.id == 5 else p
              for p in PEOPLE]
    v = visit(people, [E2])
    plan = ledger.plan(v)
    assert _kinds(plan) == {"p5@example.org": ("cancel", 1), "new5@example.org": ("new", 1)}
    assert next(i for i in plan.items if i.kind is InviteKind.CANCEL).reason == (
        "e-mail address changed")


def test_without_an_organizer_address_the_plan_says_why() -> None:
    plan = plan_invites(_visit(E2), {}, {}, organizer=None)
    assert plan.items and plan.problems
    assert "organizer e-mail" in plan.problems[0]


# -- any sequence of changes ----------------------------------------------------------
OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["move", "notes", "remove", "add", "cancel", "restore", "email",
                     "visit-cancel", "resend"]),
    st.integers(1, 3), st.integers(1, 6)), min_size=1, max_size=14)


@given(OPERATIONS)
@settings(max_examples=150, deadline=None)
def test_any_history_keeps_every_calendar_right(operations) -> None:
    """After each round, everyone on an event holds it, nobody else does, the SEQUENCE
    a recipient sees never goes down, and anything that must supersede what they hold
    carries a higher SEQUENCE."""
    events = [event(i, utc(2027, 3, 11 + i, 15), attendees=(1, 2, 3)) for i in (1, 2, 3)]
    people = list(PEOPLE)
    v = visit(people, events)
    ledger = Ledger()
    ledger.send(ledger.plan(v))
    for op, eid, pid in operations:
        e = next(x for x in v.events if x.id == eid)
        resend = False
        if op == "move":
            v = _change(v, eid, significant=True, start_utc=e.start_utc + timedelta(hours=1),
                        end_utc=e.end_utc + timedelta(hours=1))
        elif op == "notes":
            v = _change(v, eid, notes=e.notes + " more")
        elif op == "remove":
            v = _change(v, eid, attendee_ids=tuple(a for a in e.attendee_ids if a != pid))
        elif op == "add" and pid not in e.attendee_ids:
            v = _change(v, eid, attendee_ids=(*e.attendee_ids, pid))
        elif op == "cancel" and e.status != "cancelled":
            v = _change(v, eid, significant=True, status="cancelled")
        elif op == "restore" and e.status == "cancelled":
            v = _change(v, eid, significant=True, status="confirmed")
        elif op == "email":
            people = [dataclasses.replace(p, email=f"x{p.email}") if p.id == pid and p.email
                      else p for p in people]
            v = dataclasses.replace(v, participants=visit(people, []).participants)
        elif op == "visit-cancel":
            v = dataclasses.replace(v, status="cancelled" if v.status != "cancelled"
                                    else "confirmed")
        elif op == "resend":
            resend = True
        before = dict(ledger.latest)
        top_before = dict(ledger.top)
        plan = ledger.send(ledger.plan(v, resend_all=resend))
        for item in plan.items:
            held = before.get((item.event_id, item.email))
            event_now = next(x for x in v.events if x.id == item.event_id)
            assert item.sequence >= event_now.sequence
            if held is not None:
                assert item.sequence >= held.sequence
            if item.kind is InviteKind.CANCEL or (held is not None and not held.holds_event):
                assert item.sequence > top_before.get(item.event_id, -1)
            if held is not None and held.holds_event and item.kind is InviteKind.UPDATE and {
                    "time", "place", "status", "time zone"} & set(item.changes):
                assert item.sequence > held.sequence
        assert ledger.plan(v).is_empty
        emails = {p.id: p.email for p in people}
        for e in v.events:
            off = e.status == "cancelled" or v.status == "cancelled"
            wanted = set() if off else {emails[a].lower() for a in e.attendee_ids
                                        if emails.get(a)}
            assert ledger.holders(e.id) == wanted
