"""``protocol-app screening``: load and list restricted-party lists, screen a visit.

``protocol-app screening load FILE.csv [--source NAME]``
    load a list (U.S. Consolidated Screening List or OpenSanctions ``targets.simple.csv``,
    told apart by the header row); loading a source again replaces it.
``protocol-app screening lists [--json]``
    each loaded list with its entry count and load date; a list loaded more than 30
    days ago is marked stale.
``protocol-app screening remove SOURCE``
    delete a loaded list.
``protocol-app screening check VISIT [--json]``
    the visit's people and their organizations matched against every list (exit status
    0 even with matches).  JSON: ``{"visit", "threshold", "lists", "warnings",
    "matches"}``, each match as :meth:`ScreeningMatch.to_dict`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from protocol_app.cli import CommandContext
from protocol_app.cli import print_line as _out


def _json(value: Any) -> None:
    _out(json.dumps(value, ensure_ascii=False, indent=2))


def _warn(lines: tuple[str, ...]) -> None:
    for line in lines:
        sys.stderr.write(f"protocol-app: warning: {line}\n")


def cmd_load(ctx: CommandContext) -> int:
    """Load a list file."""
    report = ctx.services.screening.load(ctx.args.file, ctx.args.source)
    for line in report.lines():
        _out(line)
    return 0


def cmd_lists(ctx: CommandContext) -> int:
    """Show the loaded lists."""
    lists = ctx.services.screening.lists()
    if ctx.args.json:
        _json([info.to_dict() for info in lists])
        return 0
    if not lists:
        _out("No screening list is loaded. Load one with `protocol-app screening load "
             "FILE.csv`.")
        return 0
    width = max(len(info.source) for info in lists)
    for info in lists:
        stale = f"  STALE: {info.age_days()} days old" if info.stale else ""
        _out(f"{info.source:<{width}}  {info.entries:>8,} entries  loaded "
             f"{info.loaded_at:%Y-%m-%d %H:%M} UTC by {info.loaded_by}{stale}")
    return 0


def cmd_remove(ctx: CommandContext) -> int:
    """Delete a loaded list."""
    count = ctx.services.screening.remove(ctx.args.source)
    _out(f"Removed the screening list {ctx.args.source} ({count:,} entries).")
    return 0


def cmd_check(ctx: CommandContext) -> int:
    """Screen a visit's people and organizations."""
    from protocol_app.screening.values import THRESHOLD

    services = ctx.services
    matches = services.screening.screen_visit(ctx.args.visit)
    lists, warnings = services.screening.lists(), services.screening.warnings()
    visit = services.visits.get(ctx.args.visit)
    if ctx.args.json:
        _json({"visit": visit.public_id, "threshold": THRESHOLD,
               "lists": [info.to_dict() for info in lists], "warnings": list(warnings),
               "matches": [m.to_dict() for m in matches]})
        return 0
    _warn(warnings)
    against = ", ".join(f"{i.source} ({i.entries:,})" for i in lists) or "no list"
    _out(f"Screening – {visit.title}: {len(matches)} match"
         f"{'' if len(matches) == 1 else 'es'} (score ≥ {THRESHOLD:.0f}) against {against}")
    for m in matches:
        who = m.name if m.subject == "person" else f"{m.name} (organization of {m.person_name})"
        _out(f"{m.score:5.1f}  {who} [{m.person_ref}]  ↔  {m.entry}  [{m.list}]")
        if m.entry_details:
            _out(f"       entry: {m.entry_details}")
        _out(f"       why: {m.reason}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``screening`` command and its subcommands."""
    p = subparsers.add_parser("screening", help="restricted-party lists: load, list, and "
                                                "screen a visit's people against them")
    sub = p.add_subparsers(dest="screening_command", metavar="SUBCOMMAND", required=True)
    q = sub.add_parser("load", help="load a list CSV (Consolidated Screening List or "
                                    "OpenSanctions targets.simple.csv); replaces the source")
    q.add_argument("file", help="the CSV file")
    q.add_argument("--source", metavar="NAME",
                   help="the name to keep it under (default: us-csl or opensanctions)")
    q.set_defaults(handler=cmd_load)
    q = sub.add_parser("lists", help="the loaded lists, their sizes and load dates")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(handler=cmd_lists)
    q = sub.add_parser("remove", help="delete a loaded list")
    q.add_argument("source", help="the list's source name (see `screening lists`)")
    q.set_defaults(handler=cmd_remove)
    q = sub.add_parser("check", help="screen a visit's people and organizations")
    q.add_argument("visit", help="the visit's id (e.g. jp-rector-2027) or number")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(handler=cmd_check)
