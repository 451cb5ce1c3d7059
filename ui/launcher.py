"""The ``protocol-app`` entry point.

A command (``protocol-app import FILE``) runs headless through
:mod:`protocol_app.cli` before Qt is imported; without a command the desktop app opens.
"""

from __future__ import annotations

import sys


def _open_gui(db: str | None) -> int:
    from ui.xcb_check import xcb_problem

    problem = xcb_problem()  # before Qt, which would abort on a missing xcb library
    if problem:
        print(problem, file=sys.stderr)
        return 1
    # The core modules the window needs load before Qt: PySide6 reads the source of
    # every module imported after it (looking for its __feature__ imports).  Babel is not
    # among them: a thread warming it up beside Qt cost the first paint 0.3× of a bare
    # window (make bench), so it loads when the visits list first writes a date.
    import protocol_app.config
    import protocol_app.resources  # noqa: F401
    from ui.app import run  # Qt is imported only here

    return run(db)


def main(argv: list[str] | None = None) -> int:
    """Run a command, or open the window when there is none."""
    from protocol_app.cli import main as cli_main

    return cli_main(argv, open_gui=_open_gui)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
