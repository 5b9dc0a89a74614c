"""Subscriptions on transfers: their status changes, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Context
from api.permissions import CanReadStock, following
from api.subscriptions.common import (
    Message,
    document_events,
    followed_key,
    visible_to,
)
from api.types.transfers import Transfer
from domain.model.transfers import TransferStatus

TRANSFER_EVENT = "TransferStatusChanged"


@strawberry.type(description="A transfer moved to a new status.")
class TransferStatusEvent:
    transfer_id: strawberry.Private[int]
    event_id: str = strawberry.field(
        description="Unique id of the event; the same if it is delivered again, so "
        "duplicates can be dropped."
    )
    sequence: int = strawberry.field(
        description="Position of this change in the transfer's history (1, 2, 3…)."
    )
    previous_status: TransferStatus | None = strawberry.field(description="Null at creation.")
    status: TransferStatus = strawberry.field(description="The new status.")
    occurred_at: datetime = strawberry.field(description="When it changed (UTC).")
    actor: str = strawberry.field(description="Who changed it.")

    @classmethod
    def from_message(cls, message: Message) -> TransferStatusEvent:
        previous = message["previousStatus"]
        return cls(
            transfer_id=message["documentId"],
            event_id=message["eventId"],
            sequence=message["sequence"],
            previous_status=TransferStatus(previous) if previous else None,
            status=TransferStatus(message["status"]),
            occurred_at=datetime.fromisoformat(message["occurredAt"]),
            actor=message["actor"],
        )

    @strawberry.field(description="The transfer as it is now, resolvable like a query.")
    async def transfer(self, info: strawberry.Info) -> Transfer | None:
        return await info.context.loaders.transfers.transfer.load(self.transfer_id)


@strawberry.type
class TransferSubscriptions:
    @strawberry.subscription(
        description="Status changes of one transfer (transferId), or of every transfer the "
        "caller may see: ADMIN all, STAFF and POS those from or to where they work.",
        extensions=[following(CanReadStock)],
    )
    async def transfer_status_changed(
        self, info: strawberry.Info, transfer_id: relay.GlobalID | None = None
    ) -> AsyncGenerator[TransferStatusEvent, None]:
        context: Context = info.context
        key = None
        if transfer_id is not None:
            key = await followed_key(
                transfer_id, "Transfer", context.loaders.transfers.transfer.load
            )
        may_see = visible_to(context)

        def wanted(message: Message) -> bool:
            return key in (None, message["documentId"]) and may_see(message)

        async for message in document_events(context, TRANSFER_EVENT, wanted):
            yield TransferStatusEvent.from_message(message)
