"""What every mutation shares: running a use case, and the payloads it returns."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from api.errors import RequestError, UserError, user_error
from api.types.catalog import Product, Variant
from api.types.customers import Customer
from api.types.inventory import StockLevel
from api.types.locations import Channel, Location
from api.types.nodes import key_behind
from api.types.orders import Order
from domain.errors import DomainError, NotFound
from persistence.uow import TransactionConflict

T = TypeVar("T")
CONFLICT_RETRY_DELAYS = (0.01, 0.05, 0.2)  # seconds; spread at random so retries do not meet
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
        result = await run_again_after_conflicts(action)
    except DomainError as error:
        return payload(**{subject: None, "user_errors": [user_error(p) for p in error.parts()]})
    return payload(**{subject: await show(result), "user_errors": []})


async def run_again_after_conflicts(action: Callable[[], Awaitable[T]]) -> T:
    """`action()`, run again (with a fresh transaction) when the database rolled it back for
    a deadlock with a concurrent request; after the last try, a CONFLICT error the client
    may send again.

    Documents are locked in one order (the document, then its stock levels), so deadlocks
    are rare; when PostgreSQL still breaks one, the request that lost should not fail.
    """
    for delay in CONFLICT_RETRY_DELAYS:
        try:
            return await action()
        except TransactionConflict:
            await asyncio.sleep(delay * random.uniform(0.5, 1.5))
    try:
        return await action()
    except TransactionConflict as error:
        raise RequestError(
            "concurrent changes to the same documents kept colliding; nothing was changed, "
            "send the request again",
            code="CONFLICT",
        ) from error


def key_of(sent: str, type_name: str, field: str = "id") -> int:
    """The integer key behind an id a client sent in a mutation's input for a `type_name`:
    INVALID_INPUT if it is no id at all, NOT_FOUND if it is another type's (`key_behind`)."""
    key = key_behind(sent, type_name, field)
    if key is None:
        article = "an" if type_name[0] in "AEIOU" else "a"
        raise NotFound(f"{field} is not the id of {article} {type_name}", field=field)
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
