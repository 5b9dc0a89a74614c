"""Tables of services: recipes, capacities per location, slots and bookings.

A service's order is an ordinary order (records/orders.py, fulfilment SERVICE, its location
in `pickup_location_id`); `service_bookings` adds when and where it is performed. Each
`service_slots` row counts the bookings holding a place in one slot of one service at one
location: bookings take a place with a conditional update of it (`booked < capacity`),
which queues concurrent bookings of the slot on its row lock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class ServiceRecipeLineRecord(Base):
    """Units of a goods variant a service uses up per unit performed."""

    __tablename__ = "service_recipe_lines"
    __table_args__ = (
        UniqueConstraint("service_variant_id", "consumable_variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    consumable_variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    quantity: Mapped[int] = mapped_column(Integer)


class ServiceCapacityRecord(Base):
    """How many bookings of a service a location takes per slot of `slot_minutes`."""

    __tablename__ = "service_capacities"
    __table_args__ = (
        UniqueConstraint("variant_id", "location_id"),
        CheckConstraint("slot_minutes > 0 AND capacity >= 0", name="slot_and_capacity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ServiceSlotRecord(Base):
    """Bookings holding a place in one slot: BOOKED or IN_SERVICE service orders."""

    __tablename__ = "service_slots"
    __table_args__ = (
        UniqueConstraint("variant_id", "location_id", "slot_start"),
        CheckConstraint("booked >= 0", name="booked_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    slot_start: Mapped[datetime] = mapped_column(UtcDateTime)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class ServiceBookingRecord(Base):
    """Where and when a service order is performed."""

    __tablename__ = "service_bookings"
    __table_args__ = (
        Index(
            "ix_service_bookings_variant_id_location_id_slot_start",
            "variant_id",
            "location_id",
            "slot_start",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    slot_start: Mapped[datetime] = mapped_column(UtcDateTime)
    scheduled_at: Mapped[datetime] = mapped_column(UtcDateTime)
