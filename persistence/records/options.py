"""Tables of variant options and product attributes.

A variant's option values are rows of `variant_option_values` (one per option); its whole
combination is also kept as one key in `variant_option_combinations` (the ids of its values,
sorted), unique per product, so two concurrent writes cannot give two variants of a
product the same combination.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class ProductOptionRecord(Base):
    __tablename__ = "product_options"
    __table_args__ = (UniqueConstraint("product_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)


class ProductOptionValueRecord(Base):
    __tablename__ = "product_option_values"
    __table_args__ = (UniqueConstraint("option_id", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("product_options.id"))
    value: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)


class VariantOptionValueRecord(Base):
    """The value a variant selects for one option of its product."""

    __tablename__ = "variant_option_values"
    __table_args__ = (UniqueConstraint("variant_id", "option_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    option_id: Mapped[int] = mapped_column(ForeignKey("product_options.id"))
    value_id: Mapped[int] = mapped_column(ForeignKey("product_option_values.id"), index=True)


class VariantOptionCombinationRecord(Base):
    """A variant's option values as one key: their ids, sorted, joined by ','."""

    __tablename__ = "variant_option_combinations"
    __table_args__ = (UniqueConstraint("product_id", "combination"),)

    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    combination: Mapped[str] = mapped_column(String(200))


class AttributeRecord(Base):
    __tablename__ = "attributes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AttributeValueRecord(Base):
    __tablename__ = "attribute_values"
    __table_args__ = (UniqueConstraint("attribute_id", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attributes.id"))
    value: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)


class ProductAttributeValueRecord(Base):
    """A value of an attribute that a product has."""

    __tablename__ = "product_attribute_values"
    __table_args__ = (UniqueConstraint("product_id", "value_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    value_id: Mapped[int] = mapped_column(ForeignKey("attribute_values.id"), index=True)
