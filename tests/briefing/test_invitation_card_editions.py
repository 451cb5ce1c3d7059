"""Invitation-card sets are editions: numbered per event (one guest's card alone per
person), with a snapshot of what each card prints; after a guest's form of address
changes only their card is out of date and ``reprint`` prints only it.  Through the
service and the command line; cards read back with pypdf."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from protocol_app.cli import main
from protocol_app.errors import ValidationError
from tests.support.demo_refs import MINISTERIAL, person_id

MINISTER = "Võ Thanh Tùng"
AMBASSADOR = "Đỗ Quang Huy"


def _text(path: Path) -> str:
    return " ".join(unicodedata.normalize("NFKC", page.extract_text() or "")
                    for page in PdfReader(str(path)).pages)


def _dinner_id(services) -> int:
    return next(e.id for e in services.events.list(MINISTERIAL) if e.ref == "e17")


def test_card_sets_are_numbered_per_event_and_per_guest_reprinted(demo_services,
                                                                tmp_path: Path) -> None:
    s = demo_services
    dinner = _dinner_id(s)
    first, record = s.editions.publish_invitation_cards(MINISTERIAL, "e17", tmp_path / "a.pdf")
    assert record is not None and first.cards == 5
    assert (record.kind, record.series, record.number, record.event_id, record.person_id) == (
        "invitation_cards", f"invitation_cards/guest/e{dinner}", 1, dinner, None)
    assert record.sha256 and Path(record.path) == (tmp_path / "a.pdf").resolve()
    _result, second = s.editions.publish_invitation_cards(MINISTERIAL, "e17",
                                                          tmp_path / "b.pdf", paper="Letter")
    assert second is not None and (second.number, second.paper) == (2, "Letter")
    # one guest's card alone is that guest's own series, numbered from 1
    minister = person_id(s, MINISTERIAL, MINISTER)
    _result, one = s.editions.publish_invitation_cards(MINISTERIAL, "e17", tmp_path / "c.pdf",
                                                       guests=(str(minister),))
    assert one is not None and (one.series, one.number, one.person_id) == (
        f"invitation_cards/guest/p{minister}/e{dinner}", 1, minister)
    # another event's cards are numbered on their own; nothing is out of date yet
    assert [e.number for e in s.editions.list(MINISTERIAL, kind="invitation_cards")] == [
        1, 2, 1]
    assert s.editions.out_of_date(MINISTERIAL) == []


def test_a_preview_and_a_refused_event_record_nothing(demo_services, tmp_path: Path) -> None:
    s = demo_services
    s.briefing.invitation_cards(MINISTERIAL, "e17", tmp_path / "preview.pdf")
    dinner = next(e for e in s.events.list(MINISTERIAL) if e.ref == "e17")
    s.events.cancel(dinner.id, dinner.version)
    with pytest.raises(ValidationError, match="is cancelled"):
        s.editions.publish_invitation_cards(MINISTERIAL, "e17", tmp_path / "x.pdf")
    assert s.editions.list(MINISTERIAL, kind="invitation_cards") == []


def test_a_new_form_of_address_reprints_only_that_guests_card(demo_services, tmp_path: Path
                                                              ) -> None:
    s = demo_services
    s.editions.publish_invitation_cards(MINISTERIAL, "e17", tmp_path / "cards.pdf")
    ambassador = person_id(s, MINISTERIAL, AMBASSADOR)
    s.address.set_address_override(ambassador, "address_block",
                                   "His Excellency Ambassador Đỗ Quang Huy")
    stale = s.editions.out_of_date(MINISTERIAL)
    assert [(i.edition.kind, i.person_ids, i.reprintable) for i in stale] == [
        ("invitation_cards", (ambassador,), True)]
    assert AMBASSADOR in stale[0].reason
    made = s.editions.reprint(MINISTERIAL, tmp_path / "again")
    assert [(e.kind, e.person_id, e.number) for e in made] == [
        ("invitation_cards", ambassador, 1)]
    text = _text(Path(made[0].path))
    assert "His Excellency Ambassador Đỗ Quang Huy" in text
    assert unicodedata.normalize("NFKC", MINISTER) not in text  # only their card
    assert s.editions.out_of_date(MINISTERIAL) == []
    # the event's set printed again is its second edition, and covers every card
    _result, record = s.editions.publish_invitation_cards(MINISTERIAL, "e17",
                                                          tmp_path / "all.pdf")
    assert record is not None and record.number == 2
    s.address.set_address_override(ambassador, "address_block", None)
    stale = s.editions.out_of_date(MINISTERIAL)
    assert [(i.edition.number, i.edition.person_id, i.person_ids) for i in stale] == [
        (2, None, (ambassador,))]  # the older card alone is superseded by the set


def test_some_cards_keep_what_the_others_printed(demo_services, tmp_path: Path) -> None:
    """Two of five cards printed again: the three others stay judged by the first set."""
    s = demo_services
    s.editions.publish_invitation_cards(MINISTERIAL, "e17", tmp_path / "all.pdf")
    minister = person_id(s, MINISTERIAL, MINISTER)
    ambassador = person_id(s, MINISTERIAL, AMBASSADOR)
    dinner = next(e for e in s.events.list(MINISTERIAL) if e.ref == "e17")
    s.events.update(dinner.id, dinner.version, dress_code="Lounge suit")
    _result, record = s.editions.publish_invitation_cards(
        MINISTERIAL, "e17", tmp_path / "two.pdf", guests=(str(minister), str(ambassador)))
    assert record is not None and (record.number, record.person_id) == (2, None)
    stale = s.editions.out_of_date(MINISTERIAL)
    assert len(stale) == 1 and len(stale[0].person_ids) == 3
    assert minister not in stale[0].person_ids and ambassador not in stale[0].person_ids
    made = s.editions.reprint(MINISTERIAL, tmp_path / "rest")
    assert [(e.number, e.person_id) for e in made] == [(3, None)]
    assert _text(Path(made[0].path)).count("Lounge suit") == 3
    assert s.editions.out_of_date(MINISTERIAL) == []


def test_the_cards_command_prints_the_edition_and_reprint_follows(
        demo_services, demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    s = demo_services
    for number in (1, 2):
        out = tmp_path / f"cards-{number}.pdf"
        assert main(["--db", demo_db, "cards", MINISTERIAL, "e17", "--out", str(out)]) == 0
        assert f"Wrote {out}: 5 cards on 3 sheets, edition {number}." in capsys.readouterr().out
    ambassador = person_id(s, MINISTERIAL, AMBASSADOR)
    one = tmp_path / "one.pdf"
    assert main(["--db", demo_db, "cards", MINISTERIAL, "e17", "--out", str(one),
                 "--guest", str(ambassador)]) == 0
    assert f"Wrote {one}: 1 card on 1 sheet, edition 1." in capsys.readouterr().out
    s.address.set_address_override(ambassador, "address_block",
                                   "His Excellency Ambassador Đỗ Quang Huy")
    assert main(["--db", demo_db, "reprint", MINISTERIAL, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["kind"], i["person_id"], i["person_ids"], i["reprintable"]) for i in items] == [
        ("invitation_cards", ambassador, [ambassador], True)]
    out_dir = tmp_path / "reprint"
    assert main(["--db", demo_db, "reprint", MINISTERIAL, "--out", str(out_dir)]) == 0
    written = list(out_dir.iterdir())
    assert len(written) == 1 and "Ambassador Đỗ Quang Huy" in _text(written[0])
    numbers = [(e.person_id, e.number) for e in s.editions.list(MINISTERIAL,
                                                                kind="invitation_cards")]
    assert numbers == [(None, 1), (None, 2), (ambassador, 1), (ambassador, 2)]
