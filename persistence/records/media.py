"""Tables of product media: images placed on products, and the variants each is shown for.
The bytes live in the media storage under `key` (api/media/storage.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class ProductMediaRecord(Base):
    __tablename__ = "product_media"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    # sha256 of the bytes and the type's extension; several rows may share one.
    key: Mapped[str] = mapped_column(String(80), index=True)
    alt: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    byte_size: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer)  # order on the product, from 0
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProductMediaVariantRecord(Base):
    """An image shown for a variant (its own images: Variant.media)."""

    __tablename__ = "product_media_variants"

    media_id: Mapped[int] = mapped_column(
        ForeignKey("product_media.id", ondelete="CASCADE"), primary_key=True
    )
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), primary_key=True, index=True)
