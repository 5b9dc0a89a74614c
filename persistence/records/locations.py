"""Tables of locations and sales channels."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base


class LocationRecord(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(Text, default="")


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


class ChannelLocationRecord(Base):
    """The locations a channel fulfils from, in order of preference."""

    __tablename__ = "channel_locations"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
