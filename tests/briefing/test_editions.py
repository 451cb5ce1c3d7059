"""Editions through the services and the command line: a chain of guests' books with
moves, cancellations, people added and removed, and a change guests may not see; what
to reprint; changes since a date from the audit trail.  Books read back with pypdf."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.support.helpers import run_cli, run_sql


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=UTC)


def _text(path: Path, pages: slice = slice(None)) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages[pages])


@pytest.fixture
def programme(world):
    """The world's visit with a dinner, a lecture, a hosts-only briefing and a tour."""
    s, w = world.services, world
    everyone = (w.guest_id, w.member_id, w.host_id)
    dinner = s.events.create(w.visit_id, title="State dinner", kind="meal",
                             start=_at(13, 23), end=_at(14, 1), venue_name="Founders Hall",
                             venue_room="Oak Room", host_person_id=w.host_id,
                             attendee_ids=everyone, dress_code="Black tie", status="confirmed")
    lecture = s.events.create(w.visit_id, title="Public lecture", kind="ceremony",
                              start=_at(14, 15), end=_at(14, 16), venue_name="Kessler Hall",
                              attendee_ids=everyone, status="confirmed")
    briefing = s.events.create(w.visit_id, title="Hosts' security briefing", kind="meeting",
                               start=_at(13, 14), end=_at(13, 15), venue_name="Room 101",
                               attendee_ids=(w.host_id,), visibility="hosts",
                               status="confirmed")
    tour = s.events.create(w.visit_id, title="Campus tour", kind="tour", start=_at(15, 14),
                           end=_at(15, 15), attendee_ids=everyone, status="confirmed")
    return {"dinner": dinner, "lecture": lecture, "briefing": briefing, "tour": tour}


def _change_the_programme(world, programme) -> None:
    """Moves, a cancellation, a deletion, an addition, people in and out, a new host and
    dress code, and changes guests may not see (a hosts-only event, internal notes)."""
    s, w = world.services, world
    dinner = programme["dinner"]
    dinner = s.events.move(dinner.id, dinner.version, _at(13, 23, 30))
    s.events.update(dinner.id, dinner.version, venue_room="Great Hall", dress_code="Lounge suit",
                    host_person_id=w.guest_id, internal_notes="Sniffer dogs at 18:00")
    s.events.cancel(programme["lecture"].id, programme["lecture"].version)
    s.events.delete(programme["tour"].id)
    secret = programme["briefing"]
    s.events.update(secret.id, secret.version, venue_room="Bunker B", start=_at(13, 13),
                    end=_at(13, 14))
    s.events.create(w.visit_id, title="Farewell lunch", kind="meal", start=_at(16, 16),
                    end=_at(16, 17), attendee_ids=(w.guest_id, w.host_id), status="confirmed")
    visit = s.visits.get(w.visit_id)
    s.visits.add_participant(w.visit_id, w.outsider_id, "guest", "member", visit.version)
    s.visits.remove_participant(w.visit_id, w.member_id)


def _hows(changes) -> set[tuple[str, str]]:
    return {(c["name"], c["change"]) for c in changes}


def test_a_chain_of_guests_books(world, programme, db_path, tmp_path, capsys) -> None:
    db = str(db_path)
    first = tmp_path / "guest-1.pdf"
    code, out, _ = run_cli(capsys, "--db", db, "briefing", str(world.visit_id), "--audience",
                           "guest", "--out", str(first))
    assert code == 0 and "edition 1" in out
    assert "Changes since the last edition" not in _text(first)  # a first edition has none
    assert "Edition 1 — " in _text(first, slice(0, 1))
    _change_the_programme(world, programme)

    code, out, _ = run_cli(capsys, "--db", db, "changes", str(world.visit_id), "--audience",
                           "guest", "--json")
    assert code == 0
    changes = json.loads(out)
    assert _hows(changes) == {
        ("State dinner", "moved"), ("State dinner", "room"), ("State dinner", "host"),
        ("State dinner", "dress_code"), ("State dinner", "attendees"),
        ("Public lecture", "cancelled"), ("Campus tour", "cancelled"),
        ("Farewell lunch", "added"), ("Olga Outsider", "added"), ("Yui Sato", "removed"),
    }
    moved = next(c for c in changes if c["change"] == "moved")
    assert (moved["old"], moved["new"]) == ("Sat 13 Mar 18:00", "Sat 13 Mar 18:30")
    dress = next(c for c in changes if c["change"] == "dress_code")
    assert (dress["old"], dress["new"]) == ("Black tie", "Lounge suit")
    assert set(changes[0]) == {"subject", "name", "ref", "id", "change", "old", "new", "text"}
    # nothing guests may not see: the hosts-only briefing, the internal notes
    raw = out
    assert "security briefing" not in raw and "Bunker" not in raw and "Sniffer" not in raw

    internal = json.loads(run_cli(capsys, "--db", db, "changes", str(world.visit_id),
                                  "--json")[1])
    assert internal == []  # no internal edition yet: nothing to compare with
    assert "No earlier edition" in run_cli(capsys, "--db", db, "changes",
                                           str(world.visit_id))[1]

    second = tmp_path / "guest-2.pdf"
    code, out, _ = run_cli(capsys, "--db", db, "briefing", str(world.visit_id), "--audience",
                           "guest", "--out", str(second))
    assert code == 0 and "edition 2" in out
    page = _text(second, slice(1, 2))
    assert "Changes since the last edition" in page and "Since Edition 1" in page
    for words in ("State dinner", "Moved", "Great Hall", "Lounge suit", "Campus tour",
                  "Cancelled", "Farewell lunch", "Olga Outsider", "No longer takes part"):
        assert words in page, words
    whole = _text(second)
    assert "Bunker" not in whole and "Sniffer" not in whole
    assert "Edition 2 — " in _text(second, slice(0, 1))  # the cover and the footer
    assert all("Edition 2 — " in (p.extract_text() or "") for p in PdfReader(second).pages)

    # edition 1 is still the baseline when asked for; edition 2 has nothing new
    since_one = json.loads(run_cli(capsys, "--db", db, "changes", str(world.visit_id),
                                   "--audience", "guest", "--since-edition", "1",
                                   "--json")[1])
    assert _hows(since_one) == _hows(changes)
    assert json.loads(run_cli(capsys, "--db", db, "changes", str(world.visit_id),
                              "--audience", "guest", "--json")[1]) == []
    code, _, err = run_cli(capsys, "--db", db, "changes", str(world.visit_id), "--audience",
                           "guest", "--since-edition", "7")
    assert code == 1 and "no edition 7" in err and "editions: 1, 2" in err

    editions = world.services.editions.list(world.visit_id)
    assert [(e.series, e.number) for e in editions] == [("book/guest", 1), ("book/guest", 2)]
    import hashlib

    assert editions[1].sha256 == hashlib.sha256(second.read_bytes()).hexdigest()
    assert editions[1].visit_version == world.services.visits.get(world.visit_id).version


def test_a_preview_is_no_edition(world, programme, tmp_path) -> None:
    s = world.services
    s.briefing.build(world.visit_id, "guest", tmp_path / "preview.pdf")
    assert s.editions.list(world.visit_id) == []


def test_numbers_per_audience_and_per_person(world, programme, tmp_path) -> None:
    s = world.services
    s.editions.publish_book(world.visit_id, "internal", tmp_path / "i1.pdf")
    s.editions.publish_book(world.visit_id, "guest", tmp_path / "g1.pdf")
    s.editions.publish_book(world.visit_id, "guest", tmp_path / "g2.pdf")
    s.editions.publish_book(world.visit_id, "guest", tmp_path / "p1.pdf",
                            person=world.guest_id)
    _result, record = s.editions.publish_book(world.visit_id, "internal", tmp_path / "i2.pdf")
    assert record.number == 2 and record.series == "book/internal"
    numbers = [(e.series, e.number) for e in s.editions.list(world.visit_id)]
    assert numbers == [("book/internal", 1), ("book/guest", 1), ("book/guest", 2),
                       (f"personal/{world.guest_id}", 1), ("book/internal", 2)]


def test_an_edition_without_a_snapshot_has_nothing_to_compare_with(world, programme, db_path,
                                                                   tmp_path, capsys) -> None:
    s = world.services
    s.editions.publish_book(world.visit_id, "host", tmp_path / "h1.pdf")
    run_sql(db_path, "UPDATE editions SET snapshot = NULL")  # as an older version left it
    s.events.cancel(programme["dinner"].id, None)
    code, out, _ = run_cli(capsys, "--db", str(db_path), "changes", str(world.visit_id),
                           "--audience", "host")
    assert code == 0 and out.strip() == "No earlier edition to compare with."
    second = tmp_path / "h2.pdf"
    s.editions.publish_book(world.visit_id, "host", second)
    page = _text(second, slice(1, 2))
    assert "No earlier edition to compare with" in page


def test_changes_since_a_date_from_the_audit_trail(world, programme, capsys, db_path) -> None:
    before = datetime.now(UTC) - timedelta(milliseconds=1)
    _change_the_programme(world, programme)
    report = world.services.editions.changes(world.visit_id, audience="guest", since=before)
    assert report.comparable
    found = {(c.name, c.how) for c in report.changes}
    assert {("State dinner", "moved"), ("State dinner", "room"), ("State dinner", "host"),
            ("Public lecture", "cancelled"), ("Campus tour", "cancelled"),
            ("Farewell lunch", "added"), ("Olga Outsider", "added"),
            ("Yui Sato", "removed")} <= found
    assert not any("briefing" in c.name or "Bunker" in c.text for c in report.changes)
    internal = world.services.editions.changes(world.visit_id, since=before)
    assert ("Hosts' security briefing", "moved") in {(c.name, c.how) for c in internal.changes}
    # a date before the visit existed: everything is new
    code, out, _ = run_cli(capsys, "--db", str(db_path), "changes", str(world.visit_id),
                           "--since", "2020-01-01", "--json")
    assert code == 0 and ("Farewell lunch", "added") in _hows(json.loads(out))
    code, _, err = run_cli(capsys, "--db", str(db_path), "changes", str(world.visit_id),
                           "--since", "yesterday")
    assert code == 1 and "--since: 'yesterday' is not a date" in err


def test_what_to_reprint_and_reprinting_only_that(world, programme, db_path, tmp_path,
                                                  capsys) -> None:
    s, db = world.services, str(db_path)
    dinner = programme["dinner"]
    s.seating.plan_seating(world.visit_id, dinner.id)
    cards = tmp_path / "cards.pdf"
    code, _, _ = run_cli(capsys, "--db", db, "seating", str(world.visit_id), dinner.ref,
                         "--pdf", str(cards))
    assert code == 0
    s.editions.publish_book(world.visit_id, "guest", tmp_path / "p.pdf", person=world.guest_id)
    s.editions.publish_book(world.visit_id, "guest", tmp_path / "m.pdf",
                            person=world.member_id)
    kinds = sorted(e.kind for e in s.editions.list(world.visit_id))
    assert kinds == ["badges", "personal_copy", "personal_copy", "place_cards"]
    assert json.loads(run_cli(capsys, "--db", db, "reprint", str(world.visit_id),
                              "--json")[1]) == []

    host = s.people.get(world.host_id)
    s.people.update(world.host_id, host.version, honorific="Dr.")  # the host's cards
    lecture = programme["lecture"]  # the programme of Sato (a member), not in the cards
    s.events.update(lecture.id, lecture.version, attendee_ids=(world.guest_id, world.host_id))
    items = json.loads(run_cli(capsys, "--db", db, "reprint", str(world.visit_id),
                               "--json")[1])
    by_kind = {(i["kind"], i["person_id"]): i for i in items}
    assert by_kind[("place_cards", None)]["person_ids"] == [world.host_id]
    assert by_kind[("badges", None)]["person_ids"] == [world.host_id]
    assert ("personal_copy", world.member_id) in by_kind
    assert ("personal_copy", world.guest_id) in by_kind  # the lecture lost Sato: both see it

    out_dir = tmp_path / "reprint"
    code, out, _ = run_cli(capsys, "--db", db, "reprint", str(world.visit_id), "--out",
                           str(out_dir))
    assert code == 0 and out.count("Wrote") == 4
    card_file = next(out_dir.glob("*place_cards*.pdf"))
    text = _text(card_file).lower()
    assert "mercer" in text and "tanaka" not in text and "sato" not in text  # the host's only
    assert json.loads(run_cli(capsys, "--db", db, "reprint", str(world.visit_id),
                              "--json")[1]) == []
    numbers = {(e.series, e.number) for e in s.editions.list(world.visit_id)}
    assert (f"place_cards/{dinner.id}", 2) in numbers


def test_invitation_cards_are_recorded_in_one_call(world, programme, tmp_path) -> None:
    s = world.services
    card = tmp_path / "invitation.pdf"
    card.write_bytes(b"%PDF-1.4 an invitation card")
    record = s.editions.record(world.visit_id, kind="invitation_cards", audience="guest",
                               person=world.guest_id, path=card, paper="A5")
    assert (record.number, record.series) == (1, f"invitation_cards/guest/p{world.guest_id}")
    assert record.sha256 and record.paper == "A5"
    assert record.made_by == s.actor  # the database login on a server
    dinner = programme["dinner"]
    s.events.move(dinner.id, dinner.version, _at(13, 22))
    stale = s.editions.out_of_date(world.visit_id)
    assert [(i.edition.kind, i.reprintable) for i in stale] == [("invitation_cards", False)]
    assert "State dinner moved" in stale[0].reason
