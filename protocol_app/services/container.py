"""The :class:`Services` container: every service over one open database."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from protocol_app.briefing.service import BriefingService
from protocol_app.config import Settings
from protocol_app.db.database import Database
from protocol_app.services.audit import AuditService
from protocol_app.services.events import EventService
from protocol_app.services.findings import FindingService
from protocol_app.services.gifts import GiftService
from protocol_app.services.people import PeopleService
from protocol_app.services.protocol.address import AddressService
from protocol_app.services.protocol.precedence import PrecedenceService
from protocol_app.services.protocol.seating import SeatingService
from protocol_app.services.protocol.travel import TravelService
from protocol_app.services.visits import VisitService

if TYPE_CHECKING:
    from protocol_app.db.changes import ChangeFeed
    from protocol_app.invites.service import InviteService


class PackageService:
    """Import and export visit packages."""

    def __init__(self, db: Database, actor: str) -> None:
        self.db = db
        self.actor = actor

    def import_file(self, path: Path):
        """Import a package file; all or nothing.  Returns an ImportReport."""
        from protocol_app.packages.importer import import_file

        return import_file(self.db, self.actor, Path(path))

    def import_bytes(self, data: bytes, source: str = "the package"):
        """Import a package from bytes; all or nothing.  Returns an ImportReport."""
        from protocol_app.packages.importer import import_bytes

        return import_bytes(self.db, self.actor, data, source)

    def export_file(self, visit_ref: int | str, path: Path) -> Path:
        """Write a visit as a package file."""
        from protocol_app.packages.exporter import write_package

        return write_package(VisitService(self.db, self.actor).get(visit_ref), Path(path))


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
        return cls(db=db, actor=who, people=people, visits=visits,
                   events=EventService(db, who), gifts=GiftService(db, who),
                   audit=AuditService(db, who), packages=PackageService(db, who),
                   precedence=precedence, address=address, travel=TravelService(db, who),
                   seating=SeatingService(db, who),
                   briefing=BriefingService(visits, people, precedence, address),
                   findings=FindingService(db, who))

    @cached_property
    def invites(self) -> InviteService:
        """Invitations and calendars (made on first use: icalendar and e-mail load then)."""
        from protocol_app.invites.service import InviteService

        return InviteService(self.db, self.actor)

    def hidden_fields(self, record: str) -> frozenset[str]:
        """The sensitive fields of a kind of record ("person", "event") this database
        login may not read (a server's roles, :mod:`protocol_app.db.roles`); none on
        SQLite.  The app hides their editors; the records hold them blank."""
        from protocol_app.db.roles import RECORD_TABLES

        return self.db.hidden_fields.get(RECORD_TABLES.get(record, ""), frozenset())

    def open_change_feed(self) -> ChangeFeed:
        """A feed of what other workstations (and windows) commit: see
        :mod:`protocol_app.db.changes`; the caller closes it."""
        from protocol_app.db.changes import ChangeFeed

        return ChangeFeed(self.db)

    def close(self) -> None:
        """Release the database."""
        self.db.dispose()
