"""``protocol-app invites VISIT --programmes [--person REF]... [--send | --out DIR]``: the
guests' programmes (:mod:`protocol_app.invites.programme`) shown, written or sent."""

from __future__ import annotations

import sys

from protocol_app.cli import EXIT_ERROR, EXIT_OK, CommandContext
from protocol_app.cli import print_line as _print


def run_programmes(ctx: CommandContext) -> int:
    """Show the programmes due, or write (``--out``) or send (``--send``) them."""
    args = ctx.args
    service = ctx.services.programmes
    if args.out is None and not args.send:
        due = service.due(args.visit, args.person)
        _print(f"{len(due)} programme{'' if len(due) == 1 else 's'} due.")
        for item in due:
            via = f" (calendar manager of {item.name})" if item.sent_to_name else ""
            _print(f"  {item.name} → {item.email}{via}: {item.reason}")
        _print("(Nothing was sent: add --out DIR to write the messages, or --send.)")
        return EXIT_OK
    report = (service.write(args.visit, args.out, args.person) if args.out is not None
              else service.send(args.visit, args.person))
    for line in report.lines():
        _print(line)
    if not report.ok:
        sys.stderr.write(f"protocol-app: {len(report.failed)} programme"
                         f"{'' if len(report.failed) == 1 else 's'} could not be sent; they "
                         "are offered again next time.\n")
        return EXIT_ERROR
    return EXIT_OK
