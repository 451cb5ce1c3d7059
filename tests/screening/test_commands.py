"""``protocol-app screening load | lists | remove | check``: output, JSON, and errors as one
line with exit status 1."""

from __future__ import annotations

import json
import sqlite3

import pytest

from protocol_app.cli import main
from tests.screening.conftest import entity, individual


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_load_lists_check_and_remove(tmp_path, capsys, csl_file, services, visit_with,
                                     db_path) -> None:
    visit = visit_with({"family_name": "Иванов", "given_name": "Сергей", "country": "RU",
                        "organization": "ACME Trading LLC"},
                       {"family_name": "Ivanov", "given_name": "Ivan"})
    db = str(db_path)
    path = csl_file([individual("IVANOV, Sergei", citizenships="RU"),
                     entity("Acme Trading L.L.C.")])
    code, out, err = _run(capsys, "--db", db, "screening", "load", str(path))
    assert (code, err) == (0, "")
    assert out == (f"Loaded 2 entries into us-csl (U.S. Consolidated Screening List layout) "
                   f"from {path}.\n")

    code, out, err = _run(capsys, "--db", db, "screening", "lists")
    assert code == 0
    assert out.startswith("us-csl         2 entries  loaded ")
    assert "STALE" not in out
    code, out, _ = _run(capsys, "--db", db, "screening", "lists", "--json")
    (listed,) = json.loads(out)
    assert (listed["source"], listed["entries"], listed["stale"]) == ("us-csl", 2, False)

    code, out, err = _run(capsys, "--db", db, "screening", "check", str(visit))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("Screening – Delegation under review: 2 matches (score ≥ 85) against "
                        "us-csl (2)")
    assert lines[1].startswith("100.0  ACME Trading LLC (organization of Сергей Иванов) [p")
    assert lines[1].endswith("↔  Acme Trading L.L.C.  [us-csl]")
    assert " 92.5  Сергей Иванов [p" in out
    assert "why: Sergey ≈ Sergei (same sound); Ivanov = Ivanov" in out
    assert "Ivan Ivanov" not in out

    code, out, _ = _run(capsys, "--db", db, "screening", "check", str(visit), "--json")
    report = json.loads(out)
    assert set(report) == {"visit", "threshold", "lists", "warnings", "matches"}
    assert report["threshold"] == 85
    assert report["warnings"] == []
    first = report["matches"][1]
    assert {k: first[k] for k in ("name", "subject", "list", "entry", "score")} == {
        "name": "Сергей Иванов", "subject": "person", "list": "us-csl",
        "entry": "IVANOV, Sergei", "score": 92.5}
    assert first["entry_details"] == "countries: RU · programs: RUSSIA-EO14024 · list: " \
                                     "Specially Designated Nationals (SDN) - Treasury " \
                                     "Department · id: line 2"

    code, out, _ = _run(capsys, "--db", db, "screening", "remove", "us-csl")
    assert (code, out) == (0, "Removed the screening list us-csl (2 entries).\n")
    code, out, err = _run(capsys, "--db", db, "screening", "check", str(visit))
    assert code == 0
    assert err.startswith("protocol-app: warning: No screening list is loaded")
    assert "0 matches" in out


def test_a_stale_list_is_marked_and_warned_of(capsys, csl_file, services, visit_with,
                                              db_path) -> None:
    visit = visit_with({"family_name": "Adler", "given_name": "Tom"})
    services.screening.load(csl_file([individual("IVANOV, Sergei")]))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE screening_lists SET loaded_at = datetime('now', '-45 days')")
    conn.commit()
    conn.close()
    code, out, _ = _run(capsys, "--db", str(db_path), "screening", "lists")
    assert code == 0
    assert out.rstrip().endswith("STALE: 45 days old")
    code, out, err = _run(capsys, "--db", str(db_path), "screening", "check", str(visit),
                          "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["warnings"][0].startswith(
        "The screening list us-csl was loaded 45 days ago")
    assert json.loads(out)["lists"][0]["stale"] is True


def test_a_refused_file_is_one_line_and_exit_status_1(capsys, tmp_path, db_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("source,type,name\nSDN,Individual,X\n", encoding="utf-8")
    code, out, err = _run(capsys, "--db", str(db_path), "screening", "load", str(bad))
    assert (code, out) == (1, "")
    assert err == (f"protocol-app: {bad}: the U.S. Consolidated Screening List layout needs "
                   "the column alt_names (missing from the header row). Nothing was "
                   "loaded.\n")
    code, _, err = _run(capsys, "--db", str(db_path), "screening", "remove", "nope")
    assert code == 1
    assert err == "protocol-app: There is no screening list 'nope' (loaded: none).\n"
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(db_path), "screening"])
    assert exit_.value.code == 2


def test_the_values_load_without_the_database_or_the_matcher() -> None:
    """The review and the desktop app import the values before anything heavy loads."""
    import subprocess
    import sys

    from tests.support.times import ROOT

    code = ("import sys; import protocol_app.screening.values; "
            "heavy = [m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'rapidfuzz', 'anyascii', 'jellyfish')]; assert not heavy, heavy")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
