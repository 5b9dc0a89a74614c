"""Shipments as objects: tracking events, the order following its shipments, who sees what,
ship-from-store and click-and-collect."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.access import Role
from persistence.records import OutboxEventRecord
from tests.api.conftest import DEFAULT_STOCK, build_shop
from tests.api.orders_documents import change, level, pickup_order, place, shipping_order
from tests.api.shipments_documents import (
    ADD_TRACKING_EVENT,
    ORDER_SHIPMENTS,
    ORDERS_WITH_TRACKING,
    SHIPMENT,
    SHIPPED_AT,
    events,
    ship,
    shipped_order,
    track,
)
from tests.api.test_query_count import counting_statements


async def outbox_events(database, kind):
    async with database.read_session() as session:
        rows = await session.scalars(
            select(OutboxEventRecord.payload)
            .where(OutboxEventRecord.kind == kind)
            .order_by(OutboxEventRecord.id)
        )
        return [json.loads(row) for row in rows]


# -- tracking a shipment ------------------------------------------------------------------


async def test_a_new_shipment_is_shipped_and_tracking_events_move_it_along(graphql, shop):
    _, shipment_id = await shipped_order(graphql, ("TEE-S", 2))

    scanned = await track(graphql, shipment_id, "IN_TRANSIT", 1, "left the hub")
    problem = await track(graphql, shipment_id, "EXCEPTION", 2, "nobody home")
    again = await track(graphql, shipment_id, "IN_TRANSIT", 3, "second attempt")

    assert scanned["userErrors"] == problem["userErrors"] == again["userErrors"] == []
    assert scanned["shipment"]["status"] == "IN_TRANSIT"
    assert problem["shipment"]["status"] == "EXCEPTION"
    assert problem["order"]["status"] == "SHIPPED"  # a delivery problem leaves the order be
    shipment = again["shipment"]
    assert (shipment["carrier"], shipment["trackingNumber"], shipment["status"]) == (
        "UPS",
        "1Z1",
        "IN_TRANSIT",
    )
    assert events(shipment) == [
        ("IN_TRANSIT", "left the hub"),
        ("EXCEPTION", "nobody home"),
        ("IN_TRANSIT", "second attempt"),
    ]
    assert shipment["lines"] == [{"sku": "TEE-S", "quantity": 2, "location": {"code": "WH-A"}}]


async def test_an_event_that_arrives_late_is_kept_in_the_history_but_changes_no_status(
    graphql, shop
):
    _, shipment_id = await shipped_order(graphql, ("TEE-S", 1), ("TEE-M", 1))
    await track(graphql, shipment_id, "DELIVERED", 5, "front door")

    late = await track(graphql, shipment_id, "IN_TRANSIT", 2, "scanned at depot")

    assert late["userErrors"] == []
    assert late["shipment"]["status"] == "DELIVERED"
    assert events(late["shipment"]) == [  # listed in the order things happened
        ("IN_TRANSIT", "scanned at depot"),
        ("DELIVERED", "front door"),
    ]
    occurred = [e["occurredAt"] for e in late["shipment"]["trackingEvents"]]
    assert [datetime.fromisoformat(o) for o in occurred] == [
        SHIPPED_AT + timedelta(hours=2),
        SHIPPED_AT + timedelta(hours=5),
    ]


async def test_a_delivered_shipment_takes_no_further_status_and_nothing_changes(graphql, shop):
    _, shipment_id = await shipped_order(graphql, ("TEE-S", 1))
    await track(graphql, shipment_id, "DELIVERED", 2)

    refused = await track(graphql, shipment_id, "IN_TRANSIT", 3, "returned to depot")

    assert refused["shipment"] is None
    assert refused["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert "cannot go from DELIVERED to IN_TRANSIT" in refused["userErrors"][0]["message"]
    shipment = (await graphql.admin(SHIPMENT, {"id": shipment_id}))["node"]
    assert events(shipment) == [("DELIVERED", None)]


async def test_a_repeated_event_is_recorded_once(graphql, shop):
    _, shipment_id = await shipped_order(graphql, ("TEE-S", 1))

    await track(graphql, shipment_id, "DELIVERED", 2, "front door")
    repeat = await track(graphql, shipment_id, "DELIVERED", 2, "front door")

    assert repeat["userErrors"] == []
    assert events(repeat["shipment"]) == [("DELIVERED", "front door")]
    assert [h["toStatus"] for h in repeat["order"]["history"]].count("DELIVERED") == 1


@pytest.mark.parametrize(
    ("occurred_at", "description", "field"),
    [
        (datetime.now(UTC) + timedelta(hours=1), None, "occurredAt"),
        (datetime.now(UTC).replace(tzinfo=None), None, "occurredAt"),
        (datetime.now(UTC), "x" * 501, "description"),
    ],
)
async def test_an_event_from_the_future_without_a_zone_or_too_long_is_invalid(
    graphql, shop, occurred_at, description, field
):
    _, shipment_id = await shipped_order(graphql, ("TEE-S", 1))

    data = await graphql.admin(
        ADD_TRACKING_EVENT,
        {
            "input": {
                "shipmentId": shipment_id,
                "status": "IN_TRANSIT",
                "occurredAt": occurred_at.isoformat(),
                "description": description,
            }
        },
    )

    error = data["addTrackingEvent"]["userErrors"][0]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", field])


async def test_an_unknown_shipment_or_an_id_of_another_type_is_not_found(graphql, shop):
    order, _ = await shipped_order(graphql, ("TEE-S", 1))
    for wrong_id in ("U2hpcG1lbnQ6OTk5", order["id"]):  # Shipment:999, an Order's id
        refused = await track(graphql, wrong_id, "IN_TRANSIT", 1)
        assert refused["userErrors"][0]["code"] == "NOT_FOUND"
        assert refused["userErrors"][0]["field"] == ["input", "shipmentId"]


# -- the order follows its shipments --------------------------------------------------------


async def test_an_order_is_delivered_with_its_last_shipment_and_the_change_is_published(
    graphql, database, shop
):
    order = (await place(graphql, shipping_order(("TEE-S", 2), ("MUG", 1))))["order"]
    await change(graphql, "confirmOrder", order["id"])
    first = (await ship(graphql, order["id"], ("TEE-S", 2), tracking="1Z1"))["order"]
    second = (await ship(graphql, order["id"], ("MUG", 1), tracking="1Z2"))["order"]
    tees, mugs = (s["id"] for s in second["shipments"])
    assert (first["status"], second["status"]) == ("PARTIALLY_SHIPPED", "SHIPPED")

    one = await track(graphql, tees, "DELIVERED", 3)
    both = await track(graphql, mugs, "DELIVERED", 4)

    assert one["order"]["status"] == "SHIPPED"
    assert both["order"]["status"] == "DELIVERED"
    assert both["shipment"]["order"] == {"number": order["number"], "status": "DELIVERED"}
    assert both["order"]["history"][-1] == {
        "fromStatus": "SHIPPED",
        "toStatus": "DELIVERED",
        "actor": "carrier-feed",
        "note": "all shipments delivered",
    }
    published = (await outbox_events(database, "OrderStatusChanged"))[-1]
    assert f"SO-{published['orderId']:06d}" == order["number"]
    assert published["sequence"] == len(both["order"]["history"])
    assert (published["previousStatus"], published["status"], published["actor"]) == (
        "SHIPPED",
        "DELIVERED",
        "carrier-feed",
    )
    shipment_events = await outbox_events(database, "ShipmentStatusChanged")
    assert [(e["sequence"], e["previousStatus"], e["status"]) for e in shipment_events] == [
        (1, "SHIPPED", "DELIVERED"),
        (1, "SHIPPED", "DELIVERED"),
    ]


async def test_a_partly_shipped_order_whose_parcels_arrived_waits_for_its_last_shipment(
    graphql, shop
):
    order = (await place(graphql, shipping_order(("TEE-S", 3))))["order"]
    await change(graphql, "confirmOrder", order["id"])
    early = (await ship(graphql, order["id"], ("TEE-S", 1), tracking="1Z1"))["order"]

    delivered = await track(graphql, early["shipments"][0]["id"], "DELIVERED", 2)
    last = (await ship(graphql, order["id"], ("TEE-S", 2), tracking="1Z2"))["order"]
    shipped = last["status"]
    done = await track(graphql, last["shipments"][1]["id"], "DELIVERED", 3)

    assert delivered["order"]["status"] == "PARTIALLY_SHIPPED"
    assert shipped == "SHIPPED"
    assert done["order"]["status"] == "DELIVERED"
    assert [h["toStatus"] for h in done["order"]["history"]][-3:] == [
        "PARTIALLY_SHIPPED",
        "SHIPPED",
        "DELIVERED",
    ]


async def test_an_order_marked_delivered_by_hand_stays_so_when_the_carrier_confirms(graphql, shop):
    order, shipment_id = await shipped_order(graphql, ("TEE-S", 1))
    by_hand = await change(graphql, "markOrderDelivered", order["id"])

    confirmed = await track(graphql, shipment_id, "DELIVERED", 2)

    assert by_hand["order"]["status"] == "DELIVERED"
    assert confirmed["userErrors"] == []
    assert confirmed["shipment"]["status"] == "DELIVERED"
    assert [h["toStatus"] for h in confirmed["order"]["history"]].count("DELIVERED") == 1


# -- who may see and track ---------------------------------------------------------------


async def test_a_customer_follows_its_own_parcels_and_sees_no_one_elses(graphql, shop):
    _, adas = await shipped_order(graphql, ("TEE-S", 1), customer=shop.customer)
    bobs_order, bobs = await shipped_order(graphql, ("TEE-M", 1), customer=shop.other_customer)
    await track(graphql, adas, "IN_TRANSIT", 1, "left the hub")
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)

    own = (await graphql.data(SHIPMENT, {"id": adas}, token=ada))["node"]
    others = (await graphql.data(SHIPMENT, {"id": bobs}, token=ada))["node"]
    others_order = await graphql.data(ORDER_SHIPMENTS, {"id": bobs_order["id"]}, token=ada)
    tracked_by_ada = await track(graphql, adas, "DELIVERED", 2, token=ada)

    assert own["status"] == "IN_TRANSIT"
    assert events(own) == [("IN_TRANSIT", "left the hub")]
    assert others is None
    assert others_order["order"] is None
    assert tracked_by_ada["userErrors"][0]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("role", "locations", "code"),
    [
        (Role.STAFF, ("ST-C",), "NOT_FOUND"),  # may not even see the order
        (Role.STAFF, ("ST-B",), "FORBIDDEN"),  # sees the order, but the parcel left WH-A
        (Role.POS, ("ST-B",), "FORBIDDEN"),  # terminals do not record carrier events
    ],
)
async def test_a_caller_who_did_not_send_the_parcel_may_not_track_it(
    graphql, shop, role, locations, code
):
    order = (await place(graphql, shipping_order(("TEE-M", 1), ("MUG", 1))))["order"]
    await change(graphql, "confirmOrder", order["id"])
    shipped = await ship(graphql, order["id"], ("TEE-M", 1))
    shipment_id = shipped["order"]["shipments"][0]["id"]

    refused = await track(
        graphql, shipment_id, "DELIVERED", 2, token=graphql.token(role, locations=locations)
    )

    assert refused["userErrors"][0]["code"] == code
    assert (await graphql.admin(SHIPMENT, {"id": shipment_id}))["node"]["status"] == "SHIPPED"


# -- ship-from-store and click-and-collect --------------------------------------------------


async def test_a_store_ships_its_part_of_an_order_and_the_warehouse_the_rest(graphql, shop):
    # The channel fulfils from WH-A, then ST-B: T-shirts only WH-A holds, mugs only ST-B.
    order = (await place(graphql, shipping_order(("TEE-M", 1), ("MUG", 2))))["order"]
    await change(graphql, "confirmOrder", order["id"])
    store = graphql.token(Role.STAFF, locations=("ST-B",), subject="store-clerk")
    warehouse = graphql.token(Role.STAFF, locations=("WH-A",), subject="warehouse-clerk")

    not_theirs = await ship(graphql, order["id"], ("TEE-M", 1), token=store)
    from_store = await ship(graphql, order["id"], ("MUG", 2, "ST-B"), tracking="ST1", token=store)
    from_warehouse = await ship(graphql, order["id"], ("TEE-M", 1), tracking="WH1", token=warehouse)

    assert not_theirs["userErrors"][0]["code"] == "FORBIDDEN"
    assert from_store["order"]["status"] == "PARTIALLY_SHIPPED"
    assert from_warehouse["order"]["status"] == "SHIPPED"
    store_parcel, warehouse_parcel = from_warehouse["order"]["shipments"]
    assert store_parcel["lines"] == [{"sku": "MUG", "location": {"code": "ST-B"}}]
    assert warehouse_parcel["lines"] == [{"sku": "TEE-M", "location": {"code": "WH-A"}}]
    assert await level(graphql, "MUG", "ST-B") == (2, 0)
    assert await level(graphql, "TEE-M", "WH-A") == (4, 0)

    wrong_parcel = await track(graphql, warehouse_parcel["id"], "DELIVERED", 2, token=store)
    store_done = await track(graphql, store_parcel["id"], "DELIVERED", 2, token=store)
    warehouse_done = await track(graphql, warehouse_parcel["id"], "DELIVERED", 3, token=warehouse)

    assert wrong_parcel["userErrors"][0]["code"] == "FORBIDDEN"
    assert (store_done["shipment"]["status"], store_done["order"]["status"]) == (
        "DELIVERED",
        "SHIPPED",
    )
    assert warehouse_done["order"]["status"] == "DELIVERED"
    assert warehouse_done["order"]["history"][-1]["actor"] == "warehouse-clerk"


async def test_click_and_collect_works_at_a_store_the_channel_does_not_ship_from(graphql, database):
    shop = await build_shop(database, DEFAULT_STOCK | {("MUG", "ST-C"): 2})
    clerk = graphql.token(Role.STAFF, locations=(shop.other_store,))

    placed = await place(graphql, pickup_order(shop.other_store, ("MUG", 2)))
    order = placed["order"]
    for step in ("confirmOrder", "markOrderReadyForPickup", "completeOrder"):
        assert (await change(graphql, step, order["id"], token=clerk))["userErrors"] == []

    assert placed["userErrors"] == []
    assert order["lines"][0]["allocations"] == [
        {"quantity": 2, "fulfilled": 0, "location": {"code": "ST-C"}}
    ]
    assert await level(graphql, "MUG", "ST-C") == (0, 0)
    assert await level(graphql, "MUG", "ST-B") == (4, 0)  # the channel's store is untouched
    final = await graphql.admin(ORDER_SHIPMENTS, {"id": order["id"]})
    assert final["order"] == {"status": "COMPLETED", "shipments": []}


# -- cost ---------------------------------------------------------------------------------


async def test_shipments_and_their_tracking_cost_one_statement_each_per_page(
    graphql, database, shop
):
    for index in range(5):
        _, shipment_id = await shipped_order(graphql, ("TEE-S", 1))
        await track(graphql, shipment_id, "IN_TRANSIT", index)
    counts = []
    for first in (1, 5):
        with counting_statements(database) as statements:
            data = await graphql.admin(ORDERS_WITH_TRACKING, {"first": first})
        assert all(e["node"]["shipments"][0]["trackingEvents"] for e in data["orders"]["edges"])
        counts.append(len(statements))

    # the page, shipments with their lines, tracking events
    assert counts == [3, 3]
