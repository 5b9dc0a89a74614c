"""Commands on shipments, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.model.shipments import ShipmentStatus


@dataclass(frozen=True)
class AddTrackingEvent:
    """What a carrier reported about a shipment, and when it happened."""

    shipment_id: int
    status: ShipmentStatus
    occurred_at: datetime
    description: str | None = None
