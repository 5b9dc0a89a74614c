"""Material requirements planning (MRP): what a location must make or buy, and by when.

Demand at a location within a horizon:

- each PLANNED work order due by then needs its own components for the units it still has
  to make (a RELEASED or later one already holds its components: they are reserved, so no
  longer available, and need nothing more);
- each backordered sales-order line of a manufactured variant that the location may fill
  needs its units made, today.

Demand is summed per variant and netted level by level, in an order where every variant
comes after all that use it, so its total is complete before it is judged:

    required   = every unit of it the demand (and the shortfall of its parents) needs
    supply     = available (never below 0) + incoming (on order from suppliers)
                 + in production (units open work orders due within the horizon still make)
    shortage   = required - supply, when positive

A manufactured variant's shortage is exploded through its bill of materials into more
demand for its components; a bought one's is to be bought. Each shortage is needed on the
earliest date of the demand driving it (a work order's due date; today for a sales order).
A bought component is suggested from its cheapest supplier (equal prices: the shortest lead
time, then the supplier code), to be ordered by the needed date less the lead time; `late`
when that day is already past. Prices are compared as amounts: a variant's price list is
expected in one currency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import InvalidInput
from domain.model.boms import MAX_UNITS, Structure, topological_order
from domain.model.inventory import StockLevel
from domain.model.suppliers import SupplierPrice
from domain.model.work_orders import WorkOrder, WorkOrderStatus

MAX_HORIZON_DAYS = 3650


@dataclass(frozen=True, slots=True)
class BackorderedLine:
    """Units of a variant on a BACKORDERED sales order, not allocated anywhere yet."""

    order_number: str
    variant_id: int
    sku: str
    units: int


@dataclass(frozen=True, slots=True)
class Requirement:
    """A variant the location is short of, and what to do about it."""

    variant_id: int
    sku: str
    required: int
    available: int
    incoming: int
    in_production: int
    shortage: int
    needed_on: date
    manufactured: bool  # make it (its components are planned too); else buy it
    supplier: SupplierPrice | None = None  # the suggested supplier of a bought one
    order_by: date | None = None  # needed_on - the supplier's lead time
    late: bool = False  # order_by is already past


def horizon_end(today: date, horizon_days: int) -> date:
    if not 0 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InvalidInput(f"horizonDays must be 0 to {MAX_HORIZON_DAYS}", field="horizonDays")
    return today + timedelta(days=horizon_days)


def cheapest(prices: Sequence[SupplierPrice]) -> SupplierPrice | None:
    """The supplier to buy from: lowest unit cost, then shortest lead time, then code."""
    return min(
        prices,
        key=lambda p: (p.unit_cost.amount, p.lead_time_days, p.supplier_code),
        default=None,
    )


def plan_requirements(
    *,
    work_orders: Iterable[WorkOrder],
    backorders: Iterable[BackorderedLine],
    structure: Structure,
    levels: Mapping[int, StockLevel],
    prices: Mapping[int, Sequence[SupplierPrice]],
    today: date,
) -> list[Requirement]:
    """The shortages at one location, by needed date and SKU.

    `work_orders` are the open ones at the location due within the horizon; `structure` the
    BOMs below every variant in demand; `levels` and `prices` by variant id."""
    required: dict[int, int] = defaultdict(int)
    needed_on: dict[int, date] = {}
    skus: dict[int, str] = {}
    in_production: dict[int, int] = defaultdict(int)

    def need(variant_id: int, sku: str, units: int, on: date) -> None:
        required[variant_id] += units
        if required[variant_id] > MAX_UNITS:
            raise InvalidInput(f"the plan needs more than {MAX_UNITS:,} units of {sku}")
        needed_on[variant_id] = min(needed_on.get(variant_id, on), on)
        skus[variant_id] = sku

    for work_order in work_orders:
        in_production[work_order.variant_id] += work_order.remaining
        if work_order.status is WorkOrderStatus.PLANNED:
            for held in work_order.components:
                units = held.per_unit * work_order.remaining
                need(held.variant_id, held.sku, units, work_order.due_date)
    for line in backorders:
        need(line.variant_id, line.sku, line.units, today)

    requirements: list[Requirement] = []
    for variant_id in topological_order(list(required), structure):
        units = required.get(variant_id, 0)
        if not units:
            continue
        level = levels.get(variant_id)
        available = level.available if level else 0
        incoming = level.incoming if level else 0
        shortage = units - max(available, 0) - incoming - in_production[variant_id]
        if shortage <= 0:
            continue
        manufactured = variant_id in structure
        for component in structure.get(variant_id, ()):
            need(
                component.variant_id,
                component.sku,
                shortage * component.quantity,
                needed_on[variant_id],
            )
        supplier = None if manufactured else cheapest(prices.get(variant_id, ()))
        order_by = (
            needed_on[variant_id] - timedelta(days=supplier.lead_time_days) if supplier else None
        )
        requirements.append(
            Requirement(
                variant_id=variant_id,
                sku=skus[variant_id],
                required=units,
                available=available,
                incoming=incoming,
                in_production=in_production[variant_id],
                shortage=shortage,
                needed_on=needed_on[variant_id],
                manufactured=manufactured,
                supplier=supplier,
                order_by=order_by,
                late=order_by is not None and order_by < today,
            )
        )
    return sorted(requirements, key=lambda r: (r.needed_on, r.sku))
