"""The outbox: events written in the same transaction as the change that caused them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class OutboxEventRecord(Base):
    """One event; `published_at` stays empty until the relay has handed it to the broker."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_published_at_id", "published_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
