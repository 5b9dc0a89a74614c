"""Purchase orders: goods bought from a supplier for one location, and a state machine.

    DRAFT ──► ORDERED ──► RECEIVED                          (every unit arrived)
      │          │   └──► PARTIALLY_RECEIVED ──► RECEIVED
      │          │          │     └──► PARTIALLY_RECEIVED   (another receipt, still short)
      └──────────┴──────────┴──► CANCELLED                  (what did not arrive never will)

What each step does to stock at the destination:

    submit    PURCHASE_ORDERED    incoming +q                   per line
    receive   PURCHASE_RECEIPT    on_hand +r, incoming -r       per line received
    cancel    PURCHASE_CANCELLED  incoming -(q - received)      per line still outstanding

A line may be received over several receipts, never beyond what is outstanding (ordered
less received). Every transition, and only one allowed here, appends to the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from domain.access import Principal, Role
from domain.errors import InvalidInput, InvalidTransition
from domain.model.document_lines import arrived_units, check_lines
from domain.model.inventory import MovementKind, StockMovement
from domain.model.lifecycle import StatusChange, Tracked
from domain.money import Money

MAX_LINES = 100
MAX_QUANTITY = 1_000_000
EXPECTED_HORIZON = timedelta(days=5 * 365)


class PurchaseOrderStatus(StrEnum):
    DRAFT = "DRAFT"
    ORDERED = "ORDERED"
    PARTIALLY_RECEIVED = "PARTIALLY_RECEIVED"
    RECEIVED = "RECEIVED"
    CANCELLED = "CANCELLED"


S = PurchaseOrderStatus
TRANSITIONS: dict[PurchaseOrderStatus, frozenset[PurchaseOrderStatus]] = {
    S.DRAFT: frozenset({S.ORDERED, S.CANCELLED}),
    S.ORDERED: frozenset({S.PARTIALLY_RECEIVED, S.RECEIVED, S.CANCELLED}),
    S.PARTIALLY_RECEIVED: frozenset({S.PARTIALLY_RECEIVED, S.RECEIVED, S.CANCELLED}),
}
RECEIVABLE = frozenset({S.ORDERED, S.PARTIALLY_RECEIVED})


@dataclass
class PurchaseOrderLine:
    variant_id: int
    sku: str
    quantity: int
    unit_cost: Money
    received: int = 0
    id: int | None = None

    @property
    def outstanding(self) -> int:
        """Units ordered and not received yet."""
        return self.quantity - self.received


@dataclass(frozen=True, slots=True)
class ReceivedUnits:
    """Units of one SKU that arrived in one receipt."""

    sku: str
    quantity: int


@dataclass
class PurchaseOrder(Tracked[PurchaseOrderStatus]):
    supplier_id: int
    supplier_code: str
    location_id: int
    location_code: str
    currency: str
    lines: list[PurchaseOrderLine]
    created_at: datetime
    expected_at: datetime | None = None
    status: PurchaseOrderStatus = PurchaseOrderStatus.DRAFT
    history: list[StatusChange] = field(default_factory=list)
    number: str | None = None
    id: int | None = None

    @property
    def reference(self) -> str:
        return f"purchase_order:{self.id}"

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.unit_cost.times(line.quantity)
        return total

    # -- the state machine -----------------------------------------------------------
    def allowed_transitions(
        self,
    ) -> Mapping[PurchaseOrderStatus, frozenset[PurchaseOrderStatus]]:
        return TRANSITIONS

    @property
    def label(self) -> str:
        return f"purchase order {self.number or self.id}"

    def submit(self, actor: str, at: datetime, note: str | None = None) -> list[StockMovement]:
        """DRAFT → ORDERED: every unit ordered is incoming at the destination."""
        self.transition(PurchaseOrderStatus.ORDERED, actor, at, note)
        return [
            self._movement(line, MovementKind.PURCHASE_ORDERED, actor, at, incoming=line.quantity)
            for line in self.lines
        ]

    def receive(
        self, received: Iterable[ReceivedUnits], actor: str, at: datetime, note: str | None = None
    ) -> list[StockMovement]:
        """Units that arrived go on hand and stop being incoming; the order is RECEIVED
        once nothing is outstanding, else PARTIALLY_RECEIVED. A line left out of
        `received` got nothing this time."""
        if self.status not in RECEIVABLE:
            raise InvalidTransition(self.label, self.status, PurchaseOrderStatus.RECEIVED)
        arrived = self._arrived(received)
        for line in self.lines:
            line.received += arrived.get(line.sku, 0)
        done = all(line.outstanding == 0 for line in self.lines)
        target = PurchaseOrderStatus.RECEIVED if done else PurchaseOrderStatus.PARTIALLY_RECEIVED
        self.transition(target, actor, at, note)
        return [
            self._movement(
                line, MovementKind.PURCHASE_RECEIPT, actor, at, on_hand=units, incoming=-units
            )
            for line in self.lines
            if (units := arrived.get(line.sku, 0))
        ]

    def cancel(self, actor: str, at: datetime, note: str | None = None) -> list[StockMovement]:
        """Whatever has not arrived will not: it stops being incoming."""
        was_ordered = self.status in RECEIVABLE
        self.transition(PurchaseOrderStatus.CANCELLED, actor, at, note)
        if not was_ordered:
            return []
        return [
            self._movement(
                line, MovementKind.PURCHASE_CANCELLED, actor, at, incoming=-line.outstanding
            )
            for line in self.lines
            if line.outstanding
        ]

    # -- helpers -----------------------------------------------------------------------
    def _arrived(self, received: Iterable[ReceivedUnits]) -> dict[str, int]:
        arrived = arrived_units(
            received,
            {line.sku: line.outstanding for line in self.lines},
            label=self.label,
            expected_as=f"outstanding on {self.label}",
        )
        if not any(arrived.values()):
            raise InvalidInput("a receipt needs at least one unit", field="lines")
        return arrived

    def _movement(
        self,
        line: PurchaseOrderLine,
        kind: MovementKind,
        actor: str,
        at: datetime,
        *,
        on_hand: int = 0,
        incoming: int = 0,
    ) -> StockMovement:
        return StockMovement(
            variant_id=line.variant_id,
            location_id=self.location_id,
            kind=kind,
            on_hand_delta=on_hand,
            reserved_delta=0,
            incoming_delta=incoming,
            reference=self.reference,
            actor=actor,
            occurred_at=at,
        )


def expected_arrival(expected_at: datetime | None, lead_time_days: int, now: datetime) -> datetime:
    """When the goods should arrive: as given (with a UTC offset, within a year before and
    EXPECTED_HORIZON after now), or else now plus the supplier's lead time."""
    if expected_at is None:
        return now + timedelta(days=lead_time_days)
    if expected_at.tzinfo is None or expected_at.utcoffset() is None:
        raise InvalidInput(
            "expectedAt needs a UTC offset, e.g. 2026-12-01T10:00:00Z", field="expectedAt"
        )
    if not now - timedelta(days=365) <= expected_at <= now + EXPECTED_HORIZON:
        raise InvalidInput(
            f"expectedAt is at most a year ago and {EXPECTED_HORIZON.days} days ahead",
            field="expectedAt",
        )
    return expected_at.astimezone(UTC)


def validate_lines(lines: Iterable[tuple[str, int]]) -> None:
    """At least one line, at most MAX_LINES, quantities 1 to MAX_QUANTITY, each SKU once."""
    check_lines(lines, document="a purchase order", max_lines=MAX_LINES, max_quantity=MAX_QUANTITY)


# -- who may do what -------------------------------------------------------------------


def may_see(principal: Principal, location_code: str) -> bool:
    """ADMIN sees every purchase order; STAFF those for locations they work at (an unbound
    clerk: all); POS terminals, customers and anonymous callers none."""
    if principal.role not in (Role.ADMIN, Role.STAFF):
        return False
    return principal.works_at(location_code)


def require_buyer(principal: Principal, action: str) -> None:
    principal.require(principal.role in (Role.ADMIN, Role.STAFF), action)
