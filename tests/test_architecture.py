"""The core never imports Qt or the UI: every feature must work headless."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")


def imports_of(path: Path, *, runtime_only: bool = False) -> list[str]:
    """The absolute modules a file imports; with ``runtime_only``, not those imported
    only for type checking (``if TYPE_CHECKING:`` blocks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(n) for body in node.body for n in ast.walk(body))
    names: list[str] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_modules_never_import_qt_or_ui() -> None:
    offenders = []
    for path in sorted((ROOT / "protocol_app").rglob("*.py")):
        for name in imports_of(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport ui.app\n", encoding="utf-8")
    assert [n.split(".")[0] for n in imports_of(sample)] == ["PySide6", "ui"]


def test_command_line_runs_without_loading_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from protocol_app.cli import main; "
        f"rc = main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'visits']); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'; "
        "sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


def test_protocol_values_load_without_sqlalchemy() -> None:
    """The UI imports the protocol values (seating views, table specs) before the
    database layer loads, so they must not pull in SQLAlchemy."""
    code = (
        "import sys; import protocol_app.services.protocol.values; "
        "from protocol_app.services.protocol import SeatingPlanView, parse_tables; "
        "assert 'sqlalchemy' not in sys.modules, 'SQLAlchemy was imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    # and the check would see it: the seating service does load SQLAlchemy
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, protocol_app.services.protocol.seating; "
                               "assert 'sqlalchemy' not in sys.modules"],
        capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert heavy.returncode != 0


def test_package_reader_and_field_checks_import_no_database_layer() -> None:
    """The reader and the field checks are pure: no SQLAlchemy, no service module."""
    code = (
        "import sys; import protocol_app.packages.reader, protocol_app.records.fields; "
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'sqlalchemy' "
        "or m.startswith(('protocol_app.services', 'protocol_app.db'))]; "
        "assert not loaded, loaded"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
