"""Tables of promotions and voucher codes (domain/model/promotions.py).

A promotion's value is a percentage or an amount in its currency, so it is a Numeric with
three decimals (the most any currency's minor unit has), not integer minor units. Its
channels and targets are link tables, which go with the promotion (ON DELETE CASCADE). A
voucher code counts its uses in `used`, raised only by a guarded UPDATE that never passes
`usage_limit`; each use is also a redemption row, which the per-customer limit counts.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime, updated_at_column

# Percentages to two decimals, amounts to their currency's minor unit (three at most).
PROMOTION_VALUE = Numeric(16, 3)


class PromotionRecord(Base):
    __tablename__ = "promotions"
    # What `automatic` reads: the active promotions that need no voucher.
    __table_args__ = (Index("ix_promotions_active_needs_voucher", "active", "needs_voucher"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    value: Mapped[Decimal] = mapped_column(PROMOTION_VALUE)
    currency: Mapped[str | None] = mapped_column(String(3))
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    stackable: Mapped[bool] = mapped_column(Boolean)
    buy_quantity: Mapped[int | None] = mapped_column(Integer)
    get_quantity: Mapped[int | None] = mapped_column(Integer)
    minimum_subtotal: Mapped[Decimal | None] = mapped_column(PROMOTION_VALUE)
    needs_voucher: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = updated_at_column()


def _promotion_id() -> Mapped[int]:
    return mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), primary_key=True)


class PromotionChannelRecord(Base):
    """A promotion runs on a channel."""

    __tablename__ = "promotion_channels"

    promotion_id: Mapped[int] = _promotion_id()
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True, index=True)


class PromotionProductRecord(Base):
    """A promotion's line kinds touch a product's lines."""

    __tablename__ = "promotion_products"

    promotion_id: Mapped[int] = _promotion_id()
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True, index=True)


class PromotionCategoryRecord(Base):
    """… the lines of products in a category or any category below it."""

    __tablename__ = "promotion_categories"

    promotion_id: Mapped[int] = _promotion_id()
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id"), primary_key=True, index=True
    )


class PromotionCollectionRecord(Base):
    """… the lines of products in a collection."""

    __tablename__ = "promotion_collections"

    promotion_id: Mapped[int] = _promotion_id()
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id"), primary_key=True, index=True
    )


class PromotionCustomerGroupRecord(Base):
    """A promotion is for a customer group's customers (none: for everyone)."""

    __tablename__ = "promotion_customer_groups"

    promotion_id: Mapped[int] = _promotion_id()
    group_id: Mapped[int] = mapped_column(
        ForeignKey("customer_groups.id"), primary_key=True, index=True
    )


class VoucherCodeRecord(Base):
    """A code an order names to get its promotion; unique in upper case."""

    __tablename__ = "voucher_codes"
    __table_args__ = (
        CheckConstraint(
            "used >= 0 AND (usage_limit IS NULL OR used <= usage_limit)", name="used_within_limit"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    promotion_id: Mapped[int] = mapped_column(
        ForeignKey("promotions.id", ondelete="CASCADE"), index=True
    )
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    per_customer_limit: Mapped[int | None] = mapped_column(Integer)
    used: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class VoucherRedemptionRecord(Base):
    """One use of a voucher code, by an order (and its customer, when it has one)."""

    __tablename__ = "voucher_redemptions"
    # How many times one customer used a voucher (its per-customer limit).
    __table_args__ = (
        Index("ix_voucher_redemptions_voucher_id_customer_id", "voucher_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("voucher_codes.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    redeemed_at: Mapped[datetime] = mapped_column(UtcDateTime)
