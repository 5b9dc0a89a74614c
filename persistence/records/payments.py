"""Tables of the money ledger: payments, their entries, idempotency keys, provider events.

Amounts are integer counts of the currency's minor units (`*_cents`, as elsewhere). A
payment's balances and its order's `paid_cents`/`refunded_cents` are projections of the
entries, written in the transaction that writes the entries (`omniorder verify-ledger`
checks them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class PaymentRecord(Base):
    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("provider", "provider_reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    method: Mapped[str] = mapped_column(String(24))
    provider: Mapped[str] = mapped_column(String(32))
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(16))
    requested_cents: Mapped[int | None] = mapped_column(BigInteger)
    authorized_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    captured_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    released_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaymentRequestRecord(Base):
    """An idempotency key a caller sent with a money command, and what the command did."""

    __tablename__ = "payment_requests"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaymentEntryRecord(Base):
    """One immutable ledger line; `sequence` numbers its order's money events 1, 2, 3…"""

    __tablename__ = "payment_entries"
    __table_args__ = (
        UniqueConstraint("order_id", "sequence"),
        # The settlement report reads a period's captures and refunds by time.
        Index("ix_payment_entries_occurred_at_kind", "occurred_at", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(Text)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("payment_requests.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProviderEventRecord(Base):
    """A provider's webhook event we acted on: a repeat delivery of it is ignored."""

    __tablename__ = "payment_provider_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
