"""The :class:`Services` container: every service over one open database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from protocol_app.briefing.editions import EditionService
from protocol_app.briefing.service import BriefingService
from protocol_app.config import Settings
from protocol_app.db.database import Database
from protocol_app.services.audit import AuditService
from protocol_app.services.events import EventService
from protocol_app.services.findings import FindingService
from protocol_app.services.gifts import GiftService
from protocol_app.services.history import HistoryService
from protocol_app.services.people import PeopleService
from protocol_app.services.protocol.address import AddressService
from protocol_app.services.protocol.precedence import PrecedenceService
from protocol_app.services.protocol.seating import SeatingService
from protocol_app.services.protocol.travel import TravelService
from protocol_app.services.reviews import (
    ReviewService,
    ScreeningListLike,
    ScreeningMatchLike,
    ScreeningSource,
)
from protocol_app.services.visits import VisitService

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from protocol_app.db.changes import ChangeFeed
    from protocol_app.invites.programme import ProgrammeService
    from protocol_app.invites.reply_service import ReplyService
    from protocol_app.invites.service import InviteService
    from protocol_app.screening.service import ScreeningService


class PackageService:
    """Import and export visit packages."""

    def __init__(self, db: Database, actor: str,
                 screening: ScreeningSource | None = None) -> None:
        self.db = db
        self.actor = actor
        self.screening = screening  # for the risk review's gate on imported statuses

    def import_file(self, path: Path):
        """Import a package file; all or nothing.  Returns an ImportReport."""
        from protocol_app.packages.importer import import_file

        return import_file(self.db, self.actor, Path(path), screening=self.screening)

    def import_bytes(self, data: bytes, source: str = "the package"):
        """Import a package from bytes; all or nothing.  Returns an ImportReport."""
        from protocol_app.packages.importer import import_bytes

        return import_bytes(self.db, self.actor, data, source, screening=self.screening)

    def export_file(self, visit_ref: int | str, path: Path) -> Path:
        """Write a visit as a package file."""
        from protocol_app.packages.exporter import write_package

        return write_package(VisitService(self.db, self.actor).get(visit_ref), Path(path))


class _ScreeningOnFirstUse:
    """The screening service as the review sees it, made only when a review first asks
    (its matcher's libraries stay out of start-up)."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def screen_visit(self, visit_ref: int | str) -> Sequence[ScreeningMatchLike]:
        return self._services.screening.screen_visit(visit_ref)

    def screen_in_session(self, session: Session, visit_id: int,
                          ) -> Sequence[ScreeningMatchLike]:
        return self._services.screening.screen_in_session(session, visit_id)

    def lists(self) -> Sequence[ScreeningListLike]:
        return self._services.screening.lists()


@dataclass
class Services:
    """Every service over one open database, acting as one user."""

    db: Database
    actor: str
    people: PeopleService
    visits: VisitService
    events: EventService
    gifts: GiftService
    audit: AuditService
    packages: PackageService
    precedence: PrecedenceService
    address: AddressService
    travel: TravelService
    seating: SeatingService
    briefing: BriefingService
    findings: FindingService
    reviews: ReviewService
    editions: EditionService
    history: HistoryService

    @classmethod
    def open(cls, target: str | Path | None = None, *, actor: str | None = None,
             migrate: bool = True) -> Services:
        """Open the database (path, URL or the default) and every service on it."""
        db = Database.open(target, migrate=migrate)
        return cls.for_database(db, actor=actor)

    @classmethod
    def for_database(cls, db: Database, *, actor: str | None = None) -> Services:
        """Services over an already open database.

        On a server the audit trail names the database login (``current_user``), never
        a name given here or typed in the preferences: the server vouches for it."""
        who = db.login_name() or actor or Settings.load().actor
        people, visits = PeopleService(db, who), VisitService(db, who)
        precedence, address = PrecedenceService(db, who), AddressService(db, who)
        briefing = BriefingService(visits, people, precedence, address)
        services = cls(db=db, actor=who, people=people, visits=visits,
                       events=EventService(db, who), gifts=GiftService(db, who),
                       audit=AuditService(db, who), packages=PackageService(db, who),
                       precedence=precedence, address=address, travel=TravelService(db, who),
                       seating=SeatingService(db, who), briefing=briefing,
                       findings=FindingService(db, who), reviews=ReviewService(db, who),
                       editions=EditionService(db, who, briefing),
                       history=HistoryService(db, who))
        services.wire_screening(_ScreeningOnFirstUse(services))
        return services

    def wire_screening(self, screening: ScreeningSource | None) -> None:
        """Give the screening service to those that use its matches: the risk review,
        the visits' status gate and the importer's."""
        self.reviews.screening = screening
        self.visits.screening = screening
        self.packages.screening = screening

    @cached_property
    def invites(self) -> InviteService:
        """Invitations and calendars (made on first use: icalendar and e-mail load then)."""
        from protocol_app.invites.service import InviteService

        return InviteService(self.db, self.actor)

    @cached_property
    def programmes(self) -> ProgrammeService:
        """Guests' programmes by e-mail: personal copy and itinerary (made on first use)."""
        from protocol_app.invites.programme import ProgrammeService

        return ProgrammeService(self.invites, self.editions)

    @cached_property
    def replies(self) -> ReplyService:
        """Replies to invitations: import, fetch, answers (made on first use)."""
        from protocol_app.invites.reply_service import ReplyService

        return ReplyService(self.db, self.actor)

    @cached_property
    def screening(self) -> ScreeningService:
        """Restricted-party lists and screening (made on first use: rapidfuzz, anyascii and
        jellyfish load then)."""
        from protocol_app.screening.service import ScreeningService

        return ScreeningService(self.db, self.actor)

    def hidden_fields(self, record: str) -> frozenset[str]:
        """The sensitive fields of a kind of record ("person", "event") this database
        login may not read (a server's roles, :mod:`protocol_app.db.roles`); none on
        SQLite.  The app hides their editors; the records hold them blank."""
        from protocol_app.db.roles import hidden_record_fields

        return hidden_record_fields(self.db.hidden_fields).get(record, frozenset())

    def open_change_feed(self) -> ChangeFeed:
        """A feed of what other workstations (and windows) commit: see
        :mod:`protocol_app.db.changes`; the caller closes it."""
        from protocol_app.db.changes import ChangeFeed

        return ChangeFeed(self.db)

    def close(self) -> None:
        """Release the database."""
        self.db.dispose()
