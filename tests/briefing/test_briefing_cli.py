"""``protocol-app briefing``: the command line writes the book, reports warnings and
fails with a clear message and status."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from protocol_app.briefing.commands import paper_for_locale
from protocol_app.cli import COMMAND_MODULES, main
from tests.support.book_data import MEDICAL, PROTOCOL, VISIT, load_hostile_visit

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hostile_db(db_path: Path, services) -> Path:
    """A database holding the hostile visit (its photos are all readable)."""
    load_hostile_visit(services)
    return db_path


def _text(path: Path) -> str:
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_command_is_registered() -> None:
    assert "protocol_app.briefing.commands" in COMMAND_MODULES


def test_briefing_writes_the_internal_book_by_default(hostile_db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "book.pdf"
    assert main(["--db", str(hostile_db), "briefing", VISIT, "--out", str(out),
                 "--paper", "A4"]) == 0
    captured = capsys.readouterr()
    assert f"Wrote {out}" in captured.out and "internal book, A4" in captured.out
    assert "warning: Name of Sam Smiley" in captured.err  # the emoji in a name
    assert MEDICAL in _text(out)


def test_briefing_for_the_hosts_on_letter(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "hosts.pdf"
    assert main(["--db", str(hostile_db), "briefing", VISIT, "--out", str(out),
                 "--audience", "host", "--paper", "Letter"]) == 0
    reader = PdfReader(str(out))
    assert round(float(reader.pages[0].mediabox.width)) == 612
    text = _text(out)
    assert PROTOCOL in text and MEDICAL not in text


def test_strict_fails_on_warnings_but_writes_the_book(hostile_db: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "guest.pdf"
    assert main(["--db", str(hostile_db), "briefing", VISIT, "--out", str(out),
                 "--audience", "guest", "--strict"]) == 1
    assert out.exists()
    assert "(--strict)" in capsys.readouterr().err


def test_unknown_visit_is_a_clear_error(services, db_path: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "none.pdf"
    assert main(["--db", str(db_path), "briefing", "no-such-visit", "--out", str(out)]) == 1
    assert "There is no visit 'no-such-visit'" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_audience_is_bad_usage(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--db", str(db_path), "briefing", VISIT, "--out", str(tmp_path / "x.pdf"),
              "--audience", "press"])
    assert raised.value.code == 2


def test_the_briefing_command_runs_without_qt(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "noqt.pdf"
    code = (
        "import sys; from protocol_app.cli import main; "
        f"rc = main(['--db', {str(hostile_db)!r}, 'briefing', {VISIT!r}, '--out', "
        f"{str(out)!r}, '--audience', 'guest']); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'; "
        "sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert out.exists()


@pytest.mark.parametrize(("locale_name", "paper"), [
    ("en_US.UTF-8", "Letter"), ("es_MX", "Letter"), ("en_PH", "Letter"), ("fr_CA", "Letter"),
    ("fr_FR.UTF-8", "A4"), ("en_GB", "A4"), ("vi_VN", "A4"), ("C", "A4"), ("", "A4"),
    ("en-US", "Letter"),
])
def test_paper_follows_the_locale(locale_name: str, paper: str) -> None:
    assert paper_for_locale(locale_name) == paper
