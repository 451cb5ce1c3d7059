"""The front of the printed seating chart: the table plan and the seating list A–Z."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from protocol_app.briefing.cards import write_seating_pdf
from protocol_app.briefing.seating_chart import (
    MARGIN,
    PLAN_CELL_H,
    PLAN_CELL_W,
    _plan_grid,
    _plan_pages,
    has_seating_list,
    has_table_plan,
    seating_list,
)
from protocol_app.rules.names import list_form, sort_key
from protocol_app.services.protocol.values import (
    SeatingOptions,
    SeatingPlanView,
    SeatView,
    TableView,
    parse_tables,
)
from protocol_app.services.values import PersonRecord
from tests.support.demo_refs import AS_MEAL, MINISTERIAL, RECEPTION, person_id
from tests.support.pdf import STANDARD_14, embedded_fonts

#: Made-up family names for crowded plans: particles, accents, strokes, other scripts.
FAMILIES = ["van Dijk", "Öztürk", "Zhang", "de la Fuente", "Åberg", "Łukasiewicz", "Abe",
            "Nakamura", "O'Neill", "Müller", "Đặng", "Ibrahim", "Petrović", "Kowalski"]


def read(path: Path) -> tuple[PdfReader, list[str], dict[str, int]]:
    """The PDF, each page's text (NFKC: ligatures undone) and outline title -> first page index."""
    reader = PdfReader(str(path))
    texts = [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]
    outline = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    return reader, texts, outline


def pages_of(outline: dict[str, int], title: str, count: int) -> range:
    """The pages of one outline entry: up to the next entry's first page."""
    start = outline[title]
    later = [page for page in outline.values() if page > start]
    return range(start, min(later, default=count))


def seated_people(view: SeatingPlanView) -> list[PersonRecord]:
    """Everyone at a table or behind a seat."""
    people = view.people
    return [people[pid] for pid in view.seated_ids]


def crowded(view: SeatingPlanView, shapes: str, count: int) -> SeatingPlanView:
    """``view`` with the tables of ``shapes`` filled, table by table and seat by seat,
    with ``count`` made-up people (the host seat of each table is seat 1)."""
    people = [PersonRecord(id=90_000 + i, family_name=FAMILIES[i % len(FAMILIES)],
                           given_name=f"Guest {i:03d}") for i in range(count)]
    tables: list[TableView] = []
    for spec in parse_tables(shapes):
        places = tuple(
            SeatView(spec.number, seat, people.pop(0) if people else None,
                     marker="host" if seat == 1 else "")
            for seat in range(1, spec.seats + 1))
        tables.append(TableView(spec.number, spec.shape, spec.seats, spec.name, 1, None, None,
                                places))
    return replace(view, tables=tuple(tables), unseated=tuple(people), forms={})


def test_a_plan_of_several_tables_starts_with_the_table_plan_and_the_list(
        demo_services, tmp_path: Path) -> None:
    view = demo_services.seating.plan_seating(
        MINISTERIAL, "e17", parse_tables("round:10,round:10,rect:16"),
        options=SeatingOptions(interpreters_at_table=False))
    assert any(p.behind for t in view.tables for p in t.places)  # an interpreter behind
    target = tmp_path / "dinner.pdf"
    write_seating_pdf(target, view, office="Office of Protocol")
    reader, texts, outline = read(target)
    assert list(outline)[:5] == ["Table plan", "Seating list A–Z", "Seating chart – Table 1",
                                 "Seating chart – Table 2", "Seating chart – Table 3"]
    assert outline["Table plan"] == 0 and outline["Seating list A–Z"] == 1
    assert outline["Seating chart – Table 1"] == 2
    overview = texts[0]
    assert "Table plan – 3 tables" in overview and "State dinner in honour" in overview
    assert "Office of Protocol" in overview
    for number in (1, 2, 3):
        assert re.search(rf"Table {number}\b", overview), number
    host = demo_services.seating.seating_plan(MINISTERIAL, "e17").tables[0].place(1)
    assert view.place_card(host.person) in overview  # the host under table 1
    # every landscape page of the chart part
    for page in reader.pages[:5]:
        assert float(page.mediabox.width) > float(page.mediabox.height)

    listing = texts[1]
    assert "Seating list A–Z" in listing
    expected = sorted(seated_people(view), key=sort_key)
    assert len(expected) == 12  # the four people on duty are not seated
    at = -1
    for person in expected:
        at = listing.find(list_form(person), at + 1)
        assert at >= 0, f"{list_form(person)} missing or out of order"
    assert "LIN, Yi-chun" in listing and "林怡君" in listing  # the native name beside
    assert "TRỊNH, Văn Long" in listing and "behind seat" in listing
    assert "Not seated" not in listing


def test_the_list_shows_the_native_scripts_and_no_dietary_needs(demo_services, tmp_path) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04", parse_tables("round:8,round:8"))
    target = tmp_path / "reception.pdf"
    write_seating_pdf(target, view, parts=["chart"])
    reader, texts, _outline = read(target)
    assert len(reader.pages) == 2 + 2
    front = texts[0] + texts[1]
    for native in ("Ελένη Δημητριάδου", "Калин Драгомиров", "陈慧敏", "森本 健二"):
        assert native in texts[1], native
    assert "al-KHATIB, Faris" in texts[1] and "VALADARES, Maria da Conceição" in texts[1]
    assert "Halal" not in front and "Dietary" not in front  # they have their own panel
    assert "Halal; no alcohol" in "".join(texts[2:])


def test_sensitive_notes_never_print(demo_services, tmp_path: Path) -> None:
    for name in ("Faris al-Khatib", "Lin Yi-chun", "Caroline Mercer"):
        pid = person_id(demo_services, RECEPTION, name)
        demo_services.people.update(pid, None, medical="MEDICAL-MARKER-7Q",
                                    security="SECURITY-MARKER-7Q",
                                    protocol_notes="PROTOCOL-MARKER-7Q")
    view = demo_services.seating.plan_seating(RECEPTION, "r04",
                                               parse_tables("round:8,round:8"))
    assert any(p.medical == "MEDICAL-MARKER-7Q" for p in view.people.values())
    target = tmp_path / "reception.pdf"
    write_seating_pdf(target, view)
    text = "\n".join(read(target)[1])
    assert "al-KHATIB, Faris" in text
    assert "MARKER-7Q" not in text


def test_twenty_tables_fit_the_table_plan(demo_services, tmp_path: Path) -> None:
    shapes = ",".join(["round:4"] * 12 + ["rect:6"] * 4 + ["head:10", "round:12", "rect:20",
                                                           "round:6"])
    view = demo_services.seating.plan_seating(RECEPTION, "r04", parse_tables(shapes))
    assert len(view.tables) == 20
    target = tmp_path / "twenty.pdf"
    write_seating_pdf(target, view, parts=["chart"])
    reader, texts, outline = read(target)
    overview = "\n".join(texts[i] for i in pages_of(outline, "Table plan", len(texts)))
    for number in range(1, 21):
        assert re.search(rf"Table {number}\b", overview), number
    assert len(reader.pages) == outline["Seating list A–Z"] + 1 + 20
    fonts = embedded_fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert not any(name.lstrip("/") in STANDARD_14 for name in fonts)


def test_a_long_list_continues_over_pages_and_many_tables_over_plan_pages(
        demo_services, tmp_path: Path) -> None:
    base = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    view = crowded(base, ",".join(["round:10"] * 30), 290)
    target = tmp_path / "banquet.pdf"
    write_seating_pdf(target, view, parts=["chart"])
    reader, texts, outline = read(target)
    plan_pages = pages_of(outline, "Table plan", len(texts))
    list_pages = pages_of(outline, "Seating list A–Z", len(texts))
    assert len(plan_pages) == 2 and len(list_pages) >= 3
    assert "(continued, page 2 of 2)" in texts[plan_pages[1]]
    overview = "\n".join(texts[i] for i in plan_pages)
    for number in range(1, 31):
        assert re.search(rf"Table {number}\b", overview), number
    assert "(continued, page 2 of" in texts[list_pages[1]]
    listing = "\n".join(texts[i] for i in list_pages)
    at = -1
    for person in sorted(seated_people(view), key=sort_key):
        at = listing.find(list_form(person), at + 1)
        assert at >= 0, f"{list_form(person)} missing or out of order"
    assert "van DIJK, Guest 000" in listing and "ÅBERG, Guest 004" in listing
    assert len(reader.pages) == len(plan_pages) + len(list_pages) + 30


def test_the_not_seated_come_last(demo_services, tmp_path: Path) -> None:
    base = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    view = crowded(base, "round:8,round:8", 19)
    target = tmp_path / "short.pdf"
    write_seating_pdf(target, view, parts=["chart"])
    listing = read(target)[1][1]
    not_seated = listing.index("Not seated")
    for person in view.unseated:
        assert listing.index(list_form(person)) > not_seated
    assert [r.heading for r in seating_list(view)].count("Not seated") == 1


def test_a_single_table_gets_the_list_only_when_crowded(demo_services, tmp_path: Path) -> None:
    small = demo_services.seating.plan_seating(RECEPTION, "r04", options=AS_MEAL)
    assert len(small.tables) == 1 and len(small.seated_ids) == 13
    assert not has_table_plan(small) and not has_seating_list(small)
    target = tmp_path / "small.pdf"
    write_seating_pdf(target, small, parts=["chart"])
    reader, texts, outline = read(target)
    assert len(reader.pages) == 1 and list(outline) == ["Seating chart – Table 1"]
    assert "Table plan" not in texts[0] and "Seating list" not in texts[0]

    crowd = crowded(small, "round:18", 17)
    assert not has_table_plan(crowd) and has_seating_list(crowd)
    write_seating_pdf(target, crowd, parts=["chart"])
    reader, texts, outline = read(target)
    assert list(outline) == ["Seating list A–Z", "Seating chart – Table 1"]
    assert len(reader.pages) == 2 and "Table plan" not in texts[0]


def test_other_parts_do_not_get_the_front_pages(demo_services, tmp_path: Path) -> None:
    view = demo_services.seating.plan_seating(RECEPTION, "r04", parse_tables("round:8,round:8"))
    target = tmp_path / "cards.pdf"
    write_seating_pdf(target, view, parts=["cards", "badges"])
    _reader, texts, outline = read(target)
    assert list(outline) == ["Place cards", "Name badges"]
    assert not any("Table plan" in t or "Seating list A–Z" in t for t in texts)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_table_plan_grid_never_overflows(paper: str) -> None:
    from reportlab.lib.pagesizes import A4, landscape, letter

    width, height = landscape(A4 if paper == "A4" else letter)
    area = (width - 2 * MARGIN, height - 200)
    for count in range(1, 61):
        chunks = _plan_pages(count, area)
        assert [i for chunk in chunks for i in chunk] == list(range(count))
        for chunk in chunks:
            columns, rows = _plan_grid(len(chunk), area)
            assert columns * rows >= len(chunk)
            assert area[0] / columns >= PLAN_CELL_W and area[1] / rows >= PLAN_CELL_H, count
