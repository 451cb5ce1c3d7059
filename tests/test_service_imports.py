"""Visits, events and gifts find a visit through ``lookup`` (that the services import one
another without a cycle is the ``acyclic_siblings`` contract in pyproject.toml)."""

from __future__ import annotations

import grimp
import pytest

SERVICES = "protocol_app.services"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("protocol_app", cache_dir=None)


def test_visits_events_and_gifts_find_visits_through_lookup(graph: grimp.ImportGraph) -> None:
    for module in ("visits", "events", "gifts"):
        imported = graph.find_modules_directly_imported_by(f"{SERVICES}.{module}")
        assert f"{SERVICES}.lookup" in imported, module
    assert f"{SERVICES}.visits" not in graph.find_modules_directly_imported_by(
        f"{SERVICES}.events")
