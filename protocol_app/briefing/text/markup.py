"""Paragraph markup of user text (:func:`para_markup`): escaped, one ``<font>`` per
single-font run, break opportunities as zero-size word separators, lines broken before
the bidi reordering when asked.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics

from protocol_app.briefing.fonts import face_name, register_fonts
from protocol_app.briefing.text import linebreak
from protocol_app.briefing.text.bidi_order import _base_level, _harfbuzz_rtl
from protocol_app.briefing.text.canvas import text_width
from protocol_app.briefing.text.chars import (
    Direction,
    _clean,
    _is_break_space,
    word_separator,
)
from protocol_app.briefing.text.linebreak import _cluster_starts, needs_cluster_safe_split
from protocol_app.briefing.text.pieces import _line_pieces, _Piece, _shaped


def _piece_width(piece: _Piece, size: float, bold: bool, shaping: bool) -> float:
    """The width of a text piece as reportlab measures it, shaped or not."""
    face = face_name(piece.family, bold=bold)
    if shaping:
        return _shaped(piece.text, face, size)[1]
    return pdfmetrics.stringWidth(piece.text, face, size)


def _splits_long_piece(
    piece: _Piece, width: float, size: float, bold: bool, shaping: bool
) -> bool:
    """Whether ``piece`` is a text piece wider than ``width`` to be split between
    clusters (left-to-right text only: right-to-left words are split by reportlab)."""
    return (
        piece.kind == "text"
        and needs_cluster_safe_split(piece.text)
        and not _harfbuzz_rtl(piece.text)
        and _piece_width(piece, size, bold, shaping) > width
    )


def _split_long_pieces(
    pieces: list[_Piece], width: float | None, size: float, bold: bool, shaping: bool
) -> list[_Piece]:
    """``pieces`` with each text piece to split (see :func:`_splits_long_piece`) cut at
    its cluster starts, a break between each two parts."""
    if width is None:
        return pieces
    result: list[_Piece] = []
    for piece in pieces:
        if not _splits_long_piece(piece, width, size, bold, shaping):
            result.append(piece)
            continue
        previous = 0
        starts = _cluster_starts(piece.text, face_name(piece.family, bold=bold))
        for start in (*starts, len(piece.text)):
            if previous:
                result.append(_Piece("break", piece.family))
            glued = piece.glued and not previous
            result.append(_Piece("text", piece.family, piece.text[previous:start], glued))
            previous = start
    return result


def _widest_fragile_piece(
    text: str, size: float, bold: bool, direction: Direction, shaping: bool
) -> float:
    """Width of the widest piece of ``text`` that would be split between clusters."""
    widest = 0.0
    for line in _clean(text).split("\n"):
        for piece in _line_pieces(line, direction, breaks=True):
            if _splits_long_piece(piece, widest, size, bold, shaping):
                widest = _piece_width(piece, size, bold, shaping)
    return widest



def para_markup(
    text: object,
    *,
    bold: bool = False,
    direction: Direction = "auto",
    wrap_width: float | None = None,
    font_size: float = 10.0,
    split_width: float | None = None,
    shaping: bool = True,
) -> str:
    """Paragraph markup that prints ``text`` literally, in any script.

    The result is for a reportlab ``Paragraph`` whose style has ``shaping=1`` and a
    TrueType font as ``fontName`` (see :func:`paragraph_style`; with another style
    reportlab does not shape, and Arabic prints unjoined). It can be embedded in larger
    markup (``f"<b>Guest:</b> {para_markup(name)}"``).

    * ``&``, ``<`` and ``>`` are escaped: user markup, ``<img>`` or ``<a href>`` never
      runs and nothing is fetched.
    * Each run is wrapped in ``<font name="...">`` with the first font of the chain
      covering it (``bold`` picks the bold faces, where bundled).
    * Right-to-left text is reordered to visual order per line; Arabic, Devanagari and
      Thai are shaped by reportlab.
    * Newlines become ``<br/>``.
    * Chinese and Japanese text gets a break opportunity between characters (kinsoku
      rules kept): zero-width word separators, see the module documentation.
    * ``direction`` sets each line's base direction (default: from its first strong
      character). ``wrap_width`` (points, with ``font_size``) breaks lines here,
      before the bidi reordering, which keeps a long right-to-left passage in order
      over several lines; without it reportlab wraps the visually ordered text.
    * ``split_width`` (points, with ``font_size``): words wider than this that hold
      clusters of several characters get a break opportunity between each two
      clusters, so that reportlab never splits them inside one.
    * ``shaping=False`` for a paragraph style without shaping: a word printed in two
      fonts is then not cut between them (see :func:`word_separator`; without shaping
      reportlab needs no cut), so a line never breaks there either -- between a
      Chinese character and a quotation mark the Chinese font lacks, say.
    """
    register_fonts()
    lines = _clean(text).split("\n")
    out_lines: list[str] = []
    for line in lines:
        if wrap_width is not None:
            # the base direction belongs to the whole line, not to each wrapped part
            base: Direction = "rtl" if _base_level(line, direction) else "ltr"
            parts = _wrap_logical(line, wrap_width, font_size, bold, base)
        else:
            base, parts = direction, [line]
        out_lines.extend(
            _pieces_markup(
                _split_long_pieces(
                    _line_pieces(part, base, breaks=True), split_width, font_size, bold, shaping
                ),
                bold,
                shaping,
            )
            for part in parts
        )
    return "<br/>".join(out_lines)


# A break opportunity inside a run of one font: a zero-size space in that font.
_IN_RUN_SEPARATOR = '<font size="0"> </font>'


def _pieces_markup(pieces: list[_Piece], bold: bool, shaping: bool = True) -> str:
    """Markup for one line of pieces: runs of one face merged into one ``<font>``.

    ``shaping``: the paragraph is shaped, so a word is cut where its font changes.
    """
    parts: list[str] = []
    open_face: str | None = None
    for index, piece in enumerate(pieces):
        face = face_name(piece.family, bold=bold)
        if piece.kind == "break" and open_face is not None:
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            if (
                following is not None
                and following.kind == "text"
                and not following.glued
                and face_name(following.family, bold=bold) == open_face
            ):
                # the run goes on in the same font after the break: stay in it
                parts.append(_IN_RUN_SEPARATOR)
                continue
        if piece.kind == "break" or (piece.kind == "text" and piece.glued and shaping):
            if open_face is not None:
                parts.append("</font>")
                open_face = None
            parts.append(word_separator())
            if piece.kind == "break":
                continue
        if piece.kind == "space":
            parts.append(" ")
            continue
        if face != open_face:
            if open_face is not None:
                parts.append("</font>")
            parts.append(f'<font name="{face}">')
            open_face = face
        parts.append(escape(piece.text))
    if open_face is not None:
        parts.append("</font>")
    return "".join(parts)


def _wrap_logical(
    line: str, width: float, size: float, bold: bool, direction: Direction
) -> list[str]:
    """Greedy line breaking of one logical line by shaped width: at spaces, and at the
    break opportunities of Chinese and Japanese (see :func:`_break_opportunities`).
    """
    opportunities = linebreak._break_opportunities(line)
    # (what joins the token to the one before it: a space or nothing, token)
    tokens: list[tuple[str, str]] = []
    joiner = ""
    start: int | None = None
    for index, char in enumerate(line):
        if _is_break_space(char):
            if start is not None:
                tokens.append((joiner, line[start:index]))
                start = None
            joiner = " " if tokens else ""
        elif start is None:
            start = index
        elif index in opportunities:
            tokens.append((joiner, line[start:index]))
            joiner, start = "", index
    if start is not None:
        tokens.append((joiner, line[start:]))
    if not tokens:
        return [""]
    lines: list[str] = []
    current = ""
    for joiner, token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if current and text_width(candidate, size, bold=bold, direction=direction) > width:
            lines.append(current)
            current = token
        else:
            current = candidate
    lines.append(current)
    return lines
