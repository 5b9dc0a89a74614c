"""Mutations on suppliers and their price lists."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import run_mutation, without_clock
from api.types.nodes import forget
from api.types.suppliers import Supplier as SupplierType
from domain.commands.purchasing import CreateSupplier, SetSupplierPrices, SupplierPriceRequest
from domain.model.suppliers import Supplier
from domain.usecases import suppliers

BUYERS = "(ADMIN, STAFF)"


@strawberry.type(description="Result of a mutation on a supplier.")
class SupplierPayload:
    supplier: SupplierType | None = strawberry.field(
        default=None, description="The supplier, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A new supplier.")
class CreateSupplierInput:
    code: str = strawberry.field(
        description="Unique code: 1-32 letters, digits, '_' or '-'; kept upper case."
    )
    name: str = strawberry.field(description="The supplier's name, 1-200 characters.")
    contact: str | None = strawberry.field(
        default=None, description="Whom to contact, and how (at most 500 characters)."
    )
    lead_time_days: int = strawberry.field(
        description="Days its goods usually take to arrive after ordering: 0-365."
    )


@strawberry.input(description="What a supplier charges per unit of one SKU.")
class SupplierPriceInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    unit_cost: Decimal = strawberry.field(
        description='Per unit, zero or more, at most two decimals, sent as a string ("4.20").'
    )
    currency: str | None = strawberry.field(
        default=None, description="ISO 4217 code; null: the currency of the SKU's list price."
    )


@strawberry.input(description="Prices of some SKUs from one supplier.")
class SetSupplierPricesInput:
    supplier_code: str = strawberry.field(description="The supplier.")
    prices: list[SupplierPriceInput] = strawberry.field(
        description="1-500 entries, SKUs unique; each replaces the supplier's price of its "
        "SKU, if any. Prices of SKUs left out stay."
    )


async def _show(context: Context, supplier: Supplier) -> SupplierPayload:
    loaders = context.loaders.suppliers
    forget(loaders.prices_by_supplier, supplier.id)
    return SupplierPayload(supplier=await reload(loaders.supplier, supplier.id))


@strawberry.type
class SupplierMutations:
    @strawberry.mutation(description=f"Create a supplier {BUYERS}.")
    async def create_supplier(
        self, info: strawberry.Info, input: CreateSupplierInput
    ) -> SupplierPayload:
        return await run_mutation(
            info,
            SupplierPayload,
            without_clock(suppliers.create_supplier),
            lambda: CreateSupplier(input.code, input.name, input.lead_time_days, input.contact),
            _show,
        )

    @strawberry.mutation(
        description=f"Set what a supplier charges for some SKUs; a SKU may have prices from "
        f"several suppliers {BUYERS}."
    )
    async def set_supplier_prices(
        self, info: strawberry.Info, input: SetSupplierPricesInput
    ) -> SupplierPayload:
        return await run_mutation(
            info,
            SupplierPayload,
            without_clock(suppliers.set_supplier_prices),
            lambda: SetSupplierPrices(
                input.supplier_code,
                tuple(
                    SupplierPriceRequest(entry.sku, entry.unit_cost, entry.currency)
                    for entry in input.prices
                ),
            ),
            _show,
        )
