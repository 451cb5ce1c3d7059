"""The core works headless: the command line runs without Qt, the values the UI imports
load without SQLAlchemy.  (Which module may import which is checked by the import-linter
contracts in pyproject.toml: ``lint-imports``.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
