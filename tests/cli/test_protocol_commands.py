"""The ``precedence``, ``check`` and ``seating`` commands, run as the user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from tests.support.demo_refs import MINISTERIAL, RECEPTION, RECEPTION_GUESTS
from tests.support.helpers import run_cli as run
from tests.support.pdf import STANDARD_14, embedded_fonts


def test_precedence_json_lists_the_guests_in_order_with_explanations(demo_db, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "precedence", RECEPTION, "--json")
    assert code == 0
    people = json.loads(out)
    assert [p["name"] for p in people] == RECEPTION_GUESTS
    assert [p["position"] for p in people] == list(range(1, 10))
    assert people[0]["category"] == "ambassador"
    assert people[0]["category_label"] == "ambassador"
    assert people[-1]["category"] == "charge_d_affaires"
    assert people[0]["explanation"] == "Valadares first: ambassador, highest in precedence"
    assert people[1]["explanation"].startswith("Valadares before al-Khatib: both ambassadors")
    assert all(p["explanation"] for p in people)
    assert people[1]["native_name"] == "فارس الخطيب"


def test_precedence_as_text_and_for_everyone(demo_db, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "precedence", RECEPTION)
    assert code == 0
    assert "1. H.E. Ms. Maria da Conceição VALADARES – ambassador" in out
    assert "Tan before Adler: ambassador ranks above chargé d'affaires" in out
    code, out, _ = run(capsys, "--db", demo_db, "precedence", RECEPTION, "--side", "all", "--json")
    assert len(json.loads(out)) == 15


def test_check_json_is_a_list_of_findings_and_exits_0(demo_db, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "check", MINISTERIAL, "--json")
    assert code == 0
    findings = json.loads(out)
    assert isinstance(findings, list) and findings
    assert {"severity", "code", "message", "event_refs", "person_ids", "at"} <= set(findings[0])
    assert "travel_time_too_short" in {f["code"] for f in findings}
    code, out, _ = run(capsys, "--db", demo_db, "check", MINISTERIAL)
    assert code == 0 and "WARNING  travel_time_too_short [e07, e09]" in out


def test_check_of_an_unknown_visit_is_an_error(demo_db, capsys) -> None:
    code, _, err = run(capsys, "--db", demo_db, "check", "no-such-visit")
    assert code == 1 and "There is no visit 'no-such-visit'" in err


def test_seating_shows_an_unsaved_plan_then_saves_one(demo_db, capsys, demo_services) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "seating", RECEPTION, "r04",
                       "--arrangement", "tables", "--json")
    assert code == 0
    plan = json.loads(out)
    assert plan["stored"] is False and plan["tables"][0]["shape"] == "rectangular"
    assert not demo_services.seating.seating_plan(RECEPTION, "r04").stored

    code, out, _ = run(capsys, "--db", demo_db, "seating", RECEPTION, "r04",
                       "--arrangement", "tables", "--plan",
                       "--tables", "round:8, round:8")
    assert code == 0 and "Table 1 (round, 8 seats)" in out and "[host]" in out
    stored = demo_services.seating.seating_plan(RECEPTION, "r04")
    assert stored.stored and len(stored.tables) == 2
    code, _, err = run(capsys, "--db", demo_db, "seating", RECEPTION, "r04",
                       "--arrangement", "tables", "--tables", "oval:3")
    assert code == 1 and "oval:3" in err


def test_seating_pdf_has_the_names_and_embedded_fonts(demo_db, capsys, tmp_path: Path) -> None:
    target = tmp_path / "reception-seating.pdf"
    code, out, _ = run(capsys, "--db", demo_db, "seating", RECEPTION, "r04",
                       "--arrangement", "tables", "--plan",
                       "--pdf", str(target))
    assert code == 0 and f"Wrote {target}" in out
    reader = PdfReader(str(target))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for name in ("Ambassador Valadares", "President Mercer", "Ambassador Dimitriadou",
                 "H.E. Eleni Dimitriadou", "Ελένη Δημητριάδου", "Калин Драгомиров",
                 "Seating chart", "Dietary needs at this table", "Halal; no alcohol"):
        assert name in text, name
    # one chart page (landscape), place cards two to a page, badges eight to a page: 13
    # people seated (the staff and the escort on duty are not)
    assert len(reader.pages) == 1 + 7 + 2
    chart = reader.pages[0]
    assert float(chart.mediabox.width) > float(chart.mediabox.height)
    fonts = embedded_fonts(reader)
    assert fonts and all(embedded for embedded in fonts.values()), fonts
    assert any("NotoSansArabic" in name for name in fonts)
    assert any("NotoSansHebrew" in name for name in fonts)
    assert any("Devanagari" in name for name in fonts)
    assert not any(name.lstrip("/") in STANDARD_14 for name in fonts)


def test_seating_pdf_of_some_parts_only(demo_db, capsys, tmp_path: Path) -> None:
    target = tmp_path / "badges.pdf"
    code, _, _ = run(capsys, "--db", demo_db, "seating", RECEPTION, "r04",
                       "--arrangement", "tables", "--pdf", str(target),
                     "--parts", "badges", "--paper", "Letter")
    assert code == 0
    reader = PdfReader(str(target))
    assert len(reader.pages) == 2
    assert round(float(reader.pages[0].mediabox.width)) == 612
    code, _, err = run(capsys, "--db", demo_db, "seating", RECEPTION, "r04",
                       "--arrangement", "tables", "--pdf",
                       str(tmp_path / "x.pdf"), "--parts", "menus")
    assert code == 1 and "menus" in err


def test_travel_time_is_set_listed_used_by_check_and_cleared(demo_db, capsys) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "travel-time", "Founders Hall",
                       "Kessler Engineering Center", "35")
    assert code == 0
    assert out.strip() == "35 min between Founders Hall and Kessler Engineering Center"
    code, out, _ = run(capsys, "--db", demo_db, "travel-time")
    assert code == 0
    assert "  35 min  Founders Hall  ↔  Kessler Engineering Center" in out
    assert "  Washington Dulles International Airport" in out.splitlines()
    code, out, _ = run(capsys, "--db", demo_db, "check", MINISTERIAL, "--json")
    assert any("the journey takes 35 min" in f["message"] for f in json.loads(out))
    code, out, _ = run(capsys, "--db", demo_db, "travel-time", "Kessler Engineering Center",
                       "Founders Hall", "--clear")
    assert code == 0 and out.startswith("Cleared:")
    code, out, _ = run(capsys, "--db", demo_db, "check", MINISTERIAL, "--json")
    assert not any("the journey takes 35 min" in f["message"] for f in json.loads(out))


def test_travel_time_refuses_unknown_venues_and_half_requests(demo_db, capsys) -> None:
    code, _, err = run(capsys, "--db", demo_db, "travel-time", "Nowhere", "Founders Hall", "5")
    assert code == 1 and err == "protocol-app: There is no venue named 'Nowhere'.\n"
    code, _, err = run(capsys, "--db", demo_db, "travel-time", "Founders Hall")
    assert code == 1 and "give two venues" in err
