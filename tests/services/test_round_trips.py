"""Round trips: opening a visit, exporting it, building its book and running its checks
issue a number of statements that does not grow with the visit's people and events
(counted on the engine, on both engines; see benchmarks/bench_round_trips.py)."""

from __future__ import annotations

from benchmarks.bench_round_trips import GOAL, statement_counts, visit_of


def test_statement_counts_do_not_grow_with_the_visit(services, tmp_path) -> None:
    small = visit_of(services, people=20, events=30, public_id="bench-small")
    small_counts = statement_counts(services, small, tmp_path)
    large = visit_of(services, people=60, events=90, public_id="bench-large")
    large_counts = statement_counts(services, large, tmp_path)
    assert set(small_counts) == {"open a visit", "export it", "build its book",
                                 "run its checks"}
    assert all(n > 0 for n in small_counts.values())  # the counter sees the statements
    assert large_counts == small_counts
    assert max(large_counts.values()) <= GOAL
