"""Fetching replies from a real IMAP server (Dovecot on loopback): messages appended over
IMAP, then fetched, recorded and marked as seen; a mailbox that cannot be reached or
refuses the login is one clear line, and nothing is recorded."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from protocol_app.cli import main
from protocol_app.config import Settings
from protocol_app.invites.mailbox import ImapOptions, MailboxError, store_password
from tests.support.demo_refs import NOW, VISIT
from tests.support.imap import dovecot_server, missing_reason
from tests.support.imip import check_imip
from tests.support.replies import reply_email, vobject_reply


@pytest.fixture
def imap_server():
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with dovecot_server() as server:
        yield server


def _requests(folder: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(folder.glob("e17-*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        out[msg["To"].addresses[0].addr_spec.lower()] = check_imip(msg)[1]
    return out


def _settings(server) -> ImapOptions:
    settings = Settings.load()
    settings.imap_host, settings.imap_port = server.host, server.port
    settings.imap_security, settings.imap_user = "none", server.user
    settings.imap_folder = "INBOX"
    settings.save()
    return ImapOptions.from_settings(settings)


def test_fetch_records_the_replies_and_marks_them_seen(demo_services, invites, db_path,
                                                       tmp_path, capsys, imap_server,
                                                       memory_keyring) -> None:
    invites.write_messages(VISIT, tmp_path / "out", now=NOW)
    requests = _requests(tmp_path / "out")
    a, b = sorted(requests)[:2]
    client = imap_server.connect()
    for data in (reply_email(vobject_reply(requests[a], a, "ACCEPTED"), a, "protocol@x.y"),
                 reply_email(vobject_reply(requests[b], b, "DECLINED"), b, "protocol@x.y"),
                 b"From: someone@example.org\r\nSubject: lunch?\r\n\r\nNo calendar here.\r\n"):
        assert client.append("INBOX", None, None, data)[0] == "OK"
    store_password(_settings(imap_server), imap_server.password)

    assert main(["--db", str(db_path), "replies", "fetch"]) == 1  # one is not a reply
    out = capsys.readouterr().out
    assert out.startswith("Recorded 2 replies from 3 files; 1 not counted.")
    assert f"imap://replies@127.0.0.1:{imap_server.port}/INBOX;UID=3: an e-mail message " \
           "without a calendar" in out
    answers = {x.email: x.partstat for x in demo_services.replies.answers(VISIT)
               if x.event_ref == "e17"}
    assert (answers[a], answers[b]) == ("ACCEPTED", "DECLINED")
    client.select("INBOX")
    assert client.uid("SEARCH", "UNSEEN")[1] == [b""]  # every message processed is seen
    assert main(["--db", str(db_path), "replies", "fetch"]) == 0
    assert capsys.readouterr().out.startswith("Recorded 0 replies from 0 files.")
    client.logout()


def test_a_mailbox_that_cannot_be_used_is_one_line(demo_services, db_path, imap_server,
                                                   capsys, memory_keyring) -> None:
    options = _settings(imap_server)
    with pytest.raises(MailboxError, match=r"No password for replies@127\.0\.0\.1"):
        demo_services.replies.fetch()
    with pytest.raises(MailboxError, match="refused the login"):
        demo_services.replies.fetch(password="wrong")
    gone = ImapOptions(host="127.0.0.1", port=1, security="none", user="replies")
    with pytest.raises(MailboxError, match=r"Cannot reach the mailbox 127\.0\.0\.1:1"):
        demo_services.replies.fetch(options=gone, password="x")
    missing = ImapOptions(host=options.host, port=options.port, security="none",
                          user="replies", folder="Nope")
    with pytest.raises(MailboxError, match="The folder 'Nope' cannot be opened"):
        demo_services.replies.fetch(options=missing, password=imap_server.password)
    assert main(["--db", str(db_path), "replies", "fetch"]) == 1
    err = capsys.readouterr().err
    assert "No password for replies@127.0.0.1" in err and len(err.strip().splitlines()) == 1
    assert demo_services.audit.list("invite_reply") == []
