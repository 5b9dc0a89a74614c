"""The read side of `omniorder verify-stock`'s holder check: each reserved, in-transit and
incoming quantity of a level equals what the open documents say they hold there.

The ledger check (`queries.ledger_discrepancies`) proves that levels equal the sums of their
movements; it cannot see a movement written for a document that then ended in the wrong
status (a cancel's release, kept by an order that stays CONFIRMED). This one reads the
documents on their own, by the rules of domain/model/stock_holders.py, and compares. Levels
and holders are read in one statement, a UNION ALL grouped by (variant, location), so a
holder at a level that does not exist is an offender too.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce
from typing import Any, NamedTuple

from sqlalchemy import func, literal_column, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.stock_holders import (
    ORDER_RESERVES,
    PURCHASE_ORDER_INCOMING,
    TRANSFER_IN_TRANSIT,
    TRANSFER_RESERVES,
    WORK_ORDER_RESERVES,
)
from persistence.records import (
    LocationRecord,
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    PurchaseOrderLineRecord,
    PurchaseOrderRecord,
    StockLevelRecord,
    TransferLineRecord,
    TransferRecord,
    VariantRecord,
    WorkOrderComponentRecord,
    WorkOrderRecord,
)
from persistence.sql_types import AnySelect


class Holder(NamedTuple):
    """One kind of document holding one quantity of the levels."""

    quantity: str  # the level's column
    name: str  # what verify-stock calls the documents
    holds: Callable[[], AnySelect]  # variant_id, location_id, units: one row per document line

    @property
    def column(self) -> str:
        return f"{self.quantity}_by_{self.name.replace(' ', '_')}"


def _orders_reserving() -> AnySelect:
    allocation, line, order = OrderAllocationRecord, OrderLineRecord, OrderRecord
    return (
        select(
            line.variant_id,
            allocation.location_id,
            (allocation.quantity - allocation.fulfilled).label("units"),
        )
        .join(line, line.id == allocation.order_line_id)
        .join(order, order.id == allocation.order_id)
        .where(order.status.in_(_values(ORDER_RESERVES)))
    )


def _transfers(statuses: frozenset[Any], location: Any) -> Callable[[], AnySelect]:
    def holds() -> AnySelect:
        return (
            select(
                TransferLineRecord.variant_id,
                location.label("location_id"),
                TransferLineRecord.quantity.label("units"),
            )
            .join(TransferRecord, TransferRecord.id == TransferLineRecord.transfer_id)
            .where(TransferRecord.status.in_(_values(statuses)))
        )

    return holds


def _work_orders_reserving() -> AnySelect:
    component, work_order = WorkOrderComponentRecord, WorkOrderRecord
    remaining = work_order.quantity - work_order.produced - work_order.scrapped
    return (
        select(
            component.variant_id,
            work_order.location_id,
            (component.per_unit * remaining).label("units"),
        )
        .join(work_order, work_order.id == component.work_order_id)
        .where(work_order.status.in_(_values(WORK_ORDER_RESERVES)))
    )


def _purchase_orders_incoming() -> AnySelect:
    line, purchase_order = PurchaseOrderLineRecord, PurchaseOrderRecord
    return (
        select(
            line.variant_id,
            purchase_order.location_id,
            (line.quantity - line.received).label("units"),
        )
        .join(purchase_order, purchase_order.id == line.purchase_order_id)
        .where(purchase_order.status.in_(_values(PURCHASE_ORDER_INCOMING)))
    )


HOLDERS = (
    Holder("reserved", "orders", _orders_reserving),
    Holder(
        "reserved",
        "transfers",
        _transfers(TRANSFER_RESERVES, TransferRecord.from_location_id),
    ),
    Holder("reserved", "work orders", _work_orders_reserving),
    Holder(
        "in_transit",
        "transfers",
        _transfers(TRANSFER_IN_TRANSIT, TransferRecord.to_location_id),
    ),
    Holder("incoming", "purchase orders", _purchase_orders_incoming),
)
HELD_QUANTITIES = ("reserved", "in_transit", "incoming")
COLUMNS = [f"level_{q}" for q in HELD_QUANTITIES] + [h.column for h in HOLDERS]


class HolderDiscrepancy(NamedTuple):
    """A quantity of a level that differs from what its holders hold there."""

    sku: str
    location_code: str
    quantity: str  # reserved, in_transit or incoming
    level: int  # what the level says
    held: int  # what its holders say, in all
    holders: tuple[tuple[str, int], ...]  # ... and each kind of them: ("orders", 3), …


async def holder_discrepancies(session: AsyncSession) -> list[HolderDiscrepancy]:
    """Every held quantity of every level that disagrees with its holders, by SKU and
    location code; empty while each document holds what the levels say it does."""
    discrepancies = []
    for row in (await session.execute(_discrepancies())).all():
        for quantity in HELD_QUANTITIES:
            level = getattr(row, f"level_{quantity}")
            holders = tuple(
                (h.name, getattr(row, h.column)) for h in HOLDERS if h.quantity == quantity
            )
            held = sum(units for _, units in holders)
            if level != held:
                discrepancies.append(
                    HolderDiscrepancy(row.sku, row.code, quantity, level, held, holders)
                )
    return discrepancies


def _discrepancies() -> AnySelect:
    """(variant, location) pairs whose level and holders differ in some held quantity, with
    the level's quantities and what each kind of holder holds there."""
    level, held = StockLevelRecord, [h.holds().subquery() for h in HOLDERS]
    each = union_all(
        _row(
            level.variant_id,
            level.location_id,
            {f"level_{q}": getattr(level, q) for q in HELD_QUANTITIES},
        ),
        *(
            _row(part.c.variant_id, part.c.location_id, {holder.column: part.c.units})
            for holder, part in zip(HOLDERS, held, strict=True)
        ),
    ).subquery()
    total = {name: func.sum(each.c[name]) for name in COLUMNS}
    grouped = (
        select(each.c.variant_id, each.c.location_id, *(total[n].label(n) for n in COLUMNS))
        .group_by(each.c.variant_id, each.c.location_id)
        .having(
            or_(
                *(
                    total[f"level_{q}"]
                    != reduce(operator.add, (total[h.column] for h in HOLDERS if h.quantity == q))
                    for q in HELD_QUANTITIES
                )
            )
        )
        .subquery()
    )
    return (
        select(VariantRecord.sku, LocationRecord.code, *(grouped.c[n] for n in COLUMNS))
        .join(VariantRecord, VariantRecord.id == grouped.c.variant_id)
        .join(LocationRecord, LocationRecord.id == grouped.c.location_id)
        .order_by(VariantRecord.sku, LocationRecord.code)
    )


def _row(variant_id: Any, location_id: Any, values: dict[str, Any]) -> AnySelect:
    """One part of the UNION, with every column of it: `values`, and zero for the rest."""
    return select(
        variant_id.label("variant_id"),
        location_id.label("location_id"),
        *(values.get(name, literal_column("0")).label(name) for name in COLUMNS),
    )


def _values(statuses: frozenset[Any]) -> list[str]:
    return sorted(status.value for status in statuses)
