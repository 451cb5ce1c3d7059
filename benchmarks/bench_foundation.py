"""Foundation figures: people search at 100,000 people (through the service and as the
same raw SQLite query in the same run), one audited edit, a large package import."""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.generate import FAMILY, GIVEN, build_database
from protocol_app.db import search_index
from protocol_app.services import Services

OUT = Path(__file__).resolve().parent / "out"


def p95(samples: list[float]) -> float:
    """95th percentile in milliseconds."""
    return statistics.quantiles(samples, n=20)[18] * 1000


def _prefixes(n: int, seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    words = FAMILY + GIVEN + ["田", "Ив", "Ελέ", "प्रि", "יוס", "فاط"]
    return [rnd.choice(words)[: rnd.randint(2, 4)] for _ in range(n)]


def bench_search(services: Services, path: Path, rounds: int = 300) -> list[dict]:
    prefixes = _prefixes(rounds)
    raw = sqlite3.connect(path)
    sql = (f"SELECT p.* FROM {search_index.FTS_TABLE} s JOIN people p ON p.id = s.rowid "
           f"WHERE {search_index.FTS_TABLE} MATCH ? ORDER BY p.family_name, p.given_name, p.id "
           "LIMIT 100")
    for q in prefixes[:20]:  # warm both paths alike
        services.people.search(q)
        raw.execute(sql, (search_index.match_query(q),)).fetchall()
    svc, base = [], []
    for q in prefixes:
        t = time.perf_counter()
        services.people.search(q)
        svc.append(time.perf_counter() - t)
        t = time.perf_counter()
        raw.execute(sql, (search_index.match_query(q),)).fetchall()
        base.append(time.perf_counter() - t)
    raw.close()
    return [
        {"name": "people search p95 (service), 100k people", "value": p95(svc), "unit": "ms",
         "target": "≤ 20 ms", "ok": p95(svc) <= 20},
        {"name": "people search p95 (raw SQLite, same query)", "value": p95(base), "unit": "ms",
         "target": "baseline", "ok": True},
        {"name": "people search: service / raw", "value": p95(svc) / p95(base), "unit": "×",
         "target": "≤ 3×", "ok": p95(svc) / p95(base) <= 3},
    ]


def bench_edit(services: Services, rounds: int = 200) -> list[dict]:
    samples = []
    for i in range(rounds):
        person_id = 1 + (i * 37) % 100_000
        current = services.people.get(person_id)
        t = time.perf_counter()
        services.people.update(person_id, current.version, phone=f"+1 555 {i:04d}")
        samples.append(time.perf_counter() - t)
    return [{"name": "one edit with its audit entry, p95", "value": p95(samples), "unit": "ms",
             "target": "≤ 20 ms", "ok": p95(samples) <= 20}]


def big_package(people: int = 200, events: int = 300) -> dict:
    """A package of ``people`` people and ``events`` events."""
    rnd = random.Random(11)
    doc: dict = {"format": "protocol-visit/1", "visit": {
        "id": "bench-large", "title": "Large benchmark visit", "timezone": "Europe/Berlin",
        "start_date": "2027-05-01", "end_date": "2027-05-30", "country": "DE"},
        "people": [], "delegation": [], "events": [], "gifts": []}
    for i in range(people):
        doc["people"].append({"ref": f"p{i}", "family_name": f"{rnd.choice(FAMILY)}{i}",
                              "given_name": rnd.choice(GIVEN), "email": f"bench{i}@example.org",
                              "languages": ["en", "de"], "bio": "A delegate. " * 10})
        doc["delegation"].append({"person": f"p{i}", "side": "guest" if i % 4 else "host",
                                  "role": "member" if i else "head"})
    for e in range(events):
        day, hour = 1 + e // 12, 8 + e % 12
        doc["events"].append({
            "ref": f"e{e}", "title": f"Session {e}", "kind": "meeting",
            "start": f"2027-05-{day:02d}T{hour:02d}:00", "end": f"2027-05-{day:02d}T{hour:02d}:45",
            "venue": {"name": f"Hall {e % 7}", "address": "Campus", "room": str(e % 30)},
            "attendees": [f"p{(e * 7 + k) % people}" for k in range(12)]})
    return doc


def bench_import(rounds: int = 3) -> list[dict]:
    data = json.dumps(big_package()).encode()
    samples = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            services = Services.open(Path(tmp) / "import.sqlite3", actor="bench")
            t = time.perf_counter()
            services.packages.import_bytes(data, "bench.json")
            samples.append(time.perf_counter() - t)
            services.close()
    best = statistics.median(samples)
    return [{"name": "import 200 people, 300 events (median)", "value": best, "unit": "s",
             "target": "≤ 2 s", "ok": best <= 2}]


def run() -> list[dict]:
    """Every foundation figure."""
    OUT.mkdir(exist_ok=True)
    path = build_database(OUT / "scale-100k.sqlite3")
    services = Services.open(path, actor="bench")
    try:
        return bench_search(services, path) + bench_edit(services) + bench_import()
    finally:
        services.close()
