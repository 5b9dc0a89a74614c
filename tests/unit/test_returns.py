"""Returns (RMAs) in the domain: what may be asked back, the lifecycle, receiving, refunds,
and what a received return does to its order. No I/O."""

from datetime import UTC, datetime
from decimal import Decimal
from itertools import product

import pytest

from domain.errors import InvalidInput, InvalidTransition
from domain.model.inventory import MovementKind
from domain.model.lifecycle import StatusChange
from domain.model.locations import ChannelCode
from domain.model.orders import Allocation, FulfilmentMethod, Order, OrderLine, OrderStatus
from domain.model.returns import (
    TRANSITIONS,
    ReceiptLine,
    Return,
    ReturnDisposition,
    ReturnRequest,
    ReturnStatus,
    returnable,
    units_returned,
)
from domain.money import Money

R = ReturnStatus
RESTOCK, DAMAGED = ReturnDisposition.RESTOCK, ReturnDisposition.DAMAGED
AT = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
STORE_ID, STORE = 9, "ST-9"

DIAGRAM = {
    (R.REQUESTED, R.APPROVED),
    (R.REQUESTED, R.REJECTED),
    (R.APPROVED, R.RECEIVED),
    (R.APPROVED, R.REJECTED),
    (R.RECEIVED, R.REFUNDED),
}


def make_order(tee_shipped=5, mug_shipped=1, status=OrderStatus.SHIPPED):
    """Five T-shirts at 10.00 from two warehouses and a mug at 4.50; some of them shipped."""
    tee = [Allocation(1, "WH-EAST", 2, id=101), Allocation(2, "WH-WEST", 3, id=102)]
    for allocation in tee:
        allocation.fulfilled = min(allocation.quantity, tee_shipped)
        tee_shipped -= allocation.fulfilled
    mug = [Allocation(1, "WH-EAST", 1, fulfilled=mug_shipped, id=103)]
    return Order(
        channel=ChannelCode.WEB,
        fulfilment=FulfilmentMethod.SHIPPING,
        currency="EUR",
        lines=[
            OrderLine(10, "TEE-S", "T-shirt S", 5, Money.of("10.00", "EUR"), tee, id=1),
            OrderLine(20, "MUG", "Mug", 1, Money.of("4.50", "EUR"), mug, id=2),
        ],
        created_at=AT,
        customer_email="ada@example.com",
        status=status,
        number="SO-000007",
        id=7,
    )


def request(order, *lines, others=()):
    rma = Return.request(
        order,
        [ReturnRequest(sku, quantity, reason) for sku, quantity, reason in lines],
        list(others),
        "ada@example.com",
        AT,
    )
    rma.id, rma.number = len(others) + 1, f"RT-{len(others) + 1:06d}"
    return rma


def approved(order, *lines, others=()):
    rma = request(order, *lines, others=others)
    rma.approve("kim", AT)
    return rma


def received(order, receipts, *lines, others=()):
    rma = approved(order, *lines, others=others)
    rma.receive(STORE_ID, STORE, [ReceiptLine(*r) for r in receipts], "kim", AT)
    return rma


def snapshot(rma):
    return (
        rma.status,
        list(rma.history),
        [(line.restocked, line.damaged) for line in rma.lines],
        rma.location_id,
        rma.refund,
    )


def summary(movements):
    return [
        (m.variant_id, m.location_id, m.kind, m.on_hand_delta, m.damaged_delta, m.reference)
        for m in movements
    ]


# -- the state machine ------------------------------------------------------------------------


def test_a_return_moves_exactly_along_the_diagram():
    allowed = {
        (current, target)
        for current, target in product(R, R)
        if target in TRANSITIONS.get(current, frozenset())
    }

    assert allowed == DIAGRAM


def test_a_request_starts_the_history_at_requested_with_the_order_prices_and_visibility():
    rma = request(make_order(), ("TEE-S", 2, " too small "))

    assert rma.status is R.REQUESTED
    assert rma.history == [StatusChange(None, R.REQUESTED, "ada@example.com", AT)]
    assert [(line.sku, line.quantity, line.reason, line.unit_price) for line in rma.lines] == [
        ("TEE-S", 2, "too small", Money.of("10.00", "EUR"))
    ]
    assert (rma.order_id, rma.currency, rma.customer_email) == (7, "EUR", "ada@example.com")
    assert rma.order_location_codes == {"WH-EAST", "WH-WEST"}


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([], "receive"),  # not approved yet
        (["approve"], "approve"),
        (["reject"], "approve"),
        (["approve", "receive"], "reject"),
        (["approve", "receive", "refund"], "refund"),
        ([], "refund"),
    ],
)
def test_a_step_out_of_order_is_an_invalid_transition_and_changes_nothing(steps, refused):
    rma = request(make_order(), ("TEE-S", 2, ""))
    actions = {
        "approve": lambda: rma.approve("kim", AT),
        "reject": lambda: rma.reject("kim", AT),
        "receive": lambda: rma.receive(
            STORE_ID, STORE, [ReceiptLine("TEE-S", 1, RESTOCK)], "kim", AT
        ),
        "refund": lambda: rma.mark_refunded("kim", AT),
    }
    for step in steps:
        actions[step]()
    before = snapshot(rma)

    with pytest.raises(InvalidTransition, match=f"return RT-000001 cannot go from {rma.status}"):
        actions[refused]()

    assert snapshot(rma) == before


def test_an_approved_return_can_still_be_rejected_when_the_goods_never_come():
    rma = approved(make_order(), ("TEE-S", 2, ""))

    rma.reject("kim", AT, "nothing arrived in 30 days")

    assert rma.status is R.REJECTED
    assert rma.history[-1] == StatusChange(
        R.APPROVED, R.REJECTED, "kim", AT, "nothing arrived in 30 days"
    )


# -- what may be asked back ---------------------------------------------------------------------


def test_only_units_that_left_may_be_asked_back():
    order = make_order()

    with pytest.raises(InvalidInput, match="SKU TEE-S: 5 returnable, 6 requested") as refused:
        request(order, ("TEE-S", 6, ""))

    assert refused.value.field == "lines.0.quantity"
    assert request(order, ("TEE-S", 5, "")).lines[0].quantity == 5


def test_a_partly_shipped_order_takes_no_return_until_everything_has_shipped():
    order = make_order(tee_shipped=3, mug_shipped=0, status=OrderStatus.PARTIALLY_SHIPPED)

    with pytest.raises(InvalidTransition, match="from PARTIALLY_SHIPPED to PARTIALLY_RETURNED"):
        request(order, ("TEE-S", 1, ""))


def test_units_on_their_way_back_or_back_in_other_returns_are_not_returnable_again():
    order = make_order()
    pending = request(order, ("TEE-S", 2, ""))
    back = received(order, [("TEE-S", 1, RESTOCK)], ("TEE-S", 2, ""), others=[pending])

    assert returnable(order, [pending, back]) == {1: 2, 2: 1}
    with pytest.raises(InvalidInput, match="SKU TEE-S: 2 returnable, 3 requested"):
        request(order, ("TEE-S", 3, ""), others=[pending, back])


def test_units_of_a_rejected_return_may_be_asked_back_again():
    order = make_order()
    rejected = request(order, ("TEE-S", 5, ""), ("MUG", 1, ""))
    rejected.reject("kim", AT)

    again = request(order, ("TEE-S", 5, ""), ("MUG", 1, ""), others=[rejected])

    assert [line.quantity for line in again.lines] == [5, 1]


@pytest.mark.parametrize(
    ("lines", "field", "message"),
    [
        ([], "lines", "at least one line"),
        ([("HAT", 1, "")], "lines.0.sku", "has no line for SKU HAT"),
        ([("bad sku!", 1, "")], "lines.0.sku", "must be 1-64"),
        ([("TEE-S", 1, ""), ("tee-s", 1, "")], "lines.1.sku", "appears twice"),
        ([("MUG", 0, "")], "lines.0.quantity", "must be positive"),
        ([("MUG", -1, "")], "lines.0.quantity", "must be positive"),
        ([("MUG", 1, "x" * 501)], "lines.0.reason", "at most 500"),
    ],
)
def test_a_request_breaking_a_rule_is_refused_naming_the_field(lines, field, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        request(make_order(), *lines)

    assert refused.value.field == field


def test_skus_are_matched_whatever_their_case():
    rma = request(make_order(), (" mug ", 1, ""))

    assert rma.lines[0].sku == "MUG"


# -- receiving ------------------------------------------------------------------------------------


def test_receiving_restocks_and_holds_damaged_units_at_the_receiving_location():
    rma = approved(make_order(), ("TEE-S", 3, ""), ("MUG", 1, ""))

    movements = rma.receive(
        STORE_ID,
        STORE,
        [ReceiptLine("TEE-S", 2, RESTOCK), ReceiptLine("TEE-S", 1, DAMAGED)],
        "kim",
        AT,
        "box was wet",
    )

    assert rma.status is R.RECEIVED
    assert (rma.location_id, rma.location_code) == (STORE_ID, STORE)
    assert [(line.sku, line.restocked, line.damaged) for line in rma.lines] == [
        ("TEE-S", 2, 1),
        ("MUG", 0, 0),
    ]
    assert summary(movements) == [
        (10, STORE_ID, MovementKind.RETURN_RESTOCK, 2, 0, "return:1"),
        (10, STORE_ID, MovementKind.RETURN_DAMAGED, 0, 1, "return:1"),
    ]
    assert all(m.reserved_delta == 0 and m.in_transit_delta == 0 for m in movements)
    assert rma.history[-1] == StatusChange(R.APPROVED, R.RECEIVED, "kim", AT, "box was wet")


def test_a_sku_listed_twice_with_one_disposition_moves_once():
    rma = approved(make_order(), ("TEE-S", 3, ""))

    movements = rma.receive(
        STORE_ID,
        STORE,
        [ReceiptLine("TEE-S", 1, RESTOCK), ReceiptLine("tee-s", 2, RESTOCK)],
        "kim",
        AT,
    )

    assert summary(movements) == [(10, STORE_ID, MovementKind.RETURN_RESTOCK, 3, 0, "return:1")]


@pytest.mark.parametrize(
    ("receipts", "field", "message"),
    [
        ([], "lines", "at least one line"),
        ([("TEE-S", 4, RESTOCK)], "lines.0.quantity", "SKU TEE-S: 3 to return, 4 received"),
        (
            [("TEE-S", 2, RESTOCK), ("TEE-S", 2, DAMAGED)],
            "lines.1.quantity",
            "SKU TEE-S: 3 to return, 4 received",
        ),
        ([("MUG", 1, RESTOCK)], "lines.0.sku", "return RT-000001 has no line for SKU MUG"),
        ([("TEE-S", 0, DAMAGED)], "lines.0.quantity", "must be positive"),
    ],
)
def test_a_receipt_breaking_a_rule_is_refused_and_changes_nothing(receipts, field, message):
    rma = approved(make_order(), ("TEE-S", 3, ""))

    with pytest.raises(InvalidInput, match=message) as refused:
        rma.receive(STORE_ID, STORE, [ReceiptLine(*r) for r in receipts], "kim", AT)

    assert refused.value.field == field
    assert rma.status is R.APPROVED
    assert (rma.lines[0].restocked, rma.lines[0].damaged, rma.location_id) == (0, 0, None)


def test_units_returned_count_only_received_returns():
    order = make_order()
    waiting = approved(order, ("MUG", 1, ""))
    first = received(order, [("TEE-S", 1, RESTOCK), ("TEE-S", 1, DAMAGED)], ("TEE-S", 3, ""))
    second = received(order, [("TEE-S", 1, RESTOCK)], ("TEE-S", 1, ""), others=[first])

    assert units_returned([waiting, first, second]) == {1: 3}


# -- refunds ------------------------------------------------------------------------------------


def test_the_refund_is_every_unit_received_at_its_order_price():
    rma = received(
        make_order(),
        [("TEE-S", 1, RESTOCK), ("TEE-S", 1, DAMAGED), ("MUG", 1, DAMAGED)],
        ("TEE-S", 3, ""),
        ("MUG", 1, ""),
    )

    refund = rma.mark_refunded("kim", AT)

    assert refund == Money(Decimal("24.50"), "EUR")
    assert rma.refund == refund
    assert rma.status is R.REFUNDED


# -- the order ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "returned", "expected"),
    [
        (OrderStatus.SHIPPED, {1: 2}, OrderStatus.PARTIALLY_RETURNED),
        (OrderStatus.DELIVERED, {1: 5, 2: 1}, OrderStatus.RETURNED),
        (OrderStatus.COMPLETED, {2: 1}, OrderStatus.PARTIALLY_RETURNED),
        (OrderStatus.PARTIALLY_RETURNED, {1: 4, 2: 1}, OrderStatus.PARTIALLY_RETURNED),
        (OrderStatus.PARTIALLY_RETURNED, {1: 5, 2: 1}, OrderStatus.RETURNED),
    ],
)
def test_an_order_is_returned_once_every_unit_that_left_is_back(status, returned, expected):
    order = make_order(status=status)

    order.record_returned(returned, "kim", AT, "RT-000001 received")

    assert order.status is expected
    assert order.history == [StatusChange(status, expected, "kim", AT, "RT-000001 received")]


@pytest.mark.parametrize(
    ("status", "returned", "error"),
    [
        (OrderStatus.CONFIRMED, {1: 1}, InvalidTransition),  # nothing left the building
        (OrderStatus.CANCELLED, {1: 1}, InvalidTransition),
        (OrderStatus.RETURNED, {1: 1}, InvalidTransition),
        (OrderStatus.SHIPPED, {1: 6}, InvalidInput),  # more than left
        (OrderStatus.SHIPPED, {}, InvalidInput),  # nothing came back
    ],
)
def test_an_order_refuses_returns_it_cannot_have_had(status, returned, error):
    order = make_order(status=status)

    with pytest.raises(error):
        order.record_returned(returned, "kim", AT)

    assert (order.status, order.history) == (status, [])
