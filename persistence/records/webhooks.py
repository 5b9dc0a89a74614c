"""Webhooks, the event kinds each follows, and their deliveries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class WebhookRecord(Base):
    """A receiver of events. `secret` signs each request, so it is kept as given (it is
    never shown again); `query` chooses the payload's fields, or null for the message."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(255))
    query: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    consecutive_failures: Mapped[int] = mapped_column(Integer)
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(255))


class WebhookEventTypeRecord(Base):
    """One kind of event (an outbox `kind`) a webhook follows."""

    __tablename__ = "webhook_event_types"

    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class WebhookDeliveryRecord(Base):
    """One event for one webhook. `message` is the event as the outbox held it (the outbox
    forgets published events after a day); `body` is what is sent, rendered at the first
    attempt and sent unchanged by every retry. While an attempt is under way,
    `next_attempt_at` is the lease: if the sender dies, the delivery is due again then."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_webhook_id_id", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"))
    event_sequence: Mapped[int] = mapped_column(Integer)  # the event's outbox position
    event_id: Mapped[str] = mapped_column(String(64))
    event_kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
