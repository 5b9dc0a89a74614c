"""The payment rules, without I/O: balances from entries, limits, order status, refund split."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.errors import AmountExceedsBalance, InvalidInput, InvalidTransition
from domain.model.payments import (
    EntryKind,
    OrderPaymentStatus,
    Payment,
    PaymentMethod,
    PaymentState,
    RefundShare,
    split_refund,
    summarise,
)
from domain.money import Money

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def payment(payment_id: int = 1) -> Payment:
    return Payment(
        order_id=7,
        method=PaymentMethod.CARD,
        provider="test",
        currency="USD",
        created_at=NOW,
        actor="kim",
        id=payment_id,
    )


def captured(amount: str, payment_id: int = 1) -> Payment:
    paid = payment(payment_id)
    paid.authorize(usd(amount), "kim", NOW, "ref")
    paid.capture(usd(amount), "kim", NOW)
    return paid


def test_balances_are_the_sums_of_the_entries():
    held = payment()
    held.authorize(usd("50.00"), "kim", NOW, "ref")
    held.capture(usd("20.00"), "kim", NOW)
    held.refund(usd("5.00"), "kim", NOW, reason="scratch")

    assert (held.authorized, held.captured, held.refunded) == (
        usd("50.00"),
        usd("20.00"),
        usd("5.00"),
    )
    assert held.capturable == usd("30.00")
    assert held.refundable == usd("15.00")
    assert [e.kind for e in held.new_entries] == [
        EntryKind.AUTHORIZATION,
        EntryKind.CAPTURE,
        EntryKind.REFUND,
    ]


def test_a_payment_is_captured_once_nothing_is_left_to_take():
    held = payment()
    held.authorize(usd("50.00"), "kim", NOW, "ref")
    held.capture(usd("20.00"), "kim", NOW)
    assert held.state is PaymentState.AUTHORIZED

    held.capture(usd("30.00"), "kim", NOW)

    assert held.state is PaymentState.CAPTURED


def test_a_capture_above_what_is_held_is_refused():
    held = payment()
    held.authorize(usd("50.00"), "kim", NOW, "ref")

    with pytest.raises(AmountExceedsBalance):
        held.capture(usd("50.01"), "kim", NOW)
    assert held.captured == usd("0.00")


def test_a_refund_above_what_was_captured_and_not_refunded_is_refused():
    paid = captured("20.00")
    paid.refund(usd("15.00"), "kim", NOW)

    with pytest.raises(AmountExceedsBalance):
        paid.refund(usd("5.01"), "kim", NOW)


def test_voiding_releases_the_rest_and_keeps_what_was_captured():
    held = payment()
    held.authorize(usd("50.00"), "kim", NOW, "ref")
    held.capture(usd("20.00"), "kim", NOW)

    held.void("kim", NOW)

    assert held.state is PaymentState.CAPTURED
    assert held.released == usd("30.00")
    assert held.capturable == usd("0.00")


def test_a_voided_authorization_cannot_be_captured():
    held = payment()
    held.authorize(usd("50.00"), "kim", NOW, "ref")
    held.void("kim", NOW)

    with pytest.raises(InvalidTransition):
        held.capture(usd("1.00"), "kim", NOW)


def test_a_declined_payment_holds_nothing():
    declined = payment()

    declined.fail("provider", NOW, "card declined")

    assert declined.state is PaymentState.FAILED
    assert declined.capturable == usd("0.00")
    with pytest.raises(InvalidTransition):
        declined.authorize(usd("1.00"), "provider", NOW, "ref")


def test_amounts_in_another_currency_are_refused():
    paid = captured("20.00")

    with pytest.raises(InvalidInput):
        paid.refund(Money.of("1.00", "EUR"), "kim", NOW)


@pytest.mark.parametrize(
    ("captures", "refunds", "held", "expected"),
    [
        ((), (), "0", OrderPaymentStatus.UNPAID),
        ((), (), "40", OrderPaymentStatus.AUTHORIZED),
        (("10.00",), (), "0", OrderPaymentStatus.PARTIALLY_PAID),
        (("40.00",), (), "0", OrderPaymentStatus.PAID),
        (("30.00", "20.00"), (), "0", OrderPaymentStatus.OVERPAID),
        (("40.00",), ("5.00",), "0", OrderPaymentStatus.PARTIALLY_REFUNDED),
        (("40.00",), ("40.00",), "0", OrderPaymentStatus.REFUNDED),
    ],
)
def test_an_orders_payment_status_follows_its_payments(captures, refunds, held, expected):
    payments = [captured(amount, index) for index, amount in enumerate(captures, start=1)]
    for payment_, refund in zip(payments, refunds, strict=False):
        payment_.refund(usd(refund), "kim", NOW)
    if held != "0":
        authorized = payment(99)
        authorized.authorize(usd(held), "kim", NOW, "ref")
        payments.append(authorized)

    summary = summarise(usd("40.00"), payments, cancelled=False)

    assert summary.status is expected


def test_refunds_never_make_an_order_owe_again():
    paid = captured("40.00")
    paid.refund(usd("10.00"), "kim", NOW)

    summary = summarise(usd("40.00"), [paid], cancelled=False)

    assert summary.balance_due == usd("0.00")
    assert summary.total_refunded == usd("10.00")


def test_a_cancelled_order_owes_nothing():
    assert summarise(usd("40.00"), [], cancelled=True).balance_due == usd("0.00")


def test_a_refund_takes_from_the_largest_refundable_payment_first():
    small, large = captured("10.00", 1), captured("30.00", 2)

    shares = split_refund(usd("35.00"), [small, large])

    assert [(s.payment.id, s.amount.amount) for s in shares] == [
        (2, Decimal("30.00")),
        (1, Decimal("5.00")),
    ]


def test_a_refund_above_all_that_is_refundable_is_refused():
    with pytest.raises(AmountExceedsBalance):
        split_refund(usd("40.01"), [captured("10.00", 1), captured("30.00", 2)])


def test_a_callers_shares_must_add_up_to_the_refund():
    small = captured("10.00", 1)

    with pytest.raises(InvalidInput):
        split_refund(usd("5.00"), [small], [RefundShare(small, usd("4.00"))])
