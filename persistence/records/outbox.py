"""The outbox: events written in the same transaction as the change that caused them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime

WEBHOOKS_WAITING = text("webhooks_queued_at IS NULL")


class OutboxEventRecord(Base):
    """One event; `published_at` stays empty until the relay has handed it to the broker,
    and `webhooks_queued_at` until it has queued the event's webhook deliveries: two
    independent steps, so webhooks do not wait for the broker."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        Index("ix_outbox_events_published_at_id", "published_at", "id"),
        # Only the few events still waiting for webhooks: "WHERE webhooks_queued_at IS NULL".
        Index(
            "ix_outbox_events_webhooks_waiting",
            "id",
            postgresql_where=WEBHOOKS_WAITING,
            sqlite_where=WEBHOOKS_WAITING,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    webhooks_queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
