"""Orders with their lines, allocations, history and shipments, saved as one aggregate."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate, InvalidTransition
from domain.events import DomainEvent, OrderStatusChanged
from domain.model.locations import ChannelCode
from domain.model.orders import (
    Allocation,
    FulfilmentMethod,
    Order,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentLine,
    StatusChange,
)
from domain.usecases.ordering import IDEMPOTENCY_FIELD
from persistence.mappers import from_cents, to_cents
from persistence.records import (
    CustomerRecord,
    LocationRecord,
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    OrderStatusChangeRecord,
    ShipmentLineRecord,
    ShipmentRecord,
)


def order_number(order_id: int) -> str:
    return f"SO-{order_id:06d}"


class SqlOrderRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
        # How many history entries each loaded order had: save() inserts only the new ones,
        # and only if the stored order still has that many (nobody changed it meanwhile).
        self._stored_history: dict[int, int] = {}

    async def add(self, order: Order) -> Order:
        now = datetime.now(UTC)
        record = OrderRecord(
            channel=order.channel.value,
            fulfilment=order.fulfilment.value,
            status=order.status.value,
            version=len(order.history),
            currency=order.currency,
            total_cents=to_cents(order.total),
            customer_id=order.customer_id,
            shipping_address=order.shipping_address,
            pickup_location_id=order.pickup_location_id,
            idempotency_key=order.idempotency_key,
            created_at=order.created_at,
            updated_at=now,
        )
        self.session.add(record)
        try:
            await self.session.flush()
        except IntegrityError as error:
            if order.idempotency_key is None:
                raise
            raise Duplicate(
                "an order with this idempotency key exists", field=IDEMPOTENCY_FIELD
            ) from error
        record.number = order_number(record.id)
        order.id, order.number = record.id, record.number
        line_records = [
            OrderLineRecord(
                order_id=record.id,
                variant_id=line.variant_id,
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price_cents=to_cents(line.unit_price),
            )
            for line in order.lines
        ]
        self.session.add_all(line_records)
        await self.session.flush()
        allocation_records = []
        for line, line_record in zip(order.lines, line_records, strict=True):
            line.id = line_record.id
            for allocation in line.allocations:
                allocation_record = OrderAllocationRecord(
                    order_line_id=line_record.id,
                    order_id=record.id,
                    location_id=allocation.location_id,
                    quantity=allocation.quantity,
                    fulfilled=allocation.fulfilled,
                )
                allocation_records.append((allocation, allocation_record))
        self.session.add_all([r for _, r in allocation_records])
        await self.session.flush()
        for allocation, allocation_record in allocation_records:
            allocation.id = allocation_record.id
        await self._insert_history(order, 0)
        return order

    async def get(self, order_id: int) -> Order | None:
        row = (
            await self.session.execute(
                select(OrderRecord, CustomerRecord.email, LocationRecord.code)
                .outerjoin(CustomerRecord, CustomerRecord.id == OrderRecord.customer_id)
                .outerjoin(LocationRecord, LocationRecord.id == OrderRecord.pickup_location_id)
                .where(OrderRecord.id == order_id)
            )
        ).first()
        if row is None:
            return None
        return await self._assemble(*row)

    async def by_idempotency_key(self, key: str) -> Order | None:
        order_id = await self.session.scalar(
            select(OrderRecord.id).where(OrderRecord.idempotency_key == key)
        )
        return None if order_id is None else await self.get(order_id)

    async def save(self, order: Order) -> None:
        assert order.id is not None
        stored = self._stored_history[order.id]
        changed = await self.session.execute(
            update(OrderRecord)
            .where(OrderRecord.id == order.id, OrderRecord.version == stored)
            .values(
                status=order.status.value, version=len(order.history), updated_at=datetime.now(UTC)
            )
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidTransition(
                f"order {order.number} changed meanwhile, so it",
                order.history[stored - 1].to_status,
                order.status,
            )
        allocations = [a for line in order.lines for a in line.allocations]
        await self.session.execute(
            update(OrderAllocationRecord),
            [{"id": a.id, "fulfilled": a.fulfilled} for a in allocations],
        )
        await self._insert_history(order, stored)
        for shipment in order.shipments:
            if shipment.id is None:
                await self._insert_shipment(order, shipment)

    async def _insert_history(self, order: Order, stored: int) -> None:
        """Insert the changes after the first `stored` ones, numbered, with their events."""
        assert order.id is not None
        new = list(enumerate(order.history[stored:], start=stored + 1))
        if new:
            await self.session.execute(
                insert(OrderStatusChangeRecord),
                [
                    {
                        "order_id": order.id,
                        "sequence": sequence,
                        "from_status": c.from_status.value if c.from_status else None,
                        "to_status": c.to_status.value,
                        "actor": c.actor,
                        "note": c.note,
                        "occurred_at": c.occurred_at,
                    }
                    for sequence, c in new
                ],
            )
            self.events.extend(OrderStatusChanged.of(order, c, sequence) for sequence, c in new)
        self._stored_history[order.id] = len(order.history)

    async def _insert_shipment(self, order: Order, shipment: Shipment) -> None:
        record = ShipmentRecord(
            order_id=order.id,
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
            shipped_at=shipment.shipped_at,
        )
        self.session.add(record)
        await self.session.flush()
        shipment.id = record.id
        location_ids = {
            a.location_code: a.location_id for line in order.lines for a in line.allocations
        }
        await self.session.execute(
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

    async def _assemble(
        self, record: OrderRecord, customer_email: str | None, pickup_code: str | None
    ) -> Order:
        lines = list(
            await self.session.scalars(
                select(OrderLineRecord)
                .where(OrderLineRecord.order_id == record.id)
                .order_by(OrderLineRecord.id)
            )
        )
        allocations = (
            await self.session.execute(
                select(OrderAllocationRecord, LocationRecord.code)
                .join(LocationRecord, LocationRecord.id == OrderAllocationRecord.location_id)
                .where(OrderAllocationRecord.order_id == record.id)
                .order_by(OrderAllocationRecord.id)
            )
        ).all()
        history = list(
            await self.session.scalars(
                select(OrderStatusChangeRecord)
                .where(OrderStatusChangeRecord.order_id == record.id)
                .order_by(OrderStatusChangeRecord.id)
            )
        )
        shipments = await self._shipments(record.id)
        order = Order(
            id=record.id,
            number=record.number,
            channel=ChannelCode(record.channel),
            fulfilment=FulfilmentMethod(record.fulfilment),
            status=OrderStatus(record.status),
            currency=record.currency,
            created_at=record.created_at,
            customer_id=record.customer_id,
            customer_email=customer_email,
            shipping_address=record.shipping_address,
            pickup_location_id=record.pickup_location_id,
            pickup_location_code=pickup_code,
            idempotency_key=record.idempotency_key,
            lines=[
                OrderLine(
                    id=line.id,
                    variant_id=line.variant_id,
                    sku=line.sku,
                    name=line.name,
                    quantity=line.quantity,
                    unit_price=from_cents(line.unit_price_cents, record.currency),
                    allocations=[
                        Allocation(
                            id=a.id,
                            location_id=a.location_id,
                            location_code=code,
                            quantity=a.quantity,
                            fulfilled=a.fulfilled,
                        )
                        for a, code in allocations
                        if a.order_line_id == line.id
                    ],
                )
                for line in lines
            ],
            history=[
                StatusChange(
                    OrderStatus(h.from_status) if h.from_status else None,
                    OrderStatus(h.to_status),
                    h.actor,
                    h.occurred_at,
                    h.note,
                )
                for h in history
            ],
            shipments=shipments,
        )
        self._stored_history[record.id] = len(order.history)
        return order

    async def _shipments(self, order_id: int) -> list[Shipment]:
        records = list(
            await self.session.scalars(
                select(ShipmentRecord)
                .where(ShipmentRecord.order_id == order_id)
                .order_by(ShipmentRecord.id)
            )
        )
        if not records:
            return []
        lines = (
            await self.session.execute(
                select(ShipmentLineRecord, LocationRecord.code)
                .join(LocationRecord, LocationRecord.id == ShipmentLineRecord.location_id)
                .where(ShipmentLineRecord.shipment_id.in_([r.id for r in records]))
                .order_by(ShipmentLineRecord.id)
            )
        ).all()
        return [
            Shipment(
                id=r.id,
                carrier=r.carrier,
                tracking_number=r.tracking_number,
                shipped_at=r.shipped_at,
                lines=[
                    ShipmentLine(line.sku, code, line.quantity)
                    for line, code in lines
                    if line.shipment_id == r.id
                ],
            )
            for r in records
        ]
