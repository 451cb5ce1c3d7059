"""The visits list's risk review column: the review state of 2,000 visits (20,000 events,
20,000 people) beside the visits list itself, read in the same process
(``VisitService.list``, one query).  The column is read on the GUI thread once the
database is open, so it must stay a small multiple of the list.

Figure: CPU time of ``ReviewService.many`` over every visit / ``VisitService.list``,
without countries of concern and with five of them (most visits then need a review)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

ROUNDS = 3
TARGET = 10.0  # × the visits list


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def run() -> list[dict]:
    from benchmarks.generate import build_database
    from protocol_app.config import Settings
    from protocol_app.services import Services

    path = Path(tempfile.mkdtemp(prefix="pd-bench-reviews-")) / "reviews.sqlite3"
    build_database(path, people=20_000, visits=2_000, events=20_000)
    services = Services.open(path, actor="bench")
    rows: list[dict] = []
    try:
        ids = [v.id for v in services.visits.list()]
        for label, concern in (("none", []), ("five", ["JP", "VN", "CN", "KR", "DE"])):
            Settings(countries_of_concern=concern).save()
            base = sum(_cpu(services.visits.list) for _ in range(ROUNDS))
            took = sum(_cpu(lambda: services.reviews.many(ids)) for _ in range(ROUNDS))
            ratio = took / base
            rows.append({"name": f"review states of 2,000 visits ({label} of concern)",
                         "value": ratio, "unit": "x", "target": f"<= {TARGET:g}x list",
                         "ok": ratio <= TARGET})
    finally:
        services.close()
        Settings().save()
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
