"""Risk reviews of visits (migration 0011): one review per visit and its conditions.

Whether a review is *required* is not stored: it follows from the visit as it is now
(:mod:`protocol_app.services.reviews`).  What is stored is what people decided: the
reviewer, the checklist, the decision and the reasons it was based on (``basis``, a
JSON list of reason keys; a reason not among them re-opens the review), conditions and
notes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from protocol_app.records.models import Base, Versioned


class RiskReview(Versioned, Base):
    """The risk review of one visit."""

    __tablename__ = "risk_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    reviewer: Mapped[str] = mapped_column(String(300), default="")
    #: "", "approved", "approved_with_conditions" or "rejected"
    decision: Mapped[str] = mapped_column(String(30), default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # UTC
    basis: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of reason keys
    checklist: Mapped[str] = mapped_column(Text, default="{}")  # JSON {dimension: {...}}
    notes: Mapped[str] = mapped_column(Text, default="")

    conditions: Mapped[list[ReviewCondition]] = relationship(
        cascade="all, delete-orphan", order_by="ReviewCondition.position", lazy="selectin")
    __table_args__ = (UniqueConstraint("visit_id", name="uq_risk_review_visit"),)


class ReviewCondition(Base):
    """A condition of a decision ("escorted lab tour only"), optionally on one event."""

    __tablename__ = "review_conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("risk_reviews.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_review_conditions_review", "review_id"),)
