"""Round trips: how many SQL statements the four everyday actions on one visit issue.

On a database server every statement is a network round trip, so opening a visit,
exporting it, building its book and running its checks must each issue a bounded
number of statements that does not grow with the visit's people and events (no N+1).
The counts are exact (a ``before_cursor_execute`` listener on the engine); the times
are also given with a simulated 2 ms network latency per round trip (a sleep in the
same hook), on SQLite and, when its server programs are installed, on a throwaway
PostgreSQL cluster (:mod:`tests.support.postgres`).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.bench_foundation import big_package
from protocol_app.services import Services

#: The goal for each action on a 100-person, 150-event visit.
GOAL = 60
LATENCY_SECONDS = 0.002


@dataclass
class StatementCounter:
    """Counts the statements an engine sends (and can add latency to each)."""

    count: int = 0
    latency: float = 0.0

    def __call__(self, *_args: Any) -> None:
        self.count += 1
        if self.latency:
            time.sleep(self.latency)


@contextlib.contextmanager
def counting(services: Services, latency: float = 0.0) -> Iterator[StatementCounter]:
    """Count the statements issued inside the block (sleeping ``latency`` before each)."""
    counter = StatementCounter(latency=latency)
    event.listen(services.db.engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(services.db.engine, "before_cursor_execute", counter)


def visit_of(services: Services, people: int, events: int, public_id: str = "bench-large"
             ) -> int:
    """Import a visit of ``people`` people (a quarter hosts; at least 12) and ``events``
    events, each with 12 attendees; returns its number."""
    document = big_package(people=people, events=events)
    document["visit"]["id"] = public_id
    services.packages.import_bytes(json.dumps(document).encode(), "bench.json")
    return services.visits.resolve(public_id)


def actions(services: Services, visit_id: int, out: Path) -> dict[str, Callable[[], object]]:
    """The four actions, by name."""
    return {
        "open a visit": lambda: services.visits.get(visit_id),
        "export it": lambda: services.packages.export_file(visit_id, _fresh(out, "json")),
        "build its book": lambda: services.briefing.build(visit_id, "internal",
                                                          _fresh(out, "pdf")),
        "run its checks": lambda: services.findings.check(visit_id),
    }


def _fresh(folder: Path, suffix: str) -> Path:
    return Path(tempfile.mkstemp(dir=folder, suffix=f".{suffix}")[1])


def statement_counts(services: Services, visit_id: int, out: Path) -> dict[str, int]:
    """Each action's statements (after one warm-up run: caches of the process filled)."""
    counts = {}
    for name, action in actions(services, visit_id, out).items():
        action()
        with counting(services) as counter:
            action()
        counts[name] = counter.count
    return counts


def latency_times(services: Services, visit_id: int, out: Path) -> dict[str, float]:
    """Each action's time in ms with ``LATENCY_SECONDS`` added per statement."""
    times = {}
    for name, action in actions(services, visit_id, out).items():
        with counting(services, LATENCY_SECONDS):
            started = time.perf_counter()
            action()
            times[name] = (time.perf_counter() - started) * 1000
    return times


def measure(target: str | Path, out: Path, people: int = 100, events: int = 150
            ) -> tuple[dict[str, int], dict[str, float]]:
    services = Services.open(target, actor="bench")
    try:
        visit_id = visit_of(services, people, events)
        return (statement_counts(services, visit_id, out),
                latency_times(services, visit_id, out))
    finally:
        services.close()


def _rows(engine: str, counts: dict[str, int], times: dict[str, float]) -> list[dict]:
    rows = []
    for name, n in counts.items():
        rows.append({"name": f"{engine}: {name}, statements (100 people, 150 events)",
                     "value": n, "unit": "", "target": f"≤ {GOAL}", "ok": n <= GOAL})
        rows.append({"name": f"{engine}: {name}, with 2 ms per round trip",
                     "value": times[name], "unit": "ms", "target": "(reported)", "ok": True})
    return rows


def run() -> list[dict]:
    """The counts and latency times on SQLite, and on PostgreSQL when it is installed."""
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        rows += _rows("sqlite", *measure(out / "round-trips.sqlite3", out))
        try:
            from tests.support.postgres import missing_reason, running_cluster
        except ImportError:  # benchmarks run from a checkout, where tests/ is present
            return rows
        if missing_reason():
            print(f"  (PostgreSQL skipped: {missing_reason()})")
            return rows
        with running_cluster() as cluster:
            name = cluster.fresh_database()
            rows += _rows("postgresql", *measure(cluster.url(name), out))
    return rows
