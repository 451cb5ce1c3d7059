"""The whole update cycle against a real database: send, change, send again — only the
change goes, as an update of the event people have (same UID, higher SEQUENCE), and
people taken off an event get a CANCEL.  Messages are written as .eml files here (the
SMTP path is in test_smtp.py) and their calendars read by ical.js."""

from __future__ import annotations

import json
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from protocol_app.invites.service import PlanChangedError
from protocol_app.invites.values import InviteKind
from protocol_app.records.sensitivity import SENSITIVE_PERSON_FIELDS
from protocol_app.resources import resources_root
from tests.support.demo_refs import NOW, VISIT
from tests.support.imip import check_imip


def _messages(folder: Path) -> dict[str, tuple[str, bytes, object]]:
    """file name -> (method, calendar, message)"""
    out = {}
    for path in sorted(folder.glob("*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        method, calendar = check_imip(msg)
        out[path.name] = (method, calendar, msg)
    return out


def _calendars(folder: Path, icaljs, tmp: Path) -> list:
    paths = []
    for n, (_method, calendar, _msg) in enumerate(_messages(folder).values()):
        path = tmp / f"cal-{folder.name}-{n}.ics"
        path.write_bytes(calendar)
        paths.append(path)
    return icaljs(*paths) if paths else []


def _event(services, ref: str):
    return next(e for e in services.events.list(VISIT) if e.ref == ref)


def test_send_change_send_only_the_change_goes(invites, demo_services, tmp_path, icaljs) -> None:
    first = invites.write_messages(VISIT, tmp_path / "round1", now=NOW)
    # 144: the transport events (motorcades, transfers) send none by default
    assert first.ok and len(first.delivered) == 144
    assert len(_messages(tmp_path / "round1")) == 144
    assert {s.state for s in invites.status(VISIT)} == {"up to date", "no invitations"}
    assert invites.changed_since_invited(VISIT) == ()
    assert invites.plan(VISIT).is_empty

    dinner = _event(demo_services, "e17")
    demo_services.events.move(dinner.id, dinner.version, dinner.start_utc + timedelta(minutes=30))
    status = {s.event_ref: s for s in invites.status(VISIT)}
    assert status["e17"].state == "changed" and status["e17"].changes == ("time",)
    assert sum(s.needs_sending for s in status.values()) == 1
    assert [s.event_ref for s in invites.changed_since_invited(VISIT)] == ["e17"]

    second = invites.write_messages(VISIT, tmp_path / "round2", now=NOW)
    items = [d.item for d in second.delivered]
    assert {i.event_ref for i in items} == {"e17"}
    assert {(i.kind, i.sequence) for i in items} == {(InviteKind.UPDATE, 1)}
    visit = demo_services.visits.get(VISIT)
    emails = {visit.person(pid).email for pid in dinner.attendee_ids}
    assert {i.email for i in items} == emails and len(emails) == 16
    reads = _calendars(tmp_path / "round2", icaljs, tmp_path)
    assert len(reads) == 16
    for read in reads:
        (e,) = read.events
        assert read.method == "REQUEST"
        assert (e.uid, e.sequence) == (dinner.uid, 1)
        assert e.start == dinner.start_utc + timedelta(minutes=30)
        assert {a.email for a in e.attendees} == emails
        assert {(a.partstat, a.rsvp) for a in e.attendees} == {("NEEDS-ACTION", "TRUE")}
    assert invites.plan(VISIT).is_empty


def test_a_removed_attendee_gets_a_cancel(invites, demo_services, tmp_path, icaljs) -> None:
    invites.write_messages(VISIT, tmp_path / "round1", now=NOW)
    lunch = _event(demo_services, "e15")
    visit = demo_services.visits.get(VISIT)
    removed = visit.person(lunch.attendee_ids[0])
    demo_services.events.update(lunch.id, lunch.version, attendee_ids=lunch.attendee_ids[1:])
    report = invites.write_messages(VISIT, tmp_path / "round2", now=NOW)
    (item,) = [d.item for d in report.delivered]
    assert (item.kind, item.email, item.sequence) == (InviteKind.CANCEL, removed.email, 1)
    ((name, (method, _calendar, msg)),) = _messages(tmp_path / "round2").items()
    assert method == "CANCEL" and "-cancel-" in name
    assert msg["To"].addresses[0].addr_spec == removed.email
    assert msg["Subject"].strip().startswith("No longer expected: Lunch at the Museum of Art")
    (read,) = _calendars(tmp_path / "round2", icaljs, tmp_path)
    (e,) = read.events
    assert (read.method, e.uid, e.sequence, e.status) == ("CANCEL", lunch.uid, 1, "CANCELLED")
    assert [a.email for a in e.attendees] == [removed.email]
    history = invites.history(VISIT)
    assert [(h.method, h.sequence, h.channel) for h in history if h.email == removed.email
            and h.event_id == lunch.id] == [("REQUEST", 0, "file"), ("CANCEL", 1, "file")]


def test_an_event_removed_from_a_reimported_package_is_cancelled(invites, demo_services,
                                                                tmp_path) -> None:
    invites.write_messages(VISIT, tmp_path / "round1", now=NOW)
    source = resources_root() / "demo" / "ministerial-delegation.json"
    package = json.loads(source.read_text(encoding="utf-8"))
    gone = package["events"].pop(-3)  # e18, the farewell breakfast
    demo_services.packages.import_bytes(json.dumps(package).encode())
    plan = invites.plan(VISIT)
    assert {i.event_ref for i in plan.items} == {gone["ref"]}
    assert {(i.kind, i.reason) for i in plan.items} == {(InviteKind.CANCEL, "event cancelled")}
    breakfast = _event(demo_services, gone["ref"])
    assert {i.sequence for i in plan.items} == {breakfast.sequence} and breakfast.sequence >= 1


def test_a_cancelled_visit_cancels_everything_sent(invites, demo_services, tmp_path) -> None:
    invites.write_messages(VISIT, tmp_path / "round1", now=NOW)
    visit = demo_services.visits.get(VISIT)
    demo_services.visits.cancel(visit.id, visit.version)
    report = invites.write_messages(VISIT, tmp_path / "round2", now=NOW)
    assert len(report.delivered) == 144
    assert {(d.item.kind, d.item.sequence) for d in report.delivered} == {
        (InviteKind.CANCEL, 1)}
    for method, calendar, _msg in _messages(tmp_path / "round2").values():
        assert method == "CANCEL" and b"STATUS:CANCELLED" in calendar
    assert invites.plan(VISIT).is_empty


def test_resend_all(invites, tmp_path) -> None:
    invites.write_messages(VISIT, tmp_path / "round1", now=NOW)
    assert invites.plan(VISIT).is_empty
    again = invites.plan(VISIT, resend_all=True)
    assert len(again.items) == 144 and {i.kind for i in again.items} == {InviteKind.UPDATE}


def test_a_plan_that_is_no_longer_current_sends_nothing(invites, demo_services,
                                                        tmp_path) -> None:
    reviewed = invites.plan(VISIT)
    breakfast = _event(demo_services, "e18")
    demo_services.events.update(breakfast.id, breakfast.version, notes="Moved to the terrace.")
    with pytest.raises(PlanChangedError, match="nothing was sent"):
        invites.write_messages(VISIT, tmp_path / "out", expected=reviewed, now=NOW)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    assert invites.history(VISIT) == ()


def test_no_sensitive_note_leaves_in_a_message(invites, demo_services, tmp_path) -> None:
    invites.write_messages(VISIT, tmp_path / "out", now=NOW)
    visit = demo_services.visits.get(VISIT)
    secrets = [getattr(p.person, f) for p in visit.participants
               for f in SENSITIVE_PERSON_FIELDS if getattr(p.person, f)]
    for _method, calendar, msg in _messages(tmp_path / "out").values():
        texts = [calendar.decode("utf-8").replace("\r\n ", "")]
        texts += [part.get_content() for part in msg.walk()
                  if part.get_content_type() in ("text/plain", "text/html")]
        for text in texts:
            for secret in secrets:
                assert secret[:40] not in text


def test_deleting_an_event_removes_its_ledger_rows(invites, demo_services, tmp_path) -> None:
    """The ledger's rows follow their event (foreign key, cascade) once no calendar
    holds it any more: cancelled, and the cancellations sent."""
    invites.write_messages(VISIT, tmp_path / "out", now=NOW)
    tour = _event(demo_services, "e16")
    tour = demo_services.events.cancel(tour.id, tour.version)
    invites.write_messages(VISIT, tmp_path / "cancels", now=NOW + timedelta(hours=1))
    before = len(invites.history(VISIT))
    demo_services.events.delete(tour.id, tour.version)
    assert len(invites.history(VISIT)) == before - 20  # 10 invitations, 10 cancellations


def test_the_cli_shows_writes_and_resends(demo_services, db_path: Path, tmp_path: Path,
                                          capsys) -> None:
    from protocol_app.cli import main

    base = ["--db", str(db_path), "invites", VISIT]
    assert main(base) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("144 invitations, 0 updates, 0 cancellations to 16 people")
    left_out = [line for line in shown.splitlines() if "not invited" in line]
    assert left_out and all("no e-mail address" in line or "send no invitations" in line
                            for line in left_out)
    assert "transport events send no invitations (preferences)" in shown
    assert "Nothing was sent" in shown
    assert main([*base, "--out", str(tmp_path / "a")]) == 0
    assert capsys.readouterr().out.startswith("Wrote 144 messages.")
    assert len(list((tmp_path / "a").glob("*.eml"))) == 144
    assert main([*base, "--out", str(tmp_path / "b")]) == 0
    assert capsys.readouterr().out.startswith("Wrote 0 messages.")
    assert main([*base, "--out", str(tmp_path / "c"), "--all"]) == 0
    assert capsys.readouterr().out.startswith("Wrote 144 messages.")
    assert main(["--db", str(db_path), "invites", "nope"]) == 1
    assert "There is no visit 'nope'" in capsys.readouterr().err


def test_without_an_organizer_nothing_can_be_sent(services, tmp_path: Path) -> None:
    from datetime import date

    from protocol_app.errors import ProtocolError
    from protocol_app.invites.service import InviteService

    person = services.people.create(family_name="Guest", email="guest@example.org")
    visit = services.visits.create(title="Quiet visit", timezone="Europe/Paris",
                                   start_date=date(2027, 5, 3), end_date=date(2027, 5, 4),
                                   country="FR")
    services.visits.add_participant(visit.id, person.id, "guest", "head")
    from datetime import UTC, datetime

    services.events.create(visit.id, title="Talk", start=datetime(2027, 5, 3, 9, tzinfo=UTC),
                           end=datetime(2027, 5, 3, 10, tzinfo=UTC), attendee_ids=(person.id,))
    invites = InviteService(services.db, services.actor)
    plan = invites.plan(visit.id)
    assert plan.problems and len(plan.items) == 1
    with pytest.raises(ProtocolError, match="organizer"):
        invites.write_messages(visit.id, tmp_path / "out")


def test_an_event_in_calendars_is_not_deleted_until_its_cancellation_goes(
        invites, demo_services, tmp_path) -> None:
    """Deleting an event people have in their calendars would leave it there for ever:
    it is refused (nothing changes) until the event is cancelled and the CANCEL sent."""
    from protocol_app.errors import ConflictError

    assert invites.write_messages(VISIT, tmp_path / "round1", now=NOW).ok
    event = _event(demo_services, "e05")
    with pytest.raises(ConflictError, match="calendar") as refused:
        demo_services.events.delete(event.id, event.version)
    assert event.title in str(refused.value) and "nothing was deleted" in str(refused.value)
    assert _event(demo_services, "e05").version == event.version

    demo_services.events.cancel(event.id, event.version)
    with pytest.raises(ConflictError):  # cancelled, but the cancellations are not sent
        demo_services.events.delete(event.id)
    sent = invites.write_messages(VISIT, tmp_path / "round2", now=NOW + timedelta(hours=1))
    assert {d.item.kind for d in sent.delivered} == {InviteKind.CANCEL}
    demo_services.events.delete(event.id)
    assert all(e.ref != "e05" for e in demo_services.events.list(VISIT))


def test_a_visit_in_calendars_is_not_deleted_until_its_cancellations_go(
        invites, demo_services, tmp_path) -> None:
    from protocol_app.errors import ConflictError

    assert invites.write_messages(VISIT, tmp_path / "round1", now=NOW).ok
    visit = demo_services.visits.get(VISIT)
    for attempt in (lambda: demo_services.visits.check_deletable(visit.id),
                    lambda: demo_services.visits.delete(visit.id, visit.version)):
        with pytest.raises(ConflictError, match=r"events of .* are in people's calendars"):
            attempt()
    assert demo_services.visits.get(VISIT).version == visit.version
    cancelled = demo_services.visits.cancel(visit.id, visit.version)
    assert invites.write_messages(VISIT, tmp_path / "round2", now=NOW + timedelta(hours=1)).ok
    demo_services.visits.check_deletable(visit.id)
    demo_services.visits.delete(visit.id, cancelled.version)
    assert VISIT not in {v.public_id for v in demo_services.visits.list()}


def test_check_deletable_says_the_same_before_asking(invites, demo_services, tmp_path) -> None:
    from protocol_app.errors import ConflictError

    event = _event(demo_services, "e05")
    demo_services.events.check_deletable(event.id)  # nothing sent yet: deletable
    assert invites.write_messages(VISIT, tmp_path / "round1", now=NOW).ok
    with pytest.raises(ConflictError, match="nothing was deleted"):
        demo_services.events.check_deletable(event.id)
