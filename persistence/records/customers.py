"""Tables of customers, their addresses and the service notes staff keep on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, JsonDocument, UtcDateTime, updated_at_column


class CustomerRecord(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Normalised ("+442079460958"), so one number typed two ways is still one customer.
    phone: Mapped[str | None] = mapped_column(String(40), unique=True, index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("customer_groups.id"), index=True)
    # Its own credit limit (minor units, currency), over its group's; null: the group's.
    credit_limit_cents: Mapped[int | None] = mapped_column(BigInteger)
    credit_limit_currency: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Also set when an address or a note is added (repositories/customers.py).
    updated_at: Mapped[datetime] = updated_at_column()


class CustomerAddressRecord(Base):
    __tablename__ = "customer_addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    # persistence/mappers.py `address_to_json`
    address: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CustomerNoteRecord(Base):
    """A service note staff keep on a customer; customers never see these."""

    __tablename__ = "customer_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    note: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
