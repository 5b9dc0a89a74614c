"""What each line of an order costs: list price on every channel, except WHOLESALE, where
the customer's group terms set the price and the minimum quantity of every line."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import InvalidInput
from domain.model.catalog import Variant
from domain.model.customers import Customer
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.money import Money
from domain.ports import UnitOfWork


async def unit_prices(
    uow: UnitOfWork,
    channel: ChannelCode,
    customer: Customer | None,
    variants: Sequence[Variant],
    quantities: Sequence[int],
) -> dict[str, Money]:
    """The unit price of each SKU ordered, lines in the order they were asked for.

    A web, mobile or POS order pays list price even when its customer belongs to a group.
    A WHOLESALE order needs a customer in a group, and each line must reach its minimum
    (BelowMinimumQuantity, naming `lines.N.quantity`).
    """
    if channel is not ChannelCode.WHOLESALE:
        return {variant.sku: variant.price for variant in variants}
    if customer is None:
        raise InvalidInput(
            "a WHOLESALE order needs a customer who belongs to a customer group",
            field="customerEmail",
        )
    group = (
        await uow.customer_groups.get(customer.group_id, [id_of(v) for v in variants])
        if customer.group_id is not None
        else None
    )
    if group is None:
        raise InvalidInput(
            f"customer {customer.email} belongs to no customer group, so it cannot order WHOLESALE",
            field="customerEmail",
        )
    return {
        variant.sku: group.price_line(variant, quantity, field=f"lines.{index}")
        for index, (variant, quantity) in enumerate(zip(variants, quantities, strict=True))
    }
