from collections import Counter
from datetime import UTC, datetime
from itertools import product

import pytest

from domain.access import Principal, Role
from domain.errors import InsufficientStock, InvalidInput, InvalidTransition
from domain.model.inventory import MovementKind, StockLevel
from domain.model.lifecycle import StatusChange
from domain.model.transfers import (
    ReceivedLine,
    Transfer,
    TransferLine,
    TransferStatus,
    may_see,
    validate_lines,
)

S = TransferStatus
K = MovementKind
AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
WAREHOUSE, STORE = 1, 2  # location ids
TEE, MUG = 10, 20  # variant ids

DIAGRAM = {
    (S.DRAFT, S.REQUESTED),
    (S.DRAFT, S.CANCELLED),
    (S.REQUESTED, S.IN_TRANSIT),
    (S.REQUESTED, S.CANCELLED),
    (S.IN_TRANSIT, S.RECEIVED),
    (S.IN_TRANSIT, S.PARTIALLY_RECEIVED),
}


def make_transfer(status=S.DRAFT, *, tees=5, mugs=2):
    """Five T-shirts and two mugs from WH-EAST to STORE-1."""
    transfer = Transfer(
        from_location_id=WAREHOUSE,
        from_location_code="WH-EAST",
        to_location_id=STORE,
        to_location_code="STORE-1",
        lines=[TransferLine(TEE, "TEE-S", tees), TransferLine(MUG, "MUG", mugs)],
        created_at=AT,
        status=status,
        number="TR-000007",
        id=7,
    )
    return transfer


def levels(tees=10, mugs=10, *, safety_stock=0, reserved=0):
    return {
        (TEE, WAREHOUSE): StockLevel(TEE, WAREHOUSE, tees, reserved, safety_stock=safety_stock),
        (MUG, WAREHOUSE): StockLevel(MUG, WAREHOUSE, mugs, 0, safety_stock=safety_stock),
    }


def summary(movements):
    return [
        (
            m.variant_id,
            m.location_id,
            m.kind,
            m.on_hand_delta,
            m.reserved_delta,
            m.in_transit_delta,
        )
        for m in movements
    ]


def requested(**kwargs):
    transfer = make_transfer(**kwargs)
    transfer.request(levels(), "kim", AT)
    return transfer


def in_transit(**kwargs):
    transfer = requested(**kwargs)
    transfer.ship("DHL", "TRK-1", "kim", AT)
    return transfer


def test_can_transition_allows_exactly_the_moves_drawn_in_the_diagram():
    transfer = make_transfer()
    allowed = set()
    for current, target in product(S, S):
        transfer.status = current
        if transfer.can_transition(target):
            allowed.add((current, target))

    assert allowed == DIAGRAM


def test_creation_starts_the_history_at_draft_with_the_note():
    transfer = make_transfer()

    transfer.record_creation("kim", AT, "restock the mall")

    assert transfer.history == [StatusChange(None, S.DRAFT, "kim", AT, "restock the mall")]


def test_requesting_reserves_every_line_at_the_origin():
    transfer = make_transfer()

    movements = transfer.request(levels(), "kim", AT)

    assert transfer.status is S.REQUESTED
    assert summary(movements) == [
        (TEE, WAREHOUSE, K.RESERVATION, 0, 5, 0),
        (MUG, WAREHOUSE, K.RESERVATION, 0, 2, 0),
    ]
    assert {m.reference for m in movements} == {"transfer:7"}
    assert {m.actor for m in movements} == {"kim"}


def test_a_request_for_more_than_is_available_names_the_sku_and_changes_nothing():
    transfer = make_transfer()

    with pytest.raises(InsufficientStock) as refused:
        transfer.request(levels(mugs=3, tees=6, reserved=2), "kim", AT)

    assert refused.value.message == "SKU TEE-S: 4 available at WH-EAST, 5 requested"
    assert transfer.status is S.DRAFT
    assert transfer.history == []


def test_a_request_may_not_break_into_the_origins_safety_stock():
    transfer = make_transfer()

    with pytest.raises(InsufficientStock) as refused:
        transfer.request(levels(tees=8, safety_stock=4), "kim", AT)

    assert refused.value.sku == "TEE-S"
    assert refused.value.available == 4
    assert "safety stock of 4" in refused.value.message


def test_a_request_without_a_level_at_the_origin_has_nothing_available():
    transfer = make_transfer()

    with pytest.raises(InsufficientStock):
        transfer.request({}, "kim", AT)


def test_shipping_moves_reserved_units_out_of_the_origin_and_into_transit():
    transfer = requested()

    movements = transfer.ship(" DHL ", " TRK-1 ", "kim", AT, "van 3")

    assert transfer.status is S.IN_TRANSIT
    assert (transfer.carrier, transfer.tracking_number) == ("DHL", "TRK-1")
    assert transfer.history[-1] == StatusChange(S.REQUESTED, S.IN_TRANSIT, "kim", AT, "van 3")
    assert summary(movements) == [
        (TEE, WAREHOUSE, K.TRANSFER_OUT, -5, -5, 0),
        (TEE, STORE, K.TRANSFER_IN_TRANSIT, 0, 0, 5),
        (MUG, WAREHOUSE, K.TRANSFER_OUT, -2, -2, 0),
        (MUG, STORE, K.TRANSFER_IN_TRANSIT, 0, 0, 2),
    ]


def test_a_shipment_needs_a_carrier_and_a_tracking_number():
    transfer = requested()

    with pytest.raises(InvalidInput):
        transfer.ship("DHL", " ", "kim", AT)

    assert transfer.status is S.REQUESTED


def test_a_draft_cannot_ship_before_it_is_requested_whatever_the_carrier():
    transfer = make_transfer()

    with pytest.raises(InvalidTransition):
        transfer.ship("", "", "kim", AT)


def test_receiving_every_unit_puts_them_on_hand_at_the_destination():
    transfer = in_transit()

    movements = transfer.receive([ReceivedLine("MUG", 2), ReceivedLine("TEE-S", 5)], "lee", AT)

    assert transfer.status is S.RECEIVED
    assert [(line.received, line.lost) for line in transfer.lines] == [(5, 0), (2, 0)]
    assert summary(movements) == [
        (TEE, STORE, K.TRANSFER_RECEIVED, 5, 0, -5),
        (MUG, STORE, K.TRANSFER_RECEIVED, 2, 0, -2),
    ]


def test_a_shortfall_is_partially_received_and_recorded_as_lost_in_transit():
    transfer = in_transit()

    movements = transfer.receive([ReceivedLine("TEE-S", 3)], "lee", AT)

    assert transfer.status is S.PARTIALLY_RECEIVED
    assert [(line.received, line.lost) for line in transfer.lines] == [(3, 2), (0, 2)]
    assert summary(movements) == [
        (TEE, STORE, K.TRANSFER_RECEIVED, 3, 0, -3),
        (TEE, STORE, K.TRANSFER_LOSS, 0, 0, -2),
        (MUG, STORE, K.TRANSFER_LOSS, 0, 0, -2),
    ]
    assert {m.reference for m in movements} == {"transfer:7"}


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([ReceivedLine("TEE-S", 6)], "lines.0.quantity"),
        ([ReceivedLine("MUG", 1), ReceivedLine("TEE-S", -1)], "lines.1.quantity"),
        ([ReceivedLine("SOCKS", 1)], "lines.0.sku"),
        ([ReceivedLine("MUG", 1), ReceivedLine("MUG", 1)], "lines.1.sku"),
    ],
    ids=["more-than-shipped", "negative", "not-on-the-transfer", "twice"],
)
def test_a_receipt_that_does_not_match_the_shipment_is_refused_and_changes_nothing(lines, field):
    transfer = in_transit()

    with pytest.raises(InvalidInput) as refused:
        transfer.receive(lines, "lee", AT)

    assert refused.value.field == field
    assert transfer.status is S.IN_TRANSIT
    assert [(line.received, line.lost) for line in transfer.lines] == [(0, 0), (0, 0)]


def test_a_transfer_is_received_only_once():
    transfer = in_transit()
    transfer.receive([], "lee", AT)

    with pytest.raises(InvalidTransition):
        transfer.receive([ReceivedLine("TEE-S", 5)], "lee", AT)


def test_cancelling_a_draft_moves_no_stock():
    transfer = make_transfer()

    assert transfer.cancel("kim", AT, "not needed") == []
    assert transfer.status is S.CANCELLED


def test_cancelling_a_requested_transfer_releases_its_reservations():
    transfer = requested()

    movements = transfer.cancel("kim", AT)

    assert summary(movements) == [
        (TEE, WAREHOUSE, K.RELEASE, 0, -5, 0),
        (MUG, WAREHOUSE, K.RELEASE, 0, -2, 0),
    ]


@pytest.mark.parametrize("status", [S.IN_TRANSIT, S.RECEIVED, S.PARTIALLY_RECEIVED, S.CANCELLED])
def test_a_transfer_that_has_left_or_ended_cannot_be_cancelled(status):
    transfer = make_transfer(status)

    with pytest.raises(InvalidTransition) as refused:
        transfer.cancel("kim", AT)

    assert refused.value.message == f"transfer TR-000007 cannot go from {status} to CANCELLED"


def test_over_a_whole_lifecycle_units_leave_the_origin_and_arrive_or_are_lost():
    transfer = make_transfer()
    movements = transfer.request(levels(), "kim", AT)
    movements += transfer.ship("DHL", "TRK-1", "kim", AT)
    movements += transfer.receive([ReceivedLine("TEE-S", 4), ReceivedLine("MUG", 2)], "lee", AT)

    net = Counter()
    for m in movements:
        key = (m.variant_id, m.location_id)
        net[(*key, "on_hand")] += m.on_hand_delta
        net[(*key, "reserved")] += m.reserved_delta
        net[(*key, "in_transit")] += m.in_transit_delta

    assert {k: v for k, v in net.items() if v} == {
        (TEE, WAREHOUSE, "on_hand"): -5,
        (MUG, WAREHOUSE, "on_hand"): -2,
        (TEE, STORE, "on_hand"): 4,
        (MUG, STORE, "on_hand"): 2,
    }
    assert [(h.from_status, h.to_status) for h in transfer.history] == [
        (S.DRAFT, S.REQUESTED),
        (S.REQUESTED, S.IN_TRANSIT),
        (S.IN_TRANSIT, S.PARTIALLY_RECEIVED),
    ]


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([], "lines"),
        ([("TEE-S", 0)], "lines.0.quantity"),
        ([("TEE-S", 1), ("TEE-S", 2)], "lines.1.sku"),
        ([(f"SKU-{i}", 1) for i in range(101)], "lines"),
    ],
    ids=["empty", "zero", "twice", "too-many"],
)
def test_the_lines_of_a_new_transfer_are_checked(lines, field):
    with pytest.raises(InvalidInput) as refused:
        validate_lines(lines)

    assert refused.value.field == field


ADMIN = Principal(Role.ADMIN, "root")
STAFF_ANYWHERE = Principal(Role.STAFF, "sam")
STAFF_AT_STORE = Principal(Role.STAFF, "kim", frozenset({"STORE-1"}))
STAFF_ELSEWHERE = Principal(Role.STAFF, "lee", frozenset({"STORE-9"}))
POS_AT_WAREHOUSE = Principal(Role.POS, "till", frozenset({"WH-EAST"}))
CUSTOMER = Principal(Role.CUSTOMER, "ada", customer_email="ada@example.com")


@pytest.mark.parametrize(
    ("principal", "sees"),
    [
        (ADMIN, True),
        (STAFF_ANYWHERE, True),
        (STAFF_AT_STORE, True),
        (POS_AT_WAREHOUSE, True),
        (STAFF_ELSEWHERE, False),
        (CUSTOMER, False),
        (Principal.anonymous(), False),
    ],
    ids=lambda value: value.subject if isinstance(value, Principal) else None,
)
def test_a_transfer_is_seen_by_admins_and_by_whoever_works_at_either_end(principal, sees):
    assert may_see(principal, make_transfer().location_codes) is sees
