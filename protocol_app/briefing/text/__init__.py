"""User text for reportlab: escaping, font fallback, shaping and right-to-left layout.

Names and notes arrive in any script. This module turns such a string into something
reportlab prints correctly, either as paragraph markup (:func:`para_markup`, for
``Paragraph``) or straight onto a canvas (:func:`draw_text`, for place cards and
headers). User text is data: it is escaped, never interpreted as markup.

How it is done
--------------
* **Fonts.** Each character goes to the first font of the fallback chain
  (:mod:`protocol_app.briefing.fonts`) that covers it. Punctuation, digits and
  symbols follow the letters of their word when that font has them, and combining
  marks and joiners stay with their base character, so a word is cut between fonts
  as rarely as possible.
* **Shaping** (Arabic joining, Devanagari conjuncts and vowel signs, Thai mark
  stacking, kerning) is reportlab's own: reportlab 5.1 shapes TrueType text with
  uharfbuzz when a paragraph style has ``shaping=1`` (``ttfonts.shapeFragWord``) and
  draws the glyphs with HarfBuzz's offsets; :func:`draw_text` calls the same
  ``shapeFragWord`` and draws the resulting ``ShapedStr`` on the canvas. The
  discretionary ligatures reportlab would also apply are switched off (see
  ``fonts.register_fonts``). reportlab shapes each paragraph word (text between
  spaces) with the font of the word's first fragment, so where one word needs two
  fonts (``(محمد)``, ``כהן,``, ``東京1-2``) :func:`para_markup` ends the word between
  them with a space in a zero-size font (:func:`word_separator`).
* **Bidi.** reportlab's own bidi support needs ``rlbidi``, which is not on PyPI, and
  is off for paragraphs with several fonts anyway. Here python-bidi (its Rust
  implementation of the current Unicode bidirectional algorithm, with isolates and
  bracket pairs) resolves the embedding level of every character -- each line of the
  user text is one bidi paragraph, its direction taken from its first strong
  character unless given -- and the line is reordered to visual order (rule L2).
  Each word is then handed to HarfBuzz the way it shapes right-to-left text: the
  characters of a right-to-left word in logical order (HarfBuzz reverses them and
  joins the Arabic letters), brackets and other mirrored characters pre-mirrored so
  that a glyph ends up mirrored exactly when its level is odd.

* **Line breaking.** reportlab breaks lines at spaces only (and splits a word longer
  than a line at any character). :func:`para_markup` adds the break opportunities of
  scripts written without spaces, as zero-width word separators
  (:func:`word_separator`), so that reportlab's own line breaker uses them:

  - Chinese and Japanese may break between any two characters, except where kinsoku
    shori forbids it: no line starts with closing punctuation, small kana, the
    prolonged sound mark or iteration marks, and none ends with an opening bracket
    (reportlab's lists in ``reportlab.lib.textsplit``, completed with the full-width
    punctuation Chinese uses). Latin words and numbers inside Chinese or Japanese text
    still break only at spaces. Korean is written with spaces and keeps to them.
  - Thai, written without spaces between words, breaks at its spaces (between
    phrases); finding its word boundaries needs a dictionary segmenter, and none small
    and well kept is available (see Limits).
  - A word that is wider than the line and made of clusters of several characters
    (combining accents, Devanagari conjuncts, Thai vowel and tone marks, emoji joined
    with ZWJ) is split only between clusters (HarfBuzz's clusters, which are
    grapheme clusters or ligatures), and a Thai word never after a leading vowel;
    :class:`UserTextParagraph` does this for the width it is wrapped at. Other
    over-long words are split by reportlab as before.

  reportlab's own ``wordWrap='CJK'`` is not used: it breaks every paragraph character
  by character without shaping, splits Latin words and emoji sequences, lets lines
  start with full-width commas and end with opening brackets.

Limits
------
* Bidi reordering is done per line of user text, before reportlab wraps a paragraph:
  a right-to-left passage that reportlab wraps over several lines would have its
  lines in the wrong order. :func:`user_paragraph` avoids that (it breaks such text
  itself for the width it gets); with bare :func:`para_markup`, pass ``wrap_width``.
* Thai breaks only at spaces, that is between phrases, and an over-long phrase is split
  between clusters, possibly inside a word (never inside a cluster, never after a
  leading vowel). Word boundaries would need a dictionary segmenter: PyThaiNLP is 67 MB
  installed, and the small ones are young single-author native libraries. Lao, Khmer
  and Burmese (no bundled font either) break only at spaces.
* In a paragraph that is shaped, a word printed in two fonts is cut between them (see
  :func:`word_separator`), and reportlab may break the line there: a quotation mark
  the Chinese font lacks (“ ”) may then end or start a line. Chinese and Japanese text
  alone needs no shaping (:func:`para_markup` with ``shaping=False``), and keeps the
  rules there too.
* Emoji and other uncovered characters print as the font's empty box;
  :func:`~protocol_app.briefing.fonts.uncovered_characters` reports them beforehand.

Modules
-------
:mod:`.chars` (cleaning, character classes), :mod:`.fallback` (fonts per character),
:mod:`.bidi_order` (levels, visual order), :mod:`.linebreak` (break opportunities,
cluster-safe splitting), :mod:`.pieces` (a line as single-font runs in visual order),
:mod:`.markup` (paragraph markup), :mod:`.canvas` (one line measured or drawn),
:mod:`.paragraph` (styles and the paragraph class). Names with a leading underscore are
private to this package; the names below are its public interface.
"""

from __future__ import annotations

from protocol_app.briefing.text.canvas import draw_text, text_width
from protocol_app.briefing.text.chars import (
    Align,
    Direction,
    plain_text_for_metadata,
    word_separator,
)
from protocol_app.briefing.text.linebreak import needs_cluster_safe_split
from protocol_app.briefing.text.markup import para_markup
from protocol_app.briefing.text.paragraph import (
    UserTextParagraph,
    paragraph_style,
    user_paragraph,
)

__all__ = [
    "Align",
    "Direction",
    "UserTextParagraph",
    "draw_text",
    "needs_cluster_safe_split",
    "para_markup",
    "paragraph_style",
    "plain_text_for_metadata",
    "text_width",
    "user_paragraph",
    "word_separator",
]
