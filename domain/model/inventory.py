"""The stock ledger: levels per (variant, location), changed only by movements.

A level holds five quantities, each the sum of its movements' deltas:

    on_hand     units physically here and sellable stock (reserved ones included)
    reserved    of those, units held for orders and transfers not yet gone
    in_transit  units on their way here (a shipped transfer), not yet received
    damaged     units here that may not be sold, held until written off
    incoming    units on order from suppliers for here (a purchase order), not yet received

`available = on_hand - reserved`: damaged, in-transit and incoming units are never available.
A movement is immutable once written.

No quantity may go below zero, and reserved units may not exceed those on hand, with one
exception: a sale rung up at a store's till (a POS sale synced later) is recorded even when
the ledger shows too few units there, because the goods have physically left. Such a
movement (`may_go_negative`) changes on hand only; the level it leaves short is a warning
for the store to count its shelf, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import DomainError, InsufficientStock, InvalidInput, StaleQuantity


class MovementKind(StrEnum):
    ADJUSTMENT = "ADJUSTMENT"  # counted, received, damaged, lost, found
    RESERVATION = "RESERVATION"  # an order or a transfer holds units
    RELEASE = "RELEASE"  # a cancelled order or transfer gives units back
    SALE = "SALE"  # reserved units leave the building (shipped or picked up)
    TRANSFER_OUT = "TRANSFER_OUT"  # reserved units leave the origin of a transfer
    TRANSFER_IN_TRANSIT = "TRANSFER_IN_TRANSIT"  # ... and are on their way to its destination
    TRANSFER_RECEIVED = "TRANSFER_RECEIVED"  # units in transit arrive
    TRANSFER_LOSS = "TRANSFER_LOSS"  # units in transit that never arrived
    RETURN_RESTOCK = "RETURN_RESTOCK"  # returned goods back on the shelf
    RETURN_DAMAGED = "RETURN_DAMAGED"  # returned goods held as damaged
    WRITE_OFF = "WRITE_OFF"  # damaged units disposed of
    PURCHASE_ORDERED = "PURCHASE_ORDERED"  # units ordered from a supplier: incoming
    PURCHASE_RECEIPT = "PURCHASE_RECEIPT"  # ordered units arrive: incoming to on hand
    PURCHASE_CANCELLED = "PURCHASE_CANCELLED"  # units no longer coming: incoming released
    CONSUMPTION = "CONSUMPTION"  # used up: a work order's reserved components, a service's goods
    PRODUCTION = "PRODUCTION"  # finished goods a work order made, on hand


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
    in_transit: int = 0
    damaged: int = 0
    incoming: int = 0
    reorder_point: int = 0
    safety_stock: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def is_low(self) -> bool:
        """At or below its reorder point: time to replenish."""
        return self.available <= self.reorder_point


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
    in_transit_delta: int = 0
    damaged_delta: int = 0
    incoming_delta: int = 0
    may_go_negative: bool = False  # a counter sale: on hand may fall below zero
    keeps_safety_stock: bool = False  # a transfer's hold: available stays >= safety stock

    def __post_init__(self) -> None:
        held = (self.reserved_delta, self.in_transit_delta, self.damaged_delta, self.incoming_delta)
        if self.may_go_negative and any(held):
            raise ValueError("a movement that may go negative changes on hand only")

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
    field: str = "delta",
) -> StockMovement:
    """A manual change of on-hand units; the reason says which way it may go. DAMAGED
    units are not thrown away: they move from on hand to damaged, until written off.
    `field` is the input that gave the change, named in a refusal."""
    if delta == 0:
        raise InvalidInput("an adjustment must change the quantity", field=field)
    if reason in (AdjustmentReason.DAMAGED, AdjustmentReason.LOST) and delta > 0:
        raise InvalidInput(f"{reason} can only remove units", field=field)
    if reason in (AdjustmentReason.RECEIVED, AdjustmentReason.FOUND) and delta < 0:
        raise InvalidInput(f"{reason} can only add units", field=field)
    if expected_on_hand is not None and expected_on_hand < 0:
        raise InvalidInput("expectedOnHand cannot be negative", field="expectedOnHand")
    return StockMovement(
        variant_id=variant_id,
        location_id=location_id,
        kind=MovementKind.ADJUSTMENT,
        on_hand_delta=delta,
        reserved_delta=0,
        damaged_delta=-delta if reason is AdjustmentReason.DAMAGED else 0,
        reference="adjustment",
        actor=actor,
        occurred_at=at,
        reason=reason.value,
        note=note,
        expected_on_hand=expected_on_hand,
    )


def validate_thresholds(reorder_point: int, safety_stock: int) -> None:
    if reorder_point < 0:
        raise InvalidInput("reorderPoint cannot be negative", field="reorderPoint")
    if safety_stock < 0:
        raise InvalidInput("safetyStock cannot be negative", field="safetyStock")


def refusal(
    movement: StockMovement,
    level: StockLevel,
    sku: str,
    location: str,
    *,
    field: str | None = None,
) -> DomainError | None:
    """Why the movement may not change the level as it is, or None when it may: the rules
    the stock repository's conditional update enforces, said for a person. `field` is the
    input a shortage is about."""
    if movement.expected_on_hand is not None and level.on_hand != movement.expected_on_hand:
        return StaleQuantity(sku, location, movement.expected_on_hand, level.on_hand)
    if level.damaged + movement.damaged_delta < 0:
        return InsufficientStock(
            sku, location, level.damaged, -movement.damaged_delta, held="damaged", field=field
        )
    if level.in_transit + movement.in_transit_delta < 0:
        return InsufficientStock(
            sku,
            location,
            level.in_transit,
            -movement.in_transit_delta,
            held="in transit",
            field=field,
        )
    if level.incoming + movement.incoming_delta < 0:
        return InsufficientStock(
            sku, location, level.incoming, -movement.incoming_delta, held="incoming", field=field
        )
    on_hand = level.on_hand + movement.on_hand_delta
    reserved = level.reserved + movement.reserved_delta
    breaks = reserved < 0
    if not movement.may_go_negative:
        if movement.on_hand_delta < 0:
            breaks = breaks or on_hand < 0
        if movement.reserved_delta > movement.on_hand_delta:  # available shrinks
            breaks = breaks or reserved > on_hand
            if movement.keeps_safety_stock:
                breaks = breaks or on_hand - reserved < level.safety_stock
    return shortage(movement, level, sku, location, field=field) if breaks else None


def shortage(
    movement: StockMovement,
    level: StockLevel,
    sku: str,
    location: str,
    *,
    field: str | None = None,
) -> InsufficientStock:
    """Too few units available (above the safety stock, for a transfer's hold) for the
    movement."""
    requested = max(movement.reserved_delta, -movement.on_hand_delta)
    if movement.keeps_safety_stock and level.safety_stock:
        return InsufficientStock(
            sku,
            location,
            max(level.available - level.safety_stock, 0),
            requested,
            held=f"available above a safety stock of {level.safety_stock}",
            field=field,
        )
    return InsufficientStock(sku, location, level.available, requested, field=field)
