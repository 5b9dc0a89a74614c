"""Payments: money an order's customer authorizes, pays, and gets back, as ledger entries.

A payment is one tender of one order (a card, cash on delivery, a bank transfer, cash at a
till); an order may have several (split tender). Its amounts are projections of its
entries, each an immutable row written in the transaction that changes them:

    AUTHORIZATION  the provider holds `amount` for us        authorized += amount
    CAPTURE        `amount` of the hold is taken             captured   += amount
    VOID           `amount` of the hold is released          released   += amount
    REFUND         `amount` of what was captured goes back   refunded   += amount
    FAILURE        the provider declined (amount 0)

    PENDING ──► AUTHORIZED ──► CAPTURED        (nothing left to capture: all taken, or the
       │            │  ▲ └─┘ partial captures   rest released by a void)
       │            └──┴──► VOIDED             (released before anything was captured)
       └──► FAILED                             (declined)

PENDING waits for a provider's asynchronous answer (its webhook). Money never goes below
zero anywhere: captures never pass what is still held, refunds never pass what was
captured and not yet refunded. Those checks run on a payment loaded with its order's row
locked, so concurrent commands on one order see each other's entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import AmountExceedsBalance, InvalidInput, InvalidTransition
from domain.money import Money


class PaymentState(StrEnum):
    PENDING = "PENDING"
    AUTHORIZED = "AUTHORIZED"
    CAPTURED = "CAPTURED"
    VOIDED = "VOIDED"
    FAILED = "FAILED"


class PaymentMethod(StrEnum):
    CARD = "CARD"
    CASH = "CASH"
    CASH_ON_DELIVERY = "CASH_ON_DELIVERY"
    BANK_TRANSFER = "BANK_TRANSFER"
    CHEQUE = "CHEQUE"
    GIFT_CARD = "GIFT_CARD"
    OTHER = "OTHER"


class EntryKind(StrEnum):
    AUTHORIZATION = "AUTHORIZATION"
    CAPTURE = "CAPTURE"
    VOID = "VOID"
    REFUND = "REFUND"
    FAILURE = "FAILURE"


class CaptureMoment(StrEnum):
    """When a channel takes the money it authorized: at once, or what ships as it ships."""

    PLACEMENT = "PLACEMENT"
    SHIPMENT = "SHIPMENT"


class OrderPaymentStatus(StrEnum):
    UNPAID = "UNPAID"
    AUTHORIZED = "AUTHORIZED"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    OVERPAID = "OVERPAID"


MANUAL_PROVIDER = "manual"
POS_PROVIDER = "pos"  # tenders a till took, synced with its sales
# Providers whose payments staff record (nobody checks the money): a customer may not
# pay through them, or it could mark its own order paid.
STAFF_RECORDED_PROVIDERS = frozenset({MANUAL_PROVIDER, POS_PROVIDER})
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class PaymentEntry:
    """One immutable line of the money ledger."""

    kind: EntryKind
    amount: Money
    actor: str
    occurred_at: datetime
    reason: str | None = None
    return_id: int | None = None
    provider_reference: str | None = None  # the provider's id of a refund or event
    id: int | None = None
    sequence: int | None = None  # its place among the order's payment events, once stored
    payment_id: int | None = None


@dataclass
class Payment:
    order_id: int
    method: PaymentMethod
    provider: str
    currency: str
    created_at: datetime
    actor: str
    provider_reference: str | None = None
    # What was asked for: what a PENDING payment waits for its provider to confirm.
    requested: Money | None = None
    state: PaymentState = PaymentState.PENDING
    authorized: Money = field(init=False)
    captured: Money = field(init=False)
    released: Money = field(init=False)
    refunded: Money = field(init=False)
    entries: list[PaymentEntry] = field(default_factory=list)
    id: int | None = None
    stored_entries: int = 0  # how many of `entries` are stored; the rest are new

    def __post_init__(self) -> None:
        zero = Money.zero(self.currency)
        self.authorized = self.captured = self.released = self.refunded = zero
        for entry in self.entries:
            self._count(entry)

    # -- what it holds -----------------------------------------------------------------
    @property
    def capturable(self) -> Money:
        """What is still held and may be captured."""
        if self.state is not PaymentState.AUTHORIZED:
            return Money.zero(self.currency)
        return self.authorized - (self.captured + self.released)

    @property
    def refundable(self) -> Money:
        return self.captured - self.refunded

    @property
    def new_entries(self) -> list[PaymentEntry]:
        return self.entries[self.stored_entries :]

    @property
    def label(self) -> str:
        return f"payment {self.id}" if self.id is not None else "the payment"

    # -- what happens to it ------------------------------------------------------------
    def authorize(self, amount: Money, actor: str, at: datetime, reference: str | None) -> None:
        self._require(PaymentState.PENDING, PaymentState.AUTHORIZED)
        self._record(EntryKind.AUTHORIZATION, amount, actor, at, provider_reference=reference)
        self.state = PaymentState.AUTHORIZED

    def capture(
        self, amount: Money, actor: str, at: datetime, reference: str | None = None
    ) -> None:
        """Take `amount` of what is held; CAPTURED once nothing is left to take."""
        self.require_capturable(amount)
        self._record(EntryKind.CAPTURE, amount, actor, at, provider_reference=reference)
        if self.capturable.amount == 0:
            self.state = PaymentState.CAPTURED

    def require_capturable(self, amount: Money) -> None:
        """Refuse, before any provider is asked, a capture this payment cannot take."""
        self._require(PaymentState.AUTHORIZED, PaymentState.CAPTURED)
        _require_positive(amount, "amount")
        if amount.amount > self.capturable.amount:
            raise AmountExceedsBalance(
                f"{self.label} holds {self.capturable.amount} {self.currency} to capture; "
                f"{amount.amount} asked"
            )

    def void(self, actor: str, at: datetime, reason: str | None = None) -> None:
        """Release what is still held: VOIDED if nothing was captured, else CAPTURED."""
        self.require_voidable()
        self._record(EntryKind.VOID, self.capturable, actor, at, reason=reason)
        self.state = PaymentState.CAPTURED if self.captured.amount else PaymentState.VOIDED

    def require_voidable(self) -> None:
        self._require(PaymentState.AUTHORIZED, PaymentState.VOIDED)

    def fail(self, actor: str, at: datetime, reason: str | None) -> None:
        self._require(PaymentState.PENDING, PaymentState.FAILED)
        self._record(EntryKind.FAILURE, Money.zero(self.currency), actor, at, reason=reason)
        self.state = PaymentState.FAILED

    def refund(
        self,
        amount: Money,
        actor: str,
        at: datetime,
        *,
        reason: str | None = None,
        return_id: int | None = None,
        reference: str | None = None,
    ) -> PaymentEntry:
        """Give back `amount` of what was captured and not yet refunded."""
        self.require_refundable(amount)
        return self._record(
            EntryKind.REFUND,
            amount,
            actor,
            at,
            reason=reason,
            return_id=return_id,
            provider_reference=reference,
        )

    def require_refundable(self, amount: Money) -> None:
        """Refuse, before any provider is asked, a refund this payment cannot give."""
        _require_positive(amount, "amount")
        if amount.currency != self.currency:
            raise InvalidInput(f"{self.label} is in {self.currency}", field="amount")
        if amount.amount > self.refundable.amount:
            raise AmountExceedsBalance(
                f"{self.label} has {self.refundable.amount} {self.currency} captured and not "
                f"refunded; {amount.amount} asked"
            )

    def _require(self, current: PaymentState, target: PaymentState) -> None:
        if self.state is not current:
            raise InvalidTransition(self.label, self.state, target)

    def _record(
        self, kind: EntryKind, amount: Money, actor: str, at: datetime, **details: object
    ) -> PaymentEntry:
        if amount.currency != self.currency:
            raise InvalidInput(f"{self.label} is in {self.currency}", field="amount")
        entry = PaymentEntry(kind, amount, actor, at, **details)  # type: ignore[arg-type]
        self.entries.append(entry)
        self._count(entry)
        return entry

    def _count(self, entry: PaymentEntry) -> None:
        if entry.kind is EntryKind.AUTHORIZATION:
            self.authorized = self.authorized + entry.amount
        elif entry.kind is EntryKind.CAPTURE:
            self.captured = self.captured + entry.amount
        elif entry.kind is EntryKind.VOID:
            self.released = self.released + entry.amount
        elif entry.kind is EntryKind.REFUND:
            self.refunded = self.refunded + entry.amount


# -- an order's payments as a whole ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentSummary:
    status: OrderPaymentStatus
    total_paid: Money
    total_refunded: Money
    balance_due: Money


def summarise(total: Money, payments: Iterable[Payment], *, cancelled: bool) -> PaymentSummary:
    """The derived payment fields of an order whose lines total `total`.

    Paid is what was captured; refunds give money back and take back what it paid for, so
    they never make an order owe again (Shopify's totalOutstanding reads the same way). A
    cancelled order owes nothing.
    """
    paid = refunded = held = Money.zero(total.currency)
    for payment in payments:
        paid = paid + payment.captured
        refunded = refunded + payment.refunded
        held = held + payment.capturable
    due = Money.zero(total.currency) if cancelled else _at_least_zero(total - paid)
    status = order_payment_status(total.amount, paid.amount, refunded.amount, held.amount)
    return PaymentSummary(status, paid, refunded, due)


def order_payment_status(
    total: Decimal, paid: Decimal, refunded: Decimal, held: Decimal
) -> OrderPaymentStatus:
    """An order's payment status from its total and its payments' sums (one currency)."""
    if refunded and refunded >= paid:
        return OrderPaymentStatus.REFUNDED
    if refunded:
        return OrderPaymentStatus.PARTIALLY_REFUNDED
    if paid > total:
        return OrderPaymentStatus.OVERPAID
    if paid and paid == total:
        return OrderPaymentStatus.PAID
    if paid:
        return OrderPaymentStatus.PARTIALLY_PAID
    if held:
        return OrderPaymentStatus.AUTHORIZED
    return OrderPaymentStatus.UNPAID


@dataclass(frozen=True, slots=True)
class RefundShare:
    payment: Payment
    amount: Money


def split_refund(
    amount: Money, payments: Sequence[Payment], chosen: Sequence[RefundShare] = ()
) -> list[RefundShare]:
    """Which payments give back `amount`: the caller's choice when it makes one (shares
    that must add up to `amount`), else the largest refundable payments first."""
    _require_positive(amount, "amount")
    if chosen:
        if sum(share.amount.amount for share in chosen) != amount.amount:
            raise InvalidInput("the payments' shares must add up to the amount", field="payments")
        return list(chosen)
    refundable = sum((p.refundable.amount for p in payments), start=Decimal(0))
    if amount.amount > refundable:
        raise AmountExceedsBalance(
            f"the order has {refundable} {amount.currency} captured and not refunded; "
            f"{amount.amount} asked"
        )
    shares: list[RefundShare] = []
    left = amount
    for payment in sorted(payments, key=lambda p: (-p.refundable.amount, p.id or 0)):
        if not left.amount:
            break
        take = min(left.amount, payment.refundable.amount)
        if take:
            shares.append(RefundShare(payment, Money(take, amount.currency)))
            left = left - Money(take, amount.currency)
    return shares


def reason_text(reason: str | None, *, field: str = "reason") -> str | None:
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise InvalidInput(f"a reason has at most {MAX_REASON} characters", field=field)
    return text or None


def _require_positive(amount: Money, field: str) -> None:
    if amount.amount <= 0:
        raise InvalidInput("amount must be more than zero", field=field)


def _at_least_zero(money: Money) -> Money:
    return money if money.amount > 0 else Money.zero(money.currency)
