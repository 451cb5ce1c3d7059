"""The ``protocol-app`` entry point.

A command (``protocol-app import FILE``) runs headless through
:mod:`protocol_app.cli` before Qt is imported; without a command the desktop app opens.
"""

from __future__ import annotations

import sys


def _open_gui(db: str | None) -> int:
    # The core modules the window needs load before Qt: PySide6 reads the source of
    # every module imported after it (looking for its __feature__ imports).
    import threading

    import protocol_app.config
    import protocol_app.resources  # noqa: F401
    from protocol_app import formatting

    # Babel and its CLDR data load beside Qt, not when the first date is painted.
    threading.Thread(target=formatting.warm_up, name="babel-warm-up", daemon=True).start()
    from ui.app import run  # Qt is imported only here

    return run(db)


def main(argv: list[str] | None = None) -> int:
    """Run a command, or open the window when there is none."""
    from protocol_app.cli import main as cli_main

    return cli_main(argv, open_gui=_open_gui)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
