"""Domain events: facts that happened, published after the transaction that made them commits.

Each event has an id unique across the system. Order events also carry the order's
sequence number — the position of the change in the order's history — so a subscriber can
drop duplicates and notice gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import uuid4

from domain.model.orders import Order, OrderStatus, StatusChange


@dataclass(frozen=True, slots=True)
class OrderStatusChanged:
    order_id: int
    sequence: int
    previous_status: OrderStatus | None
    status: OrderStatus
    actor: str
    occurred_at: datetime
    customer_email: str | None
    location_codes: tuple[str, ...]

    @property
    def event_id(self) -> str:
        return order_event_id(self.order_id, self.sequence)

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


@dataclass(frozen=True, slots=True)
class StockLevelChanged:
    level_id: int
    variant_id: int
    location_id: int
    on_hand: int
    reserved: int
    occurred_at: datetime
    event_id: str = field(default_factory=lambda: uuid4().hex)


DomainEvent = OrderStatusChanged | StockLevelChanged


def order_event_id(order_id: int, sequence: int) -> str:
    """The same id whether the event arrives live or is replayed from history."""
    return f"order-{order_id}-{sequence}"
