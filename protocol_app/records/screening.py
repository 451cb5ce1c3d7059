"""Screening lists (migration 0012): restricted-party lists the office loads, their
entries, and the index the matcher is blocked by.

``ScreeningEntry.variants`` holds the entry's names (its name, then its aliases) read in
Latin tokens at load time (:func:`protocol_app.screening.normalize.encode_variants`), and
``ScreeningKey`` one row per sound key of those tokens, so screening a visit reads only
the entries that share a key with one of its people (see ``protocol_app.screening``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from protocol_app.records.models import Base


class ScreeningList(Base):
    """One loaded list (a source): loading it again replaces its entries."""

    __tablename__ = "screening_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(100), unique=True)
    layout: Mapped[str] = mapped_column(String(20))  # "csl" or "opensanctions"
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    loaded_by: Mapped[str] = mapped_column(String(200), default="")


class ScreeningEntry(Base):
    """One entry of a list: a person, an organization, or other (vessels, aircraft)."""

    __tablename__ = "screening_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("screening_lists.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[str] = mapped_column(Text, default="")  # "; "-separated
    countries: Mapped[str] = mapped_column(Text, default="")  # "; "-separated
    programs: Mapped[str] = mapped_column(Text, default="")  # "; "-separated
    birth_dates: Mapped[str] = mapped_column(Text, default="")  # "; "-separated
    listed_on: Mapped[str] = mapped_column(String(40), default="")
    sublist: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    variants: Mapped[str] = mapped_column(Text, default="")


class ScreeningKey(Base):
    """A sound key of an entry's name tokens (the block the matcher reads)."""

    __tablename__ = "screening_keys"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("screening_entries.id", ondelete="CASCADE"), primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("screening_lists.id", ondelete="CASCADE"))

    __table_args__ = (Index("ix_screening_keys_list_id", "list_id"),)
