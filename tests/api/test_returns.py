"""Returns (RMAs) through the API: asking back, deciding, receiving anywhere, refunding;
what it does to stock and to the order; who sees what."""

import asyncio

import pytest
from strawberry.relay.utils import from_base64

from domain.access import Role
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import change, pickup_order, place, shipping_order
from tests.api.returns_documents import (
    MOVEMENTS,
    NODE,
    ORDER_RETURNS,
    RETURN,
    RETURNS,
    RETURNS_PAGE,
    approved_return,
    error_of,
    level,
    receive,
    request_return,
    shipped_order,
    step,
)
from tests.api.test_query_count import counting_statements

# -- asking back -----------------------------------------------------------------------------------


async def test_a_customer_asks_back_units_of_its_own_shipped_order(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 3), ("MUG", 1))

    payload = await request_return(graphql, order["id"], ("tee-s", 2, "too small"))

    assert payload["userErrors"] == []
    rma = payload["return"]
    assert (rma["number"], rma["status"]) == ("RT-000001", "REQUESTED")
    assert rma["order"] == {"id": order["id"], "number": order["number"], "status": "SHIPPED"}
    assert rma["lines"] == [
        {
            "sku": "TEE-S",
            "quantity": 2,
            "reason": "too small",
            "restocked": 0,
            "damaged": 0,
            "variant": {"sku": "TEE-S"},
        }
    ]
    assert (rma["receivingLocation"], rma["refund"]) == (None, None)
    assert rma["history"] == [
        {
            "sequence": 1,
            "fromStatus": None,
            "toStatus": "REQUESTED",
            "actor": "ada@example.com",
            "note": None,
        }
    ]


async def test_a_customer_cannot_ask_back_another_customers_order(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))

    payload = await request_return(
        graphql,
        order["id"],
        ("TEE-S", 1, ""),
        token=graphql.token(Role.CUSTOMER, customer=shop.other_customer),
    )

    assert error_of(payload)[:2] == ("NOT_FOUND", ["input", "orderId"])
    assert (await graphql.admin(RETURNS))["returns"]["totalCount"] == 0


async def test_units_already_coming_back_are_not_returnable_until_their_return_is_rejected(
    graphql, shop
):
    order = await shipped_order(graphql, ("TEE-S", 3))
    first = await request_return(graphql, order["id"], ("TEE-S", 2, ""))

    refused = await request_return(graphql, order["id"], ("TEE-S", 2, ""))
    await step(graphql, "rejectReturn", first["return"]["id"], note="outside the 30 days")
    accepted = await request_return(graphql, order["id"], ("TEE-S", 2, ""))

    assert error_of(refused) == (
        "INVALID_INPUT",
        ["input", "lines", "0", "quantity"],
        "SKU TEE-S: 1 returnable, 2 requested",
    )
    assert accepted["return"]["status"] == "REQUESTED"


async def test_an_order_that_has_not_shipped_takes_no_return(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 2), customerEmail=shop.customer)))[
        "order"
    ]
    await change(graphql, "confirmOrder", order["id"])

    payload = await request_return(graphql, order["id"], ("TEE-S", 1, ""))

    code, _, message = error_of(payload)
    assert (code, "cannot go from CONFIRMED to PARTIALLY_RETURNED" in message) == (
        "INVALID_TRANSITION",
        True,
    )


# -- deciding ------------------------------------------------------------------------------------


async def test_only_staff_and_admins_who_see_the_order_approve_a_return(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    rma = (await request_return(graphql, order["id"], ("TEE-S", 1, "")))["return"]

    by_customer = await step(
        graphql, "approveReturn", rma["id"], graphql.token(Role.CUSTOMER, customer=shop.customer)
    )
    by_pos = await step(graphql, "approveReturn", rma["id"], graphql.token(Role.POS))
    by_stranger = await step(
        graphql, "approveReturn", rma["id"], graphql.token(Role.STAFF, locations=("ST-C",))
    )
    by_clerk = await step(
        graphql, "approveReturn", rma["id"], graphql.token(Role.STAFF, locations=("WH-A",)), "ok"
    )

    assert error_of(by_customer)[0] == "FORBIDDEN"
    assert error_of(by_pos)[0] == "FORBIDDEN"
    assert error_of(by_stranger)[:2] == ("NOT_FOUND", ["input", "returnId"])
    assert by_clerk["return"]["status"] == "APPROVED"
    assert by_clerk["return"]["history"][-1] == {
        "sequence": 2,
        "fromStatus": "REQUESTED",
        "toStatus": "APPROVED",
        "actor": "staff",
        "note": "ok",
    }


# -- receiving ----------------------------------------------------------------------------------


async def test_bought_online_returned_in_store_restocks_and_holds_damaged_units_there(
    graphql, database, shop
):
    order = await shipped_order(graphql, ("TEE-S", 3), ("TEE-M", 1))
    rma = await approved_return(graphql, order["id"], ("TEE-S", 3, "wrong colour"))
    before = await level(graphql, "TEE-S", shop.other_store)

    payload = await receive(
        graphql,
        rma["id"],
        shop.other_store,
        ("TEE-S", 2, "RESTOCK"),
        ("TEE-S", 1, "DAMAGED"),
        token=graphql.token(Role.STAFF, locations=(shop.warehouse, shop.other_store)),
    )

    received = payload["return"]
    assert payload["userErrors"] == []
    assert received["status"] == "RECEIVED"
    assert received["receivingLocation"] == {"code": shop.other_store}
    assert (received["lines"][0]["restocked"], received["lines"][0]["damaged"]) == (2, 1)
    assert before == (0, 0, 0)
    assert await level(graphql, "TEE-S", shop.other_store) == (2, 0, 1)
    reference = f"return:{from_base64(rma['id'])[1]}"
    movements = await graphql.admin(MOVEMENTS, {"reference": reference})
    assert sorted(
        (
            m["node"]["kind"],
            m["node"]["onHandDelta"],
            m["node"]["reservedDelta"],
            m["node"]["damagedDelta"],
            m["node"]["location"]["code"],
            m["node"]["variant"]["sku"],
        )
        for m in movements["stockMovements"]["edges"]
    ) == [
        ("RETURN_DAMAGED", 0, 0, 1, shop.other_store, "TEE-S"),
        ("RETURN_RESTOCK", 2, 0, 0, shop.other_store, "TEE-S"),
    ]
    assert received["order"]["status"] == "PARTIALLY_RETURNED"
    await assert_stock_holds(database)


async def test_an_order_is_returned_once_every_unit_that_left_is_back(graphql, database, shop):
    order = await shipped_order(graphql, ("TEE-S", 2), ("MUG", 1))
    first = await approved_return(graphql, order["id"], ("TEE-S", 2, ""))
    second = await approved_return(graphql, order["id"], ("MUG", 1, "chipped"))

    partly = await receive(graphql, first["id"], shop.warehouse, ("TEE-S", 2, "RESTOCK"))
    fully = await receive(graphql, second["id"], shop.store, ("MUG", 1, "DAMAGED"))

    assert partly["return"]["order"]["status"] == "PARTIALLY_RETURNED"
    assert fully["return"]["order"]["status"] == "RETURNED"
    seen = (await graphql.admin(ORDER_RETURNS, {"id": order["id"]}))["order"]
    assert seen["returns"] == [
        {"number": first["number"], "status": "RECEIVED"},
        {"number": second["number"], "status": "RECEIVED"},
    ]
    assert seen["history"][-2:] == [
        {
            "fromStatus": "SHIPPED",
            "toStatus": "PARTIALLY_RETURNED",
            "note": f"{first['number']} received",
        },
        {
            "fromStatus": "PARTIALLY_RETURNED",
            "toStatus": "RETURNED",
            "note": f"{second['number']} received",
        },
    ]
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0, 0)
    assert await level(graphql, "MUG", shop.store) == (3, 0, 1)
    await assert_stock_holds(database)


async def test_fewer_units_than_asked_may_arrive_and_the_rest_may_be_asked_back_again(
    graphql, shop
):
    order = await shipped_order(graphql, ("TEE-S", 3))
    rma = await approved_return(graphql, order["id"], ("TEE-S", 3, ""))

    await receive(graphql, rma["id"], shop.warehouse, ("TEE-S", 1, "RESTOCK"))
    again = await request_return(graphql, order["id"], ("TEE-S", 3, ""))
    rest = await request_return(graphql, order["id"], ("TEE-S", 2, ""))

    assert error_of(again)[2] == "SKU TEE-S: 2 returnable, 3 requested"
    assert rest["return"]["status"] == "REQUESTED"


@pytest.mark.parametrize(
    ("lines", "code", "field", "message"),
    [
        (
            [("TEE-S", 2, "RESTOCK"), ("TEE-S", 1, "DAMAGED")],
            "INVALID_INPUT",
            ["input", "lines", "1", "quantity"],
            "SKU TEE-S: 2 to return, 3 received",
        ),
        (
            [("MUG", 1, "RESTOCK")],
            "INVALID_INPUT",
            ["input", "lines", "0", "sku"],
            "has no line for SKU MUG",
        ),
    ],
)
async def test_receiving_what_the_return_does_not_hold_is_refused_and_changes_nothing(
    graphql, shop, lines, code, field, message
):
    order = await shipped_order(graphql, ("TEE-S", 2), ("MUG", 1))
    rma = await approved_return(graphql, order["id"], ("TEE-S", 2, ""))

    payload = await receive(graphql, rma["id"], shop.store, *lines)

    assert error_of(payload)[:2] == (code, field)
    assert message in error_of(payload)[2]
    seen = (await graphql.admin(RETURN, {"id": rma["id"]}))["return"]
    assert (seen["status"], seen["order"]["status"]) == ("APPROVED", "SHIPPED")
    assert await level(graphql, "TEE-S", shop.store) == (3, 0, 0)


async def test_a_return_not_yet_approved_cannot_be_received(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    rma = (await request_return(graphql, order["id"], ("TEE-S", 1, "")))["return"]

    payload = await receive(graphql, rma["id"], shop.warehouse, ("TEE-S", 1, "RESTOCK"))

    assert error_of(payload)[0::2] == (
        "INVALID_TRANSITION",
        f"return {rma['number']} cannot go from REQUESTED to RECEIVED",
    )
    assert await level(graphql, "TEE-S", shop.warehouse) == (9, 0, 0)


async def test_only_someone_working_at_the_receiving_location_receives_there(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    rma = await approved_return(graphql, order["id"], ("TEE-S", 1, ""))
    warehouse_clerk = graphql.token(Role.STAFF, locations=(shop.warehouse,))
    customer = graphql.token(Role.CUSTOMER, customer=shop.customer)

    elsewhere = await receive(
        graphql, rma["id"], shop.store, ("TEE-S", 1, "RESTOCK"), token=warehouse_clerk
    )
    by_customer = await receive(
        graphql, rma["id"], shop.store, ("TEE-S", 1, "RESTOCK"), token=customer
    )
    unknown = await receive(graphql, rma["id"], "NOWHERE", ("TEE-S", 1, "RESTOCK"))

    assert error_of(elsewhere)[0] == "FORBIDDEN"
    assert shop.store in error_of(elsewhere)[2]
    assert error_of(by_customer)[0] == "FORBIDDEN"
    assert error_of(unknown)[:2] == ("NOT_FOUND", ["input", "locationCode"])
    assert await level(graphql, "TEE-S", shop.store) == (3, 0, 0)


async def test_a_pickup_order_is_returned_at_the_till_it_was_collected_from(graphql, shop):
    pos = graphql.token(Role.POS, locations=(shop.store,))
    order = (await place(graphql, pickup_order(shop.store, ("MUG", 2)), token=pos))["order"]
    for lifecycle_step in ("confirmOrder", "markOrderReadyForPickup", "completeOrder"):
        await change(graphql, lifecycle_step, order["id"], token=pos)
    rma = (await request_return(graphql, order["id"], ("MUG", 2, "gift"), token=pos))["return"]
    await step(graphql, "approveReturn", rma["id"])

    payload = await receive(graphql, rma["id"], shop.store, ("MUG", 2, "RESTOCK"), token=pos)

    assert payload["return"]["order"]["status"] == "RETURNED"
    assert await level(graphql, "MUG", shop.store) == (4, 0, 0)


async def test_concurrent_requests_never_ask_back_more_units_than_left(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 3))

    payloads = await asyncio.gather(
        *(request_return(graphql, order["id"], ("TEE-S", 1, "")) for _ in range(8))
    )

    accepted = [p for p in payloads if p["return"] is not None]
    assert len(accepted) == 3
    assert sorted(error_of(p)[0] for p in payloads if p["return"] is None) == ["INVALID_INPUT"] * 5


async def test_two_returns_of_one_order_received_at_once_both_count(graphql, database, shop):
    order = await shipped_order(graphql, ("TEE-S", 2), ("MUG", 1))
    first = await approved_return(graphql, order["id"], ("TEE-S", 2, ""))
    second = await approved_return(graphql, order["id"], ("MUG", 1, ""))

    payloads = await asyncio.gather(
        receive(graphql, first["id"], shop.warehouse, ("TEE-S", 2, "RESTOCK")),
        receive(graphql, second["id"], shop.store, ("MUG", 1, "RESTOCK")),
    )

    assert [p["userErrors"] for p in payloads] == [[], []]
    seen = (await graphql.admin(ORDER_RETURNS, {"id": order["id"]}))["order"]
    assert [h["toStatus"] for h in seen["history"][-2:]] == ["PARTIALLY_RETURNED", "RETURNED"]
    await assert_stock_holds(database)


# -- refunds ------------------------------------------------------------------------------------


async def test_the_refund_is_the_units_received_at_the_order_prices(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 3), ("MUG", 1))
    rma = await approved_return(graphql, order["id"], ("TEE-S", 3, ""), ("MUG", 1, ""))
    await receive(graphql, rma["id"], shop.store, ("TEE-S", 1, "RESTOCK"), ("TEE-S", 1, "DAMAGED"))
    before = (await graphql.admin(RETURN, {"id": rma["id"]}))["return"]["refund"]

    refunded = await step(graphql, "refundReturn", rma["id"])
    twice = await step(graphql, "refundReturn", rma["id"])

    assert before is None
    assert refunded["return"]["status"] == "REFUNDED"
    assert refunded["return"]["refund"] == {"amount": "39.80", "currency": "USD"}
    assert error_of(twice)[0] == "INVALID_TRANSITION"


async def test_a_return_not_yet_received_cannot_be_refunded(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    rma = await approved_return(graphql, order["id"], ("TEE-S", 1, ""))

    payload = await step(graphql, "refundReturn", rma["id"])

    assert error_of(payload)[0] == "INVALID_TRANSITION"
    assert (await graphql.admin(RETURN, {"id": rma["id"]}))["return"]["refund"] is None


# -- reading ------------------------------------------------------------------------------------


async def test_returns_are_listed_newest_first_and_filtered_by_status_and_order(graphql, shop):
    first_order = await shipped_order(graphql, ("TEE-S", 2))
    second_order = await shipped_order(graphql, ("MUG", 1))
    one = await approved_return(graphql, first_order["id"], ("TEE-S", 1, ""))
    two = (await request_return(graphql, first_order["id"], ("TEE-S", 1, "")))["return"]
    three = (await request_return(graphql, second_order["id"], ("MUG", 1, "")))["return"]

    everything = await graphql.admin(RETURNS)
    requested = await graphql.admin(RETURNS, {"filter": {"status": "REQUESTED"}})
    of_first = await graphql.admin(RETURNS, {"filter": {"orderId": first_order["id"]}})

    def numbers(data):
        return [edge["node"]["number"] for edge in data["returns"]["edges"]]

    assert numbers(everything) == [three["number"], two["number"], one["number"]]
    assert everything["returns"]["totalCount"] == 3
    assert numbers(requested) == [three["number"], two["number"]]
    assert numbers(of_first) == [two["number"], one["number"]]


async def test_a_caller_sees_only_the_returns_of_orders_it_may_see(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    rma = (await request_return(graphql, order["id"], ("TEE-S", 1, "")))["return"]
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)
    far_clerk = graphql.token(Role.STAFF, locations=(shop.other_store,))
    near_clerk = graphql.token(Role.STAFF, locations=(shop.warehouse,))

    for token, visible in ((ada, True), (bob, False), (far_clerk, False), (near_clerk, True)):
        listed = await graphql.data(RETURNS, token=token)
        one = await graphql.data(RETURN, {"id": rma["id"]}, token=token)
        node = await graphql.data(NODE, {"id": rma["id"]}, token=token)
        assert listed["returns"]["totalCount"] == (1 if visible else 0)
        assert (one["return"] is not None) is visible
        assert node["node"] == (
            {"number": rma["number"], "status": "REQUESTED"} if visible else None
        )
    anonymous = await graphql.post(RETURNS)
    assert anonymous["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_id_of_another_type_is_not_a_return(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))

    seen = await graphql.admin(RETURN, {"id": order["id"]})
    approved = await step(graphql, "approveReturn", order["id"])

    assert seen["return"] is None
    assert error_of(approved)[:2] == ("NOT_FOUND", ["input", "returnId"])


async def test_a_page_of_returns_costs_a_fixed_number_of_statements(graphql, database, shop):
    for index in range(6):
        order = await shipped_order(
            graphql, ("TEE-S", 1), ("MUG", 1) if index < 3 else ("TEE-M", 1)
        )
        rma = await approved_return(graphql, order["id"], ("TEE-S", 1, ""))
        if index % 2:
            await receive(graphql, rma["id"], shop.other_store, ("TEE-S", 1, "RESTOCK"))

    for first in (1, 6):
        with counting_statements(database) as statements:
            data = await graphql.admin(RETURNS_PAGE, {"first": first})
        assert len(data["returns"]["edges"]) == first
        # page, orders, their customers, lines, variants, locations, history
        assert len(statements) <= 7


async def test_a_forged_order_id_in_the_returns_filter_is_a_clear_error(graphql, shop):
    forged = "T3JkZXI6wrI="  # Order:² — a digit that is no number
    body = await graphql.post(
        "query($id: ID!) { returns(filter: {orderId: $id}) { totalCount } }",
        {"id": forged},
        token=graphql.token(Role.ADMIN),
    )
    assert "is not the id of an Order" in body["errors"][0]["message"]
