"""Return status changes, live: of one return, or of every return the caller may see."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.context import Context
from api.permissions import IsSignedIn, following
from api.subscriptions.common import (
    Message,
    document_events,
    followed_key,
    visible_to,
)
from api.types.returns import Return
from domain.model.returns import ReturnStatus

RETURN_EVENT = "ReturnStatusChanged"


@strawberry.type(description="A return moved to a new status.")
class ReturnStatusEvent:
    return_id: strawberry.Private[int]
    event_id: str = strawberry.field(
        description="Unique id of the event; the same on replay, so duplicates can be dropped."
    )
    sequence: int = strawberry.field(
        description="Position of this change in the return's history (1, 2, 3…)."
    )
    previous_status: ReturnStatus | None = strawberry.field(description="Null when requested.")
    status: ReturnStatus = strawberry.field(description="The new status.")
    occurred_at: datetime = strawberry.field(description="When it changed (UTC).")
    actor: str = strawberry.field(description="Who changed it.")

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> ReturnStatusEvent:
        previous = message["previousStatus"]
        return cls(
            return_id=message["documentId"],
            event_id=message["eventId"],
            sequence=message["sequence"],
            previous_status=ReturnStatus(previous) if previous else None,
            status=ReturnStatus(message["status"]),
            occurred_at=datetime.fromisoformat(message["occurredAt"]),
            actor=message["actor"],
        )

    @strawberry.field(
        name="return", description="The return as it is now, resolvable like a query."
    )
    async def return_(self, info: strawberry.Info) -> Return | None:
        return await info.context.loaders.returns.by_id.load(self.return_id)


@strawberry.type
class ReturnSubscriptions:
    @strawberry.subscription(
        description="Status changes of one return (returnId), or of every return the caller "
        "may see (a customer: its own).",
        extensions=[following(IsSignedIn)],
    )
    async def return_status_changed(
        self, info: strawberry.Info, return_id: relay.GlobalID | None = None
    ) -> AsyncGenerator[ReturnStatusEvent, None]:
        context: Context = info.context
        key = None
        if return_id is not None:
            key = await followed_key(return_id, "Return", context.loaders.returns.by_id.load)
        visible = visible_to(context)

        def wanted(message: Message) -> bool:
            return key in (None, message["documentId"]) and visible(message)

        async for message in document_events(context, RETURN_EVENT, wanted):
            yield ReturnStatusEvent.from_message(message)
