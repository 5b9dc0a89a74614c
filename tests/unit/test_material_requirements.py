from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.model.boms import Component
from domain.model.inventory import StockLevel
from domain.model.material_requirements import (
    BackorderedLine,
    Requirement,
    cheapest,
    horizon_end,
    plan_requirements,
)
from domain.model.suppliers import SupplierPrice
from domain.model.work_orders import WorkOrder, WorkOrderStatus
from domain.money import Money

TODAY = date(2026, 5, 1)
AT = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
PLANT = 1
TABLE, LEG, TOP, SCREW, DOWEL = 10, 20, 30, 40, 50
SKUS = {TABLE: "TABLE", LEG: "LEG", TOP: "TOP", SCREW: "SCREW", DOWEL: "DOWEL"}


def c(variant_id: int, quantity: int) -> Component:
    return Component(variant_id, SKUS[variant_id], quantity)


# A TABLE is 4 LEG, 1 TOP and 8 SCREW; a LEG is 2 DOWEL.
STRUCTURE = {TABLE: [c(LEG, 4), c(TOP, 1), c(SCREW, 8)], LEG: [c(DOWEL, 2)]}


def work_order(quantity=5, due_in=7, status=WorkOrderStatus.PLANNED, produced=0, sku=TABLE):
    made = WorkOrder.plan(
        variant_id=sku,
        sku=SKUS[sku],
        quantity=quantity,
        location_id=PLANT,
        location_code="PLANT",
        due_date=TODAY + timedelta(days=due_in),
        bill_of_materials=STRUCTURE[sku],
        created_at=AT,
    )
    made.status, made.produced = status, produced
    return made


def levels(**available_and_incoming: tuple[int, int]) -> dict[int, StockLevel]:
    """Levels at the plant by SKU name: (available, incoming); others have nothing."""
    ids = {sku: variant_id for variant_id, sku in SKUS.items()}
    return {
        ids[sku]: StockLevel(ids[sku], PLANT, available, 0, incoming=incoming)
        for sku, (available, incoming) in available_and_incoming.items()
    }


PARTS = levels(LEG=(10, 0), TOP=(3, 2), SCREW=(40, 0), DOWEL=(20, 0))


def price(supplier_id: int, code: str, amount: str, lead_time_days: int) -> SupplierPrice:
    return SupplierPrice(supplier_id, code, lead_time_days, Money(Decimal(amount), "USD"))


def plan(work_orders=(), backorders=(), stock=PARTS, prices=None) -> list[Requirement]:
    return plan_requirements(
        work_orders=work_orders,
        backorders=backorders,
        structure=STRUCTURE,
        levels=stock,
        prices=prices or {},
        today=TODAY,
    )


def shortages(requirements: list[Requirement]) -> list[tuple]:
    return [(r.sku, r.required, r.shortage, r.manufactured) for r in requirements]


# -- demand and netting ------------------------------------------------------------------


def test_a_planned_work_order_needs_its_components_netted_against_available_and_incoming():
    # 5 tables: 20 LEG (10 there), 5 TOP (3 there, 2 coming), 40 SCREW (40 there).
    requirements = plan([work_order(5)])

    assert shortages(requirements) == [("LEG", 20, 10, True)]
    leg = requirements[0]
    assert (leg.available, leg.incoming, leg.in_production) == (10, 0, 0)


def test_only_an_intermediates_shortfall_explodes_into_its_components():
    # 7 tables need 28 LEG: 10 there, 18 to make from 36 DOWEL (20 there).
    requirements = plan([work_order(7)])

    assert shortages(requirements) == [
        ("DOWEL", 36, 16, False),
        ("LEG", 28, 18, True),
        ("SCREW", 56, 16, False),
        ("TOP", 7, 2, False),
    ]


def test_nothing_is_short_when_everything_is_there():
    assert plan([work_order(2)]) == []


def test_a_released_work_order_needs_nothing_more_but_its_output_is_in_production():
    released = work_order(5, status=WorkOrderStatus.RELEASED)
    # a wholesale order waits for 6 tables: 5 are being made, 1 more is needed
    backorder = BackorderedLine("SO-000001", TABLE, "TABLE", 6)

    requirements = plan([released], [backorder])

    table = requirements[0]
    assert (table.sku, table.required, table.in_production, table.shortage) == (
        "TABLE",
        6,
        5,
        1,
    )
    assert table.manufactured is True
    assert shortages(requirements) == [("TABLE", 6, 1, True)]


def test_a_backordered_manufactured_variant_is_exploded_as_needed_today():
    requirements = plan(backorders=[BackorderedLine("SO-000001", TABLE, "TABLE", 4)])

    assert shortages(requirements) == [("LEG", 16, 6, True), ("TABLE", 4, 4, True)]
    assert {r.needed_on for r in requirements} == {TODAY}


def test_a_work_order_under_way_holds_its_components_and_makes_what_remains():
    partly = work_order(8, status=WorkOrderStatus.PARTIALLY_COMPLETED, produced=3)
    backorder = BackorderedLine("SO-000001", TABLE, "TABLE", 10)

    requirements = plan([partly, work_order(3)], [backorder])

    # 3 planned tables need 12 LEG; 10 ordered, 5 + 3 being made: 2 more tables, 8 LEG
    assert shortages(requirements) == [("LEG", 20, 10, True), ("TABLE", 10, 2, True)]
    assert requirements[1].in_production == 8


def test_demand_of_several_work_orders_is_summed_and_needed_by_the_earliest_due_date():
    requirements = plan([work_order(2, due_in=10), work_order(2, due_in=3)])

    assert shortages(requirements) == [("LEG", 16, 6, True)]
    assert requirements[0].needed_on == TODAY + timedelta(days=3)


def test_components_are_needed_when_the_manufactured_variant_above_them_is():
    requirements = plan([work_order(9, due_in=5)], stock=levels(LEG=(0, 0)))

    dowel = next(r for r in requirements if r.sku == "DOWEL")
    assert (dowel.required, dowel.needed_on) == (72, TODAY + timedelta(days=5))


def test_negative_availability_counts_as_none():
    requirements = plan([work_order(1)], stock={**PARTS, TOP: StockLevel(TOP, PLANT, -2, 0)})

    top = next(r for r in requirements if r.sku == "TOP")
    assert (top.available, top.shortage) == (-2, 1)


def test_requirements_are_sorted_by_needed_date_then_sku():
    requirements = plan([work_order(7, due_in=5)], [BackorderedLine("SO-000001", LEG, "LEG", 1)])

    assert [(r.needed_on, r.sku) for r in requirements] == sorted(
        (r.needed_on, r.sku) for r in requirements
    )
    assert requirements[0].needed_on == TODAY


def test_a_plan_needing_absurd_quantities_is_refused():
    huge = work_order(100_000)
    huge.components[0].per_unit = 10_001

    with pytest.raises(InvalidInput, match="more than"):
        plan([huge] * 2)


# -- suppliers ---------------------------------------------------------------------------


def test_the_cheapest_supplier_is_suggested_then_the_quickest_then_by_code():
    slow = price(1, "SLOW", "0.08", 30)
    quick = price(2, "QUICK", "0.08", 5)
    dear = price(3, "DEAR", "0.20", 1)
    also_quick = price(4, "AAA", "0.08", 5)

    assert cheapest([dear, slow, quick]) == quick
    assert cheapest([quick, also_quick]) == also_quick
    assert cheapest([]) is None


def test_a_bought_shortage_comes_with_its_supplier_and_the_day_to_order_by():
    prices = {SCREW: [price(1, "ACME", "0.10", 5), price(2, "BOLT", "0.09", 3)]}

    requirements = plan([work_order(6, due_in=10)], prices=prices)

    screw = next(r for r in requirements if r.sku == "SCREW")
    assert screw.supplier is not None
    assert (screw.supplier.supplier_code, screw.supplier.unit_cost.amount) == (
        "BOLT",
        Decimal("0.09"),
    )
    assert (screw.order_by, screw.late) == (TODAY + timedelta(days=7), False)


def test_an_order_by_day_already_past_is_late():
    prices = {SCREW: [price(1, "ACME", "0.10", 14)]}

    screw = next(r for r in plan([work_order(6, due_in=10)], prices=prices) if r.sku == "SCREW")

    assert (screw.order_by, screw.late) == (TODAY - timedelta(days=4), True)


def test_a_manufactured_or_unpriced_shortage_has_no_supplier():
    prices = {LEG: [price(1, "ACME", "9.00", 2)]}

    requirements = plan([work_order(7)], prices=prices)

    assert all(r.supplier is None and r.order_by is None for r in requirements)
    assert not any(r.late for r in requirements)


# -- the horizon -------------------------------------------------------------------------


def test_the_horizon_ends_that_many_days_from_today():
    assert horizon_end(TODAY, 0) == TODAY
    assert horizon_end(TODAY, 30) == TODAY + timedelta(days=30)


@pytest.mark.parametrize("days", [-1, 3651])
def test_a_horizon_is_zero_to_ten_years(days):
    with pytest.raises(InvalidInput) as refused:
        horizon_end(TODAY, days)
    assert refused.value.field == "horizonDays"
