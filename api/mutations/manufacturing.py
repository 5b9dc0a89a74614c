"""Mutations on bills of materials, and on work orders through their lifecycle."""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import VariantPayload, show_variant, user_errors_field
from api.mutations.runner import key_of, run_mutation, without_clock
from api.types.nodes import forget
from api.types.work_orders import WorkOrder as WorkOrderType
from domain.commands.manufacturing import (
    ChangeWorkOrderStatus,
    CompleteWorkOrder,
    ComponentRequest,
    CreateWorkOrder,
    SetBillOfMaterials,
)
from domain.model.catalog import Variant
from domain.model.work_orders import WorkOrder
from domain.usecases import boms, work_orders


@strawberry.type(description="Result of a mutation on a work order.")
class WorkOrderPayload:
    work_order: WorkOrderType | None = strawberry.field(
        default=None, description="The work order, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A component and the units of it per unit made.")
class BillOfMaterialsComponentInput:
    sku: str = strawberry.field(description="The component's SKU: another variant.")
    quantity: int = strawberry.field(description="Units per unit made, 1 to 10,000.")


@strawberry.input(description="The bill of materials of a manufactured variant, whole.")
class SetBillOfMaterialsInput:
    sku: str = strawberry.field(description="The variant made.")
    components: list[BillOfMaterialsComponentInput] = strawberry.field(
        description="Its components, each SKU once and never the variant itself, at most "
        "100; they replace the ones it had. Empty removes its bill of materials."
    )


@strawberry.input(description="A new work order, created PLANNED.")
class CreateWorkOrderInput:
    sku: str = strawberry.field(description="The variant to make: it needs a bill of materials.")
    quantity: int = strawberry.field(description="Units to make, 1 to 100,000.")
    location_code: str = strawberry.field(
        description="Where it is made: components are taken and units put here."
    )
    due_date: date = strawberry.field(
        description="The day the units are due, from a year ago to ten years ahead."
    )
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="Move a work order one step in its lifecycle.")
class WorkOrderStatusInput:
    work_order_id: strawberry.ID = strawberry.field(description="The work order.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="Units of a work order made, and scrapped, since the last time.")
class CompleteWorkOrderInput:
    work_order_id: strawberry.ID = strawberry.field(description="The work order.")
    produced_quantity: int = strawberry.field(description="Good units made, put on hand.")
    scrapped_quantity: int = strawberry.field(
        default=0, description="Units spoilt: their components are used, nothing is stocked."
    )
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


def _work_order_id(input: WorkOrderStatusInput | CompleteWorkOrderInput) -> int:
    return key_of(input.work_order_id, "WorkOrder", "workOrderId")


async def _show(context: Context, work_order: WorkOrder) -> WorkOrderPayload:
    loaded = await reload(context.loaders.work_orders.work_order, work_order.id)
    return WorkOrderPayload(work_order=loaded)


async def _show_variant_made(context: Context, variant: Variant) -> VariantPayload:
    forget(context.loaders.boms.components, variant.id)
    return await show_variant(context, variant)


@strawberry.type
class ManufacturingMutations:
    @strawberry.mutation(
        description="Replace a variant's bill of materials: components with the units per "
        "unit made, which may be manufactured themselves; a cycle at any depth is refused "
        "(ADMIN, STAFF)."
    )
    async def set_bill_of_materials(
        self, info: strawberry.Info, input: SetBillOfMaterialsInput
    ) -> VariantPayload:
        return await run_mutation(
            info,
            VariantPayload,
            without_clock(boms.set_bill_of_materials),
            lambda: SetBillOfMaterials(
                sku=input.sku,
                components=tuple(ComponentRequest(c.sku, c.quantity) for c in input.components),
            ),
            _show_variant_made,
        )

    @strawberry.mutation(
        description="Create a PLANNED work order with a copy of the variant's bill of "
        "materials; nothing is reserved yet (ADMIN; STAFF at the location)."
    )
    async def create_work_order(
        self, info: strawberry.Info, input: CreateWorkOrderInput
    ) -> WorkOrderPayload:
        return await run_mutation(
            info,
            WorkOrderPayload,
            work_orders.create_work_order,
            lambda: CreateWorkOrder(
                sku=input.sku,
                quantity=input.quantity,
                location_code=input.location_code,
                due_date=input.due_date,
                note=input.note,
            ),
            _show,
        )

    @strawberry.mutation(
        description="PLANNED → RELEASED: reserve every component for every unit at the "
        "location, all or nothing; each component short is its own INSUFFICIENT_STOCK "
        "userError (ADMIN; STAFF at the location)."
    )
    async def release_work_order(
        self, info: strawberry.Info, input: WorkOrderStatusInput
    ) -> WorkOrderPayload:
        return await run_mutation(
            info,
            WorkOrderPayload,
            work_orders.release_work_order,
            lambda: ChangeWorkOrderStatus(_work_order_id(input), input.note),
            _show,
        )

    @strawberry.mutation(description="RELEASED → IN_PROGRESS (ADMIN; STAFF at the location).")
    async def start_work_order(
        self, info: strawberry.Info, input: WorkOrderStatusInput
    ) -> WorkOrderPayload:
        return await run_mutation(
            info,
            WorkOrderPayload,
            work_orders.start_work_order,
            lambda: ChangeWorkOrderStatus(_work_order_id(input), input.note),
            _show,
        )

    @strawberry.mutation(
        description="Record units made and scrapped: their components are consumed, the "
        "units made go on hand (and fill backorders). COMPLETED once every unit is made or "
        "scrapped, else PARTIALLY_COMPLETED, which completes again; more than remain is "
        "INVALID_INPUT (ADMIN; STAFF at the location)."
    )
    async def complete_work_order(
        self, info: strawberry.Info, input: CompleteWorkOrderInput
    ) -> WorkOrderPayload:
        return await run_mutation(
            info,
            WorkOrderPayload,
            work_orders.complete_work_order,
            lambda: CompleteWorkOrder(
                _work_order_id(input),
                input.produced_quantity,
                input.scrapped_quantity,
                input.note,
            ),
            _show,
        )

    @strawberry.mutation(
        description="PLANNED, RELEASED, IN_PROGRESS or PARTIALLY_COMPLETED → CANCELLED; the "
        "components still reserved are released (ADMIN; STAFF at the location)."
    )
    async def cancel_work_order(
        self, info: strawberry.Info, input: WorkOrderStatusInput
    ) -> WorkOrderPayload:
        return await run_mutation(
            info,
            WorkOrderPayload,
            work_orders.cancel_work_order,
            lambda: ChangeWorkOrderStatus(_work_order_id(input), input.note),
            _show,
        )
