"""The vocabularies carry their labels; stored values are unchanged plain strings."""

from __future__ import annotations

from protocol_app.briefing.content import ROLE_LABELS as BOOK_ROLE_LABELS
from protocol_app.records import vocab


def test_stored_values_are_the_ones_in_databases_and_packages() -> None:
    assert vocab.ROLES == ("head", "member", "staff", "interpreter", "security", "host",
                           "escort")
    assert vocab.VISIT_STATUSES == ("proposed", "planned", "confirmed", "completed",
                                    "cancelled")
    assert vocab.EVENT_KINDS == ("meeting", "meal", "tour", "ceremony", "transport", "press",
                                 "private")
    assert vocab.GENDERS == ("", "female", "male")
    assert all(type(v) is str for v in vocab.ROLES + vocab.GENDERS)


def test_members_are_their_values_and_carry_labels() -> None:
    assert vocab.Role("head") is vocab.Role.HEAD and vocab.Role.HEAD == "head"
    assert vocab.Role.HEAD.label == "Head of delegation"
    assert vocab.Role.HEAD.plural == "Heads of delegation"
    assert vocab.Side.GUEST.plural == "Guests"
    assert vocab.Gender.label_of("") == "Not stated"
    assert vocab.EventKind.label_of("unknown-kind") == "unknown-kind"


def test_the_book_and_the_screens_read_the_same_role_labels() -> None:
    from ui.models import ROLE_LABELS as SCREEN_ROLE_LABELS

    assert BOOK_ROLE_LABELS == SCREEN_ROLE_LABELS == vocab.Role.labels()
