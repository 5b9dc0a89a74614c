"""Tables of shipping: zones of countries, and the methods offered in each with their
prices. Amounts are integer counts of the method's currency's minor units (`*_cents`, as
elsewhere); weights are whole grams."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base


class ShippingZoneRecord(Base):
    __tablename__ = "shipping_zones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class ShippingZoneCountryRecord(Base):
    """A country of a zone. The country is the key: it belongs to at most one zone, and a
    zone claims it by inserting this row (ON CONFLICT DO NOTHING), so two zones created at
    once cannot both take it."""

    __tablename__ = "shipping_zone_countries"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("shipping_zones.id"), index=True)


class ShippingMethodRecord(Base):
    """A method of a zone: FLAT (`price_cents`) or BY_WEIGHT (its brackets), free from
    `free_above_cents` when set; every amount in `currency`."""

    __tablename__ = "shipping_methods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    zone_id: Mapped[int] = mapped_column(ForeignKey("shipping_zones.id"), index=True)
    pricing: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    price_cents: Mapped[int | None] = mapped_column(BigInteger)
    free_above_cents: Mapped[int | None] = mapped_column(BigInteger)
    tax_class: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean)


class ShippingMethodChannelRecord(Base):
    """A channel a method is offered on."""

    __tablename__ = "shipping_method_channels"

    method_id: Mapped[int] = mapped_column(ForeignKey("shipping_methods.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)


class ShippingMethodBracketRecord(Base):
    """A BY_WEIGHT method's price for parcels up to `up_to_grams` (null: any weight), at
    `position` 1, 2, 3… lightest first."""

    __tablename__ = "shipping_method_brackets"

    method_id: Mapped[int] = mapped_column(ForeignKey("shipping_methods.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    up_to_grams: Mapped[int | None] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(BigInteger)
