"""Commands of editions: ``changes``, ``reprint`` and ``editions``.

``protocol-app changes VISIT [--since-edition N | --since DATE] [--audience A]
[--person REF] [--json]``
    what changed for an audience (internal by default) since its edition N, since a
    date, or since its last edition; JSON: a list of changes (see README.md).
``protocol-app reprint VISIT [--json] [--out DIR] [--paper A4|Letter]``
    the printed items that are out of date; with ``--out`` prints only those again.
``protocol-app editions VISIT [--json]``
    every edition of the visit: number, copy, audience or person, when, by whom.

Heavy imports (the services, reportlab) stay inside the handlers.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import Any

from protocol_app.cli import EXIT_OK, CommandContext
from protocol_app.cli import print_line as _out
from protocol_app.errors import ProtocolError

_AUDIENCES = ("internal", "host", "guest")


def _json(value: Any) -> None:
    _out(json.dumps(value, ensure_ascii=False, indent=2))


def _since(text: str) -> date | datetime:
    """``2027-03-09`` (the start of that day on the visit's clock) or an ISO date-time."""
    try:
        return date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text)
    except ValueError:
        raise ProtocolError(f"--since: '{text}' is not a date; write it as 2027-03-09 "
                            "(or 2027-03-09T14:00).") from None


def cmd_changes(ctx: CommandContext) -> int:
    """Print what changed since an edition or a date."""
    args = ctx.args
    if args.person is not None and args.audience != "guest":
        raise ProtocolError("--person names a guest's personal copy: use it with "
                            "--audience guest.")
    report = ctx.services.editions.changes(
        args.visit, audience=args.audience, person=args.person,
        since_edition=args.since_edition, since=_since(args.since) if args.since else None)
    if args.json:
        _json(report.to_list())
        return EXIT_OK
    if report.note:
        _out(report.note)
        return EXIT_OK
    _out(f"Changes since {report.since} ({args.audience}):")
    if not report.changes:
        _out("  No changes.")
    for change in report.changes:
        _out(f"  {change.text}")
    return EXIT_OK


def cmd_reprint(ctx: CommandContext) -> int:
    """List the printed items that are out of date; print them again with --out."""
    args = ctx.args
    editions = ctx.services.editions
    items = editions.out_of_date(args.visit)
    if args.out:
        made = editions.reprint(args.visit, args.out, paper=args.paper)
        if args.json:
            _json([m.to_dict() for m in made])
            return EXIT_OK
        for record in made:
            _out(f"Wrote {record.path} ({record.kind.replace('_', ' ')}, edition "
                 f"{record.number}).")
        if not made:
            _out("Nothing to reprint.")
        return EXIT_OK
    if args.json:
        _json([item.to_dict() for item in items])
        return EXIT_OK
    if not items:
        _out("Every printed item is up to date.")
    for item in items:
        _out(f"{item.title}: {item.reason}")
    return EXIT_OK


def cmd_editions(ctx: CommandContext) -> int:
    """List a visit's editions."""
    services = ctx.services
    visit = services.visits.get(ctx.args.visit)
    found = services.editions.list(visit.id)
    if ctx.args.json:
        _json([e.to_dict() for e in found])
        return EXIT_OK
    if not found:
        _out("No edition printed or saved yet.")
    for e in found:
        whom = f"person #{e.person_id}" if e.person_id is not None else e.audience
        _out(f"{e.series:<28} {e.stamp(visit.timezone)}  {whom}  by {e.made_by}  "
             f"{e.path}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``changes``, ``reprint`` and ``editions`` commands."""
    p = subparsers.add_parser(
        "changes", help="what changed since the last edition (or edition N, or a date)",
        description="What changed in a visit since an edition of a book, as the book's "
                    "audience may see it: events added, cancelled or moved, venue, room, "
                    "host and dress code changes, people added or removed.")
    p.add_argument("visit", help="the visit's id or number")
    since = p.add_mutually_exclusive_group()
    since.add_argument("--since-edition", type=int, metavar="N", default=None,
                       help="since edition N of the audience's book")
    since.add_argument("--since", metavar="DATE", default=None,
                       help="since a date (2027-03-09, the start of that day on the visit's "
                            "clock) or date-time")
    p.add_argument("--audience", choices=_AUDIENCES, default="internal",
                   help="whose book (default: internal)")
    p.add_argument("--person", metavar="REF", default=None,
                   help="a guest's personal copy (with --audience guest)")
    p.add_argument("--json", action="store_true", help="a JSON list of changes")
    p.set_defaults(handler=cmd_changes)

    p = subparsers.add_parser(
        "reprint", help="the printed items that are out of date; --out prints them again",
        description="Books, personal copies, place cards, badges and invitation cards whose "
                    "last edition no longer matches the visit. With --out DIR, only those "
                    "are printed again (each as its next edition).")
    p.add_argument("visit", help="the visit's id or number")
    p.add_argument("--out", metavar="DIR", default=None, help="print them again into DIR")
    p.add_argument("--paper", choices=("A4", "Letter"), default=None,
                   help="paper size (default: that of the edition being replaced)")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(handler=cmd_reprint)

    p = subparsers.add_parser("editions", help="every printed or saved edition of a visit")
    p.add_argument("visit", help="the visit's id or number")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(handler=cmd_editions)
