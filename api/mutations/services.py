"""Mutations on services: their recipes and capacities, bookings and the service steps."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import (
    OrderPayload,
    VariantPayload,
    show_order,
    show_variant,
    user_errors_field,
)
from api.mutations.runner import key_of, run_mutation, without_clock
from api.types.services import ServiceCapacity as ServiceCapacityType
from domain.commands.services import (
    BookService,
    ChangeServiceStatus,
    CompleteService,
    ConsumableRequest,
    SetServiceCapacity,
    SetServiceRecipe,
)
from domain.model.locations import ChannelCode
from domain.model.services import ServiceCapacity
from domain.usecases import services


@strawberry.type(description="Result of setting a service's capacity at a location.")
class ServiceCapacityPayload:
    capacity: ServiceCapacityType | None = strawberry.field(
        default=None, description="The capacity, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="Units of one goods SKU used up.")
class ConsumableInput:
    sku: str = strawberry.field(description="The SKU of goods (not a service).")
    quantity: int = strawberry.field(description="Units, 1 to 100,000.")


@strawberry.input(description="What a service uses up each time it is performed.")
class SetServiceRecipeInput:
    sku: str = strawberry.field(description="The service's SKU.")
    consumables: list[ConsumableInput] = strawberry.field(
        description="The whole recipe, replacing the one before: SKUs unique, at most 100; "
        "empty for none."
    )


@strawberry.input(description="How many bookings of a service a location takes per slot.")
class SetServiceCapacityInput:
    sku: str = strawberry.field(description="The service's SKU.")
    location_code: str = strawberry.field(description="Where it is performed.")
    slot_minutes: int = strawberry.field(
        description="Length of a slot in minutes, dividing a day evenly (15, 30, 60, 90…); "
        "slots start at UTC midnight. It changes only while no booking there holds a place."
    )
    capacity: int = strawberry.field(
        description="Bookings taken per slot, 0 to 10,000; bookings already made stand."
    )


@strawberry.input(description="Book a service at a location, for a time.")
class BookServiceInput:
    sku: str = strawberry.field(description="The service's SKU.")
    location_code: str = strawberry.field(description="Where; it needs a capacity for it.")
    scheduled_at: datetime = strawberry.field(
        description="When, with a UTC offset; in a slot that has not ended, within 366 days."
    )
    customer_email: str | None = strawberry.field(
        default=None,
        description="The customer's email: an existing customer, or a new one created with "
        "it. A CUSTOMER caller always books for itself.",
    )
    customer_phone: str | None = strawberry.field(
        default=None, description="The customer's phone: finds the customer when no email does."
    )
    customer_name: str | None = strawberry.field(
        default=None,
        description="The name of a customer the email creates (else the part before '@').",
    )
    channel: ChannelCode = strawberry.field(
        default=ChannelCode.WEB, description="WEB (default), MOBILE or POS."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A string unique among the caller's own keys (a customer's, shared by "
        "its devices; a terminal's; a staff member's): a retry by the same caller with the "
        "same key returns the first booking. Another caller's keys are apart from these.",
    )


@strawberry.input(description="Move a booked service one step.")
class ServiceStatusInput:
    order_id: strawberry.ID = strawberry.field(description="The service's order.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="A service performed: what it used up.")
class CompleteServiceInput:
    order_id: strawberry.ID = strawberry.field(description="The service's order.")
    consumables_used: list[ConsumableInput] | None = strawberry.field(
        default=None,
        description="What was actually used up, taken from the booking's location; leave it "
        "out to use up the service's recipe, or send [] when nothing was used.",
    )
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


def _requests(inputs: list[ConsumableInput]) -> tuple[ConsumableRequest, ...]:
    return tuple(ConsumableRequest(line.sku, line.quantity) for line in inputs)


async def _show_capacity(context: Context, capacity: ServiceCapacity) -> ServiceCapacityPayload:
    found = await reload(context.loaders.services.capacities, capacity.variant_id)
    shown = next(c for c in found if c.location_id == capacity.location_id)
    return ServiceCapacityPayload(capacity=shown)


@strawberry.type
class ServiceMutations:
    @strawberry.mutation(description="Set what a service uses up when performed (ADMIN, STAFF).")
    async def set_service_recipe(
        self, info: strawberry.Info, input: SetServiceRecipeInput
    ) -> VariantPayload:
        return await run_mutation(
            info,
            VariantPayload,
            without_clock(services.set_service_recipe),
            lambda: SetServiceRecipe(input.sku, _requests(input.consumables)),
            show_variant,
        )

    @strawberry.mutation(
        description="Set how many bookings of a service a location takes per time slot "
        "(ADMIN; STAFF who work there)."
    )
    async def set_service_capacity(
        self, info: strawberry.Info, input: SetServiceCapacityInput
    ) -> ServiceCapacityPayload:
        return await run_mutation(
            info,
            ServiceCapacityPayload,
            without_clock(services.set_service_capacity),
            lambda: SetServiceCapacity(
                input.sku, input.location_code, input.slot_minutes, input.capacity
            ),
            _show_capacity,
        )

    @strawberry.mutation(
        description="Book a service: a SERVICE order, BOOKED, holding a place in its time "
        "slot at the location, or SLOT_FULL (a CUSTOMER for itself; STAFF and POS where "
        "they work; ADMIN)."
    )
    async def book_service(self, info: strawberry.Info, input: BookServiceInput) -> OrderPayload:
        return await run_mutation(
            info,
            OrderPayload,
            services.book_service,
            lambda: BookService(
                sku=input.sku,
                location_code=input.location_code,
                scheduled_at=input.scheduled_at,
                customer_email=input.customer_email,
                customer_phone=input.customer_phone,
                customer_name=input.customer_name,
                channel=input.channel,
                idempotency_key=input.idempotency_key or None,
                phone_region=info.context.settings.phone_region,
            ),
            show_order,
        )

    @strawberry.mutation(
        description="BOOKED → IN_SERVICE (ADMIN; STAFF or POS at the booking's location)."
    )
    async def start_service(self, info: strawberry.Info, input: ServiceStatusInput) -> OrderPayload:
        return await run_mutation(
            info,
            OrderPayload,
            services.start_service,
            lambda: ChangeServiceStatus(key_of(input.order_id, "Order", "orderId"), input.note),
            show_order,
        )

    @strawberry.mutation(
        description="IN_SERVICE → COMPLETED: the recipe, or what was reported, is used up "
        "from the location's stock, or INSUFFICIENT_STOCK and nothing changes; the slot's "
        "place is freed (ADMIN; STAFF or POS at the booking's location)."
    )
    async def complete_service(
        self, info: strawberry.Info, input: CompleteServiceInput
    ) -> OrderPayload:
        return await run_mutation(
            info,
            OrderPayload,
            services.complete_service,
            lambda: CompleteService(
                key_of(input.order_id, "Order", "orderId"),
                None if input.consumables_used is None else _requests(input.consumables_used),
                input.note,
            ),
            show_order,
        )

    @strawberry.mutation(
        description="BOOKED → CANCELLED, freeing its place in the slot (ADMIN; STAFF or POS "
        "at the booking's location; the CUSTOMER who booked it); open authorizations voided "
        "and captured money refunded, as cancelOrder does."
    )
    async def cancel_service(
        self, info: strawberry.Info, input: ServiceStatusInput
    ) -> OrderPayload:
        return await run_mutation(
            info,
            OrderPayload,
            services.cancel_service(info.context.payment_gateways),
            lambda: ChangeServiceStatus(key_of(input.order_id, "Order", "orderId"), input.note),
            show_order,
        )
