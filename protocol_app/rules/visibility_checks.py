"""Checks that an event open to guests carries no notes written for the hosts only.

An event is open to guests when guests may see it (:mod:`protocol_app.rules.visibility`:
the whole programme, or a guest attends it).  Each rule fits in one sentence:

- ``notes_quote_sensitive_field``: the event's notes repeat :data:`QUOTE_WORDS` words
  in a row, at least :data:`QUOTE_CONTENT_WORDS` of them not small words ("the", "of",
  "and"...), from an attendee's protocol, medical or security notes (which guests
  never see);
- ``notes_use_host_words``: the notes use words that only a note for hosts uses
  (:data:`HOST_ONLY_PHRASES`: "brief the President", "do not tell", "internal"...);
- ``hosts_only_event_open_to_guests``: only hosts attend the event, yet it is set
  to be seen by the whole programme.

All three are warnings; each finding names the event and the rule.
Pure: reads the visit's values, nothing else.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from protocol_app.rules.conflicts import Finding, describe_event, sort_findings
from protocol_app.rules.names import display_name, fold
from protocol_app.rules.visibility import Visibility, effective_visibility, event_people

if TYPE_CHECKING:
    from protocol_app.services.values import EventRecord, VisitRecord

#: How many words in a row of a sensitive note make a quote, and how many of them
#: must be more than small words (so "the President and the Provost" is no quote).
QUOTE_WORDS = 5
QUOTE_CONTENT_WORDS = 3
SMALL_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "he", "her",
    "his", "in", "is", "it", "its", "of", "on", "or", "she", "the", "their", "them",
    "they", "this", "to", "was", "with",
})

#: Words only a note for the hosts uses (matched whole, in any case).
HOST_ONLY_PHRASES: tuple[str, ...] = (
    "brief the president", "do not tell", "don't tell", "internal", "host only",
    "hosts only", "for hosts", "not to be shared", "confidential", "do not share",
)

#: The person fields guests never see, as the check names them.
SENSITIVE_NOTE_FIELDS: dict[str, str] = {
    "protocol_notes": "protocol notes",
    "medical": "medical notes",
    "security": "security notes",
}

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_PHRASES = re.compile(
    r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in HOST_ONLY_PHRASES) + r")\b",
    re.IGNORECASE)


def _words(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text)]


def _runs(words: list[str], size: int) -> set[tuple[str, ...]]:
    """The runs of ``size`` words that hold enough words other than small ones."""
    runs = (tuple(words[i:i + size]) for i in range(len(words) - size + 1))
    return {run for run in runs
            if sum(w not in SMALL_WORDS for w in run) >= QUOTE_CONTENT_WORDS}


def open_to_guests(event: EventRecord, visit: VisitRecord) -> bool:
    """Whether guests may see the event: the whole programme, or a guest attends it."""
    if effective_visibility(event, visit) is Visibility.ALL:
        return True
    sides = {p.person_id: p.side for p in visit.participants}
    return any(sides.get(pid) == "guest" for pid in event_people(event))


def check_event_notes(event: EventRecord, visit: VisitRecord) -> list[Finding]:
    """The findings of one event (none when guests cannot see it)."""
    if event.status == "cancelled" or not open_to_guests(event, visit):
        return []
    findings: list[Finding] = []
    at = event.start_utc
    notes = event.notes or ""
    note_runs = _runs(_words(notes), QUOTE_WORDS)
    for pid in event_people(event):
        person = visit.person(pid)
        if person is None or not note_runs:
            continue
        for field, label in SENSITIVE_NOTE_FIELDS.items():
            text = getattr(person, field, "") or ""
            if note_runs & _runs(_words(text), QUOTE_WORDS):
                findings.append(Finding(
                    "warning", "notes_quote_sensitive_field",
                    f"{describe_event(event)} is open to guests, but its notes quote "
                    f"{display_name(person)}'s {label}, which guests never see: move that "
                    "text to the internal notes, or make the event hosts only",
                    (event.ref,), (pid,), at))
    found = _PHRASES.search(notes)
    if found:
        findings.append(Finding(
            "warning", "notes_use_host_words",
            f"{describe_event(event)} is open to guests, but its notes say "
            f"“{found.group(0)}”, words written for the hosts: move that text to the "
            "internal notes, or make the event hosts only",
            (event.ref,), (), at))
    sides = {p.person_id: p.side for p in visit.participants}
    people = [pid for pid in event_people(event) if pid in sides]
    if (effective_visibility(event, visit) is Visibility.ALL and people
            and all(sides[pid] == "host" for pid in people)):
        findings.append(Finding(
            "warning", "hosts_only_event_open_to_guests",
            f"{describe_event(event)} is attended by hosts only, yet set to be seen by the "
            "whole programme: the guests' books will show it",
            (event.ref,), tuple(people), at))
    return findings


def check_visibility(visit: VisitRecord) -> list[Finding]:
    """Every event's findings, sorted like the clash checks."""
    return sort_findings(f for e in visit.events for f in check_event_notes(e, visit))


__all__ = ["HOST_ONLY_PHRASES", "QUOTE_WORDS", "check_event_notes", "check_visibility",
           "open_to_guests"]
