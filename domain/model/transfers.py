"""Transfers: stock sent from one location to another, and a state machine.

    DRAFT ──► REQUESTED ──► IN_TRANSIT ──► RECEIVED              (every unit arrived)
      │           │                  └───► PARTIALLY_RECEIVED    (some were lost on the way)
      └───────────┴──► CANCELLED                                 (reservations released)

What each step does to stock (origin → destination):

    request   origin       RESERVATION          reserved +q
    ship      origin       TRANSFER_OUT         on_hand -q, reserved -q
              destination  TRANSFER_IN_TRANSIT  in_transit +q
    receive   destination  TRANSFER_RECEIVED    in_transit -r, on_hand +r
              destination  TRANSFER_LOSS        in_transit -(q - r)
    cancel    origin       RELEASE              reserved -q          (from REQUESTED)

Every transition, and only a transition allowed here, appends to the transfer's history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from domain.access import Principal, Role
from domain.errors import InsufficientStock, InvalidInput
from domain.model.document_lines import arrived_units, check_lines
from domain.model.inventory import MovementKind, StockLevel, StockMovement
from domain.model.lifecycle import StatusChange, Tracked

MAX_LINES = 100


class TransferStatus(StrEnum):
    DRAFT = "DRAFT"
    REQUESTED = "REQUESTED"
    IN_TRANSIT = "IN_TRANSIT"
    RECEIVED = "RECEIVED"
    PARTIALLY_RECEIVED = "PARTIALLY_RECEIVED"
    CANCELLED = "CANCELLED"


S = TransferStatus
OUT, IN_TRANSIT = MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN_TRANSIT
RECEIVED, LOSS = MovementKind.TRANSFER_RECEIVED, MovementKind.TRANSFER_LOSS
TRANSITIONS: dict[TransferStatus, frozenset[TransferStatus]] = {
    S.DRAFT: frozenset({S.REQUESTED, S.CANCELLED}),
    S.REQUESTED: frozenset({S.IN_TRANSIT, S.CANCELLED}),
    S.IN_TRANSIT: frozenset({S.RECEIVED, S.PARTIALLY_RECEIVED}),
}


@dataclass
class TransferLine:
    variant_id: int
    sku: str
    quantity: int
    received: int = 0
    lost: int = 0
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ReceivedLine:
    """Units of one SKU that arrived at the destination."""

    sku: str
    quantity: int


@dataclass
class Transfer(Tracked[TransferStatus]):
    from_location_id: int
    from_location_code: str
    to_location_id: int
    to_location_code: str
    lines: list[TransferLine]
    created_at: datetime
    status: TransferStatus = TransferStatus.DRAFT
    history: list[StatusChange] = field(default_factory=list)
    carrier: str | None = None
    tracking_number: str | None = None
    number: str | None = None
    id: int | None = None

    @property
    def location_codes(self) -> tuple[str, str]:
        return (self.from_location_code, self.to_location_code)

    @property
    def reference(self) -> str:
        return f"transfer:{self.id}"

    # -- the state machine -----------------------------------------------------------
    def allowed_transitions(self) -> Mapping[TransferStatus, frozenset[TransferStatus]]:
        return TRANSITIONS

    @property
    def label(self) -> str:
        return f"transfer {self.number or self.id}"

    def request(
        self,
        levels: Mapping[tuple[int, int], StockLevel],
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> list[StockMovement]:
        """Hold every unit at the origin, or none: each line needs that many available
        units above the origin's safety stock (`levels` by (variant id, location id))."""
        self.require_transition(TransferStatus.REQUESTED)
        for line in self.lines:
            level = levels.get((line.variant_id, self.from_location_id))
            safety = level.safety_stock if level else 0
            free = level.available - safety if level else 0
            if free < line.quantity:
                raise InsufficientStock(
                    line.sku,
                    self.from_location_code,
                    max(free, 0),
                    line.quantity,
                    held=f"available above a safety stock of {safety}" if safety else "available",
                )
        self.transition(TransferStatus.REQUESTED, actor, at, note)
        move = self._mover(actor, at)
        return [
            replace(
                move(line, self.from_location_id, MovementKind.RESERVATION, reserved=line.quantity),
                keeps_safety_stock=True,  # checked again by the level update itself
            )
            for line in self.lines
        ]

    def ship(
        self,
        carrier: str,
        tracking_number: str,
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> list[StockMovement]:
        """The reserved units leave the origin and are on their way to the destination."""
        self.require_transition(TransferStatus.IN_TRANSIT)
        if not carrier.strip() or not tracking_number.strip():
            raise InvalidInput("a shipment needs a carrier and a tracking number", field="carrier")
        self.transition(TransferStatus.IN_TRANSIT, actor, at, note)
        self.carrier, self.tracking_number = carrier.strip(), tracking_number.strip()
        move, origin, destination = (
            self._mover(actor, at),
            self.from_location_id,
            self.to_location_id,
        )
        movements = []
        for line in self.lines:
            q = line.quantity
            movements.append(move(line, origin, OUT, on_hand=-q, reserved=-q))
            movements.append(move(line, destination, IN_TRANSIT, in_transit=q))
        return movements

    def receive(
        self, received: Iterable[ReceivedLine], actor: str, at: datetime, note: str | None = None
    ) -> list[StockMovement]:
        """Units that arrived go on hand at the destination; a line missing from `received`
        arrived with none. What did not arrive is written off as lost in transit."""
        self.require_transition(TransferStatus.RECEIVED)
        arrived = self._arrived(received)
        everything = all(arrived.get(line.sku, 0) == line.quantity for line in self.lines)
        target = TransferStatus.RECEIVED if everything else TransferStatus.PARTIALLY_RECEIVED
        self.transition(target, actor, at, note)
        move, destination = self._mover(actor, at), self.to_location_id
        movements = []
        for line in self.lines:
            line.received = arrived.get(line.sku, 0)
            line.lost = line.quantity - line.received
            if line.received:
                r = line.received
                movements.append(move(line, destination, RECEIVED, on_hand=r, in_transit=-r))
            if line.lost:
                movements.append(
                    move(line, destination, LOSS, in_transit=-line.lost, note="lost in transit")
                )
        return movements

    def cancel(self, actor: str, at: datetime, note: str | None = None) -> list[StockMovement]:
        """Cancel before it leaves, giving back what a request reserved."""
        was_requested = self.status is TransferStatus.REQUESTED
        self.transition(TransferStatus.CANCELLED, actor, at, note)
        if not was_requested:
            return []
        move = self._mover(actor, at)
        return [
            move(line, self.from_location_id, MovementKind.RELEASE, reserved=-line.quantity)
            for line in self.lines
        ]

    # -- helpers -----------------------------------------------------------------------
    def _arrived(self, received: Iterable[ReceivedLine]) -> dict[str, int]:
        shipped = {line.sku: line.quantity for line in self.lines}
        return arrived_units(received, shipped, label=self.label, expected_as="shipped")

    def _mover(self, actor: str, at: datetime) -> Callable[..., StockMovement]:
        """A maker of this transfer's movements by one actor at one moment."""

        def move(
            line: TransferLine,
            location_id: int,
            kind: MovementKind,
            *,
            on_hand: int = 0,
            reserved: int = 0,
            in_transit: int = 0,
            note: str | None = None,
        ) -> StockMovement:
            return StockMovement(
                variant_id=line.variant_id,
                location_id=location_id,
                kind=kind,
                on_hand_delta=on_hand,
                reserved_delta=reserved,
                in_transit_delta=in_transit,
                reference=self.reference,
                actor=actor,
                occurred_at=at,
                note=note,
            )

        return move


def validate_lines(lines: Iterable[tuple[str, int]]) -> None:
    """At least one line, at most MAX_LINES, positive quantities, each SKU once."""
    check_lines(lines, document="a transfer", max_lines=MAX_LINES)


# -- who may do what -------------------------------------------------------------------


def may_see(principal: Principal, location_codes: Iterable[str]) -> bool:
    """ADMIN sees every transfer; STAFF and POS those whose origin or destination they work
    at; customers and anonymous callers none."""
    if principal.role not in (Role.ADMIN, Role.STAFF, Role.POS):
        return False
    return any(principal.works_at(code) for code in location_codes)


def require_operator(principal: Principal, action: str) -> None:
    principal.require(principal.role in (Role.ADMIN, Role.STAFF, Role.POS), action)
