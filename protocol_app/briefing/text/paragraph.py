"""Paragraphs of user text: the style they need, and a ``Paragraph`` that makes its
markup anew for the width it is wrapped at (right-to-left line order, cluster-safe
splitting of over-long words).
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from protocol_app.briefing.fonts import BASE_FAMILY, register_fonts
from protocol_app.briefing.text.bidi_order import _has_rtl
from protocol_app.briefing.text.chars import Direction, _clean
from protocol_app.briefing.text.linebreak import needs_cluster_safe_split
from protocol_app.briefing.text.markup import _widest_fragile_piece, para_markup


def paragraph_style(
    name: str = "UserText",
    *,
    parent: ParagraphStyle | None = None,
    size: float | None = None,
    leading: float | None = None,
    **overrides: object,
) -> ParagraphStyle:
    """A paragraph style fit for :func:`para_markup` output.

    Base font: the bundled text face; ``shaping=1`` (reportlab shapes with uharfbuzz);
    long words are split. Without ``parent`` the size defaults to 10 pt; the leading
    defaults to 1.35 times the size, room for Thai and Devanagari marks.
    """
    register_fonts()
    font_size = size if size is not None else (parent.fontSize if parent else 10.0)
    values: dict[str, object] = {
        "fontName": BASE_FAMILY,
        "fontSize": font_size,
        "leading": leading if leading is not None else round(font_size * 1.35, 2),
        "shaping": 1,
        "splitLongWords": 1,
    }
    values.update(overrides)
    return ParagraphStyle(name, parent=parent, **values)



class UserTextParagraph(Paragraph):
    """A ``Paragraph`` of user text; made by :func:`user_paragraph` or :meth:`of`.

    Its markup is made anew for the width it is wrapped at when the text holds
    right-to-left characters, or clusters of several characters:

    * right-to-left text: each :meth:`wrap` breaks the lines for the available width
      before the bidi reordering (``para_markup(wrap_width=)``), so that a
      right-to-left passage keeps its lines in order;
    * a word wider than the line that holds clusters (combining marks, Devanagari
      conjuncts, Thai, emoji sequences) gets break opportunities between its clusters
      (``para_markup(split_width=)``), so that reportlab splits it between two.

    Pieces made by :meth:`split` are ordinary paragraphs of already broken lines.
    """

    _user_text: str | None = None
    _bold: bool = False
    _direction: Direction = "auto"
    _prefix: str = ""
    _rtl: bool = False
    _wrapped_width: float | None = None
    _split_width: float | None = None
    _widest: tuple[float, float] | None = None
    """(font size, width of the widest piece to split between clusters at that size)."""

    @classmethod
    def of(
        cls,
        text: object,
        style: ParagraphStyle,
        *,
        bold: bool = False,
        direction: Direction = "auto",
        prefix: str = "",
    ) -> UserTextParagraph:
        """A paragraph of ``prefix`` (paragraph markup: a label) and user ``text``.

        ``style`` is used as it is (see :func:`user_paragraph`, which adapts it); the
        markup is made for it, shaped or not.
        """
        register_fonts()
        cleaned = _clean(text)
        markup = para_markup(cleaned, bold=bold, direction=direction, shaping=_shapes(style))
        paragraph = cls(prefix + markup, style)
        rtl = _has_rtl(cleaned)
        if rtl or needs_cluster_safe_split(cleaned):
            paragraph._user_text = cleaned
            paragraph._bold = bold
            paragraph._direction = direction
            paragraph._prefix = prefix
            paragraph._rtl = rtl
        return paragraph

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Make the markup for ``availWidth`` where it depends on it, then wrap."""
        if self._user_text is not None and availWidth != self._wrapped_width:
            style = self.style
            indent = style.leftIndent + style.rightIndent + max(0.0, style.firstLineIndent)
            width = max(availWidth - indent - _WRAP_SLACK, 1.0)
            markup: str | None = None
            shaping = _shapes(style)
            if self._rtl:
                markup = para_markup(
                    self._user_text,
                    bold=self._bold,
                    direction=self._direction,
                    wrap_width=width,
                    font_size=style.fontSize,
                    split_width=width,
                    shaping=shaping,
                )
            else:
                split = width if self._widest_piece(style.fontSize) > width else None
                if split != self._split_width:
                    markup = para_markup(
                        self._user_text,
                        bold=self._bold,
                        direction=self._direction,
                        font_size=style.fontSize,
                        split_width=split,
                        shaping=shaping,
                    )
                self._split_width = split
            if markup is not None:
                self._setup(self._prefix + markup, style, self.bulletText, None,
                            cleanBlockQuotedText)
            self._wrapped_width = availWidth
        return super().wrap(availWidth, availHeight)

    def _widest_piece(self, size: float) -> float:
        if self._widest is None or self._widest[0] != size:
            assert self._user_text is not None
            widest = _widest_fragile_piece(
                self._user_text, size, self._bold, self._direction, _shapes(self.style)
            )
            self._widest = (size, widest)
        return self._widest[1]


def _shapes(style: ParagraphStyle) -> bool:
    """Whether reportlab shapes the words of a paragraph of ``style``."""
    return bool(style.shaping) and bool(pdfmetrics.getFont(style.fontName).shapable)


# Lines are broken this much narrower than reportlab's limit, so that reportlab's own
# measurement (summed differently) never breaks them a second time.
_WRAP_SLACK = 1.0


def user_paragraph(
    text: object,
    style: ParagraphStyle | None = None,
    *,
    bold: bool = False,
    direction: Direction = "auto",
) -> Paragraph:
    """A ``Paragraph`` printing user ``text`` (see :func:`para_markup`).

    ``style`` defaults to :func:`paragraph_style`; a style without ``shaping``, or
    whose font is not a TrueType font (reportlab shapes only then), is adapted.
    Right-to-left text keeps its line order when the paragraph wraps, and words too
    wide for a line are never split inside a cluster (see :class:`UserTextParagraph`).
    """
    register_fonts()
    if style is None:
        style = paragraph_style()
    elif not style.shaping or not pdfmetrics.getFont(style.fontName).shapable:
        # reportlab shapes only when the style's own font is a TrueType font
        font_name = style.fontName
        if not pdfmetrics.getFont(font_name).shapable:
            font_name = BASE_FAMILY
        style = ParagraphStyle(f"{style.name}+shaping", parent=style, shaping=1, fontName=font_name)
    return UserTextParagraph.of(text, style, bold=bold, direction=direction)
