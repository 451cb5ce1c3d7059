"""A read-only database file: reading commands work and write nothing; a write is
refused with one line naming the file (exit status 1, no traceback).

File permissions do not bind root, so as root the commands run as an unprivileged
user (``setpriv``); without one of the two the tests are skipped.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VISIT = "diplomatic-corps-reception-2027"
NOBODY = 65534

Run = Callable[..., subprocess.CompletedProcess[str]]


def _prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a file mode cannot stop root")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.fixture
def read_only() -> Iterator[tuple[Path, Run]]:
    """A demo database made read-only, and a way to run the command line on it."""
    prefix = _prefix()
    folder = Path(tempfile.mkdtemp(prefix="protocol-read-only-"))
    folder.chmod(0o777)  # the unprivileged user keeps its settings and logs here
    database = folder / "office.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PROTOCOL_APP_HOME": str(folder / "home"),
           "QT_QPA_PLATFORM": "offscreen"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, sys.executable, "-m", "protocol_app", "--db",
                               str(database), *args], capture_output=True, text=True,
                              env=env, cwd=folder, timeout=300)

    try:
        made = run("demo")
        assert made.returncode == 0, made.stderr
        for path in folder.rglob("*"):
            path.chmod(path.stat().st_mode | stat.S_IROTH | stat.S_IWOTH
                       | (stat.S_IXOTH if path.is_dir() else 0))
        database.chmod(0o444)
        yield database, run
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("args", [
    ("precedence", VISIT),
    ("precedence", VISIT, "--json", "--side", "all"),
    ("seating", VISIT, "r04", "--json"),
])
def test_reading_commands_work_and_write_nothing(read_only, args) -> None:
    database, run = read_only
    before = digest(database)
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip()
    assert digest(database) == before


def test_a_briefing_book_from_a_read_only_database(read_only) -> None:
    database, run = read_only
    before = digest(database)
    book = database.parent / "book.pdf"
    result = run("briefing", VISIT, "--out", str(book), "--audience", "internal")
    assert result.returncode == 0, result.stderr
    assert book.read_bytes().startswith(b"%PDF")
    assert digest(database) == before


def test_an_import_into_a_read_only_database_is_one_clear_line(read_only) -> None:
    database, run = read_only
    package = database.parent / "visit.json"
    exported = run("export", VISIT, "--out", str(package))
    assert exported.returncode == 0, exported.stderr
    before = digest(database)
    result = run("import", str(package))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(database) in lines[0] and "read-only" in lines[0]
    assert digest(database) == before
