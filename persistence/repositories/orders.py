"""Orders with their lines, allocations, history and shipments, saved as one aggregate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate, InvalidTransition
from domain.events import DomainEvent, OrderStatusChanged
from domain.model.lifecycle import StatusChange
from domain.model.locations import ChannelCode
from domain.model.order_pricing import ShippingCharge
from domain.model.orders import (
    Allocation,
    FulfilmentMethod,
    Order,
    OrderLine,
    OrderStatus,
)
from domain.model.taxes import NO_TAX
from domain.usecases.ordering import IDEMPOTENCY_FIELD
from persistence.mappers import (
    address_from_json,
    address_to_json,
    discounts_from_json,
    discounts_to_json,
    from_cents,
    taxed_amount,
    to_cents,
)
from persistence.records import (
    CustomerRecord,
    LocationRecord,
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    OrderStatusChangeRecord,
)
from persistence.records.base import table_of
from persistence.repositories.locking import lock_for_change
from persistence.repositories.shipments import insert_shipment, load_shipments
from persistence.sql_types import rows_matched


def order_number(order_id: int) -> str:
    return f"SO-{order_id:06d}"


class SqlOrderRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
        # The version (history length) each order had when loaded, read as its row was
        # locked: save() inserts only the new history entries, and only at that version.
        self._stored_history: dict[int, int] = {}

    async def add(self, order: Order) -> Order:
        return (await self.add_many([order]))[0]

    async def add_many(self, orders: Sequence[Order]) -> list[Order]:
        """Insert new orders with their lines, allocations and history: a few bulk statements
        whatever the number of orders (a POS sync brings a thousand at once)."""
        if not orders:
            return []
        now = datetime.now(UTC)
        try:
            order_ids = await self._insert_returning_ids(
                OrderRecord,
                [
                    {
                        # Unique until the id is known and the real number replaces it.
                        "number": uuid4().hex,
                        "channel": order.channel.value,
                        "fulfilment": order.fulfilment.value,
                        "status": order.status.value,
                        "version": len(order.history),
                        "currency": order.currency,
                        "total_cents": to_cents(order.total),
                        **pricing_values(order),
                        "customer_id": order.customer_id,
                        "shipping_address": address_to_json(order.shipping_address),
                        "pickup_location_id": order.pickup_location_id,
                        "idempotency_key": order.idempotency_key,
                        "idempotency_scope": order.idempotency_scope,
                        "created_at": order.created_at,
                        "updated_at": now,
                    }
                    for order in orders
                ],
                key=("number",),
            )
        except IntegrityError as error:
            if all(order.idempotency_key is None for order in orders):
                raise
            raise Duplicate(
                "an order with this idempotency key exists", field=IDEMPOTENCY_FIELD
            ) from error
        await self.session.execute(
            update(OrderRecord), [{"id": i, "number": order_number(i)} for i in order_ids]
        )
        for order, order_id in zip(orders, order_ids, strict=True):
            order.id, order.number = order_id, order_number(order_id)
        lines = [(order, line) for order in orders for line in order.lines]
        line_ids = await self._insert_returning_ids(
            OrderLineRecord,
            [
                {
                    "order_id": order.id,
                    "variant_id": line.variant_id,
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price_cents": to_cents(line.unit_price),
                    **line_pricing_values(line),
                }
                for order, line in lines
            ],
            key=("order_id", "variant_id"),  # an order has one line per variant
        )
        for (_, line), line_id in zip(lines, line_ids, strict=True):
            line.id = line_id
        allocations = [(order, line, a) for order, line in lines for a in line.allocations]
        allocation_ids = await self._insert_returning_ids(
            OrderAllocationRecord,
            [
                {
                    "order_line_id": line.id,
                    "order_id": order.id,
                    "location_id": allocation.location_id,
                    "quantity": allocation.quantity,
                    "fulfilled": allocation.fulfilled,
                }
                for order, line, allocation in allocations
            ],
        )
        for (_, _, allocation), allocation_id in zip(allocations, allocation_ids, strict=True):
            allocation.id = allocation_id
        await self._insert_histories([(order, 0) for order in orders])
        return list(orders)

    async def _insert_returning_ids(
        self, record: Any, rows: list[dict[str, Any]], key: Sequence[str] = ()
    ) -> list[int]:
        """Insert rows with multi-row statements; their new ids, in row order.

        RETURNING may list rows in any order (SQLite says so, and SQLAlchemy, asked to sort,
        falls back to one statement per row there), so each id is matched to its row by the
        values returned with it: those of the `key` columns, unique to each row, or else of
        every column (rows alike in every value are alike, and take the ids in any order).
        """
        if not rows:
            return []
        table, columns = record.__table__, list(key or rows[0])  # Core: no ORM work per row
        returned = await self.session.execute(
            insert(table).returning(table.c.id, *(table.c[c] for c in columns)), rows
        )
        ids: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for row in returned:
            ids[tuple(row[1:])].append(row[0])
        return [ids[tuple(row[c] for c in columns)].pop() for row in rows]

    async def get(self, order_id: int) -> Order | None:
        version = await lock_for_change(self.session, OrderRecord.version, order_id)
        if version is None:
            return None
        row = (
            await self.session.execute(
                select(OrderRecord, CustomerRecord.email, LocationRecord.code)
                .outerjoin(CustomerRecord, CustomerRecord.id == OrderRecord.customer_id)
                .outerjoin(LocationRecord, LocationRecord.id == OrderRecord.pickup_location_id)
                .where(OrderRecord.id == order_id)
            )
        ).one()  # locked above, so it is there
        order = await self._assemble(*row)
        self._stored_history[order_id] = version
        return order

    async def by_idempotency_key(self, scope: str, key: str) -> Order | None:
        order_id = await self.session.scalar(
            select(OrderRecord.id).where(
                OrderRecord.idempotency_scope == scope, OrderRecord.idempotency_key == key
            )
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
        if rows_matched(changed) != 1:
            raise InvalidTransition(
                f"order {order.number} changed meanwhile, so it",
                order.history[stored - 1].to_status,
                order.status,
            )
        await self._save_allocations(order)
        await self._insert_history(order, stored)
        for shipment in order.shipments:
            if shipment.id is None:
                await insert_shipment(self.session, order, shipment)

    async def backordered(self, variant_ids: set[int]) -> list[int]:
        """The ids of BACKORDERED orders wanting these variants, oldest first, locked for
        this transaction."""
        order_ids = await self.session.scalars(
            select(OrderRecord.id)
            .where(
                OrderRecord.status == OrderStatus.BACKORDERED.value,
                OrderRecord.id.in_(
                    select(OrderLineRecord.order_id).where(
                        OrderLineRecord.variant_id.in_(variant_ids)
                    )
                ),
            )
            .order_by(OrderRecord.id)
            # Skip orders another transaction is changing (a cancellation, another arrival):
            # waiting for them while holding the arrived levels could deadlock on PostgreSQL.
            .with_for_update(skip_locked=True)
        )
        return list(order_ids)

    async def ids_by_number(self, numbers: Iterable[str]) -> dict[str, int]:
        rows = await self.session.execute(
            select(OrderRecord.number, OrderRecord.id).where(OrderRecord.number.in_(set(numbers)))
        )
        return {number: order_id for number, order_id in rows if number is not None}

    async def _save_allocations(self, order: Order) -> None:
        """Update what was fulfilled (or, for a backorder, allocated); insert new allocations."""
        assert order.id is not None
        stored: list[tuple[OrderLine, Allocation]] = []
        new: list[tuple[OrderLine, Allocation]] = []
        for line in order.lines:
            for allocation in line.allocations:
                (stored if allocation.id is not None else new).append((line, allocation))
        if stored:
            await self.session.execute(
                update(OrderAllocationRecord),
                [{"id": a.id, "quantity": a.quantity, "fulfilled": a.fulfilled} for _, a in stored],
            )
        for line, allocation in new:
            allocation.id = await self.session.scalar(
                insert(OrderAllocationRecord)
                .values(
                    order_line_id=line.id,
                    order_id=order.id,
                    location_id=allocation.location_id,
                    quantity=allocation.quantity,
                    fulfilled=allocation.fulfilled,
                )
                .returning(OrderAllocationRecord.id)
            )

    async def _insert_history(self, order: Order, stored: int) -> None:
        await self._insert_histories([(order, stored)])

    async def _insert_histories(self, orders: Sequence[tuple[Order, int]]) -> None:
        """Insert each order's changes after its first `stored` ones, numbered, with their
        events, in one statement."""
        new = [
            (order, sequence, change)
            for order, stored in orders
            for sequence, change in enumerate(order.history[stored:], start=stored + 1)
        ]
        if new:
            await self.session.execute(
                insert(table_of(OrderStatusChangeRecord)),
                [
                    {
                        "order_id": order.id,
                        "sequence": sequence,
                        "from_status": c.from_status,
                        "to_status": c.to_status,
                        "actor": c.actor,
                        "note": c.note,
                        "occurred_at": c.occurred_at,
                    }
                    for order, sequence, c in new
                ],
            )
            self.events.extend(
                OrderStatusChanged.of(order, c, sequence) for order, sequence, c in new
            )
        for order, _ in orders:
            assert order.id is not None
            self._stored_history[order.id] = len(order.history)

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
        shipments = await load_shipments(self.session, record.id)
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
            shipping_address=address_from_json(record.shipping_address),
            prices_include_tax=record.prices_include_tax,
            shipping=shipping_from_record(record),
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
                    discounts=discounts_from_json(line.discounts, record.currency),
                    amounts=taxed_amount(
                        line.net_cents,
                        line.tax_cents,
                        line.tax_name,
                        line.tax_percent,
                        record.currency,
                    ),
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
        return order


def pricing_values(order: Order) -> dict[str, object]:
    """An order's pricing columns: discount and tax totals, and its shipping charge."""
    shipping = order.shipping
    values: dict[str, object] = {
        "prices_include_tax": order.prices_include_tax,
        "discount_cents": to_cents(order.discount_total),
        "tax_cents": to_cents(order.tax_total),
    }
    if shipping is not None:
        values |= {
            "shipping_method_code": shipping.method_code,
            "shipping_method_name": shipping.method_name,
            "shipping_net_cents": to_cents(shipping.amounts.net),
            "shipping_tax_cents": to_cents(shipping.amounts.tax),
            "shipping_tax_name": shipping.amounts.tax_name,
            "shipping_tax_percent": shipping.amounts.tax_percent,
        }
    return values


def line_pricing_values(line: OrderLine) -> dict[str, object]:
    taxed = line.taxed
    return {
        "discount_cents": to_cents(line.discount_total),
        "net_cents": to_cents(taxed.net),
        "tax_cents": to_cents(taxed.tax),
        "tax_name": taxed.tax_name,
        "tax_percent": taxed.tax_percent,
        "discounts": discounts_to_json(line.discounts),
    }


def shipping_from_record(record: OrderRecord) -> ShippingCharge | None:
    if record.shipping_method_code is None:
        return None
    assert record.shipping_net_cents is not None and record.shipping_tax_cents is not None
    return ShippingCharge(
        record.shipping_method_code,
        record.shipping_method_name or record.shipping_method_code,
        taxed_amount(
            record.shipping_net_cents,
            record.shipping_tax_cents,
            record.shipping_tax_name or NO_TAX.name,
            record.shipping_tax_percent or Decimal(0),
            record.currency,
        ),
    )
