"""The stock ledger: levels per (variant, location), changed only by movements.

A level is a projection of its movements: `on_hand` and `reserved` always equal the sums
of the movements' deltas. A movement is immutable once written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInput


class MovementKind(StrEnum):
    ADJUSTMENT = "ADJUSTMENT"  # counted, received, damaged, lost, found
    RESERVATION = "RESERVATION"  # an order holds units
    RELEASE = "RELEASE"  # a cancelled order gives units back
    SALE = "SALE"  # reserved units leave the building (shipped or picked up)


class AdjustmentReason(StrEnum):
    RECEIVED = "RECEIVED"
    DAMAGED = "DAMAGED"
    LOST = "LOST"
    FOUND = "FOUND"
    CORRECTION = "CORRECTION"


@dataclass(frozen=True, slots=True)
class StockLevel:
    variant_id: int
    location_id: int
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True, slots=True)
class StockMovement:
    """One change to one level. `expected_on_hand` makes it a compare-and-set."""

    variant_id: int
    location_id: int
    kind: MovementKind
    on_hand_delta: int
    reserved_delta: int
    reference: str
    actor: str
    occurred_at: datetime
    reason: str | None = None
    note: str | None = None
    expected_on_hand: int | None = None

    @property
    def level_key(self) -> tuple[int, int]:
        """Levels are always locked in this order, so concurrent writers cannot deadlock."""
        return (self.variant_id, self.location_id)


def adjustment(
    *,
    variant_id: int,
    location_id: int,
    delta: int,
    reason: AdjustmentReason,
    actor: str,
    at: datetime,
    note: str | None = None,
    expected_on_hand: int | None = None,
) -> StockMovement:
    """A manual change of on-hand units; the reason says which way it may go."""
    if delta == 0:
        raise InvalidInput("an adjustment must change the quantity", field="delta")
    if reason in (AdjustmentReason.DAMAGED, AdjustmentReason.LOST) and delta > 0:
        raise InvalidInput(f"{reason} can only remove units", field="delta")
    if reason in (AdjustmentReason.RECEIVED, AdjustmentReason.FOUND) and delta < 0:
        raise InvalidInput(f"{reason} can only add units", field="delta")
    if expected_on_hand is not None and expected_on_hand < 0:
        raise InvalidInput("expectedOnHand cannot be negative", field="expectedOnHand")
    return StockMovement(
        variant_id=variant_id,
        location_id=location_id,
        kind=MovementKind.ADJUSTMENT,
        on_hand_delta=delta,
        reserved_delta=0,
        reference="adjustment",
        actor=actor,
        occurred_at=at,
        reason=reason.value,
        note=note,
        expected_on_hand=expected_on_hand,
    )
