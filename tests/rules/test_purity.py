"""The rules are pure: they import only the standard library and each other."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.test_architecture import imports_of

RULES = Path(__file__).resolve().parents[2] / "protocol_app" / "rules"


def test_rules_import_only_the_standard_library_and_each_other() -> None:
    offenders = [
        f"{path.name} imports {name}"
        for path in sorted(RULES.glob("*.py"))
        for name in imports_of(path, runtime_only=True)
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
    assert imports_of(sample, runtime_only=True) == ["typing", "sqlalchemy"]
