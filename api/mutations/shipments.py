"""Mutations on shipments: recording what the carrier reports."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Context
from api.errors import UserError
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.orders import Order
from api.types.shipments import Shipment
from domain.commands.shipments import AddTrackingEvent
from domain.model.orders import Order as DomainOrder
from domain.model.shipments import MAX_DESCRIPTION, ShipmentStatus
from domain.model.shipments import Shipment as DomainShipment
from domain.usecases import shipments


@strawberry.input(description="Something a carrier reported about a shipment.")
class AddTrackingEventInput:
    shipment_id: strawberry.ID = strawberry.field(description="The shipment.")
    status: ShipmentStatus = strawberry.field(
        description="IN_TRANSIT (may repeat, one per scan), EXCEPTION, or DELIVERED (final)."
    )
    description: str | None = strawberry.field(
        default=None, description=f"What happened (at most {MAX_DESCRIPTION} characters)."
    )
    occurred_at: datetime = strawberry.field(
        description="When it happened, with a time zone; not in the future. An event earlier "
        "than the latest recorded one is kept in the history but leaves the status alone."
    )


@strawberry.type(description="Result of a tracking event.")
class ShipmentPayload:
    shipment: Shipment | None = strawberry.field(
        default=None, description="The shipment, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()

    @strawberry.field(
        description="The shipment's order: DELIVERED once every shipment of a fully shipped "
        "order is."
    )
    async def order(self, info: strawberry.Info) -> Order | None:
        if self.shipment is None:
            return None
        return await info.context.loaders.order.load(self.shipment.order_id)


@strawberry.type
class ShipmentMutations:
    @strawberry.mutation(
        description="Record a carrier's tracking event (admins and staff; a clerk bound to "
        "locations for parcels that left from there). The shipment moves to the reported "
        "status, and its order to DELIVERED when every shipment of it is; a repeat of an "
        "event already recorded changes nothing."
    )
    async def add_tracking_event(
        self, info: strawberry.Info, input: AddTrackingEventInput
    ) -> ShipmentPayload:
        return await run_mutation(
            info,
            ShipmentPayload,
            shipments.add_tracking_event,
            lambda: AddTrackingEvent(
                shipment_id=key_of(input.shipment_id, "Shipment", "shipmentId"),
                status=input.status,
                occurred_at=input.occurred_at,
                description=input.description,
            ),
            _show,
        )


async def _show(context: Context, tracked: tuple[DomainShipment, DomainOrder]) -> ShipmentPayload:
    shipment, order = tracked
    assert shipment.id is not None and order.id is not None  # the use case stored them
    return ShipmentPayload(shipment=await context.loaders.shipments.fresh(shipment.id, order.id))
