"""The core's own error types.  Every message is written for the person who has to act
on it: it names what is wrong and where, and never carries a traceback."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class ProtocolError(Exception):
    """Base class of every error a user can cause or fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one field (or JSON path) of an input."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(ProtocolError):
    """An input was refused; ``problems`` lists every reason at once."""

    def __init__(self, problems: Iterable[FieldProblem], *, subject: str = "") -> None:
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        self.subject = subject
        head = f"{subject}: " if subject else ""
        if not self.problems:
            message = subject or "The input was refused."
        elif len(self.problems) == 1:
            message = head + str(self.problems[0])
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{head}{len(self.problems)} problems:\n{lines}"
        super().__init__(message)


class NotFoundError(ProtocolError):
    """A record asked for does not exist (any more)."""


class StaleWriteError(ProtocolError):
    """A write was based on an older version of a record than the one stored.

    ``changes`` maps each field that someone else changed to (what you saw, what is
    stored now) when the caller's old values are known, so the UI can show them.
    """

    def __init__(
        self,
        entity: str,
        entity_id: int,
        expected_version: int,
        current_version: int,
        changed_fields: Mapping[str, object] | None = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.changed_fields = dict(changed_fields or {})
        fields = (f" Changed meanwhile: {', '.join(self.changed_fields)}."
                  if self.changed_fields else "")
        super().__init__(
            f"This {entity} (#{entity_id}) was changed by someone else since you opened it "
            f"(your version {expected_version}, stored version {current_version}).{fields} "
            "Reload it and apply your changes again; nothing was saved."
        )


class ConflictError(ProtocolError):
    """A write would break a rule of the data (a duplicate id, a record still in use)."""


class ReviewPendingError(ConflictError):
    """A visit cannot take a status (confirmed, completed) while its required risk
    review is undecided or rejected; ``visit_ref`` is the visit's public id."""

    def __init__(self, message: str, visit_ref: str, state: str) -> None:
        super().__init__(message)
        self.visit_ref = visit_ref
        self.state = state


class DatabaseError(ProtocolError):
    """The database cannot be used: corrupt, not a database, or of a newer schema."""


class ConnectionLostError(DatabaseError):
    """The connection to the database server is gone or cannot be opened (the server
    restarted or is down, the connection was ended, the network is out): trying again
    later may work."""


class PackageError(ValidationError):
    """A visit package was refused; nothing was imported."""
