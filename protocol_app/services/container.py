"""The :class:`Services` container: every service over one open database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from protocol_app.config import Settings
from protocol_app.db.database import Database
from protocol_app.services.audit import AuditService
from protocol_app.services.events import EventService
from protocol_app.services.findings import FindingService
from protocol_app.services.gifts import GiftService
from protocol_app.services.people import PeopleService
from protocol_app.services.protocol import ProtocolService
from protocol_app.services.visits import VisitService


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
    protocol: ProtocolService
    findings: FindingService

    @classmethod
    def open(cls, target: str | Path | None = None, *, actor: str | None = None,
             migrate: bool = True) -> Services:
        """Open the database (path, URL or the default) and every service on it."""
        db = Database.open(target, migrate=migrate)
        return cls.for_database(db, actor=actor)

    @classmethod
    def for_database(cls, db: Database, *, actor: str | None = None) -> Services:
        """Services over an already open database."""
        who = actor or Settings.load().actor
        return cls(db=db, actor=who, people=PeopleService(db, who), visits=VisitService(db, who),
                   events=EventService(db, who), gifts=GiftService(db, who),
                   audit=AuditService(db, who), packages=PackageService(db, who),
                   protocol=ProtocolService(db, who), findings=FindingService(db, who))

    def close(self) -> None:
        """Release the database."""
        self.db.dispose()
