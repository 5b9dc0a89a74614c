"""Shipments with their lines and tracking events.

Shipments belong to their order: `SqlOrderRepository` inserts new ones and loads them with
the order through `insert_shipment` and `load_shipments` here. `SqlShipmentRepository`
stores what tracking adds, after `order_id_of` has taken the order's row lock, so the
events of one order's shipments are recorded one transaction at a time: two parcels
delivered at once cannot both miss that the other was the last one.

Every tracking event goes out as a ShipmentStatusChanged event (sequence = its position in
the shipment's tracking history), with the order's locations and customer for visibility.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import DocumentStatusChanged, DomainEvent
from domain.model.orders import Order
from domain.model.shipments import Shipment, ShipmentLine, ShipmentStatus, TrackingEvent
from persistence.records import (
    LocationRecord,
    OrderRecord,
    ShipmentLineRecord,
    ShipmentRecord,
    ShipmentTrackingEventRecord,
)
from persistence.repositories.locking import lock_for_change

DOCUMENT = "shipment"
EVENT = ShipmentTrackingEventRecord


async def insert_shipment(session: AsyncSession, order: Order, shipment: Shipment) -> None:
    record = ShipmentRecord(
        order_id=order.id,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        status=shipment.status.value,
        shipped_at=shipment.shipped_at,
    )
    session.add(record)
    await session.flush()
    shipment.id = record.id
    location_ids = {
        a.location_code: a.location_id for line in order.lines for a in line.allocations
    }
    await session.execute(
        insert(ShipmentLineRecord),
        [
            {
                "shipment_id": record.id,
                "sku": line.sku,
                "location_id": location_ids[line.location_code],
                "quantity": line.quantity,
            }
            for line in shipment.lines
        ],
    )


async def load_shipments(session: AsyncSession, order_id: int) -> list[Shipment]:
    """An order's shipments, oldest first, each with its lines and tracking history."""
    records = list(
        await session.scalars(
            select(ShipmentRecord)
            .where(ShipmentRecord.order_id == order_id)
            .order_by(ShipmentRecord.id)
        )
    )
    if not records:
        return []
    shipment_ids = [r.id for r in records]
    lines = (
        await session.execute(
            select(ShipmentLineRecord, LocationRecord.code)
            .join(LocationRecord, LocationRecord.id == ShipmentLineRecord.location_id)
            .where(ShipmentLineRecord.shipment_id.in_(shipment_ids))
            .order_by(ShipmentLineRecord.id)
        )
    ).all()
    events = list(
        await session.scalars(
            select(EVENT).where(EVENT.shipment_id.in_(shipment_ids)).order_by(EVENT.id)
        )
    )
    return [
        Shipment(
            id=r.id,
            carrier=r.carrier,
            tracking_number=r.tracking_number,
            shipped_at=r.shipped_at,
            status=ShipmentStatus(r.status),
            lines=[
                ShipmentLine(line.sku, code, line.quantity)
                for line, code in lines
                if line.shipment_id == r.id
            ],
            tracking=[
                TrackingEvent(
                    id=e.id,
                    status=ShipmentStatus(e.status),
                    occurred_at=e.occurred_at,
                    recorded_at=e.recorded_at,
                    actor=e.actor,
                    description=e.description,
                )
                for e in events
                if e.shipment_id == r.id
            ],
        )
        for r in records
    ]


class SqlShipmentRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events

    async def order_id_of(self, shipment_id: int) -> int | None:
        order_id = await self.session.scalar(
            select(ShipmentRecord.order_id).where(ShipmentRecord.id == shipment_id)
        )
        if order_id is not None:  # a shipment changes with its order: hold the order
            await lock_for_change(self.session, OrderRecord.version, order_id)
        return order_id

    async def save(self, order: Order, shipment: Shipment) -> None:
        assert shipment.id is not None
        await self.session.execute(
            update(ShipmentRecord)
            .where(ShipmentRecord.id == shipment.id)
            .values(status=shipment.status.value)
        )
        codes = tuple(sorted(order.location_codes))
        for sequence, (event, before, after) in enumerate(shipment.timeline(), start=1):
            if event.id is not None:
                continue
            event.id = await self.session.scalar(
                insert(EVENT)
                .values(
                    shipment_id=shipment.id,
                    status=event.status.value,
                    description=event.description,
                    occurred_at=event.occurred_at,
                    recorded_at=event.recorded_at,
                    actor=event.actor,
                )
                .returning(EVENT.id)
            )
            self.events.append(
                DocumentStatusChanged(
                    document=DOCUMENT,
                    document_id=shipment.id,
                    sequence=sequence,
                    previous_status=before.value,
                    status=after.value,
                    actor=event.actor,
                    occurred_at=event.recorded_at,
                    location_codes=codes,
                    customer_email=order.customer_email,
                )
            )
