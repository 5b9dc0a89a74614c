"""What a till puts in the money ledger: the tenders it kept (cash less the change), and
which tenders a counter return gives money back through (card first, cash for cash)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.errors import AmountExceedsBalance
from domain.model.catalog import Variant
from domain.model.counter_returns import counter_refund
from domain.model.payments import Payment, PaymentMethod
from domain.model.pos import SaleLine, SalePayment, kept, price_sale
from domain.model.store_pricing import StoreTaxes
from domain.money import Money

AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
CASH, CARD, GIFT = PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.GIFT_CARD
VARIANTS = {
    "TEE-S": Variant("TEE-S", "T-shirt S", Money.of("19.90", "USD"), id=10),
    "MUG": Variant("MUG", "Mug", Money.of("9.50", "USD"), id=20),
}


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def tenders_kept(*paid: tuple[PaymentMethod, str]) -> list[tuple[PaymentMethod, str]]:
    """What the till keeps of a sale of one TEE-S and one MUG (29.40) paid with `paid`."""
    sale = price_sale(
        [SaleLine("TEE-S", 1, Decimal("19.90")), SaleLine("MUG", 1, Decimal("9.50"))],
        [SalePayment(method, Decimal(amount)) for method, amount in paid],
        VARIANTS,
        StoreTaxes(),
        AT,
    )
    return [(p.method, str(p.amount.amount)) for p in kept(sale)]


def captured(payment_id: int, method: PaymentMethod, amount: str, refunded: str = "0") -> Payment:
    payment = Payment(1, method, "pos", "USD", AT, "till", id=payment_id)
    payment.authorize(usd(amount), "till", AT, None)
    payment.capture(usd(amount), "till", AT)
    if Decimal(refunded):
        payment.refund(usd(refunded), "till", AT)
    return payment


def shares(amount: str, *payments: Payment) -> list[tuple[int | None, str]]:
    return [(s.payment.id, str(s.amount.amount)) for s in counter_refund(usd(amount), payments)]


def test_the_change_comes_out_of_the_cash():
    assert tenders_kept((CARD, "10.00"), (CASH, "50.00")) == [(CARD, "10.00"), (CASH, "19.40")]


def test_the_change_comes_out_of_the_last_cash_tendered_first():
    assert tenders_kept((CASH, "20.00"), (CASH, "20.00")) == [(CASH, "20.00"), (CASH, "9.40")]


def test_cash_all_handed_back_as_change_is_no_payment():
    assert tenders_kept((CARD, "29.40"), (CASH, "5.00")) == [(CARD, "29.40")]


def test_a_sale_paid_exactly_keeps_every_tender():
    assert tenders_kept((GIFT, "9.40"), (CARD, "20.00")) == [(GIFT, "9.40"), (CARD, "20.00")]


def test_a_counter_refund_goes_to_the_card_before_the_cash():
    cash, card = captured(1, CASH, "19.40"), captured(2, CARD, "10.00")

    assert shares("9.50", cash, card) == [(2, "9.50")]
    assert shares("15.00", cash, card) == [(2, "10.00"), (1, "5.00")]


def test_non_cash_tenders_give_back_largest_first():
    gift, card = captured(1, GIFT, "5.00"), captured(2, CARD, "20.00")

    assert shares("22.00", gift, card) == [(2, "20.00"), (1, "2.00")]


def test_what_was_refunded_already_is_not_given_back_again():
    cash, card = captured(1, CASH, "19.40"), captured(2, CARD, "10.00", refunded="9.50")

    assert shares("5.00", cash, card) == [(2, "0.50"), (1, "4.50")]


def test_a_counter_refund_above_what_is_left_is_refused():
    card = captured(2, CARD, "10.00", refunded="6.00")

    with pytest.raises(AmountExceedsBalance, match=r"4\.00 USD captured and not refunded"):
        counter_refund(usd("9.50"), [card])


def test_an_order_never_paid_in_the_ledger_gives_nothing_back_through_it():
    assert shares("9.50") == []
