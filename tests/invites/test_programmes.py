"""Guests' programmes by e-mail: one message with the personal briefing copy (read back
with pypdf) and the personal itinerary (read by vobject), sent through a real SMTP server
on loopback (aiosmtpd); sent again only to a guest whose programme changed; the command
line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from protocol_app.config import Settings
from protocol_app.invites.sending import SmtpOptions
from tests.support.helpers import run_cli
from tests.support.readers import read_vobject

GUEST_PHONE = "+81 75 753 0001"
MEMBER_PHONE = "+81 75 753 0002"


def _at(day: int, hour: int) -> datetime:
    return datetime(2027, 3, day, hour, tzinfo=UTC)


def _options(server) -> SmtpOptions:
    return SmtpOptions(host=server.host, port=server.port, security="none", timeout=10)


@pytest.fixture
def visit(world):
    """The world's visit: the member gets an e-mail, both guests a phone; a dinner for
    everyone, a meeting its attendees only see (the head and the host), a hosts-only
    briefing."""
    s, w = world.services, world
    head = s.people.get(w.guest_id)
    s.people.update(w.guest_id, head.version, phone=GUEST_PHONE)
    member = s.people.get(w.member_id)
    s.people.update(w.member_id, member.version, phone=MEMBER_PHONE,
                    email="sato@kyoto.example.jp")
    everyone = (w.guest_id, w.member_id, w.host_id)
    s.events.create(w.visit_id, title="State dinner", kind="meal", start=_at(13, 23),
                    end=_at(14, 1), attendee_ids=everyone, status="confirmed")
    meeting = s.events.create(w.visit_id, title="Rectors' meeting", kind="meeting",
                              start=_at(14, 14), end=_at(14, 15),
                              attendee_ids=(w.guest_id, w.host_id), visibility="attendees",
                              status="confirmed")
    briefing = s.events.create(w.visit_id, title="Hosts' security briefing", kind="meeting",
                               start=_at(14, 13), end=_at(14, 14), attendee_ids=(w.host_id,),
                               visibility="hosts", status="confirmed")
    return {"meeting": meeting, "briefing": briefing}


def _parts(received) -> tuple[bytes, bytes, str, str]:
    """The PDF, the calendar and the two texts of one received message."""
    msg = message_from_bytes(received.data, policy=policy.default)
    pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    calendars = [p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(pdfs) == 1 and len(calendars) == 1
    assert calendars[0].get_param("method") == "PUBLISH"
    plain, page = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and page is not None
    calendar = calendars[0].get_payload(decode=True)
    return pdfs[0].get_content(), calendar, plain.get_content(), page.get_content()


def test_each_guest_gets_their_own_programme(world, visit, smtp_server) -> None:
    s, w = world.services, world
    due = s.programmes.due(w.visit_id)
    assert sorted((d.person_id, d.reason) for d in due) == [(w.guest_id, "not sent yet"),
                                                            (w.member_id, "not sent yet")]
    report = s.programmes.send(w.visit_id, smtp=_options(smtp_server))
    assert report.ok and [x.edition for x in report.sent] == [1, 1]
    [to_head] = smtp_server.to("tanaka@kyoto.example.jp")
    [to_member] = smtp_server.to("sato@kyoto.example.jp")

    pdf, calendar, text, page = _parts(to_head)
    book = " ".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages)
    assert GUEST_PHONE in book and MEMBER_PHONE not in book
    read = read_vobject(calendar)
    assert read.method == "PUBLISH"
    assert sorted(e.summary or "" for e in read.events) == ["Rectors' meeting", "State dinner"]
    assert world.services.visits.get(w.visit_id).title in text and "Edition 1" in text
    assert "Edition 1" in page

    pdf, calendar, _text, _page = _parts(to_member)
    book = " ".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages)
    assert MEMBER_PHONE in book and GUEST_PHONE not in book
    assert [e.summary for e in read_vobject(calendar).events] == ["State dinner"]

    assert s.programmes.due(w.visit_id) == ()
    assert len(s.audit.list(entity="programme")) == 2  # each sent message audited


def test_only_the_guest_whose_programme_changed_is_due_again(world, visit,
                                                             smtp_server) -> None:
    s, w = world.services, world
    s.programmes.send(w.visit_id, smtp=_options(smtp_server))
    briefing = visit["briefing"]
    s.events.move(briefing.id, briefing.version, briefing.start_utc + timedelta(hours=1))
    assert s.programmes.due(w.visit_id) == ()  # a hosts-only change: nobody's programme

    meeting = visit["meeting"]
    s.events.move(meeting.id, meeting.version, meeting.start_utc + timedelta(hours=2))
    due = s.programmes.due(w.visit_id)
    assert [d.person_id for d in due] == [w.guest_id] and due[0].sent_edition == 1
    assert "Rectors' meeting" in due[0].reason

    report = s.programmes.send(w.visit_id, smtp=_options(smtp_server))
    assert [(x.due.person_id, x.edition) for x in report.sent] == [(w.guest_id, 2)]
    assert "replaces edition 1" in _parts(smtp_server.received[-1])[2]
    assert s.programmes.due(w.visit_id) == ()


def test_a_copy_printed_and_not_sent_leaves_the_guest_due(world, visit, smtp_server,
                                                          tmp_path: Path) -> None:
    s, w = world.services, world
    s.programmes.send(w.visit_id, smtp=_options(smtp_server))
    meeting = visit["meeting"]
    s.events.move(meeting.id, meeting.version, meeting.start_utc + timedelta(hours=2))
    s.editions.publish_book(w.visit_id, "guest", tmp_path / "printed.pdf", person=w.guest_id)
    assert [d.person_id for d in s.programmes.due(w.visit_id)] == [w.guest_id]


def test_a_refused_programme_stays_due(world, visit, smtp_server) -> None:
    s, w = world.services, world
    smtp_server.refuse.add("sato@kyoto.example.jp")
    report = s.programmes.send(w.visit_id, smtp=_options(smtp_server))
    assert not report.ok and [d.person_id for d, _why in report.failed] == [w.member_id]
    assert [d.person_id for d in s.programmes.due(w.visit_id)] == [w.member_id]


def test_the_calendar_manager_receives_it(world, visit, smtp_server) -> None:
    s, w = world.services, world
    s.invites.set_calendar_manager(w.guest_id, "president@alderbrook.example.edu")
    [due] = s.programmes.due(w.visit_id, ["tanaka@kyoto.example.jp"])
    assert due.email == "president@alderbrook.example.edu" and due.sent_to_name
    s.programmes.send(w.visit_id, [str(w.guest_id)], smtp=_options(smtp_server))
    [received] = smtp_server.received
    assert received.rcpt_tos == ["president@alderbrook.example.edu"]
    assert "calendar manager" in _parts(received)[2]


def test_command_line(world, visit, db_path, smtp_server, tmp_path: Path, capsys) -> None:
    db, ref = str(db_path), str(world.visit_id)
    code, out, _ = run_cli(capsys, "--db", db, "invites", ref, "--programmes")
    assert code == 0 and "2 programmes due." in out and "not sent yet" in out
    code, out, _ = run_cli(capsys, "--db", db, "invites", ref, "--programmes", "--person",
                           str(world.member_id), "--out", str(tmp_path / "out"))
    assert code == 0 and "1 programme sent." in out
    [eml] = list((tmp_path / "out").glob("*.eml"))
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert {p.get_content_type() for p in msg.iter_attachments()} == {"application/pdf",
                                                                      "text/calendar"}
    settings = Settings.load()
    settings.smtp_host, settings.smtp_port = smtp_server.host, smtp_server.port
    settings.smtp_security = "none"
    settings.save()
    code, out, _ = run_cli(capsys, "--db", db, "invites", ref, "--programmes", "--send")
    assert code == 0 and "1 programme sent." in out
    assert smtp_server.to("tanaka@kyoto.example.jp") and not smtp_server.to(
        "sato@kyoto.example.jp")
    code, out, _ = run_cli(capsys, "--db", db, "invites", ref, "--programmes")
    assert "0 programmes due." in out
    code, _out, err = run_cli(capsys, "--db", db, "invites", ref, "--person", "p1")
    assert code != 0 and "--programmes" in err


def test_a_host_chosen_is_refused_by_name(world, visit, smtp_server) -> None:
    from protocol_app.errors import NotFoundError

    s, w = world.services, world
    with pytest.raises(NotFoundError, match=r"Mercer.*not a guest head or member"):
        s.programmes.send(w.visit_id, [str(w.host_id)], smtp=_options(smtp_server))
    assert smtp_server.received == [] and s.audit.list(entity="programme") == []
