"""Mutations that create purchase orders and move them through their lifecycle."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.nodes import forget
from api.types.purchase_orders import PurchaseOrder as PurchaseOrderType
from domain.commands.purchasing import (
    ChangePurchaseOrderStatus,
    CreatePurchaseOrder,
    PurchaseOrderLineRequest,
    ReceivePurchaseOrder,
)
from domain.model.purchase_orders import PurchaseOrder, ReceivedUnits
from domain.usecases import purchase_orders

AT_DESTINATION = "(ADMIN; STAFF who work at its location)"


@strawberry.type(description="Result of a mutation on a purchase order.")
class PurchaseOrderPayload:
    purchase_order: PurchaseOrderType | None = strawberry.field(
        default=None, description="The purchase order, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="Units of one SKU to buy, and what each costs.")
class PurchaseOrderLineInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    quantity: int = strawberry.field(description="Units to buy: 1-1,000,000.")
    unit_cost: Decimal = strawberry.field(
        description="Per unit in the order's currency: zero or more, at most two decimals, "
        'sent as a string ("4.20").'
    )


@strawberry.input(description="A new purchase order, created as a DRAFT.")
class CreatePurchaseOrderInput:
    supplier_code: str = strawberry.field(description="Whom to buy from.")
    location_code: str = strawberry.field(description="Where the goods are delivered.")
    lines: list[PurchaseOrderLineInput] = strawberry.field(
        description="What to buy: 1-100 lines, SKUs unique."
    )
    expected_at: datetime | None = strawberry.field(
        default=None,
        description="When the goods should arrive, with a UTC offset; null: the supplier's "
        "lead time from now.",
    )
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217 code of every unit cost; null: the currency the SKUs are priced in.",
    )
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="Move a purchase order one step in its lifecycle.")
class PurchaseOrderStatusInput:
    purchase_order_id: strawberry.ID = strawberry.field(description="The purchase order.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="Units of one SKU that arrived.")
class ReceivedUnitsInput:
    sku: str = strawberry.field(description="A SKU of the purchase order.")
    quantity: int = strawberry.field(
        description="Units that arrived: at most those ordered and not received yet."
    )


@strawberry.input(description="What arrived of a purchase order, in one delivery.")
class ReceivePurchaseOrderInput:
    purchase_order_id: strawberry.ID = strawberry.field(description="The purchase order.")
    lines: list[ReceivedUnitsInput] = strawberry.field(
        description="Units that arrived per SKU; a SKU left out got none this time. At least "
        "one unit in all."
    )
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


def _purchase_order_id(input: PurchaseOrderStatusInput | ReceivePurchaseOrderInput) -> int:
    return key_of(input.purchase_order_id, "PurchaseOrder", "purchaseOrderId")


async def _show(context: Context, order: PurchaseOrder) -> PurchaseOrderPayload:
    loaders = context.loaders.purchase_orders
    for stale in (loaders.lines, loaders.history):  # a mutation earlier in the request
        forget(stale, order.id)  # may have loaded them
    return PurchaseOrderPayload(purchase_order=await reload(loaders.purchase_order, order.id))


@strawberry.type
class PurchaseOrderMutations:
    @strawberry.mutation(description=f"Create a DRAFT purchase order {AT_DESTINATION}.")
    async def create_purchase_order(
        self, info: strawberry.Info, input: CreatePurchaseOrderInput
    ) -> PurchaseOrderPayload:
        return await run_mutation(
            info,
            PurchaseOrderPayload,
            purchase_orders.create_purchase_order,
            lambda: CreatePurchaseOrder(
                supplier_code=input.supplier_code,
                location_code=input.location_code,
                lines=tuple(
                    PurchaseOrderLineRequest(line.sku, line.quantity, line.unit_cost)
                    for line in input.lines
                ),
                expected_at=input.expected_at,
                currency=input.currency,
                note=input.note,
            ),
            _show,
        )

    @strawberry.mutation(
        description="DRAFT → ORDERED: the units ordered show as incoming at its location "
        f"{AT_DESTINATION}."
    )
    async def submit_purchase_order(
        self, info: strawberry.Info, input: PurchaseOrderStatusInput
    ) -> PurchaseOrderPayload:
        return await run_mutation(
            info,
            PurchaseOrderPayload,
            purchase_orders.submit_purchase_order,
            lambda: ChangePurchaseOrderStatus(_purchase_order_id(input), input.note),
            _show,
        )

    @strawberry.mutation(
        description="Record a delivery: ORDERED or PARTIALLY_RECEIVED → RECEIVED once nothing "
        "is outstanding, else PARTIALLY_RECEIVED. What arrived goes on hand (no longer "
        "incoming) and fills waiting backorders; more than is outstanding is refused "
        f"{AT_DESTINATION}."
    )
    async def receive_purchase_order(
        self, info: strawberry.Info, input: ReceivePurchaseOrderInput
    ) -> PurchaseOrderPayload:
        return await run_mutation(
            info,
            PurchaseOrderPayload,
            purchase_orders.receive_purchase_order,
            lambda: ReceivePurchaseOrder(
                _purchase_order_id(input),
                tuple(ReceivedUnits(line.sku, line.quantity) for line in input.lines),
                input.note,
            ),
            _show,
        )

    @strawberry.mutation(
        description="DRAFT, ORDERED or PARTIALLY_RECEIVED → CANCELLED: what has not arrived "
        f"is no longer incoming {AT_DESTINATION}."
    )
    async def cancel_purchase_order(
        self, info: strawberry.Info, input: PurchaseOrderStatusInput
    ) -> PurchaseOrderPayload:
        return await run_mutation(
            info,
            PurchaseOrderPayload,
            purchase_orders.cancel_purchase_order,
            lambda: ChangePurchaseOrderStatus(_purchase_order_id(input), input.note),
            _show,
        )
