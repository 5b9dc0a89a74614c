"""Subscriptions on shipments: a parcel's tracking, live, for whoever may see its order."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

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
from api.types.shipments import Shipment
from domain.model.shipments import ShipmentStatus

SHIPMENT_EVENT = "ShipmentStatusChanged"


@strawberry.type(description="A carrier reported a shipment's progress.")
class ShipmentStatusEvent:
    shipment_id: strawberry.Private[int]
    event_id: str = strawberry.field(
        description="Unique id of the event; the same if it is delivered again, so "
        "duplicates can be dropped."
    )
    sequence: int = strawberry.field(
        description="Position of this report among the shipment's tracking events (1, 2, 3…)."
    )
    previous_status: ShipmentStatus | None = strawberry.field(
        description="The shipment's status before the report."
    )
    status: ShipmentStatus = strawberry.field(
        description="Its status after the report (unchanged for a report that came late)."
    )
    occurred_at: datetime = strawberry.field(
        description="When the report was recorded (UTC); the shipment's trackingEvents say "
        "when each thing happened."
    )
    actor: str = strawberry.field(description="Who recorded the report.")

    @classmethod
    def from_message(cls, message: Message) -> ShipmentStatusEvent:
        previous = message["previousStatus"]
        return cls(
            shipment_id=message["documentId"],
            event_id=message["eventId"],
            sequence=message["sequence"],
            previous_status=ShipmentStatus(previous) if previous else None,
            status=ShipmentStatus(message["status"]),
            occurred_at=datetime.fromisoformat(message["occurredAt"]),
            actor=message["actor"],
        )

    @strawberry.field(description="The shipment as it is now, with its tracking events.")
    async def shipment(self, info: strawberry.Info) -> Shipment | None:
        return await info.context.loaders.shipments.by_id.load(self.shipment_id)


@strawberry.type
class ShipmentSubscriptions:
    @strawberry.subscription(
        description="Tracking reports of one shipment (shipmentId), or of every shipment the "
        "caller may see: a CUSTOMER those of its own orders, STAFF those of orders at its "
        "locations, ADMIN all.",
        extensions=[following(IsSignedIn)],
    )
    async def shipment_status_changed(
        self, info: strawberry.Info, shipment_id: relay.GlobalID | None = None
    ) -> AsyncGenerator[ShipmentStatusEvent, None]:
        context: Context = info.context
        key = None
        if shipment_id is not None:
            key = await followed_key(shipment_id, "Shipment", context.loaders.shipments.by_id.load)
        may_see = visible_to(context)

        def wanted(message: Message) -> bool:
            return key in (None, message["documentId"]) and may_see(message)

        async for message in document_events(context, SHIPMENT_EVENT, wanted):
            yield ShipmentStatusEvent.from_message(message)
