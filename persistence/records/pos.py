"""Tables of POS terminals, the sales they synced, and how those were paid."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class PosTerminalRecord(Base):
    __tablename__ = "pos_terminals"
    __table_args__ = (UniqueConstraint("location_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A deactivated terminal's tokens are revoked, and it syncs nothing more.
    deactivated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PosSaleRecord(Base):
    """A synced sale: `client_sale_id`, the id its terminal gave it, is recorded once per
    store (`location_id`, its terminal's): the tills of one store share their sales, and
    another store's id is no concern of theirs."""

    __tablename__ = "pos_sales"
    __table_args__ = (UniqueConstraint("location_id", "client_sale_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_sale_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    terminal_id: Mapped[int] = mapped_column(ForeignKey("pos_terminals.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PosPaymentRecord(Base):
    """What was tendered for a counter order; beyond its total, cash handed back as change."""

    __tablename__ = "pos_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    method: Mapped[str] = mapped_column(String(24))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
