"""Counter returns in the domain: what a till may take back, and settling it at once. No I/O."""

from datetime import timedelta

import pytest

from domain.errors import InvalidInput, InvalidTransition, NotFound
from domain.model.counter_returns import (
    MAX_COUNTER_LINES,
    CounterLine,
    check_note,
    check_occurred_at,
    settle,
    take_back,
)
from domain.model.inventory import MovementKind
from domain.model.orders import OrderStatus
from domain.model.returns import ReturnDisposition, ReturnStatus, units_returned
from domain.money import Money
from tests.unit.test_returns import AT, STORE, STORE_ID, make_order

RESTOCK, DAMAGED = ReturnDisposition.RESTOCK, ReturnDisposition.DAMAGED
NOW = AT + timedelta(days=3)


def counter(order, *lines, others=(), reason=""):
    rma = take_back(
        order,
        [CounterLine(*line) for line in lines],
        list(others),
        location_id=STORE_ID,
        location_code=STORE,
        reason=reason,
        actor="till-1",
        at=NOW,
    )
    rma.id, rma.number = len(others) + 1, f"RT-{len(others) + 1:06d}"
    return rma


def settled(order, *lines, others=(), note=None):
    rma = counter(order, *lines, others=others)
    movements = settle(rma, [CounterLine(*line) for line in lines], "till-1", NOW, note)
    return rma, movements


# -- when ----------------------------------------------------------------------------------------


def test_a_counter_return_may_happen_any_time_between_the_order_and_now():
    order = make_order()

    for moment in (AT, NOW, NOW + timedelta(minutes=4)):
        check_occurred_at(moment, order, NOW)


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (NOW + timedelta(minutes=6), "is in the future"),
        (AT - timedelta(seconds=1), "is before order SO-000007 was placed"),
        (NOW.replace(tzinfo=None), "needs a time zone"),
    ],
)
def test_a_counter_return_cannot_happen_in_the_future_or_before_its_order(moment, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        check_occurred_at(moment, make_order(), NOW)
    assert refused.value.field == "occurredAt"


# -- taking back ---------------------------------------------------------------------------------


def test_lines_of_one_sku_are_asked_back_together_to_be_received_at_the_store():
    rma = counter(make_order(), ("tee-s", 2), ("TEE-S", 1, DAMAGED), ("MUG", 1), reason=" gift ")

    assert [(line.sku, line.quantity, line.reason) for line in rma.lines] == [
        ("TEE-S", 3, "gift"),
        ("MUG", 1, "gift"),
    ]
    assert (rma.status, rma.location_id, rma.location_code) == (
        ReturnStatus.REQUESTED,
        STORE_ID,
        STORE,
    )


def test_a_sku_the_order_does_not_hold_is_not_found():
    with pytest.raises(NotFound, match="order SO-000007 has no line for SKU TEE-M") as refused:
        counter(make_order(), ("MUG", 1), ("TEE-M", 1))
    assert refused.value.field == "lines.1.sku"


def test_too_many_units_of_a_sku_are_pinned_on_its_first_line_on_the_counter():
    order = make_order(tee_shipped=3)

    with pytest.raises(InvalidInput, match="SKU TEE-S: 3 returnable, 4 requested") as refused:
        counter(order, ("MUG", 1), ("TEE-S", 2), ("TEE-S", 2, DAMAGED))
    assert refused.value.field == "lines.1.quantity"


def test_units_already_back_at_another_counter_are_not_returnable_again():
    order = make_order(tee_shipped=3)
    first, _ = settled(order, ("TEE-S", 2))

    with pytest.raises(InvalidInput, match="1 returnable, 2 requested"):
        counter(order, ("TEE-S", 2), others=[first])
    assert counter(order, ("TEE-S", 1), others=[first]).lines[0].quantity == 1


@pytest.mark.parametrize(
    ("lines", "reason", "field"),
    [
        ([("TEE-S", 0)], "", "lines.0.quantity"),
        ([("TEE-S", 1), ("bad sku!", 1)], "", "lines.1.sku"),
        ([("TEE-S", 1)], "x" * 501, "reason"),
        ([("TEE-S", 1)] * (MAX_COUNTER_LINES + 1), "", "lines"),
        ([], "", "lines"),
    ],
)
def test_a_malformed_counter_return_is_refused(lines, reason, field):
    with pytest.raises(InvalidInput) as refused:
        counter(make_order(), *lines, reason=reason)
    assert refused.value.field == field


def test_an_order_still_on_its_way_cannot_be_taken_back():
    with pytest.raises(InvalidTransition, match="CONFIRMED to PARTIALLY_RETURNED"):
        counter(make_order(tee_shipped=0, mug_shipped=0, status=OrderStatus.CONFIRMED), ("MUG", 1))


def test_a_note_has_at_most_500_characters():
    check_note(None)
    check_note("x" * 500)
    with pytest.raises(InvalidInput, match="at most 500"):
        check_note("x" * 501)


# -- settling ------------------------------------------------------------------------------------


def test_a_counter_return_is_approved_received_and_refunded_at_once():
    rma, _ = settled(make_order(), ("TEE-S", 2), ("TEE-S", 1, DAMAGED), ("MUG", 1), note="box")

    assert rma.status is ReturnStatus.REFUNDED
    assert [(c.from_status, c.to_status, c.actor, c.occurred_at, c.note) for c in rma.history] == [
        (None, ReturnStatus.REQUESTED, "till-1", NOW, None),
        (
            ReturnStatus.REQUESTED,
            ReturnStatus.APPROVED,
            "till-1",
            NOW,
            "taken back at the counter of ST-9",
        ),
        (ReturnStatus.APPROVED, ReturnStatus.RECEIVED, "till-1", NOW, "box"),
        (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED, "till-1", NOW, "paid back at the counter"),
    ]
    assert [(line.restocked, line.damaged) for line in rma.lines] == [(2, 1), (1, 0)]
    assert rma.refund == Money.of("34.50", "EUR")  # 3 x 10.00 + 4.50, damaged ones too


def test_settling_restocks_and_holds_damaged_units_at_the_store():
    _, movements = settled(make_order(), ("TEE-S", 2), ("TEE-S", 1, DAMAGED), ("MUG", 1))

    assert sorted(
        (m.kind, m.variant_id, m.location_id, m.on_hand_delta, m.damaged_delta, m.reference)
        for m in movements
    ) == [
        (MovementKind.RETURN_DAMAGED, 10, STORE_ID, 0, 1, "return:1"),
        (MovementKind.RETURN_RESTOCK, 10, STORE_ID, 2, 0, "return:1"),
        (MovementKind.RETURN_RESTOCK, 20, STORE_ID, 1, 0, "return:1"),
    ]


def test_the_order_counts_the_units_back_from_the_counter():
    order = make_order()
    rma, _ = settled(order, ("TEE-S", 5), ("MUG", 1))

    order.record_returned(units_returned([rma]), "till-1", NOW)

    assert order.status is OrderStatus.RETURNED
