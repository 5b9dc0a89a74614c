"""The holder rules verify-stock checks levels against (domain/model/stock_holders.py) say,
at every step of every document's life, exactly what its own movements have reserved, put
in transit or made incoming so far."""

from collections import Counter
from collections.abc import Callable, Iterable

import pytest

from domain.model.inventory import StockMovement
from domain.model.orders import FulfilmentMethod, Order, ShipRequest
from domain.model.purchase_orders import PurchaseOrder, ReceivedUnits
from domain.model.stock_holders import (
    ORDER_RESERVES,
    PURCHASE_ORDER_INCOMING,
    TRANSFER_IN_TRANSIT,
    TRANSFER_RESERVES,
    WORK_ORDER_RESERVES,
)
from domain.model.transfers import ReceivedLine, Transfer
from domain.model.work_orders import WorkOrder
from tests.unit import test_backorders, test_orders, test_purchasing, test_transfers
from tests.unit import test_work_orders as work_orders

AT = test_orders.AT
Held = dict[tuple[str, int, int], int]  # (quantity, variant id, location id) → units


def held_by_movements(movements: Iterable[StockMovement]) -> Held:
    held: Counter[tuple[str, int, int]] = Counter()
    for m in movements:
        for quantity in ("reserved", "in_transit", "incoming"):
            held[(quantity, m.variant_id, m.location_id)] += getattr(m, f"{quantity}_delta")
    return {key: units for key, units in held.items() if units}


def held_by_order(order: Order) -> Held:
    held: Counter[tuple[str, int, int]] = Counter()
    if order.status in ORDER_RESERVES:
        for line in order.lines:
            for allocation in line.allocations:
                held[("reserved", line.variant_id, allocation.location_id)] += (
                    allocation.quantity - allocation.fulfilled
                )
    return {key: units for key, units in held.items() if units}


def held_by_transfer(transfer: Transfer) -> Held:
    held: Held = {}
    for line in transfer.lines:
        if transfer.status in TRANSFER_RESERVES:
            held[("reserved", line.variant_id, transfer.from_location_id)] = line.quantity
        if transfer.status in TRANSFER_IN_TRANSIT:
            held[("in_transit", line.variant_id, transfer.to_location_id)] = line.quantity
    return held


def held_by_work_order(work_order: WorkOrder) -> Held:
    if work_order.status not in WORK_ORDER_RESERVES:
        return {}
    remaining = work_order.quantity - work_order.produced - work_order.scrapped
    return {
        ("reserved", c.variant_id, work_order.location_id): c.per_unit * remaining
        for c in work_order.components
        if c.per_unit * remaining
    }


def held_by_purchase_order(order: PurchaseOrder) -> Held:
    if order.status not in PURCHASE_ORDER_INCOMING:
        return {}
    return {
        ("incoming", line.variant_id, order.location_id): line.quantity - line.received
        for line in order.lines
        if line.quantity - line.received
    }


def walk(document, first: list[StockMovement], steps: list[Callable], held_by: Callable) -> None:
    """Take each step, checking after the first movements and after every step that what
    the document's movements hold so far is what the rule says it holds."""
    movements = list(first)
    assert held_by_movements(movements) == held_by(document), document.status
    for take in steps:
        movements += take(document) or []
        assert held_by_movements(movements) == held_by(document), document.status


# -- orders ------------------------------------------------------------------------------


def confirm(order):
    return order.confirm("clerk", AT)


def cancel(order):
    return order.cancel("clerk", AT)


def ship(*requests):
    return lambda order: order.ship(list(requests), "DHL", "TRK-1", "clerk", AT)[1]


def fill(units: int):
    warehouse = test_backorders.WAREHOUSE
    return lambda order: order.fill_backorder(
        {(10, warehouse): units}, {warehouse: "WH"}, "clerk", AT
    )


ORDER_PATHS = {
    "shipped in two parts, delivered, completed": [
        confirm,
        ship(ShipRequest("TEE-S", 2)),
        ship(ShipRequest("TEE-S", 3), ShipRequest("MUG", 1)),
        lambda order: order.mark_delivered("clerk", AT),
        lambda order: order.complete("clerk", AT),
    ],
    "cancelled while pending": [cancel],
    "cancelled once confirmed": [confirm, cancel],
}


@pytest.mark.parametrize("steps", ORDER_PATHS.values(), ids=ORDER_PATHS)
def test_a_shipping_order_holds_what_it_reserved_and_has_not_shipped_or_released(steps):
    order = test_orders.make_order()
    walk(order, order.reservations("clerk", AT), steps, held_by_order)


def test_a_pickup_order_holds_its_units_until_the_customer_takes_them():
    order = test_orders.make_order(FulfilmentMethod.PICKUP)
    steps = [
        confirm,
        lambda order: order.mark_ready_for_pickup("clerk", AT),
        lambda order: order.complete("clerk", AT),
    ]
    walk(order, order.reservations("clerk", AT), steps, held_by_order)


@pytest.mark.parametrize(
    "steps",
    [[fill(1), cancel], [fill(1), fill(2), confirm, ship(ShipRequest("SKU-0", 5))]],
    ids=["filled in part, then cancelled", "filled, then shipped"],
)
def test_a_backordered_order_holds_what_arrivals_allocated_to_it(steps):
    order = test_backorders.order((2, 5))
    walk(order, order.reservations("buyer", AT), steps, held_by_order)


# -- transfers ---------------------------------------------------------------------------


def request(transfer):
    return transfer.request(test_transfers.levels(), "kim", AT)


def ship_transfer(transfer):
    return transfer.ship("DHL", "TRK-1", "kim", AT)


TRANSFER_PATHS = {
    "received whole": [
        request,
        ship_transfer,
        lambda t: t.receive([ReceivedLine("TEE-S", 5), ReceivedLine("MUG", 2)], "kim", AT),
    ],
    "received short": [
        request,
        ship_transfer,
        lambda t: t.receive([ReceivedLine("TEE-S", 3)], "kim", AT),
    ],
    "cancelled once requested": [request, lambda t: t.cancel("kim", AT)],
    "cancelled as a draft": [lambda t: t.cancel("kim", AT)],
}


@pytest.mark.parametrize("steps", TRANSFER_PATHS.values(), ids=TRANSFER_PATHS)
def test_a_transfer_holds_its_units_at_the_origin_then_in_transit_at_the_destination(steps):
    walk(test_transfers.make_transfer(), [], steps, held_by_transfer)


# -- work orders -------------------------------------------------------------------------


def release(work_order):
    return work_order.release(work_orders.levels(), "maker", AT)


def start(work_order):
    return work_order.start("maker", AT)


def complete(produced: int, scrapped: int = 0):
    return lambda work_order: work_order.complete(produced, scrapped, "maker", AT)


WORK_ORDER_PATHS = {
    "completed in parts, with scrap": [release, start, complete(1), complete(1, 1)],
    "cancelled once released": [release, lambda w: w.cancel("maker", AT)],
    "cancelled part made": [release, start, complete(2), lambda w: w.cancel("maker", AT)],
    "cancelled as planned": [lambda w: w.cancel("maker", AT)],
}


@pytest.mark.parametrize("steps", WORK_ORDER_PATHS.values(), ids=WORK_ORDER_PATHS)
def test_a_work_order_holds_the_components_of_every_unit_still_to_make(steps):
    walk(work_orders.make_work_order(3), [], steps, held_by_work_order)


# -- purchase orders ---------------------------------------------------------------------


def submit(order):
    return order.submit("buyer", AT)


def receive(*pairs: tuple[str, int]):
    return lambda order: order.receive([ReceivedUnits(*pair) for pair in pairs], "buyer", AT)


PURCHASE_PATHS = {
    "received in two parts": [submit, receive(("TEE-S", 4)), receive(("TEE-S", 6), ("MUG", 4))],
    "cancelled part received": [submit, receive(("MUG", 1)), lambda o: o.cancel("buyer", AT)],
    "cancelled as a draft": [lambda o: o.cancel("buyer", AT)],
}


@pytest.mark.parametrize("steps", PURCHASE_PATHS.values(), ids=PURCHASE_PATHS)
def test_a_purchase_order_holds_as_incoming_what_is_ordered_and_not_received(steps):
    walk(test_purchasing.make_order(), [], steps, held_by_purchase_order)
