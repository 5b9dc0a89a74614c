"""The checks of `omniorder verify-ledger`: every money projection equals the entries it
projects, and no balance breaks a rule.

The money ledger's entries (`payment_entries`) are immutable; everything else is written
beside them in the same transaction and could drift if a bug, or a hand, changed one side:

- each entry belongs to its payment's order, is in its payment's currency and moves no
  negative amount, so no sum adds currencies or takes money back by the wrong kind
  (`entry_discrepancies`);
- a payment's authorized, captured, released and refunded amounts are the sums of its
  AUTHORIZATION, CAPTURE, VOID and REFUND entries (`payment_discrepancies`);
- a payment never captures more than it holds (captured ≤ authorized - released) nor
  refunds more than it captured (refunded ≤ captured) (`payment_discrepancies`);
- an order's paid and refunded amounts are the sums of its payments' captured and refunded
  ones, and its `payment_sequence` is the number of its entries, numbered 1…n with no gap
  (`order_discrepancies`);
- an invoice's balance (total - allocated) is its total less the allocations set against
  it, and a customer payment's allocated amount is what its allocations took
  (`invoice_discrepancies`);
- what orders charge adds up, line by line and voucher by voucher
  (persistence/pricing_invariants.py).

Each check is one statement that returns only the offenders, so a clean ledger of any size
costs a few aggregate scans; each offender comes back as one line a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.payments import EntryKind
from persistence.pricing_invariants import price_discrepancies
from persistence.records import (
    CustomerPaymentRecord,
    InvoiceAllocationRecord,
    InvoiceRecord,
    OrderRecord,
    PaymentEntryRecord,
    PaymentRecord,
)

ENTRY = PaymentEntryRecord
PAYMENT = PaymentRecord
ORDER = OrderRecord
# A payment's balance column, and the kind of entry whose amounts it sums.
BALANCES = {
    "authorized_cents": EntryKind.AUTHORIZATION,
    "captured_cents": EntryKind.CAPTURE,
    "released_cents": EntryKind.VOID,
    "refunded_cents": EntryKind.REFUND,
}


@dataclass(frozen=True, slots=True)
class LedgerSize:
    """What a clean ledger reports having checked."""

    payments: int
    entries: int
    orders: int


@dataclass(frozen=True, slots=True)
class LedgerCheck:
    offenders: list[str]
    size: LedgerSize

    @property
    def consistent(self) -> bool:
        return not self.offenders


async def verify_ledger(session: AsyncSession) -> LedgerCheck:
    """Every check, in one read session; the offenders of each, one line each."""
    offenders = [
        *await entry_discrepancies(session),
        *await payment_discrepancies(session),
        *await order_discrepancies(session),
        *await invoice_discrepancies(session),
        *await price_discrepancies(session),
    ]
    return LedgerCheck(offenders, await ledger_size(session))


async def ledger_size(session: AsyncSession) -> LedgerSize:
    row = (
        await session.execute(
            select(
                select(func.count()).select_from(PAYMENT).scalar_subquery(),
                select(func.count()).select_from(ENTRY).scalar_subquery(),
                select(func.count()).select_from(ORDER).scalar_subquery(),
            )
        )
    ).one()
    return LedgerSize(payments=row[0], entries=row[1], orders=row[2])


def _order_name(number: str | None, order_id: int) -> str:
    return f"order {number}" if number else f"order #{order_id}"


# -- payments ---------------------------------------------------------------------------


def _entry_sums() -> Any:
    """Per payment, the sum of its entries of each kind (cents)."""
    sums = [
        func.sum(case((ENTRY.kind == kind.value, ENTRY.amount_cents), else_=0)).label(column)
        for column, kind in BALANCES.items()
    ]
    return select(ENTRY.payment_id, *sums).group_by(ENTRY.payment_id).subquery()


async def payment_discrepancies(session: AsyncSession) -> list[str]:
    """Payments whose balances differ from their entries, or break a balance rule."""
    sums = _entry_sums()
    summed = {column: func.coalesce(sums.c[column], 0) for column in BALANCES}
    differs = [getattr(PAYMENT, column) != summed[column] for column in BALANCES]
    over_captured = PAYMENT.captured_cents > PAYMENT.authorized_cents - PAYMENT.released_cents
    over_refunded = PAYMENT.refunded_cents > PAYMENT.captured_cents
    statement = (
        select(
            PAYMENT.id,
            PAYMENT.order_id,
            ORDER.number,
            *(getattr(PAYMENT, column) for column in BALANCES),
            *(summed[column].label(f"entries_{column}") for column in BALANCES),
        )
        .join(ORDER, ORDER.id == PAYMENT.order_id)
        .outerjoin(sums, sums.c.payment_id == PAYMENT.id)
        .where(or_(*differs, over_captured, over_refunded))
        .order_by(PAYMENT.id)
    )
    lines = []
    for row in (await session.execute(statement)).all():
        payment = f"payment {row.id} of {_order_name(row.number, row.order_id)}"
        for column, kind in BALANCES.items():
            stored, entries = getattr(row, column), getattr(row, f"entries_{column}")
            if stored != entries:
                lines.append(
                    f"{payment}: {column}={stored}; its {kind.value} entries sum to {entries}"
                )
        held = row.authorized_cents - row.released_cents
        if row.captured_cents > held:
            lines.append(
                f"{payment}: captured_cents={row.captured_cents} exceeds authorized - released "
                f"= {row.authorized_cents} - {row.released_cents} = {held}"
            )
        if row.refunded_cents > row.captured_cents:
            lines.append(
                f"{payment}: refunded_cents={row.refunded_cents} exceeds "
                f"captured_cents={row.captured_cents}"
            )
    return lines


async def entry_discrepancies(session: AsyncSession) -> list[str]:
    """Entries in another currency or of another order than their payment's, or of a
    negative amount."""
    statement = (
        select(
            ENTRY.id,
            ENTRY.kind,
            ENTRY.amount_cents,
            ENTRY.currency,
            ENTRY.order_id,
            PAYMENT.id.label("payment_id"),
            PAYMENT.currency.label("payment_currency"),
            PAYMENT.order_id.label("payment_order_id"),
        )
        .join(PAYMENT, PAYMENT.id == ENTRY.payment_id)
        .where(
            or_(
                ENTRY.currency != PAYMENT.currency,
                ENTRY.order_id != PAYMENT.order_id,
                ENTRY.amount_cents < 0,
            )
        )
        .order_by(ENTRY.id)
    )
    lines = []
    for row in (await session.execute(statement)).all():
        entry = (
            f"entry {row.id} ({row.kind} {row.amount_cents} {row.currency}) "
            f"of payment {row.payment_id}"
        )
        if row.currency != row.payment_currency:
            lines.append(f"{entry}: in {row.currency}, its payment in {row.payment_currency}")
        if row.order_id != row.payment_order_id:
            lines.append(
                f"{entry}: of order #{row.order_id}, its payment of order #{row.payment_order_id}"
            )
        if row.amount_cents < 0:
            lines.append(f"{entry}: a negative amount")
    return lines


# -- orders -----------------------------------------------------------------------------


async def order_discrepancies(session: AsyncSession) -> list[str]:
    """Orders whose paid, refunded or payment sequence differ from their payments and
    entries (a sequence must number the entries 1…n)."""
    payments = (
        select(
            PAYMENT.order_id,
            func.sum(PAYMENT.captured_cents).label("captured"),
            func.sum(PAYMENT.refunded_cents).label("refunded"),
        )
        .group_by(PAYMENT.order_id)
        .subquery()
    )
    entries = (
        select(
            ENTRY.order_id,
            func.count().label("entries"),
            func.max(ENTRY.sequence).label("last_sequence"),
        )
        .group_by(ENTRY.order_id)
        .subquery()
    )
    captured = func.coalesce(payments.c.captured, 0)
    refunded = func.coalesce(payments.c.refunded, 0)
    counted = func.coalesce(entries.c.entries, 0)
    last = func.coalesce(entries.c.last_sequence, 0)
    statement = (
        select(
            ORDER.id,
            ORDER.number,
            ORDER.paid_cents,
            ORDER.refunded_cents,
            ORDER.payment_sequence,
            captured.label("captured"),
            refunded.label("refunded"),
            counted.label("entries"),
            last.label("last_sequence"),
        )
        .outerjoin(payments, payments.c.order_id == ORDER.id)
        .outerjoin(entries, entries.c.order_id == ORDER.id)
        .where(
            or_(
                ORDER.paid_cents != captured,
                ORDER.refunded_cents != refunded,
                ORDER.payment_sequence != counted,
                ORDER.payment_sequence != last,
            )
        )
        .order_by(ORDER.id)
    )
    lines = []
    for row in (await session.execute(statement)).all():
        order = _order_name(row.number, row.id)
        if row.paid_cents != row.captured:
            lines.append(
                f"{order}: paid_cents={row.paid_cents}; its payments captured {row.captured}"
            )
        if row.refunded_cents != row.refunded:
            lines.append(
                f"{order}: refunded_cents={row.refunded_cents}; its payments refunded "
                f"{row.refunded}"
            )
        if row.payment_sequence != row.entries or row.payment_sequence != row.last_sequence:
            lines.append(
                f"{order}: payment_sequence={row.payment_sequence}; it has {row.entries} "
                f"payment entries, the last numbered {row.last_sequence}"
            )
    return lines


# -- invoices ---------------------------------------------------------------------------


async def invoice_discrepancies(session: AsyncSession) -> list[str]:
    """Invoices (and credit notes, which hold no allocations) whose allocated amount is not
    what their allocations add up to, or whose balance (total - allocated) is below zero;
    customer payments whose allocated amount is not what their allocations took."""
    allocation = InvoiceAllocationRecord
    to_invoices = (
        select(allocation.invoice_id, func.sum(allocation.amount_cents).label("allocated"))
        .group_by(allocation.invoice_id)
        .subquery()
    )
    allocated = func.coalesce(to_invoices.c.allocated, 0)
    invoices = (
        select(
            InvoiceRecord.number,
            InvoiceRecord.total_cents,
            InvoiceRecord.allocated_cents,
            allocated.label("allocations"),
        )
        .outerjoin(to_invoices, to_invoices.c.invoice_id == InvoiceRecord.id)
        .where(
            or_(
                InvoiceRecord.allocated_cents != allocated,
                InvoiceRecord.allocated_cents > InvoiceRecord.total_cents,
            )
        )
        .order_by(InvoiceRecord.id)
    )
    lines = []
    for row in (await session.execute(invoices)).all():
        balance = row.total_cents - row.allocated_cents
        if row.allocated_cents != row.allocations:
            lines.append(
                f"invoice {row.number}: balance {balance} (total {row.total_cents} - "
                f"allocated_cents {row.allocated_cents}); its allocations sum to "
                f"{row.allocations}, leaving {row.total_cents - row.allocations}"
            )
        if balance < 0:
            lines.append(
                f"invoice {row.number}: allocated_cents={row.allocated_cents} exceeds its "
                f"total {row.total_cents}"
            )
    from_payments = (
        select(allocation.customer_payment_id, func.sum(allocation.amount_cents).label("allocated"))
        .where(allocation.customer_payment_id.is_not(None))
        .group_by(allocation.customer_payment_id)
        .subquery()
    )
    spread = func.coalesce(from_payments.c.allocated, 0)
    customer_payments = (
        select(
            CustomerPaymentRecord.id,
            CustomerPaymentRecord.reference,
            CustomerPaymentRecord.allocated_cents,
            spread.label("allocations"),
        )
        .outerjoin(from_payments, from_payments.c.customer_payment_id == CustomerPaymentRecord.id)
        .where(CustomerPaymentRecord.allocated_cents != spread)
        .order_by(CustomerPaymentRecord.id)
    )
    lines.extend(
        f"customer payment {row.id} ({row.reference}): allocated_cents={row.allocated_cents}; "
        f"its allocations sum to {row.allocations}"
        for row in (await session.execute(customer_payments)).all()
    )
    return lines
