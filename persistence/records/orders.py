"""Tables of orders: header, lines, allocations and status history (shipments: shipments.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, JsonDocument, UtcDateTime, updated_at_column


class OrderRecord(Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_status_id", "status", "id"),
        # A key is unique in the space of the caller that sent it (Principal.idempotency_scope).
        UniqueConstraint("idempotency_scope", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    channel: Mapped[str] = mapped_column(String(16), index=True)
    fulfilment: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))
    # How many status changes the order has had; guards against concurrent changes.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    currency: Mapped[str] = mapped_column(String(3))
    total_cents: Mapped[int] = mapped_column(BigInteger)
    # Projections of the payment ledger (records/payments.py): captured and refunded, and
    # how many money events the order has had (their sequence numbers).
    paid_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    refunded_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    payment_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    # A snapshot of where it goes (persistence/mappers.py `address_to_json`).
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    pickup_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    idempotency_scope: Mapped[str | None] = mapped_column(String(255))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    # Sales reports find a period's orders by it (persistence/report_reads.py).
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = updated_at_column()
    # How it was priced (domain/model/order_pricing.py): whether its prices include tax,
    # what its discounts and taxes come to over every line and the shipping, and the
    # shipping charge, with the method's code and name as they were.
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    discount_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    tax_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    shipping_method_code: Mapped[str | None] = mapped_column(String(32))
    shipping_method_name: Mapped[str | None] = mapped_column(String(100))
    shipping_net_cents: Mapped[int | None] = mapped_column(BigInteger)
    shipping_tax_cents: Mapped[int | None] = mapped_column(BigInteger)
    shipping_tax_name: Mapped[str | None] = mapped_column(String(64))
    shipping_tax_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))


class OrderLineRecord(Base):
    __tablename__ = "order_lines"
    # An order's lines, with what sales reports sum, read from the index alone.
    __table_args__ = (
        Index(
            "ix_order_lines_order_id_covering",
            "order_id",
            "variant_id",
            "quantity",
            "unit_price_cents",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(BigInteger)
    # After discounts: net, tax and the rate it was taxed at (gross = net + tax); the
    # discounts, each with its source, as they were (a snapshot, never changed).
    discount_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    net_cents: Mapped[int] = mapped_column(BigInteger)
    tax_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    tax_name: Mapped[str] = mapped_column(String(64), default="No tax", server_default="No tax")
    tax_percent: Mapped[Decimal] = mapped_column(Numeric(7, 4), default=0, server_default="0")
    discounts: Mapped[list[dict[str, Any]]] = mapped_column(
        JsonDocument, default=list, server_default="[]"
    )


class OrderAllocationRecord(Base):
    __tablename__ = "order_allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    fulfilled: Mapped[int] = mapped_column(Integer, default=0)


class OrderStatusChangeRecord(Base):
    """An order's history; `sequence` numbers its changes 1, 2, 3… and orders its events."""

    __tablename__ = "order_status_changes"
    __table_args__ = (UniqueConstraint("order_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
