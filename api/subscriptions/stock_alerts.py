"""Low-stock alerts: a level whose available units just fell to or below its reorder point.

The stock repository marks each StockLevelChanged message that took `available` from above
the reorder point to at or below it (`crossedReorderPoint`); this follows only those. A
level that stays low does not alert again until it has risen above the point and fallen back.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.context import Context
from api.errors import RequestError
from api.permissions import CanReadStock, following
from api.subscriptions.common import (
    STOCK_EVENT,
    level_from_message,
    location_id_of,
)
from api.types.inventory import StockLevel


@strawberry.type
class StockAlertSubscriptions:
    @strawberry.subscription(
        description="The stock level, each time a movement takes its available units from "
        "above its reorder point to at or below it; optionally at one location only "
        "(staff and POS).",
        extensions=[following(CanReadStock)],
    )
    async def low_stock_alert(
        self, info: strawberry.Info, location_code: str | None = None
    ) -> AsyncGenerator[StockLevel, None]:
        context: Context = info.context
        location_id = await location_id_of(context, location_code)
        async with context.events() as queue:
            while (message := await queue.get()) is not None:
                if message["kind"] != STOCK_EVENT or not message.get("crossedReorderPoint"):
                    continue
                if location_id not in (None, message["locationId"]):
                    continue
                yield await level_from_message(context, message)
        raise RequestError("subscription fell too far behind; subscribe again")
