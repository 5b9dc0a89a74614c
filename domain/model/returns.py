"""Returns (RMAs): units of an order coming back, from any channel, to any location.

    REQUESTED ──► APPROVED ──► RECEIVED ──► REFUNDED
        │             │
        └─────────────┴──► REJECTED        (the units may be asked for again)

A return asks for units that left the building (shipped or picked up) and are not already
back or on their way back in another return. It is received once, at any location (bought
online, returned in store): each unit goes back on the shelf (RESTOCK) or is held as
damaged (DAMAGED), possibly fewer than asked for. The refund is what was received, at the
prices the order was placed at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.errors import InvalidInput
from domain.model.catalog import normalise_sku
from domain.model.identity import id_of
from domain.model.inventory import MovementKind, StockMovement
from domain.model.lifecycle import StatusChange, Tracked
from domain.model.orders import Order, OrderStatus
from domain.money import Money

MAX_LINES = 100
MAX_REASON_LENGTH = 500


class ReturnStatus(StrEnum):
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    RECEIVED = "RECEIVED"
    REFUNDED = "REFUNDED"


class ReturnDisposition(StrEnum):
    RESTOCK = "RESTOCK"  # back on the shelf, sellable
    DAMAGED = "DAMAGED"  # held as damaged, never sold


R = ReturnStatus
TRANSITIONS: dict[ReturnStatus, frozenset[ReturnStatus]] = {
    R.REQUESTED: frozenset({R.APPROVED, R.REJECTED}),
    R.APPROVED: frozenset({R.RECEIVED, R.REJECTED}),
    R.RECEIVED: frozenset({R.REFUNDED}),
}
ON_THEIR_WAY = frozenset({R.REQUESTED, R.APPROVED})  # units claimed, not back yet
BACK = frozenset({R.RECEIVED, R.REFUNDED})  # units that came back


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    """Return `quantity` units of `sku`, for a reason."""

    sku: str
    quantity: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """`quantity` units of `sku` arrived, to be restocked or held as damaged."""

    sku: str
    quantity: int
    disposition: ReturnDisposition


@dataclass
class ReturnLine:
    order_line_id: int
    variant_id: int
    sku: str
    quantity: int
    unit_price: Money  # what one unit of the order line cost the customer (paid_unit_price)
    reason: str = ""
    restocked: int = 0
    damaged: int = 0
    id: int | None = None

    @property
    def received(self) -> int:
        return self.restocked + self.damaged


@dataclass
class Return(Tracked[ReturnStatus]):
    order_id: int
    order_number: str | None
    currency: str
    lines: list[ReturnLine]
    created_at: datetime
    # Who may see the return: whoever may see its order (its customer, or its locations),
    # and whoever works where it was received.
    customer_email: str | None = None
    order_location_codes: frozenset[str] = frozenset()
    status: ReturnStatus = ReturnStatus.REQUESTED
    history: list[StatusChange] = field(default_factory=list)
    location_id: int | None = None  # where it was received
    location_code: str | None = None
    refund: Money | None = None
    # The id a POS terminal gave a return it took back at the counter (domain/model/
    # counter_returns.py): a terminal syncing it again is told it is already recorded.
    client_return_id: UUID | None = None
    number: str | None = None
    id: int | None = None

    @property
    def reference(self) -> str:
        return f"return:{self.id}"

    @property
    def label(self) -> str:
        return f"return {self.number or self.id}"

    def allowed_transitions(self) -> dict[ReturnStatus, frozenset[ReturnStatus]]:
        return TRANSITIONS

    def claimed(self) -> dict[int, int]:
        """Units per order line this return holds: asked for while on their way, the ones
        that came back once received, none once rejected."""
        if self.status in ON_THEIR_WAY:
            return {line.order_line_id: line.quantity for line in self.lines}
        if self.status in BACK:
            return {line.order_line_id: line.received for line in self.lines}
        return {}

    def returned(self) -> dict[int, int]:
        """Units per order line that came back (none before the return is received)."""
        return self.claimed() if self.status in BACK else {}

    @classmethod
    def request(
        cls,
        order: Order,
        requests: Sequence[ReturnRequest],
        others: Iterable[Return],
        actor: str,
        at: datetime,
    ) -> Return:
        """A new REQUESTED return of some of the order's units; `others` are the order's
        returns so far."""
        order.require_transition(OrderStatus.PARTIALLY_RETURNED)
        if not requests:
            raise InvalidInput("a return needs at least one line", field="lines")
        if len(requests) > MAX_LINES:
            raise InvalidInput(f"a return has at most {MAX_LINES} lines", field="lines")
        left = returnable(order, others)
        by_sku = {line.sku: line for line in order.lines}
        lines: list[ReturnLine] = []
        for index, request in enumerate(requests):
            sku = normalise_sku(request.sku, field=f"lines.{index}.sku")
            order_line = by_sku.get(sku)
            if order_line is None:
                raise InvalidInput(
                    f"order {order.number or order.id} has no line for SKU {sku}",
                    field=f"lines.{index}.sku",
                )
            if any(line.sku == sku for line in lines):
                raise InvalidInput(f"SKU {sku} appears twice", field=f"lines.{index}.sku")
            if request.quantity <= 0:
                raise InvalidInput("quantity must be positive", field=f"lines.{index}.quantity")
            available = left.get(id_of(order_line), 0)
            if request.quantity > available:
                raise InvalidInput(
                    f"SKU {sku}: {available} returnable, {request.quantity} requested",
                    field=f"lines.{index}.quantity",
                )
            reason = request.reason.strip()
            if len(reason) > MAX_REASON_LENGTH:
                raise InvalidInput(
                    f"a reason has at most {MAX_REASON_LENGTH} characters",
                    field=f"lines.{index}.reason",
                )
            lines.append(
                ReturnLine(
                    order_line_id=id_of(order_line),
                    variant_id=order_line.variant_id,
                    sku=sku,
                    quantity=request.quantity,
                    unit_price=order_line.paid_unit_price,
                    reason=reason,
                )
            )
        assert order.id is not None
        rma = cls(
            order_id=order.id,
            order_number=order.number,
            currency=order.currency,
            lines=lines,
            created_at=at,
            customer_email=order.customer_email,
            order_location_codes=frozenset(order.location_codes),
        )
        rma.record_creation(actor, at)
        return rma

    # -- the lifecycle -------------------------------------------------------------------
    def approve(self, actor: str, at: datetime, note: str | None = None) -> None:
        self.transition(ReturnStatus.APPROVED, actor, at, note)

    def reject(self, actor: str, at: datetime, note: str | None = None) -> None:
        self.transition(ReturnStatus.REJECTED, actor, at, note)

    def receive(
        self,
        location_id: int,
        location_code: str,
        receipts: Sequence[ReceiptLine],
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> list[StockMovement]:
        """The goods arrived at a location: restock or hold each unit as damaged there."""
        self.require_transition(ReturnStatus.RECEIVED)
        counted = self._count(receipts)
        units: dict[tuple[int, ReturnDisposition], int] = {}
        for line in self.lines:
            line.restocked = counted.get((line.sku, ReturnDisposition.RESTOCK), 0)
            line.damaged = counted.get((line.sku, ReturnDisposition.DAMAGED), 0)
            for disposition, quantity in (
                (ReturnDisposition.RESTOCK, line.restocked),
                (ReturnDisposition.DAMAGED, line.damaged),
            ):
                if quantity:
                    key = (line.variant_id, disposition)
                    units[key] = units.get(key, 0) + quantity
        self.location_id, self.location_code = location_id, location_code
        self.transition(ReturnStatus.RECEIVED, actor, at, note)
        return [
            StockMovement(
                variant_id=variant_id,
                location_id=location_id,
                kind=MovementKind.RETURN_RESTOCK
                if disposition is ReturnDisposition.RESTOCK
                else MovementKind.RETURN_DAMAGED,
                on_hand_delta=quantity if disposition is ReturnDisposition.RESTOCK else 0,
                reserved_delta=0,
                damaged_delta=quantity if disposition is ReturnDisposition.DAMAGED else 0,
                reference=self.reference,
                actor=actor,
                occurred_at=at,
                note=note,
            )
            for (variant_id, disposition), quantity in units.items()
        ]

    @property
    def refund_due(self) -> Money:
        """Every unit received, at what it cost the customer."""
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.unit_price.times(line.received)
        return total

    def mark_refunded(self, actor: str, at: datetime, note: str | None = None) -> Money:
        self.transition(ReturnStatus.REFUNDED, actor, at, note)
        self.refund = self.refund_due
        return self.refund

    # -- helpers -------------------------------------------------------------------------
    def _count(self, receipts: Sequence[ReceiptLine]) -> dict[tuple[str, ReturnDisposition], int]:
        """Units received per (SKU, disposition); refuses SKUs not in the return and more
        units of a SKU than the return asked for."""
        if not receipts:
            raise InvalidInput("receive at least one line", field="lines")
        if len(receipts) > 2 * MAX_LINES:
            raise InvalidInput(f"a receipt has at most {2 * MAX_LINES} lines", field="lines")
        lines = {line.sku: line for line in self.lines}
        counted: dict[tuple[str, ReturnDisposition], int] = {}
        per_sku: dict[str, int] = {}
        for index, receipt in enumerate(receipts):
            sku = normalise_sku(receipt.sku, field=f"lines.{index}.sku")
            line = lines.get(sku)
            if line is None:
                raise InvalidInput(
                    f"{self.label} has no line for SKU {sku}", field=f"lines.{index}.sku"
                )
            if receipt.quantity <= 0:
                raise InvalidInput("quantity must be positive", field=f"lines.{index}.quantity")
            per_sku[sku] = per_sku.get(sku, 0) + receipt.quantity
            if per_sku[sku] > line.quantity:
                raise InvalidInput(
                    f"SKU {sku}: {line.quantity} to return, {per_sku[sku]} received",
                    field=f"lines.{index}.quantity",
                )
            key = (sku, receipt.disposition)
            counted[key] = counted.get(key, 0) + receipt.quantity
        return counted


def returnable(order: Order, others: Iterable[Return]) -> dict[int, int]:
    """Units per order line that may still be asked back: those that left the building,
    less those back or on their way back in the order's other returns."""
    left = {id_of(line): line.fulfilled for line in order.lines}
    for other in others:
        for line_id, units in other.claimed().items():
            left[line_id] = left.get(line_id, 0) - units
    return {line_id: max(units, 0) for line_id, units in left.items()}


def units_returned(returns: Iterable[Return]) -> dict[int, int]:
    """Units per order line that came back, across an order's returns."""
    total: dict[int, int] = {}
    for rma in returns:
        for line_id, units in rma.returned().items():
            total[line_id] = total.get(line_id, 0) + units
    return total
