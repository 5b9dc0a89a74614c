"""The payloads mutations of several areas return, and how each shows its subject.

A payload carries its subject (null when refused) and `userErrors`; every field but
`userErrors` has an empty default, so `run_mutation` can build a refused one from the
errors alone. A `show_*` function reads a use case's result back through the request's
loaders (which filter by caller), so a payload shows exactly what a query would.
"""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.types.catalog import Product, Variant
from api.types.customers import Customer
from api.types.inventory import StockLevel
from api.types.locations import Channel, Location
from api.types.orders import Order
from domain.model.catalog import Product as DomainProduct
from domain.model.catalog import Variant as DomainVariant
from domain.model.customers import Customer as DomainCustomer
from domain.model.inventory import StockLevel as DomainStockLevel
from domain.model.locations import Channel as DomainChannel
from domain.model.orders import Order as DomainOrder
from persistence.reads import locations as location_reads

USER_ERRORS = "Why nothing changed; empty when the mutation succeeded."


def user_errors_field() -> list[UserError]:
    """The `userErrors` field every payload has, empty unless given."""
    return strawberry.field(description=USER_ERRORS, default_factory=list)


@strawberry.type(description="Result of a mutation on a location.")
class LocationPayload:
    location: Location | None = strawberry.field(
        default=None, description="The location, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a mutation on a channel.")
class ChannelPayload:
    channel: Channel | None = strawberry.field(
        default=None, description="The channel, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a mutation on a product.")
class ProductPayload:
    product: Product | None = strawberry.field(
        default=None, description="The product, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a mutation on a variant.")
class VariantPayload:
    variant: Variant | None = strawberry.field(
        default=None, description="The variant, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a mutation on a customer.")
class CustomerPayload:
    customer: Customer | None = strawberry.field(
        default=None, description="The customer, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a stock change.")
class StockLevelPayload:
    stock_level: StockLevel | None = strawberry.field(
        default=None, description="The level after the change, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a mutation on an order.")
class OrderPayload:
    order: Order | None = strawberry.field(
        default=None, description="The order, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


async def show_product(context: Context, product: DomainProduct) -> ProductPayload:
    return ProductPayload(product=await reload(context.loaders.product, product.id))


async def show_product_of_id(context: Context, product_id: int) -> ProductPayload:
    return ProductPayload(product=await reload(context.loaders.product, product_id))


async def show_variant(context: Context, variant: DomainVariant) -> VariantPayload:
    return await show_variant_of_id(context, variant.id)


async def show_variant_of_id(context: Context, variant_id: int | None) -> VariantPayload:
    return VariantPayload(variant=await reload(context.loaders.variant, variant_id))


async def show_customer(context: Context, customer: DomainCustomer) -> CustomerPayload:
    return CustomerPayload(customer=await reload(context.loaders.customer, customer.id))


async def show_order(context: Context, order: DomainOrder) -> OrderPayload:
    return OrderPayload(order=await reload(context.loaders.order, order.id))


async def show_level(context: Context, level: DomainStockLevel) -> StockLevelPayload:
    """A level as the API shows it, read back after a change."""
    levels = await reload(context.loaders.levels_by_variant, level.variant_id)
    shown = next(each for each in levels if each.location.id == level.location_id)
    return StockLevelPayload(stock_level=shown)


async def show_channel(context: Context, channel: DomainChannel) -> ChannelPayload:
    """A channel as the API shows it, read back after a change to its settings."""
    async with context.database.read_session() as session:
        row = (await location_reads.channels(session, [channel.code]))[0]
    return ChannelPayload(channel=Channel.from_row(row))
