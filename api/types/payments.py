"""Payment types: an order's payments and the ledger entries that make their balances."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row
from strawberry import relay
from strawberry.dataloader import DataLoader

from api.types.common import Money
from api.types.nodes import load_nodes
from domain.model.payments import (
    EntryKind,
    OrderPaymentStatus,
    PaymentMethod,
    PaymentState,
    order_payment_status,
)
from persistence.reads import payments as payment_reads

if TYPE_CHECKING:
    from api.loaders import Loaders
    from api.types.orders import Order


@strawberry.type(description="One immutable line of the money ledger.")
class PaymentEntry(relay.Node):
    id: relay.NodeID[int]
    payment_id: strawberry.Private[int]
    return_id: strawberry.Private[int | None]
    sequence: int = strawberry.field(
        description="Position among the order's money events (1, 2, 3…), as "
        "orderPaymentChanged numbers them."
    )
    kind: EntryKind = strawberry.field(
        description="AUTHORIZATION (held), CAPTURE (taken), VOID (released), REFUND "
        "(given back) or FAILURE (declined)."
    )
    amount: Money = strawberry.field(description="How much; zero for a FAILURE.")
    reason: str | None = strawberry.field(description="Why: a refund's reason, a decline's.")
    provider_reference: str | None = strawberry.field(
        description="The provider's id of this capture or refund, when it gave one."
    )
    actor: str = strawberry.field(description="Who did it.")
    occurred_at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> PaymentEntry:
        return cls(
            id=row.id,
            payment_id=row.payment_id,
            return_id=row.return_id,
            sequence=row.sequence,
            kind=EntryKind(row.kind),
            amount=Money.from_cents(row.amount_cents, row.currency),
            reason=row.reason,
            provider_reference=row.provider_reference,
            actor=row.actor,
            occurred_at=row.occurred_at,
        )

    @strawberry.field(description="The payment this entry belongs to.")
    async def payment(self, info: strawberry.Info) -> Payment | None:
        return await info.context.loaders.payments.payment.load(self.payment_id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.payments.entry, node_ids)


@strawberry.type(description="One tender of an order: a card, cash, a bank transfer…")
class Payment(relay.Node):
    id: relay.NodeID[int]
    order_id: strawberry.Private[int]
    method: PaymentMethod = strawberry.field(description="How the customer pays.")
    provider: str = strawberry.field(
        description="Who processes it: `manual` (recorded by staff), `pos` (a till's "
        "tender), `test`, or an installed provider."
    )
    provider_reference: str | None = strawberry.field(
        description="The provider's id of the payment, or the reference staff recorded."
    )
    state: PaymentState = strawberry.field(
        description="PENDING (the provider has not answered yet), AUTHORIZED (money held), "
        "CAPTURED (nothing left to capture), VOIDED or FAILED."
    )
    amount: Money = strawberry.field(description="What was asked for.")
    authorized: Money = strawberry.field(description="Sum of AUTHORIZATION entries.")
    captured: Money = strawberry.field(description="Sum of CAPTURE entries.")
    refunded: Money = strawberry.field(description="Sum of REFUND entries.")
    capturable: Money = strawberry.field(description="Still held and not captured.")
    refundable: Money = strawberry.field(description="Captured and not refunded.")
    created_at: datetime = strawberry.field(description="When it was started (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row) -> Payment:
        currency = row.currency
        authorized, captured = row.authorized_cents, row.captured_cents
        capturable = (
            authorized - captured - row.released_cents
            if row.state == PaymentState.AUTHORIZED
            else 0
        )
        requested = row.requested_cents if row.requested_cents is not None else authorized
        return cls(
            id=row.id,
            order_id=row.order_id,
            method=PaymentMethod(row.method),
            provider=row.provider,
            provider_reference=row.provider_reference,
            state=PaymentState(row.state),
            amount=Money.from_cents(requested, currency),
            authorized=Money.from_cents(authorized, currency),
            captured=Money.from_cents(captured, currency),
            refunded=Money.from_cents(row.refunded_cents, currency),
            capturable=Money.from_cents(capturable, currency),
            refundable=Money.from_cents(captured - row.refunded_cents, currency),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="Its ledger entries, oldest first: its history.")
    async def entries(self, info: strawberry.Info) -> list[PaymentEntry]:
        return await info.context.loaders.payments.entries_by_payment.load(self.id)

    @strawberry.field(description="Its REFUND entries, oldest first.")
    async def refunds(self, info: strawberry.Info) -> list[PaymentEntry]:
        entries = await info.context.loaders.payments.entries_by_payment.load(self.id)
        return [entry for entry in entries if entry.kind is EntryKind.REFUND]

    @strawberry.field(description="Why it FAILED, as the provider said; null otherwise.")
    async def failure_reason(self, info: strawberry.Info) -> str | None:
        if self.state is not PaymentState.FAILED:
            return None
        entries = await info.context.loaders.payments.entries_by_payment.load(self.id)
        return next((e.reason for e in entries if e.kind is EntryKind.FAILURE), None)

    @strawberry.field(description="The order it pays for.")
    async def order(
        self, info: strawberry.Info
    ) -> Annotated[Order, strawberry.lazy("api.types.orders")] | None:
        return await info.context.loaders.order.load(self.order_id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.payments.payment, node_ids)


def payment_status(
    total: Money, paid: Money, refunded: Money, payments: list[Payment]
) -> OrderPaymentStatus:
    held = sum((p.capturable.amount for p in payments), start=Decimal(0))
    return order_payment_status(total.amount, paid.amount, refunded.amount, held)


class PaymentLoaders:
    """Per-request DataLoaders of payments and entries. One loaded by id (a node, an
    entry's payment) is shown only when the caller may see its order."""

    def __init__(self, loaders: Loaders) -> None:
        self._loaders = loaders
        self.by_order = loaders.grouped(
            payment_reads.payments_by_order_ids, "order_id", Payment.from_row
        )
        self.entries_by_payment = loaders.grouped(
            payment_reads.entries_by_payment_ids, "payment_id", PaymentEntry.from_row
        )
        self._any_payment = loaders.by_id(payment_reads.payments_by_ids, Payment.from_row)
        self._any_entry = loaders.by_id(payment_reads.entries_by_ids, PaymentEntry.from_row)
        self.payment: DataLoader[int, Payment | None] = DataLoader(self._visible_payments)
        self.entry: DataLoader[int, PaymentEntry | None] = DataLoader(self._visible_entries)

    async def _visible_payments(self, ids: list[int]) -> list[Payment | None]:
        payments = await self._any_payment.load_many(ids)
        orders = await self._loaders.order.load_many([p.order_id if p else 0 for p in payments])
        return [
            payment if payment is not None and order is not None else None
            for payment, order in zip(payments, orders, strict=True)
        ]

    async def _visible_entries(self, ids: list[int]) -> list[PaymentEntry | None]:
        entries = await self._any_entry.load_many(ids)
        payments = await self.payment.load_many([e.payment_id if e else 0 for e in entries])
        return [
            entry if entry is not None and payment is not None else None
            for entry, payment in zip(entries, payments, strict=True)
        ]
