"""Use cases for shipments: recording what the carrier reports, and what follows for the order.

Admins and staff record tracking events; a clerk bound to locations only for parcels that
left from where it works. When the last shipment of a fully shipped order is delivered,
the order becomes DELIVERED in the same transaction (its change goes out like any other).
"""

from __future__ import annotations

from datetime import datetime

from domain.access import Principal, Role
from domain.commands.shipments import AddTrackingEvent
from domain.errors import NotFound
from domain.model.orders import Order
from domain.model.shipments import Shipment
from domain.ports import UnitOfWork

TRACKERS = (Role.ADMIN, Role.STAFF)


async def add_tracking_event(
    uow: UnitOfWork, principal: Principal, command: AddTrackingEvent, now: datetime
) -> tuple[Shipment, Order]:
    """Append the event to the shipment's tracking history; a repeat changes nothing."""
    principal.require(principal.role in TRACKERS, "record tracking events")
    async with uow:
        order_id = await uow.shipments.order_id_of(command.shipment_id)  # holds the order
        order = await uow.orders.get(order_id) if order_id is not None else None
        if order is None or not principal.may_see_order(order.location_codes, order.customer_email):
            raise NotFound.no_such("shipment", field="shipmentId")
        shipment = next(s for s in order.shipments if s.id == command.shipment_id)
        for code in sorted(shipment.location_codes):
            principal.require_works_at(code, "track shipments that left")
        event = shipment.track(
            command.status, command.occurred_at, command.description, principal.subject, now
        )
        if event is not None:
            await uow.shipments.save(order, shipment)
            if order.follow_shipments(principal.subject, now):
                await uow.orders.save(order)
            await uow.commit()
    return shipment, order
