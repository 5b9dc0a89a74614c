"""What every subscription shares: following events from the hub, and the documents they
are about. Who may subscribe is declared on each field (api/permissions.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from strawberry import relay

from api.context import Context
from api.errors import RequestError
from api.types.inventory import StockLevel
from api.types.locations import location_named
from api.types.nodes import parse_key

Message = dict[str, Any]


async def document_events(
    context: Context, kind: str, wanted: Callable[[Message], bool]
) -> AsyncIterator[Message]:
    """Messages of one kind (e.g. TransferStatusChanged) that `wanted` accepts, once each:
    a document's change already delivered (same documentId and sequence) is dropped. The
    request's loaders are fresh for every message."""
    delivered: dict[int, int] = {}
    async with context.events() as queue:
        while (message := await queue.get()) is not None:
            if message["kind"] != kind or not wanted(message):
                continue
            document_id, sequence = message["documentId"], message["sequence"]
            if delivered.get(document_id, 0) >= sequence:
                continue
            delivered[document_id] = sequence
            context.refresh_loaders()
            yield message
    raise RequestError("subscription fell too far behind; subscribe again")


async def followed_key(
    global_id: relay.GlobalID, type_name: str, load: Callable[[int], Awaitable[object | None]]
) -> int:
    """The integer key of the one document a subscription follows; NOT_FOUND when the id is
    not a `type_name`, or `load` (which returns None for what the caller may not see)
    finds nothing."""
    key = parse_key(global_id.node_id)
    if global_id.type_name != type_name or key is None or await load(key) is None:
        raise RequestError(f"{type_name.lower()} {global_id} not found", code="NOT_FOUND")
    return key


class OrderEvent(Protocol):
    """What a resumable order subscription yields: one numbered event of one order."""

    @property
    def sequence(self) -> int: ...


E = TypeVar("E", bound=OrderEvent)


async def resumable_order_events(
    context: Context,
    kind: str,
    order_id: relay.GlobalID | None,
    after_sequence: int | None,
    *,
    events_after: Callable[[int, int], Awaitable[list[E]]],
    from_message: Callable[[Message], E],
) -> AsyncIterator[E]:
    """Numbered events of one order (`order_id`) or of every order the caller may see.

    Joins the hub first, then, with `after_sequence`, replays what came after it from the
    database (`events_after(order_id, sequence)`), so nothing that commits in between is
    missed; then goes on live. Sequence numbers drop what arrives twice, and a gap (a
    message lost on the way) is filled from the database. Loaders are fresh per event.
    """
    if after_sequence is not None and order_id is None:
        raise RequestError("afterSequence needs an orderId")
    order_key = None
    if order_id is not None:
        order_key = await followed_key(order_id, "Order", context.loaders.order.load)
    last_sequence: dict[int, int] = {}
    async with context.events() as queue:
        if order_key is not None and after_sequence is not None:
            last_sequence[order_key] = after_sequence
            for event in await events_after(order_key, after_sequence):
                last_sequence[order_key] = event.sequence
                context.refresh_loaders()
                yield event
        while (message := await queue.get()) is not None:
            if message["kind"] != kind or order_key not in (None, message["orderId"]):
                continue
            if order_key is None and not context.principal.may_see_order(
                message["locationCodes"], message["customerEmail"]
            ):
                continue
            key, sequence = message["orderId"], message["sequence"]
            seen = last_sequence.get(key)
            if seen is not None and sequence <= seen:
                continue  # a duplicate, or already replayed
            if seen is not None and sequence > seen + 1:
                events = await events_after(key, seen)  # fill a gap
            else:
                events = [from_message(message)]
            for event in events:
                last_sequence[key] = event.sequence
                context.refresh_loaders()
                yield event
    raise RequestError("subscription fell too far behind; resubscribe with afterSequence")


def visible_to(context: Context) -> Callable[[Message], bool]:
    """Whether the caller may see the document a message is about (its locations, or its
    customer), by the same rule as orders."""
    principal = context.principal
    return lambda message: principal.may_see_order(
        message["locationCodes"], message.get("customerEmail")
    )


STOCK_EVENT = "StockLevelChanged"


async def location_id_of(context: Context, location_code: str | None) -> int | None:
    """The id of the location a stock subscription narrows to; None for every location."""
    if not location_code:
        return None
    async with context.database.read_session() as session:
        return (await location_named(session, location_code)).id


async def level_from_message(context: Context, message: Message) -> StockLevel:
    """The StockLevel a StockLevelChanged message describes, with fresh loaders."""
    context.refresh_loaders()
    location = await context.loaders.location.load(message["locationId"])
    if location is None:  # locations are never deleted, so a level's is always there
        raise LookupError(f"a stock event names location {message['locationId']}, not found")
    return StockLevel.of(
        message["levelId"],
        message["variantId"],
        location,
        on_hand=message["onHand"],
        reserved=message["reserved"],
        in_transit=message["inTransit"],
        damaged=message["damaged"],
        # Events stored before levels had `incoming` may still wait in the outbox.
        incoming=message.get("incoming", 0),
        reorder_point=message["reorderPoint"],
        safety_stock=message["safetyStock"],
        # Events stored before levels had `updatedAt`: the time of the change is close.
        updated_at=datetime.fromisoformat(message.get("updatedAt") or message["occurredAt"]),
    )
