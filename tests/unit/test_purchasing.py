"""Suppliers and purchase orders: the state machine, what each step does to stock, and the
rules about their shape and who may see them. No I/O."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import product

import pytest

from domain.access import Principal, Role
from domain.errors import InvalidInput, InvalidTransition
from domain.model.catalog import Variant
from domain.model.inventory import MovementKind, StockMovement
from domain.model.purchase_orders import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    ReceivedUnits,
    expected_arrival,
    may_see,
    validate_lines,
)
from domain.model.suppliers import new_supplier, normalise_supplier_code, supplier_cost
from domain.money import Money

S = PurchaseOrderStatus
K = MovementKind
AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
WAREHOUSE = 1  # location id
TEE, MUG = 10, 20  # variant ids

DIAGRAM = {
    (S.DRAFT, S.ORDERED),
    (S.DRAFT, S.CANCELLED),
    (S.ORDERED, S.PARTIALLY_RECEIVED),
    (S.ORDERED, S.RECEIVED),
    (S.ORDERED, S.CANCELLED),
    (S.PARTIALLY_RECEIVED, S.PARTIALLY_RECEIVED),
    (S.PARTIALLY_RECEIVED, S.RECEIVED),
    (S.PARTIALLY_RECEIVED, S.CANCELLED),
}


def make_order(status=S.DRAFT, *, tees=10, mugs=4):
    """Ten T-shirts at 4.20 and four mugs at 1.50 from ACME, for WH-EAST."""
    return PurchaseOrder(
        supplier_id=3,
        supplier_code="ACME",
        location_id=WAREHOUSE,
        location_code="WH-EAST",
        currency="USD",
        lines=[
            PurchaseOrderLine(TEE, "TEE-S", tees, Money(Decimal("4.20"), "USD")),
            PurchaseOrderLine(MUG, "MUG", mugs, Money(Decimal("1.50"), "USD")),
        ],
        created_at=AT,
        status=status,
        number="PO-000005",
        id=5,
    )


def ordered(**kwargs) -> PurchaseOrder:
    order = make_order(**kwargs)
    order.submit("buyer", AT)
    return order


def summary(movements: list[StockMovement]) -> list[tuple]:
    return [
        (m.variant_id, m.location_id, m.kind, m.on_hand_delta, m.incoming_delta, m.reference)
        for m in movements
    ]


def receipt(*pairs: tuple[str, int]) -> list[ReceivedUnits]:
    return [ReceivedUnits(sku, quantity) for sku, quantity in pairs]


# -- the state machine ---------------------------------------------------------------------


def test_can_transition_allows_exactly_the_moves_drawn_in_the_diagram():
    allowed = {
        (source, target)
        for source, target in product(S, S)
        if make_order(source).can_transition(target)
    }
    assert allowed == DIAGRAM


def test_received_and_cancelled_orders_are_final():
    for status in (S.RECEIVED, S.CANCELLED):
        assert not any(make_order(status).can_transition(target) for target in S)


# -- what each step does to stock -----------------------------------------------------------


def test_submitting_makes_every_ordered_unit_incoming_at_the_destination():
    order = make_order()

    movements = order.submit("buyer", AT, "weekly restock")

    assert order.status is S.ORDERED
    assert summary(movements) == [
        (TEE, WAREHOUSE, K.PURCHASE_ORDERED, 0, 10, "purchase_order:5"),
        (MUG, WAREHOUSE, K.PURCHASE_ORDERED, 0, 4, "purchase_order:5"),
    ]
    assert all(m.reserved_delta == m.in_transit_delta == 0 for m in movements)
    assert order.history[-1].note == "weekly restock"


def test_a_short_delivery_is_partially_received_and_only_what_arrived_moves():
    order = ordered()

    movements = order.receive(receipt(("TEE-S", 6)), "clerk", AT)

    assert order.status is S.PARTIALLY_RECEIVED
    assert summary(movements) == [(TEE, WAREHOUSE, K.PURCHASE_RECEIPT, 6, -6, "purchase_order:5")]
    assert [(line.received, line.outstanding) for line in order.lines] == [(6, 4), (0, 4)]


def test_receipts_add_up_until_nothing_is_outstanding():
    order = ordered()
    order.receive(receipt(("TEE-S", 6)), "clerk", AT)
    order.receive(receipt(("TEE-S", 1), ("MUG", 4)), "clerk", AT)

    order.receive(receipt(("TEE-S", 3)), "clerk", AT)

    assert order.status is S.RECEIVED
    assert [line.received for line in order.lines] == [10, 4]
    assert [change.to_status for change in order.history] == [
        S.ORDERED,
        S.PARTIALLY_RECEIVED,
        S.PARTIALLY_RECEIVED,
        S.RECEIVED,
    ]


def test_receiving_everything_at_once_goes_straight_to_received():
    order = ordered()

    order.receive(receipt(("MUG", 4), ("TEE-S", 10)), "clerk", AT)

    assert order.status is S.RECEIVED


@pytest.mark.parametrize(
    ("pairs", "field"),
    [
        ([("TEE-S", 11)], "lines.0.quantity"),
        ([("MUG", 1), ("TEE-S", 5), ("TEE-S", 1)], "lines.2.sku"),
        ([("SOCKS", 1)], "lines.0.sku"),
        ([("MUG", -1)], "lines.0.quantity"),
        ([("MUG", 0)], "lines"),
        ([], "lines"),
    ],
    ids=["over-receipt", "twice", "not-on-the-order", "negative", "nothing", "empty"],
)
def test_a_receipt_that_breaks_a_rule_changes_nothing(pairs, field):
    order = ordered()

    with pytest.raises(InvalidInput) as refused:
        order.receive(receipt(*pairs), "clerk", AT)

    assert refused.value.field == field
    assert order.status is S.ORDERED
    assert [line.received for line in order.lines] == [0, 0]
    assert len(order.history) == 1


def test_an_over_receipt_counts_what_earlier_receipts_took():
    order = ordered()
    order.receive(receipt(("TEE-S", 8)), "clerk", AT)

    with pytest.raises(InvalidInput) as refused:
        order.receive(receipt(("TEE-S", 3)), "clerk", AT)

    assert refused.value.message == (
        "SKU TEE-S: 2 outstanding on purchase order PO-000005, 3 received"
    )


@pytest.mark.parametrize("status", [S.DRAFT, S.RECEIVED, S.CANCELLED])
def test_only_an_ordered_purchase_order_takes_receipts(status):
    with pytest.raises(InvalidTransition):
        make_order(status).receive(receipt(("MUG", 1)), "clerk", AT)


def test_cancelling_after_a_partial_receipt_releases_only_what_did_not_arrive():
    order = ordered()
    order.receive(receipt(("TEE-S", 6), ("MUG", 4)), "clerk", AT)

    movements = order.cancel("buyer", AT, "supplier out of stock")

    assert order.status is S.CANCELLED
    assert summary(movements) == [(TEE, WAREHOUSE, K.PURCHASE_CANCELLED, 0, -4, "purchase_order:5")]


def test_cancelling_a_draft_moves_no_stock():
    order = make_order()

    assert order.cancel("buyer", AT) == []
    assert order.status is S.CANCELLED


def test_every_unit_submitted_leaves_incoming_by_receipt_or_cancellation():
    order = make_order()
    movements = order.submit("buyer", AT)
    movements += order.receive(receipt(("TEE-S", 7), ("MUG", 1)), "clerk", AT)
    movements += order.receive(receipt(("MUG", 2)), "clerk", AT)
    movements += order.cancel("buyer", AT)

    incoming = {TEE: 0, MUG: 0}
    on_hand = {TEE: 0, MUG: 0}
    for movement in movements:
        incoming[movement.variant_id] += movement.incoming_delta
        on_hand[movement.variant_id] += movement.on_hand_delta
    assert incoming == {TEE: 0, MUG: 0}
    assert on_hand == {TEE: 7, MUG: 3}


def test_the_total_is_the_sum_of_the_lines():
    assert make_order().total == Money(Decimal("48.00"), "USD")


# -- the shape of an order ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([], "lines"),
        ([("TEE-S", 0)], "lines.0.quantity"),
        ([("TEE-S", 1_000_001)], "lines.0.quantity"),
        ([("TEE-S", 1), ("TEE-S", 2)], "lines.1.sku"),
        ([(f"SKU-{n}", 1) for n in range(101)], "lines"),
    ],
    ids=["none", "zero", "too-many-units", "twice", "too-many-lines"],
)
def test_lines_must_be_unique_positive_and_few_enough(lines, field):
    with pytest.raises(InvalidInput) as refused:
        validate_lines(lines)
    assert refused.value.field == field


def test_goods_are_expected_after_the_suppliers_lead_time_unless_a_date_is_given():
    given = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

    assert expected_arrival(None, 14, AT) == AT + timedelta(days=14)
    assert expected_arrival(given, 14, AT) == given


@pytest.mark.parametrize(
    "expected_at",
    [
        datetime(2026, 12, 1, 10, 0),  # no UTC offset
        AT - timedelta(days=400),
        AT + timedelta(days=6 * 365),
        datetime.min.replace(tzinfo=UTC),
    ],
    ids=["naive", "long-ago", "too-far-ahead", "year-one"],
)
def test_an_expected_arrival_needs_an_offset_and_a_sensible_date(expected_at):
    with pytest.raises(InvalidInput) as refused:
        expected_arrival(expected_at, 14, AT)
    assert refused.value.field == "expectedAt"


# -- suppliers ------------------------------------------------------------------------------


def test_a_new_supplier_is_normalised():
    supplier = new_supplier(" acme-1 ", "  Acme Textiles ", "  ", 14)

    assert (supplier.code, supplier.name, supplier.contact, supplier.lead_time_days) == (
        "ACME-1",
        "Acme Textiles",
        None,
        14,
    )


@pytest.mark.parametrize(
    ("code", "name", "contact", "lead_time", "field"),
    [
        ("AC ME", "Acme", None, 1, "code"),
        ("", "Acme", None, 1, "code"),
        ("ACME", " ", None, 1, "name"),
        ("ACME", "Acme", "x" * 501, 1, "contact"),
        ("ACME", "Acme", None, -1, "leadTimeDays"),
        ("ACME", "Acme", None, 366, "leadTimeDays"),
    ],
    ids=["space", "empty-code", "no-name", "long-contact", "negative-lead", "long-lead"],
)
def test_a_supplier_that_breaks_a_rule_is_refused(code, name, contact, lead_time, field):
    with pytest.raises(InvalidInput) as refused:
        new_supplier(code, name, contact, lead_time)
    assert refused.value.field == field


def test_a_supplier_price_is_in_the_variants_currency_unless_another_is_named():
    variant = Variant("TEE-S", "S", Money(Decimal("19.90"), "USD"), id=TEE)

    default = supplier_cost(variant, Decimal("4.2"), None, field="prices.0")
    euros = supplier_cost(variant, Decimal("3.90"), " eur", field="prices.1")

    assert default.unit_cost == Money(Decimal("4.20"), "USD")
    assert euros.unit_cost == Money(Decimal("3.90"), "EUR")
    with pytest.raises(InvalidInput) as negative:
        supplier_cost(variant, Decimal("-1"), None, field="prices.2")
    with pytest.raises(InvalidInput) as currency:
        supplier_cost(variant, Decimal("1"), "DOLLARS", field="prices.3")
    assert (negative.value.field, currency.value.field) == (
        "prices.2.unitCost",
        "prices.3.currency",
    )


def test_supplier_codes_are_read_in_any_case():
    assert normalise_supplier_code(" acme ", field="supplierCode") == "ACME"


# -- who may see them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "sees"),
    [
        (Principal(Role.ADMIN), True),
        (Principal(Role.STAFF), True),
        (Principal(Role.STAFF, location_codes=frozenset({"WH-EAST"})), True),
        (Principal(Role.STAFF, location_codes=frozenset({"ST-MALL"})), False),
        (Principal(Role.POS, location_codes=frozenset({"WH-EAST"})), False),
        (Principal(Role.CUSTOMER, customer_email="ada@example.com"), False),
        (Principal.anonymous(), False),
    ],
    ids=["admin", "staff", "staff-there", "staff-elsewhere", "pos", "customer", "anonymous"],
)
def test_admins_and_staff_who_work_at_the_destination_see_a_purchase_order(principal, sees):
    assert may_see(principal, "WH-EAST") is sees
