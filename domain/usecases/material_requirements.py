"""Use cases for material requirements: planning what a location is short of, and turning
the chosen purchase suggestions into DRAFT purchase orders.

Who may: ADMIN anywhere; STAFF at the locations they work at. Planning reads, in one
transaction, everything it nets (work orders, backorders, levels, prices), so the figures
agree with each other; it changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from domain.access import Principal
from domain.commands.manufacturing import (
    CreatePurchaseOrdersFromSuggestions,
    PlanMaterialRequirements,
)
from domain.errors import InvalidInput, NotFound
from domain.model.catalog import normalise_sku
from domain.model.identity import id_of
from domain.model.locations import Location, normalise_location_code
from domain.model.material_requirements import Requirement, horizon_end, plan_requirements
from domain.model.purchase_orders import (
    MAX_LINES,
    MAX_QUANTITY,
    PurchaseOrder,
    PurchaseOrderLine,
    expected_arrival,
    require_buyer,
)
from domain.model.suppliers import Supplier, normalise_supplier_code
from domain.model.work_orders import WorkOrderStatus, require_planner
from domain.money import MAX_AMOUNT, Money
from domain.ports import UnitOfWork
from domain.usecases.catalog import known_location, known_variants

FROM_SUGGESTIONS = "from material requirements"
MAX_SUGGESTIONS = 500


async def plan_material_requirements(
    uow: UnitOfWork, principal: Principal, command: PlanMaterialRequirements, now: datetime
) -> list[Requirement]:
    """What the location is short of for its demand within the horizon (see
    domain/model/material_requirements.py), by needed date and SKU."""
    require_planner(principal, "plan material requirements")
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "plan material requirements")
    today = now.date()
    due_by = horizon_end(today, command.horizon_days)
    async with uow:
        location = await known_location(uow, code)
        work_orders = await uow.work_orders.open_at(id_of(location), due_by)
        backorders = await uow.work_orders.backordered_at(id_of(location))
        demanded = {line.variant_id for line in backorders} | {
            component.variant_id
            for work_order in work_orders
            if work_order.status is WorkOrderStatus.PLANNED
            for component in work_order.components
        }
        structure = await uow.boms.structure(demanded)
        variant_ids = demanded | {
            component.variant_id for components in structure.values() for component in components
        }
        levels = await uow.stock.levels(variant_ids, [id_of(location)])
        prices = await uow.suppliers.prices_for(variant_ids)
    return plan_requirements(
        work_orders=work_orders,
        backorders=backorders,
        structure=structure,
        levels={variant_id: level for (variant_id, _), level in levels.items()},
        prices=prices,
        today=today,
    )


async def create_purchase_orders_from_suggestions(
    uow: UnitOfWork,
    principal: Principal,
    command: CreatePurchaseOrdersFromSuggestions,
    now: datetime,
) -> list[PurchaseOrder]:
    """One DRAFT purchase order per supplier chosen, in the order the suppliers first
    appear, each line at the supplier's price; all of them or none."""
    require_buyer(principal, "create purchase orders")
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "create purchase orders")
    choices = _choices(command)
    async with uow:
        location = await known_location(uow, code)
        suppliers: dict[str, Supplier] = {}
        for index, (supplier_code, _, _) in enumerate(choices):
            if supplier_code not in suppliers:
                supplier = await uow.suppliers.by_code(supplier_code)
                if supplier is None:
                    raise NotFound.of(
                        "supplier", supplier_code, field=f"suggestions.{index}.supplierCode"
                    )
                suppliers[supplier_code] = supplier
        variants = await known_variants(
            uow, [sku for _, sku, _ in choices], field="suggestions.{}.sku", goods_only=False
        )
        prices = await uow.suppliers.prices_for(id_of(v) for v in variants.values())
        orders: dict[str, PurchaseOrder] = {}
        for index, (supplier_code, sku, quantity) in enumerate(choices):
            supplier, variant = suppliers[supplier_code], variants[sku]
            price = next(
                (p for p in prices.get(id_of(variant), ()) if p.supplier_id == id_of(supplier)),
                None,
            )
            if price is None:
                raise InvalidInput(
                    f"supplier {supplier_code} has no price for SKU {sku}",
                    field=f"suggestions.{index}.supplierCode",
                )
            order = orders.get(supplier_code)
            if order is None:
                order = orders[supplier_code] = _draft(supplier, location, price.unit_cost, now)
            if price.unit_cost.currency != order.currency:
                raise InvalidInput(
                    f"supplier {supplier_code} prices SKU {sku} in {price.unit_cost.currency}, "
                    f"its other SKUs here in {order.currency}",
                    field=f"suggestions.{index}.sku",
                )
            order.lines.append(PurchaseOrderLine(id_of(variant), sku, quantity, price.unit_cost))
        created = []
        for supplier_code, order in orders.items():
            if len(order.lines) > MAX_LINES:
                raise InvalidInput(
                    f"a purchase order has at most {MAX_LINES} lines: too many for {supplier_code}",
                    field="suggestions",
                )
            if order.total.amount >= MAX_AMOUNT:
                raise InvalidInput(
                    f"a purchase order totals less than {MAX_AMOUNT:,}: not {supplier_code}'s",
                    field="suggestions",
                )
            order.record_creation(principal.subject, now, FROM_SUGGESTIONS)
            created.append(await uow.purchase_orders.add(order))
        await uow.commit()
    return created


def _choices(command: CreatePurchaseOrdersFromSuggestions) -> list[tuple[str, str, int]]:
    """(supplier code, SKU, quantity) per suggestion, normalised: at least one, quantities
    1 to MAX_QUANTITY, a SKU at most once per supplier."""
    if not 0 < len(command.suggestions) <= MAX_SUGGESTIONS:
        raise InvalidInput(f"choose 1 to {MAX_SUGGESTIONS} suggestions", field="suggestions")
    choices: list[tuple[str, str, int]] = []
    for index, suggestion in enumerate(command.suggestions):
        where = f"suggestions.{index}"
        supplier_code = normalise_supplier_code(
            suggestion.supplier_code, field=f"{where}.supplierCode"
        )
        sku = normalise_sku(suggestion.sku, field=f"{where}.sku")
        if not 1 <= suggestion.quantity <= MAX_QUANTITY:
            raise InvalidInput(
                f"quantity must be 1-{MAX_QUANTITY:,}, got {suggestion.quantity}",
                field=f"{where}.quantity",
            )
        if any(c[:2] == (supplier_code, sku) for c in choices):
            raise InvalidInput(
                f"SKU {sku} appears twice for supplier {supplier_code}", field=f"{where}.sku"
            )
        choices.append((supplier_code, sku, suggestion.quantity))
    return choices


def _draft(
    supplier: Supplier, location: Location, unit_cost: Money, now: datetime
) -> PurchaseOrder:
    """An empty DRAFT order from the supplier, in the currency of its price, due after its
    lead time."""
    return PurchaseOrder(
        supplier_id=id_of(supplier),
        supplier_code=supplier.code,
        location_id=id_of(location),
        location_code=location.code,
        currency=unit_cost.currency,
        lines=[],
        expected_at=expected_arrival(None, supplier.lead_time_days, now),
        created_at=now,
    )
