"""Use cases for work orders: planning one, and moving it through its lifecycle.

Who may do what: an ADMIN everything; STAFF at the production location (an unbound clerk
anywhere). A caller who may not see a work order is told it does not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from domain.access import Principal
from domain.commands.manufacturing import (
    ChangeWorkOrderStatus,
    CompleteWorkOrder,
    CreateWorkOrder,
)
from domain.errors import NotFound
from domain.model.catalog import normalise_sku
from domain.model.identity import id_of
from domain.model.inventory import StockMovement
from domain.model.locations import normalise_location_code
from domain.model.work_orders import WorkOrder, may_see, require_planner
from domain.ports import UnitOfWork
from domain.usecases.backorders import apply_movements
from domain.usecases.catalog import known_location


async def create_work_order(
    uow: UnitOfWork, principal: Principal, command: CreateWorkOrder, now: datetime
) -> WorkOrder:
    """A PLANNED work order with a copy of the variant's BOM; nothing is reserved yet."""
    require_planner(principal, "create work orders")
    sku = normalise_sku(command.sku)
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "create work orders")
    async with uow:
        location = await known_location(uow, code)
        variant = (await uow.catalog.variants_by_sku([sku])).get(sku)
        if variant is None:
            raise NotFound.of("SKU", sku, field="sku")
        structure = await uow.boms.structure([id_of(variant)])
        work_order = WorkOrder.plan(
            variant_id=id_of(variant),
            sku=sku,
            quantity=command.quantity,
            location_id=id_of(location),
            location_code=code,
            due_date=command.due_date,
            bill_of_materials=structure.get(id_of(variant), ()),
            created_at=now,
        )
        work_order.record_creation(principal.subject, now, command.note)
        work_order = await uow.work_orders.add(work_order)
        await uow.commit()
    return work_order


Step = Callable[[UnitOfWork, WorkOrder], Awaitable[list[StockMovement]]]


async def _change_work_order(
    uow: UnitOfWork,
    principal: Principal,
    work_order_id: int,
    *,
    action: str,
    step: Step,
    now: datetime,
) -> WorkOrder:
    """Load a visible work order, take the step, write work order and stock at once, and
    let what it made fill backorders."""
    require_planner(principal, action)
    async with uow:
        work_order = await uow.work_orders.get(work_order_id)
        if work_order is None or not may_see(principal, work_order.location_code):
            raise NotFound.no_such("work order", field="workOrderId")
        movements = await step(uow, work_order)
        await uow.work_orders.save(work_order)
        await apply_movements(uow, movements, principal.subject, now)
        await uow.commit()
    return work_order


async def release_work_order(
    uow: UnitOfWork, principal: Principal, command: ChangeWorkOrderStatus, now: datetime
) -> WorkOrder:
    """PLANNED → RELEASED: reserve every component at the location, or nothing."""

    async def step(uow: UnitOfWork, work_order: WorkOrder) -> list[StockMovement]:
        levels = await uow.stock.levels(
            [c.variant_id for c in work_order.components], [work_order.location_id]
        )
        return work_order.release(levels, principal.subject, now, command.note)

    return await _change_work_order(
        uow, principal, command.work_order_id, action="release work orders", step=step, now=now
    )


async def start_work_order(
    uow: UnitOfWork, principal: Principal, command: ChangeWorkOrderStatus, now: datetime
) -> WorkOrder:
    """RELEASED → IN_PROGRESS."""

    async def step(uow: UnitOfWork, work_order: WorkOrder) -> list[StockMovement]:
        return work_order.start(principal.subject, now, command.note)

    return await _change_work_order(
        uow, principal, command.work_order_id, action="start work orders", step=step, now=now
    )


async def complete_work_order(
    uow: UnitOfWork, principal: Principal, command: CompleteWorkOrder, now: datetime
) -> WorkOrder:
    """IN_PROGRESS or PARTIALLY_COMPLETED → COMPLETED, or PARTIALLY_COMPLETED while units
    remain: components used up, finished units on hand."""

    async def step(uow: UnitOfWork, work_order: WorkOrder) -> list[StockMovement]:
        return work_order.complete(
            command.produced_quantity,
            command.scrapped_quantity,
            principal.subject,
            now,
            command.note,
        )

    return await _change_work_order(
        uow, principal, command.work_order_id, action="complete work orders", step=step, now=now
    )


async def cancel_work_order(
    uow: UnitOfWork, principal: Principal, command: ChangeWorkOrderStatus, now: datetime
) -> WorkOrder:
    """Any open status → CANCELLED, releasing the components still reserved."""

    async def step(uow: UnitOfWork, work_order: WorkOrder) -> list[StockMovement]:
        return work_order.cancel(principal.subject, now, command.note)

    return await _change_work_order(
        uow, principal, command.work_order_id, action="cancel work orders", step=step, now=now
    )
