"""Guests' books and personal copies, read back with pypdf: what guests may not see
(hosts-only events, bilaterals of other delegations, other guests' phones and diets)
is absent; the owner's own details are present.  Through the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from protocol_app.cli import main

RECEPTION = "diplomatic-corps-reception-2027"
BILATERAL = "Bilateral with the Ambassador of Jordan"


def _text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def _phones_and_diets(services) -> dict[str, tuple[str, str]]:
    visit = services.visits.get(RECEPTION)
    return {p.ref: (p.person.phone, p.person.dietary if len(p.person.dietary) > 6 else "")
            for p in visit.participants if p.side == "guest"}  # "None" is no diet


@pytest.fixture
def reception(demo_services):
    """The demo reception with a bilateral between the President and Jordan."""
    visit = demo_services.visits.get(RECEPTION)
    ids = {p.ref: p.person_id for p in visit.participants}
    demo_services.events.create(
        RECEPTION, title=BILATERAL, kind="meeting",
        start=datetime(2027, 11, 5, 1, 0, tzinfo=UTC), end=datetime(2027, 11, 5, 1, 30,
                                                                    tzinfo=UTC),
        attendee_ids=(ids["jo-ambassador"], ids["au-president"]))
    return demo_services


def test_the_guests_book_of_a_diplomatic_corps(reception, db_path, tmp_path, capsys) -> None:
    out = tmp_path / "guest.pdf"
    assert main(["--db", str(db_path), "briefing", RECEPTION, "--audience", "guest",
                 "--out", str(out)]) == 0
    text = _text(out)
    assert "Reception for the Diplomatic Corps" in text
    assert "Host briefing" not in text and BILATERAL not in text
    for ref, (phone, diet) in _phones_and_diets(reception).items():
        assert not phone or phone not in text, ref
        assert not diet or diet[:20] not in text, ref


def test_a_personal_copy_holds_its_owners_programme_only(reception, db_path, tmp_path,
                                                        capsys) -> None:
    phones = _phones_and_diets(reception)
    jordan, portugal = tmp_path / "jo.pdf", tmp_path / "pt.pdf"
    assert main(["--db", str(db_path), "briefing", RECEPTION, "--audience", "guest",
                 "--person", "jo-ambassador", "--out", str(jordan)]) == 0
    text = _text(jordan)
    assert "PERSONAL COPY OF" in text and "al-KHATIB" in text
    assert BILATERAL in text and "Host briefing" not in text
    assert "Preview tour" not in text  # other delegations' tour
    assert phones["jo-ambassador"][0] in text and "Halal" in text
    for ref, (phone, diet) in phones.items():
        if ref != "jo-ambassador":
            assert not phone or phone not in text, ref
            assert not diet or diet[:20] not in text, ref
    # another ambassador's copy has neither the bilateral nor Jordan's details; the
    # person's number is accepted too
    number = next(p.person_id for p in reception.visits.get(RECEPTION).participants
                  if p.ref == "pt-ambassador")
    assert main(["--db", str(db_path), "briefing", RECEPTION, "--audience", "guest",
                 "--person", str(number), "--out", str(portugal)]) == 0
    text = _text(portugal)
    assert BILATERAL not in text and phones["jo-ambassador"][0] not in text
    assert "Halal" not in text and phones["pt-ambassador"][0] in text


def test_a_personal_copy_needs_the_guest_audience_and_a_participant(reception, db_path,
                                                                   tmp_path, capsys) -> None:
    out = tmp_path / "x.pdf"
    assert main(["--db", str(db_path), "briefing", RECEPTION, "--audience", "host",
                 "--person", "jo-ambassador", "--out", str(out)]) == 2
    assert "--audience guest" in capsys.readouterr().err
    assert main(["--db", str(db_path), "briefing", RECEPTION, "--audience", "guest",
                 "--person", "nobody", "--out", str(out)]) == 1
    assert "'nobody'" in capsys.readouterr().err
    assert not out.exists()


def test_a_personal_copy_keeps_the_host_escorts_contact_only(reception, db_path, tmp_path,
                                                              capsys) -> None:
    """The escort and protocol staff on duty at the guest's own events keep their phone
    and e-mail; other hosts and every other guest keep names and positions only."""
    from protocol_app.services.audience import audience_view, host_contacts

    visit = reception.visits.get(RECEPTION)
    people = {p.ref: p.person for p in visit.participants}
    out = tmp_path / "jo.pdf"
    assert main(["--db", str(db_path), "briefing", RECEPTION, "--audience", "guest",
                 "--person", "jo-ambassador", "--out", str(out)]) == 0
    text = _text(out)
    escort = people["au-protocol-officer"]
    assert escort.phone in text and escort.email in text
    for ref in ("au-president", "au-provost", "pt-ambassador", "gr-ambassador"):
        assert people[ref].phone not in text, ref
        assert people[ref].email not in text, ref
    # the rule itself: on duty at one of the copy's events, on the host side
    jordan = next(p.person_id for p in visit.participants if p.ref == "jo-ambassador")
    copy = audience_view(visit, "guest", jordan)
    assert host_contacts(visit, copy.events) == {people["au-protocol-officer"].id,
                                                 people["au-protocol-chief"].id}
    kept = {p.ref: p.person for p in copy.participants}
    assert kept["au-protocol-officer"].phone == escort.phone
    assert kept["au-protocol-officer"].dietary == ""  # contact only, nothing else
    assert kept["au-president"].phone == "" and kept["pt-ambassador"].phone == ""
    # an escort attending none of the guest's events keeps nothing
    assert host_contacts(visit, ()) == set()
