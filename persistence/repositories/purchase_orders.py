"""Purchase orders with their lines and history, saved as one aggregate.

As for transfers, `get()` locks the order's row and reads its version (the history's
length) with the lock, so two clerks receiving at once take turns and cannot both receive
the same units; `save()` writes only at that version.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import InvalidTransition
from domain.events import DomainEvent
from domain.model.lifecycle import StatusChange
from domain.model.purchase_orders import PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus
from persistence.mappers import from_cents, to_cents
from persistence.records import (
    LocationRecord,
    PurchaseOrderLineRecord,
    PurchaseOrderRecord,
    SupplierRecord,
)
from persistence.repositories.documents import insert_status_changes, load_status_changes
from persistence.repositories.locking import lock_for_change
from persistence.sql_types import rows_matched

DOCUMENT = "purchase_order"
LINE = PurchaseOrderLineRecord


def purchase_order_number(purchase_order_id: int) -> str:
    return f"PO-{purchase_order_id:06d}"


class SqlPurchaseOrderRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
        # How many history entries each loaded order had: save() inserts only the new ones,
        # and only if the stored order still has that many.
        self._stored_history: dict[int, int] = {}

    async def add(self, order: PurchaseOrder) -> PurchaseOrder:
        record = PurchaseOrderRecord(
            supplier_id=order.supplier_id,
            location_id=order.location_id,
            status=order.status.value,
            version=len(order.history),
            currency=order.currency,
            total_cents=to_cents(order.total),
            expected_at=order.expected_at,
            created_at=order.created_at,
            updated_at=order.created_at,
        )
        self.session.add(record)
        await self.session.flush()
        record.number = purchase_order_number(record.id)
        order.id, order.number = record.id, record.number
        line_records = [
            LINE(
                purchase_order_id=record.id,
                variant_id=line.variant_id,
                sku=line.sku,
                quantity=line.quantity,
                unit_cost_cents=to_cents(line.unit_cost),
                received=line.received,
            )
            for line in order.lines
        ]
        self.session.add_all(line_records)
        await self.session.flush()
        for line, line_record in zip(order.lines, line_records, strict=True):
            line.id = line_record.id
        await self._insert_history(order, 0)
        return order

    async def get(self, purchase_order_id: int) -> PurchaseOrder | None:
        version = await lock_for_change(
            self.session, PurchaseOrderRecord.version, purchase_order_id
        )
        if version is None:
            return None
        row = (
            await self.session.execute(
                select(PurchaseOrderRecord, SupplierRecord.code, LocationRecord.code)
                .join(SupplierRecord, SupplierRecord.id == PurchaseOrderRecord.supplier_id)
                .join(LocationRecord, LocationRecord.id == PurchaseOrderRecord.location_id)
                .where(PurchaseOrderRecord.id == purchase_order_id)
            )
        ).first()
        if row is None:
            return None
        record, supplier_code, location_code = row
        lines = await self.session.scalars(
            select(LINE).where(LINE.purchase_order_id == record.id).order_by(LINE.id)
        )
        history = await load_status_changes(self.session, DOCUMENT, record.id)
        order = PurchaseOrder(
            id=record.id,
            number=record.number,
            supplier_id=record.supplier_id,
            supplier_code=supplier_code,
            location_id=record.location_id,
            location_code=location_code,
            currency=record.currency,
            status=PurchaseOrderStatus(record.status),
            expected_at=record.expected_at,
            created_at=record.created_at,
            lines=[
                PurchaseOrderLine(
                    id=line.id,
                    variant_id=line.variant_id,
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_cost=from_cents(line.unit_cost_cents, record.currency),
                    received=line.received,
                )
                for line in lines
            ],
            history=[
                StatusChange(
                    PurchaseOrderStatus(change.from_status) if change.from_status else None,
                    PurchaseOrderStatus(change.to_status),
                    change.actor,
                    change.occurred_at,
                    change.note,
                )
                for change in history
            ],
        )
        self._stored_history[record.id] = version
        return order

    async def save(self, order: PurchaseOrder) -> None:
        assert order.id is not None
        stored = self._stored_history[order.id]
        changed = await self.session.execute(
            update(PurchaseOrderRecord)
            .where(PurchaseOrderRecord.id == order.id, PurchaseOrderRecord.version == stored)
            .values(
                status=order.status.value,
                version=len(order.history),
                updated_at=datetime.now(UTC),
            )
        )
        if rows_matched(changed) != 1:
            raise InvalidTransition(
                f"purchase order {order.number} changed meanwhile, so it",
                order.history[stored - 1].to_status,
                order.status,
            )
        await self.session.execute(
            update(LINE), [{"id": line.id, "received": line.received} for line in order.lines]
        )
        await self._insert_history(order, stored)

    async def _insert_history(self, order: PurchaseOrder, stored: int) -> None:
        assert order.id is not None
        await insert_status_changes(
            self.session,
            self.events,
            document=DOCUMENT,
            document_id=order.id,
            changes=order.history[stored:],
            stored=stored,
            location_codes=(order.location_code,),
        )
        self._stored_history[order.id] = len(order.history)
