"""Cold start of the desktop app on a 100,000-person database, against a bare PySide6
QMainWindow started the same way in the same run.

Both run as fresh processes.  The app reports its own milestones when
``PROTOCOL_DESK_STARTUP_PROBE`` names a file: it writes JSON with the wall-clock times
at which the main window was painted and the visits list was populated, then quits.
It also records whether Alembic, reportlab or icalendar were imported on that path, and
what was loaded at the first paint (see ``ui.app.startup_state``).

The project's modules are compiled to bytecode first, as ``pip install`` and the frozen
app have them: where ``PYTHONDONTWRITEBYTECODE`` is set, a checkout would otherwise be
compiled from source on every start, which no installed copy ever is.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import build_database

OUT = Path(__file__).resolve().parent / "out"

BARE = r"""
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1440, 900); w.show()
def done():
    json.dump({"painted": time.time()}, open(sys.argv[1], "w")); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def _run(cmd: list[str], probe: Path, env: dict[str, str]) -> tuple[float, dict]:
    started = time.time()
    subprocess.run(cmd, env=env, check=True, timeout=120, stdout=subprocess.DEVNULL)
    data = json.loads(probe.read_text())
    return started, data


def run(rounds: int = 5) -> list[dict]:
    """Median start-up figures and their ratios to the bare window."""
    OUT.mkdir(exist_ok=True)
    db = build_database(OUT / "scale-100k.sqlite3")
    root = Path(__file__).resolve().parents[1]
    for package in ("protocol_app", "ui"):
        compileall.compile_dir(root / package, quiet=1)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    bare, painted, ready, heavy, loaded_early = [], [], [], set(), set()
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.json"
        script = Path(tmp) / "bare.py"
        script.write_text(BARE)
        for _ in range(rounds):
            t0, data = _run([sys.executable, str(script), str(probe)], probe, env)
            bare.append(data["painted"] - t0)
            app_env = dict(env, PROTOCOL_DESK_STARTUP_PROBE=str(probe),
                           PROTOCOL_APP_HOME=str(Path(tmp) / "home"))
            t0, data = _run([sys.executable, "-m", "ui", "--db", str(db)], probe, app_env)
            painted.append(data["painted"] - t0)
            ready.append(data["visits_ready"] - t0)
            heavy.update(data.get("heavy_modules", []))
            loaded_early.update(name for name, loaded in data.get("at_first_paint", {}).items()
                                if loaded)
    b, p, r = (statistics.median(x) for x in (bare, painted, ready))
    rows = [
        {"name": "bare QMainWindow painted (baseline)", "value": b, "unit": "s",
         "target": "baseline", "ok": True},
        {"name": "main window painted / bare", "value": p / b, "unit": "×", "target": "≤ 1.5×",
         "ok": p / b <= 1.5},
        {"name": "visits list usable / bare", "value": r / b, "unit": "×", "target": "≤ 4×",
         "ok": r / b <= 4},
        {"name": "alembic/reportlab/icalendar imported at start", "value": float(len(heavy)),
         "unit": "", "target": "0", "ok": not heavy},
        {"name": "Qt namespace/QStyle/SQLAlchemy built before the first paint",
         "value": float(len(loaded_early)), "unit": "", "target": "0", "ok": not loaded_early},
    ]
    return rows + _postgresql_rows(b, env, rounds)


def _postgresql_rows(bare: float, env: dict[str, str], rounds: int) -> list[dict]:
    """On PostgreSQL (a throwaway cluster with the demo visits) the window takes the
    ordinary path: no peek at a file, Services.open over the network first.  Measured
    against the same bare window, beside SQLite on the same demo visits."""
    try:
        from tests.support.postgres import missing_reason, running_cluster
    except ImportError:
        return []
    if missing_reason():
        print(f"  (PostgreSQL start-up skipped: {missing_reason()})")
        return []
    from protocol_app.cli import main as cli

    rows = []
    with tempfile.TemporaryDirectory() as tmp, running_cluster() as cluster:
        targets = {"sqlite": str(Path(tmp) / "demo.sqlite3"),
                   "postgresql": cluster.url(cluster.fresh_database())}
        for engine, target in targets.items():
            cli(["--db", target, "demo"])
            probe = Path(tmp) / "probe.json"
            app_env = dict(env, PROTOCOL_DESK_STARTUP_PROBE=str(probe),
                           PROTOCOL_APP_HOME=str(Path(tmp) / "home"))
            painted, ready = [], []
            for _ in range(rounds):
                t0, data = _run([sys.executable, "-m", "ui", "--db", target], probe, app_env)
                painted.append(data["painted"] - t0)
                ready.append(data["visits_ready"] - t0)
            p, r = statistics.median(painted), statistics.median(ready)
            rows += [
                {"name": f"demo visits, {engine}: window painted / bare", "value": p / bare,
                 "unit": "×", "target": "(reported)", "ok": True},
                {"name": f"demo visits, {engine}: visits list usable / bare",
                 "value": r / bare, "unit": "×", "target": "(reported)", "ok": True},
                {"name": f"demo visits, {engine}: visits list usable", "value": r,
                 "unit": "s", "target": "(reported)", "ok": True},
            ]
    return rows
