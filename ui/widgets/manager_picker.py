"""The "Invitations go to" picker: the person themself, or another person with an e-mail
address who manages their calendar (a chief of staff, an assistant)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ui.widgets.searchable_combo import SearchableCombo

#: At most this many people are offered as calendar managers (those with an e-mail).
MANAGER_CHOICES = 2000
#: The picker's first line: the person receives their own invitations.
THEMSELF = "Themself (their own e-mail)"


class Addressee(Protocol):
    """What the picker reads of a person."""

    @property
    def id(self) -> int: ...
    @property
    def display_name(self) -> str: ...
    @property
    def email(self) -> str: ...


class ManagerPicker(SearchableCombo):
    """Themself, or one of ``people`` with an e-mail (never the person being edited)."""

    def __init__(self, people: Iterable[Addressee], person_id: int | None) -> None:
        super().__init__("Invitations go to")
        self.setObjectName("calendar_manager")
        self.setToolTip("A chief of staff or an assistant who receives this person's "
                        "calendar invitations; the person stays the attendee and the "
                        "manager's answer counts for them")
        chosen = [p for p in people if p.email.strip() and p.id != person_id]
        self.set_items([(THEMSELF, ""), *((f"{p.display_name} <{p.email.strip()}>", str(p.id))
                                          for p in chosen)])

    def manager_value(self) -> str:
        """The calendar manager chosen: a person number as text, "" for none; text that
        names nobody on the list is returned as typed (refused on saving)."""
        value = self.value()
        return "" if value in ("", THEMSELF) else value

    def problem(self) -> str | None:
        """Why the typed text cannot be saved (it names nobody on the list), or None."""
        value = self.manager_value()
        if value and self.findData(value) < 0:
            return (f"'{value}' is nobody on the list: choose a person with an e-mail "
                    "address, or Themself")
        return None
