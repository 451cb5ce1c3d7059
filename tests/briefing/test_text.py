"""Bundled fonts and multi-script user text: real PDFs from reportlab, read back by pypdf."""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from protocol_app.briefing import fonts
from protocol_app.briefing.fonts import (
    BASE_FAMILY,
    FALLBACK_CHAIN,
    fallback_chain,
    font_for,
    register_fonts,
    uncovered_characters,
)
from protocol_app.briefing.text import (
    UserTextParagraph,
    draw_text,
    para_markup,
    paragraph_style,
    plain_text_for_metadata,
    text_width,
    user_paragraph,
    word_separator,
)
from protocol_app.resources import resource_path

FONT_DIR = resource_path("fonts")

# One name or phrase per script, with the family that must print its letters.
SAMPLES: dict[str, tuple[str, str]] = {
    "latin": ("Nguyễn Tấn Dũng, Zoë Ångström-Müller, Łukasz Żółć", "NotoSans"),
    "greek": ("Κυριάκος Μητσοτάκης", "NotoSans"),
    "cyrillic": ("Владимир Зеленский", "NotoSans"),
    "arabic": ("محمد بن سلمان", "NotoSansArabic"),
    "hebrew": ("יוסף כהן", "NotoSansHebrew"),
    "devanagari": ("नरेन्द्र मोदी प्रिया", "NotoSansDevanagari"),
    "thai": ("สวัสดี ประยุทธ์", "NotoSansThai"),
    "chinese_simplified": ("习近平 李强", "DroidSansFallback"),
    "chinese_traditional": ("蔡英文 賴清德 臺北", "DroidSansFallback"),
    "japanese": ("田中 陽翔 きしだ カタカナ", "DroidSansFallback"),
    "korean": ("윤석열 김정은", "NanumGothic"),
}

_RUN = re.compile(r'<font name="([^"]+)">(.*?)</font>', re.S)


def runs(markup: str) -> list[tuple[str, str]]:
    """``(font name, text)`` of each run of para_markup output, in order (without the
    break opportunities between Chinese, Japanese or Thai characters of one run)."""
    markup = markup.replace('<font size="0"> </font>', "")
    return [
        (name, text) for name, text in _RUN.findall(markup) if name != BASE_FAMILY or text != " "
    ]


def build_pdf(path: Path, flowables: Iterable[Flowable]) -> PdfReader:
    """Build a PDF whose canvas starts in the bundled text face; read it back."""
    register_fonts()
    doc = SimpleDocTemplate(str(path), pagesize=A4, initialFontName=BASE_FAMILY)
    doc.build(list(flowables))
    return PdfReader(str(path))


def extracted(reader: PdfReader) -> str:
    """All text pypdf extracts, NFKC-normalised (Arabic presentation forms, ligatures)."""
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


def page_fonts(reader: PdfReader) -> dict[str, dict]:
    """BaseFont name -> font dictionary of every font on every page."""
    found: dict[str, dict] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def font_base_names(reader: PdfReader) -> set[str]:
    """PostScript names of the embedded fonts, without the subset prefix."""
    return {name.split("+", 1)[-1].lstrip("/") for name in page_fonts(reader)}


# ------------------------------------------------------------------- bundled font files


def _table_tags(path: Path) -> set[bytes]:
    data = path.read_bytes()
    count = int.from_bytes(data[4:6], "big")
    return {data[12 + 16 * i : 16 + 16 * i] for i in range(count)}


def test_bundled_fonts_are_truetype_outlines_with_licences_and_a_readme() -> None:
    readme = (FONT_DIR / "README.md").read_text(encoding="utf-8")
    total = 0
    for font in FALLBACK_CHAIN:
        for file_name in filter(None, (font.regular_file, font.bold_file)):
            path = FONT_DIR / file_name
            tags = _table_tags(path)
            assert b"glyf" in tags and b"CFF " not in tags, f"{file_name} is not TrueType"
            assert file_name in readme
            total += path.stat().st_size
    assert total < 40 * 1024 * 1024
    licences = {path.name for path in FONT_DIR.iterdir() if path.suffix == ".txt"}
    assert {"Noto-OFL.txt", "NanumGothic-OFL.txt", "DroidSansFallback-LICENSE-Apache-2.0.txt"} <= (
        licences
    )
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "Noto-OFL.txt").read_text(encoding="utf-8")
    assert "Apache License" in (FONT_DIR / "DroidSansFallback-LICENSE-Apache-2.0.txt").read_text(
        encoding="utf-8"
    )
    for licence in licences:
        assert licence in readme


def test_fallback_chain_lists_families_and_existing_files() -> None:
    chain = fallback_chain()
    assert [family for family, _path in chain] == [font.family for font in FALLBACK_CHAIN]
    assert chain[0][0] == BASE_FAMILY
    assert all(path.is_file() for _family, path in chain)


def test_register_fonts_is_idempotent_and_thread_safe() -> None:
    errors: list[BaseException] = []

    def register() -> None:
        try:
            register_fonts()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    register_fonts()
    assert not errors
    registered = set(pdfmetrics.getRegisteredFontNames())
    for font in FALLBACK_CHAIN:
        assert {font.family, font.bold_face} <= registered
    assert fonts.face_name("NotoSans", bold=True) == "NotoSans-Bold"
    assert fonts.face_name("DroidSansFallback", bold=True) == "DroidSansFallback"


# ----------------------------------------------------------------------------- coverage


@pytest.mark.parametrize(
    ("char", "family"),
    [
        ("a", "NotoSans"),
        ("ệ", "NotoSans"),
        ("Ω", "NotoSans"),
        ("Ж", "NotoSans"),
        ("م", "NotoSansArabic"),
        ("پ", "NotoSansArabic"),
        ("א", "NotoSansHebrew"),
        ("क", "NotoSansDevanagari"),
        ("ก", "NotoSansThai"),
        ("田", "DroidSansFallback"),
        ("體", "DroidSansFallback"),
        ("か", "DroidSansFallback"),
        ("カ", "DroidSansFallback"),
        ("한", "NanumGothic"),
    ],
)
def test_font_for_picks_the_first_covering_font(char: str, family: str) -> None:
    assert font_for(char) == family


def test_every_sample_script_is_covered() -> None:
    for text, _family in SAMPLES.values():
        assert uncovered_characters(text) == set(), text


def test_uncovered_characters_reports_what_no_font_has() -> None:
    text = "Guest \ue000 \u0378 🎉 ok"
    assert uncovered_characters(text) == {"\ue000", "\u0378", "🎉"}
    assert font_for("\ue000") is None
    # whitespace, controls and invisible format characters are never reported
    assert uncovered_characters("a\tb\nc\u200dd\u200ce\u200ff\ufe0fg\x00h\u00a0i") == set()


# ------------------------------------------------------------------------------- markup


@pytest.mark.parametrize("script", sorted(SAMPLES))
def test_each_script_runs_in_its_font(script: str) -> None:
    text, family = SAMPLES[script]
    letters = {char for char in text if unicodedata.category(char)[0] in "LM"}
    for name, run in runs(para_markup(text)):
        if any(char in letters for char in run):
            assert name == family, (run, name)


def test_mixed_names_are_split_into_font_runs_in_visual_order() -> None:
    markup = para_markup("Ambassador محمد بن سلمان (Riyadh)")
    assert runs(markup) == [
        ("NotoSans", "Ambassador "),
        # right-to-left words in visual order; each word's letters in logical order
        ("NotoSansArabic", "سلمان بن محمد "),
        ("NotoSans", "(Riyadh)"),
    ]
    assert runs(para_markup("Dr. יוסף כהן")) == [
        ("NotoSans", "Dr. "),
        ("NotoSansHebrew", "כהן יוסף"),
    ]
    assert runs(para_markup("Tanaka 田中 陽翔")) == [
        ("NotoSans", "Tanaka "),
        ("DroidSansFallback", "田中 陽翔"),
    ]


def test_a_word_needing_two_fonts_is_cut_with_the_zero_width_separator() -> None:
    markup = para_markup("(محمد)")
    assert markup.count(word_separator()) == 2
    assert [name for name, _text in runs(markup)] == ["NotoSans", "NotoSansArabic", "NotoSans"]
    # Hebrew font has no comma: "כהן," is cut once
    assert para_markup("כהן,").count(word_separator()) == 1
    # punctuation the script font has stays in its run
    assert word_separator() not in para_markup("محمد: ١٢")


def test_bidi_keeps_numbers_left_to_right_and_mirrors_brackets() -> None:
    # In an Arabic word HarfBuzz reverses everything: digits are fed reversed.
    assert runs(para_markup("محمد12")) == [("NotoSansArabic", "محمد21")]
    # right-to-left paragraph: the brackets are swapped so they print mirrored
    assert [text for _name, text in runs(para_markup("(محمد)"))] == ["(", "محمد", ")"]
    assert runs(para_markup("(abc)", direction="rtl"))[0][1] == "(abc)"


def test_bidi_resolves_bracket_pairs_and_isolates() -> None:
    # "(TLV)" inside Hebrew keeps its brackets around TLV (rule N0 of UAX #9)
    assert runs(para_markup("גוריון (TLV), 5 אנשים.")) == [
        ("NotoSans", "."),
        ("NotoSansHebrew", "אנשים "),
        ("NotoSans", "5 ,(TLV) "),
        ("NotoSansHebrew", "גוריון"),
    ]
    # an isolate (RLI ... PDI) is honoured and its controls are not printed
    assert [text for _name, text in runs(para_markup("a\u2067אב גד\u2069 c"))] == [
        "a",
        "גד אב ",
        "c",
    ]


def test_user_markup_is_escaped_and_never_runs() -> None:
    markup = para_markup(
        'Tom & Jerry <b>bold</b> <img src="http://example.com/x.png"> <a href="x">'
    )
    assert "<b>" not in markup and "<img" not in markup and "<a " not in markup
    assert "&amp;" in markup and "&lt;b&gt;" in markup


def test_newlines_become_line_breaks() -> None:
    assert para_markup("one\r\ntwo\nthree").count("<br/>") == 2
    assert para_markup("") == ""


def test_bold_uses_the_bold_faces() -> None:
    names = {name for name, _text in runs(para_markup("Guest محمد 田中", bold=True))}
    assert names == {"NotoSans-Bold", "NotoSansArabic-Bold", "DroidSansFallback"}


def test_plain_text_for_metadata_is_logical_single_line_text() -> None:
    text = "  Visit of\n\u202bمحمد\u202c\tbin Salman\x00 "
    assert plain_text_for_metadata(text) == "Visit of محمد bin Salman"


# ---------------------------------------------------------------------------------- PDFs


def test_all_scripts_print_with_embedded_subset_fonts(tmp_path: Path) -> None:
    style = paragraph_style(size=11)
    reader = build_pdf(
        tmp_path / "scripts.pdf",
        [user_paragraph(text, style) for text, _family in SAMPLES.values()]
        + [user_paragraph("Bold Ελλάδα محمد", style, bold=True)],
    )
    for name, font in page_fonts(reader).items():
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), name
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
    assert {
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSansArabic-Regular",
        "NotoSansArabic-Bold",
        "NotoSansHebrew-Regular",
        "NotoSansDevanagari-Regular",
        "NotoSansThai-Regular",
        "DroidSansFallback",
        "NanumGothic",
    } <= font_base_names(reader)


def test_extracted_text_matches_where_extraction_is_meaningful(tmp_path: Path) -> None:
    style = paragraph_style(size=11)
    keys = [
        "latin",
        "greek",
        "cyrillic",
        "chinese_simplified",
        "chinese_traditional",
        "japanese",
        "korean",
        "hebrew",
        "arabic",
    ]
    reader = build_pdf(
        tmp_path / "extract.pdf", [user_paragraph(SAMPLES[k][0], style) for k in keys]
    )
    text = extracted(reader)
    for key in keys:
        # pypdf puts right-to-left runs back into logical order: it finds the Hebrew
        # and Arabic names only if they were drawn in visual order. Arabic comes
        # out as presentation forms (joined letters), which NFKC folds back.
        assert SAMPLES[key][0] in text, key
    raw = "\n".join(page.extract_text() for page in reader.pages)
    assert "\ufee3\ufea4\ufee4\ufeaa" in raw  # م ح م د in initial, medial, medial, final forms


def test_devanagari_and_thai_are_shaped(tmp_path: Path) -> None:
    style = paragraph_style(size=11)
    reader = build_pdf(
        tmp_path / "indic.pdf",
        [user_paragraph("प्रिया", style), user_paragraph("ที่นี่", style)],
    )
    lines = [line for line in extracted(reader).splitlines() if line.strip()]
    # the conjunct "प्र" and Thai's small tone mark over a vowel are glyphs that no
    # character maps to: they only appear when HarfBuzz has shaped the text
    assert any("\ue000" <= char <= "\uf8ff" for char in lines[0]), lines[0]
    assert any("\ue000" <= char <= "\uf8ff" for char in lines[1]), lines[1]
    assert "या" in lines[0]


def test_discretionary_ligatures_are_not_applied(tmp_path: Path) -> None:
    reader = build_pdf(
        tmp_path / "dlig.pdf",
        [user_paragraph("محمد محمدرضا يوسف יוסף", paragraph_style())],
    )
    raw = "\n".join(page.extract_text() for page in reader.pages)
    assert "\ufdf4" not in raw  # ARABIC LIGATURE MOHAMMAD
    assert "\u05f1" not in raw  # HEBREW LIGATURE VAV YOD
    assert "יוסף" in extracted(reader)


def test_user_markup_prints_literally_and_fetches_nothing(tmp_path: Path) -> None:
    hostile = 'R&D <b>bold</b> <img src="http://127.0.0.1:9/x.png"/> <a href="http://evil">x</a>'
    reader = build_pdf(tmp_path / "markup.pdf", [user_paragraph(hostile)])
    text = extracted(reader).replace("\n", " ")
    assert "R&D" in text
    assert "<b>bold</b>" in text
    assert '<img src="http://127.0.0.1:9/x.png"/>' in text
    assert '<a href="http://evil">x</a>' in text
    page = reader.pages[0]
    assert "/Annots" not in page
    assert "/XObject" not in page["/Resources"]


def test_long_strings_newlines_and_emoji_do_not_break_layout(tmp_path: Path) -> None:
    style = paragraph_style(size=10)
    texts = [
        "x" * 4000,
        "東" * 1500,
        "م" * 600,
        "क्ष" * 400,
        "https://example.org/" + "very-long-path-" * 80,
        "first\n\n\nlast\n",
        "Party 🎉🎉 time \ue000",
        "\ud83c\udf89 lone \ud800 surrogate",
    ]
    reader = build_pdf(tmp_path / "long.pdf", [user_paragraph(text, style) for text in texts])
    text = extracted(reader)
    assert "first" in text and "last" in text
    assert uncovered_characters("Party 🎉🎉 time") == {"🎉"}
    assert len(reader.pages) >= 2


def test_paragraph_without_shaping_style_is_given_shaping() -> None:
    plain = paragraph_style(shaping=0)
    paragraph = user_paragraph("محمد", plain)
    assert paragraph.style.shaping
    helvetica = paragraph_style(fontName="Helvetica", shaping=1)
    paragraph = user_paragraph("محمد", helvetica)
    assert paragraph.style.fontName == BASE_FAMILY and paragraph.style.shaping


def test_right_to_left_paragraph_keeps_its_line_order_when_wrapped(tmp_path: Path) -> None:
    words = [f"كلمة{letter}" for letter in "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"]
    text = " ".join(words)
    paragraph = user_paragraph(text, paragraph_style(size=10))
    assert isinstance(paragraph, UserTextParagraph)
    paragraph.wrap(150, 1000)
    lines = paragraph.blPara.lines
    assert len(lines) > 3

    def logical_words(line) -> list[str]:
        # glyphs of a right-to-left word are in visual order: reverse them back
        visual = unicodedata.normalize("NFKC", "".join(word.text for word in line.words))
        return [word[::-1] for word in visual.split()]

    # visual order: the first line (top) holds the first words, the first of them
    # rightmost; the last line ends (leftmost) with the last word
    assert logical_words(lines[0])[-1] == words[0]
    assert logical_words(lines[-1])[0] == words[-1]
    order = [word for line in lines for word in reversed(logical_words(line))]
    assert order == words
    build_pdf(tmp_path / "rtl.pdf", [user_paragraph(text, paragraph_style(size=10))])


def test_para_markup_embeds_in_larger_markup(tmp_path: Path) -> None:
    style = paragraph_style(size=10)
    paragraph = Paragraph(f"<b>Guest:</b> {para_markup('Dr. יוסף כהן')}", style)
    reader = build_pdf(tmp_path / "embed.pdf", [paragraph])
    assert "Guest: Dr. יוסף כהן" in extracted(reader)
    assert "NotoSans-Bold" in font_base_names(reader)


# ------------------------------------------------------------------------------- canvas


def test_draw_text_aligns_measures_and_embeds(tmp_path: Path) -> None:
    path = tmp_path / "cards.pdf"
    canvas = Canvas(str(path), pagesize=A4, initialFontName=BASE_FAMILY)
    register_fonts()
    samples = ["Ambassador محمد بن سلمان (Riyadh)", "Dr. יוסף כהן", "नरेन्द्र मोदी", "田中 陽翔"]
    for index, text in enumerate(samples):
        y = 700 - 40 * index
        for align, x in (("left", 50.0), ("center", 300.0), ("right", 550.0)):
            width = draw_text(canvas, x, y, text, 14, align=align)
            assert width == pytest.approx(text_width(text, 14))
            assert width > 0
    bold_width = draw_text(canvas, 50, 400, "Place card محمد", 18, bold=True)
    assert bold_width == pytest.approx(text_width("Place card محمد", 18, bold=True))
    assert text_width("", 12) == 0
    with pytest.raises(ValueError):
        draw_text(canvas, 0, 0, "x", 10, align="justify")  # type: ignore[arg-type]
    canvas.save()
    reader = PdfReader(str(path))
    for name, font in page_fonts(reader).items():
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", name)
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    assert {
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSansArabic-Regular",
        "NotoSansArabic-Bold",
        "NotoSansHebrew-Regular",
        "NotoSansDevanagari-Regular",
        "DroidSansFallback",
    } <= font_base_names(reader)
    text = extracted(reader)
    # pypdf restores the logical order of each drawn right-to-left word
    for word in ("Ambassador", "محمد", "سلمان", "(Riyadh)", "Dr.", "יוסף", "כהן", "田中 陽翔"):
        assert word in text


def test_text_width_grows_with_size_and_ignores_newlines() -> None:
    assert text_width("Delegation", 20) == pytest.approx(2 * text_width("Delegation", 10))
    assert text_width("a\nb", 10) == pytest.approx(text_width("a b", 10))


# ------------------------------------------------------------------------- any input

_INTERESTING = list(
    "aZ09 .,;:!?()[]{}<>&\"'-/\\@#%\n\t\xa0\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c"
    "\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u0301\u034f\ufe0f\xad"
    "ệΩЖمحدپ١٢אבג\u05bcकष्रि\u093eกที่นี่田中한글カ🎉\ue000\u0378"
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(_INTERESTING), st.characters()), max_size=40))
def test_any_text_lays_out_and_draws(text: str) -> None:
    style = paragraph_style(size=9)
    canvas = Canvas(io.BytesIO())
    paragraph = Paragraph(para_markup(text), style)
    paragraph.wrap(120, 10_000)
    paragraph.drawOn(canvas, 10, 10)
    wrapped = user_paragraph(text, style)
    wrapped.wrap(80, 10_000)
    wrapped.drawOn(canvas, 10, 10)
    assert draw_text(canvas, 100, 100, text, 9, align="center") == pytest.approx(
        text_width(text, 9)
    )
    plain_text_for_metadata(text)
    canvas.save()
