"""The whole cycle of invitations and replies against a real database: invite, reply,
change, invite again, a stale reply, a reminder — with the replies made by other clients
(vobject and Mozilla's ical.js), never by our own writer, and read through the service
and the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from protocol_app.cli import main
from protocol_app.invites.values import InviteKind
from tests.invites.conftest import JS_DIR
from tests.support.demo_refs import NOW, VISIT
from tests.support.imip import check_imip
from tests.support.replies import reply_email, vobject_reply


@pytest.fixture
def icaljs_reply(icaljs):
    """``icaljs_reply(request_path, attendee, partstat, sent_by="")``: a REPLY by ical.js."""
    node = shutil.which("node")
    assert node is not None

    def make(request: Path, attendee: str, partstat: str, sent_by: str = "") -> bytes:
        args = [node, str(JS_DIR / "make_reply.mjs"), str(request), attendee, partstat]
        done = subprocess.run([*args, sent_by] if sent_by else args, capture_output=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout

    return make


def _requests(folder: Path, ref: str) -> dict[str, tuple[bytes, object]]:
    """The REQUEST calendars written for one event, by recipient address."""
    out = {}
    for path in sorted(folder.glob(f"{ref}-*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        method, calendar = check_imip(msg)
        if method == "REQUEST":
            out[msg["To"].addresses[0].addr_spec.lower()] = (calendar, msg)
    return out


def _rsvp(db: Path, capsys) -> dict[tuple[str, str], dict]:
    assert main(["--db", str(db), "rsvp", VISIT, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    return {(r["event"], r["email"]): r for r in rows}


def test_invite_reply_change_invite_again_stale_reply_and_reminder(
        demo_services, invites, db_path, tmp_path, capsys, icaljs, icaljs_reply) -> None:
    invites.write_messages(VISIT, tmp_path / "round1", now=NOW)
    first = _requests(tmp_path / "round1", "e17")
    assert len(first) == 16
    a, b, c, d = sorted(first)[:4]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    request_b = tmp_path / "request-b.ics"
    request_b.write_bytes(first[b][0])
    (inbox / "a.eml").write_bytes(reply_email(vobject_reply(first[a][0], a, "ACCEPTED"), a,
                                              "protocol@example.edu"))
    (inbox / "b.ics").write_bytes(icaljs_reply(request_b, b, "DECLINED"))
    (inbox / "c.ics").write_bytes(vobject_reply(first[c][0], c, "TENTATIVE"))
    (inbox / "notes.txt").write_text("not read: a folder gives its .eml and .ics files")

    assert main(["--db", str(db_path), "replies", "import", str(inbox)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Recorded 3 replies from 3 files.")
    answers = _rsvp(db_path, capsys)
    assert [answers[("e17", x)]["partstat"] for x in (a, b, c, d)] == [
        "ACCEPTED", "DECLINED", "TENTATIVE", "NEEDS-ACTION"]
    assert answers[("e17", a)]["answered_at"].endswith("Z")
    assert answers[("e17", d)]["answered_at"] is None
    assert {r["sequence"] for r in answers.values()} == {0}
    assert set(answers[("e17", a)]) >= {"event", "email", "name", "partstat", "answered_at",
                                        "sequence"}
    dinner = next(e for e in demo_services.events.list(VISIT) if e.ref == "e17")
    counts = demo_services.replies.event_answers(dinner.id).counts
    assert (counts.accepted, counts.declined, counts.tentative, counts.waiting) == (1, 1, 1, 13)

    # the same files again: nothing counted twice
    assert main(["--db", str(db_path), "replies", "import", str(inbox)]) == 0
    assert "Recorded 0 replies" in capsys.readouterr().out

    # a significant change, invited again: the answers go back to NEEDS-ACTION
    demo_services.events.move(dinner.id, dinner.version, dinner.start_utc + timedelta(hours=1))
    assert _rsvp(db_path, capsys)[("e17", a)]["partstat"] == "ACCEPTED"  # not sent yet
    invites.write_messages(VISIT, tmp_path / "round2", now=NOW)
    second = _requests(tmp_path / "round2", "e17")
    answers = _rsvp(db_path, capsys)
    assert {answers[("e17", x)]["partstat"] for x in (a, b, c, d)} == {"NEEDS-ACTION"}
    assert answers[("e17", a)]["sequence"] == 1
    history = [e for e in demo_services.audit.list("invite_reply")]
    assert len(history) == 3  # the earlier answers stay in the history

    # d answers the old invitation: reported as answering an earlier version
    stale = tmp_path / "stale.eml"
    stale.write_bytes(reply_email(vobject_reply(first[d][0], d, "ACCEPTED"), d, "x@y.z"))
    fresh = tmp_path / "fresh.ics"
    request_a = tmp_path / "request-a2.ics"
    request_a.write_bytes(second[a][0])
    fresh.write_bytes(icaljs_reply(request_a, a, "ACCEPTED"))
    assert main(["--db", str(db_path), "replies", "import", str(stale), str(fresh)]) == 1
    captured = capsys.readouterr()
    assert f"{stale}: {d} answered an earlier version of" in captured.out
    assert "SEQUENCE 0, the invitation now is 1; not counted" in captured.out
    assert "1 file or message not counted" in captured.err
    answers = _rsvp(db_path, capsys)
    assert (answers[("e17", a)]["partstat"], answers[("e17", d)]["partstat"]) == (
        "ACCEPTED", "NEEDS-ACTION")

    # a counter-proposal is shown, never applied
    later = dinner.start_utc + timedelta(hours=2)
    counter = tmp_path / "counter.ics"
    counter.write_bytes(vobject_reply(second[b][0], b, "TENTATIVE", method="COUNTER",
                                      proposed_start=later))
    report = demo_services.replies.import_paths([counter])
    assert report.ok and report.recorded[0].method == "COUNTER"
    (proposal,) = demo_services.replies.proposals(VISIT)
    assert (proposal.email, proposal.proposed_start) == (b, later)
    assert demo_services.events.get(dinner.id).start_utc == dinner.start_utc + timedelta(hours=1)
    assert main(["--db", str(db_path), "rsvp", VISIT]) == 0
    table = capsys.readouterr().out
    assert "proposes" in table and "(not applied)" in table and "NEEDS-ACTION" in table

    # remind those who have not answered: the current REQUEST again, same SEQUENCE
    plan = invites.reminders(VISIT)
    mine = [i for i in plan.items if i.event_ref == "e17"]
    assert {i.email for i in mine} == set(first) - {a}
    assert {(i.kind, i.sequence, i.reason) for i in mine} == {
        (InviteKind.REMINDER, 1, "no answer yet")}
    assert main(["--db", str(db_path), "invites", VISIT, "--remind"]) == 0
    assert capsys.readouterr().out.startswith(f"{len(plan.items)} reminders to ")
    assert main(["--db", str(db_path), "invites", VISIT, "--remind", "--out",
                 str(tmp_path / "remind")]) == 0
    assert capsys.readouterr().out.startswith(f"Wrote {len(plan.items)} messages.")
    reminded = _requests(tmp_path / "remind", "e17")
    assert set(reminded) == set(first) - {a}
    paths = []
    for n, (calendar, msg) in enumerate(reminded.values()):
        assert msg["Subject"].strip().startswith("Reminder: ")
        paths.append(tmp_path / f"reminder-{n}.ics")
        paths[-1].write_bytes(calendar)
    for read in icaljs(*paths):
        (event,) = read.events
        assert (read.method, event.uid, event.sequence) == ("REQUEST", dinner.uid, 1)
    assert invites.plan(VISIT).is_empty  # a reminder changes nothing else
    assert [i for i in invites.reminders(VISIT).items if i.event_ref == "e17"]  # still waiting


def test_a_calendar_managers_answer_counts_for_the_principal(
        demo_services, invites, tmp_path, icaljs_reply) -> None:
    record = demo_services.visits.get(VISIT)
    head = record.head_of_delegation
    staff = next(p for p in record.participants if p.role == "staff" and p.person.email)
    invites.set_calendar_manager(head.person_id, staff.person_id)
    invites.write_messages(VISIT, tmp_path / "out", now=NOW)
    principal, manager = head.person.email.lower(), staff.person.email.lower()
    for path in (tmp_path / "out").glob("*.eml"):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        if msg["To"].addresses[0].addr_spec.lower() == manager and \
                b"calendar manager of" in path.read_bytes().replace(b"=\r\n", b""):
            break
    else:
        raise AssertionError("no message went to the manager")
    request = tmp_path / "request.ics"
    request.write_bytes(check_imip(msg)[1])
    reply = tmp_path / "reply.ics"
    reply.write_bytes(icaljs_reply(request, principal, "ACCEPTED", sent_by=manager))
    report = demo_services.replies.import_paths([reply])
    (recorded,) = report.recorded
    assert (recorded.email, recorded.sent_by, recorded.person_id) == (
        principal, manager, head.person_id)
    # someone else answering for the principal is reported and changes nothing
    other = tmp_path / "other.ics"
    other.write_bytes(icaljs_reply(request, principal, "DECLINED",
                                   sent_by="intruder@example.org"))
    assert demo_services.replies.import_paths([other]).ok  # the ATTENDEE is ours: counts
    stranger = tmp_path / "stranger.ics"
    stranger.write_bytes(vobject_reply(request.read_bytes(), "intruder@example.org"))
    (result,) = demo_services.replies.import_paths([stranger]).results
    assert result.problems and "intruder@example.org was not invited to" in result.problems[0]


def test_bad_input_gets_one_line_each_and_the_good_file_still_counts(
        demo_services, invites, db_path, tmp_path, capsys) -> None:
    invites.write_messages(VISIT, tmp_path / "out", now=NOW)
    requests = _requests(tmp_path / "out", "e17")
    (a, (request, _msg)), (b, _) = list(requests.items())[:2]
    bad = tmp_path / "bad"
    bad.mkdir()
    good = vobject_reply(request, a, "ACCEPTED")
    (bad / "1-good.ics").write_bytes(good)
    (bad / "2-text.eml").write_bytes(b"hello, this is not a message\n")
    (bad / "3-binary.ics").write_bytes(bytes(range(256)) * 4)
    (bad / "4-truncated.ics").write_bytes(good[: len(good) // 2])
    with open(bad / "5-huge.ics", "wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)
    two = good.replace(b"ATTENDEE", b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:" + b.encode()
                       + b"\r\nATTENDEE", 1)
    (bad / "6-two-attendees.ics").write_bytes(two)
    (bad / "7-request.ics").write_bytes(request)
    (bad / "8-unknown-uid.ics").write_bytes(vobject_reply(request, a, uid="nope@else"))
    (bad / "9-no-calendar.eml").write_bytes(
        b"From: a@b.c\r\nTo: d@e.f\r\nSubject: hi\r\n\r\nJust text.\r\n")
    both = vobject_reply(request, b, "DECLINED").replace(
        b"END:VCALENDAR", vobject_reply(request, b, uid="nope@else").split(
            b"BEGIN:VEVENT", 1)[1].join([b"BEGIN:VEVENT", b""]).rsplit(
            b"END:VCALENDAR", 1)[0] + b"END:VCALENDAR")
    (bad / "10-half-good.ics").write_bytes(both)
    assert main(["--db", str(db_path), "replies", "import", str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    lines = {line.strip().split(": ", 1)[0].rsplit("/", 1)[-1]: line.split(": ", 1)[1]
             for line in out[1:]}
    assert lines["1-good.ics"].startswith("ACCEPTED: ")
    assert lines["2-text.eml"] == "neither an e-mail message nor an iCalendar file"
    assert lines["3-binary.ics"] == "neither an e-mail message nor an iCalendar file"
    assert lines["4-truncated.ics"].startswith("the calendar is truncated")
    assert lines["5-huge.ics"].startswith("too large (52,428,801 bytes")
    assert lines["6-two-attendees.ics"] == "a REPLY names one attendee; the event names 2"
    assert lines["7-request.ics"].startswith("METHOD:REQUEST is not a reply")
    assert lines["8-unknown-uid.ics"] == "UID nope@else is not one of our events"
    assert lines["9-no-calendar.eml"].startswith("an e-mail message without a calendar")
    assert "UID nope@else is not one of our events" in lines["10-half-good.ics"]
    assert out[0] == "Recorded 1 reply from 10 files; 9 not counted."
    answers = {x.email: x.partstat for x in demo_services.replies.answers(VISIT)
               if x.event_ref == "e17"}
    assert (answers[a], answers[b]) == ("ACCEPTED", "NEEDS-ACTION")  # nothing half applied
    assert len(demo_services.audit.list("invite_reply")) == 1


def test_received_times_and_the_order_of_answers(demo_services, invites, tmp_path) -> None:
    invites.write_messages(VISIT, tmp_path / "out", now=NOW)
    requests = _requests(tmp_path / "out", "e17")
    a, (request, _msg) = next(iter(requests.items()))
    early, late = datetime(2027, 2, 2, 8, tzinfo=UTC), datetime(2027, 2, 3, 8, tzinfo=UTC)
    (tmp_path / "late.eml").write_bytes(reply_email(
        vobject_reply(request, a, "DECLINED", stamp=late), a, "p@x.y", date=late))
    (tmp_path / "early.eml").write_bytes(reply_email(
        vobject_reply(request, a, "ACCEPTED", stamp=early), a, "p@x.y", date=early))
    demo_services.replies.import_paths([tmp_path / "late.eml", tmp_path / "early.eml"])
    (answer,) = [x for x in demo_services.replies.answers(VISIT) if x.email == a
                 and x.event_ref == "e17"]
    assert (answer.partstat, answer.answered_at) == ("DECLINED", late)  # the latest wins
