"""Line breaking of user text in scripts written without spaces, and of words too wide
for their line: Chinese and Japanese between characters with the kinsoku rules, Thai
between words, never inside a grapheme cluster; Latin and the other scripts as before.

Most tests lay out a reportlab ``Paragraph`` and read its lines (``blPara``). Where the
characters of a line are checked, the paragraph is laid out without shaping, so that a
line holds characters rather than glyphs; shaping does not move the break
opportunities, which are in the markup.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from protocol_app.briefing.fonts import BASE_FAMILY, register_fonts
from protocol_app.briefing.sections import BookParagraph, user_text
from protocol_app.briefing.styles import styles
from protocol_app.briefing.text import (
    UserTextParagraph,
    needs_cluster_safe_split,
    para_markup,
    paragraph_style,
    text_width,
    user_paragraph,
)
from protocol_app.briefing.text import linebreak as linebreak_module
from protocol_app.briefing.text import markup as markup_module

CHINESE_BIO = (
    "王小明，1965年生于北京，毕业于北京大学法律系，获法学博士学位。"
    "曾任外交部条约法律司司长、驻联合国日内瓦办事处代表（大使衔），"
    "现任全国人民代表大会外事委员会副主任委员。他长期从事国际法研究，"
    "著有《国际条约法》《外交特权与豁免》等书，并多次率团出席联合国大会。"
    "他说：“条约必须遵守。”他喜欢书法、围棋和太极拳！"
)
JAPANESE_BIO = (
    "田中陽翔（たなか・はると）は、東京大学法学部を卒業後、外務省に入省。"
    "ジュネーブ代表部、在アメリカ合衆国日本国大使館などを経て、"
    "現在はキャンペーン・マネージャーとしてショッピングセンターのプロジェクトを担当している。"
    "趣味はサッカーとジョギング、「ちょっとした」旅行です。"
)
MIXED_BIO = (
    "Professor 王小明 of Peking University is an internationally recognised expert in "
    "treaty law; 他曾在日内瓦工作多年，并担任多个国际组织的法律顾问，参与起草了多项双边条约。"
    " He speaks English, French and German, and chairs the Asian Society of International "
    "Law; 他的夫人是医生。 They have two children, 王大伟 and 王丽， and live in "
    "Beijing."
)
THAI_SENTENCE = (
    "นายกรัฐมนตรีเดินทางไปเยือนประเทศญี่ปุ่นเพื่อหารือความร่วมมือทางเศรษฐกิจ"
)
THAI_BIO = (
    "ศาสตราจารย์สมชายสำเร็จการศึกษาระดับปริญญาเอกด้านกฎหมายระหว่างประเทศ"
    "จากมหาวิทยาลัยธรรมศาสตร์ ท่านดำรงตำแหน่งเอกอัครราชทูตประจำกรุงเจนีวา"
    "และเป็นที่ปรึกษากระทรวงการต่างประเทศ เขาชอบรับประทานอาหารมังสวิรัติ"
)
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl

# kinsoku: never at the start of a line / never at its end
NO_LINE_START = set(
    "。、，．：；！？）」』】〕〉》”’・ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々…"
)
NO_LINE_END = set("（「『【〔〈《“‘")
THAI_LEADING_VOWELS = set("เแโใไ")
THAI_NO_LINE_START = set("ะาำๅๆฯ")


def plain(size: float = 9.5) -> ParagraphStyle:
    """A paragraph style without shaping: lines then hold characters, not glyphs."""
    return paragraph_style(size=size, shaping=0)


def line_texts(paragraph: Paragraph, width: float) -> list[str]:
    """The text of each line of ``paragraph`` laid out ``width`` wide."""
    paragraph.wrap(width, 1_000_000)
    texts = []
    for line in paragraph.blPara.lines:
        if isinstance(line, tuple):  # a paragraph of a single fragment
            texts.append(" ".join(line[1]))
        else:
            texts.append("".join(word.text for word in line.words))
    return texts


def used_widths(paragraph: Paragraph, width: float) -> list[float]:
    """How much of ``width`` each line of the (wrapped) paragraph fills."""
    widths = []
    for line in paragraph.blPara.lines:
        extra = line[0] if isinstance(line, tuple) else line.extraSpace
        widths.append(width - extra)
    return widths


def chars_of(lines: list[str]) -> str:
    return "".join(lines).replace(" ", "")


def cjk_paragraph(text: str, size: float = 9.5) -> Paragraph:
    """A paragraph as the book makes one of Chinese or Japanese text (no shaping)."""
    return Paragraph(para_markup(text, shaping=False), plain(size))


# -------------------------------------------------------------------------- Chinese


@pytest.mark.parametrize("width", range(96, 260, 11))
def test_a_chinese_biography_fills_its_lines(width: int) -> None:
    paragraph = cjk_paragraph(CHINESE_BIO)
    lines = line_texts(paragraph, width)
    assert len(lines) > 3
    assert chars_of(lines) == CHINESE_BIO
    # every line but the last is nearly full: a break may fall between any two
    # characters, so at most a character or two (kinsoku) is left over
    for used in used_widths(paragraph, width)[:-1]:
        assert used >= 0.8 * width, (used, width, lines)


@pytest.mark.parametrize("width", range(60, 260, 3))
def test_chinese_lines_keep_the_kinsoku_rules(width: int) -> None:
    lines = line_texts(cjk_paragraph(CHINESE_BIO), width)
    for before, after in pairwise(lines):
        assert after[0] not in NO_LINE_START, (before, after)
        assert before[-1] not in NO_LINE_END, (before, after)
        # ellipses and dashes that come in pairs stay together
        assert not (before.endswith("…") and after.startswith("…"))


def is_ideograph_or_kana(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff"


def gaps_before_cjk(paragraph: Paragraph, lines: list[str], width: float) -> list[float]:
    """The room left on each line that is followed by a line starting with a Chinese or
    Japanese character."""
    widths = used_widths(paragraph, width)
    return [
        width - widths[index]
        for index, following in enumerate(lines[1:])
        if is_ideograph_or_kana(following[0])
    ]


# The room a line may keep before a line that starts with a Chinese character: that
# character and a space, and one more character pushed down with a character that may
# not start a line (or an opening bracket that may not end one).
ROOM = 2 * 9.5 + 3


def test_reportlab_alone_left_a_ragged_gap_before_a_chinese_passage(monkeypatch) -> None:
    """Guards the test below: without the break opportunities, a Chinese passage of the
    mixed biography goes whole to the next line and leaves a ragged gap."""
    monkeypatch.setattr(linebreak_module, "_break_opportunities", lambda line: frozenset())
    gaps = []
    for width in MIXED_WIDTHS:
        paragraph = cjk_paragraph(MIXED_BIO)
        gaps += gaps_before_cjk(paragraph, line_texts(paragraph, width), width)
    assert max(gaps) > 3 * ROOM


MIXED_WIDTHS = range(150, 330, 9)


@pytest.mark.parametrize("width", MIXED_WIDTHS)
def test_latin_words_in_mixed_text_stay_whole(width: int) -> None:
    paragraph = cjk_paragraph(MIXED_BIO)
    lines = line_texts(paragraph, width)
    words = set(re.findall(r"[A-Za-z]+", MIXED_BIO))
    for line in lines:
        # a Latin word cut in two would leave pieces that are no words of the text
        assert set(re.findall(r"[A-Za-z]+", line)) <= words, line
    assert chars_of(lines) == MIXED_BIO.replace(" ", "")
    # a Chinese passage starts on the line where the Latin text before it ends, when
    # there is room for a character there
    for gap in gaps_before_cjk(paragraph, lines, width):
        assert gap < ROOM, lines


# ------------------------------------------------------------------------- Japanese


@pytest.mark.parametrize("width", range(60, 260, 3))
def test_japanese_lines_keep_the_kinsoku_rules(width: int) -> None:
    paragraph = cjk_paragraph(JAPANESE_BIO)
    lines = line_texts(paragraph, width)
    assert chars_of(lines) == JAPANESE_BIO
    for before, after in pairwise(lines):
        assert after[0] not in NO_LINE_START, (before, after)
        assert before[-1] not in NO_LINE_END, (before, after)
    # lines are full, but for characters pushed down with one that may not start a line
    for gap in gaps_before_cjk(paragraph, lines, width):
        assert gap < ROOM, lines


def test_korean_breaks_at_spaces_only() -> None:
    korean = "대한민국 외교부 장관은 오늘 제네바에서 열린 국제회의에 참석하여 기조연설을 하였다"
    lines = line_texts(cjk_paragraph(korean), 120)
    words = set(korean.split())
    assert len(lines) > 2
    for line in lines:
        assert set(line.split()) <= words, line


def test_full_width_digits_and_latin_letters_stay_together() -> None:
    text = "会议于２０２７年３月１１日在ＵＮＥＳＣＯ总部举行，" * 6
    for width in range(60, 200, 4):  # ＵＮＥＳＣＯ fits: 57 pt
        lines = line_texts(cjk_paragraph(text), width)
        for before, after in pairwise(lines):
            pair = before[-1] + after[0]
            assert not re.fullmatch("[０-９Ａ-Ｚ]{2}", pair), (before, after)


# ----------------------------------------------------------------------------- Thai


def thai_paragraph(text: str, size: float = 9.5) -> Paragraph:
    return UserTextParagraph.of(text, plain(size))


def assert_thai_clusters_whole(lines: list[str]) -> None:
    for before, after in pairwise(lines):
        first = after.lstrip()[0]
        assert unicodedata.category(first) not in ("Mn", "Mc"), (before, after)
        assert first not in THAI_NO_LINE_START, (before, after)
        assert before.rstrip()[-1] not in THAI_LEADING_VOWELS, (before, after)


@pytest.mark.parametrize("width", range(30, 240, 5))
def test_thai_never_breaks_inside_a_cluster(width: int) -> None:
    lines = line_texts(thai_paragraph(THAI_BIO), width)
    assert chars_of(lines) == THAI_BIO.replace(" ", "")
    assert_thai_clusters_whole(lines)


def test_thai_breaks_at_its_spaces_and_between_clusters() -> None:
    """Thai words run together: the text breaks between phrases, and a phrase wider
    than the line only between clusters."""
    assert para_markup(THAI_SENTENCE).count('size="0"') == 0  # no breaks inside words
    for width in range(30, 240, 7):
        lines = line_texts(thai_paragraph(THAI_BIO), width)
        assert chars_of(lines) == THAI_BIO.replace(" ", "")
        assert_thai_clusters_whole(lines)
    # a phrase that fits goes whole to the next line
    phrases = THAI_BIO.split()
    lines = line_texts(thai_paragraph(THAI_BIO), 560)
    assert len(lines) > 1
    assert all(set(line.split()) <= set(phrases) for line in lines), lines


@pytest.mark.parametrize("width", range(48, 140, 4))
def test_an_emoji_zwj_sequence_is_never_split(width: int) -> None:
    # (a single cluster wider than the whole line is cut by reportlab: unshaped, with
    # the Chinese font's wide joiners, this one is 47.5 pt)
    texts = [
        "一二三四五六七八九" + FAMILY + "十一二三" + FAMILY + FAMILY + "四五六",
        FAMILY * 12,
        "Family " + FAMILY * 8 + " photo",
    ]
    for text in texts:
        lines = line_texts(UserTextParagraph.of(text, plain()), width)
        assert chars_of(lines) == text.replace(" ", "")
        for before, after in pairwise(lines):
            assert not before.endswith("\u200d"), (before, after)
            assert not after.startswith("\u200d"), (before, after)
            assert not (before.endswith("\U0001f468") and after.startswith("\u200d"))
        for line in lines:
            # the line holds whole sequences: as many men as girls
            assert line.count("\U0001f468") == line.count("\U0001f467"), lines


@pytest.mark.parametrize("width", range(20, 90, 2))
def test_an_overlong_devanagari_word_is_split_between_syllables(width: int) -> None:
    word = "क्षत्रियराष्ट्रपतिप्रतिनिधिमण्डलाध्यक्ष"
    lines = line_texts(UserTextParagraph.of(f"श्री {word} जी", plain()), width)
    assert chars_of(lines) == f"श्री{word}जी"
    for before, after in pairwise(lines):
        assert unicodedata.category(after.lstrip()[0]) not in ("Mn", "Mc"), (before, after)
        # a conjunct (consonant, virama, consonant) is never cut after its virama
        assert not before.rstrip().endswith("\u094d"), (before, after)


def test_an_overlong_word_with_combining_accents_keeps_them_on_their_letters() -> None:
    word = "q\u0303" * 30 + "e\u0301\u0323" * 10  # no precomposed form for these
    assert needs_cluster_safe_split(word)
    for width in range(15, 80, 5):
        lines = line_texts(UserTextParagraph.of(word, plain()), width)
        assert len(lines) > 1
        assert "".join(lines) == unicodedata.normalize("NFC", word)
        for line in lines:
            assert unicodedata.category(line[0]) != "Mn", lines


def test_an_overlong_word_is_split_only_where_it_must_be() -> None:
    # the word fits a line, not the rest of the first one: it moves whole to the next
    word = "प्रतिनिधिमण्डल"
    width = text_width(word, 9.5) + 4
    paragraph = UserTextParagraph.of(f"Name: {word}", paragraph_style(size=9.5))
    lines = line_texts(paragraph, width)
    assert len(lines) == 2 and lines[0].strip() == "Name:"
    assert 'size="0"' not in paragraph.text
    # narrower than the word, the word is split between clusters, and fills the first
    # line; wider again, it is whole again
    lines = line_texts(paragraph, width - 12)
    assert len(lines) >= 2 and lines[0].startswith("Name: ") and len(lines[0]) > 6
    assert paragraph.text.count('<font size="0"> </font>') >= 4
    assert len(line_texts(paragraph, width)) == 2
    assert 'size="0"' not in paragraph.text


def test_shaped_devanagari_is_split_between_clusters_too(tmp_path: Path) -> None:
    """With shaping (the book's style), the split word's parts are shaped on their own:
    no part starts with a vowel sign, so no dotted circle is printed."""
    word = "क्षत्रियराष्ट्रपतिप्रतिनिधिमण्डलाध्यक्ष"
    paragraph = user_paragraph(word, paragraph_style(size=10))
    paragraph.wrap(50, 10_000)
    assert len(paragraph.blPara.lines) > 1
    parts = re.sub(r"<[^>]+>", "|", paragraph.text).split("|")
    parts = [part for part in parts if part.strip()]
    assert "".join(parts) == word
    for part in parts:
        assert unicodedata.category(part[0]) not in ("Mn", "Mc"), parts
        assert not part.endswith("\u094d"), parts  # a conjunct is never cut
    assert "ध्य" in parts[-1] or "ध्यक्ष" in "".join(parts[-2:])
    build(tmp_path / "devanagari.pdf", [paragraph])


# ------------------------------------------------- the other scripts, as they were


LATIN_TEXTS = [
    "Ambassador Zoë Ångström-Müller presented her credentials to the President on "
    "Thursday; she previously served in Geneva, Nairobi and Wellington.",
    "Κυριάκος Μητσοτάκης, Πρωθυπουργός της Ελληνικής Δημοκρατίας, επισκέφθηκε τη Βιέννη.",
    "Владимир Иванов, заместитель министра иностранных дел Российской Федерации.",
    "See https://example.org/" + "very-long-path-" * 12 + " for details.",
    "Nguyễn Tấn Dũng đã gặp Thủ tướng tại Hà Nội.",
]


@pytest.mark.parametrize("text", LATIN_TEXTS)
def test_latin_greek_and_cyrillic_break_exactly_as_reportlab_breaks_them(text: str) -> None:
    style = styles().body
    reference_style = ParagraphStyle("Reference", parent=style, shaping=0)
    for width in (60, 95, 140, 230, 400):
        ours = user_text(text, style)
        assert type(ours) is BookParagraph
        reference = Paragraph(escape(text), reference_style)
        assert line_texts(ours, width) == line_texts(reference, width)


OTHER_TEXTS = [
    "محمد بن سلمان ولي العهد رئيس مجلس الوزراء في المملكة العربية السعودية",
    "יוסף כהן, שגריר ישראל באו״ם, נפגש עם שר החוץ בירושלים",
    "नरेन्द्र मोदी भारत के प्रधानमंत्री हैं और वे गुजरात के मुख्यमंत्री भी रहे",
    "(محمد) Dr. יוסף כהן and नरेन्द्र मोदी",
]


@pytest.mark.parametrize("text", OTHER_TEXTS)
def test_arabic_hebrew_and_devanagari_break_as_before(text: str, monkeypatch) -> None:
    style = styles().body
    new = [line_texts(user_text(text, style), width) for width in (80, 150, 300)]
    markup = para_markup(text)
    assert 'size="0"> </font><font' not in markup.replace(
        f'<font name="{BASE_FAMILY}" size="0"> </font>', ""
    )
    # the same with every addition of this module switched off
    monkeypatch.setattr(linebreak_module, "_break_opportunities", lambda line: frozenset())
    monkeypatch.setattr(markup_module, "_split_long_pieces", lambda pieces, *_args: pieces)
    assert para_markup(text) == markup
    old = [line_texts(user_text(text, style), width) for width in (80, 150, 300)]
    assert new == old


def test_right_to_left_text_with_a_chinese_passage_breaks_inside_the_passage() -> None:
    passage = "他长期从事国际法研究著有国际条约法外交特权与豁免等书并多次率团出席联合国大会"
    text = f"יוסף כהן {passage} שגריר ישראל"
    paragraph = user_paragraph(text, paragraph_style(size=10))
    paragraph.wrap(160, 10_000)
    lines = paragraph.blPara.lines
    assert len(lines) >= 3
    chinese = ["".join(ch for word in line.words for ch in word.text if "\u4e00" <= ch <= "\u9fff")
               for line in lines]
    assert "".join(chinese) == passage
    # the passage starts on the first line, after the Hebrew name
    assert chinese[0]


# ---------------------------------------------------------------------- book level


def build(path: Path, flowables) -> PdfReader:
    register_fonts()
    SimpleDocTemplate(str(path), pagesize=A4, initialFontName=BASE_FAMILY).build(flowables)
    return PdfReader(str(path))


def test_a_page_of_such_biographies_prints_whole_text(tmp_path: Path) -> None:
    style = styles().body
    flowables = [
        user_text(CHINESE_BIO * 2, style),
        user_text(JAPANESE_BIO, style),
        user_text(MIXED_BIO, style),
        user_text(THAI_BIO, style),
    ]
    reader = build(tmp_path / "bios.pdf", flowables)
    text = unicodedata.normalize("NFKC", reader.pages[0].extract_text())
    flat = re.sub(r"\s+", "", text)
    # no character lost, no space added between Chinese or Japanese characters
    assert unicodedata.normalize("NFKC", CHINESE_BIO) in flat
    assert unicodedata.normalize("NFKC", JAPANESE_BIO).replace(" ", "") in flat
    assert "Professor 王小明 of Peking" in text


def test_long_biographies_flow_over_pages_whole(tmp_path: Path) -> None:
    style = styles().body
    chinese, thai = CHINESE_BIO * 30, (THAI_BIO + " ") * 40
    reader = build(tmp_path / "long.pdf", [user_text(chinese, style), user_text(thai, style)])
    assert len(reader.pages) >= 4
    text = "".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    assert unicodedata.normalize("NFKC", chinese) in flat
    # shaped Thai comes out with some glyphs as private-use characters: its consonants
    # all come out, in order
    def consonants(value: str) -> str:
        return re.sub("[^\u0e01-\u0e2e]", "", value)

    assert consonants(flat) == consonants(thai)


def test_titled_and_table_cells_use_the_same_breaking() -> None:
    from protocol_app.briefing.sections import _titled

    [paragraph] = _titled("<b>Note: </b>", THAI_SENTENCE * 3, styles().body)
    assert isinstance(paragraph, UserTextParagraph)
    paragraph.wrap(60, 10_000)
    assert len(paragraph.blPara.lines) > 2
    cell = user_text(CHINESE_BIO, styles().cell)
    assert isinstance(cell, BookParagraph)
    assert cell.text.count('<font size="0"> </font>') > 50
