"""GraphQL types of services (recipes, capacities, bookings), and their DataLoaders."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import Row

from api.errors import request_error
from api.types.catalog import Variant
from api.types.locations import Location
from domain.errors import DomainError
from domain.model import services
from persistence.reads import services as service_reads


@strawberry.type(description="Units of goods a service uses up each time it is performed.")
class ServiceConsumable:
    variant_id: strawberry.Private[int]
    sku: str = strawberry.field(description="The SKU used up.")
    quantity: int = strawberry.field(description="Units used up per unit of the service.")

    @classmethod
    def from_row(cls, row: Row) -> ServiceConsumable:
        return cls(variant_id=row.consumable_variant_id, sku=row.sku, quantity=row.quantity)

    @strawberry.field(description="The variant used up.")
    async def variant(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)


@strawberry.type(
    description="How many bookings of a service a location takes per time slot. Slots tile "
    "each UTC day from midnight: 60-minute slots start on the hour."
)
class ServiceCapacity:
    variant_id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    slot_minutes: int = strawberry.field(description="The length of a slot, in minutes.")
    capacity: int = strawberry.field(description="Bookings taken per slot (0: none).")
    updated_at: datetime = strawberry.field(description="When it was last set (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> ServiceCapacity:
        return cls(
            variant_id=row.variant_id,
            location_id=row.location_id,
            slot_minutes=row.slot_minutes,
            capacity=row.capacity,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="Where the service is performed.")
    async def location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)

    @strawberry.field(description="The service.")
    async def service(self, info: strawberry.Info) -> Variant:
        return await info.context.loaders.variant.load(self.variant_id)

    @strawberry.field(
        description="The slots from `from` until `to` that have not ended yet, with the "
        "places bookings hold and those still free: what a booking screen offers. At most "
        f"{services.MAX_SLOT_WINDOW.days} days and {services.MAX_OPEN_SLOTS:,} slots at once."
    )
    async def slots(
        self,
        info: strawberry.Info,
        from_: Annotated[
            datetime, strawberry.argument(name="from", description="Start of the window.")
        ],
        to: Annotated[datetime, strawberry.argument(description="End of the window.")],
    ) -> list[ServiceSlot]:
        capacity = services.ServiceCapacity(
            self.variant_id, self.location_id, self.slot_minutes, self.capacity
        )
        try:
            window = services.slot_window(capacity, from_, to, info.context.now())
        except DomainError as error:
            raise request_error(error) from error
        taken = await info.context.loaders.services.places_taken.load(
            (self.variant_id, self.location_id, *window)
        )
        booked = {row.slot_start: row.booked for row in taken}
        return [ServiceSlot.of(slot) for slot in services.open_slots(capacity, booked, window)]


@strawberry.type(description="One time slot of a service at a location.")
class ServiceSlot:
    starts_at: datetime = strawberry.field(description="When the slot starts (UTC).")
    ends_at: datetime = strawberry.field(description="When it ends (UTC).")
    capacity: int = strawberry.field(description="Bookings it takes.")
    booked: int = strawberry.field(
        description="Places held by bookings (BOOKED or IN_SERVICE); above capacity only "
        "when the capacity was lowered after they were made."
    )
    free: int = strawberry.field(description="Places left to book.")

    @classmethod
    def of(cls, slot: services.OpenSlot) -> ServiceSlot:
        return cls(
            starts_at=slot.start,
            ends_at=slot.end,
            capacity=slot.capacity,
            booked=slot.booked,
            free=slot.free,
        )


@strawberry.type(description="When and where a booked service is performed.")
class ServiceBooking:
    location_id: strawberry.Private[int]
    scheduled_at: datetime = strawberry.field(description="The time booked (UTC).")
    slot_start: datetime = strawberry.field(
        description="The start of the slot it holds a place in (UTC), while BOOKED or IN_SERVICE."
    )

    @classmethod
    def from_row(cls, row: Row) -> ServiceBooking:
        return cls(
            location_id=row.location_id, scheduled_at=row.scheduled_at, slot_start=row.slot_start
        )

    @strawberry.field(description="Where the service is performed.")
    async def location(self, info: strawberry.Info) -> Location:
        return await info.context.loaders.location.load(self.location_id)


class ServiceLoaders:
    """Per-request DataLoaders for services; `loaders` is the request's api.loaders.Loaders.
    `booking` loads by order id, a list of at most one; `places_taken` by
    (variant id, location id, from, to)."""

    def __init__(self, loaders: Any) -> None:
        self.recipe = loaders.grouped(
            service_reads.recipes_by_service_ids, "service_variant_id", ServiceConsumable.from_row
        )
        self.capacities = loaders.grouped(
            service_reads.capacities_by_service_ids, "variant_id", ServiceCapacity.from_row
        )
        self.booking = loaders.grouped(
            service_reads.bookings_by_order_ids, "order_id", ServiceBooking.from_row
        )
        self.places_taken = loaders.grouped(
            service_reads.places_taken, "window", lambda places: places
        )
