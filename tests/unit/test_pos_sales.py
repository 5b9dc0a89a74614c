"""The rules of counter sales: pricing what was charged, payment, the COMPLETED order a sale
becomes, the stock it takes (below zero if need be), and who may see terminals."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.access import Principal, Role
from domain.errors import InvalidInput, NotFound
from domain.model.catalog import Variant
from domain.model.customers import Customer
from domain.model.inventory import MovementKind, StockMovement
from domain.model.orders import Order, OrderStatus
from domain.model.payments import PaymentMethod
from domain.model.pos import (
    PosTerminal,
    SaleLine,
    SalePayment,
    StockWarning,
    check_time,
    counter_order,
    may_see_terminal,
    price_sale,
    shortfalls,
    terminal_name,
    units_sold,
)
from domain.model.store_pricing import StoreTaxes
from domain.money import Money

AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TEE, MUG, SCARF = 10, 20, 30  # variant ids
VARIANTS = {
    "TEE-S": Variant("TEE-S", "T-shirt S", Money.of("19.90", "USD"), id=TEE),
    "MUG": Variant("MUG", "Mug", Money.of("9.50", "USD"), id=MUG),
    "SCARF": Variant("SCARF", "Scarf", Money.of("25.00", "EUR"), id=SCARF),
}
TILL = PosTerminal("Till 1", location_id=2, location_code="ST-MALL", registered_at=AT, id=7)
CASH, CARD = PaymentMethod.CASH, PaymentMethod.CARD


def line(sku: str, quantity: int, price: str) -> SaleLine:
    return SaleLine(sku, quantity, Decimal(price))


def paid(*payments: tuple[PaymentMethod, str]) -> list[SalePayment]:
    return [SalePayment(method, Decimal(amount)) for method, amount in payments]


def rejection(lines, payments) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    with pytest.raises((InvalidInput, NotFound)) as refused:
        price_sale(lines, payments, VARIANTS, StoreTaxes(), AT)
    return type(refused.value).__name__, refused.value.field


# -- pricing and payment -------------------------------------------------------------------


def test_a_sale_is_priced_at_what_the_till_charged_not_the_list_price():
    sale = price_sale(
        [line("tee-s", 2, "15.00")], paid((CARD, "30.00")), VARIANTS, StoreTaxes(), AT
    )

    assert (sale.currency, sale.total) == ("USD", Money.of("30.00", "USD"))
    assert [(ln.sku, ln.variant_id, ln.quantity, ln.unit_price.amount) for ln in sale.lines] == [
        ("TEE-S", TEE, 2, Decimal("15.00"))
    ]


def test_lines_of_one_sku_at_one_price_merge_into_one():
    sale = price_sale(
        [line("MUG", 1, "9.50"), line("TEE-S", 1, "19.90"), line("MUG", 2, "9.50")],
        paid((CARD, "48.40")),
        VARIANTS,
        StoreTaxes(),
        AT,
    )

    assert [(ln.sku, ln.quantity) for ln in sale.lines] == [("MUG", 3), ("TEE-S", 1)]


@pytest.mark.parametrize(
    ("lines", "payments", "expected"),
    [
        ([], [], ("InvalidInput", "lines")),
        ([line("NOPE", 1, "1.00")], [], ("NotFound", "lines.0.sku")),
        ([line("bad sku!", 1, "1.00")], [], ("InvalidInput", "lines.0.sku")),
        ([line("MUG", 0, "9.50")], [], ("InvalidInput", "lines.0.quantity")),
        ([line("MUG", 100_001, "9.50")], [], ("InvalidInput", "lines.0.quantity")),
        ([line("MUG", 1, "-0.01")], [], ("InvalidInput", "lines.0.unitPrice")),
        ([line("MUG", 1, "9.505")], [], ("InvalidInput", "lines.0.unitPrice")),
        (
            [line("MUG", 1, "9.50"), line("MUG", 1, "9.00")],
            [],
            ("InvalidInput", "lines.1.unitPrice"),
        ),
        ([line("MUG", 1, "9.50"), line("SCARF", 1, "25.00")], [], ("InvalidInput", "lines")),
        ([line("MUG", 2, "9.50")], paid((CARD, "18.99")), ("InvalidInput", "payments")),
        ([line("MUG", 1, "9.50")], paid((CARD, "0")), ("InvalidInput", "payments.0.amount")),
        ([line("MUG", 1, "9.50")], paid((CASH, "-5")), ("InvalidInput", "payments.0.amount")),
        ([line("MUG", 1, "9.50")], paid((CARD, "10.00")), ("InvalidInput", "payments")),
    ],
    ids=[
        "no lines",
        "unknown sku",
        "malformed sku",
        "no units",
        "absurd quantity",
        "negative price",
        "fraction of a cent",
        "one sku at two prices",
        "mixed currencies",
        "paid too little",
        "zero payment",
        "negative payment",
        "card beyond the total",
    ],
)
def test_a_sale_breaking_a_rule_is_refused_naming_the_field(lines, payments, expected):
    assert rejection(lines, payments) == expected


def test_cash_beyond_the_total_is_change_and_may_not_exceed_the_cash_tendered():
    change = price_sale(
        [line("MUG", 1, "9.50")], paid((CARD, "5.00"), (CASH, "10.00")), VARIANTS, StoreTaxes(), AT
    )

    assert [p.amount.amount for p in change.payments] == [Decimal("5.00"), Decimal("10.00")]
    assert rejection([line("MUG", 1, "9.50")], paid((CARD, "9.00"), (CASH, "0.40"))) == (
        "InvalidInput",
        "payments",
    )


def test_a_free_sale_needs_no_payment():
    sale = price_sale([line("MUG", 1, "0")], [], VARIANTS, StoreTaxes(), AT)

    assert (sale.total.amount, sale.payments) == (Decimal("0.00"), [])


def test_a_sale_needs_a_time_zone_and_a_time_not_ahead_of_ours():
    check_time(AT + timedelta(minutes=4), AT)
    with pytest.raises(InvalidInput, match="time zone"):
        check_time(datetime(2026, 11, 25, 10, 0), AT)
    with pytest.raises(InvalidInput, match="future"):
        check_time(AT + timedelta(hours=1), AT)


# -- the order and its stock ----------------------------------------------------------------


def sold(*lines: SaleLine, customer: Customer | None = None) -> Order:
    sale = price_sale(list(lines), paid((CASH, "1000.00")), VARIANTS, StoreTaxes(), AT)
    order = counter_order(sale, TILL, customer, "pos-terminal-7", AT)
    order.id = 42
    return order


def test_a_counter_sale_is_a_completed_pos_order_handed_over_at_the_store():
    ada = Customer("ada@example.com", "Ada", id=3)

    order = sold(line("MUG", 2, "9.50"), customer=ada)

    assert (order.channel, order.fulfilment, order.status) == ("POS", "COUNTER", "COMPLETED")
    assert (order.created_at, order.customer_id, order.customer_email) == (AT, 3, ada.email)
    assert [(a.location_code, a.quantity, a.fulfilled) for a in order.lines[0].allocations] == [
        ("ST-MALL", 2, 2)
    ]
    assert [(h.from_status, h.to_status, h.actor) for h in order.history] == [
        (None, OrderStatus.COMPLETED, "pos-terminal-7")
    ]


def test_a_counter_order_takes_returns_and_nothing_else():
    order = sold(line("MUG", 2, "9.50"))

    assert order.can_transition(OrderStatus.PARTIALLY_RETURNED)
    assert order.can_transition(OrderStatus.RETURNED)
    assert not order.can_transition(OrderStatus.CANCELLED)
    assert not order.can_transition(OrderStatus.CONFIRMED)
    order.lines[0].id = 1
    order.record_returned({1: 1}, "clerk", AT)
    assert order.status is OrderStatus.PARTIALLY_RETURNED
    order.record_returned({1: 2}, "clerk", AT)
    assert order.status is OrderStatus.RETURNED


def test_the_units_sold_leave_on_hand_and_may_take_it_below_zero():
    order = sold(line("MUG", 2, "9.50"), line("TEE-S", 1, "19.90"))

    movements = units_sold(order, "pos-terminal-7")

    assert [
        (m.kind, m.variant_id, m.location_id, m.on_hand_delta, m.reserved_delta, m.reference)
        for m in movements
    ] == [
        (MovementKind.SALE, MUG, 2, -2, 0, "order:42"),
        (MovementKind.SALE, TEE, 2, -1, 0, "order:42"),
    ]
    assert all(m.may_go_negative and m.occurred_at == AT for m in movements)


def test_only_a_change_of_on_hand_may_go_negative():
    with pytest.raises(ValueError, match="on hand only"):
        StockMovement(MUG, 2, MovementKind.SALE, -1, -1, "order:1", "x", AT, may_go_negative=True)


def test_the_lines_that_left_the_shelf_short_are_reported_with_the_level_they_left():
    first = sold(line("MUG", 3, "9.50"))
    second = sold(line("MUG", 2, "9.50"), line("TEE-S", 1, "19.90"))

    warnings = shortfalls([first, second], {MUG: -1, TEE: 0})

    assert warnings == [[], [StockWarning("MUG", -1)]]
    assert shortfalls([first, second], {MUG: -4, TEE: -2}) == [
        [StockWarning("MUG", -2)],
        [StockWarning("MUG", -4), StockWarning("TEE-S", -2)],
    ]


# -- terminals ------------------------------------------------------------------------------


def test_a_terminal_acts_as_pos_at_its_store_naming_itself():
    principal = TILL.principal()

    assert (principal.role, principal.location_codes, principal.terminal_id) == (
        Role.POS,
        frozenset({"ST-MALL"}),
        7,
    )


def test_admins_see_every_terminal_and_staff_those_of_their_stores():
    assert may_see_terminal(Principal(Role.ADMIN), "ST-MALL")
    assert may_see_terminal(Principal(Role.STAFF), "ST-MALL")
    assert may_see_terminal(Principal(Role.STAFF, location_codes=frozenset({"ST-MALL"})), "ST-MALL")
    assert not may_see_terminal(
        Principal(Role.STAFF, location_codes=frozenset({"ST-X"})), "ST-MALL"
    )
    assert not may_see_terminal(TILL.principal(), "ST-MALL")
    assert not may_see_terminal(Principal.anonymous(), "ST-MALL")


def test_a_terminal_name_is_trimmed_and_not_empty():
    assert terminal_name("  Till 1 ") == "Till 1"
    with pytest.raises(InvalidInput):
        terminal_name("   ")
    with pytest.raises(InvalidInput):
        terminal_name("x" * 101)
