"""Waiting on a change feed (``protocol_app.db.changes``) the way the window polls it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from protocol_app.db.changes import Changes
from protocol_app.errors import ConnectionLostError


def wait_for_changes(feed: Any, predicate: Callable[[Changes], bool],
                     seconds: float = 2.0) -> Changes:
    """Poll ``feed`` until what it reports satisfies ``predicate``; that report."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        changes = feed.poll()
        if predicate(changes):
            return changes
        time.sleep(0.02)
    raise AssertionError(f"no change reported within {seconds} s")


def wait_until_lost(feed: Any, seconds: float = 5.0) -> ConnectionLostError:
    """Poll ``feed`` until it says its connection is lost; what it said."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            feed.poll()
        except ConnectionLostError as exc:
            return exc
        time.sleep(0.02)
    raise AssertionError(f"the feed did not notice the lost connection within {seconds} s")
