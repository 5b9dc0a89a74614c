"""Shipments: parcels handed to a carrier, and what the carrier reports about them.

    SHIPPED ──► IN_TRANSIT ──► DELIVERED  (final; SHIPPED may also go straight there)
       │          ▲    │         ▲
       │          │    ▼         │
       └──────► EXCEPTION ───────┘         (IN_TRANSIT and EXCEPTION may repeat)

A shipment is SHIPPED when it is created (`shipOrder`). Each tracking event the carrier
sends is appended to the shipment's tracking history, and moves its status along the table
below: IN_TRANSIT and EXCEPTION may repeat (one event per scan), an EXCEPTION (a failed
delivery, a parcel held at customs) may go back to IN_TRANSIT or on to DELIVERED, and
DELIVERED is final.

Carriers send events out of order. An event that happened before the latest one recorded
describes the past: it is kept in the history (so the timeline is complete) but leaves the
status alone, and is therefore never refused as a transition. An event identical to one
already recorded (same status, time and description) is a retry and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidInput, InvalidTransition

MAX_DESCRIPTION = 500
# How far in the future a carrier's clock may be before its event is refused.
CLOCK_SKEW = timedelta(minutes=5)


class ShipmentStatus(StrEnum):
    SHIPPED = "SHIPPED"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    EXCEPTION = "EXCEPTION"


S = ShipmentStatus
TRANSITIONS: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    S.SHIPPED: frozenset({S.IN_TRANSIT, S.EXCEPTION, S.DELIVERED}),
    S.IN_TRANSIT: frozenset({S.IN_TRANSIT, S.EXCEPTION, S.DELIVERED}),
    S.EXCEPTION: frozenset({S.EXCEPTION, S.IN_TRANSIT, S.DELIVERED}),
}


def can_transition(current: ShipmentStatus, target: ShipmentStatus) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


@dataclass(frozen=True, slots=True)
class ShipmentLine:
    sku: str
    location_code: str
    quantity: int


@dataclass(slots=True)
class TrackingEvent:
    """What the carrier reported (`occurred_at`), and when and by whom it was recorded."""

    status: ShipmentStatus
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    description: str | None = None
    id: int | None = None

    def repeats(self, other: TrackingEvent) -> bool:
        return (self.status, self.occurred_at, self.description) == (
            other.status,
            other.occurred_at,
            other.description,
        )


@dataclass
class Shipment:
    carrier: str
    tracking_number: str
    lines: list[ShipmentLine]
    shipped_at: datetime
    status: ShipmentStatus = ShipmentStatus.SHIPPED
    tracking: list[TrackingEvent] = field(default_factory=list)
    id: int | None = None

    @property
    def label(self) -> str:
        return f"shipment {self.carrier} {self.tracking_number}"

    @property
    def location_codes(self) -> set[str]:
        """Where its units left from."""
        return {line.location_code for line in self.lines}

    @property
    def delivered(self) -> bool:
        return self.status is ShipmentStatus.DELIVERED

    @property
    def latest_occurred_at(self) -> datetime | None:
        return max((event.occurred_at for event in self.tracking), default=None)

    def timeline(self) -> list[tuple[TrackingEvent, ShipmentStatus, ShipmentStatus]]:
        """Each recorded event, in the order recorded, with the status before and after it."""
        status, latest, steps = ShipmentStatus.SHIPPED, None, []
        for event in self.tracking:
            before = status
            if _in_order(event, latest):
                status, latest = event.status, event.occurred_at
            steps.append((event, before, status))
        return steps

    def track(
        self,
        status: ShipmentStatus,
        occurred_at: datetime,
        description: str | None,
        actor: str,
        now: datetime,
    ) -> TrackingEvent | None:
        """Record a carrier's event; returns it, or None when it repeats one recorded."""
        event = TrackingEvent(
            status=status,
            occurred_at=_validated_time(occurred_at, now),
            recorded_at=now,
            actor=actor,
            description=_validated_description(description),
        )
        if any(event.repeats(recorded) for recorded in self.tracking):
            return None
        if _in_order(event, self.latest_occurred_at):
            if not can_transition(self.status, status):
                raise InvalidTransition(self.label, self.status, status)
            self.status = status
        self.tracking.append(event)
        return event


def _in_order(event: TrackingEvent, latest: datetime | None) -> bool:
    """Whether an event is news (not earlier than the latest recorded), and so moves the status."""
    return latest is None or event.occurred_at >= latest


def _validated_time(occurred_at: datetime, now: datetime) -> datetime:
    if occurred_at.tzinfo is None:
        raise InvalidInput(
            "occurredAt needs a time zone, e.g. 2026-11-25T14:30:00Z", field="occurredAt"
        )
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput(
            f"occurredAt {occurred_at.astimezone(UTC).isoformat()} is in the future",
            field="occurredAt",
        )
    return occurred_at.astimezone(UTC)


def _validated_description(description: str | None) -> str | None:
    text = (description or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"a description has at most {MAX_DESCRIPTION} characters", field="description"
        )
    return text or None
