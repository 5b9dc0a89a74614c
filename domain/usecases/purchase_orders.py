"""Use cases for purchase orders: creating one, and moving it through its lifecycle.

Who may do what: ADMIN everything; STAFF create, submit, receive and cancel purchase orders
for the locations they work at (a clerk bound to no location: for every one). POS
terminals and customers may not buy. A caller who may not see a purchase order is told it
does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from domain.access import Principal
from domain.commands.purchasing import (
    ChangePurchaseOrderStatus,
    CreatePurchaseOrder,
    ReceivePurchaseOrder,
)
from domain.errors import InvalidInput, NotFound
from domain.model.catalog import Variant, normalise_sku
from domain.model.identity import id_of
from domain.model.inventory import StockMovement
from domain.model.locations import normalise_location_code
from domain.model.purchase_orders import (
    PurchaseOrder,
    PurchaseOrderLine,
    ReceivedUnits,
    expected_arrival,
    may_see,
    require_buyer,
    validate_lines,
)
from domain.model.suppliers import normalise_supplier_code
from domain.money import MAX_AMOUNT, Money, currency_code
from domain.ports import UnitOfWork
from domain.usecases.backorders import apply_movements
from domain.usecases.catalog import known_location, known_variants


async def create_purchase_order(
    uow: UnitOfWork, principal: Principal, command: CreatePurchaseOrder, now: datetime
) -> PurchaseOrder:
    """A DRAFT purchase order; nothing is incoming until it is submitted."""
    require_buyer(principal, "create purchase orders")
    supplier_code = normalise_supplier_code(command.supplier_code, field="supplierCode")
    destination = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(destination, "create purchase orders")
    skus = [
        normalise_sku(line.sku, field=f"lines.{index}.sku")
        for index, line in enumerate(command.lines)
    ]
    validate_lines(zip(skus, (line.quantity for line in command.lines), strict=True))
    async with uow:
        supplier = await uow.suppliers.by_code(supplier_code)
        if supplier is None:
            raise NotFound.of("supplier", supplier_code, field="supplierCode")
        location = await known_location(uow, destination)
        variants = await known_variants(uow, skus, field="lines.{}.sku", goods_only=True)
        currency = _currency(command.currency, [variants[sku] for sku in skus])
        order = PurchaseOrder(
            supplier_id=id_of(supplier),
            supplier_code=supplier.code,
            location_id=id_of(location),
            location_code=location.code,
            currency=currency,
            lines=[
                PurchaseOrderLine(
                    variant_id=id_of(variants[sku]),
                    sku=sku,
                    quantity=line.quantity,
                    unit_cost=Money.of(line.unit_cost, currency, field=f"lines.{i}.unitCost"),
                )
                for i, (sku, line) in enumerate(zip(skus, command.lines, strict=True))
            ],
            expected_at=expected_arrival(command.expected_at, supplier.lead_time_days, now),
            created_at=now,
        )
        if order.total.amount >= MAX_AMOUNT:
            raise InvalidInput(f"a purchase order totals less than {MAX_AMOUNT:,}", field="lines")
        order.record_creation(principal.subject, now, command.note)
        order = await uow.purchase_orders.add(order)
        await uow.commit()
    return order


def _currency(requested: str | None, variants: list[Variant]) -> str:
    """The order's currency: as requested, or else the one the SKUs are priced in."""
    if requested is not None:
        return currency_code(requested, field="currency")
    currencies = sorted({variant.price.currency for variant in variants})
    if len(currencies) > 1:
        raise InvalidInput(
            f"the SKUs are priced in {' and '.join(currencies)}: name the order's currency",
            field="currency",
        )
    return currencies[0]


Step = Callable[[PurchaseOrder], list[StockMovement]]


async def _change_purchase_order(
    uow: UnitOfWork,
    principal: Principal,
    purchase_order_id: int,
    *,
    action: str,
    step: Step,
    now: datetime,
) -> PurchaseOrder:
    """Load a purchase order the caller may see (it works at its destination), take the
    step, and write the order, its stock movements and the backorders they fill at once."""
    require_buyer(principal, action)
    async with uow:
        order = await uow.purchase_orders.get(purchase_order_id)
        if order is None or not may_see(principal, order.location_code):
            raise NotFound.no_such("purchase order", field="purchaseOrderId")
        movements = step(order)
        await uow.purchase_orders.save(order)
        await apply_movements(uow, movements, principal.subject, now)
        await uow.commit()
    return order


async def submit_purchase_order(
    uow: UnitOfWork, principal: Principal, command: ChangePurchaseOrderStatus, now: datetime
) -> PurchaseOrder:
    """DRAFT → ORDERED: the units ordered are incoming at the destination."""
    return await _change_purchase_order(
        uow,
        principal,
        command.purchase_order_id,
        action="submit purchase orders",
        step=lambda order: order.submit(principal.subject, now, command.note),
        now=now,
    )


async def receive_purchase_order(
    uow: UnitOfWork, principal: Principal, command: ReceivePurchaseOrder, now: datetime
) -> PurchaseOrder:
    """ORDERED or PARTIALLY_RECEIVED → PARTIALLY_RECEIVED or RECEIVED: what arrived goes on
    hand, and fills backorders waiting for it."""

    def step(order: PurchaseOrder) -> list[StockMovement]:
        received = [
            ReceivedUnits(normalise_sku(line.sku, field=f"lines.{index}.sku"), line.quantity)
            for index, line in enumerate(command.lines)
        ]
        return order.receive(received, principal.subject, now, command.note)

    return await _change_purchase_order(
        uow,
        principal,
        command.purchase_order_id,
        action="receive purchase orders",
        step=step,
        now=now,
    )


async def cancel_purchase_order(
    uow: UnitOfWork, principal: Principal, command: ChangePurchaseOrderStatus, now: datetime
) -> PurchaseOrder:
    """DRAFT, ORDERED or PARTIALLY_RECEIVED → CANCELLED: what has not arrived stops being
    incoming."""
    return await _change_purchase_order(
        uow,
        principal,
        command.purchase_order_id,
        action="cancel purchase orders",
        step=lambda order: order.cancel(principal.subject, now, command.note),
        now=now,
    )
