"""An event's internal notes never leave in an invitation or a calendar file, and a
change to them alone sends nothing (it is not something the recipients' copy says)."""

from __future__ import annotations

import dataclasses
from email import message_from_bytes, policy
from pathlib import Path

from protocol_app.invites.calendar import (
    Organizer,
    event_description,
    itip_calendar,
    public_event,
    publish_calendar,
)
from protocol_app.invites.ledger import content_hash, plan_invites
from protocol_app.invites.mail import compose_texts
from tests.support.demo_refs import NOW, VISIT
from tests.support.imip import check_imip
from tests.support.invite_factories import event, person, utc, visit

MARKER = "INTERNAL-NOTE-MARKER-8d4f"
ORGANIZER = Organizer("Office of Protocol", "protocol@example.edu")


def _give_every_event_internal_notes(services, text: str = MARKER) -> None:
    for e in services.events.list(VISIT):
        services.events.update(e.id, e.version, internal_notes=f"{text} for {e.ref}: side door")


def _texts_of_messages(folder: Path) -> list[str]:
    """Every .eml: its raw bytes, its calendar and its decoded text parts."""
    texts = []
    paths = sorted(folder.glob("*.eml"))
    assert paths
    for path in paths:
        raw = path.read_bytes()
        texts.append(raw.decode("utf-8", errors="replace"))
        msg = message_from_bytes(raw, policy=policy.default)
        _method, calendar = check_imip(msg)
        texts.append(calendar.decode("utf-8").replace("\r\n ", ""))
        texts += [part.get_content() for part in msg.walk()
                  if part.get_content_type() in ("text/plain", "text/html")]
    return texts


def test_no_message_and_no_calendar_file_holds_internal_notes(invites, demo_services,
                                                              tmp_path) -> None:
    _give_every_event_internal_notes(demo_services)
    stored = demo_services.visits.get(VISIT)
    assert all(MARKER in e.internal_notes for e in stored.events)

    report = invites.write_messages(VISIT, tmp_path / "round1", now=NOW)
    assert report.ok and report.delivered
    for text in _texts_of_messages(tmp_path / "round1"):
        assert MARKER not in text and "side door" not in text

    whole = invites.export_calendar(VISIT, tmp_path / "visit.ics", now=NOW,
                                    audience="internal")  # every event, still no notes
    assert whole.events == len(stored.events)
    minister = stored.head_of_delegation
    assert minister is not None
    mine = invites.export_calendar(VISIT, tmp_path / "minister.ics", now=NOW,
                                   person=minister.person.email)
    assert mine.events > 0
    for path in (tmp_path / "visit.ics", tmp_path / "minister.ics"):
        unfolded = path.read_bytes().decode("utf-8").replace("\r\n ", "")
        assert "DESCRIPTION" in unfolded  # the public notes are there
        assert MARKER not in unfolded and "side door" not in unfolded

    # cancellations too
    dinner = next(e for e in demo_services.events.list(VISIT) if e.ref == "e17")
    demo_services.events.cancel(dinner.id, dinner.version)
    cancels = invites.write_messages(VISIT, tmp_path / "round2", now=NOW)
    assert cancels.ok and cancels.delivered
    for text in _texts_of_messages(tmp_path / "round2"):
        assert MARKER not in text


def test_changing_only_internal_notes_plans_no_update(invites, demo_services,
                                                      tmp_path) -> None:
    assert invites.write_messages(VISIT, tmp_path / "round1", now=NOW).ok
    assert invites.plan(VISIT).is_empty
    before = {e.ref: e.sequence for e in demo_services.events.list(VISIT)}

    _give_every_event_internal_notes(demo_services)
    assert {e.ref: e.sequence for e in demo_services.events.list(VISIT)} == before
    assert invites.plan(VISIT).is_empty
    assert invites.changed_since_invited(VISIT) == ()
    assert {s.state for s in invites.status(VISIT)} == {"up to date", "no invitations"}
    _give_every_event_internal_notes(demo_services, "Changed again")
    assert invites.plan(VISIT).is_empty

    # a change to the public notes still goes out, and without the internal ones
    dinner = next(e for e in demo_services.events.list(VISIT) if e.ref == "e17")
    demo_services.events.update(dinner.id, dinner.version, notes="Toasts at 20:30.")
    plan = invites.plan(VISIT)
    assert {i.event_ref for i in plan.items} == {"e17"}
    assert {i.reason for i in plan.items} == {"details changed"}
    assert invites.write_messages(VISIT, tmp_path / "round2", now=NOW).ok
    texts = _texts_of_messages(tmp_path / "round2")
    assert any("Toasts at 20:30." in t for t in texts)
    assert not any("Changed again" in t or MARKER in t for t in texts)


def test_the_calendar_functions_leave_internal_notes_out_even_unredacted() -> None:
    """The service hands them a redacted visit; they do not rely on it."""
    people = [person(1, "Võ", "Thanh Tùng"), person(2, "Mercer", "Caroline")]
    secret = event(1, utc(2027, 3, 12, 14), attendees=(1, 2), notes="Public note",
                   internal_notes=MARKER, dress_code="Business")
    plain = dataclasses.replace(secret, internal_notes="")
    v = visit(people, [secret])
    assert public_event(secret) == plain
    assert content_hash(secret, v) == content_hash(plain, v)
    assert MARKER not in event_description(secret, v)
    assert "Public note" in event_description(secret, v)
    for data in (publish_calendar(v, now=NOW),
                 itip_calendar(v, secret, method="REQUEST", sequence=0, organizer=ORGANIZER,
                               attendees=(), now=NOW)):
        assert MARKER.encode() not in data
        assert b"Public note" in data
    plan = plan_invites(v, {}, {}, organizer=ORGANIZER)
    assert plan.items
    for item in plan.items:
        for text in compose_texts(v, secret, item, ORGANIZER):
            assert MARKER not in text
