"""Fixtures of the invitation tests: the ical.js reader under Node, an SMTP server on
loopback (aiosmtpd), an in-memory keyring, and the invitations service."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.readers import ReadCalendar, from_icaljs  # noqa: E402

JS_DIR = Path(__file__).resolve().parent / "js"
_npm_lock = threading.Lock()


# -- ical.js ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def icaljs() -> Callable[..., list[ReadCalendar]]:
    """``icaljs(path, ...)``: the files read by Mozilla's ical.js (Node).  Skipped only when
    Node.js is not installed; the npm package is installed once if missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (`node` not on PATH): the ical.js cross-check "
                    "of the calendars cannot run")
    with _npm_lock:
        if not (JS_DIR / "node_modules" / "ical.js" / "package.json").is_file():
            npm = shutil.which("npm")
            assert npm is not None, "node is installed but npm is not: cannot install ical.js"
            done = subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=JS_DIR,
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, f"npm install failed:\n{done.stdout}\n{done.stderr}"

    def read(*paths: Path) -> list[ReadCalendar]:
        done = subprocess.run([node, str(JS_DIR / "read_ics.mjs"), *map(str, paths)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return [from_icaljs(doc) for doc in json.loads(done.stdout)]

    return read


@pytest.fixture
def icaljs_bytes(icaljs, tmp_path: Path) -> Callable[[bytes], ReadCalendar]:
    """``icaljs_bytes(data)``: one calendar in memory read by ical.js."""
    counter = iter(range(1_000_000))

    def read(data: bytes) -> ReadCalendar:
        path = tmp_path / f"icaljs-{next(counter)}.ics"
        path.write_bytes(data)
        return icaljs(path)[0]

    return read


# -- the service --------------------------------------------------------------------------
@pytest.fixture
def invites(demo_services):
    """The invitations service over the demo database."""
    from protocol_app.invites.service import InviteService

    return InviteService(demo_services.db, demo_services.actor)
