"""The rules are pure: they import only the standard library and each other."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "protocol_app" / "rules"


def _runtime_imports(path: Path) -> list[str]:
    """Modules imported when the file runs (``if TYPE_CHECKING:`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped: set[int] = set()
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


def test_rules_import_only_the_standard_library_and_each_other() -> None:
    offenders = [
        f"{path.name} imports {name}"
        for path in sorted(RULES.glob("*.py"))
        for name in _runtime_imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("protocol_app.rules")
        and name != "__future__"
    ]
    assert offenders == []


def test_the_guard_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\nimport sqlalchemy\n"
        "if TYPE_CHECKING:\n    from protocol_app.services.values import VisitRecord\n",
        encoding="utf-8",
    )
    assert _runtime_imports(sample) == ["typing", "sqlalchemy"]
