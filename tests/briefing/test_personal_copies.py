"""Guests' books and personal copies, read back with pypdf: what guests may not see
(hosts-only events, bilaterals of other delegations, other guests' phones and diets)
is absent; the owner's own details are present.  Through the command line."""

from __future__ import annotations

from datetime import UTC, date, datetime
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
    # a one-day visit's dates are one date, not "4 November 2027 to 4 November 2027"
    assert "Thursday 4 November 2027 (1 day)" in text and " to Thursday 4 November" not in text
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


def test_a_personal_copy_for_each_guest_principal_through_the_service(reception,
                                                                      tmp_path) -> None:
    from protocol_app.briefing.service import guest_principals

    steps: list[tuple[int, int]] = []
    copies = reception.editions.publish_personal_copies(
        RECEPTION, tmp_path / "copies", progress=lambda d, t, _x: steps.append((d, t)))
    visit = reception.visits.get(RECEPTION)
    principals = guest_principals(visit.participants)
    assert [c.person_id for c in copies] == [p.person_id for p in principals]
    assert {p.role for p in principals} <= {"head", "member"} and len(copies) > 3
    assert sorted(p.name for p in (tmp_path / "copies").iterdir()) == sorted(
        c.path.name for c in copies)
    assert all(d <= t for d, t in steps) and steps[-1][0] == steps[-1][1]
    assert [s[0] for s in steps] == sorted(s[0] for s in steps)  # one scale, forward only
    phones = _phones_and_diets(reception)
    for copy in copies:
        text = _text(copy.path)
        assert "PERSONAL COPY OF" in text and "Host briefing" not in text
        own = phones[copy.ref][0]
        assert not own or own in text, copy.ref
        for ref, (phone, diet) in phones.items():
            if ref != copy.ref:
                assert not phone or phone not in text, (copy.ref, ref)
                assert not diet or diet[:20] not in text, (copy.ref, ref)
        assert (BILATERAL in text) == (copy.ref in ("jo-ambassador", "au-president")), copy.ref
        assert copy.edition is not None and copy.edition.number == 1, copy.ref
        assert (copy.edition.kind, copy.edition.series) == (
            "personal_copy", f"personal/{copy.person_id}")
        assert "Edition 1" in text
    # made again in one go: each copy is its person's second edition, with a changes page
    again = reception.editions.publish_personal_copies(RECEPTION, tmp_path / "again")
    assert [c.edition.number for c in again if c.edition] == [2] * len(copies)
    assert "Changes since the last edition" in _text(again[0].path)


def test_each_guest_principal_from_the_command_line(reception, db_path, tmp_path,
                                                    capsys) -> None:
    out = tmp_path / "copies"
    assert main(["--db", str(db_path), "briefing", RECEPTION, "--each-guest-principal",
                 "--out-dir", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    files = sorted(out.iterdir())
    assert len(lines) == len(files) > 3
    assert all(line.endswith(", edition 1.") for line in lines), lines
    recorded = reception.editions.list(RECEPTION, kind="personal_copy")
    assert sorted(Path(e.path).name for e in recorded) == sorted(f.name for f in files)
    jordan = next(p for p in reception.visits.get(RECEPTION).participants
                  if p.ref == "jo-ambassador")
    mine = out / f"{jordan.person.display_name}.pdf"
    assert mine in files and "al-Khatib" in mine.name
    text = _text(mine)
    assert jordan.person.phone in text and BILATERAL in text and "Halal" in text
    others = [f for f in files if f != mine]
    assert all(jordan.person.phone not in _text(f) for f in others)


def test_each_guest_principal_usage_and_a_visit_without_guests(reception, db_path, tmp_path,
                                                               capsys) -> None:
    base = ["--db", str(db_path), "briefing", RECEPTION]
    out = tmp_path / "copies"
    assert main([*base, "--each-guest-principal", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "--out-dir" in capsys.readouterr().err
    assert main([*base, "--each-guest-principal", "--audience", "host",
                 "--out-dir", str(out)]) == 2
    assert main([*base, "--out-dir", str(out)]) == 2
    assert "--each-guest-principal" in capsys.readouterr().err
    assert main(base) == 2
    assert "--out FILE.pdf is required" in capsys.readouterr().err
    assert not out.exists()
    empty = reception.visits.create(title="A visit with no guests yet",
                                    start_date=date(2027, 5, 1), end_date=date(2027, 5, 2),
                                    timezone="America/New_York", country="US")
    assert main(["--db", str(db_path), "briefing", empty.public_id, "--each-guest-principal",
                 "--out-dir", str(out)]) == 1
    assert "no guest principal" in capsys.readouterr().err
    assert not out.exists()


def test_personal_copy_file_names_are_safe_and_distinct(reception) -> None:
    import dataclasses

    from protocol_app.briefing.service import guest_principals, personal_copy_names

    principals = guest_principals(reception.visits.get(RECEPTION).participants)[:3]
    first = principals[0]
    twin = dataclasses.replace(principals[1], person=dataclasses.replace(
        principals[1].person, given_name=first.person.given_name.upper(),
        family_name=first.person.family_name.upper(), name_order=first.person.name_order))
    odd = dataclasses.replace(principals[2], person=dataclasses.replace(
        principals[2].person, given_name="A/B: C*?", family_name="CON"))
    names = personal_copy_names([first, twin, odd])
    assert names[first.person_id] == f"{first.person.display_name}.pdf"
    assert names[twin.person_id].endswith(" (2).pdf")  # the same name, but for case
    assert not set('<>:"/\\|?*') & set(names[odd.person_id])
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


def _segment(text: str, start: str, end: str) -> str:
    """The text from the first ``start`` (case-blind) to the next ``end`` after it."""
    lower = text.casefold()
    begin = lower.index(start.casefold())
    return text[begin:lower.index(end.casefold(), begin + len(start))]


def test_each_ambassador_is_told_only_their_own_head_of_delegation(reception,
                                                                   tmp_path) -> None:
    """A diplomatic corps is nine delegations: an ambassador's copy never names another
    ambassador as head of delegation (the cover, the visit at a glance, the lists and
    the profiles); a guests' book for all of them names no single head."""
    import re
    import unicodedata

    def norm(text: str) -> str:
        return unicodedata.normalize("NFKC", text).casefold()

    def places(name: str, text: str) -> list[int]:
        return [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]

    visit = reception.visits.get(RECEPTION)
    families = {p.person_id: norm(p.person.family_name) for p in visit.participants
                if p.side == "guest"}
    label = "head of delegation"
    copies = reception.editions.publish_personal_copies(RECEPTION, tmp_path / "copies")
    assert len(copies) == len(families)
    for copy in copies:
        pages = [norm(page.extract_text() or "") for page in PdfReader(copy.path).pages]
        own = families[copy.person_id]
        others = [name for pid, name in families.items() if pid != copy.person_id]
        overview = next(p for p in pages if "the visit at a glance" in p and "purpose" in p)
        for where in (pages[0], overview):
            named = _segment(where, label, "host")
            assert places(own, named) and not [o for o in others if places(o, named)], (
                copy.ref, named)
        raw = [unicodedata.normalize("NFKC", page.extract_text() or "")
               for page in PdfReader(copy.path).pages]
        for page in raw:
            # a heading ("HEAD OF DELEGATION" on the cover, the overview, a profile) names
            # the person after it; a list's role cell ends the row of the person before it
            for wording, look_after in (("HEAD OF DELEGATION", True),
                                        ("Head of delegation", False)):
                at = page.find(wording)
                while at >= 0:
                    text = norm(page[at:at + 200] if look_after else page[:at])
                    found = [(places(n, text)[0] if look_after else -places(n, text)[-1], n)
                             for n in families.values() if places(n, text)]
                    assert found and min(found)[1] == own, (copy.ref, page[at - 200:at + 60])
                    at = page.find(wording, at + 1)
    guests_book = tmp_path / "guests.pdf"
    reception.editions.publish_book(RECEPTION, "guest", guests_book)
    cover = norm(PdfReader(guests_book).pages[0].extract_text())
    assert label not in cover and "delegation of the united states" not in cover


def test_the_guests_book_for_a_whole_corps_names_no_head_anywhere(demo_services,
                                                                  tmp_path) -> None:
    """Not on the cover only: the lists, the profiles and the contacts of the guests' book
    for all of them call nobody "Head of delegation" (nor the others "Member"); each
    guest is named by their own delegation, as in the personal copies."""
    guests_book = tmp_path / "guests.pdf"
    demo_services.editions.publish_book(RECEPTION, "guest", guests_book)
    text = " ".join(" ".join((p.extract_text() or "").split())
                    for p in PdfReader(guests_book).pages)
    assert "head of delegation" not in text.casefold()
    assert "Delegation of Portugal" in text and "Delegation of Israel" in text
    hosts_book = tmp_path / "hosts.pdf"
    demo_services.editions.publish_book(RECEPTION, "host", hosts_book)
    assert "Head of delegation" in _text(hosts_book)  # the head the visit records


def test_no_book_of_the_reception_has_a_blank_page(demo_services, tmp_path) -> None:
    """The itinerary of the reception fills its page: the next section starts on the
    next page, with no empty page (running header and footer only) between."""
    books: list[Path] = []
    for paper in ("Letter", "A4"):
        books.append(tmp_path / f"guests-{paper}.pdf")
        demo_services.editions.publish_book(RECEPTION, "guest", books[-1], paper)
        copies = demo_services.editions.publish_personal_copies(
            RECEPTION, tmp_path / f"copies-{paper}", paper)
        books += [Path(c.path) for c in copies]
    for book in books:
        for number, page in enumerate(PdfReader(book).pages, start=1):
            lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
            assert len(lines) > 4, (book.name, number, lines)


@pytest.mark.parametrize("visit_ref", [RECEPTION, "vn-moet-minister-2027"])
def test_the_guests_book_keeps_the_hosts_diets_and_private_contacts_to_the_hosts(
        demo_services, db_path, tmp_path, capsys, visit_ref) -> None:
    """A dean's severe allergy and the President's phone are the hosts' business: the
    guests' book shows no host's dietary needs, and the phone and e-mail only of the
    hosts on duty for its events (escorts, protocol staff); the hosts' book keeps all."""
    from protocol_app.services.audience import audience_view, host_contacts

    visit = demo_services.visits.get(visit_ref)
    hosts = {p.person_id: p.person for p in visit.participants if p.side == "host"}
    on_duty = host_contacts(visit, audience_view(visit, "guest").events)
    assert on_duty and set(hosts) - on_duty, "the demo must have both kinds of host"
    books = {}
    for audience in ("guest", "host"):
        books[audience] = _text(tmp_path / f"{audience}.pdf") if main([
            "--db", str(db_path), "briefing", visit_ref, "--audience", audience,
            "--out", str(tmp_path / f"{audience}.pdf")]) == 0 else ""
    allergy = "Tree-nut allergy"
    assert allergy in books["host"] and allergy not in books["guest"]
    for person_id, person in hosts.items():
        for contact in (person.phone, person.email):
            if contact and person_id in on_duty:
                assert contact in books["guest"], person.family_name
            elif contact:
                assert contact not in books["guest"], person.family_name
