"""Command line: ``briefing`` (a visit's briefing book as a PDF, for one audience).

Heavy imports (reportlab, the fonts) stay inside the handler.
"""

from __future__ import annotations

import argparse
import sys

from protocol_app.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, CommandContext
from protocol_app.cli import print_line as _print

_AUDIENCES = ("internal", "host", "guest")
_PAPERS = ("A4", "Letter")


def default_paper() -> str:
    """The paper size of the settings, else of the system's locale (Letter in the US,
    Canada, Mexico, the Philippines and a few others; A4 elsewhere)."""
    from protocol_app.config import Settings

    chosen = Settings.load().paper_size
    if chosen in _PAPERS:
        return chosen
    return paper_for_locale()


#: Territories that use US Letter (ISO 3166-1 alpha-2).
LETTER_TERRITORIES: frozenset[str] = frozenset(
    {"US", "CA", "MX", "PH", "CL", "CO", "CR", "GT", "PA", "PR", "SV", "VE", "DO", "NI", "BZ"}
)


def paper_for_locale(locale_name: str | None = None) -> str:
    """"Letter" for a locale of a Letter territory ("en_US", "es_MX"), else "A4"."""
    if locale_name is None:
        import locale
        import os

        locale_name = (os.environ.get("LC_PAPER") or os.environ.get("LC_ALL")
                       or locale.getlocale()[0] or os.environ.get("LANG") or "")
    territory = locale_name.split(".")[0].split("@")[0].replace("-", "_").split("_")
    if len(territory) > 1 and territory[1].upper() in LETTER_TERRITORIES:
        return "Letter"
    return "A4"


def cmd_briefing(ctx: CommandContext) -> int:
    """Build a visit's briefing book for one audience."""
    args = ctx.args
    paper = args.paper or default_paper()

    def progress(done: int, total: int, text: str) -> None:
        if args.verbose and text:
            sys.stderr.write(f"  {done * 100 // max(total, 1):3d}%  {text}\n")

    if args.each_guest_principal:
        return _personal_copies(ctx, paper, progress)
    if args.out_dir is not None:
        sys.stderr.write("protocol-app: --out-dir goes with --each-guest-principal; for one "
                         "book use --out FILE.pdf.\n")
        return EXIT_USAGE
    if args.out is None:
        sys.stderr.write("protocol-app: briefing: --out FILE.pdf is required (or "
                         "--each-guest-principal --out-dir DIR).\n")
        return EXIT_USAGE
    audience = args.audience or "internal"
    if args.person is not None and audience != "guest":
        sys.stderr.write("protocol-app: --person makes a guest's personal copy: use it with "
                         "--audience guest.\n")
        return EXIT_USAGE
    result, edition = ctx.services.editions.publish_book(
        args.visit, audience, args.out, paper, progress=progress, person=args.person)
    number = f", edition {edition.number}" if edition is not None else ""
    _print(f"Wrote {result.path}: {result.pages} pages, {result.audience} book, "
           f"{result.paper}{number}.")
    for warning in result.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if result.warnings and args.strict:
        sys.stderr.write(f"protocol-app: {len(result.warnings)} warning"
                         f"{'' if len(result.warnings) == 1 else 's'} (--strict).\n")
        return EXIT_ERROR
    return EXIT_OK


def _personal_copies(ctx: CommandContext, paper: str, progress) -> int:
    """``--each-guest-principal --out-dir DIR``: one personal copy per guest principal."""
    args = ctx.args
    if args.out_dir is None or args.out is not None or args.person is not None:
        sys.stderr.write("protocol-app: --each-guest-principal writes one file per person: "
                         "give --out-dir DIR (not --out or --person).\n")
        return EXIT_USAGE
    if args.audience not in (None, "guest"):
        sys.stderr.write("protocol-app: personal copies are guests' books: use "
                         "--audience guest or leave it out.\n")
        return EXIT_USAGE
    copies = ctx.services.editions.publish_personal_copies(args.visit, args.out_dir,
                                                           paper=paper, progress=progress)
    warned = 0
    for copy in copies:
        number = f", edition {copy.edition.number}" if copy.edition is not None else ""
        _print(f"Wrote {copy.path}: {copy.result.pages} pages, personal copy of "
               f"{copy.name}{number}.")
        for warning in copy.result.warnings:
            sys.stderr.write(f"warning: {copy.name}: {warning}\n")
        warned += len(copy.result.warnings)
    if warned and args.strict:
        sys.stderr.write(f"protocol-app: {warned} warning{'' if warned == 1 else 's'} "
                         "(--strict).\n")
        return EXIT_ERROR
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``briefing`` command."""
    p = subparsers.add_parser(
        "briefing", help="write a visit's briefing book (PDF) for one audience",
        description="Write the briefing book of a visit as a PDF. The internal book holds "
                    "every note; the hosts' book has no medical or security notes; the "
                    "guests' book (the delegation's programme) has no protocol, medical or "
                    "security notes, no cancelled events, no events for hosts only or for "
                    "their attendees only, and no gifts. With --person, the personal copy "
                    "of one guest: their own programme and details.")
    p.add_argument("visit", help="the visit's id (e.g. jp-rector-2027) or number")
    p.add_argument("--out", metavar="FILE.pdf", default=None,
                   help="where to write the PDF (required, except with "
                        "--each-guest-principal)")
    p.add_argument("--audience", choices=_AUDIENCES, default=None,
                   help="who the book is for (default: internal)")
    p.add_argument("--person", metavar="REF", default=None,
                   help="a guest's personal copy (with --audience guest): the person's "
                        "package ref or number")
    p.add_argument("--each-guest-principal", action="store_true",
                   help="a personal copy for every head of delegation and member, each a "
                        "separate PDF named from the person's name, into --out-dir")
    p.add_argument("--out-dir", metavar="DIR", default=None,
                   help="the folder for --each-guest-principal (made when missing; files "
                        "of the same name are replaced)")
    p.add_argument("--paper", choices=_PAPERS, default=None,
                   help="paper size (default: the settings', else the locale's)")
    p.add_argument("--strict", action="store_true",
                   help="exit with status 1 when the book has warnings (names that cannot "
                        "be printed, refused photos); the book is still written")
    p.set_defaults(handler=cmd_briefing)
