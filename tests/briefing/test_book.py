"""The briefing book: real PDFs built from a hostile visit, read back with pypdf.

The three books (internal, hosts, guests) are built once per module from the demo
ministerial visit with added names in many scripts, markup, newlines, emoji, a
10,000-character biography, markers in every sensitive field, a cancelled event and
photos (plain, EXIF-rotated, a broken file and a decompression bomb served in place of
two stored photos).

What "the name is there" means per script: Latin, Vietnamese, Greek, Cyrillic,
Chinese, Japanese, Hebrew and Arabic names are found in pypdf's extracted text
(NFKC-normalised: Arabic comes out as joined presentation forms, and pypdf gives
right-to-left runs back in logical order only when they were drawn in visual order,
right to left). Devanagari conjuncts are glyphs no character maps to, so for Devanagari
the test checks the embedded Noto Sans Devanagari subset, a private-use glyph (the
conjunct, proof of shaping) and the syllable "या" in the text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from protocol_app.briefing import content as content_module
from protocol_app.briefing.book import BriefingResult, build_briefing
from protocol_app.briefing.content import (
    PRINCIPAL_ROLES,
    audience_view,
    gather_content,
    printable,
    sensitive_notes,
)
from protocol_app.briefing.photos import PhotoError, prepare_photo
from protocol_app.errors import NotFoundError, ProtocolError, ValidationError
from protocol_app.records.sensitivity import (
    SENSITIVE_EVENT_FIELDS,
    SENSITIVE_PERSON_FIELDS,
    Audience,
)
from tests.support.book_data import (
    CANCELLED_TITLE,
    HOSTILE_NOTE,
    HOSTILE_TITLE,
    INTERNAL,
    INTERNAL_NOTE_EVENTS,
    MEDICAL,
    NAMES_IN_TEXT,
    PROTOCOL,
    SECURITY,
    VISIT,
    PhotoFixtures,
    broken_image,
    decompression_bomb,
    jpeg,
    load_hostile_visit,
    serve_bad_photos,
    two_colour_jpeg,
)

OFFICE = "Office of Protocol & <i>Ceremonies</i>"
AUDIENCES = ("internal", "host", "guest")


# ----------------------------------------------------------------------------- fixtures


class Built:
    """The hostile visit's services, photos and the three built books."""

    def __init__(self, services, photos: PhotoFixtures, folder: Path) -> None:
        self.services = services
        self.photos = photos
        self.folder = folder
        self.results: dict[str, BriefingResult] = {}
        self.readers: dict[str, PdfReader] = {}
        self.progress: dict[str, list[tuple[int, int, str]]] = {}

    def text(self, audience: str) -> str:
        """Extracted text of a book, NFKC-normalised."""
        reader = self.readers[audience]
        return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))

    def flat(self, audience: str) -> str:
        """Extracted text with every run of whitespace made one space."""
        return " ".join(self.text(audience).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    from protocol_app.services import Services

    folder = tmp_path_factory.mktemp("books")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PROTOCOL_APP_HOME", str(folder / "home"))
        monkeypatch.delenv("PROTOCOL_APP_DB", raising=False)
        services = Services.open(folder / "hostile.sqlite3", actor="tester")
        photos = load_hostile_visit(services)
        serve_bad_photos(services, photos, monkeypatch)
        result = Built(services, photos, folder)
        for audience in AUDIENCES:
            calls: list[tuple[int, int, str]] = []
            out = folder / f"{audience}.pdf"
            result.results[audience] = build_briefing(
                services, VISIT, audience, out, office_name=OFFICE,
                progress=lambda d, t, x, calls=calls: calls.append((d, t, x)))
            result.readers[audience] = PdfReader(str(out))
            result.progress[audience] = calls
        yield result
        services.close()


def page_fonts(reader: PdfReader) -> dict[str, dict]:
    """BaseFont -> font dictionary, for every font of every page."""
    found: dict[str, dict] = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def outline_titles(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page index) of every outline entry, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


# ---------------------------------------------------------------------------- names


@pytest.mark.parametrize("audience", AUDIENCES)
def test_names_in_many_scripts_are_printed_in_every_book(built: Built, audience: str) -> None:
    text = built.text(audience)
    for script, name in NAMES_IN_TEXT.items():
        assert name in text, script
    # Devanagari: shaped (a conjunct glyph without a character) in its own font
    line = next(line for line in text.splitlines() if "SHARMA" in line)
    assert "या" in line
    assert any("\ue000" <= char <= "\uf8ff" for char in line), line
    fonts = {name.split("+", 1)[-1] for name in page_fonts(built.readers[audience])}
    assert {"NotoSansDevanagari-Regular", "NotoSansArabic-Regular", "NotoSansHebrew-Regular",
            "DroidSansFallback", "NotoSans-Regular", "NotoSans-Bold"} <= fonts


def test_right_to_left_names_are_drawn_right_to_left_with_joined_letters(built: Built) -> None:
    raw = "\n".join(page.extract_text() for page in built.readers["internal"].pages)
    # محمد in initial, medial, medial and final forms: joined letters, in logical order
    # as pypdf reads a run drawn right to left
    assert "\ufee3\ufea4\ufee4\ufeaa" in raw
    assert "\ufdf4" not in raw  # no discretionary MOHAMMAD ligature
    # Hebrew: pypdf gives the logical order back only for text drawn in visual order
    assert "יוסף כהן" in built.text("internal")
    assert "ןהכ ףסוי" not in built.text("internal")


def test_every_font_is_an_embedded_truetype_subset(built: Built) -> None:
    for audience in AUDIENCES:
        fonts = page_fonts(built.readers[audience])
        assert fonts
        for name, font in fonts.items():
            assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), (audience, name)
            assert font["/Subtype"] == "/TrueType", name
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
        assert not any("Helvetica" in n or "Times" in n for n in fonts)


def test_a_character_no_font_has_is_a_warning_naming_the_person(built: Built) -> None:
    warnings = built.results["internal"].warnings
    name_warnings = [w for w in warnings if w.startswith("Name of ")]
    assert len(name_warnings) == 1
    assert "Sam Smiley" in name_warnings[0] and "U+1F600" in name_warnings[0]
    assert any("dietary needs" in w and "U+1F356" in w for w in warnings)
    assert any(w.startswith("Event 'Signing of the Memorandum") for w in warnings)
    text = built.text("internal")
    assert "😀" not in text and "🍖" not in text
    assert "Sam \ufffd Smiley" in text  # a visible replacement mark, not an empty box


# ------------------------------------------------------------------------- audiences


def test_audience_rules_hold_for_every_sensitive_marker(built: Built) -> None:
    internal, host, guest = (built.flat(a) for a in AUDIENCES)
    assert MEDICAL in internal and SECURITY in internal and PROTOCOL in internal
    assert PROTOCOL in host
    assert MEDICAL not in host and SECURITY not in host
    for marker in (MEDICAL, SECURITY, PROTOCOL):
        assert marker not in guest
    for audience in ("host", "guest"):
        data = (built.folder / f"{audience}.pdf").read_bytes()
        assert MEDICAL.encode() not in data and SECURITY.encode() not in data
        metadata = " ".join(str(v) for v in built.readers[audience].metadata.values())
        titles = " ".join(t for _d, t, _p in outline_titles(built.readers[audience]))
        for marker in (MEDICAL, SECURITY):
            assert marker not in metadata and marker not in titles


def test_notes_are_labelled_with_who_may_read_them(built: Built) -> None:
    internal = built.flat("internal")
    assert "MEDICAL NOTES · INTERNAL ONLY" in internal
    assert "PROTOCOL NOTES · HOSTS AND INTERNAL" in internal
    assert "MEDICAL NOTES" not in built.flat("host")
    assert "PROTOCOL NOTES" not in built.flat("guest")


def test_events_internal_notes_are_in_the_internal_book_only(built: Built) -> None:
    internal = built.flat("internal")
    for ref in INTERNAL_NOTE_EVENTS:
        assert (f"{INTERNAL} {ref}: seat the Minister away from the <b>press</b> & keep "
                "Hall B as fallback") in internal  # printed as typed, not as markup
    # and the demo's own internal note (e10: the Minister's dessert)
    assert internal.count("INTERNAL NOTES · INTERNAL ONLY") == len(INTERNAL_NOTE_EVENTS) + 1
    assert "Fresh fruit in place of dessert for the Minister" in internal
    for audience in ("host", "guest"):
        flat = built.flat(audience)
        assert INTERNAL not in flat and "seat the Minister away" not in flat
        assert "INTERNAL NOTES" not in flat
        data = (built.folder / f"{audience}.pdf").read_bytes()
        assert INTERNAL.encode() not in data
        metadata = " ".join(str(v) for v in built.readers[audience].metadata.values())
        titles = " ".join(t for _d, t, _p in outline_titles(built.readers[audience]))
        assert INTERNAL not in metadata and INTERNAL not in titles


def test_cancelled_events_are_left_out_of_the_guests_book_only(built: Built) -> None:
    assert CANCELLED_TITLE not in built.flat("guest")
    for audience in ("internal", "host"):
        flat = built.flat(audience)
        assert CANCELLED_TITLE in flat
        assert f"CANCELLED {CANCELLED_TITLE}" in flat


def test_gifts_are_in_the_internal_and_hosts_books_only(built: Built) -> None:
    for audience, expected in (("internal", True), ("host", True), ("guest", False)):
        titles = [t for _d, t, _p in outline_titles(built.readers[audience])]
        assert ("Gifts" in titles) is expected
        assert ("Lacquer painting" in built.flat(audience)) is expected


def test_the_guests_book_shows_the_delegations_home_time(built: Built) -> None:
    guest = built.flat("guest")
    assert "Home time of the delegation: Ho Chi Minh City time (UTC+7)" in guest
    # Courtesy call 09:00-09:45 in New York (EST) is 21:00-21:45 in Ho Chi Minh City
    assert "09:00–09:45 Home 21:00–21:45" in guest
    assert "Home 21:00" not in built.flat("internal")


def test_the_book_names_zones_as_people_do(built: Built) -> None:
    for audience in ("internal", "guest"):
        text = built.flat(audience)
        assert "New York time (EST, UTC\u20135)" in text, audience  # the face has no U+2212
        assert "America/New_York" not in text and "Asia/Ho_Chi_Minh" not in text


def test_audience_view_goes_through_the_sensitivity_list(built: Built) -> None:
    visit = built.services.visits.get(VISIT)
    for audience in Audience:
        view = audience_view(visit, audience)
        for participant in view.participants:
            for field, allowed in SENSITIVE_PERSON_FIELDS.items():
                if audience not in allowed:
                    assert getattr(participant.person, field) == ""
        for event in view.events:
            for field, allowed in SENSITIVE_EVENT_FIELDS.items():
                if audience not in allowed:
                    assert getattr(event, field) == ""
        assert any(e.internal_notes for e in view.events) is (audience is Audience.INTERNAL)
        statuses = {e.status for e in view.events}
        assert ("cancelled" in statuses) is (audience is not Audience.GUEST)
    # even an unredacted person prints only what the audience may read
    minister = visit.participants[0].person
    assert [n.field for n in sensitive_notes(minister, "guest")] == []
    assert [n.field for n in sensitive_notes(minister, "host")] == ["protocol_notes"]
    assert [n.field for n in sensitive_notes(minister, "internal")] == [
        "protocol_notes", "medical", "security"]
    dinner = next(e for e in visit.events if e.ref == "e17")
    for audience, fields in (("guest", []), ("host", []), ("internal", ["internal_notes"])):
        notes = sensitive_notes(dinner, audience, SENSITIVE_EVENT_FIELDS)
        assert [n.field for n in notes] == fields
    (note,) = sensitive_notes(dinner, "internal", SENSITIVE_EVENT_FIELDS)
    assert (note.label, note.restricted_label, note.most_restricted) == (
        "Internal notes", "internal only", True)


def test_principals_are_heads_members_and_hosts(built: Built) -> None:
    content = gather_content(built.services, VISIT, "internal", OFFICE)
    roles = {(r.participant.side, r.participant.role) for r in content.principals}
    assert roles <= PRINCIPAL_ROLES
    everybody = {(r.participant.side, r.participant.role) for r in content.participants}
    assert ("guest", "interpreter") in everybody and ("guest", "security") in everybody
    outline = [t for d, t, _p in outline_titles(built.readers["internal"]) if d == 1]
    assert "Trịnh Văn Long" not in outline  # the interpreter: listed, no profile page
    assert any(t.startswith("Võ Thanh Tùng") for t in outline)
    assert "Noa Ben-Ami (נועה בן־עמי)" in outline


# ---------------------------------------------------------------- structure and meta


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_page_says_page_n_of_m_and_carries_the_marking(built: Built,
                                                             audience: str) -> None:
    reader = built.readers[audience]
    total = len(reader.pages)
    assert total == built.results[audience].pages
    marking = {"internal": "INTERNAL · CONFIDENTIAL",
               "host": "HOSTS' COPY · NOT FOR THE DELEGATION",
               "guest": "DELEGATION'S COPY"}[audience]
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        assert marking in text
        if number > 1:
            assert "Official visit of the Minister" in text  # the running header


def test_bookmarks_for_every_section_day_and_profile(built: Built) -> None:
    reader = built.readers["internal"]
    entries = outline_titles(reader)
    top = [t for d, t, _p in entries if d == 0]
    assert top == ["Cover", "Contents", "The visit at a glance", "Schedule at a glance",
                   "Itinerary", "Delegation and hosts", "Profiles", "Gifts", "Contacts"]
    days = [(t, p) for d, t, p in entries if d == 1 and t.startswith("Day ")]
    assert [t for t, _p in days] == [
        "Day 1 · Thursday 11 March 2027", "Day 2 · Friday 12 March 2027",
        "Day 3 · Saturday 13 March 2027", "Day 4 · Sunday 14 March 2027",
    ]
    for title, page in days:  # each bookmark opens the page where its day begins
        assert title in reader.pages[page].extract_text()
    content = gather_content(built.services, VISIT, "internal", OFFICE)
    profiles = [t for d, t, _p in entries if d == 1 and not t.startswith("Day ")]
    assert len(profiles) == len(content.principals)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_contents_lists_sections_with_the_pages_they_start_on(built: Built) -> None:
    # The page numbers are form XObjects filled in after the layout; pypdf's layout
    # mode does not descend into forms, PDFium (as viewers) does: it gives each number
    # on the line after its entry.
    import pypdfium2

    reader = built.readers["internal"]
    document = pypdfium2.PdfDocument(str(built.results["internal"].path))
    text = document[1].get_textpage().get_text_range()
    document.close()
    pairs = list(pairwise(text.splitlines()))
    starts = {t: p + 1 for d, t, p in outline_titles(reader)}
    # contents line (as printed) -> outline title
    expected = {
        "The visit at a glance": "The visit at a glance",
        "Itinerary": "Itinerary",
        "Profiles": "Profiles",
        "Contacts": "Contacts",
        "Day 2 · Friday 12 March 2027": "Day 2 · Friday 12 March 2027",
        "Noa BEN-AMI": "Noa Ben-Ami (נועה בן־עמי)",
    }
    for printed, title in expected.items():
        line = next(f"{entry} {number}" for entry, number in pairs if printed in entry)
        assert re.search(rf"\b{starts[title]}\s*$", line), (title, line)


def test_metadata_title_author_subject_language(built: Built) -> None:
    for audience in AUDIENCES:
        reader = built.readers[audience]
        meta = reader.metadata
        assert meta.title.startswith("Official visit of the Minister")
        assert meta.author == OFFICE
        assert VISIT in meta.subject
        assert {"internal": "internal", "host": "hosts' copy",
                "guest": "delegation's copy"}[audience] in meta.subject.lower()
        assert reader.trailer["/Root"]["/Lang"] == "en"


def test_user_markup_is_printed_literally_and_fetches_nothing(built: Built) -> None:
    flat = built.flat("internal")
    assert HOSTILE_TITLE in flat
    assert '<img src="http://example.invalid/x.png">' in flat
    assert '<a href="http://example.invalid/">the link</a>' in flat
    assert "Second line: R&D < 3 > 2" in flat
    assert "<script>alert(1)</script>" in flat
    assert OFFICE in flat  # the footer
    assert "Second line of the purpose & <b>markup</b>." in flat
    lines = built.text("internal").splitlines()
    assert any(line.startswith("Second line: R&D") for line in lines)  # the newline kept
    for page in built.readers["internal"].pages:  # links only inside the book
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            assert action is None or "/URI" not in action.get_object()


def test_long_biography_flows_over_pages(built: Built) -> None:
    flat = built.flat("internal")
    assert flat.count("Biography sentence with Latin words and Ελληνικά and русский.") >= 150


def test_tables_stay_inside_the_frame(built: Built) -> None:
    # every text run starts inside the page, left of the right margin
    reader = built.readers["internal"]
    width = float(reader.pages[0].mediabox.width)
    right_margin = width - 20 * 72 / 25.4
    outside: list[tuple[int, float, str]] = []
    seen = 0
    for number, page in enumerate(reader.pages, start=1):
        def visit(text, cm, tm, font, size, number=number):
            nonlocal seen
            x = tm[4] * cm[0] + cm[4]
            if text.strip():
                seen += 1
                if not 0 <= x <= right_margin:
                    outside.append((number, x, text))
        page.extract_text(visitor_text=visit)
    assert seen > 1000
    assert outside == []


# ---------------------------------------------------------------------------- photos


def test_photos_are_scaled_to_print_resolution(built: Built) -> None:
    reader = built.readers["internal"]
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2  # the plain photo and the EXIF-rotated one
    for image in images:
        # 34 x 42 mm at 300 dpi
        assert image.image.width <= 402 and image.image.height <= 497
    assert built.results["internal"].path.stat().st_size < 2_000_000


def test_exif_orientation_is_respected() -> None:
    photo = prepare_photo(two_colour_jpeg(orientation=6), 34 * 72 / 25.4, 42 * 72 / 25.4)
    image = Image.open(io.BytesIO(photo.jpeg)).convert("RGB")
    top = image.getpixel((image.width // 2, 5))
    bottom = image.getpixel((image.width // 2, image.height - 5))
    assert top[0] > 150 and top[2] < 100  # red on top once turned upright
    assert bottom[2] > 150 and bottom[0] < 100


def test_broken_photo_and_bomb_give_placeholders_and_warnings(built: Built) -> None:
    warnings = built.results["internal"].warnings
    assert any(w.startswith("The photo of Vladimir Ivanov") and "cannot be read" in w
               for w in warnings)
    assert any(w.startswith("The photo of Tanaka Haruto") and "decompression bomb" in w
               for w in warnings)
    assert built.flat("internal").count("Photo not printable") == 2
    with pytest.raises(PhotoError, match="decompression bomb"):
        prepare_photo(decompression_bomb(), 100, 120)
    with pytest.raises(PhotoError):
        prepare_photo(broken_image(), 100, 120)
    with pytest.raises(PhotoError):
        prepare_photo(b"", 100, 120)


def test_the_people_service_refuses_broken_files_and_bombs(built: Built) -> None:
    person = built.photos.ids["x-hebrew"]
    with pytest.raises(ValidationError):
        built.services.people.set_photo(person, decompression_bomb())
    with pytest.raises(ValidationError):
        built.services.people.set_photo(person, broken_image())


def test_large_photo_is_scaled_down_and_small_one_is_not_enlarged() -> None:
    big = prepare_photo(jpeg((3000, 4000)), 34 * 72 / 25.4, 42 * 72 / 25.4)
    assert (big.width_px, big.height_px) == (402, 496)
    small = prepare_photo(jpeg((120, 150)), 34 * 72 / 25.4, 42 * 72 / 25.4)
    assert small.width_px <= 120 and small.height_px <= 150


# ---------------------------------------------------------------- build and failures


def test_progress_is_reported_up_to_the_end(built: Built) -> None:
    calls = built.progress["internal"]
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    done = [d for d, _t, _x in calls]
    assert done == sorted(done)
    assert any("Laying out the pages" in text for _d, _t, text in calls)


def test_letter_paper(built: Built, tmp_path: Path) -> None:
    result = build_briefing(built.services, VISIT, "guest", tmp_path / "letter.pdf",
                            paper="Letter", office_name=OFFICE)
    reader = PdfReader(str(result.path))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert result.paper == "Letter"


def test_bad_requests_write_nothing(built: Built, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        build_briefing(built.services, "no-such-visit", "internal", tmp_path / "x.pdf",
                       office_name=OFFICE)
    with pytest.raises(ProtocolError, match="audience"):
        build_briefing(built.services, VISIT, "press", tmp_path / "x.pdf", office_name=OFFICE)
    with pytest.raises(ProtocolError, match="paper"):
        build_briefing(built.services, VISIT, "guest", tmp_path / "x.pdf", paper="A5",
                       office_name=OFFICE)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_layout_leaves_no_file(built: Built, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args, **_kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("protocol_app.briefing.book.BriefingDocTemplate.build", explode)
    with pytest.raises(RuntimeError):
        build_briefing(built.services, VISIT, "guest", tmp_path / "x.pdf", office_name=OFFICE)
    assert list(tmp_path.iterdir()) == []


def test_the_protocol_services_order_and_wording_are_used(tmp_path: Path) -> None:
    from protocol_app.demo import load_demo
    from protocol_app.services import Services

    services = Services.open(tmp_path / "p.sqlite3", actor="tester")
    try:
        load_demo(services)
        visit = services.visits.get(VISIT)
        refs = {p.ref: p.person_id for p in visit.participants}
        services.precedence.add_override(VISIT, refs["vn-rector"], "before",
                                       refs["vn-ambassador"], "She signs the annex")
        services.address.set_address_override(refs["vn-rector"], "list_form",
                                               "Madam Rector LÊ Thị Hồng Nhung")
        internal = build_briefing(services, VISIT, "internal", tmp_path / "i.pdf",
                                  office_name=OFFICE)
        host = build_briefing(services, VISIT, "host", tmp_path / "h.pdf", office_name=OFFICE)
        flat = {}
        for name, result in (("internal", internal), ("host", host)):
            reader = PdfReader(str(result.path))
            flat[name] = " ".join(unicodedata.normalize(
                "NFKC", "\n".join(p.extract_text() for p in reader.pages)).split())
        assert "Madam Rector LÊ Thị Hồng Nhung" in flat["host"]
        delegation = flat["internal"][flat["internal"].index("Delegation of Viet Nam NAME"):]
        assert delegation.index("Madam Rector") < delegation.index("ĐỖ Quang Huy")
        assert "She signs the annex" in flat["internal"]  # the explanation, internal only
        assert "She signs the annex" not in flat["host"]
    finally:
        services.close()


def test_printable_replaces_only_what_no_font_has() -> None:
    assert printable("Võ Thanh Tùng 林怡君 😀") == "Võ Thanh Tùng 林怡君 \ufffd"
    assert printable("plain") == "plain"
    assert content_module.home_zone("VN") == "Asia/Ho_Chi_Minh"
    assert content_module.home_zone("US") == "America/New_York"
    assert content_module.country_name("KR") == "Republic of Korea"
    assert content_module.language_names(["vi", "ar-JO", "xx"]) == [
        "Vietnamese", "Arabic (JO)", "xx"]


def test_hostile_note_is_in_the_data() -> None:  # guards the fixture itself
    assert "<img" in HOSTILE_NOTE and "\n" in HOSTILE_NOTE


def test_a_wrong_page_total_after_the_passes_gets_one_more_pass(
        built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from protocol_app.briefing.book import BriefingDocTemplate

    original = BriefingDocTemplate.multiBuild

    def passes_then_forget(self, story, **kwargs):
        result = original(self, story, **kwargs)
        self.shown_total = None  # as if the last pass had printed another M
        return result

    monkeypatch.setattr(BriefingDocTemplate, "multiBuild", passes_then_forget)
    result = build_briefing(built.services, VISIT, "guest", tmp_path / "again.pdf",
                            office_name=OFFICE)
    reader = PdfReader(str(result.path))
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {len(reader.pages)}" in page.extract_text()


def test_an_empty_visit_still_makes_a_book(services, tmp_path: Path) -> None:
    from datetime import date

    visit = services.visits.create(title="Preparatory visit", timezone="Europe/Paris",
                                   start_date=date(2027, 6, 1), end_date=date(2027, 6, 1),
                                   country="FR")
    result = build_briefing(services, visit.id, "guest", tmp_path / "empty.pdf",
                            office_name=OFFICE)
    assert result.warnings == ()
    text = " ".join(page.extract_text() for page in PdfReader(str(result.path)).pages)
    assert "No events are scheduled yet." in text
    assert "Nobody is recorded yet." in text
    assert "No principals are recorded yet." in text


def test_no_home_time_when_the_clocks_agree(services, tmp_path: Path) -> None:
    import json

    doc = {"format": "protocol-visit/1", "visit": {
        "id": "fr-visit", "title": "Visit from Paris", "timezone": "Europe/Berlin",
        "start_date": "2027-06-01", "end_date": "2027-06-01", "country": "FR"},
        "people": [{"ref": "p", "family_name": "Martin", "given_name": "Claire"}],
        "delegation": [{"person": "p", "side": "guest", "role": "head"}],
        "events": [{"ref": "e", "title": "Meeting", "start": "2027-06-01T10:00",
                    "end": "2027-06-01T11:00", "attendees": ["p"]}], "gifts": []}
    services.packages.import_bytes(json.dumps(doc).encode(), "fr.json")
    result = build_briefing(services, "fr-visit", "guest", tmp_path / "fr.pdf",
                            office_name=OFFICE)
    text = " ".join(page.extract_text() for page in PdfReader(str(result.path)).pages)
    assert "10:00–11:00" in text
    assert "Home " not in text and "HOME TIME" not in text
