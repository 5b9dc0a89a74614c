"""Money events of orders, live and resumable: `orderPaymentChanged`.

Each ledger entry on an order's payments (an authorization, a capture, a void, a refund, a
failure) is one event, numbered by the order's payment sequence (1, 2, 3…, apart from its
status changes). As `orderStatusChanged` does, the subscription first joins the hub, then
replays from the ledger what the client missed, so nothing that commits in between is
lost; sequence numbers drop what arrives twice, and a gap is filled from the ledger.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api.context import Context
from api.permissions import IsSignedIn, following
from api.subscriptions.common import resumable_order_events
from api.types.common import Money
from api.types.orders import Order
from api.types.payments import Payment
from domain.events import document_event_id
from domain.model.payments import EntryKind, PaymentState
from persistence.reads import payments as payment_reads

PAYMENT_EVENT = "OrderPaymentChanged"
EVENT_PREFIX = "order-payment"  # as OrderPaymentChanged.event_id makes them


@strawberry.type(description="A money event of an order: one entry of its payment ledger.")
class OrderPaymentEvent:
    order_id: strawberry.Private[int]
    payment_id: strawberry.Private[int]
    event_id: str = strawberry.field(
        description="Unique id of the event; the same on replay, so duplicates can be dropped."
    )
    sequence: int = strawberry.field(
        description="Position of this entry among the order's money events (1, 2, 3…), for "
        "resuming with afterSequence."
    )
    entry_kind: EntryKind = strawberry.field(
        description="AUTHORIZATION (held), CAPTURE (taken), VOID (released), REFUND (given "
        "back) or FAILURE (declined)."
    )
    amount: Money = strawberry.field(description="How much; zero for a FAILURE.")
    payment_state: PaymentState = strawberry.field(
        description="The payment's state after the change that wrote this entry (replayed "
        "from the ledger: its state now)."
    )
    occurred_at: datetime = strawberry.field(description="When (UTC).")
    actor: str = strawberry.field(description="Who did it.")

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> OrderPaymentEvent:
        return cls(
            order_id=message["orderId"],
            payment_id=message["paymentId"],
            event_id=message["eventId"],
            sequence=message["sequence"],
            entry_kind=EntryKind(message["entryKind"]),
            amount=Money(amount=Decimal(message["amount"]), currency=message["currency"]),
            payment_state=PaymentState(message["paymentState"]),
            occurred_at=datetime.fromisoformat(message["occurredAt"]),
            actor=message["actor"],
        )

    @classmethod
    def from_entry(cls, row: Any) -> OrderPaymentEvent:
        return cls(
            order_id=row.order_id,
            payment_id=row.payment_id,
            event_id=document_event_id(EVENT_PREFIX, row.order_id, row.sequence),
            sequence=row.sequence,
            entry_kind=EntryKind(row.kind),
            amount=Money.from_cents(row.amount_cents, row.currency),
            payment_state=PaymentState(row.payment_state),
            occurred_at=row.occurred_at,
            actor=row.actor,
        )

    @strawberry.field(description="The payment as it is now.")
    async def payment(self, info: strawberry.Info) -> Payment | None:
        return await info.context.loaders.payments.payment.load(self.payment_id)

    @strawberry.field(description="The order as it is now, resolvable like a query.")
    async def order(self, info: strawberry.Info) -> Order | None:
        return await info.context.loaders.order.load(self.order_id)


@strawberry.type
class PaymentSubscriptions:
    @strawberry.subscription(
        description=(
            "Money events (payment ledger entries) of one order (orderId) or of every order "
            "the caller may see: a customer its own orders, staff those of its locations. "
            "With orderId and afterSequence, first replays every entry after that sequence "
            "number from the ledger, then continues live, with no gap or duplicate."
        ),
        extensions=[following(IsSignedIn)],
    )
    async def order_payment_changed(
        self,
        info: strawberry.Info,
        order_id: relay.GlobalID | None = None,
        after_sequence: int | None = None,
    ) -> AsyncGenerator[OrderPaymentEvent, None]:
        context: Context = info.context

        async def entries_after(order_key: int, sequence: int) -> list[OrderPaymentEvent]:
            async with context.database.read_session() as session:
                rows = await payment_reads.entries_after(session, order_key, sequence)
            return [OrderPaymentEvent.from_entry(row) for row in rows]

        async for event in resumable_order_events(
            context,
            PAYMENT_EVENT,
            order_id,
            after_sequence,
            events_after=entries_after,
            from_message=OrderPaymentEvent.from_message,
        ):
            yield event
