"""Sending through a real SMTP server on loopback (aiosmtpd, on a free port): plain with
login, STARTTLS and TLS; the password from the keyring; the MIME structure received;
a refused recipient reported while the others are recorded; nothing recorded when the
server cannot be used."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from protocol_app.config import Settings
from protocol_app.invites.sending import MailSetupError, SmtpOptions, store_password
from protocol_app.invites.values import InviteKind
from tests.support.demo_refs import NOW
from tests.support.imip import check_imip
from tests.support.readers import read_icalendar
from tests.support.smtp import free_port

CALL = "in-ambassador-courtesy-call-2027"
ORGANIZER = "protocol@alderbrook.example.edu"
pytestmark = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")


def _options(server, security: str = "none", user: str = "") -> SmtpOptions:
    return SmtpOptions(host=server.host, port=server.port, security=security, user=user,
                       timeout=10)


def _save_settings(server, security: str = "none", user: str = "") -> None:
    settings = Settings.load()
    settings.smtp_host, settings.smtp_port = server.host, server.port
    settings.smtp_security, settings.smtp_user = security, user
    settings.save()


def test_send_with_login_and_the_password_from_the_keyring(invites, smtp_server_factory,
                                                          memory_keyring) -> None:
    server = smtp_server_factory("none", user="assistant", password="s3cret-pässword")
    _save_settings(server, user="assistant")
    store_password(SmtpOptions.from_settings(Settings.load()), "s3cret-pässword")
    assert memory_keyring == {("Protocol Desk SMTP", f"assistant@{server.host}"):
                              "s3cret-pässword"}
    assert "s3cret" not in Settings.path().read_text(encoding="utf-8")

    plan = invites.plan(CALL)
    report = invites.send(CALL, expected=plan, now=NOW)
    assert report.ok and len(report.delivered) == len(plan.items) == 16
    assert server.logins == ["assistant"]
    assert len(server.received) == 16
    for received, delivered in zip(server.received, report.delivered, strict=True):
        msg = received.message
        method, calendar = check_imip(msg)
        assert method == "REQUEST"
        assert received.mail_from == ORGANIZER
        assert received.rcpt_tos == [delivered.item.email]
        assert msg["To"].addresses[0].addr_spec == delivered.item.email
        assert msg["Message-ID"].strip() == delivered.message_id
        (event,) = read_icalendar(calendar).events
        assert (event.uid, event.sequence) == (delivered.item.event_uid, 0)
        assert delivered.item.email in {a.email for a in event.attendees}
    assert invites.plan(CALL).is_empty
    assert {h.channel for h in invites.history(CALL)} == {"smtp"}


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_send_over_starttls_and_tls(invites, smtp_server_factory, security: str) -> None:
    server = smtp_server_factory(security, user="assistant", password="pw")
    report = invites.send(CALL, smtp=_options(server, security, "assistant"), password="pw",
                          ssl_context=server.client_context(), now=NOW)
    assert report.ok and len(server.received) == 16 and server.logins == ["assistant"]
    check_imip(server.received[0].message)


def test_an_untrusted_certificate_stops_before_anything_is_sent(invites,
                                                               smtp_server_factory) -> None:
    server = smtp_server_factory("tls")
    with pytest.raises(MailSetupError, match="secure connection"):
        invites.send(CALL, smtp=_options(server, "tls"), now=NOW)  # system CAs only
    assert server.received == [] and invites.history(CALL) == ()


def test_starttls_refused_by_a_server_that_does_not_offer_it(invites, smtp_server) -> None:
    with pytest.raises(MailSetupError, match="does not offer STARTTLS"):
        invites.send(CALL, smtp=_options(smtp_server, "starttls"), now=NOW)
    assert invites.history(CALL) == ()


def test_the_whole_cycle_through_smtp(invites, demo_services, smtp_server) -> None:
    options = _options(smtp_server)
    invites.send(CALL, smtp=options, now=NOW)
    first = len(smtp_server.received)
    events = demo_services.events.list(CALL)
    lunch = next(e for e in events if "lunch" in e.title.lower())
    demo_services.events.move(lunch.id, lunch.version, lunch.start_utc + timedelta(hours=1))
    report = invites.send(CALL, smtp=options, now=NOW)
    assert {(d.item.event_id, d.item.kind, d.item.sequence) for d in report.delivered} == {
        (lunch.id, InviteKind.UPDATE, 1)}
    assert len(smtp_server.received) == first + len(report.delivered)
    for received in smtp_server.received[first:]:
        (event,) = read_icalendar(check_imip(received.message)[1]).events
        assert (event.uid, event.sequence) == (lunch.uid, 1)
        assert event.start == lunch.start_utc + timedelta(hours=1)

    lunch = demo_services.events.get(lunch.id)
    visit = demo_services.visits.get(CALL)
    dropped = visit.person(lunch.attendee_ids[-1])
    demo_services.events.update(lunch.id, lunch.version, attendee_ids=lunch.attendee_ids[:-1])
    mark = len(smtp_server.received)
    report = invites.send(CALL, smtp=options, now=NOW)
    assert [(d.item.email, d.item.kind, d.item.sequence) for d in report.delivered] == [
        (dropped.email, InviteKind.CANCEL, 2)]
    (received,) = smtp_server.received[mark:]
    method, calendar = check_imip(received.message)
    assert method == "CANCEL" and received.rcpt_tos == [dropped.email]
    (event,) = read_icalendar(calendar).events
    assert (event.uid, event.sequence, event.status) == (lunch.uid, 2, "CANCELLED")


def test_a_refused_recipient_is_reported_and_the_rest_recorded(invites, smtp_server) -> None:
    refused = "cg@in-chicago.example.org"
    smtp_server.refuse.add(refused)
    report = invites.send(CALL, smtp=_options(smtp_server), now=NOW)
    assert not report.ok
    assert {f.item.email for f in report.failed} == {refused}
    assert all("550" in f.error for f in report.failed)
    assert len(report.delivered) == 16 - len(report.failed)
    assert refused not in {r for m in smtp_server.received for r in m.rcpt_tos}
    pending = invites.plan(CALL)
    assert {i.email for i in pending.items} == {refused}
    assert {i.kind for i in pending.items} == {InviteKind.NEW}
    smtp_server.refuse.clear()
    again = invites.send(CALL, smtp=_options(smtp_server), now=NOW)
    assert again.ok and {d.item.email for d in again.delivered} == {refused}
    assert invites.plan(CALL).is_empty


def test_a_server_that_is_not_there(invites) -> None:
    options = SmtpOptions(host="127.0.0.1", port=free_port(), security="none", timeout=5)
    with pytest.raises(MailSetupError, match="Cannot connect to the mail server"):
        invites.send(CALL, smtp=options, now=NOW)
    assert invites.history(CALL) == () and len(invites.plan(CALL).items) == 16


def test_a_wrong_or_missing_password(invites, smtp_server_factory, memory_keyring) -> None:
    server = smtp_server_factory("none", user="assistant", password="right")
    with pytest.raises(MailSetupError, match="refused the user name or password"):
        invites.send(CALL, smtp=_options(server, user="assistant"), password="wrong", now=NOW)
    with pytest.raises(MailSetupError, match=r"No password for assistant@127\.0\.0\.1"):
        invites.send(CALL, smtp=_options(server, user="assistant"), now=NOW)
    assert server.received == [] and invites.history(CALL) == ()


def test_no_mail_server_in_the_settings(invites) -> None:
    with pytest.raises(MailSetupError, match="No mail server is set"):
        invites.send(CALL, now=NOW)


def test_the_cli_sends(demo_services, db_path: Path, smtp_server, capsys) -> None:
    from protocol_app.cli import main

    _save_settings(smtp_server)
    assert main(["--db", str(db_path), "invites", CALL, "--send"]) == 0
    assert capsys.readouterr().out.startswith("Sent 16 messages.")
    assert len(smtp_server.received) == 16
    smtp_server.refuse.add("s.okafor@alderbrook.example.edu")
    assert main(["--db", str(db_path), "invites", CALL, "--send", "--all"]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "offered again next time" in captured.err
