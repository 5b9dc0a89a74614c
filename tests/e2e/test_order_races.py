"""Orders under concurrent commands, on PostgreSQL and SQLite through a real server with two
workers: of N conflicting status changes exactly one wins, legal work queues and succeeds in
turn, the history stays one chain, and reservations equal what open orders hold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.conftest import GraphQL
from tests.api.orders_documents import (
    SHIP_ORDER,
    pickup_order,
    place,
    shipping_order,
    status_mutation,
)
from tests.api.shipments_documents import ADD_TRACKING_EVENT
from tests.e2e.conftest import ADMIN
from tests.e2e.races import (
    CLIENTS,
    TRIALS,
    assert_one_chain,
    outcomes,
    race,
    times,
    verify_stock,
)

ORDER_STATE = """
query($id: ID!) { order(id: $id) {
  status
  lines { sku quantity fulfilledQuantity }
  history { sequence fromStatus toStatus }
  shipments { id }
} }"""
ORDER_EVENTS = """
subscription($id: ID!, $after: Int) { orderStatusChanged(orderId: $id, afterSequence: $after) {
  sequence status
} }"""
RESERVED = """
query($sku: String!, $location: String!) {
  stockLevels(filter: {sku: $sku, locationCode: $location}) { edges { node { reserved } } }
}"""


async def step(remote: GraphQL, mutation: str, order_id: str) -> dict[str, Any]:
    data = await remote.admin(status_mutation(mutation), {"input": {"orderId": order_id}})
    return data[mutation]


async def ship(remote: GraphQL, order_id: str, sku: str, quantity: int) -> dict[str, Any]:
    lines = [{"sku": sku, "quantity": quantity}]
    variables = {
        "input": {"orderId": order_id, "lines": lines, "carrier": "UPS", "trackingNumber": "1Z"}
    }
    return (await remote.admin(SHIP_ORDER, variables))["shipOrder"]


async def track(remote: GraphQL, event: dict[str, Any]) -> dict[str, Any]:
    return (await remote.admin(ADD_TRACKING_EVENT, {"input": event}))["addTrackingEvent"]


async def state(remote: GraphQL, order_id: str) -> dict[str, Any]:
    order = (await remote.admin(ORDER_STATE, {"id": order_id}))["order"]
    assert_one_chain(order["history"])
    return order


async def reserved(remote: GraphQL, sku: str, location: str = "WH-A") -> int:
    data = await remote.admin(RESERVED, {"sku": sku, "location": location})
    return data["stockLevels"]["edges"][0]["node"]["reserved"]


async def order_in(remote: GraphQL, status: str, *, units: int = 1) -> str:
    """A new order of `units` TEE-S, taken through the lifecycle to `status`."""
    variables = pickup_order("ST-B", ("TEE-S", units)) if status == "READY" else None
    placed = await place(remote, variables or shipping_order(("TEE-S", units)))
    assert placed["userErrors"] == [], placed
    order = placed["order"]
    path = {
        "PENDING": [],
        "CONFIRMED": ["confirmOrder"],
        "READY": ["confirmOrder"],
        "SHIPPED": ["confirmOrder", "ship"],
        "DELIVERED": ["confirmOrder", "ship", "markOrderDelivered"],
    }[status]
    for mutation in path:
        if mutation == "ship":
            payload = await ship(remote, order["id"], "TEE-S", units)
        else:
            payload = await step(remote, mutation, order["id"])
        assert payload["userErrors"] == [], payload
    return order["id"]


@pytest.mark.parametrize(
    ("status", "mutation", "target"),
    [
        ("PENDING", "confirmOrder", "CONFIRMED"),
        ("PENDING", "cancelOrder", "CANCELLED"),
        ("CONFIRMED", "cancelOrder", "CANCELLED"),
        ("READY", "markOrderReadyForPickup", "READY_FOR_PICKUP"),
        ("SHIPPED", "markOrderDelivered", "DELIVERED"),
        ("DELIVERED", "completeOrder", "COMPLETED"),
    ],
)
async def test_of_eight_identical_status_changes_exactly_one_wins(
    remote, race_server, status, mutation, target
):
    for _ in range(TRIALS):
        order_id = await order_in(remote, status, units=2)
        payloads = await race(*times(CLIENTS, step, remote, mutation, order_id))
        assert outcomes(payloads) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}
        order = await state(remote, order_id)
        assert order["status"] == target
        assert [c["toStatus"] for c in order["history"]].count(target) == 1
    await verify_stock(race_server.database_url)


async def test_confirm_racing_cancel_ends_in_one_story_with_reservations_to_match(
    remote, race_server
):
    for _ in range(TRIALS):
        before = await reserved(remote, "TEE-S")
        order_id = await order_in(remote, "PENDING", units=3)
        payloads = await race(
            *times(CLIENTS // 2, step, remote, "confirmOrder", order_id),
            *times(CLIENTS // 2, step, remote, "cancelOrder", order_id),
        )
        confirmed, cancelled = (
            outcomes(payloads[: CLIENTS // 2]),
            outcomes(payloads[CLIENTS // 2 :]),
        )
        order = await state(remote, order_id)
        # Either the cancel came first, or a confirm and then one cancel (staff may cancel a
        # confirmed order); never two of either, never a confirm after a cancel.
        assert cancelled["OK"] == 1 and confirmed["OK"] <= 1
        assert order["status"] == "CANCELLED"
        assert [c["toStatus"] for c in order["history"]] == ["PENDING"] + ["CONFIRMED"] * confirmed[
            "OK"
        ] + ["CANCELLED"]
        assert await reserved(remote, "TEE-S") == before
    await verify_stock(race_server.database_url)


async def test_ten_one_unit_shipments_of_a_five_unit_order_all_ship_in_turn(remote, race_server):
    for _ in range(TRIALS):
        order_id = await order_in(remote, "CONFIRMED", units=5)
        payloads = await race(*times(10, ship, remote, order_id, "TEE-S", 1))
        assert outcomes(payloads)["OK"] == 5
        order = await state(remote, order_id)
        assert order["status"] == "SHIPPED"
        assert order["lines"][0]["fulfilledQuantity"] == 5
        assert len(order["shipments"]) == 5
    await verify_stock(race_server.database_url)


async def test_shipping_racing_cancel_either_ships_or_cancels(remote, race_server):
    for _ in range(TRIALS):
        order_id = await order_in(remote, "CONFIRMED", units=4)
        payloads = await race(
            *times(CLIENTS // 2, ship, remote, order_id, "TEE-S", 1),
            *times(CLIENTS // 2, step, remote, "cancelOrder", order_id),
        )
        shipped, cancelled = outcomes(payloads[: CLIENTS // 2]), outcomes(payloads[CLIENTS // 2 :])
        order = await state(remote, order_id)
        if cancelled["OK"]:  # the cancel came first: nothing shipped after it
            assert (cancelled["OK"], shipped["OK"], order["status"]) == (1, 0, "CANCELLED")
        else:  # a shipment came first: a shipped order cannot be cancelled, the rest ship
            assert (shipped["OK"], order["status"]) == (4, "SHIPPED")
        assert order["lines"][0]["fulfilledQuantity"] == shipped["OK"]
    await verify_stock(race_server.database_url)


async def test_one_delivery_of_a_parcel_reported_eight_times_delivers_the_order_once(
    remote, race_server
):
    for _ in range(TRIALS):
        order_id = await order_in(remote, "SHIPPED", units=1)
        shipment_id = (await state(remote, order_id))["shipments"][0]["id"]
        event = {
            "shipmentId": shipment_id,
            "status": "DELIVERED",
            "occurredAt": datetime.now(UTC).isoformat(),
        }

        payloads = await race(*times(CLIENTS, track, remote, event))
        assert all(p["userErrors"] == [] for p in payloads)
        order = await state(remote, order_id)
        assert order["status"] == "DELIVERED"
        assert [c["toStatus"] for c in order["history"]].count("DELIVERED") == 1


async def test_a_raced_confirmation_goes_out_to_subscribers_once(remote, race_server, subscribers):
    order_id = await order_in(remote, "PENDING")
    subscriber = await subscribers(
        race_server.server, ORDER_EVENTS, {"id": order_id, "after": 1}, token=ADMIN, count=2
    )
    payloads = await race(*times(CLIENTS, step, remote, "confirmOrder", order_id))
    assert outcomes(payloads)["OK"] == 1
    assert (await step(remote, "cancelOrder", order_id))["userErrors"] == []
    events = [event["data"]["orderStatusChanged"] for event in await subscriber.events(2)]
    assert [(e["sequence"], e["status"]) for e in events] == [(2, "CONFIRMED"), (3, "CANCELLED")]
