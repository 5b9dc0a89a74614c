"""Work orders with their components and history, saved as one aggregate; and the demand
production has to meet, for planning.

`get()` locks the work order's row and reads its version (the history's length) with the
lock (see locking.py), so two clerks completing at once take turns and cannot both
complete the last units; `save()` writes only at that version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import InvalidTransition
from domain.events import DomainEvent
from domain.model.lifecycle import StatusChange
from domain.model.material_requirements import BackorderedLine
from domain.model.orders import FulfilmentMethod, OrderStatus
from domain.model.work_orders import (
    DOCUMENT,
    OPEN,
    WorkOrder,
    WorkOrderComponent,
    WorkOrderStatus,
)
from persistence.records import (
    BomComponentRecord,
    ChannelLocationRecord,
    ChannelRecord,
    LocationRecord,
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    VariantRecord,
    WorkOrderComponentRecord,
    WorkOrderRecord,
)
from persistence.repositories.documents import insert_status_changes, load_status_changes
from persistence.repositories.locking import lock_for_change
from persistence.sql_types import AnyRow, rows_matched

RECORD = WorkOrderRecord
COMPONENT = WorkOrderComponentRecord


def work_order_number(work_order_id: int) -> str:
    return f"WO-{work_order_id:06d}"


class SqlWorkOrderRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
        # How many history entries each loaded work order had: save() inserts only the new
        # ones, and only if the stored work order still has that many.
        self._stored_history: dict[int, int] = {}

    async def add(self, work_order: WorkOrder) -> WorkOrder:
        record = RECORD(
            variant_id=work_order.variant_id,
            location_id=work_order.location_id,
            quantity=work_order.quantity,
            produced=work_order.produced,
            scrapped=work_order.scrapped,
            due_date=work_order.due_date,
            status=work_order.status.value,
            version=len(work_order.history),
            created_at=work_order.created_at,
            updated_at=work_order.created_at,
        )
        self.session.add(record)
        await self.session.flush()
        record.number = work_order_number(record.id)
        work_order.id, work_order.number = record.id, record.number
        component_records = [
            COMPONENT(
                work_order_id=record.id,
                variant_id=c.variant_id,
                sku=c.sku,
                per_unit=c.per_unit,
                reserved=c.reserved,
                consumed=c.consumed,
            )
            for c in work_order.components
        ]
        self.session.add_all(component_records)
        await self.session.flush()
        for component, component_record in zip(
            work_order.components, component_records, strict=True
        ):
            component.id = component_record.id
        await self._insert_history(work_order, 0)
        return work_order

    async def get(self, work_order_id: int) -> WorkOrder | None:
        version = await lock_for_change(self.session, RECORD.version, work_order_id)
        found = await self._load(RECORD.id == work_order_id) if version is not None else []
        if not found:
            return None
        work_order = found[0]
        work_order.history = [
            StatusChange(
                WorkOrderStatus(change.from_status) if change.from_status else None,
                WorkOrderStatus(change.to_status),
                change.actor,
                change.occurred_at,
                change.note,
            )
            for change in await load_status_changes(self.session, DOCUMENT, work_order_id)
        ]
        self._stored_history[work_order_id] = version
        return work_order

    async def save(self, work_order: WorkOrder) -> None:
        assert work_order.id is not None
        stored = self._stored_history[work_order.id]
        changed = await self.session.execute(
            update(RECORD)
            .where(RECORD.id == work_order.id, RECORD.version == stored)
            .values(
                status=work_order.status.value,
                version=len(work_order.history),
                produced=work_order.produced,
                scrapped=work_order.scrapped,
                updated_at=datetime.now(UTC),
            )
        )
        if rows_matched(changed) != 1:
            raise InvalidTransition(
                f"work order {work_order.number} changed meanwhile, so it",
                work_order.history[stored - 1].to_status,
                work_order.status,
            )
        await self.session.execute(
            update(COMPONENT),
            [
                {"id": c.id, "reserved": c.reserved, "consumed": c.consumed}
                for c in work_order.components
            ],
        )
        await self._insert_history(work_order, stored)

    async def open_at(self, location_id: int, due_by: date) -> list[WorkOrder]:
        return await self._load(
            RECORD.location_id == location_id,
            RECORD.status.in_([status.value for status in OPEN]),
            RECORD.due_date <= due_by,
        )

    async def backordered_at(self, location_id: int) -> list[BackorderedLine]:
        allocated = (
            select(func.coalesce(func.sum(OrderAllocationRecord.quantity), 0))
            .where(OrderAllocationRecord.order_line_id == OrderLineRecord.id)
            .scalar_subquery()
        )
        fulfils_here = exists().where(
            ChannelLocationRecord.channel_id == ChannelRecord.id,
            ChannelRecord.code == OrderRecord.channel,
            ChannelLocationRecord.location_id == location_id,
        )
        manufactured = exists().where(BomComponentRecord.variant_id == OrderLineRecord.variant_id)
        rows = await self.session.execute(
            select(
                OrderRecord.number,
                OrderLineRecord.variant_id,
                OrderLineRecord.sku,
                (OrderLineRecord.quantity - allocated).label("units"),
            )
            .join(OrderLineRecord, OrderLineRecord.order_id == OrderRecord.id)
            .where(
                OrderRecord.status == OrderStatus.BACKORDERED.value,
                OrderLineRecord.quantity > allocated,
                manufactured,
                or_(
                    and_(
                        OrderRecord.fulfilment == FulfilmentMethod.PICKUP.value,
                        OrderRecord.pickup_location_id == location_id,
                    ),
                    and_(OrderRecord.fulfilment != FulfilmentMethod.PICKUP.value, fulfils_here),
                ),
            )
            .order_by(OrderRecord.id, OrderLineRecord.id)
        )
        return [BackorderedLine(row.number, row.variant_id, row.sku, row.units) for row in rows]

    # -- helpers -----------------------------------------------------------------------
    async def _load(self, *conditions: ColumnElement[bool]) -> list[WorkOrder]:
        """Work orders matching `conditions`, with their components; history left empty."""
        rows = (
            await self.session.execute(
                select(RECORD, LocationRecord.code, VariantRecord.sku)
                .join(LocationRecord, LocationRecord.id == RECORD.location_id)
                .join(VariantRecord, VariantRecord.id == RECORD.variant_id)
                .where(*conditions)
                .order_by(RECORD.id)
            )
        ).all()
        if not rows:
            return []
        components = await self._components([row[0].id for row in rows])
        return [_work_order(row, components[row[0].id]) for row in rows]

    async def _components(self, ids: Sequence[int]) -> dict[int, list[WorkOrderComponent]]:
        records = await self.session.scalars(
            select(COMPONENT).where(COMPONENT.work_order_id.in_(ids)).order_by(COMPONENT.id)
        )
        by_work_order: dict[int, list[WorkOrderComponent]] = defaultdict(list)
        for r in records:
            by_work_order[r.work_order_id].append(
                WorkOrderComponent(
                    id=r.id,
                    variant_id=r.variant_id,
                    sku=r.sku,
                    per_unit=r.per_unit,
                    reserved=r.reserved,
                    consumed=r.consumed,
                )
            )
        return by_work_order

    async def _insert_history(self, work_order: WorkOrder, stored: int) -> None:
        assert work_order.id is not None
        await insert_status_changes(
            self.session,
            self.events,
            document=DOCUMENT,
            document_id=work_order.id,
            changes=work_order.history[stored:],
            stored=stored,
            location_codes=[work_order.location_code],
        )
        self._stored_history[work_order.id] = len(work_order.history)


def _work_order(row: AnyRow, components: list[WorkOrderComponent]) -> WorkOrder:
    record, location_code, sku = row
    return WorkOrder(
        id=record.id,
        number=record.number,
        variant_id=record.variant_id,
        sku=sku,
        quantity=record.quantity,
        produced=record.produced,
        scrapped=record.scrapped,
        location_id=record.location_id,
        location_code=location_code,
        due_date=record.due_date,
        status=WorkOrderStatus(record.status),
        components=components,
        created_at=record.created_at,
    )
