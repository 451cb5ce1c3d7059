"""The command line: exit 0 on success, 1 with one `protocol-app: ...` line for what a
user can fix, 2 for bad usage; never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from protocol_app.cli import main
from tests.support.helpers import demo_document, package_bytes, row_counts
from tests.support.times import ROOT


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str) -> str:
    assert err.startswith("protocol-app: ")
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.removeprefix("protocol-app: ").rstrip("\n")


def test_demo_visits_import_export_end_to_end(tmp_path, capsys) -> None:
    db = str(tmp_path / "office.sqlite3")
    code, out, err = _run(capsys, "--db", db, "demo")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Imported new visit in-ambassador-courtesy-call-2027: Courtesy call by the Ambassador "
        "of India on the President",
        "Imported new visit diplomatic-corps-reception-2027: Reception for the Diplomatic "
        "Corps on the opening of the Alderbrook Institute for Global Affairs",
        "Imported new visit vn-moet-minister-2027: Official visit of the Minister of "
        "Education and Training of Viet Nam"]
    assert _run(capsys, "--db", db, "demo", "--if-empty") == (0, "", "")

    code, out, err = _run(capsys, "--db", db, "visits", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["vn-moet-minister-2027",
                                       "in-ambassador-courtesy-call-2027",
                                       "diplomatic-corps-reception-2027"]
    assert rows[0] == {"number": 3, "id": "vn-moet-minister-2027",
                       "title": "Official visit of the Minister of Education and Training of "
                                "Viet Nam",
                       "status": "confirmed", "start_date": "2027-03-11",
                       "end_date": "2027-03-14", "country": "VN",
                       "timezone": "America/New_York",
                       "head_of_delegation": "Võ Thanh Tùng", "people": 16, "events": 20}

    code, out, _ = _run(capsys, "--db", db, "visits", "--status", "planned")
    assert code == 0 and out.count("\n") == 1 and "diplomatic-corps-reception-2027" in out

    package = tmp_path / "minister.json"
    code, out, err = _run(capsys, "--db", db, "export", "vn-moet-minister-2027", "--out",
                          str(package))
    assert (code, out, err) == (0, f"Wrote {package}\n", "")
    assert json.loads(package.read_text(encoding="utf-8"))["visit"]["id"] == (
        "vn-moet-minister-2027")
    assert _run(capsys, "--db", db, "export", "3", "--out", str(package))[0] == 0

    other = str(tmp_path / "other.sqlite3")
    code, out, err = _run(capsys, "--db", other, "import", str(package))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("Imported new visit vn-moet-minister-2027: Official visit "
                                   "of the Minister of Education and Training of Viet Nam")
    code, out, err = _run(capsys, "--db", other, "import", str(package))
    assert out.splitlines() == ["Updated visit vn-moet-minister-2027: Official visit of the "
                                "Minister of Education and Training of Viet Nam",
                                "  nothing changed"]


def test_an_empty_database_suggests_what_to_do(tmp_path, capsys) -> None:
    code, out, err = _run(capsys, "--db", str(tmp_path / "x.sqlite3"), "visits")
    assert (code, err) == (0, "")
    assert out == "No visits yet. Try `protocol-app demo` or `protocol-app import FILE`.\n"
    assert _run(capsys, "--db", str(tmp_path / "x.sqlite3"), "visits", "--json")[1] == "[]\n"


def test_the_default_database_comes_from_the_environment(tmp_path, capsys,
                                                         monkeypatch) -> None:
    db = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("PROTOCOL_APP_DB", str(db))
    assert _run(capsys, "demo")[0] == 0
    assert db.exists() and row_counts(db)["visits"] == 3


def test_user_errors_exit_1_with_one_line(tmp_path, capsys) -> None:
    db = tmp_path / "office.sqlite3"
    assert _run(capsys, "--db", str(db), "demo")[0] == 0
    before = row_counts(db)

    code, _, err = _run(capsys, "--db", str(db), "export", "nope", "--out",
                        str(tmp_path / "x.json"))
    assert code == 1
    assert _one_line_error(err) == ("There is no visit 'nope' (give its id, such as "
                                    "jp-rector-2027, or its number from `protocol-app visits`).")

    code, _, err = _run(capsys, "--db", str(db), "import", str(tmp_path / "missing.json"))
    assert code == 1
    assert _one_line_error(err) == (f"Cannot read {tmp_path / 'missing.json'}: No such file or "
                                    "directory.")

    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"format": "protocol-visit/1", "visit": ')
    code, _, err = _run(capsys, "--db", str(db), "import", str(bad))
    assert code == 1
    assert _one_line_error(err) == f"{bad} is not valid JSON: Expecting value at line 1, " \
                                   "column 41."  # the path as given on the command line

    code, _, err = _run(capsys, "--db", str(db), "export", "1", "--out",
                        str(tmp_path / "no-such-folder" / "x.json"))
    assert code == 1
    assert "the folder" in _one_line_error(err)

    code, _, err = _run(capsys, "--db", str(db), "export", "1", "--out", str(tmp_path))
    assert code == 1
    assert _one_line_error(err) == (f"Cannot write {tmp_path}: it is a folder; give a file "
                                    f"name, such as {tmp_path / 'visit.json'}.")

    code, _, err = _run(capsys, "--db", str(db), "backup", "--out", str(bad))
    assert code == 1
    assert _one_line_error(err).endswith("already exists; choose another file name.")

    code, _, err = _run(capsys, "--db", str(db), "restore", str(bad))
    assert code == 1
    assert _one_line_error(err) == (f"{bad} cannot be restored: not an SQLite database. "
                                    "Nothing was changed.")
    assert row_counts(db) == before


def test_a_package_with_many_problems_lists_them_under_one_message(tmp_path, capsys) -> None:
    doc = demo_document("ambassador")
    doc["events"][0]["end"] = "2027-04-22T09:00"
    doc["people"][1]["family_name"] = ""
    path = tmp_path / "call.json"
    path.write_bytes(package_bytes(doc))
    code, out, err = _run(capsys, "--db", str(tmp_path / "o.sqlite3"), "import", str(path))
    assert (code, out) == (1, "")
    assert err == (f"protocol-app: {path}: 2 problems:\n"
                   "  - people[1].family_name: is required\n"
                   "  - events[0].end: must be after the start\n")


def test_damaged_and_foreign_databases_exit_1(tmp_path, capsys) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")
    code, _, err = _run(capsys, "--db", str(junk), "visits")
    assert code == 1
    assert _one_line_error(err) == (f"{junk} is not a Protocol Desk database (not an SQLite "
                                    "file); nothing was changed.")
    assert junk.read_bytes() == b"not a database at all"

    db = tmp_path / "office.sqlite3"
    assert _run(capsys, "--db", str(db), "demo")[0] == 0
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\x00\xff" * ((4096 - 100) // 2)
    db.write_bytes(bytes(data))
    for argv in (["visits"], ["visits", "--json"],
                 ["export", "1", "--out", str(tmp_path / "x.json")],
                 ["backup", "--out", str(tmp_path / "b.sqlite3")]):
        code, out, err = _run(capsys, "--db", str(db), *argv)
        assert (code, out) == (1, "")
        assert str(db) in _one_line_error(err)

    code, _, err = _run(capsys, "--db", str(tmp_path), "visits")
    assert code == 1 and _one_line_error(err) == f"{tmp_path} is a folder, not a database file."


@pytest.mark.parametrize("argv", [["frobnicate"], ["export", "1"], ["visits", "--status",
                                                                    "maybe"], ["import"],
                                  ["--no-such-option", "visits"]])
def test_bad_usage_exits_2(capsys, argv) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    _, err = capsys.readouterr()
    assert err.startswith("usage: protocol-app") and "Traceback" not in err


def test_no_command_prints_help_or_opens_the_gui(capsys) -> None:
    assert main([]) == 2
    assert "Protocol Desk" in capsys.readouterr().out
    opened = []
    assert main(["--db", "x.sqlite3"], open_gui=lambda db: opened.append(db) or 0) == 0
    assert main(["-v"], open_gui=lambda db: opened.append(db) or 0) == 0
    assert opened == ["x.sqlite3", None]


def test_the_gui_path_builds_no_command_parser(capsys, tmp_path) -> None:
    """Opening the window parses the global options only; a command or --help still gets
    the whole parser (and never opens the window)."""
    opened = []
    with pytest.raises(SystemExit) as exit_:
        main(["--help"], open_gui=opened.append)
    assert exit_.value.code == 0 and opened == []
    out = capsys.readouterr().out
    assert "briefing" in out and "invites" in out and "visits" in out
    db = str(tmp_path / "office.sqlite3")
    assert main(["--db", db, "visits"], open_gui=opened.append) == 0
    assert opened == [] and "No visits yet" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main(["--db"], open_gui=opened.append)
    assert exit_.value.code == 2 and opened == []
    code = ("import sys; from protocol_app.cli import main; "
            "main([], open_gui=lambda db: 0); "
            "print(sorted(m for m in sys.modules if m.endswith('commands')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def _python_m(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "protocol_app", *argv], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def test_python_m_protocol_app_runs_end_to_end(tmp_path) -> None:
    db = str(tmp_path / "office.sqlite3")
    result = _python_m("--db", db, "demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Imported new visit") == 3
    result = _python_m("--db", db, "visits", "--json")
    assert result.returncode == 0 and result.stderr == ""
    assert len(json.loads(result.stdout)) == 3
    out = tmp_path / "copy.sqlite3"
    result = _python_m("--db", db, "backup", "--out", str(out))
    assert (result.returncode, result.stdout) == (0, f"Backed up to {out}\n")
    result = _python_m("--db", db, "restore", str(out))
    assert result.returncode == 0 and result.stdout.startswith(f"Restored {out}")


def test_python_m_protocol_app_errors_have_no_traceback(tmp_path) -> None:
    result = _python_m("frobnicate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "invalid choice: 'frobnicate'" in result.stderr
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("hello", encoding="utf-8")
    result = _python_m("--db", str(junk), "visits")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"protocol-app: {junk} is not a Protocol Desk database (not an "
                             "SQLite file); nothing was changed.\n")
    result = _python_m("--db", str(tmp_path / "o.sqlite3"), "import",
                       str(Path(tmp_path / "missing.json")))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("protocol-app: Cannot read ")
