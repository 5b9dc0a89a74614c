"""Mutations on wholesale terms: customer groups, their prices, and who belongs to them."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.catalog import MoneyInput
from api.mutations.customers import credit_limit_request
from api.mutations.payloads import CustomerPayload, show_customer, user_errors_field
from api.mutations.runner import key_of, run_mutation, without_clock
from api.types.customer_groups import CustomerGroup as CustomerGroupType
from api.types.nodes import forget
from domain.commands.credit import SetCustomerGroupCreditLimit
from domain.commands.customer_groups import (
    AssignCustomerGroup,
    CreateCustomerGroup,
    GroupPriceRequest,
    SetCustomerGroupPrices,
)
from domain.model.pricing import CustomerGroup
from domain.usecases import credit, customer_groups

TERMS_SETTERS = "(ADMIN, STAFF)"


@strawberry.type(description="Result of a mutation on a customer group.")
class CustomerGroupPayload:
    customer_group: CustomerGroupType | None = strawberry.field(
        default=None, description="The group, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A new customer group and its general terms.")
class CreateCustomerGroupInput:
    code: str = strawberry.field(
        description="Unique code: 1-32 letters, digits, '_' or '-'; kept upper case."
    )
    name: str = strawberry.field(description="What the group is, e.g. Trade customers.")
    discount_percent: Decimal | None = strawberry.field(
        default=None,
        description="Off the list price of SKUs the group has no price for: 0-100, at most "
        'two decimals, sent as a string ("12.5"); null for none.',
    )
    minimum_line_quantity: int = strawberry.field(
        default=1, description="Units every line of a WHOLESALE order needs at least."
    )


@strawberry.input(description="A group's price for one SKU.")
class CustomerGroupPriceInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    price: Decimal | None = strawberry.field(
        description="Per unit, in the SKU's own currency, at most two decimals; null removes "
        "the SKU's entry (it then costs the discounted list price again)."
    )
    minimum_quantity: int | None = strawberry.field(
        default=None,
        description="Units a line of this SKU needs at least; null: the group's "
        "minimumLineQuantity.",
    )


@strawberry.input(description="Prices of some SKUs for a customer group.")
class SetCustomerGroupPricesInput:
    group_code: str = strawberry.field(description="The group.")
    prices: list[CustomerGroupPriceInput] = strawberry.field(
        description="1-500 entries, SKUs unique; each replaces the SKU's entry, if any. "
        "Entries of SKUs left out stay."
    )


@strawberry.input(description="Put a customer in a group, or take it out.")
class AssignCustomerGroupInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    group_code: str | None = strawberry.field(
        description="The group; null takes the customer out of its group."
    )


@strawberry.input(description="Give a customer group's customers a credit limit, or take it.")
class SetCustomerGroupCreditLimitInput:
    group_code: str = strawberry.field(description="The group.")
    limit: MoneyInput | None = strawberry.field(
        description="How much each of its customers without a limit of its own may owe in "
        "WHOLESALE orders, zero or more, in one currency (orders in others do not count "
        "towards it). Null: unlimited."
    )


async def _show(context: Context, group: CustomerGroup) -> CustomerGroupPayload:
    loaders = context.loaders.customer_groups
    forget(loaders.prices, group.id)
    return CustomerGroupPayload(customer_group=await reload(loaders.group, group.id))


@strawberry.type
class CustomerGroupMutations:
    @strawberry.mutation(description=f"Create a customer group {TERMS_SETTERS}.")
    async def create_customer_group(
        self, info: strawberry.Info, input: CreateCustomerGroupInput
    ) -> CustomerGroupPayload:
        return await run_mutation(
            info,
            CustomerGroupPayload,
            without_clock(customer_groups.create_customer_group),
            lambda: CreateCustomerGroup(
                input.code, input.name, input.discount_percent, input.minimum_line_quantity
            ),
            _show,
        )

    @strawberry.mutation(
        description=f"Set or remove a customer group's prices for some SKUs {TERMS_SETTERS}."
    )
    async def set_customer_group_prices(
        self, info: strawberry.Info, input: SetCustomerGroupPricesInput
    ) -> CustomerGroupPayload:
        return await run_mutation(
            info,
            CustomerGroupPayload,
            without_clock(customer_groups.set_customer_group_prices),
            lambda: SetCustomerGroupPrices(
                input.group_code,
                tuple(
                    GroupPriceRequest(entry.sku, entry.price, entry.minimum_quantity)
                    for entry in input.prices
                ),
            ),
            _show,
        )

    @strawberry.mutation(
        description="Put a customer in a customer group, whose terms then price its "
        f"WHOLESALE orders, or take it out {TERMS_SETTERS}."
    )
    async def assign_customer_group(
        self, info: strawberry.Info, input: AssignCustomerGroupInput
    ) -> CustomerPayload:
        return await run_mutation(
            info,
            CustomerPayload,
            without_clock(customer_groups.assign_customer_group),
            lambda: AssignCustomerGroup(
                key_of(input.customer_id, "Customer", "customerId"), input.group_code
            ),
            show_customer,
        )

    @strawberry.mutation(
        description="Set or clear a customer group's credit limit, which holds for its "
        "customers without one of their own (ADMIN)."
    )
    async def set_customer_group_credit_limit(
        self, info: strawberry.Info, input: SetCustomerGroupCreditLimitInput
    ) -> CustomerGroupPayload:
        return await run_mutation(
            info,
            CustomerGroupPayload,
            without_clock(credit.set_customer_group_credit_limit),
            lambda: SetCustomerGroupCreditLimit(
                input.group_code, credit_limit_request(input.limit)
            ),
            _show,
        )
