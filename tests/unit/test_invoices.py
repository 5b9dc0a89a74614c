"""Invoice rules: numbers, payment terms and due dates, aging, allocation, credit lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.errors import AmountExceedsBalance
from domain.model.invoices import (
    AgingBucket,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    PaymentTerms,
    aging_bucket,
    allocate,
    credit_lines,
    days_overdue,
    document_number,
    due_date,
    require_within_balance,
)
from domain.money import Money

ISSUED = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def invoice(total: str, due: date, allocated: str = "0.00", number: int = 1) -> Invoice:
    return Invoice(
        kind=InvoiceKind.INVOICE,
        order_id=1,
        customer_id=1,
        currency="USD",
        lines=[InvoiceLine("Mug", 1, usd(total), "MUG")],
        issued_at=ISSUED,
        due_on=due,
        actor="staff",
        number=f"INV-2026-{number:06d}",
        allocated=usd(allocated),
        id=number,
    )


def test_numbers_carry_series_year_and_six_digits():
    assert document_number(InvoiceKind.INVOICE, 2026, 123) == "INV-2026-000123"
    assert document_number(InvoiceKind.CREDIT_NOTE, 2026, 7) == "CN-2026-000007"


def test_numbers_start_at_one():
    with pytest.raises(ValueError):
        document_number(InvoiceKind.INVOICE, 2026, 0)


@pytest.mark.parametrize(
    ("terms", "due"),
    [
        (PaymentTerms.IMMEDIATE, date(2026, 3, 10)),
        (PaymentTerms.NET_15, date(2026, 3, 25)),
        (PaymentTerms.NET_30, date(2026, 4, 9)),
        (PaymentTerms.NET_60, date(2026, 5, 9)),
        (PaymentTerms.END_OF_MONTH, date(2026, 3, 31)),
    ],
)
def test_the_due_date_follows_the_payment_terms(terms, due):
    assert due_date(terms, date(2026, 3, 10)) == due


def test_end_of_month_knows_a_leap_february():
    assert due_date(PaymentTerms.END_OF_MONTH, date(2028, 2, 3)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, AgingBucket.CURRENT),
        (0, AgingBucket.CURRENT),
        (1, AgingBucket.DAYS_1_30),
        (30, AgingBucket.DAYS_1_30),
        (31, AgingBucket.DAYS_31_60),
        (60, AgingBucket.DAYS_31_60),
        (61, AgingBucket.DAYS_61_90),
        (90, AgingBucket.DAYS_61_90),
        (91, AgingBucket.OVER_90),
    ],
)
def test_an_invoice_ages_into_the_bucket_of_its_days_overdue(days, bucket):
    due = date(2026, 1, 1)
    as_of = date.fromordinal(due.toordinal() + days)

    assert aging_bucket(due, as_of) is bucket
    assert days_overdue(due, as_of) == max(days, 0)


def test_the_balance_is_the_total_less_allocations():
    assert invoice("100.00", date(2026, 4, 1), allocated="30.00").balance == usd("70.00")


def test_a_credit_note_has_no_balance():
    note = invoice("5.00", date(2026, 4, 1))
    note.kind = InvoiceKind.CREDIT_NOTE

    assert note.balance == usd("0.00")


def test_a_payment_goes_to_the_oldest_due_invoice_first_and_never_above_a_balance():
    late = invoice("30.00", date(2026, 2, 1), number=2)
    later = invoice("50.00", date(2026, 3, 1), allocated="10.00", number=1)

    shares = allocate(usd("60.00"), [later, late])

    assert [(i.number, m.amount) for i, m in shares] == [
        ("INV-2026-000002", Decimal("30.00")),
        ("INV-2026-000001", Decimal("30.00")),
    ]


def test_what_no_invoice_can_take_is_left_over():
    shares = allocate(usd("100.00"), [invoice("40.00", date(2026, 2, 1))])

    assert sum(m.amount for _, m in shares) == Decimal("40.00")


def test_an_allocation_above_the_balance_is_refused():
    with pytest.raises(AmountExceedsBalance):
        require_within_balance(invoice("40.00", date(2026, 2, 1)), usd("40.01"), "amount")


def test_a_refund_without_a_return_is_one_line_with_its_reason():
    lines = credit_lines(usd("5.00"), [], "scratched")

    assert [(line.name, line.quantity, line.total) for line in lines] == [
        ("Refund: scratched", 1, usd("5.00"))
    ]


def test_a_return_refunded_for_less_than_its_lines_adds_an_adjustment():
    returned = [InvoiceLine("Mug", 2, usd("9.50"), "MUG")]

    lines = credit_lines(usd("15.00"), returned, None)

    assert [(line.name, line.total.amount) for line in lines] == [
        ("Mug", Decimal("19.00")),
        ("Adjustment", Decimal("-4.00")),
    ]
    assert sum(line.total.amount for line in lines) == Decimal("15.00")
