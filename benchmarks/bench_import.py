"""Import at scale: 2,000, 10,000 and 100,000 events and 100,000 people, each in a fresh
process (so its peak memory is its own), beside a baseline measured in the same run:
raw ``sqlite3`` ``executemany`` of the same rows into the same schema.

Figures: seconds and peak RSS of each import, and their ratios to the baseline.
``python -m benchmarks.bench_import --one import events 10000`` runs one measurement.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEOPLE_IN_EVENTS = 60
VENUES = 25


def package(events: int, people: int = PEOPLE_IN_EVENTS) -> dict:
    """A visit of ``people`` people (all in the delegation) and ``events`` events, each
    with a venue and four attendees, every 30 minutes in a zone without clock changes."""
    doc: dict = {"format": "protocol-visit/1", "visit": {
        "id": f"bench-{events}-{people}", "title": "Import benchmark visit",
        "timezone": "Asia/Tokyo", "start_date": "2027-05-01", "end_date": "2027-05-30",
        "country": "DE"}, "people": [], "delegation": [], "events": []}
    for i in range(people):
        doc["people"].append({"ref": f"p{i}", "family_name": f"Family{i}",
                              "given_name": f"Given{i % 97}", "email": f"bench{i}@example.org",
                              "organization": f"Org {i % 50}", "languages": ["en", "de"]})
        doc["delegation"].append({"person": f"p{i}", "side": "guest" if i % 4 else "host",
                                  "role": "member" if i else "head"})
    first = datetime(2027, 5, 1, 8, 0)
    for e in range(events):
        start = first + timedelta(minutes=30 * e)
        doc["events"].append({
            "ref": f"e{e}", "title": f"Session {e}", "kind": "meeting",
            "start": start.isoformat(timespec="minutes"),
            "end": (start + timedelta(minutes=25)).isoformat(timespec="minutes"),
            "venue": {"name": f"Hall {e % VENUES}", "address": "Campus", "room": str(e % 30)},
            "attendees": [f"p{(e * 7 + k) % people}" for k in range(min(4, people))]})
    return doc


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _import_once(kind: str, count: int, folder: Path) -> dict:
    from protocol_app.services import Services

    doc = package(count) if kind == "events" else package(10, people=count)
    data = json.dumps(doc).encode()
    del doc
    services = Services.open(folder / "import.sqlite3", actor="bench")
    started = time.perf_counter()
    report = services.packages.import_bytes(data, "bench.json")
    seconds = time.perf_counter() - started
    assert report.created
    services.close()
    return {"seconds": seconds, "rss_mb": _peak_rss_mb()}


def _baseline_once(kind: str, count: int, folder: Path) -> dict:
    """The same rows written with raw sqlite3 executemany into a database of the same
    schema (created through the services first, outside the timing)."""
    from protocol_app.services import Services

    Services.open(folder / "base.sqlite3", actor="bench").close()
    doc = package(count) if kind == "events" else package(10, people=count)
    started = time.perf_counter()
    conn = sqlite3.connect(folder / "base.sqlite3")
    conn.execute("PRAGMA synchronous=NORMAL")
    now = datetime(2027, 1, 1).isoformat(" ")
    with conn:
        visit_id = conn.execute(
            "INSERT INTO visits (public_id, title, purpose, status, timezone, start_date, "
            "end_date, country, organizer_name, organizer_email, responsible_officer, version)"
            " VALUES (?, ?, '', 'planned', ?, ?, ?, ?, '', '', '', 1)",
            (doc["visit"]["id"], doc["visit"]["title"], doc["visit"]["timezone"],
             doc["visit"]["start_date"], doc["visit"]["end_date"], "DE")).lastrowid
        conn.executemany(
            "INSERT INTO people (family_name, given_name, name_order, native_name, "
            "pronunciation, gender, honorific, position, country, email, phone, languages, "
            "rank, dietary, medical, security, protocol_notes, bio, has_photo, version) "
            "VALUES (?, ?, 'given_first', '', '', '', '', '', '', ?, '', 'en,de', '', '', '', "
            "'', '', '', 0, 1)",
            [(p["family_name"], p["given_name"], p["email"]) for p in doc["people"]])
        ids = [r[0] for r in conn.execute("SELECT id FROM people ORDER BY id")]
        conn.executemany("INSERT INTO participants (visit_id, person_id, side, role, ref) "
                         "VALUES (?, ?, 'guest', 'member', ?)",
                         [(visit_id, pid, f"p{i}") for i, pid in enumerate(ids)])
        conn.executemany("INSERT INTO venues (name, address) VALUES (?, 'Campus')",
                         [(f"Hall {v}",) for v in range(VENUES)])
        conn.executemany(
            "INSERT INTO events (visit_id, ref, uid, sequence, title, kind, start_utc, end_utc,"
            " timezone, status, room, dress_code, notes, internal_notes, version, venue_id) "
            "VALUES (?, ?, ?, 0, ?, 'meeting', ?, ?, 'Asia/Tokyo', 'confirmed', ?, '', '', "
            "'', 1, ?)",
            [(visit_id, e["ref"], f"{e['ref']}@bench", e["title"], e["start"], e["end"],
              e["venue"]["room"], 1 + i % VENUES) for i, e in enumerate(doc["events"])])
        event_ids = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY id")]
        conn.executemany("INSERT INTO event_attendees (event_id, person_id, position) "
                         "VALUES (?, ?, ?)",
                         [(eid, ids[(i * 7 + k) % len(ids)], k) for i, eid in
                          enumerate(event_ids) for k in range(min(4, len(ids)))])
        conn.executemany(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, summary, old_values,"
            " new_values) VALUES (?, 'bench', 'create', 'event', ?, '', '{}', ?)",
            [(now, eid, json.dumps(e)) for eid, e in zip(event_ids, doc["events"],
                                                          strict=True)])
    conn.close()
    return {"seconds": time.perf_counter() - started, "rss_mb": _peak_rss_mb()}


def _measure(what: str, kind: str, count: int) -> dict:
    """One measurement in a fresh Python process."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_import", "--one", what,
                           kind, str(count)], capture_output=True, text=True, cwd=ROOT,
                          timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


#: (what, how many, most seconds, most MB): the goals of issue 12.
SIZES = (("events", 2_000, None, None), ("events", 10_000, 10.0, None),
         ("events", 100_000, 120.0, 1024.0), ("people", 100_000, 120.0, 1024.0))


def run(sizes: tuple = SIZES) -> list[dict]:
    """Every import figure, each beside its baseline."""
    rows: list[dict] = []
    for kind, count, max_seconds, max_mb in sizes:
        got = _measure("import", kind, count)
        base = _measure("baseline", kind, count)
        label = f"import {count:,} {kind}"
        ratio = got["seconds"] / base["seconds"]
        rows += [
            {"name": f"{label}", "value": got["seconds"], "unit": "s",
             "target": f"≤ {max_seconds:.0f} s" if max_seconds else "(figure)",
             "ok": max_seconds is None or got["seconds"] <= max_seconds},
            {"name": f"{label}: raw sqlite executemany", "value": base["seconds"], "unit": "s",
             "target": "baseline", "ok": True},
            {"name": f"{label}: time / baseline", "value": ratio, "unit": "×",
             "target": "(figure)", "ok": True},
            {"name": f"{label}: peak RSS", "value": got["rss_mb"], "unit": "MB",
             "target": f"≤ {max_mb:.0f} MB" if max_mb else "(figure)",
             "ok": max_mb is None or got["rss_mb"] <= max_mb},
            {"name": f"{label}: peak RSS / baseline", "value": got["rss_mb"] / base["rss_mb"],
             "unit": "×", "target": "(figure)", "ok": True},
        ]
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        what, kind, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
        with tempfile.TemporaryDirectory() as tmp:
            one = _import_once if what == "import" else _baseline_once
            print(json.dumps(one(kind, count, Path(tmp))))
    else:
        for row in run():
            print(row)
