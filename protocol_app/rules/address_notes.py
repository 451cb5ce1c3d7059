"""Forms of address quoted in a person's protocol notes, checked against the forms we print.

Officers write how a person wishes to be addressed in the protocol notes: "Address as
'Mr. Adler', not 'Excellency'", "'Minister Tùng' is acceptable, 'Minister Võ' is not".
This module reads such quotes and reports where the generated forms (with the office's
overrides) contradict them. The rules, each explainable in one sentence:

* a quote the notes **reject** (followed by "is not", "is not acceptable", or preceded by
  "not", "never", "avoid") must not be one of the forms we print, nor stand inside one;
* a quote the notes **ask for** (preceded by "address as", "addressed as", "call him/her",
  "in writing", "in speech", "in conversation", "written as", or followed by "is
  acceptable", "is correct", "is preferred") must be one of the forms we print, or begin
  one of them.

Quotes are compared with case, accents, punctuation and the abbreviations "Prof.", "Dr."
and "H.E." folded, so "Prof. Võ" matches "Professor Vo".

An event's notes are read too (:func:`misnamed_in_notes`): a person called by an
honorific and their family name ("Ms. Bùi") when the name used after a title is another
("Ms. Anh", by the Vietnamese custom) is named, with the right form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from protocol_app.rules.address import FormsOfAddress
from protocol_app.rules.names import NamedPerson, fold, title_name

#: A quoted passage: straight or curly, single or double quotes.
#: An apostrophe inside a word ("d'affaires", "O'Neill") opens no quote.
_QUOTE_RE = re.compile(
    r"""(?:(?<!\w)'([^']{2,120})'(?!\w)|"([^"]{2,120})"|‘([^’]{2,120})’(?!\w)|“([^”]{2,120})”)"""
)
_ASKS_BEFORE = re.compile(
    r"(?:address(?:ed)?(?:\s+(?:him|her|them))?\s+as|call\s+(?:him|her|them)|"
    r"in\s+writing|in\s+speech|in\s+conversation|written\s+as|spoken\s+as)\s*:?\s*$",
    re.IGNORECASE,
)
_ASKS_AFTER = re.compile(r"^\s*(?:is|are)\s+(?:acceptable|correct|preferred|right|fine)\b",
                         re.IGNORECASE)
_REJECTS_BEFORE = re.compile(r"(?:\bnot|\bnever|\bavoid|\bno)\s*:?\s*$", re.IGNORECASE)
_REJECTS_AFTER = re.compile(r"^\s*(?:is|are)\s+(?:not|never|wrong|incorrect|unacceptable)\b",
                            re.IGNORECASE)
_ABBREVIATIONS = {"prof": "professor", "dr": "doctor", "he": "his excellency"}
#: The forms we compare with, and how a warning names them.
_FORM_LABELS = {
    "place_card": "place card", "spoken": "spoken form", "salutation": "salutation",
    "list_form": "list form", "badge": "badge", "address_block": "address block",
}


@dataclass(frozen=True, slots=True)
class QuotedForm:
    """A form of address quoted in notes, and whether the notes ask for it or reject it."""

    text: str
    wanted: bool


@dataclass(frozen=True, slots=True)
class AddressNoteConflict:
    """A quoted form that the printed forms contradict, in words an officer can act on."""

    quoted: QuotedForm
    form: str  # the form name (see FormsOfAddress), or "" when none matches a wanted one
    printed: str

    @property
    def message(self) -> str:
        """One sentence naming the quote and the printed form."""
        if self.quoted.wanted:
            return (f"the protocol notes ask for “{self.quoted.text}”, but no printed form "
                    f"uses it (the place card reads “{self.printed}”)")
        label = _FORM_LABELS.get(self.form, self.form)
        return (f"the protocol notes reject “{self.quoted.text}”, but the {label} reads "
                f"“{self.printed}”")


def _words(text: str) -> str:
    tokens = re.findall(r"\w+", re.sub(r"\bh\.\s*e\.", "he", fold(text)))
    return " ".join(_ABBREVIATIONS.get(t, t) for t in tokens)


def quoted_forms(notes: str) -> Iterator[QuotedForm]:
    """The forms of address the notes ask for or reject; other quotes are skipped."""
    for match in _QUOTE_RE.finditer(notes):
        text = next(g for g in match.groups() if g is not None).strip().rstrip(",.;")
        before, after = notes[: match.start()], notes[match.end():]
        # the sentence the quote stands in, up to the quote
        clause_before = re.split(r"[.;:!?]\s", before)[-1]
        if _REJECTS_AFTER.match(after) or _REJECTS_BEFORE.search(clause_before):
            yield QuotedForm(text, wanted=False)
        elif _ASKS_BEFORE.search(clause_before) or _ASKS_AFTER.match(after):
            yield QuotedForm(text, wanted=True)


def _printed(forms: FormsOfAddress) -> dict[str, str]:
    values = {name: getattr(forms, name) for name in _FORM_LABELS}
    values["salutation"] = re.sub(r"^Dear\s+", "", values["salutation"])
    values["address_block"] = values["address_block"].replace("\n", ", ")
    return values


def address_note_conflicts(notes: str, forms: FormsOfAddress) -> list[AddressNoteConflict]:
    """Where ``forms`` (as printed, overrides applied) contradict quotes in ``notes``."""
    printed = _printed(forms)
    folded = {name: f" {_words(text)} " for name, text in printed.items()}
    conflicts: list[AddressNoteConflict] = []
    for quote in quoted_forms(notes):
        words = _words(quote.text)
        if not words:
            continue
        if quote.wanted:
            if not any(text.startswith(f" {words} ") for text in folded.values()):
                conflicts.append(AddressNoteConflict(quote, "", forms.place_card))
            continue
        for name, text in folded.items():
            if f" {words} " in text:
                conflicts.append(AddressNoteConflict(quote, name, printed[name]))
                break
    return conflicts


# -- a person named in an event's notes by the wrong name -----------------------------
#: Personal honorifics that are followed by the name used with a title.
_HONORIFICS = r"(?:Mr|Ms|Mrs|Miss|Mx|Dr|Prof|Professor)\.?"


@dataclass(frozen=True, slots=True)
class MisnamedInNotes:
    """Notes calling a person "Ms. Bùi" where the name used with a title is "Anh"."""

    person: NamedPerson
    written: str
    right: str


def misnamed_in_notes(notes: str, people: Iterable[NamedPerson]) -> list[MisnamedInNotes]:
    """The people ``notes`` name by an honorific and their family name when their naming
    custom (or the office's choice) uses another name after a title: Vietnamese "Ms.
    Bùi" for Bùi Ngọc Anh, who is "Ms. Anh"."""
    found: list[MisnamedInNotes] = []
    for person in people:
        family, used = person.family_name.strip(), title_name(person).strip()
        if not family or not used or fold(used) == fold(family):
            continue
        pattern = re.compile(rf"(?<!\w)({_HONORIFICS})\s+{re.escape(family)}(?!\w)")
        for match in pattern.finditer(notes):
            found.append(MisnamedInNotes(person, match.group(0),
                                         f"{match.group(1)} {used}"))
    return found
