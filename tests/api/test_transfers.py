"""Transfers of stock between locations: the lifecycle, what it does to stock, who may do
what, and how transfers are listed. Every test runs on SQLite and PostgreSQL."""

import asyncio
import base64
from datetime import UTC, datetime

import pytest

from domain.access import Role
from domain.errors import InsufficientStock
from domain.model.inventory import MovementKind, StockMovement
from persistence.reads import stock as stock_reads
from persistence.uow import SqlUnitOfWork
from tests.api.ledger_documents import assert_stock_holds
from tests.api.test_query_count import counting_statements
from tests.api.transfers_documents import (
    NODE,
    SET_THRESHOLDS,
    TRANSFER,
    TRANSFERS,
    cancel,
    codes,
    create,
    level,
    movements,
    receive,
    request,
    ship,
    shipped,
)

# The shop (tests/api/conftest.py): WH-A holds TEE-S 10 and TEE-M 5, ST-B holds TEE-S 3
# and MUG 4, ST-C holds nothing.

# -- the lifecycle and its stock ---------------------------------------------------------


async def test_a_transfer_goes_from_draft_to_received_and_the_stock_follows_it(
    graphql, database, shop
):
    created = (await create(graphql, ("TEE-S", 4), note="restock the mall"))["transfer"]
    assert (created["number"], created["status"]) == ("TR-000001", "DRAFT")
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0, 0)

    requested = (await request(graphql, created["id"]))["transfer"]
    assert requested["status"] == "REQUESTED"
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 4, 0)

    in_transit = (await ship(graphql, created["id"], carrier="DHL", tracking="JD0001"))["transfer"]
    assert (in_transit["status"], in_transit["carrier"], in_transit["trackingNumber"]) == (
        "IN_TRANSIT",
        "DHL",
        "JD0001",
    )
    assert await level(graphql, "TEE-S", shop.warehouse) == (6, 0, 0)
    assert await level(graphql, "TEE-S", shop.store) == (3, 0, 4)

    received = (await receive(graphql, created["id"], ("TEE-S", 4)))["transfer"]
    assert received["status"] == "RECEIVED"
    assert received["lines"] == [
        {"sku": "TEE-S", "quantity": 4, "received": 4, "lost": 0, "variant": {"sku": "TEE-S"}}
    ]
    assert await level(graphql, "TEE-S", shop.store) == (7, 0, 0)
    assert [
        (h["sequence"], h["fromStatus"], h["toStatus"], h["actor"], h["note"])
        for h in received["history"]
    ] == [
        (1, None, "DRAFT", "admin", "restock the mall"),
        (2, "DRAFT", "REQUESTED", "admin", None),
        (3, "REQUESTED", "IN_TRANSIT", "admin", None),
        (4, "IN_TRANSIT", "RECEIVED", "admin", None),
    ]
    assert await movements(graphql, received["reference"]) == [
        ("RESERVATION", "TEE-S", "WH-A", 0, 4, 0),
        ("TRANSFER_OUT", "TEE-S", "WH-A", -4, -4, 0),
        ("TRANSFER_IN_TRANSIT", "TEE-S", "ST-B", 0, 0, 4),
        ("TRANSFER_RECEIVED", "TEE-S", "ST-B", 4, 0, -4),
    ]
    await assert_stock_holds(database)


async def test_a_short_delivery_is_partially_received_and_the_shortfall_recorded_as_lost(
    graphql, database, shop
):
    transfer = await shipped(graphql, ("TEE-S", 4), ("TEE-M", 2))

    payload = await receive(graphql, transfer["id"], ("TEE-S", 3))

    received = payload["transfer"]
    assert received["status"] == "PARTIALLY_RECEIVED"
    assert [(line["sku"], line["received"], line["lost"]) for line in received["lines"]] == [
        ("TEE-S", 3, 1),
        ("TEE-M", 0, 2),
    ]
    assert await level(graphql, "TEE-S", shop.store) == (6, 0, 0)
    assert await level(graphql, "TEE-M", shop.store) == (0, 0, 0)
    assert (await movements(graphql, received["reference"]))[-3:] == [
        ("TRANSFER_RECEIVED", "TEE-S", "ST-B", 3, 0, -3),
        ("TRANSFER_LOSS", "TEE-S", "ST-B", 0, 0, -1),
        ("TRANSFER_LOSS", "TEE-M", "ST-B", 0, 0, -2),
    ]
    await assert_stock_holds(database)


async def test_receiving_more_than_was_shipped_is_refused_and_changes_nothing(
    graphql, database, shop
):
    transfer = await shipped(graphql, ("TEE-S", 4), ("TEE-M", 2))

    payload = await receive(graphql, transfer["id"], ("TEE-M", 2), ("TEE-S", 5))

    assert payload["transfer"] is None
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert payload["userErrors"][0]["field"] == ["input", "lines", "1", "quantity"]
    assert "TEE-S" in payload["userErrors"][0]["message"]
    assert (await graphql.admin(TRANSFER, {"id": transfer["id"]}))["transfer"]["status"] == (
        "IN_TRANSIT"
    )
    assert await level(graphql, "TEE-S", shop.store) == (3, 0, 4)
    assert await level(graphql, "TEE-M", shop.store) == (0, 0, 2)
    await assert_stock_holds(database)


async def test_a_receipt_naming_a_sku_not_on_the_transfer_is_refused(graphql, shop):
    transfer = await shipped(graphql, ("TEE-S", 1))

    payload = await receive(graphql, transfer["id"], ("MUG", 1))

    assert codes(payload) == ["INVALID_INPUT"]


async def test_a_request_for_more_than_is_available_names_the_sku_and_reserves_nothing(
    graphql, database, shop
):
    transfer = (await create(graphql, ("TEE-S", 5), ("TEE-M", 6)))["transfer"]

    payload = await request(graphql, transfer["id"])

    assert codes(payload) == ["INSUFFICIENT_STOCK"]
    assert payload["userErrors"][0]["message"] == "SKU TEE-M: 5 available at WH-A, 6 requested"
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0, 0)
    assert (await graphql.admin(TRANSFER, {"id": transfer["id"]}))["transfer"]["status"] == "DRAFT"
    await assert_stock_holds(database)


async def test_a_request_leaves_the_origins_safety_stock_alone(graphql, shop):
    await graphql.admin(
        SET_THRESHOLDS,
        {"input": {"sku": "TEE-S", "locationCode": "WH-A", "reorderPoint": 0, "safetyStock": 7}},
    )
    too_many = (await create(graphql, ("TEE-S", 4)))["transfer"]
    just_enough = (await create(graphql, ("TEE-S", 3)))["transfer"]

    refused = await request(graphql, too_many["id"])
    accepted = await request(graphql, just_enough["id"])

    assert codes(refused) == ["INSUFFICIENT_STOCK"]
    assert "safety stock of 7" in refused["userErrors"][0]["message"]
    assert accepted["transfer"]["status"] == "REQUESTED"


async def test_the_level_update_itself_keeps_a_transfer_hold_out_of_safety_stock(
    graphql, database, shop
):
    """A request checks the level it read; should an order take units after that read, the
    conditional update of the level still refuses to hold units of the safety stock."""
    await graphql.admin(
        SET_THRESHOLDS,
        {"input": {"sku": "TEE-S", "locationCode": "WH-A", "reorderPoint": 0, "safetyStock": 7}},
    )

    async def hold(units: int, *, keeps_safety_stock: bool) -> str | None:
        async with SqlUnitOfWork(database) as uow:
            variant = (await uow.catalog.variants_by_sku(["TEE-S"]))["TEE-S"]
            warehouse = (await uow.locations.by_code([shop.warehouse]))[shop.warehouse]
            movement = StockMovement(
                variant_id=variant.id,
                location_id=warehouse.id,
                kind=MovementKind.RESERVATION,
                on_hand_delta=0,
                reserved_delta=units,
                reference="transfer:0",
                actor="test",
                occurred_at=datetime.now(UTC),
                keeps_safety_stock=keeps_safety_stock,
            )
            try:
                await uow.stock.apply([movement])
            except InsufficientStock as refused:
                return refused.message
            await uow.commit()
        return None

    refused = await hold(4, keeps_safety_stock=True)  # as if the read had shown 11 on hand
    an_order_may = await hold(4, keeps_safety_stock=False)

    assert refused is not None and "3 available above a safety stock of 7" in refused
    assert an_order_may is None
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 4, 0)
    # a hold written straight to the ledger, no transfer behind it: only the ledger balances
    async with database.read_session() as session:
        assert list(await stock_reads.ledger_discrepancies(session)) == []


async def test_units_reserved_for_orders_cannot_be_transferred(graphql, shop):
    first = (await create(graphql, ("TEE-M", 4)))["transfer"]
    second = (await create(graphql, ("TEE-M", 2)))["transfer"]
    await request(graphql, first["id"])

    payload = await request(graphql, second["id"])

    assert payload["userErrors"][0]["message"] == "SKU TEE-M: 1 available at WH-A, 2 requested"


async def test_cancelling_a_requested_transfer_releases_its_reservation(graphql, database, shop):
    transfer = (await create(graphql, ("TEE-S", 4), ("TEE-M", 5)))["transfer"]
    await request(graphql, transfer["id"])

    cancelled = (await cancel(graphql, transfer["id"], note="van broke down"))["transfer"]

    assert cancelled["status"] == "CANCELLED"
    assert cancelled["history"][-1]["note"] == "van broke down"
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0, 0)
    assert await level(graphql, "TEE-M", shop.warehouse) == (5, 0, 0)
    assert [m[0] for m in await movements(graphql, cancelled["reference"])] == [
        "RESERVATION",
        "RESERVATION",
        "RELEASE",
        "RELEASE",
    ]
    await assert_stock_holds(database)


async def test_cancelling_a_draft_moves_no_stock(graphql, shop):
    transfer = (await create(graphql, ("TEE-S", 4)))["transfer"]

    cancelled = (await cancel(graphql, transfer["id"]))["transfer"]

    assert cancelled["status"] == "CANCELLED"
    assert await movements(graphql, cancelled["reference"]) == []


async def test_steps_out_of_order_are_invalid_transitions_and_change_nothing(graphql, shop):
    draft = (await create(graphql, ("TEE-S", 1)))["transfer"]
    in_transit = await shipped(graphql, ("TEE-S", 2))

    refusals = [
        await ship(graphql, draft["id"]),
        await receive(graphql, draft["id"], ("TEE-S", 1)),
        await cancel(graphql, in_transit["id"]),
        await request(graphql, in_transit["id"]),
    ]

    assert [codes(payload) for payload in refusals] == [["INVALID_TRANSITION"]] * 4
    assert "IN_TRANSIT" in refusals[2]["userErrors"][0]["message"]
    assert await level(graphql, "TEE-S", shop.warehouse) == (8, 0, 0)
    assert await level(graphql, "TEE-S", shop.store) == (3, 0, 2)


async def test_a_received_transfer_cannot_be_received_again(graphql, shop):
    transfer = await shipped(graphql, ("TEE-S", 2))
    await receive(graphql, transfer["id"], ("TEE-S", 1))

    again = await receive(graphql, transfer["id"], ("TEE-S", 1))

    assert codes(again) == ["INVALID_TRANSITION"]
    assert await level(graphql, "TEE-S", shop.store) == (4, 0, 0)


async def test_a_shipment_needs_a_carrier_and_a_tracking_number(graphql, shop):
    transfer = (await create(graphql, ("TEE-S", 1)))["transfer"]
    await request(graphql, transfer["id"])

    payload = await ship(graphql, transfer["id"], carrier="  ")

    assert codes(payload) == ["INVALID_INPUT"]


async def test_two_clerks_requesting_one_transfer_at_once_reserve_it_once(graphql, database, shop):
    transfer = (await create(graphql, ("TEE-S", 4)))["transfer"]

    payloads = await asyncio.gather(*(request(graphql, transfer["id"]) for _ in range(5)))

    assert sorted(codes(p)[0] if codes(p) else "OK" for p in payloads) == [
        "INVALID_TRANSITION"
    ] * 4 + ["OK"]
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 4, 0)
    await assert_stock_holds(database)


# -- creating one ------------------------------------------------------------------------


TEE = [("TEE-S", 1)]


@pytest.mark.parametrize(
    ("origin", "destination", "pairs", "code", "field"),
    [
        ("WH-A", "wh-a", TEE, "INVALID_INPUT", "toLocationCode"),
        ("WH-A", "ST-B", [], "INVALID_INPUT", "lines"),
        ("WH-A", "ST-B", [("TEE-S", 0)], "INVALID_INPUT", "lines.0.quantity"),
        ("WH-A", "ST-B", [*TEE, ("tee-s", 1)], "INVALID_INPUT", "lines.1.sku"),
        ("WH-A", "ST-B", [*TEE, ("SOCKS", 1)], "NOT_FOUND", "lines.1.sku"),
        ("WH-Z", "ST-B", TEE, "NOT_FOUND", "fromLocationCode"),
        ("WH-A", "ST-Z", TEE, "NOT_FOUND", "toLocationCode"),
    ],
    ids=["same-place", "no-lines", "zero", "twice", "unknown-sku", "no-origin", "no-destination"],
)
async def test_a_transfer_that_breaks_a_rule_is_not_created(
    graphql, shop, origin, destination, pairs, code, field
):
    payload = await create(graphql, *pairs, origin=origin, destination=destination)

    assert payload["transfer"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        (code, ["input", *field.split(".")])
    ]
    assert (await graphql.admin(TRANSFERS))["transfers"]["totalCount"] == 0


async def test_location_codes_and_skus_are_read_in_any_case(graphql, shop):
    payload = await create(graphql, (" tee-s ", 2), origin="wh-a", destination=" st-c")

    transfer = payload["transfer"]
    assert (transfer["fromLocation"], transfer["toLocation"]) == (
        {"code": "WH-A"},
        {"code": "ST-C"},
    )
    assert transfer["lines"][0]["sku"] == "TEE-S"


# -- who may do what ---------------------------------------------------------------------


async def test_store_staff_create_and_receive_while_warehouse_staff_request_and_ship(
    graphql, database, shop
):
    store = graphql.token(Role.STAFF, locations=(shop.store,), subject="store-clerk")
    warehouse = graphql.token(Role.STAFF, locations=(shop.warehouse,), subject="picker")
    transfer = (await create(graphql, ("TEE-S", 2), token=store))["transfer"]

    assert codes(await request(graphql, transfer["id"], token=store)) == ["FORBIDDEN"]
    assert codes(await request(graphql, transfer["id"], token=warehouse)) == []
    assert codes(await ship(graphql, transfer["id"], token=store)) == ["FORBIDDEN"]
    assert codes(await ship(graphql, transfer["id"], token=warehouse)) == []
    assert codes(await receive(graphql, transfer["id"], ("TEE-S", 2), token=warehouse)) == [
        "FORBIDDEN"
    ]
    received = await receive(graphql, transfer["id"], ("TEE-S", 2), token=store)

    assert [h["actor"] for h in received["transfer"]["history"]] == [
        "store-clerk",
        "picker",
        "picker",
        "store-clerk",
    ]
    await assert_stock_holds(database)


async def test_only_staff_at_the_origin_may_cancel(graphql, shop):
    store = graphql.token(Role.STAFF, locations=(shop.store,))
    warehouse = graphql.token(Role.STAFF, locations=(shop.warehouse,))
    transfer = (await create(graphql, ("TEE-S", 2)))["transfer"]

    refused = await cancel(graphql, transfer["id"], token=store)
    accepted = await cancel(graphql, transfer["id"], token=warehouse)

    assert codes(refused) == ["FORBIDDEN"]
    assert accepted["transfer"]["status"] == "CANCELLED"


async def test_a_pos_terminal_works_like_staff_at_its_store(graphql, shop):
    till = graphql.token(Role.POS, locations=(shop.store,))
    outgoing = await create(graphql, ("MUG", 1), origin="ST-B", destination="ST-C", token=till)
    incoming = await shipped(graphql, ("TEE-S", 1))
    elsewhere = await create(graphql, ("TEE-S", 1), origin="WH-A", destination="ST-C", token=till)

    assert codes(await request(graphql, outgoing["transfer"]["id"], token=till)) == []
    assert codes(await receive(graphql, incoming["id"], ("TEE-S", 1), token=till)) == []
    assert codes(elsewhere) == ["FORBIDDEN"]


async def test_staff_bound_to_no_location_work_everywhere(graphql, shop):
    anywhere = graphql.token(Role.STAFF)
    transfer = (await create(graphql, ("TEE-S", 1), token=anywhere))["transfer"]

    for step in (request, ship):
        assert codes(await step(graphql, transfer["id"], token=anywhere)) == []
    received = await receive(graphql, transfer["id"], ("TEE-S", 1), token=anywhere)

    assert received["transfer"]["status"] == "RECEIVED"


async def test_staff_elsewhere_cannot_see_a_transfer_nor_learn_that_it_exists(graphql, shop):
    elsewhere = graphql.token(Role.STAFF, locations=(shop.other_store,))
    transfer = (await create(graphql, ("TEE-S", 1)))["transfer"]

    assert codes(await create(graphql, ("TEE-S", 1), token=elsewhere)) == ["FORBIDDEN"]
    assert (await graphql.data(TRANSFER, {"id": transfer["id"]}, token=elsewhere)) == {
        "transfer": None
    }
    assert (await graphql.data(NODE, {"id": transfer["id"]}, token=elsewhere)) == {"node": None}
    listed = await graphql.data(TRANSFERS, token=elsewhere)
    assert listed["transfers"]["totalCount"] == 0
    for step in (request, cancel):
        payload = await step(graphql, transfer["id"], token=elsewhere)
        assert (payload["transfer"], codes(payload)) == (None, ["NOT_FOUND"])
        assert payload["userErrors"][0]["field"] == ["input", "transferId"]


@pytest.mark.parametrize("role", ["customer", "anonymous"])
async def test_customers_and_anonymous_callers_neither_see_nor_change_transfers(
    graphql, shop, role
):
    token = graphql.token(Role.CUSTOMER, customer=shop.customer) if role == "customer" else ""
    transfer = (await create(graphql, ("TEE-S", 1)))["transfer"]

    created = await create(graphql, ("TEE-S", 1), token=token)
    requested = await request(graphql, transfer["id"], token=token)
    listed = await graphql.post(TRANSFERS, token=token)
    one = await graphql.data(TRANSFER, {"id": transfer["id"]}, token=token)
    node = await graphql.data(NODE, {"id": transfer["id"]}, token=token)

    assert codes(created) == codes(requested) == ["FORBIDDEN"]
    assert listed["data"] is None
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert one == {"transfer": None}
    assert node == {"node": None}
    assert (await graphql.admin(TRANSFER, {"id": transfer["id"]}))["transfer"]["status"] == "DRAFT"


async def test_an_id_of_another_type_is_not_found(graphql, shop):
    products = await graphql.admin("{ products(first: 1) { edges { node { id } } } }")
    product_id = products["products"]["edges"][0]["node"]["id"]

    payload = await request(graphql, product_id)

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("NOT_FOUND", ["input", "transferId"])
    ]
    assert (await graphql.admin(TRANSFER, {"id": product_id}))["transfer"] is None


@pytest.mark.parametrize("node_id", ["0", "999", str(2**31), str(10**30)])
async def test_an_id_that_names_no_transfer_is_not_found(graphql, shop, node_id):
    transfer_id = base64.b64encode(f"Transfer:{node_id}".encode()).decode()

    payload = await request(graphql, transfer_id)

    assert codes(payload) == ["NOT_FOUND"]
    assert (await graphql.admin(TRANSFER, {"id": transfer_id}))["transfer"] is None
    assert (await graphql.admin(NODE, {"id": transfer_id}))["node"] is None


# -- listing them ------------------------------------------------------------------------


async def test_transfers_are_listed_newest_first_and_filtered(graphql, shop):
    first = (await create(graphql, ("TEE-S", 1)))["transfer"]
    await create(graphql, ("MUG", 1), origin="ST-B", destination="ST-C")
    third = (await create(graphql, ("TEE-M", 1), origin="WH-A", destination="ST-C"))["transfer"]
    await request(graphql, first["id"])
    await request(graphql, third["id"])

    async def numbers(**filter):
        data = await graphql.admin(TRANSFERS, {"filter": filter})
        return [edge["node"]["number"] for edge in data["transfers"]["edges"]]

    assert await numbers() == ["TR-000003", "TR-000002", "TR-000001"]
    assert await numbers(status="REQUESTED") == ["TR-000003", "TR-000001"]
    assert await numbers(fromCode="wh-a") == ["TR-000003", "TR-000001"]
    assert await numbers(toCode="ST-C") == ["TR-000003", "TR-000002"]
    assert await numbers(status="DRAFT", toCode="ST-C") == ["TR-000002"]


async def test_staff_list_the_transfers_from_or_to_where_they_work(graphql, shop):
    await create(graphql, ("TEE-S", 1), origin="WH-A", destination="ST-B")
    await create(graphql, ("MUG", 1), origin="ST-B", destination="ST-C")
    await create(graphql, ("TEE-M", 1), origin="WH-A", destination="ST-C")
    store_c = graphql.token(Role.STAFF, locations=(shop.other_store,))

    data = await graphql.data(TRANSFERS, token=store_c)

    assert [edge["node"]["number"] for edge in data["transfers"]["edges"]] == [
        "TR-000003",
        "TR-000002",
    ]
    assert data["transfers"]["totalCount"] == 2


async def test_transfers_page_with_cursors(graphql, shop):
    for _ in range(3):
        await create(graphql, ("TEE-S", 1))

    page_one = (await graphql.admin(TRANSFERS, {"first": 2}))["transfers"]
    page_two = (
        await graphql.admin(TRANSFERS, {"first": 2, "after": page_one["pageInfo"]["endCursor"]})
    )["transfers"]

    assert [e["node"]["number"] for e in page_one["edges"]] == ["TR-000003", "TR-000002"]
    assert page_one["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["number"] for e in page_two["edges"]] == ["TR-000001"]
    assert page_two["pageInfo"]["hasNextPage"] is False
    assert page_one["totalCount"] == page_two["totalCount"] == 3


async def test_a_transfer_is_a_node(graphql, shop):
    transfer = (await create(graphql, ("TEE-S", 1)))["transfer"]

    node = (await graphql.admin(NODE, {"id": transfer["id"]}))["node"]

    assert node == {"id": transfer["id"], "number": "TR-000001", "status": "DRAFT"}


TRANSFERS_PAGE = """
query($first: Int!) {
  transfers(first: $first) {
    totalCount
    edges { node {
      number status fromLocation { code } toLocation { code }
      lines { sku quantity received lost variant { sku name } }
      history { sequence toStatus actor }
    } }
  }
}"""


async def test_a_page_of_transfers_costs_a_fixed_number_of_statements(graphql, database, shop):
    for index in range(6):
        transfer = (await create(graphql, ("TEE-S", 1), ("TEE-M", 1), ("MUG", 1)))["transfer"]
        if index % 2:
            await request(graphql, transfer["id"])
    for first in (1, 6):
        with counting_statements(database) as statements:
            data = await graphql.admin(TRANSFERS_PAGE, {"first": first})
        assert len(data["transfers"]["edges"]) == first
        assert all(len(e["node"]["lines"]) == 3 for e in data["transfers"]["edges"])
        # count + page, locations, lines, variants, history
        assert len(statements) <= 6
