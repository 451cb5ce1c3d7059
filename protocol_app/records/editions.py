"""Editions: every printed or saved copy of a visit's book, cards or badges (migration 0013).

One row per copy made: which visit and at which version, what kind of copy (a book,
a personal copy, place cards, badges, invitation cards), for whom (the audience, the
person), on which paper, when and by whom, the file's SHA-256, and a snapshot of what
that copy could show (compact JSON, already filtered for its audience).  Copies are
numbered per ``series`` of a visit ("book/guest", "personal/12", "place_cards/5"...).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from protocol_app.records.models import Base


class Edition(Base):
    """One printed or saved copy; never edited.  ``snapshot`` is NULL for a copy whose
    content was not kept (there is then nothing to compare a later copy with)."""

    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"),
                                          index=True)
    series: Mapped[str] = mapped_column(String(80))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    audience: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    event_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    visit_version: Mapped[int] = mapped_column(Integer)
    paper: Mapped[str] = mapped_column(String(20), default="")
    path: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    made_at: Mapped[datetime] = mapped_column(DateTime)
    made_by: Mapped[str] = mapped_column(String(200))
    snapshot: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (UniqueConstraint("visit_id", "series", "number", name="uq_edition"),)
