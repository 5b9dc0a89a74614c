"""What a shipment captures, and from which holds: the rules of capture on shipment."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.model.locations import ChannelCode
from domain.model.orders import FulfilmentMethod, Order, OrderLine, OrderStatus
from domain.model.payments import Payment, PaymentMethod
from domain.model.shipments import Shipment, ShipmentLine
from domain.money import Money
from domain.usecases.shipment_capture import amount_to_capture, capture_shares, shipment_value

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def make_order(status: OrderStatus = OrderStatus.PARTIALLY_SHIPPED) -> Order:
    lines = [
        OrderLine(1, "TEE", "T-shirt", 3, usd("19.90")),
        OrderLine(2, "MUG", "Mug", 1, usd("9.50")),
    ]
    return Order(ChannelCode.WEB, FulfilmentMethod.SHIPPING, "USD", lines, AT, status=status)


def parcel(*lines: tuple[str, int]) -> Shipment:
    return Shipment("UPS", "1Z", [ShipmentLine(sku, "WH", units) for sku, units in lines], AT)


def held(amount: str, *, minutes: int = 0, captured: str | None = None) -> Payment:
    payment = Payment(1, PaymentMethod.CARD, "manual", "USD", AT + timedelta(minutes=minutes), "a")
    payment.authorize(usd(amount), "a", AT, "ref")
    if captured:
        payment.capture(usd(captured), "a", AT)
    return payment


def test_a_shipment_is_worth_its_units_at_the_orders_prices():
    assert shipment_value(make_order(), parcel(("TEE", 2), ("MUG", 1))) == usd("49.30")


def test_a_part_shipment_captures_its_value():
    assert amount_to_capture(make_order(), parcel(("TEE", 1)), [held("69.20")]) == usd("19.90")


def test_the_last_shipment_captures_all_the_order_still_lacks():
    order = make_order(OrderStatus.SHIPPED)  # 69.20, of which 10.00 was captured before

    amount = amount_to_capture(order, parcel(("MUG", 1)), [held("69.20", captured="10.00")])

    assert amount == usd("59.20")


def test_a_shipment_never_captures_more_than_the_order_lacks():
    order = make_order()  # 69.20, of which 60.00 was paid

    amount = amount_to_capture(order, parcel(("TEE", 2)), [held("69.20", captured="60.00")])

    assert amount == usd("9.20")


def test_holds_give_oldest_first_each_what_it_holds():
    newer, older = held("50.00", minutes=5), held("10.00", minutes=0)

    shares = capture_shares(usd("25.00"), [newer, older])

    assert [(s.payment, s.amount) for s in shares] == [(older, usd("10.00")), (newer, usd("15.00"))]


def test_too_little_held_gives_what_there_is():
    shares = capture_shares(usd("25.00"), [held("10.00")])

    assert [s.amount for s in shares] == [usd("10.00")]


def test_a_voided_hold_gives_nothing():
    voided = held("30.00")
    voided.void("a", AT)

    assert capture_shares(usd("25.00"), [voided]) == []
