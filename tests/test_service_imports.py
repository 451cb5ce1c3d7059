"""The services import one another without a cycle (``lookup`` sits below them all)."""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

import grimp
import pytest

SERVICES = "protocol_app.services"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # type-checking imports count too: a cycle there is still a knot to untie
    return grimp.build_graph("protocol_app", cache_dir=None)


def services_cycle(graph: grimp.ImportGraph) -> list[str]:
    """A cycle of imports among the modules of ``protocol_app.services`` (also imports
    made inside functions), or [] when there is none."""
    modules = {m for m in graph.modules if m == SERVICES or m.startswith(SERVICES + ".")}
    sorter = TopologicalSorter({
        module: {m for m in graph.find_modules_directly_imported_by(module) if m in modules}
        for module in modules})
    try:
        sorter.prepare()
    except CycleError as exc:
        return list(exc.args[1])
    return []


def test_services_import_each_other_without_a_cycle(graph: grimp.ImportGraph) -> None:
    assert services_cycle(graph) == []


def test_visits_events_and_gifts_find_visits_through_lookup(graph: grimp.ImportGraph) -> None:
    for module in ("visits", "events", "gifts"):
        imported = graph.find_modules_directly_imported_by(f"{SERVICES}.{module}")
        assert f"{SERVICES}.lookup" in imported, module
    assert f"{SERVICES}.visits" not in graph.find_modules_directly_imported_by(
        f"{SERVICES}.events")


def test_the_check_finds_a_function_level_back_import(graph: grimp.ImportGraph) -> None:
    graph.add_import(importer=f"{SERVICES}.gifts", imported=f"{SERVICES}.visits")
    try:
        cycle = services_cycle(graph)
    finally:
        graph.remove_import(importer=f"{SERVICES}.gifts", imported=f"{SERVICES}.visits")
    assert set(cycle) == {f"{SERVICES}.gifts", f"{SERVICES}.visits"}
