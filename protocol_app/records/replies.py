"""The replies to invitations (iTIP REPLY and COUNTER), one row per reply received.

Rows are only ever added: the history of a person's answers to an event stays whole.
Which answer counts now is worked out when reading
(:func:`protocol_app.invites.replies.current_answers`): the latest reply to the
invitation the person holds (a reply to an earlier SEQUENCE answers an earlier version).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from protocol_app.records.models import Base


class InviteReply(Base):
    """One answer (REPLY) or proposal of another time (COUNTER) to an invitation."""

    __tablename__ = "invite_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    attendee_email: Mapped[str] = mapped_column(String(320))  # the invited address
    sent_by: Mapped[str] = mapped_column(String(320), default="")  # a calendar manager
    method: Mapped[str] = mapped_column(String(10))  # REPLY or COUNTER
    partstat: Mapped[str] = mapped_column(String(20))  # ACCEPTED, DECLINED, ...
    sequence: Mapped[int] = mapped_column(Integer)  # of the invitation answered
    dtstamp: Mapped[str] = mapped_column(String(40), default="")  # as the reply says
    received_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    proposed_start: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    proposed_end: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")  # file or mailbox
    actor: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (Index("ix_invite_replies_event_email", "event_id", "attendee_email"),)
