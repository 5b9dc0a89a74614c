from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest

from domain.access import Principal, Role
from domain.errors import ComponentShortage, InvalidInput, InvalidTransition
from domain.model.boms import Component
from domain.model.inventory import MovementKind, StockLevel
from domain.model.work_orders import WorkOrder, WorkOrderStatus, may_see

S = WorkOrderStatus
K = MovementKind
AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
DUE = date(2026, 5, 8)
PLANT = 1  # location id
TABLE, LEG, TOP = 10, 20, 30  # variant ids
BOM = [Component(LEG, "LEG", 4), Component(TOP, "TOP", 1)]

DIAGRAM = {
    (S.PLANNED, S.RELEASED),
    (S.PLANNED, S.CANCELLED),
    (S.RELEASED, S.IN_PROGRESS),
    (S.RELEASED, S.CANCELLED),
    (S.IN_PROGRESS, S.PARTIALLY_COMPLETED),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.IN_PROGRESS, S.CANCELLED),
    (S.PARTIALLY_COMPLETED, S.PARTIALLY_COMPLETED),
    (S.PARTIALLY_COMPLETED, S.COMPLETED),
    (S.PARTIALLY_COMPLETED, S.CANCELLED),
}


def make_work_order(quantity=3, **changes):
    """Three tables at PLANT, each 4 legs and a top."""
    work_order = WorkOrder.plan(
        variant_id=TABLE,
        sku="TABLE",
        quantity=quantity,
        location_id=PLANT,
        location_code="PLANT",
        due_date=DUE,
        bill_of_materials=BOM,
        created_at=AT,
    )
    work_order.id, work_order.number = 7, "WO-000007"
    for name, value in changes.items():
        setattr(work_order, name, value)
    return work_order


def levels(legs=20, tops=5, reserved_legs=0):
    return {
        (LEG, PLANT): StockLevel(LEG, PLANT, legs, reserved_legs),
        (TOP, PLANT): StockLevel(TOP, PLANT, tops, 0),
    }


def summary(movements):
    return [(m.kind, m.variant_id, m.on_hand_delta, m.reserved_delta) for m in movements]


def in_progress(quantity=3):
    work_order = make_work_order(quantity)
    work_order.release(levels(), "maker", AT)
    work_order.start("maker", AT)
    return work_order


# -- planning ----------------------------------------------------------------------------


def test_a_planned_work_order_copies_the_bill_of_materials():
    work_order = make_work_order()

    assert work_order.status is S.PLANNED
    assert [(c.sku, c.per_unit, c.reserved) for c in work_order.components] == [
        ("LEG", 4, 0),
        ("TOP", 1, 0),
    ]
    assert (work_order.remaining, work_order.reference) == (3, "work_order:7")


@pytest.mark.parametrize("quantity", [0, -1, 100_001])
def test_a_work_order_makes_one_to_a_hundred_thousand_units(quantity):
    with pytest.raises(InvalidInput) as refused:
        make_work_order(quantity)
    assert refused.value.field == "quantity"


def test_a_variant_without_a_bill_of_materials_cannot_be_made():
    with pytest.raises(InvalidInput, match="TABLE has no bill of materials"):
        WorkOrder.plan(
            variant_id=TABLE,
            sku="TABLE",
            quantity=1,
            location_id=PLANT,
            location_code="PLANT",
            due_date=DUE,
            bill_of_materials=[],
            created_at=AT,
        )


@pytest.mark.parametrize("days", [-366, 3654])
def test_a_due_date_is_within_a_year_ago_and_ten_years_ahead(days):
    with pytest.raises(InvalidInput) as refused:
        WorkOrder.plan(
            variant_id=TABLE,
            sku="TABLE",
            quantity=1,
            location_id=PLANT,
            location_code="PLANT",
            due_date=AT.date() + timedelta(days=days),
            bill_of_materials=BOM,
            created_at=AT,
        )
    assert refused.value.field == "dueDate"


# -- the state machine -------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), list(product(S, S)))
def test_only_the_transitions_in_the_diagram_are_allowed(current, target):
    assert make_work_order(status=current).can_transition(target) is ((current, target) in DIAGRAM)


def test_every_step_is_appended_to_the_history():
    work_order = in_progress(quantity=2)
    work_order.complete(1, 0, "maker", AT)
    work_order.complete(0, 1, "maker", AT, note="cracked top")

    assert [(h.from_status, h.to_status) for h in work_order.history] == [
        (S.PLANNED, S.RELEASED),
        (S.RELEASED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.PARTIALLY_COMPLETED),
        (S.PARTIALLY_COMPLETED, S.COMPLETED),
    ]
    assert work_order.history[-1].note == "cracked top"


# -- release -----------------------------------------------------------------------------


def test_release_reserves_every_component_for_every_unit():
    work_order = make_work_order()

    movements = work_order.release(levels(), "maker", AT)

    assert work_order.status is S.RELEASED
    assert summary(movements) == [(K.RESERVATION, LEG, 0, 12), (K.RESERVATION, TOP, 0, 3)]
    assert {m.reference for m in movements} == {"work_order:7"}
    assert [c.reserved for c in work_order.components] == [12, 3]


def test_a_short_release_lists_every_shortage_and_changes_nothing():
    work_order = make_work_order()

    with pytest.raises(ComponentShortage) as refused:
        work_order.release(levels(legs=15, tops=2, reserved_legs=5), "maker", AT)

    assert refused.value.shortages == [("LEG", 12, 10), ("TOP", 3, 2)]
    assert refused.value.message == (
        "work order WO-000007 is short of components at PLANT: "
        "SKU LEG: 12 needed, 10 available; SKU TOP: 3 needed, 2 available"
    )
    assert [part.message.rsplit(": ", 2)[1:] for part in refused.value.parts()] == [
        ["SKU LEG", "12 needed, 10 available"],
        ["SKU TOP", "3 needed, 2 available"],
    ]
    assert work_order.status is S.PLANNED
    assert [c.reserved for c in work_order.components] == [0, 0]


def test_a_component_with_no_level_at_the_location_has_none_available():
    with pytest.raises(ComponentShortage) as refused:
        make_work_order().release({}, "maker", AT)
    assert refused.value.shortages == [("LEG", 12, 0), ("TOP", 3, 0)]


def test_a_released_work_order_cannot_be_released_again():
    work_order = make_work_order()
    work_order.release(levels(), "maker", AT)

    with pytest.raises(InvalidTransition):
        work_order.release(levels(), "maker", AT)


# -- completion --------------------------------------------------------------------------


def test_completing_some_units_consumes_their_components_and_stocks_what_was_made():
    work_order = in_progress()

    movements = work_order.complete(1, 1, "maker", AT)

    assert work_order.status is S.PARTIALLY_COMPLETED
    assert (work_order.produced, work_order.scrapped, work_order.remaining) == (1, 1, 1)
    assert summary(movements) == [
        (K.CONSUMPTION, LEG, -8, -8),
        (K.CONSUMPTION, TOP, -2, -2),
        (K.PRODUCTION, TABLE, 1, 0),
    ]
    assert [(c.reserved, c.consumed) for c in work_order.components] == [(4, 8), (1, 2)]


def test_completing_the_last_units_completes_the_work_order_with_nothing_left_reserved():
    work_order = in_progress()
    work_order.complete(2, 0, "maker", AT)

    work_order.complete(1, 0, "maker", AT)

    assert work_order.status is S.COMPLETED
    assert [(c.reserved, c.consumed) for c in work_order.components] == [(0, 12), (0, 3)]


def test_only_scrap_makes_no_production_movement():
    movements = in_progress().complete(0, 3, "maker", AT)

    assert [m.kind for m in movements] == [K.CONSUMPTION, K.CONSUMPTION]


@pytest.mark.parametrize(
    ("produced", "scrapped", "field"),
    [
        (2, 2, "producedQuantity"),
        (0, 0, "producedQuantity"),
        (-1, 2, "producedQuantity"),
        (1, -1, "scrappedQuantity"),
    ],
    ids=["beyond-what-remains", "nothing", "negative-produced", "negative-scrapped"],
)
def test_a_completion_that_breaks_a_rule_changes_nothing(produced, scrapped, field):
    work_order = in_progress()
    work_order.complete(1, 0, "maker", AT)

    with pytest.raises(InvalidInput) as refused:
        work_order.complete(produced, scrapped, "maker", AT)

    assert refused.value.field == field
    assert (work_order.status, work_order.produced, work_order.scrapped) == (
        S.PARTIALLY_COMPLETED,
        1,
        0,
    )


def test_a_work_order_not_started_cannot_complete():
    work_order = make_work_order()
    work_order.release(levels(), "maker", AT)

    with pytest.raises(InvalidTransition):
        work_order.complete(1, 0, "maker", AT)


# -- cancelling --------------------------------------------------------------------------


def test_cancelling_releases_only_what_is_still_reserved():
    work_order = in_progress()
    work_order.complete(2, 0, "maker", AT)

    movements = work_order.cancel("maker", AT, "customer withdrew")

    assert work_order.status is S.CANCELLED
    assert summary(movements) == [(K.RELEASE, LEG, 0, -4), (K.RELEASE, TOP, 0, -1)]
    assert [c.reserved for c in work_order.components] == [0, 0]


def test_cancelling_a_planned_work_order_moves_no_stock():
    work_order = make_work_order()
    assert work_order.cancel("maker", AT) == []
    assert work_order.status is S.CANCELLED


def test_a_completed_work_order_cannot_be_cancelled():
    work_order = in_progress(quantity=1)
    work_order.complete(1, 0, "maker", AT)

    with pytest.raises(InvalidTransition):
        work_order.cancel("maker", AT)


# -- who sees what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "seen"),
    [
        (Principal(Role.ADMIN), True),
        (Principal(Role.STAFF), True),
        (Principal(Role.STAFF, location_codes=frozenset({"PLANT"})), True),
        (Principal(Role.STAFF, location_codes=frozenset({"ST-B"})), False),
        (Principal(Role.POS, location_codes=frozenset({"PLANT"})), False),
        (Principal(Role.CUSTOMER, customer_email="ada@example.com"), False),
        (Principal.anonymous(), False),
    ],
    ids=["admin", "unbound-staff", "staff-here", "staff-elsewhere", "pos", "customer", "anon"],
)
def test_admins_and_staff_at_the_location_see_a_work_order(principal, seen):
    assert may_see(principal, "PLANT") is seen
