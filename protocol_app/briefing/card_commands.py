"""Command line: ``cards`` (the invitation cards of an event as a PDF, and its envelope
list).  Heavy imports (reportlab, the fonts) stay inside the handler."""

from __future__ import annotations

import argparse
import sys

from protocol_app.briefing.commands import default_paper
from protocol_app.cli import EXIT_ERROR, EXIT_OK, CommandContext
from protocol_app.cli import print_line as _print


def cmd_cards(ctx: CommandContext) -> int:
    """Print the invitation cards of one event (recorded as an edition)."""
    args = ctx.args
    result, edition = ctx.services.editions.publish_invitation_cards(
        args.visit, args.event, args.out, paper=args.paper or default_paper(),
        envelopes=args.envelopes, guests=tuple(args.guest))
    number = f", edition {edition.number}" if edition is not None else ""
    _print(f"Wrote {result.path}: {result.cards} card{'' if result.cards == 1 else 's'} on "
           f"{result.sheets} sheet{'' if result.sheets == 1 else 's'}{number}.")
    for name in result.guests:
        _print(f"  {name}")
    if result.envelopes is not None:
        _print(f"Wrote the envelope list {result.envelopes}.")
    for warning in result.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if result.warnings and args.strict:
        return EXIT_ERROR
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``cards`` command."""
    p = subparsers.add_parser(
        "cards", help="print the invitation cards of an event (PDF) and its envelope list",
        description="Print the invitation cards of an event: one 7 × 5 in card per guest, "
                    "two to an A4 or Letter sheet with crop marks. Cards go to the heads "
                    "of delegation and members attending the event (not to staff, "
                    "interpreters, security or hosts), in order of precedence, in the forms "
                    "of address of the protocol rules and the office's own wording.")
    p.add_argument("visit", help="the visit's id (e.g. vn-moet-minister-2027) or number")
    p.add_argument("event", help="the event's ref (e.g. e17) or number")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the cards")
    p.add_argument("--envelopes", metavar="FILE", default=None,
                   help="also write the envelope list: FILE.csv (for a mail merge) or "
                        "FILE.pdf (a printed table)")
    p.add_argument("--guest", metavar="REF", action="append", default=[],
                   help="print only this guest's card (package ref or number; repeatable), "
                        "e.g. to reprint one")
    p.add_argument("--paper", choices=("A4", "Letter"), default=None,
                   help="sheet size (default: the settings', else the locale's)")
    p.add_argument("--strict", action="store_true",
                   help="exit with status 1 when a name has characters no bundled font "
                        "prints (the cards are still written)")
    p.set_defaults(handler=cmd_cards)
