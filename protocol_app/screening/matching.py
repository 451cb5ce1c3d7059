"""How alike a name is to a list entry's name: a score from 0 to 100 and the reason.

Pure functions (no database).  Names arrive as tokens (:mod:`.normalize`).  Each token of
the shorter name is paired with a token of the other (greedily, most alike first, each
token used once), in any order, so "Sergey Ivanov" meets "IVANOV, Sergei".  A pair of
tokens is

- the same (100);
- alike in sound: the same Metaphone code, both of four letters or more ("Sergey" and
  "Sergei", "Mohammed" and "Muhammad": 90 at least);
- alike in spelling: rapidfuzz's normalized Indel similarity (``fuzz.ratio``: "Mueller"
  and "Muller" 92).

The name's score is the mean of its pairs averaged with the weakest pair, so one name in
common cannot carry a different other name ("Wang Lei" and "Wang Wei": 75), less a little
for each name only one side has (a patronymic, a middle name).  A person whose name has
one token against an entry with more (or the other way round) is capped at 60: a family
name alone is no match.  An organization sharing only common words ("University",
"Technology") with an entry is capped at 60 too.  :data:`THRESHOLD` (85) is where a match
is reported; the tests in ``tests/screening`` hold the cases that set it.

Hand-written here: the pairing of tokens (a dozen lines).  rapidfuzz's ``token_sort`` and
``token_set`` ratios were measured against the cases in the tests and are worse in both
directions: ``token_set_ratio`` gives 100 to "Ivanov" against "IVANOV, Sergei" (a family
name alone), and ``token_sort_ratio`` gives 75 to "Sergey Ivanov" against "IVANOV, Sergei
Petrovich" (a real match with a patronymic); neither can say which names agreed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel

from protocol_app.screening.normalize import (
    GENERIC_ORGANIZATION_WORDS,
    ORGANIZATION,
    PERSON,
    sound,
)
from protocol_app.screening.values import THRESHOLD

__all__ = ["THRESHOLD", "BestMatch", "NameForm", "NameScore", "TokenPair", "best_match",
           "could_reach", "score_tokens", "token_similarity"]

#: A token pair at least this alike counts as agreeing.
AGREEING = 80.0
#: The most a name can score when only one of its names (or only common words) agree.
ONE_NAME_CAP = 60.0
_SOUND_SCORE = 90.0

SAME, SOUND, SPELLING = "same", "sound", "spelling"


@dataclass(frozen=True, slots=True)
class TokenPair:
    """A token of the name paired with one of the entry, and how alike they are."""

    mine: str
    theirs: str
    similarity: float
    how: str  # SAME, SOUND or SPELLING


@dataclass(frozen=True, slots=True)
class NameScore:
    """The score of one name against one entry name, with what it rests on."""

    score: float
    pairs: tuple[TokenPair, ...]
    only_mine: tuple[str, ...]
    only_theirs: tuple[str, ...]
    reordered: bool
    cap: str = ""  # why the score was capped, or ""

    def reason(self) -> str:
        """The score in words: which names agree and how, what only one side has."""
        parts = [_pair_words(p) for p in self.pairs if p.similarity >= AGREEING]
        differ = [f"{_show(p.mine)} ≠ {_show(p.theirs)}" for p in self.pairs
                  if p.similarity < AGREEING]
        text = "; ".join(parts) if parts else "no name agrees"
        if differ:
            text += "; differs: " + ", ".join(differ)
        if self.reordered:
            text += "; in another order"
        if self.only_theirs:
            text += "; the entry also has " + " ".join(_show(t) for t in self.only_theirs)
        if self.only_mine:
            text += "; only here: " + " ".join(_show(t) for t in self.only_mine)
        if self.cap:
            text += f"; {self.cap}"
        return text


def _show(token: str) -> str:
    return token.capitalize()


def _pair_words(pair: TokenPair) -> str:
    if pair.how == SAME:
        return f"{_show(pair.mine)} = {_show(pair.theirs)}"
    if pair.how == SOUND:
        return f"{_show(pair.mine)} ≈ {_show(pair.theirs)} (same sound)"
    return f"{_show(pair.mine)} ≈ {_show(pair.theirs)} ({pair.similarity:.0f}% alike)"


@lru_cache(maxsize=200_000)
def token_similarity(mine: str, theirs: str) -> tuple[float, str]:
    """How alike two tokens are (0-100) and how (:data:`SAME`, :data:`SOUND`,
    :data:`SPELLING`).

    >>> token_similarity("sergey", "sergei")
    (90.0, 'sound')
    >>> token_similarity("lei", "wei")[0] < AGREEING
    True
    """
    if mine == theirs:
        return 100.0, SAME
    spelled = Indel.normalized_similarity(mine, theirs) * 100
    if (len(mine) >= 4 and len(theirs) >= 4 and spelled < _SOUND_SCORE
            and sound(mine) == sound(theirs)):
        return _SOUND_SCORE, SOUND
    return spelled, SPELLING


def _pairs(short: tuple[str, ...], long: tuple[str, ...], short_is_mine: bool
           ) -> list[TokenPair]:
    """Each token of ``short`` with the most alike free token of ``long`` (greedy)."""
    scored = []
    for i, a in enumerate(short):
        for j, b in enumerate(long):
            mine, theirs = (a, b) if short_is_mine else (b, a)
            similarity, how = token_similarity(mine, theirs)
            scored.append((similarity, i, j, how))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    used_short: set[int] = set()
    used_long: set[int] = set()
    chosen: list[tuple[int, int, TokenPair]] = []
    for similarity, i, j, how in scored:
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        mine, theirs = (short[i], long[j]) if short_is_mine else (long[j], short[i])
        chosen.append((i, j, TokenPair(mine, theirs, similarity, how)))
        if len(used_short) == len(short):
            break
    chosen.sort()
    return [pair for _, _, pair in chosen]


@lru_cache(maxsize=200_000)
def score_tokens(mine: tuple[str, ...], theirs: tuple[str, ...], subject: str) -> NameScore:
    """The score of the name ``mine`` against the entry name ``theirs`` (both token
    tuples of the same ``subject``: "person" or "organization").

    >>> score_tokens(("sergey", "ivanov"), ("ivanov", "sergei"), "person").score
    92.5
    >>> score_tokens(("ivan", "ivanov"), ("ivanov", "sergei"), "person").score < THRESHOLD
    True
    """
    if not mine or not theirs:
        return NameScore(0.0, (), mine, theirs, False)
    short_is_mine = len(mine) <= len(theirs)
    short, long = (mine, theirs) if short_is_mine else (theirs, mine)
    pairs = _pairs(short, long, short_is_mine)
    similarities = [p.similarity for p in pairs]
    score = (sum(similarities) / len(similarities) + min(similarities)) / 2
    paired_mine = {p.mine for p in pairs}
    paired_theirs = {p.theirs for p in pairs}
    only_mine = tuple(t for t in mine if t not in paired_mine)
    only_theirs = tuple(t for t in theirs if t not in paired_theirs)
    score -= _unpaired_penalty(only_mine + only_theirs, subject)
    cap = _cap(pairs, len(short), len(long), subject)
    if cap:
        score = min(score, ONE_NAME_CAP)
    partners = [theirs.index(p.theirs) for p in sorted(pairs, key=lambda p: mine.index(p.mine))]
    reordered = partners != sorted(partners)
    return NameScore(round(max(0.0, min(100.0, score)), 1), tuple(pairs), only_mine,
                     only_theirs, reordered, cap)


def _unpaired_penalty(unpaired: tuple[str, ...], subject: str) -> float:
    """A middle name or patronymic on one side only costs 3 points (at most three count);
    for organizations a common word costs 2, a distinctive one 5."""
    if subject == PERSON:
        return 3.0 * min(len(unpaired), 3)
    return sum(2.0 if t in GENERIC_ORGANIZATION_WORDS else 5.0 for t in unpaired[:4])


def _cap(pairs: list[TokenPair], short: int, long: int, subject: str) -> str:
    agreeing = [p for p in pairs if p.similarity >= AGREEING]
    if subject == PERSON and short == 1 and long > 1:
        return "only one name in common"
    if subject == ORGANIZATION and agreeing and all(
            p.mine in GENERIC_ORGANIZATION_WORDS for p in agreeing):
        return "only common words in common"
    return ""


@dataclass(frozen=True, slots=True)
class NameForm:
    """One way a name is written: as given (``text``), where it comes from (``origin``:
    "name", "native", "alias"), its tokens for one subject, and for a list entry which of
    its names it is (``index``: 0 its name, 1 its first alias, ...)."""

    text: str
    origin: str
    tokens: tuple[str, ...]
    index: int = 0


@dataclass(frozen=True, slots=True)
class BestMatch:
    """The most alike pair of forms of a name and of an entry."""

    mine: NameForm
    theirs: NameForm
    name_score: NameScore

    @property
    def score(self) -> float:
        return self.name_score.score


def could_reach(mine: tuple[str, ...], theirs: tuple[str, ...], subject: str,
                threshold: float) -> bool:
    """Whether :func:`score_tokens` could reach ``threshold``: a quick test that skips
    most candidates of a block without pairing their tokens.  The score is at most the
    mean of 100 and the weakest pair, so every token of the shorter name needs a partner
    at least ``2 × threshold - 100`` alike; and one name against several is capped.

    >>> could_reach(("ivan", "petrov"), ("petrov", "sergei"), "person", 85)
    False
    """
    if not mine or not theirs:
        return False
    short_is_mine = len(mine) <= len(theirs)
    short, long = (mine, theirs) if short_is_mine else (theirs, mine)
    if subject == PERSON and len(short) == 1 < len(long) and threshold > ONE_NAME_CAP:
        return False
    floor = 2 * threshold - 100
    for a in short:
        if not any((token_similarity(a, b) if short_is_mine else token_similarity(b, a))[0]
                   >= floor for b in long):
            return False
    return True


def best_match(mine: Iterable[NameForm], theirs: Iterable[NameForm], subject: str,
               threshold: float = 0.0) -> BestMatch | None:
    """The highest-scoring pair of forms (the first of equals) scoring ``threshold`` or
    more, or None."""
    best: BestMatch | None = None
    theirs = tuple(theirs)
    for form in mine:
        for other in theirs:
            if threshold and not could_reach(form.tokens, other.tokens, subject, threshold):
                continue
            scored = score_tokens(form.tokens, other.tokens, subject)
            if scored.score < threshold:
                continue
            if best is None or scored.score > best.score:
                best = BestMatch(form, other, scored)
    return best
