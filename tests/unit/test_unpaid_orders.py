"""When an unpaid order expires: PENDING, older than its channel's limit, nothing paid,
held or waiting for a provider's answer."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.model.locations import ChannelCode
from domain.model.orders import FulfilmentMethod, Order, OrderLine, OrderStatus
from domain.model.payments import Payment, PaymentMethod
from domain.money import Money
from domain.usecases.unpaid_orders import expiry_note, has_expired

PLACED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=30)
USD = Money(Decimal("19.90"), "USD")


def make_order(status: OrderStatus = OrderStatus.PENDING) -> Order:
    lines = [OrderLine(1, "TEE", "T-shirt", 1, USD)]
    return Order(ChannelCode.WEB, FulfilmentMethod.SHIPPING, "USD", lines, PLACED, status=status)


def payment(state: str) -> Payment:
    made = Payment(1, PaymentMethod.CARD, "test", "USD", PLACED, "ada")
    if state in ("AUTHORIZED", "CAPTURED", "VOIDED"):
        made.authorize(USD, "ada", PLACED, "ref")
    if state == "CAPTURED":
        made.capture(USD, "ada", PLACED)
    if state == "VOIDED":
        made.void("ada", PLACED)
    if state == "FAILED":
        made.fail("ada", PLACED, "declined")
    assert made.state == state
    return made


def test_an_unpaid_pending_order_expires_once_its_limit_has_passed():
    assert not has_expired(make_order(), [], TTL, PLACED + TTL - timedelta(seconds=1))
    assert has_expired(make_order(), [], TTL, PLACED + TTL)


@pytest.mark.parametrize("state", ["AUTHORIZED", "CAPTURED", "PENDING"])
def test_money_held_taken_or_awaited_keeps_the_order(state):
    assert not has_expired(make_order(), [payment(state)], TTL, PLACED + TTL * 2)


@pytest.mark.parametrize("state", ["FAILED", "VOIDED"])
def test_a_failed_or_voided_payment_does_not(state):
    assert has_expired(make_order(), [payment(state)], TTL, PLACED + TTL * 2)


@pytest.mark.parametrize("status", [OrderStatus.CONFIRMED, OrderStatus.CANCELLED])
def test_only_a_pending_order_expires(status):
    assert not has_expired(make_order(status), [], TTL, PLACED + TTL * 2)


def test_the_note_names_the_limit_in_minutes():
    assert expiry_note(timedelta(hours=2)) == "unpaid after 120 minutes"
