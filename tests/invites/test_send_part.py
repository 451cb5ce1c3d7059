"""Sending a part of the plan (``only=``), previewing one message, and a test message to
the organizer in the settings that the ledger never counts: through a real SMTP server on
loopback (aiosmtpd)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from protocol_app.config import Settings
from protocol_app.errors import ProtocolError
from protocol_app.invites.sending import SmtpOptions
from protocol_app.invites.service import PlanChangedError
from tests.support.demo_refs import NOW
from tests.support.imip import check_imip
from tests.support.readers import read_icalendar

CALL = "in-ambassador-courtesy-call-2027"
ME = "me@alderbrook.example.edu"


def _options(server) -> SmtpOptions:
    return SmtpOptions(host=server.host, port=server.port, security="none", timeout=10)


def _organizer(address: str = ME) -> None:
    settings = Settings.load()
    settings.organizer_name, settings.organizer_email = "Alex Morgan", address
    settings.save()


def test_only_the_chosen_messages_go_and_the_rest_stay_due(invites, smtp_server) -> None:
    plan = invites.plan(CALL)
    left_out = plan.items[0]
    chosen = [i.key for i in plan.items[1:]]
    report = invites.send(CALL, expected=plan, smtp=_options(smtp_server), only=chosen,
                          now=NOW)
    assert report.ok and len(report.delivered) == len(plan.items) - 1
    assert left_out.key not in {d.item.key for d in report.delivered}
    assert len(smtp_server.received) == len(plan.items) - 1
    assert not any(r.rcpt_tos == [left_out.email]
                   and read_icalendar(check_imip(r.message)[1]).events[0].uid
                   == left_out.event_uid for r in smtp_server.received)
    assert invites.plan(CALL).keys == (left_out.key,)  # still due, and only it
    assert len(invites.history(CALL)) == len(plan.items) - 1


def test_nothing_chosen_sends_nothing(invites, smtp_server) -> None:
    due = invites.plan(CALL).keys
    report = invites.send(CALL, smtp=_options(smtp_server), only=[], now=NOW)
    assert report.delivered == () and smtp_server.received == []
    assert invites.plan(CALL).keys == due and len(due) > 10


def test_a_key_no_longer_due_sends_nothing(invites, demo_services, smtp_server) -> None:
    plan = invites.plan(CALL)
    invited = {i.event_id for i in plan.items}  # (the arrival, a transport, invites nobody)
    first = next(e for e in demo_services.events.list(CALL) if e.id in invited)
    demo_services.events.move(first.id, first.version, first.start_utc + timedelta(hours=1))
    stale = [i.key for i in plan.items if i.event_id == first.id]
    with pytest.raises(PlanChangedError, match="no longer due"):
        invites.send(CALL, smtp=_options(smtp_server), only=stale, now=NOW)
    assert smtp_server.received == [] and invites.history(CALL) == ()


def test_written_files_take_a_part_too(invites, tmp_path: Path) -> None:
    plan = invites.plan(CALL)
    report = invites.write_messages(CALL, tmp_path, only=[plan.items[2].key], now=NOW)
    assert [d.item.key for d in report.delivered] == [plan.items[2].key]
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_preview_is_the_message_as_it_would_go(invites) -> None:
    plan = invites.plan(CALL)
    item = plan.items[0]
    preview = invites.preview(CALL, item.key, now=NOW)
    assert preview.key == item.key and preview.method == "REQUEST"
    assert preview.subject.startswith(f"Invitation: {item.event_title} (")
    assert item.email in preview.recipient
    assert "protocol@alderbrook.example.edu" in preview.sender
    assert "Chicago time" in preview.when and "America/Chicago" not in preview.when
    assert preview.when in preview.text and f"Event: {item.event_title}" in preview.text
    assert "<table>" in preview.html
    assert invites.history(CALL) == ()  # nothing recorded


def test_a_test_goes_to_the_organizer_only_and_is_never_recorded(invites,
                                                                smtp_server) -> None:
    _organizer()
    invites = type(invites)(invites.db, invites.actor)  # reads the new settings
    plan = invites.plan(CALL)
    item = plan.items[3]
    assert invites.send_test(CALL, item.key, smtp=_options(smtp_server), now=NOW) == ME
    (received,) = smtp_server.received
    assert received.rcpt_tos == [ME]
    msg = received.message
    assert msg["To"].addresses[0].addr_spec == ME
    assert item.email not in str(msg["To"])
    assert str(msg["Subject"]).strip().startswith("[Test] Invitation: ")
    method, calendar = check_imip(msg)
    assert method == "REQUEST"
    assert read_icalendar(calendar).events[0].uid == item.event_uid
    assert invites.history(CALL) == ()
    assert invites.plan(CALL).keys == plan.keys  # the real message is still due


def test_no_organizer_address_no_test(invites, smtp_server) -> None:
    _organizer("")
    invites = type(invites)(invites.db, invites.actor)
    key = invites.plan(CALL).items[0].key
    with pytest.raises(ProtocolError, match="enter yours in Preferences"):
        invites.send_test(CALL, key, smtp=_options(smtp_server), now=NOW)
    assert smtp_server.received == []
