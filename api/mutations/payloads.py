"""What every mutation shares: running a use case, and the payloads it returns."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from strawberry import relay

from api.errors import UserError, user_error
from api.types.catalog import Product, Variant
from api.types.customers import Customer
from api.types.inventory import StockLevel
from api.types.locations import Channel, Location
from api.types.nodes import parse_key
from api.types.orders import Order
from domain.errors import DomainError, NotFound

T = TypeVar("T")
P = TypeVar("P")
USER_ERRORS = "Why nothing changed; empty when the mutation succeeded."


async def attempt(
    payload: type[P], action: Callable[[], Awaitable[T]], show: Callable[[T], Awaitable[Any]]
) -> P:
    """Run one use case and return its payload: the result shown as the API type, or why
    it was refused.

    A refused use case changed nothing (its transaction rolled back). The result is read
    back through the request's loaders, so a payload shows exactly what a query would.
    """
    subject = next(f.name for f in dataclasses.fields(payload) if f.name != "user_errors")  # type: ignore[arg-type]
    try:
        result = await action()
    except DomainError as error:
        return payload(**{subject: None, "user_errors": [user_error(p) for p in error.parts()]})
    return payload(**{subject: await show(result), "user_errors": []})


def key_of(global_id: relay.GlobalID, type_name: str, field: str = "id") -> int:
    """The integer key behind a global id of the expected type."""
    key = parse_key(global_id.node_id) if global_id.type_name == type_name else None
    if key is None:
        raise NotFound(f"{global_id} is not the id of a {type_name}", field=field)
    return key


@strawberry.type(description="Result of a mutation on a location.")
class LocationPayload:
    location: Location | None = strawberry.field(description="The location, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="Result of a mutation on a channel.")
class ChannelPayload:
    channel: Channel | None = strawberry.field(description="The channel, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="Result of a mutation on a product.")
class ProductPayload:
    product: Product | None = strawberry.field(description="The product, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="Result of a mutation on a variant.")
class VariantPayload:
    variant: Variant | None = strawberry.field(description="The variant, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="Result of a mutation on a customer.")
class CustomerPayload:
    customer: Customer | None = strawberry.field(description="The customer, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="Result of a stock change.")
class StockLevelPayload:
    stock_level: StockLevel | None = strawberry.field(
        description="The level after the change, when it succeeded."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="Result of a mutation on an order.")
class OrderPayload:
    order: Order | None = strawberry.field(description="The order, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
