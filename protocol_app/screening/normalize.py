"""Names as the matcher compares them: transliterated, folded, split into tokens.

Pure functions (no database).  Every name — a visitor's, an organization's, a list
entry's — goes through :func:`name_variants`, so both sides of a comparison are made
alike the same way:

- any script is read in Latin letters by ``anyascii`` ("Сергей Иванов" -> "Sergey
  Ivanov", "Müller" -> "Muller"); Han ideographs and Hangul syllables become one token
  each ("王磊" -> "wang lei", which ``anyascii`` alone gives as "WangLei"), and a second
  variant joins the given-name syllables the way pinyin is written ("習近平" -> "xi
  jinping");
- letters are lower-cased; dots and apostrophes vanish ("L.L.C." -> "llc", "O'Brien" ->
  "obrien"); every other mark separates tokens ("IVANOV, Sergei" -> "ivanov sergei");
- for people, particles and titles (al, bin, van, de, Dr, ...) are set aside when two
  other names remain; for organizations, legal forms (LLC, Ltd., OOO, GmbH, ...) and
  small words (of, the, and) are.

:func:`block_keys` gives the keys the list index is blocked by: the Metaphone code of
each distinctive token of four letters or more (so "Sergey" and "Sergei" share one), the
token itself when shorter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import jellyfish
from anyascii import anyascii

PERSON, ORGANIZATION = "person", "organization"

#: Words set aside in people's names when at least two other names remain.
PERSON_PARTICLES = frozenset({
    "al", "el", "bin", "ibn", "bint", "de", "da", "di", "del", "della", "der", "den", "van",
    "von", "la", "le", "du", "dos", "das", "y", "mr", "mrs", "ms", "miss", "dr", "prof",
    "sir", "he", "hon",
})
#: Legal forms and small words set aside in organizations' names (unless nothing else is
#: left).  Dotted forms arrive without their dots: "L.L.C." is "llc", "S.A." is "sa".
LEGAL_FORMS = frozenset({
    "llc", "ltd", "limited", "co", "company", "corp", "corporation", "inc", "incorporated",
    "gmbh", "mbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "plc", "llp",
    "lp", "pte", "pty", "kk", "sdn", "bhd", "ooo", "oao", "zao", "pao", "ao", "jsc", "ojsc",
    "cjsc", "pjsc", "tov", "fze", "fzco", "fzc", "fzllc", "kft", "zrt", "oy", "oyj", "ab",
    "as", "asa", "the", "of", "and", "for", "und", "et",
})
#: The small words among :data:`LEGAL_FORMS` (not legal forms, though set aside alike).
SMALL_WORDS = frozenset({"the", "of", "and", "for", "und", "et"})
#: Words common to many organizations' names: an organization sharing only these with an
#: entry is no match (see :mod:`protocol_app.screening.matching`).
GENERIC_ORGANIZATION_WORDS = frozenset({
    "university", "institute", "institution", "academy", "college", "school", "center",
    "centre", "national", "state", "federal", "research", "technology", "technologies",
    "technical", "science", "sciences", "scientific", "international", "group", "holding",
    "holdings", "industry", "industries", "industrial", "trading", "trade", "import",
    "export", "enterprise", "enterprises", "service", "services", "bank", "ministry",
    "department", "agency", "laboratory", "lab", "foundation", "association", "society",
    "engineering", "development", "energy", "electronics", "systems", "solutions",
    "global", "general", "office", "bureau", "council", "committee", "china", "chinese",
    "russia", "russian", "iran", "iranian", "korea", "korean",
})

_HAN_OR_HANGUL = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3\U00020000-\U0002ffff]")
_DROPPED = re.compile(r"[.'’ʼ`´]")
_SEPARATOR = re.compile(r"[^a-z0-9]+")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Han ideographs or Hangul syllables."""
    return _HAN_OR_HANGUL.search(text) is not None


def transliterate(text: str) -> str:
    """``text`` in Latin letters; each Han or Hangul syllable a word of its own.

    >>> transliterate("王磊"), transliterate("Сергей Иванов"), transliterate("Nguyễn")
    ('Wang Lei', 'Sergey Ivanov', 'Nguyen')
    """
    text = unicodedata.normalize("NFKC", text)
    if has_cjk(text):
        text = _HAN_OR_HANGUL.sub(lambda m: f" {m.group(0)} ", text)
    return " ".join(anyascii(text).split())


def fold(text: str) -> tuple[str, ...]:
    """The tokens of ``text``: transliterated, lower case, without marks.

    >>> fold("IVANOV, Sergei"), fold("Acme Trading L.L.C."), fold("王磊")
    (('ivanov', 'sergei'), ('acme', 'trading', 'llc'), ('wang', 'lei'))
    """
    latin = _DROPPED.sub("", transliterate(text).lower())
    return tuple(t for t in _SEPARATOR.split(latin) if t)


def _cjk_joined(text: str) -> tuple[str, ...] | None:
    """The pinyin-style reading of a name in Han or Hangul: each written word's syllables
    joined, and in a name written without spaces the first syllable (the family name)
    apart from the rest ("習近平" -> xi jinping, "田中 陽翔" -> tianzhong yangxiang)."""
    if not has_cjk(text):
        return None
    words = unicodedata.normalize("NFKC", text).split()
    if len(words) == 1 and len(words[0]) >= 2 and all(has_cjk(c) for c in words[0]):
        words = [words[0][0], words[0][1:]]
    joined = tuple("".join(fold(w)) for w in words)
    return tuple(t for t in joined if t) or None


def _without(tokens: tuple[str, ...], words: frozenset[str], keep_at_least: int
             ) -> tuple[str, ...]:
    kept = tuple(t for t in tokens if t not in words)
    return kept if len(kept) >= keep_at_least else tokens


def tokens_for(tokens: tuple[str, ...], subject: str) -> tuple[str, ...]:
    """``tokens`` without the words set aside for the subject ("person" or
    "organization"); repeated tokens once."""
    if subject == ORGANIZATION:
        tokens = _without(tokens, LEGAL_FORMS, 1)
    else:
        tokens = _without(tokens, PERSON_PARTICLES, 2)
    return tuple(dict.fromkeys(tokens))


def raw_variants(text: str) -> tuple[tuple[str, ...], ...]:
    """The ways ``text`` is read, before any word is set aside: its tokens; with hyphens
    also joined ("Jong-un" -> "jongun"); for Han or Hangul names also the pinyin-style
    reading (see :func:`_cjk_joined`).  Stored with each list entry at load time.

    >>> raw_variants("習近平")
    (('xi', 'jin', 'ping'), ('xi', 'jinping'))
    >>> raw_variants("KIM Jong-un")
    (('kim', 'jong', 'un'), ('kim', 'jongun'))
    """
    variants = [fold(text)]
    if "-" in text:
        variants.append(fold(text.replace("-", "")))
    joined = _cjk_joined(text)
    if joined is not None:
        variants.append(joined)
    return tuple(v for v in dict.fromkeys(variants) if v)


def name_variants(text: str, subject: str) -> tuple[tuple[str, ...], ...]:
    """:func:`raw_variants` with the words set aside for the subject (:func:`tokens_for`).

    >>> name_variants("Rosoboronexport OAO", "organization")
    (('rosoboronexport',),)
    """
    return subject_variants(raw_variants(text), subject)


def subject_variants(variants: tuple[tuple[str, ...], ...], subject: str
                     ) -> tuple[tuple[str, ...], ...]:
    """Each variant through :func:`tokens_for`, repeated ones once."""
    return tuple(v for v in dict.fromkeys(tokens_for(v, subject) for v in variants) if v)


@lru_cache(maxsize=100_000)
def sound(token: str) -> str:
    """The Metaphone code of a token ("sergey" and "sergei" -> "SRJ")."""
    return jellyfish.metaphone(token)


def is_distinctive(token: str, subject: str) -> bool:
    """Whether a token may bring an entry and a name together (not a particle, a legal
    form, a generic word or a single letter)."""
    if len(token) < 2:
        return False
    if subject == ORGANIZATION:
        return token not in LEGAL_FORMS and token not in GENERIC_ORGANIZATION_WORDS
    return token not in PERSON_PARTICLES


def block_key(token: str) -> str:
    """The index key of one token: its sound when it has four letters or more."""
    return (sound(token) or token)[:40] if len(token) >= 4 else token


def block_keys(variants: tuple[tuple[str, ...], ...], subject: str) -> frozenset[str]:
    """Every index key of a name's variants (its distinctive tokens; every token when
    none is distinctive, so a name of generic words is still found)."""
    keys: set[str] = set()
    for tokens in variants:
        chosen = [t for t in tokens if is_distinctive(t, subject)] or list(tokens)
        keys.update(block_key(t) for t in chosen)
    return frozenset(keys)


def encode_variants(variants: Iterable[tuple[int, tuple[str, ...]]]) -> str:
    """The raw variants of an entry's names (index 0 its name, then its aliases), as
    stored with the entry at load time: one line per variant, ``INDEX token token ...``.

    >>> encode_variants([(0, ("ivanov", "sergei")), (1, ("sergey", "ivanov"))])
    '0 ivanov sergei\\n1 sergey ivanov'
    """
    return "\n".join(f"{index} {' '.join(tokens)}" for index, tokens in variants)


def decode_variants(text: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The inverse of :func:`encode_variants`: (index of the name, tokens) per line."""
    decoded = []
    for line in text.split("\n"):
        index, _, tokens = line.partition(" ")
        if tokens:
            decoded.append((int(index), tuple(tokens.split())))
    return tuple(decoded)
