"""Tables of locations and sales channels."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, JsonDocument


class LocationRecord(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(Text, default="")
    # Its structured address (persistence/mappers.py address_to_json), what sales there
    # are taxed by; null until it is set.
    postal_address: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)


class ChannelRecord(Base):
    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    capture_on: Mapped[str] = mapped_column(
        String(16), default="PLACEMENT", server_default="PLACEMENT"
    )
    # PENDING orders without money authorized or captured are cancelled after this long.
    unpaid_order_ttl_seconds: Mapped[int | None] = mapped_column(Integer)
    # Whether its prices are entered with tax included (gross) or without (net).
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ChannelLocationRecord(Base):
    """The locations a channel fulfils from, in order of preference."""

    __tablename__ = "channel_locations"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
