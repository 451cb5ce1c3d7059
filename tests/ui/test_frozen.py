"""Smoke test of the frozen app (PyInstaller, ``build.spec``).

Runs when ``dist/protocol-desk/protocol-desk`` exists, or when
``PROTOCOL_DESK_FROZEN_SMOKE=1`` asks to build it first (about a minute).  It drives the
real binary: the command line (import a demo package, list, export it) and the window
(opened offscreen, closed by ``PROTOCOL_DESK_SMOKE=1`` once the visits are shown).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "dist" / "protocol-desk" / ("protocol-desk.exe" if sys.platform == "win32"
                                            else "protocol-desk")
BUILD = os.environ.get("PROTOCOL_DESK_FROZEN_SMOKE") == "1"
MAX_BUNDLE_MB = 250

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (BINARY.exists() or BUILD),
                       reason="no frozen app (build it: pyinstaller build.spec, or set "
                              "PROTOCOL_DESK_FROZEN_SMOKE=1)"),
]


@pytest.fixture(scope="module")
def binary() -> Path:
    if BUILD:
        pyinstaller = Path(sys.executable).with_name("pyinstaller")
        subprocess.run([str(pyinstaller), "--noconfirm", "build.spec"], cwd=ROOT, check=True,
                       capture_output=True, timeout=900)
    assert BINARY.exists()
    return BINARY


def run(binary: Path, home: Path, *args: str, smoke: bool = False
        ) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PROTOCOL_APP_DB", "PYTHONPATH")}
    env.update(PROTOCOL_APP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    if smoke:
        env["PROTOCOL_DESK_SMOKE"] = "1"
    return subprocess.run([str(binary), *args], env=env, capture_output=True, text=True,
                          timeout=180)


def test_the_bundle_is_small_enough(binary: Path) -> None:
    folder = binary.parent
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < MAX_BUNDLE_MB * 1024 * 1024, f"{size / 2**20:.0f} MB"
    assert (folder / "_internal" / "protocol_app" / "db" / "migrations" / "env.py").exists()
    assert (folder / "_internal" / "resources" / "demo" / "ministerial-delegation.json").exists()


def test_import_and_export_with_the_frozen_command_line(binary: Path, tmp_path: Path) -> None:
    db = tmp_path / "frozen.sqlite3"
    package = ROOT / "resources" / "demo" / "ministerial-delegation.json"
    imported = run(binary, tmp_path / "home", "--db", str(db), "import", str(package))
    assert imported.returncode == 0, imported.stderr
    assert "vn-moet-minister-2027" in imported.stdout

    listed = run(binary, tmp_path / "home", "--db", str(db), "visits", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [v["id"] for v in json.loads(listed.stdout)] == ["vn-moet-minister-2027"]

    out = tmp_path / "export.json"
    exported = run(binary, tmp_path / "home", "--db", str(db), "export",
                   "vn-moet-minister-2027", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["visit"]["id"] == "vn-moet-minister-2027"
    assert len(doc["events"]) == len(json.loads(package.read_text("utf-8"))["events"])

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "protocol-visit/1", "visit": {}}', encoding="utf-8")
    refused = run(binary, tmp_path / "home", "--db", str(db), "import", str(broken))
    assert refused.returncode == 1 and "protocol-app:" in refused.stderr


def test_the_frozen_window_opens_and_closes(binary: Path, tmp_path: Path) -> None:
    db = tmp_path / "window.sqlite3"
    demo = run(binary, tmp_path / "home", "--db", str(db), "demo")
    assert demo.returncode == 0, demo.stderr
    shown = run(binary, tmp_path / "home", "--db", str(db), smoke=True)
    assert shown.returncode == 0, shown.stderr
    assert "smoke-test: main window shown with 3 visits" in shown.stdout
