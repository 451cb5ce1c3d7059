"""``python -m benchmarks [NAME...]``: run the benchmark modules and print a table."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile

MODULES = ("bench_foundation", "bench_invites", "bench_people_ui", "bench_briefing",
           "bench_startup", "bench_import", "bench_screening",
           "bench_reviews", "bench_replies", "bench_round_trips")


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PROTOCOL_APP_HOME", tempfile.mkdtemp(prefix="pd-bench-"))
    wanted = argv or list(MODULES)
    rows: list[dict] = []
    for name in wanted:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                print(f"  (skipped {name}: not present)")
                continue
            raise
        print(f"running {name} ...", flush=True)
        rows.extend(module.run())
    width = max((len(r["name"]) for r in rows), default=10)
    print()
    print(f"{'benchmark':<{width}}  {'value':>10}  {'target':<12} ok")
    for r in rows:
        print(f"{r['name']:<{width}}  {r['value']:>8.2f} {r['unit']:<2} {r['target']:<12} "
              f"{'yes' if r['ok'] else 'NO'}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
