"""Shared fixtures: every test gets its own data folder and a real SQLite file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private PROTOCOL_APP_HOME (data, settings, logs, backups) per test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PROTOCOL_APP_HOME", str(home))
    monkeypatch.delenv("PROTOCOL_APP_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's SQLite database lives."""
    return tmp_path / "protocol.sqlite3"


@pytest.fixture
def services(db_path: Path) -> Iterator:
    """Every service over a fresh SQLite file, acting as "tester"."""
    from protocol_app.services import Services

    s = Services.open(db_path, actor="tester")
    yield s
    s.close()


@pytest.fixture
def demo_services(services):
    """Services over a database filled with the demo visits."""
    from protocol_app.demo import load_demo

    load_demo(services)
    return services
