"""Tables of wholesale terms: customer groups and their price lists. Prices are integer cents;
a discount is whole basis points (1/100 of a per cent: 12.5 % is 1250)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class CustomerGroupRecord(Base):
    __tablename__ = "customer_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    discount_basis_points: Mapped[int | None] = mapped_column(Integer)
    minimum_line_quantity: Mapped[int] = mapped_column(Integer)
    # When its customers' invoices fall due (domain.model.invoices.PaymentTerms).
    payment_terms: Mapped[str] = mapped_column(
        String(16), default="IMMEDIATE", server_default="IMMEDIATE"
    )
    # How much its customers may owe (minor units, currency); null: unlimited. Both or neither.
    credit_limit_cents: Mapped[int | None] = mapped_column(BigInteger)
    credit_limit_currency: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CustomerGroupPriceRecord(Base):
    """A group's own price for one variant, in the variant's currency."""

    __tablename__ = "customer_group_prices"
    __table_args__ = (UniqueConstraint("group_id", "variant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("customer_groups.id"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), index=True)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    minimum_quantity: Mapped[int | None] = mapped_column(Integer)
