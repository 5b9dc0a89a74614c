"""Tables of the catalog: products and variants. Prices are integer cents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime, updated_at_column


class ProductRecord(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    # GOODS or SERVICE (a service's variants have no stock levels: records/services.py).
    kind: Mapped[str] = mapped_column(String(16), default="GOODS", server_default="GOODS")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = updated_at_column()


class ProductChannelRecord(Base):
    """A product is published on a channel (a new product on every one)."""

    __tablename__ = "product_channels"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True, index=True)


class VariantRecord(Base):
    __tablename__ = "variants"
    # The POS change feed walks variants in (updated_at, id) order.
    __table_args__ = (Index("ix_variants_updated_at_id", "updated_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(64), index=True)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # Its tax class's code (records/taxes.py); null: STANDARD.
    tax_class: Mapped[str | None] = mapped_column(String(32))
    # Set on creation and on every change a POS must hear of: price, name, barcode, or
    # its product's status (see persistence/pos_feed_reads.py).
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # What a BY_WEIGHT shipping method weighs it at (whole grams); null: not weighed.
    weight_grams: Mapped[int | None] = mapped_column(Integer)
