"""Domain events: facts that happened, published after the transaction that made them commits.

Each event has an id unique across the system and a JSON-ready `message()`, the form
subscribers receive. Status events of documents (orders, transfers, returns) also carry the
document's sequence number — the position of the change in its history — so a subscriber
can drop duplicates and notice gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import uuid4

from domain.model.lifecycle import StatusChange
from domain.model.orders import Order


class DomainEvent(Protocol):
    @property
    def event_id(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...
    def message(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class OrderStatusChanged:
    order_id: int
    sequence: int
    previous_status: str | None
    status: str
    actor: str
    occurred_at: datetime
    customer_email: str | None
    location_codes: tuple[str, ...]

    @property
    def event_id(self) -> str:
        return document_event_id("order", self.order_id, self.sequence)

    @classmethod
    def of(cls, order: Order, change: StatusChange, sequence: int) -> OrderStatusChanged:
        assert order.id is not None
        return cls(
            order_id=order.id,
            sequence=sequence,
            previous_status=change.from_status,
            status=change.to_status,
            actor=change.actor,
            occurred_at=change.occurred_at,
            customer_email=order.customer_email,
            location_codes=tuple(sorted(order.location_codes)),
        )

    def message(self) -> dict[str, Any]:
        return {
            "kind": "OrderStatusChanged",
            "eventId": self.event_id,
            "occurredAt": self.occurred_at.isoformat(),
            "orderId": self.order_id,
            "sequence": self.sequence,
            "previousStatus": self.previous_status,
            "status": self.status,
            "actor": self.actor,
            "customerEmail": self.customer_email,
            "locationCodes": list(self.location_codes),
        }


@dataclass(frozen=True, slots=True)
class OrderPaymentChanged:
    """A ledger entry on one of an order's payments; `sequence` numbers an order's money
    events 1, 2, 3… (apart from its status changes)."""

    order_id: int
    sequence: int
    payment_id: int
    entry_kind: str
    amount: str  # a Decimal, as text: JSON has no exact decimals
    currency: str
    payment_state: str
    actor: str
    occurred_at: datetime
    customer_email: str | None
    location_codes: tuple[str, ...]

    @property
    def event_id(self) -> str:
        return document_event_id("order-payment", self.order_id, self.sequence)

    def message(self) -> dict[str, Any]:
        return {
            "kind": "OrderPaymentChanged",
            "eventId": self.event_id,
            "occurredAt": self.occurred_at.isoformat(),
            "orderId": self.order_id,
            "sequence": self.sequence,
            "paymentId": self.payment_id,
            "entryKind": self.entry_kind,
            "amount": self.amount,
            "currency": self.currency,
            "paymentState": self.payment_state,
            "actor": self.actor,
            "customerEmail": self.customer_email,
            "locationCodes": list(self.location_codes),
        }


@dataclass(frozen=True, slots=True)
class DocumentStatusChanged:
    """A transfer, return or other stock document moved to a new status."""

    document: str  # "transfer", "return", …: the message kind is e.g. TransferStatusChanged
    document_id: int
    sequence: int
    previous_status: str | None
    status: str
    actor: str
    occurred_at: datetime
    location_codes: tuple[str, ...]
    customer_email: str | None = None

    @property
    def event_id(self) -> str:
        return document_event_id(self.document, self.document_id, self.sequence)

    def message(self) -> dict[str, Any]:
        return {
            # "work_order" → WorkOrderStatusChanged
            "kind": "".join(word.capitalize() for word in self.document.split("_"))
            + "StatusChanged",
            "eventId": self.event_id,
            "occurredAt": self.occurred_at.isoformat(),
            "documentId": self.document_id,
            "sequence": self.sequence,
            "previousStatus": self.previous_status,
            "status": self.status,
            "actor": self.actor,
            "customerEmail": self.customer_email,
            "locationCodes": list(self.location_codes),
        }


@dataclass(frozen=True, slots=True)
class StockLevelChanged:
    level_id: int
    variant_id: int
    location_id: int
    on_hand: int
    reserved: int
    in_transit: int
    damaged: int
    incoming: int
    reorder_point: int
    safety_stock: int
    occurred_at: datetime
    # When the level's row was written (its updatedAt); `occurred_at` may be much earlier.
    updated_at: datetime
    # Whether this change took `available` from above the reorder point to at or below it.
    crossed_reorder_point: bool = False
    event_id: str = field(default_factory=lambda: uuid4().hex)

    def message(self) -> dict[str, Any]:
        return {
            "kind": "StockLevelChanged",
            "eventId": self.event_id,
            "occurredAt": self.occurred_at.isoformat(),
            "updatedAt": self.updated_at.isoformat(),
            "levelId": self.level_id,
            "variantId": self.variant_id,
            "locationId": self.location_id,
            "onHand": self.on_hand,
            "reserved": self.reserved,
            "inTransit": self.in_transit,
            "damaged": self.damaged,
            "incoming": self.incoming,
            "reorderPoint": self.reorder_point,
            "safetyStock": self.safety_stock,
            "crossedReorderPoint": self.crossed_reorder_point,
        }


def document_event_id(document: str, document_id: int, sequence: int) -> str:
    """The same id whether the event arrives live or is replayed from history."""
    return f"{document}-{document_id}-{sequence}"
