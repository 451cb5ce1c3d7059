"""Replies: importing 1,000 replies (``.ics`` files in a folder) for a 500-event visit,
against icalendar alone reading and parsing the same files, measured in the same run.

The database is a real SQLite file: a 500-event visit (four attendees each) whose
invitations are in the ledger.  Each round imports into a fresh copy of it (the copy is
not timed): reading the files, parsing, deciding which replies count, and recording
them with their audit entries in one transaction.  The issue's target is ≤ 2 s; the
ratio to the parsing alone shows what the rules and the database add.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar

from benchmarks.bench_import import package
from protocol_app.config import Settings
from protocol_app.db.database import Database
from protocol_app.invites.reply_service import ReplyService
from protocol_app.records.models import Event, InviteLedgerEntry
from protocol_app.services import Services

TARGET_SECONDS = 2.0
TARGET_RATIO = 4.0
EVENTS, REPLIES = 500, 1000
ANSWERS = ("ACCEPTED", "DECLINED", "TENTATIVE")


def _database(folder: Path) -> tuple[Path, list[tuple[str, str, int]]]:
    """The visit with its invitations sent; (uid, attendee, sequence) of each sent."""
    path = folder / "replies.sqlite3"
    services = Services.open(path, actor="bench")
    doc = package(EVENTS)
    services.packages.import_bytes(json.dumps(doc).encode())
    sent: list[tuple[str, str, int]] = []
    moment = datetime(2027, 4, 1, 9, 0)
    with services.db.session() as session:
        visit = services.visits.get(doc["visit"]["id"])
        emails = {p.person_id: p.person.email.lower() for p in visit.participants}
        events = {e.id: e for e in session.query(Event).filter(Event.visit_id == visit.id)}
        rows = []
        for record in visit.events:
            for pid in record.attendee_ids:
                rows.append(InviteLedgerEntry(
                    event_id=record.id, uid=events[record.id].uid, person_id=pid,
                    attendee_email=emails[pid], attendee_name=f"Person {pid}",
                    method="REQUEST", kind="new", sequence=0, content_hash="x",
                    snapshot="{}", sent_at=moment, message_id="", channel="file",
                    actor="bench"))
                sent.append((events[record.id].uid, emails[pid], 0))
        session.add_all(rows)
    services.db.dispose()
    return path, sent


def _replies(folder: Path, sent: list[tuple[str, str, int]]) -> Path:
    """1,000 REPLY files built with icalendar (not our writer)."""
    inbox = folder / "inbox"
    inbox.mkdir()
    stamp = datetime(2027, 4, 2, 9, 0, tzinfo=UTC)
    for n, (uid, email, sequence) in enumerate(sent[:REPLIES]):
        cal = icalendar.Calendar()
        cal.add("prodid", "-//bench//EN")
        cal.add("version", "2.0")
        cal.add("method", "REPLY")
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("sequence", sequence)
        event.add("dtstamp", stamp + timedelta(seconds=n))
        event.add("dtstart", stamp)
        event.add("organizer", icalendar.vCalAddress("mailto:protocol@example.edu"))
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        attendee.params["PARTSTAT"] = ANSWERS[n % 3]
        event.add("attendee", attendee)
        cal.add_component(event)
        (inbox / f"reply-{n:04d}.ics").write_bytes(cal.to_ical())
    return inbox


def run(rounds: int = 5) -> list[dict]:
    """Measure the import; rows for ``python -m benchmarks``."""
    folder = Path(tempfile.mkdtemp(prefix="pd-bench-replies-"))
    try:
        source, sent = _database(folder)
        assert len(sent) >= REPLIES
        inbox = _replies(folder, sent)
        files = sorted(inbox.glob("*.ics"))
        ours, base = [], []
        for n in range(rounds):
            copy = folder / f"round{n}.sqlite3"
            shutil.copyfile(source, copy)
            db = Database.open(copy)
            service = ReplyService(db, "bench", Settings())
            t = time.perf_counter()
            report = service.import_paths([inbox])
            ours.append(time.perf_counter() - t)
            db.dispose()
            assert len(report.recorded) == REPLIES and report.ok, report.lines()[:3]
            t = time.perf_counter()
            for path in files:
                icalendar.Calendar.from_ical(path.read_bytes())
            base.append(time.perf_counter() - t)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    mine, alone = statistics.median(ours), statistics.median(base)
    ratio = mine / alone
    label = f"replies import, {REPLIES} replies, {EVENTS} events"
    print(f"  {label}: {mine:.2f} s (target ≤ {TARGET_SECONDS} s); icalendar reading the "
          f"same files {alone:.2f} s; ratio {ratio:.2f}× (target ≤ {TARGET_RATIO}×)")
    return [
        {"name": label, "value": mine, "unit": "s", "target": f"≤ {TARGET_SECONDS} s",
         "ok": mine <= TARGET_SECONDS},
        {"name": f"{label}: icalendar parsing alone", "value": alone, "unit": "s",
         "target": "baseline", "ok": True},
        {"name": f"{label}: ours / icalendar", "value": ratio, "unit": "×",
         "target": f"≤ {TARGET_RATIO}×", "ok": ratio <= TARGET_RATIO},
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
