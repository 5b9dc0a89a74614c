"""Tables of categories (a tree, by parent) and curated collections, with their products.

Positions are 1, 2, 3… among a category's siblings and within a collection's products;
the use cases renumber them on every change, under a lock, so they have no gaps.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class CategoryRecord(Base):
    __tablename__ = "categories"
    # A level of the tree, in order: children of a parent, by position.
    __table_args__ = (Index("ix_categories_parent_id_position", "parent_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProductCategoryRecord(Base):
    """A product sits in a category (a product may sit in several)."""

    __tablename__ = "product_categories"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id"), primary_key=True, index=True
    )


class CollectionRecord(Base):
    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CollectionProductRecord(Base):
    """A product of a collection, at its place in the collection's manual order."""

    __tablename__ = "collection_products"
    __table_args__ = (UniqueConstraint("collection_id", "position"),)

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class CollectionChannelRecord(Base):
    """A collection is published on a channel."""

    __tablename__ = "collection_channels"

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True, index=True)
