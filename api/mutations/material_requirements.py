"""Turning chosen material requirements into DRAFT purchase orders."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.mutations.payloads import user_errors_field
from api.mutations.runner import run_mutation
from api.types.nodes import forget
from api.types.purchase_orders import PurchaseOrder as PurchaseOrderType
from domain.commands.manufacturing import (
    CreatePurchaseOrdersFromSuggestions,
    PurchaseSuggestionChoice,
)
from domain.model.purchase_orders import PurchaseOrder
from domain.usecases.material_requirements import create_purchase_orders_from_suggestions


@strawberry.type(description="Result of turning purchase suggestions into purchase orders.")
class PurchaseOrdersPayload:
    purchase_orders: list[PurchaseOrderType] | None = strawberry.field(
        default=None,
        description="The DRAFT purchase orders made, one per supplier, when it succeeded.",
    )
    user_errors: list[UserError] = user_errors_field()


async def _show(context: Context, orders: list[PurchaseOrder]) -> PurchaseOrdersPayload:
    loader = context.loaders.purchase_orders.purchase_order
    for order in orders:
        forget(loader, order.id)
    loaded = await loader.load_many([order.id for order in orders])
    return PurchaseOrdersPayload(purchase_orders=[order for order in loaded if order is not None])


@strawberry.input(description="Units of a SKU to buy from a supplier, as suggested or not.")
class PurchaseSuggestionInput:
    sku: str = strawberry.field(description="The SKU to buy.")
    quantity: int = strawberry.field(description="Units, 1 to 1,000,000.")
    supplier_code: str = strawberry.field(
        description="Who to buy from: a supplier with a price for the SKU."
    )


@strawberry.input(description="Purchase suggestions chosen for one location.")
class CreatePurchaseOrdersFromSuggestionsInput:
    location_code: str = strawberry.field(description="Where the goods are to arrive.")
    suggestions: list[PurchaseSuggestionInput] = strawberry.field(
        description="What to buy, 1 to 500 lines; a SKU at most once per supplier."
    )


@strawberry.type
class MaterialRequirementMutations:
    @strawberry.mutation(
        description="Create one DRAFT purchase order per supplier named, each line at the "
        "supplier's price, expected after its lead time; all or none (ADMIN; STAFF at the "
        "location)."
    )
    async def create_purchase_orders_from_suggestions(
        self, info: strawberry.Info, input: CreatePurchaseOrdersFromSuggestionsInput
    ) -> PurchaseOrdersPayload:
        return await run_mutation(
            info,
            PurchaseOrdersPayload,
            create_purchase_orders_from_suggestions,
            lambda: CreatePurchaseOrdersFromSuggestions(
                location_code=input.location_code,
                suggestions=tuple(
                    PurchaseSuggestionChoice(s.sku, s.quantity, s.supplier_code)
                    for s in input.suggestions
                ),
            ),
            _show,
        )
