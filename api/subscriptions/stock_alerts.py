"""Low-stock alerts: a level whose available units just fell to or below its reorder point.

The stock repository marks each StockLevelChanged message that took `available` from above
the reorder point to at or below it (`crossedReorderPoint`); this follows only those. A
level that stays low does not alert again until it has risen above the point and fallen back.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.context import Context
from api.errors import RequestError, forbidden
from api.subscriptions.common import Message, require_signed_in
from api.types.inventory import StockLevel
from persistence import queries

STOCK_EVENT = "StockLevelChanged"


async def _location_id(context: Context, location_code: str | None) -> int | None:
    if not location_code:
        return None
    code = location_code.strip().upper()
    async with context.database.read_session() as session:
        location = await queries.location_by_code(session, code)
    if location is None:
        raise RequestError(f"location {code} not found", code="NOT_FOUND")
    return location.id


async def _level(context: Context, message: Message) -> StockLevel:
    context.refresh_loaders()
    location = await context.loaders.location.load(message["locationId"])
    return StockLevel.of(
        message["levelId"],
        message["variantId"],
        location,
        on_hand=message["onHand"],
        reserved=message["reserved"],
        in_transit=message["inTransit"],
        damaged=message["damaged"],
        reorder_point=message["reorderPoint"],
        safety_stock=message["safetyStock"],
    )


@strawberry.type
class StockAlertSubscriptions:
    @strawberry.subscription(
        description="The stock level, each time a movement takes its available units from "
        "above its reorder point to at or below it; optionally at one location only "
        "(staff and POS)."
    )
    async def low_stock_alert(
        self, info: strawberry.Info, location_code: str | None = None
    ) -> AsyncGenerator[StockLevel, None]:
        context: Context = info.context
        require_signed_in(context)
        if not context.principal.may_read_stock():
            raise forbidden("only staff and POS terminals may follow stock")
        location_id = await _location_id(context, location_code)
        async with context.hub.subscription() as queue:
            while (message := await queue.get()) is not None:
                if message["kind"] != STOCK_EVENT or not message.get("crossedReorderPoint"):
                    continue
                if location_id not in (None, message["locationId"]):
                    continue
                yield await _level(context, message)
        raise RequestError("subscription fell too far behind; subscribe again")
