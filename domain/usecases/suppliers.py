"""Use cases for suppliers and their price lists.

Suppliers are shared by every location, so ADMIN and STAFF (bound to locations or not)
create them and set their prices; POS terminals and customers may not.
"""

from __future__ import annotations

from domain.access import Principal
from domain.commands.purchasing import CreateSupplier, SetSupplierPrices
from domain.errors import Duplicate, NotFound
from domain.model.catalog import require_goods, unique_skus
from domain.model.identity import id_of
from domain.model.suppliers import (
    Supplier,
    new_supplier,
    normalise_supplier_code,
    supplier_cost,
)
from domain.ports import UnitOfWork

MAX_PRICES = 500


async def create_supplier(
    uow: UnitOfWork, principal: Principal, command: CreateSupplier
) -> Supplier:
    principal.require_catalog_manager("create suppliers")
    supplier = new_supplier(command.code, command.name, command.contact, command.lead_time_days)
    async with uow:
        if await uow.suppliers.by_code(supplier.code) is not None:
            raise Duplicate(f"supplier {supplier.code} exists", field="code")
        supplier = await uow.suppliers.add(supplier)
        await uow.commit()
    return supplier


async def set_supplier_prices(
    uow: UnitOfWork, principal: Principal, command: SetSupplierPrices
) -> Supplier:
    """Add or replace what a supplier charges for some SKUs; its prices of other SKUs stay."""
    principal.require_catalog_manager("change supplier prices")
    code = normalise_supplier_code(command.supplier_code, field="supplierCode")
    skus = unique_skus([entry.sku for entry in command.prices], field="prices", limit=MAX_PRICES)
    async with uow:
        supplier = await uow.suppliers.by_code(code)
        if supplier is None:
            raise NotFound.of("supplier", code, field="supplierCode")
        variants = await uow.catalog.variants_by_sku(skus)
        costs = []
        for index, (sku, entry) in enumerate(zip(skus, command.prices, strict=True)):
            if sku not in variants:
                raise NotFound.of("SKU", sku, field=f"prices.{index}.sku")
            require_goods(variants[sku], field=f"prices.{index}.sku")
            costs.append(
                supplier_cost(
                    variants[sku], entry.unit_cost, entry.currency, field=f"prices.{index}"
                )
            )
        await uow.suppliers.set_prices(id_of(supplier), costs)
        await uow.commit()
    return supplier
