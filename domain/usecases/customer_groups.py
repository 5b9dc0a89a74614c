"""Use cases for wholesale terms: customer groups, their price lists, who belongs to them.

Terms are prices, so whoever may change prices sets them: ADMIN and STAFF (as for
`updateVariantPrice`; terms hold everywhere, so a clerk's locations do not matter).
"""

from __future__ import annotations

from domain.access import Principal
from domain.commands.customer_groups import (
    AssignCustomerGroup,
    CreateCustomerGroup,
    SetCustomerGroupPrices,
)
from domain.errors import Duplicate, NotFound
from domain.model.catalog import unique_skus
from domain.model.customers import Customer
from domain.model.identity import id_of
from domain.model.pricing import (
    CustomerGroup,
    group_price,
    new_customer_group,
    normalise_group_code,
)
from domain.ports import UnitOfWork
from domain.usecases.catalog import known_variants

MAX_PRICES = 500


async def create_customer_group(
    uow: UnitOfWork, principal: Principal, command: CreateCustomerGroup
) -> CustomerGroup:
    principal.require_catalog_manager("create customer groups")
    group = new_customer_group(
        command.code, command.name, command.discount_percent, command.minimum_line_quantity
    )
    async with uow:
        if await uow.customer_groups.by_code(group.code) is not None:
            raise Duplicate(f"customer group {group.code} exists", field="code")
        group = await uow.customer_groups.add(group)
        await uow.commit()
    return group


async def set_customer_group_prices(
    uow: UnitOfWork, principal: Principal, command: SetCustomerGroupPrices
) -> CustomerGroup:
    """Add or replace a group's prices for some SKUs, or (price null) remove them; the
    entries of other SKUs stay as they are."""
    principal.require_catalog_manager("change customer group prices")
    code = normalise_group_code(command.group_code, field="groupCode")
    skus = _unique_skus(command)
    async with uow:
        group = await uow.customer_groups.by_code(code)
        if group is None:
            raise NotFound.of("customer group", code, field="groupCode")
        variants = await known_variants(uow, skus, field="prices.{}.sku", goods_only=False)
        entries = [
            group_price(variants[sku], entry.price, entry.minimum_quantity, field=f"prices.{i}")
            for i, (sku, entry) in enumerate(zip(skus, command.prices, strict=True))
            if entry.price is not None
        ]
        removed = [
            id_of(variants[sku])
            for sku, entry in zip(skus, command.prices, strict=True)
            if entry.price is None
        ]
        await uow.customer_groups.remove_prices(id_of(group), removed)
        await uow.customer_groups.set_prices(id_of(group), entries)
        await uow.commit()
    return group


async def assign_customer_group(
    uow: UnitOfWork, principal: Principal, command: AssignCustomerGroup
) -> Customer:
    principal.require_catalog_manager("assign customer groups")
    code = (
        None
        if command.group_code is None
        else normalise_group_code(command.group_code, field="groupCode")
    )
    async with uow:
        customer = await uow.customers.get(command.customer_id)
        if customer is None:
            raise NotFound.no_such("customer", field="customerId")
        group = None
        if code is not None:
            group = await uow.customer_groups.by_code(code)
            if group is None:
                raise NotFound.of("customer group", code, field="groupCode")
        customer.group_id = group.id if group else None
        await uow.customers.set_group(command.customer_id, customer.group_id)
        await uow.commit()
    return customer


def _unique_skus(command: SetCustomerGroupPrices) -> list[str]:
    return unique_skus([entry.sku for entry in command.prices], field="prices", limit=MAX_PRICES)
