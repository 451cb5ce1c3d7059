"""The one way to find bundled data files (fonts, icons, demo packages).

Works from a source checkout, from a non-editable ``pip install .`` (the data lives
in the installed ``resources`` package) and from a PyInstaller bundle (the data is
collected under ``sys._MEIPASS/resources``).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    """The folder holding the bundled resources."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidate = Path(frozen_root) / "resources"
        if candidate.is_dir():
            return candidate
    import resources  # the data package installed beside protocol_app

    return Path(resources.__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """Path of a bundled file, e.g. ``resource_path("fonts", "NotoSans-Regular.ttf")``."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {'/'.join(parts)} (looked in {path})")
    return path
