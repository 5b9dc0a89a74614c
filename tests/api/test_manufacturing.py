"""Manufacturing: bills of materials, and work orders from planned to completed — what they
do to stock, who may do what, and how work orders are listed. Every test runs on SQLite and
PostgreSQL."""

import asyncio

import pytest

from domain.access import Role
from tests.api import manufacturing_documents as making
from tests.api.ledger_documents import assert_stock_holds
from tests.api.manufacturing_documents import (
    BILL_OF_MATERIALS,
    NODE,
    VARIANT_BOM,
    WORK_ORDER,
    WORK_ORDERS,
    complete,
    create,
    set_bom,
    started,
    step,
    table_and_leg_boms,
)
from tests.api.orders_documents import ORDER, place
from tests.api.test_query_count import counting_statements
from tests.api.transfers_documents import codes, level, movements
from tests.api.wholesale_documents import join_trade_group, wholesale_order

# The workshop (tests/api/manufacturing_documents.py): WH-A holds LEG 10, TOP 3, SCREW 40
# and DOWEL 20; a TABLE is 4 LEG + 1 TOP + 8 SCREW, a LEG is 2 DOWEL.


@pytest.fixture
async def workshop(database, shop):
    await making.build_workshop(database)
    return shop


@pytest.fixture
async def boms(graphql, workshop):
    await table_and_leg_boms(graphql)
    return workshop


# -- bills of materials ------------------------------------------------------------------


async def test_a_bill_of_materials_is_set_and_shown_on_the_variant(graphql, workshop):
    payload = await set_bom(graphql, "table", [("leg", 4), ("TOP", 1), ("SCREW", 8)])

    assert payload["userErrors"] == []
    assert payload["variant"] == {
        "sku": "TABLE",
        "billOfMaterials": [
            {"sku": "LEG", "quantity": 4, "manufactured": False, "variant": {"sku": "LEG"}},
            {"sku": "TOP", "quantity": 1, "manufactured": False, "variant": {"sku": "TOP"}},
            {"sku": "SCREW", "quantity": 8, "manufactured": False, "variant": {"sku": "SCREW"}},
        ],
    }
    assert (await graphql.admin(VARIANT_BOM, {"sku": "TOP"}))["variant"]["billOfMaterials"] == []


async def test_setting_a_bill_of_materials_again_replaces_it_and_empty_removes_it(graphql, boms):
    replaced = await set_bom(graphql, "TABLE", [("TOP", 1), ("LEG", 3)])
    assert [(c["sku"], c["quantity"]) for c in replaced["variant"]["billOfMaterials"]] == [
        ("TOP", 1),
        ("LEG", 3),
    ]

    removed = await set_bom(graphql, "TABLE", [])

    assert removed == {"variant": {"sku": "TABLE", "billOfMaterials": []}, "userErrors": []}
    assert (await graphql.admin(BILL_OF_MATERIALS, {"sku": "TABLE"}))["billOfMaterials"] is None


async def test_a_multi_level_bill_of_materials_explodes_to_every_component_once(graphql, boms):
    # DOWEL is used by LEG (2 each) and, directly, by the TABLE (6 each).
    await set_bom(graphql, "TABLE", [*making.TABLE_BOM, ("DOWEL", 6)])

    data = await graphql.admin(BILL_OF_MATERIALS, {"sku": "TABLE", "explode": 3})

    bom = data["billOfMaterials"]
    assert (bom["sku"], bom["units"]) == ("TABLE", 3)
    assert [c["sku"] for c in bom["components"]] == ["LEG", "TOP", "SCREW", "DOWEL"]
    assert [c["manufactured"] for c in bom["components"]] == [True, False, False, False]
    assert [(e["sku"], e["quantity"], e["level"], e["manufactured"]) for e in bom["explosion"]] == [
        ("LEG", 12, 1, True),
        ("SCREW", 24, 1, False),
        ("TOP", 3, 1, False),
        ("DOWEL", 3 * 6 + 12 * 2, 2, False),
    ]


async def test_without_explode_there_is_no_explosion_and_a_bought_sku_has_no_bill(graphql, boms):
    table = await graphql.admin(BILL_OF_MATERIALS, {"sku": "TABLE"})
    dowel = await graphql.admin(BILL_OF_MATERIALS, {"sku": "DOWEL"})
    unknown = await graphql.admin(BILL_OF_MATERIALS, {"sku": "NOPE"})

    assert (table["billOfMaterials"]["units"], table["billOfMaterials"]["explosion"]) == (
        None,
        None,
    )
    assert dowel["billOfMaterials"] is None
    assert unknown["billOfMaterials"] is None


@pytest.mark.parametrize("explode", [0, -1, 100_001])
async def test_an_explosion_outside_its_range_is_a_bad_request(graphql, boms, explode):
    body = await graphql.post(
        BILL_OF_MATERIALS, {"sku": "TABLE", "explode": explode}, token=graphql.token(Role.ADMIN)
    )

    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_direct_cycle_is_refused_and_named(graphql, boms):
    payload = await set_bom(graphql, "LEG", [("TABLE", 1)])

    assert payload["variant"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "components"],
            "code": "INVALID_INPUT",
            "message": "a bill of materials cannot contain itself: LEG → TABLE → LEG",
        }
    ]
    assert [
        c["sku"]
        for c in (await graphql.admin(VARIANT_BOM, {"sku": "LEG"}))["variant"]["billOfMaterials"]
    ] == ["DOWEL"]


async def test_a_cycle_through_several_levels_is_refused(graphql, boms):
    payload = await set_bom(graphql, "DOWEL", [("SCREW", 1), ("TABLE", 1)])

    assert codes(payload) == ["INVALID_INPUT"]
    assert payload["userErrors"][0]["message"].endswith("DOWEL → TABLE → LEG → DOWEL")


async def test_two_bills_set_at_once_cannot_close_a_cycle_between_them(graphql, workshop):
    for _ in range(3):
        payloads = await asyncio.gather(
            set_bom(graphql, "TOP", [("SCREW", 1), ("DOWEL", 2)]),
            set_bom(graphql, "DOWEL", [("TOP", 1)]),
            set_bom(graphql, "SCREW", [("TOP", 1)]),
        )

        # whichever goes first, no cycle gets in: TOP holds SCREW and DOWEL, or they hold it
        outcomes = sorted(codes(p)[0] if codes(p) else "OK" for p in payloads)
        assert outcomes in (["INVALID_INPUT", "INVALID_INPUT", "OK"], ["INVALID_INPUT", "OK", "OK"])
        for sku in ("TOP", "DOWEL", "SCREW"):
            await set_bom(graphql, sku, [])


@pytest.mark.parametrize(
    ("sku", "pairs", "code", "field"),
    [
        ("TABLE", [("TABLE", 1)], "INVALID_INPUT", "components.0.sku"),
        ("TABLE", [("LEG", 1), ("leg", 2)], "INVALID_INPUT", "components.1.sku"),
        ("TABLE", [("LEG", 0)], "INVALID_INPUT", "components.0.quantity"),
        ("TABLE", [("LEG", 10_001)], "INVALID_INPUT", "components.0.quantity"),
        ("TABLE", [("LEG", 1), ("NOPE", 1)], "NOT_FOUND", "components.1.sku"),
        ("NOPE", [("LEG", 1)], "NOT_FOUND", "sku"),
        ("TABLE", [("no sku", 1)], "INVALID_INPUT", "components.0.sku"),
    ],
    ids=["itself", "twice", "zero", "too-many", "unknown-component", "unknown-sku", "malformed"],
)
async def test_a_bill_of_materials_that_breaks_a_rule_is_refused(
    graphql, workshop, sku, pairs, code, field
):
    payload = await set_bom(graphql, sku, pairs)

    assert payload["variant"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        (code, ["input", *field.split(".")])
    ]
    assert (await graphql.admin(BILL_OF_MATERIALS, {"sku": "TABLE"}))["billOfMaterials"] is None


@pytest.mark.parametrize("role", [Role.POS, Role.CUSTOMER, None])
async def test_only_staff_and_admins_set_and_read_bills_of_materials(graphql, boms, role):
    token = graphql.token(role, customer="ada@example.com", locations=("ST-B",)) if role else ""
    clerk = graphql.token(Role.STAFF, locations=("ST-C",))

    refused = await set_bom(graphql, "TOP", [("SCREW", 2)], token=token)
    read = await graphql.post(BILL_OF_MATERIALS, {"sku": "TABLE"}, token=token)
    accepted = await set_bom(graphql, "TOP", [("SCREW", 2)], token=clerk)

    assert codes(refused) == ["FORBIDDEN"]
    assert read["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert accepted["userErrors"] == []


# -- work orders: the lifecycle and its stock --------------------------------------------


async def test_a_work_order_goes_from_planned_to_completed_and_the_stock_follows_it(
    graphql, database, boms
):
    created = (await create(graphql, quantity=2, note="for the fair"))["workOrder"]
    assert (created["number"], created["status"], created["dueDate"]) == (
        "WO-000001",
        "PLANNED",
        making.DUE,
    )
    assert [(c["sku"], c["quantityPerUnit"], c["required"]) for c in created["components"]] == [
        ("LEG", 4, 8),
        ("TOP", 1, 2),
        ("SCREW", 8, 16),
    ]
    assert await level(graphql, "LEG", "WH-A") == (10, 0, 0)

    released = (await step(graphql, "releaseWorkOrder", created["id"]))["workOrder"]
    assert released["status"] == "RELEASED"
    assert [c["reserved"] for c in released["components"]] == [8, 2, 16]
    assert await level(graphql, "LEG", "WH-A") == (10, 8, 0)

    await step(graphql, "startWorkOrder", created["id"])
    partly = (await complete(graphql, created["id"], produced=1))["workOrder"]
    assert (partly["status"], partly["produced"], partly["remaining"]) == (
        "PARTIALLY_COMPLETED",
        1,
        1,
    )
    assert [(c["reserved"], c["consumed"]) for c in partly["components"]] == [
        (4, 4),
        (1, 1),
        (8, 8),
    ]
    assert await level(graphql, "LEG", "WH-A") == (6, 4, 0)
    assert await level(graphql, "TABLE", "WH-A") == (1, 0, 0)

    done = (await complete(graphql, created["id"], produced=1))["workOrder"]
    assert (done["status"], done["produced"], done["scrapped"], done["remaining"]) == (
        "COMPLETED",
        2,
        0,
        0,
    )
    assert await level(graphql, "LEG", "WH-A") == (2, 0, 0)
    assert await level(graphql, "TOP", "WH-A") == (1, 0, 0)
    assert await level(graphql, "TABLE", "WH-A") == (2, 0, 0)
    assert [
        (h["sequence"], h["fromStatus"], h["toStatus"], h["note"]) for h in done["history"]
    ] == [
        (1, None, "PLANNED", "for the fair"),
        (2, "PLANNED", "RELEASED", None),
        (3, "RELEASED", "IN_PROGRESS", None),
        (4, "IN_PROGRESS", "PARTIALLY_COMPLETED", None),
        (5, "PARTIALLY_COMPLETED", "COMPLETED", None),
    ]
    assert [m[:5] for m in await movements(graphql, done["reference"])][:7] == [
        ("RESERVATION", "LEG", "WH-A", 0, 8),
        ("RESERVATION", "TOP", "WH-A", 0, 2),
        ("RESERVATION", "SCREW", "WH-A", 0, 16),
        ("CONSUMPTION", "LEG", "WH-A", -4, -4),
        ("CONSUMPTION", "TOP", "WH-A", -1, -1),
        ("CONSUMPTION", "SCREW", "WH-A", -8, -8),
        ("PRODUCTION", "TABLE", "WH-A", 1, 0),
    ]
    await assert_stock_holds(database)


async def test_scrapped_units_use_their_components_but_add_no_stock(graphql, database, boms):
    work_order = await started(graphql, quantity=2)

    done = (await complete(graphql, work_order["id"], produced=1, scrapped=1))["workOrder"]

    assert (done["status"], done["produced"], done["scrapped"]) == ("COMPLETED", 1, 1)
    assert [c["consumed"] for c in done["components"]] == [8, 2, 16]
    assert await level(graphql, "LEG", "WH-A") == (2, 0, 0)
    assert await level(graphql, "TABLE", "WH-A") == (1, 0, 0)
    await assert_stock_holds(database)


async def test_a_release_lists_every_component_short_and_reserves_nothing(graphql, database, boms):
    work_order = (await create(graphql, quantity=4))["workOrder"]

    payload = await step(graphql, "releaseWorkOrder", work_order["id"])

    assert payload["workOrder"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "workOrderId"],
            "code": "INSUFFICIENT_STOCK",
            "message": "work order WO-000001 is short of components at WH-A: "
            f"SKU {sku}: {needed} needed, {available} available",
        }
        for sku, needed, available in (("LEG", 16, 10), ("TOP", 4, 3))
    ]
    assert await level(graphql, "SCREW", "WH-A") == (40, 0, 0)
    assert (await graphql.admin(WORK_ORDER, {"id": work_order["id"]}))["workOrder"][
        "status"
    ] == "PLANNED"
    await assert_stock_holds(database)


async def test_units_reserved_by_another_work_order_are_not_available(graphql, boms):
    first = (await create(graphql, quantity=2))["workOrder"]
    second = (await create(graphql, quantity=1))["workOrder"]
    await step(graphql, "releaseWorkOrder", first["id"])

    payload = await step(graphql, "releaseWorkOrder", second["id"])

    assert payload["userErrors"][0]["message"] == (
        "work order WO-000002 is short of components at WH-A: SKU LEG: 4 needed, 2 available"
    )


async def test_completing_more_than_remains_is_refused_and_changes_nothing(graphql, boms):
    work_order = await started(graphql, quantity=2)
    await complete(graphql, work_order["id"], produced=1)

    refusals = [
        await complete(graphql, work_order["id"], produced=1, scrapped=1),
        await complete(graphql, work_order["id"], produced=0, scrapped=0),
        await complete(graphql, work_order["id"], produced=-1, scrapped=2),
    ]

    assert [codes(p) for p in refusals] == [["INVALID_INPUT"]] * 3
    assert refusals[0]["userErrors"][0]["message"] == (
        "work order WO-000001: 1 units remain, 2 produced and scrapped"
    )
    assert await level(graphql, "TABLE", "WH-A") == (1, 0, 0)
    assert await level(graphql, "LEG", "WH-A") == (6, 4, 0)


async def test_cancelling_releases_the_components_still_reserved(graphql, database, boms):
    work_order = await started(graphql, quantity=2)
    await complete(graphql, work_order["id"], produced=1)

    cancelled = (await step(graphql, "cancelWorkOrder", work_order["id"], note="no demand"))[
        "workOrder"
    ]

    assert cancelled["status"] == "CANCELLED"
    assert cancelled["history"][-1]["note"] == "no demand"
    assert [(c["reserved"], c["consumed"]) for c in cancelled["components"]] == [
        (0, 4),
        (0, 1),
        (0, 8),
    ]
    assert await level(graphql, "LEG", "WH-A") == (6, 0, 0)
    assert [m[0] for m in await movements(graphql, cancelled["reference"])][-3:] == ["RELEASE"] * 3
    await assert_stock_holds(database)


async def test_cancelling_a_planned_work_order_moves_no_stock(graphql, boms):
    work_order = (await create(graphql))["workOrder"]

    cancelled = (await step(graphql, "cancelWorkOrder", work_order["id"]))["workOrder"]

    assert cancelled["status"] == "CANCELLED"
    assert await movements(graphql, cancelled["reference"]) == []


async def test_steps_out_of_order_are_invalid_transitions(graphql, boms):
    planned = (await create(graphql, quantity=1))["workOrder"]
    done = await started(graphql, quantity=1)
    await complete(graphql, done["id"], produced=1)

    refusals = [
        await step(graphql, "startWorkOrder", planned["id"]),
        await complete(graphql, planned["id"], produced=1),
        await step(graphql, "releaseWorkOrder", done["id"]),
        await step(graphql, "cancelWorkOrder", done["id"]),
        await complete(graphql, done["id"], produced=1),
    ]

    assert [codes(p) for p in refusals] == [["INVALID_TRANSITION"]] * 5
    assert "COMPLETED" in refusals[3]["userErrors"][0]["message"]


async def test_a_work_order_keeps_the_bill_of_materials_it_was_created_with(graphql, boms):
    work_order = (await create(graphql, quantity=1))["workOrder"]
    await set_bom(graphql, "TABLE", [("TOP", 1)])

    released = (await step(graphql, "releaseWorkOrder", work_order["id"]))["workOrder"]

    assert [(c["sku"], c["reserved"]) for c in released["components"]] == [
        ("LEG", 4),
        ("TOP", 1),
        ("SCREW", 8),
    ]


async def test_units_made_fill_a_backorder_waiting_for_them(graphql, database, boms):
    await join_trade_group(graphql, "ada@example.com")
    order = (
        await place(
            graphql,
            wholesale_order(("TABLE", 1), customerEmail="ada@example.com", allowBackorder=True),
        )
    )["order"]
    assert order["status"] == "BACKORDERED"
    work_order = await started(graphql, quantity=2)

    await complete(graphql, work_order["id"], produced=2)

    filled = (await graphql.admin(ORDER, {"id": order["id"]}))["order"]
    assert filled["status"] == "PENDING"
    assert filled["lines"][0]["allocations"] == [
        {"quantity": 1, "fulfilled": 0, "location": {"code": "WH-A"}}
    ]
    assert await level(graphql, "TABLE", "WH-A") == (2, 1, 0)
    await assert_stock_holds(database)


async def test_two_clerks_releasing_one_work_order_at_once_reserve_it_once(graphql, database, boms):
    work_order = (await create(graphql, quantity=1))["workOrder"]

    payloads = await asyncio.gather(
        *(step(graphql, "releaseWorkOrder", work_order["id"]) for _ in range(4))
    )

    assert sorted(codes(p)[0] if codes(p) else "OK" for p in payloads) == [
        "INVALID_TRANSITION"
    ] * 3 + ["OK"]
    assert await level(graphql, "LEG", "WH-A") == (10, 4, 0)
    await assert_stock_holds(database)


# -- creating one ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sku", "quantity", "location", "due", "code", "field"),
    [
        ("DOWEL", 1, "WH-A", making.DUE, "INVALID_INPUT", "sku"),
        ("NOPE", 1, "WH-A", making.DUE, "NOT_FOUND", "sku"),
        ("TABLE", 0, "WH-A", making.DUE, "INVALID_INPUT", "quantity"),
        ("TABLE", 100_001, "WH-A", making.DUE, "INVALID_INPUT", "quantity"),
        ("TABLE", 1, "WH-Z", making.DUE, "NOT_FOUND", "locationCode"),
        ("TABLE", 1, "WH-A", "1999-01-01", "INVALID_INPUT", "dueDate"),
        ("TABLE", 1, "WH-A", making.due_in(4000), "INVALID_INPUT", "dueDate"),
    ],
    ids=["no-bom", "unknown-sku", "zero", "too-many", "no-location", "long-ago", "far-ahead"],
)
async def test_a_work_order_that_breaks_a_rule_is_not_created(
    graphql, boms, sku, quantity, location, due, code, field
):
    payload = await create(graphql, sku, quantity, location, due)

    assert payload["workOrder"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, ["input", field])]
    assert (await graphql.admin(WORK_ORDERS))["workOrders"]["totalCount"] == 0


# -- who may do what ---------------------------------------------------------------------


async def test_staff_work_on_the_work_orders_of_their_location(graphql, boms):
    warehouse = graphql.token(Role.STAFF, locations=("WH-A",), subject="maker")
    elsewhere = graphql.token(Role.STAFF, locations=("ST-C",))
    work_order = (await create(graphql, quantity=1, token=warehouse))["workOrder"]

    assert codes(await create(graphql, quantity=1, token=elsewhere)) == ["FORBIDDEN"]
    for mutation in ("releaseWorkOrder", "cancelWorkOrder"):
        refused = await step(graphql, mutation, work_order["id"], token=elsewhere)
        assert (refused["workOrder"], codes(refused)) == (None, ["NOT_FOUND"])
        assert refused["userErrors"][0]["field"] == ["input", "workOrderId"]
    assert (await graphql.data(WORK_ORDER, {"id": work_order["id"]}, token=elsewhere)) == {
        "workOrder": None
    }
    assert (await graphql.data(NODE, {"id": work_order["id"]}, token=elsewhere)) == {"node": None}
    assert (await graphql.data(WORK_ORDERS, token=elsewhere))["workOrders"]["totalCount"] == 0
    for mutation in ("releaseWorkOrder", "startWorkOrder"):
        assert codes(await step(graphql, mutation, work_order["id"], token=warehouse)) == []
    done = await complete(graphql, work_order["id"], produced=1, token=warehouse)
    assert {h["actor"] for h in done["workOrder"]["history"]} == {"maker"}


@pytest.mark.parametrize("role", [Role.POS, Role.CUSTOMER, None])
async def test_pos_terminals_customers_and_anonymous_callers_have_no_work_orders(
    graphql, boms, role
):
    token = graphql.token(role, customer="ada@example.com", locations=("WH-A",)) if role else ""
    work_order = (await create(graphql, quantity=1))["workOrder"]

    created = await create(graphql, quantity=1, token=token)
    released = await step(graphql, "releaseWorkOrder", work_order["id"], token=token)
    listed = await graphql.post(WORK_ORDERS, token=token)
    one = await graphql.data(WORK_ORDER, {"id": work_order["id"]}, token=token)

    assert codes(created) == codes(released) == ["FORBIDDEN"]
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert one == {"workOrder": None}


async def test_an_id_of_another_type_is_not_found(graphql, boms):
    products = await graphql.admin("{ products(first: 1) { edges { node { id } } } }")
    product_id = products["products"]["edges"][0]["node"]["id"]

    payload = await step(graphql, "releaseWorkOrder", product_id)

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("NOT_FOUND", ["input", "workOrderId"])
    ]
    assert (await graphql.admin(WORK_ORDER, {"id": product_id}))["workOrder"] is None


# -- listing them ------------------------------------------------------------------------


async def test_work_orders_are_listed_newest_first_filtered_and_paged(graphql, boms):
    first = (await create(graphql, "TABLE", 1))["workOrder"]
    await create(graphql, "LEG", 2, "ST-B")
    await create(graphql, "TABLE", 1, "ST-B")
    await step(graphql, "releaseWorkOrder", first["id"])

    async def numbers(**variables):
        data = await graphql.admin(WORK_ORDERS, variables)
        return [edge["node"]["number"] for edge in data["workOrders"]["edges"]]

    assert await numbers() == ["WO-000003", "WO-000002", "WO-000001"]
    assert await numbers(filter={"status": "RELEASED"}) == ["WO-000001"]
    assert await numbers(filter={"locationCode": "st-b"}) == ["WO-000003", "WO-000002"]
    assert await numbers(filter={"sku": "table", "locationCode": "ST-B"}) == ["WO-000003"]
    page = (await graphql.admin(WORK_ORDERS, {"first": 2}))["workOrders"]
    after = {"first": 2, "after": page["pageInfo"]["endCursor"]}
    assert (page["totalCount"], page["pageInfo"]["hasNextPage"]) == (3, True)
    assert await numbers(**after) == ["WO-000001"]
    assert (await graphql.admin(NODE, {"id": first["id"]}))["node"] == {
        "id": first["id"],
        "number": "WO-000001",
        "status": "RELEASED",
    }


WORK_ORDERS_PAGE = """
query($first: Int!) {
  workOrders(first: $first) {
    edges { node {
      number variant { sku billOfMaterials { sku variant { sku } } } location { code }
      components { sku reserved variant { sku } }
      history { sequence toStatus }
    } }
  }
}"""


async def test_a_page_of_work_orders_costs_a_fixed_number_of_statements(graphql, database, boms):
    for index in range(6):
        work_order = (await create(graphql, "TABLE" if index % 2 else "LEG", 1))["workOrder"]
        if index % 3 == 0:
            await step(graphql, "releaseWorkOrder", work_order["id"])
    for first in (1, 6):
        with counting_statements(database) as statements:
            data = await graphql.admin(WORK_ORDERS_PAGE, {"first": first})
        assert len(data["workOrders"]["edges"]) == first
        # page, variants, BOMs, component variants, locations, components, history
        assert len(statements) <= 7
