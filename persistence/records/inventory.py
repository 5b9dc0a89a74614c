"""Tables of the stock ledger: levels (a projection) and movements (the truth)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime, updated_at_column


class StockLevelRecord(Base):
    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("variant_id", "location_id"),
        Index("ix_stock_levels_location_id", "location_id"),
        # On hand may fall below zero, and below what is reserved, only through a counter
        # sale (StockMovement.may_go_negative): the conditional updates of the stock
        # repository keep every other movement within those rules.
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("in_transit >= 0 AND damaged >= 0", name="held_not_negative"),
        CheckConstraint("reorder_point >= 0 AND safety_stock >= 0", name="thresholds_not_negative"),
        CheckConstraint("incoming >= 0", name="incoming_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    in_transit: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    damaged: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Units on order from suppliers for this location (purchase orders), not yet received.
    incoming: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reorder_point: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    safety_stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = updated_at_column()


class StockMovementRecord(Base):
    __tablename__ = "stock_movements"
    __table_args__ = (
        # A level's ledger in time order, with what turnover sums, read from the index alone.
        Index(
            "ix_stock_movements_variant_id_location_id_covering",
            "variant_id",
            "location_id",
            "occurred_at",
            "kind",
            "on_hand_delta",
        ),
        # A location's ledger in id order: what the POS change feed follows.
        Index("ix_stock_movements_location_id_id", "location_id", "id"),
        Index("ix_stock_movements_reference", "reference"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    kind: Mapped[str] = mapped_column(String(32))
    on_hand_delta: Mapped[int] = mapped_column(Integer)
    reserved_delta: Mapped[int] = mapped_column(Integer)
    in_transit_delta: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    damaged_delta: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    incoming_delta: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reason: Mapped[str | None] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When the row was written, by this server's clock; `occurred_at` may be much earlier (a
    # terminal's sales synced days later). The POS change feed's settle window reads it.
    # NULL for rows written before the column existed, all long settled.
    recorded_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, default=lambda: datetime.now(UTC)
    )
