"""Benchmark of the people page on a 100,000-person database.

Measures, with the real widgets (``QT_QPA_PLATFORM=offscreen``):

* ``people_page_open`` — constructing :class:`ui.pages.people.PeoplePage`, showing it and
  letting the first page of rows paint (ms);
* ``people_filter_keystroke_p95`` — from one keystroke in the search field to the view
  showing the new rows, with the debounce timer fired at once (the debounce itself is
  a deliberate wait, not work), 95th percentile over many keystrokes (ms);
* ``people_page_rss`` — resident memory of the process with the list open (MB).

The 100,000-person database comes from :mod:`benchmarks.generate` (shared with the other
benchmarks, cached in ``benchmarks/out``); without it, :func:`build_database` makes one
with raw SQL inserts through ``services.db.engine`` and fills the FTS index.  The
baseline, measured in the same run, is the service alone answering the same keystrokes
(``search`` + ``count``); the UI figure is also given as a ratio to it.
``run()`` returns one dict per figure; ``python -m benchmarks.bench_people_ui`` prints them.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PEOPLE = 100_000

_FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Smith", "Johnson", "Müller", "Schmidt", "García",
    "Fernández", "Rossi", "Dubois", "Kowalski", "Novák", "Ivanov", "Петров", "Σπανός",
    "Tanaka", "Suzuki", "田中", "王", "李", "김", "Kim", "Park", "Cohen", "כהן", "Haddad",
    "حداد", "Sharma", "शर्मा", "Okafor", "Mensah", "Silva", "Santos", "O'Brien", "Nakamura",
    "Yılmaz", "Andersson", "Jensen", "Virtanen", "Horváth", "Popescu", "Papadopoulos",
)
_GIVEN = (
    "Anna", "Minh", "Thanh Tùng", "Maria", "José", "John", "Aiko", "Hiroshi", "Wei",
    "Ji-woo", "David", "Sarah", "Olga", "Дмитрий", "Ελένη", "Fatima", "Ahmed", "Priya",
    "Rahul", "Chinedu", "Ama", "Lucas", "Sofia", "Noah", "Mei", "Kenji", "Zeynep",
)
_ORGS = 2_000
_COUNTRIES = ("VN", "US", "DE", "FR", "JP", "CN", "KR", "IN", "BR", "NG", "IL", "GR", "RU")
_RANKS = ("minister", "ambassador", "professor", "dean", "senior_official", "other", "")
#: Searches typed one character at a time, like a user looking someone up.
TYPED = ("nguyen an", "garcia mar", "tanaka yu", "kowalski", "müller", "иван", "petrova ol",
         "okafor kw", "szabo kat", "sharma pr", "haddad", "cohen noa", "田中", "silva luc",
         "johansson", "papadopoulos")


def build_database(path: Path, people: int = PEOPLE, seed: int = 7):
    """A database at ``path`` with ``people`` people (raw inserts), returns Services."""
    from sqlalchemy import text

    from protocol_app.db import search_index
    from protocol_app.services import Services

    services = Services.open(path, actor="bench")
    rng = random.Random(seed)
    with services.db.engine.begin() as conn:
        conn.execute(text("INSERT INTO organizations (id, name, country, version) "
                          "VALUES (:id, :name, :country, 1)"),
                     [{"id": i, "name": f"Organization {i:04d}",
                       "country": rng.choice(_COUNTRIES)} for i in range(1, _ORGS + 1)])
        rows = []
        fts = []
        for i in range(1, people + 1):
            family, given = rng.choice(_FAMILY), rng.choice(_GIVEN)
            family_first = family in ("Nguyễn", "Trần", "Lê", "Phạm", "Tanaka", "Suzuki",
                                      "田中", "王", "李", "김", "Kim", "Park", "Nakamura",
                                      "Horváth")
            rows.append({
                "id": i, "family": family, "given": given,
                "order": "family_first" if family_first else "given_first",
                "native": f"{family} {given}" if family_first else "",
                "org": rng.randint(1, _ORGS), "country": rng.choice(_COUNTRIES),
                "email": f"person{i}@example.org", "rank": rng.choice(_RANKS),
            })
            fts.append({"id": i, "names": search_index.names_text(
                family, given, rows[-1]["native"], "")})
        conn.execute(text(
            "INSERT INTO people (id, family_name, given_name, name_order, native_name, "
            "pronunciation, gender, honorific, position, organization_id, country, email, "
            "phone, languages, rank, rank_date, dietary, medical, security, protocol_notes, "
            "bio, has_photo, version) VALUES (:id, :family, :given, :order, :native, '', '', "
            "'', '', :org, :country, :email, '', '', :rank, NULL, '', '', '', '', '', 0, 1)"),
            rows)
        conn.execute(text(f"DELETE FROM {search_index.FTS_TABLE}"))
        conn.execute(text(f"INSERT INTO {search_index.FTS_TABLE}(rowid, names) "
                          "VALUES (:id, :names)"), fts)
        conn.execute(text(f"INSERT INTO {search_index.FTS_TABLE}({search_index.FTS_TABLE}) "
                          "VALUES ('optimize')"))
        conn.execute(text("ANALYZE"))
    return services


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _open_services(folder: Path):
    """Services over a 100,000-person database (the shared generated one if possible)."""
    from protocol_app.services import Services

    try:
        from benchmarks.generate import build_database as generate
    except ImportError:
        return build_database(folder / "people-100k.sqlite3")
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    return Services.open(generate(out / "scale-100k.sqlite3", people=PEOPLE), actor="bench")


def run() -> list[dict[str, Any]]:
    """Open the people page on 100,000 people, type, and report the figures."""
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    results: list[dict[str, Any]] = []

    def settle() -> None:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        services = _open_services(Path(folder))
        ready_s = time.perf_counter() - started
        keystrokes = [word[:i] for word in TYPED for i in range(1, len(word) + 1)]
        # baseline: the service alone answering the same keystrokes (warm, like the UI run)
        for query in keystrokes[:10]:
            services.people.search(query, limit=201)
        baseline: list[float] = []
        for query in keystrokes:
            started = time.perf_counter()
            services.people.search(query, limit=201)
            services.people.count(query)
            baseline.append((time.perf_counter() - started) * 1000)
        rss_before = _rss_mb()

        from ui.pages.people import PeoplePage

        stack = QUndoStack()
        started = time.perf_counter()
        page = PeoplePage(services, stack)
        page.resize(1440, 900)
        page.show()
        page.repaint()
        settle()
        open_ms = (time.perf_counter() - started) * 1000
        results.append({"name": "people page open, 100k people", "value": open_ms,
                        "unit": "ms", "target": "≤ 300 ms", "ok": open_ms <= 300,
                        "database_ready_s": round(ready_s, 1)})

        timings: list[float] = []
        for word in TYPED:
            page.clear_search()
            settle()
            for i in range(1, len(word) + 1):
                started = time.perf_counter()
                page.search(word[:i])  # one keystroke, the debounce fired at once
                page.table.viewport().repaint()
                settle()
                timings.append((time.perf_counter() - started) * 1000)
        ui_p95, base_p95 = _p95(timings), _p95(baseline)
        results.append({"name": "people filter keystroke→view p95", "value": ui_p95,
                        "unit": "ms", "target": "≤ 50 ms", "ok": ui_p95 <= 50,
                        "keystrokes": len(timings), "median": round(statistics.median(timings), 1),
                        "max": round(max(timings), 1)})
        results.append({"name": "people filter p95, service alone (baseline)", "value": base_p95,
                        "unit": "ms", "target": "baseline", "ok": True})
        ratio = ui_p95 / base_p95 if base_p95 else 0.0
        results.append({"name": "people filter: view / service", "value": ratio, "unit": "×",
                        "target": "≤ 4×", "ok": ratio <= 4})
        rss = _rss_mb()
        results.append({"name": "people page resident memory", "value": rss, "unit": "MB",
                        "target": "≤ 300 MB", "ok": rss <= 300,
                        "before_page_mb": round(rss_before, 1),
                        "page_mb": round(rss - rss_before, 1)})
        page.close()
        page.deleteLater()
        settle()
        services.close()
    app.processEvents()
    return results


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
