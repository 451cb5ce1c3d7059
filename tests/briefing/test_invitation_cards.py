"""Printed invitation cards and the envelope list: the wording of each card read back
from the PDF (pypdf) in several scripts, who gets a card, the office's own forms of
address, no note on any card, the envelope list as CSV and PDF, the command line and bad
input."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from protocol_app.cli import COMMAND_MODULES, main
from protocol_app.errors import NotFoundError, ValidationError
from tests.support.demo_refs import MINISTERIAL, RECEPTION, RECEPTION_GUESTS, person_id
from tests.support.pdf import embedded_fonts

HOST_LINE = "Dr. Caroline Mercer"
REQUESTS = "requests the pleasure of the company of"


def _pages(path: Path) -> list[str]:
    """Each sheet's text, NFKC-normalised (Arabic comes out as presentation forms), one
    space between words."""
    reader = PdfReader(str(path))
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
            for page in reader.pages]


def _nfkc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_command_is_registered() -> None:
    assert "protocol_app.briefing.card_commands" in COMMAND_MODULES


def test_state_dinner_cards_read_back_card_by_card(demo_services, tmp_path: Path) -> None:
    out = tmp_path / "cards.pdf"
    result = demo_services.briefing.invitation_cards(MINISTERIAL, "e17", out, paper="A4")
    # the principals in order of precedence; staff, interpreter and security get none
    assert result.guests == ("His Excellency Professor Võ Thanh Tùng",
                             "His Excellency Mr. Đỗ Quang Huy",
                             "The Honorable Nguyễn Thị Mai Phương",
                             "The Honorable Hoàng Đức Thịnh",
                             "Professor Lê Thị Hồng Nhung")
    assert (result.cards, result.sheets, result.warnings) == (5, 3, ())
    pages = _pages(out)
    assert len(pages) == 3
    for index, guest in enumerate(result.guests):
        page = pages[index // 2]
        assert _nfkc(guest) in page
        for part in (HOST_LINE, "President", "Alderbrook University", REQUESTS,
                     "at the State dinner in honour of the Minister",
                     "on Saturday 13 March 2027 at 7:30 p.m.",
                     "Marlowe Pavilion, Grand Ballroom", "300 Lakeside Drive",
                     "Dress", "Black tie; national dress welcome", "R.S.V.P.",
                     "Office of Protocol, Alderbrook University",
                     "protocol@alderbrook.example.edu"):
            assert part in page, (guest, part)
    # two cards on each full sheet: the host's line is printed once per card
    assert [p.count(HOST_LINE) for p in pages] == [2, 2, 1]
    for name in ("Bùi Ngọc Anh", "Trịnh Văn Long", "Phạm Hữu Nghĩa", "Szabó Katalin"):
        assert not any(_nfkc(name) in p for p in pages)
    reader = PdfReader(str(out))
    assert (round(float(reader.pages[0].mediabox.width)),
            round(float(reader.pages[0].mediabox.height))) == (595, 842)
    assert all(embedded_fonts(reader).values())
    assert reader.metadata.title == "Invitations – State dinner in honour of the Minister"
    assert out.stat().st_mode & 0o777 == 0o600


def test_every_script_prints_on_the_reception_cards(demo_services, tmp_path: Path) -> None:
    out = tmp_path / "reception.pdf"
    result = demo_services.briefing.invitation_cards(RECEPTION, "r04", out, paper="Letter")
    assert result.cards == len(RECEPTION_GUESTS) and result.warnings == ()
    text = " ".join(_pages(out))
    for native in ("فارس الخطيب", "陈慧敏", "森本 健二", "Ελένη Δημητριάδου", "Калин Драгомиров"):
        assert _nfkc(native) in text, native
    for name in RECEPTION_GUESTS:
        assert _nfkc(name) in text
    assert "on Thursday 4 November 2027 at 7 p.m." in text
    fonts = embedded_fonts(PdfReader(str(out)))
    assert all(fonts.values())
    families = {name.split("+")[-1].lstrip("/") for name in fonts}
    assert {"NotoSansArabic-Regular", "DroidSansFallback"} <= families
    reader = PdfReader(str(out))
    assert round(float(reader.pages[0].mediabox.width)) == 612


def test_the_office_wording_and_no_note_reach_the_cards(demo_services, tmp_path: Path) -> None:
    s = demo_services
    minister = person_id(s, MINISTERIAL, "Võ Thanh Tùng")
    s.address.set_address_override(
        minister, "address_block",
        "His Excellency\nProfessor Võ Thanh Tùng, Ph.D.\nMinister of Education and Training\n"
        "Ministry of Education and Training of Viet Nam")
    person = s.people.get(minister)
    s.people.update(minister, person.version, protocol_notes="SECRET-PROTOCOL-NOTE",
                    medical="SECRET-MEDICAL-NOTE", security="SECRET-SECURITY-NOTE")
    dinner = next(e for e in s.events.list(MINISTERIAL) if e.ref == "e17")
    s.events.update(dinner.id, dinner.version, internal_notes="SECRET-INTERNAL-NOTE",
                    notes="PUBLIC-EVENT-NOTE")
    out, envelopes = tmp_path / "cards.pdf", tmp_path / "envelopes.csv"
    s.briefing.invitation_cards(MINISTERIAL, "e17", out, envelopes=envelopes)
    text = " ".join(_pages(out))
    assert _nfkc("His Excellency Professor Võ Thanh Tùng, Ph.D.") in text
    listing = envelopes.read_text(encoding="utf-8-sig")
    assert "Professor Võ Thanh Tùng, Ph.D." in listing
    for secret in ("SECRET-PROTOCOL-NOTE", "SECRET-MEDICAL-NOTE", "SECRET-SECURITY-NOTE",
                   "SECRET-INTERNAL-NOTE", "PUBLIC-EVENT-NOTE"):
        assert secret not in text and secret not in listing


def test_the_envelope_list_as_csv(demo_services, tmp_path: Path) -> None:
    out, envelopes = tmp_path / "cards.pdf", tmp_path / "envelopes.csv"
    demo_services.briefing.invitation_cards(RECEPTION, "r04", out, envelopes=envelopes)
    raw = envelopes.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["Name"] for r in rows][:2] == ["Her Excellency Ms. Maria da Conceição Valadares",
                                             "His Excellency Mr. Faris al-Khatib"]
    assert len(rows) == len(RECEPTION_GUESTS)
    jordan = rows[1]
    assert jordan["Envelope"].splitlines() == [
        "His Excellency", "Mr. Faris al-Khatib",
        "Ambassador of the Hashemite Kingdom of Jordan to the United States",
        "Embassy of Jordan, Washington, DC"]
    assert jordan["Position"] == ("Ambassador of the Hashemite Kingdom of Jordan to the "
                                  "United States")
    assert jordan["Organization"] == "Embassy of Jordan, Washington, DC"
    assert jordan["Country"] == "Jordan"
    assert rows[-1]["Name"] == "Mr. Yonatan Adler"  # the chargé d'affaires, last
    assert envelopes.stat().st_mode & 0o777 == 0o600


def test_the_envelope_list_as_pdf(demo_services, tmp_path: Path) -> None:
    out, envelopes = tmp_path / "cards.pdf", tmp_path / "envelopes.pdf"
    demo_services.briefing.invitation_cards(RECEPTION, "r04", out, envelopes=envelopes)
    text = " ".join(_pages(envelopes))
    assert "Envelope list – Reception for the Diplomatic Corps" in text
    for name in RECEPTION_GUESTS:
        assert _nfkc(name) in text
    assert "Embassy of Singapore, Washington, DC" in text and "Viet Nam" in text


def test_one_guest_only_for_a_reprint(demo_services, tmp_path: Path) -> None:
    out = tmp_path / "one.pdf"
    result = demo_services.briefing.invitation_cards(MINISTERIAL, "e17", out,
                                                     guests=("vn-ambassador",))
    assert result.guests == ("His Excellency Mr. Đỗ Quang Huy",)
    assert len(_pages(out)) == 1


def test_a_long_style_shrinks_and_stays_whole(demo_services, tmp_path: Path) -> None:
    s = demo_services
    ambassador = person_id(s, RECEPTION, "Faris al-Khatib")
    long_name = ("His Royal Highness Prince Faris bin Abdullah bin Hussein al-Khatib "
                 "al-Hashimi, Knight Grand Cross of the Order of the Star of Jordan")
    s.address.set_address_override(ambassador, "address_block", long_name)
    out = tmp_path / "long.pdf"
    s.briefing.invitation_cards(RECEPTION, "r04", out, guests=("jo-ambassador",))
    text = _pages(out)[0]
    assert " ".join(long_name.split()) in text
    assert "R.S.V.P." in text and "Business attire; national dress welcome" in text


def test_an_unknown_event_is_named(demo_services, tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(NotFoundError, match="has no event 'e99' \\(its events: e01, e02"):
        demo_services.briefing.invitation_cards(MINISTERIAL, "e99", out)
    assert not out.exists()


def test_an_event_without_guests_on_card_is_refused(demo_services, tmp_path: Path) -> None:
    s = demo_services
    dinner = next(e for e in s.events.list(MINISTERIAL) if e.ref == "e04")
    staff = person_id(s, MINISTERIAL, "Bùi Ngọc Anh")  # accompanies; gets no card
    host = person_id(s, MINISTERIAL, "Szabó Katalin")
    s.events.update(dinner.id, dinner.version, attendee_ids=(staff, host))
    out = tmp_path / "none.pdf"
    with pytest.raises(ValidationError, match=r"“Informal welcome dinner hosted by the "
                                              r"Provost” \(e04\) has no guests to invite"):
        s.briefing.invitation_cards(MINISTERIAL, "e04", out)
    assert not out.exists()


@pytest.mark.parametrize("ref", ["e01", "e02", "e03", "e07"])  # arrival, motorcade, private,
def test_no_cards_for_transport_private_or_press(demo_services, tmp_path: Path,  # press
                                                 ref: str) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(ValidationError, match="invitation cards are printed for meal, "
                                              "ceremony, meeting and tour events"):
        demo_services.briefing.invitation_cards(MINISTERIAL, ref, out)
    assert not out.exists()


def test_a_cancelled_event_gets_no_cards(demo_services, tmp_path: Path) -> None:
    s = demo_services
    dinner = next(e for e in s.events.list(MINISTERIAL) if e.ref == "e17")
    s.events.cancel(dinner.id, dinner.version)
    with pytest.raises(ValidationError, match="is cancelled"):
        s.briefing.invitation_cards(MINISTERIAL, "e17", tmp_path / "x.pdf")


def test_cli_writes_cards_and_envelopes(demo_db: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture) -> None:
    out, envelopes = tmp_path / "cards.pdf", tmp_path / "list.csv"
    assert main(["--db", demo_db, "cards", MINISTERIAL, "e17", "--out", str(out),
                 "--envelopes", str(envelopes), "--paper", "Letter"]) == 0
    printed = capsys.readouterr().out
    assert f"Wrote {out}: 5 cards on 3 sheets, edition 1." in printed
    assert "  His Excellency Professor Võ Thanh Tùng" in printed
    assert f"Wrote the envelope list {envelopes}." in printed
    assert len(_pages(out)) == 3 and envelopes.exists()


def test_a_character_no_font_prints_is_a_warning(demo_services, demo_db: str,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture) -> None:
    s = demo_services
    minister = person_id(s, MINISTERIAL, "Võ Thanh Tùng")
    s.people.update(minister, s.people.get(minister).version, native_name="Võ Thanh Tùng 🎓")
    result = s.briefing.invitation_cards(MINISTERIAL, "e17", tmp_path / "a.pdf")
    assert result.warnings == ("no bundled font prints 🎓 on the card of His Excellency "
                               "Professor Võ Thanh Tùng",)
    out = tmp_path / "b.pdf"
    assert main(["--db", demo_db, "cards", MINISTERIAL, "e17", "--out", str(out),
                 "--strict"]) == 1
    assert "warning: no bundled font prints 🎓" in capsys.readouterr().err
    assert out.exists()  # the cards are written all the same


def test_cli_bad_input_is_one_clear_line_and_writes_nothing(
        demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "cards.pdf"
    cases = [
        (["nope", "e17"], "There is no visit 'nope'"),
        ([MINISTERIAL, "e99"], "has no event 'e99'"),
        ([RECEPTION, "r01"], "“Host briefing” (r01) is a private event: invitation cards"),
        ([MINISTERIAL, "e17", "--guest", "vn-staff"],
         "vn-staff is not invited on card to “State dinner in honour of the Minister”"),
        ([MINISTERIAL, "e17", "--envelopes", str(folder / "list.txt")],
         "envelopes: the envelope list is written as .csv or .pdf, not 'list.txt'"),
    ]
    for args, message in cases:
        assert main(["--db", demo_db, "cards", *args, "--out", str(out)]) == 1, args
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1, err
    assert list(folder.iterdir()) == []
