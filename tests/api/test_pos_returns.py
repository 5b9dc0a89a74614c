"""Counter returns synced from POS terminals (syncPosReturns): an order from any channel
taken back at a store, received and refunded at once; each client id recorded once, also
when batches are re-sent or race; each return judged on its own; who may do it."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from strawberry.relay.utils import from_base64, to_base64

from domain.access import Role
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import ORDER, ORDERS, change, place, shipping_order
from tests.api.pos_documents import register, sale
from tests.api.pos_documents import sync as sync_sales
from tests.api.pos_returns_documents import (
    ORDER_STATUS,
    counter_return,
    error_of,
    outbox,
    statuses,
    sync,
)
from tests.api.returns_documents import MOVEMENTS, RETURN, RETURNS, level, shipped_order

AN_HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


# -- taking back ------------------------------------------------------------------------------


async def test_a_store_takes_back_a_web_order_it_never_touched_and_restocks_it_there(
    graphql, database, shop
):
    order = await shipped_order(graphql, ("TEE-S", 3), ("TEE-M", 1))  # from the warehouse
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    sent = counter_return(order, ("TEE-S", 2), reason="too small", note="receipt shown")

    payload = await sync(graphql, sent, token=till)

    assert (payload["userErrors"], payload["accepted"], payload["rejected"]) == ([], 1, 0)
    [result] = payload["results"]
    rma = result["return"]
    assert (result["clientReturnId"], result["status"], result["error"]) == (
        sent["clientReturnId"],
        "ACCEPTED",
        None,
    )
    assert (rma["status"], rma["receivingLocation"]) == ("REFUNDED", {"code": shop.other_store})
    assert rma["refund"] == {"amount": "39.80", "currency": "USD"}
    assert rma["lines"] == [
        {"sku": "TEE-S", "quantity": 2, "reason": "too small", "restocked": 2, "damaged": 0}
    ]
    assert [(h["sequence"], h["toStatus"], h["actor"], h["note"]) for h in rma["history"]] == [
        (1, "REQUESTED", "pos", None),
        (2, "APPROVED", "pos", f"taken back at the counter of {shop.other_store}"),
        (3, "RECEIVED", "pos", "receipt shown"),
        (4, "REFUNDED", "pos", "paid back at the counter"),
    ]
    assert rma["order"] is None  # the store sees the return, not the web order
    assert await level(graphql, "TEE-S", shop.other_store) == (2, 0, 0)
    seen = (await graphql.admin(ORDER_STATUS, {"id": order["id"]}))["order"]
    assert seen["status"] == "PARTIALLY_RETURNED"
    assert seen["history"][-1] == {
        "toStatus": "PARTIALLY_RETURNED",
        "note": f"{rma['number']} taken back at {shop.other_store}",
    }
    reference = f"return:{from_base64(rma['id'])[1]}"
    movements = (await graphql.admin(MOVEMENTS, {"reference": reference}))["stockMovements"]
    assert [
        (m["node"]["kind"], m["node"]["onHandDelta"], m["node"]["location"]["code"])
        for m in movements["edges"]
    ] == [("RETURN_RESTOCK", 2, shop.other_store)]
    await assert_stock_holds(database)


async def test_the_store_sees_its_counter_returns_but_still_not_the_orders_they_came_from(
    graphql, shop
):
    order = await shipped_order(graphql, ("TEE-S", 1))
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    other_till = graphql.token(Role.POS, locations=(shop.store,))
    rma = (await sync(graphql, counter_return(order, ("TEE-S", 1)), token=till))["results"][0][
        "return"
    ]

    mine = await graphql.data(RETURN, {"id": rma["id"]}, token=till)
    listed = await graphql.data(RETURNS, token=till)
    elsewhere = await graphql.data(RETURN, {"id": rma["id"]}, token=other_till)
    the_order = await graphql.data(ORDER, {"id": order["id"]}, token=till)
    orders = await graphql.data(ORDERS, token=till)

    assert (mine["return"]["number"], mine["return"]["order"]) == (rma["number"], None)
    assert listed["returns"]["totalCount"] == 1
    assert elsewhere["return"] is None
    assert the_order["order"] is None
    assert orders["orders"]["totalCount"] == 0


async def test_an_order_named_by_its_number_is_returned_once_every_unit_is_back(
    graphql, database, shop
):
    order = await shipped_order(graphql, ("TEE-S", 2), ("TEE-M", 1))
    till = graphql.token(Role.POS, locations=(shop.other_store,))

    payload = await sync(
        graphql,
        counter_return(order, ("TEE-S", 2), by_number=True),
        counter_return(order, ("tee-m", 1), by_number=True),
        token=till,
    )

    assert statuses(payload) == ["ACCEPTED", "ACCEPTED"]
    seen = (await graphql.admin(ORDER_STATUS, {"id": order["id"]}))["order"]
    assert [h["toStatus"] for h in seen["history"][-2:]] == ["PARTIALLY_RETURNED", "RETURNED"]
    order_key = int(from_base64(order["id"])[1])
    order_events = [
        e["status"]
        for e in await outbox(database, "OrderStatusChanged")
        if e["orderId"] == order_key
    ]
    assert order_events[-2:] == ["PARTIALLY_RETURNED", "RETURNED"]
    return_events = await outbox(database, "ReturnStatusChanged")
    assert [e["status"] for e in return_events] == [
        "REQUESTED",
        "APPROVED",
        "RECEIVED",
        "REFUNDED",
    ] * 2
    assert all(shop.other_store in e["locationCodes"] for e in return_events)
    await assert_stock_holds(database)


async def test_damaged_units_are_held_as_damaged_at_the_store_and_refunded_too(
    graphql, database, shop
):
    order = await shipped_order(graphql, ("TEE-S", 3))
    till = graphql.token(Role.POS, locations=(shop.other_store,))

    payload = await sync(
        graphql,
        counter_return(order, ("TEE-S", 1), ("TEE-S", 1, "DAMAGED"), reason="stained"),
        token=till,
    )

    rma = payload["results"][0]["return"]
    assert rma["lines"] == [
        {"sku": "TEE-S", "quantity": 2, "reason": "stained", "restocked": 1, "damaged": 1}
    ]
    assert rma["refund"] == {"amount": "39.80", "currency": "USD"}
    assert await level(graphql, "TEE-S", shop.other_store) == (1, 0, 1)
    reference = f"return:{from_base64(rma['id'])[1]}"
    movements = (await graphql.admin(MOVEMENTS, {"reference": reference}))["stockMovements"]
    assert sorted(
        (m["node"]["kind"], m["node"]["onHandDelta"], m["node"]["damagedDelta"])
        for m in movements["edges"]
    ) == [("RETURN_DAMAGED", 0, 1), ("RETURN_RESTOCK", 1, 0)]
    await assert_stock_holds(database)


async def test_the_return_is_recorded_at_the_time_it_happened_at_the_counter(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    # The order was placed moments ago, so a return an hour ago predates it.
    happened = datetime.now(UTC)

    payload = await sync(
        graphql,
        counter_return(order, ("TEE-S", 1), occurredAt=happened.isoformat()),
        counter_return(order, ("TEE-S", 1), occurredAt=AN_HOUR_AGO.isoformat()),
        counter_return(order, ("TEE-S", 1), occurredAt=(happened + timedelta(hours=1)).isoformat()),
        token=till,
    )

    first, earlier, later = payload["results"]
    times = {datetime.fromisoformat(h["occurredAt"]) for h in first["return"]["history"]}
    assert times == {happened}
    assert error_of(earlier)[:2] == ("INVALID_INPUT", ["input", "returns", "1", "occurredAt"])
    assert "before order" in error_of(earlier)[2]
    assert error_of(later)[:2] == ("INVALID_INPUT", ["input", "returns", "2", "occurredAt"])
    assert "in the future" in error_of(later)[2]


# -- each return once ---------------------------------------------------------------------------


async def test_the_same_batch_sent_twice_is_recorded_once(graphql, database, shop):
    order = await shipped_order(graphql, ("TEE-S", 3))
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    batch = [counter_return(order, ("TEE-S", 1)), counter_return(order, ("TEE-S", 2))]
    first = await sync(graphql, *batch, token=till)
    after_first = await level(graphql, "TEE-S", shop.other_store)

    again = await sync(graphql, *batch, token=till)

    assert statuses(first) == ["ACCEPTED", "ACCEPTED"]
    assert statuses(again) == ["DUPLICATE", "DUPLICATE"]
    assert (again["accepted"], again["duplicates"], again["rejected"]) == (0, 2, 0)
    assert [r["return"]["number"] for r in again["results"]] == [
        r["return"]["number"] for r in first["results"]
    ]
    assert await level(graphql, "TEE-S", shop.other_store) == after_first == (3, 0, 0)
    assert (await graphql.admin(RETURNS))["returns"]["totalCount"] == 2
    await assert_stock_holds(database)


async def test_a_return_repeated_within_one_batch_is_a_duplicate_of_the_first(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 3))
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    sent = counter_return(order, ("TEE-S", 1))

    payload = await sync(graphql, sent, sent, token=till)

    assert statuses(payload) == ["ACCEPTED", "DUPLICATE"]
    first, repeat = payload["results"]
    assert repeat["return"]["number"] == first["return"]["number"]
    assert await level(graphql, "TEE-S", shop.other_store) == (1, 0, 0)


async def test_concurrent_overlapping_batches_record_each_return_once(graphql, database, shop):
    order = await shipped_order(graphql, ("TEE-S", 6))
    other_order = await shipped_order(graphql, ("TEE-M", 2))
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    returns = [
        counter_return(order, ("TEE-S", 2)),
        counter_return(order, ("TEE-S", 1), ("TEE-S", 1, "DAMAGED")),
        counter_return(other_order, ("TEE-M", 2)),
        counter_return(order, ("TEE-S", 1)),
    ]
    batches = [returns[:2], returns[1:3], returns[2:], returns[::-1], returns]

    payloads = await asyncio.gather(*(sync(graphql, *batch, token=till) for batch in batches))

    assert all(p["userErrors"] == [] for p in payloads)
    verdicts: dict[str, list[tuple[str, str]]] = {}
    for payload in payloads:
        for result in payload["results"]:
            verdicts.setdefault(result["clientReturnId"], []).append(
                (result["status"], result["return"]["number"])
            )
    for sent in returns:
        seen = verdicts[sent["clientReturnId"]]
        assert sorted(status for status, _ in seen).count("ACCEPTED") == 1
        assert len({number for _, number in seen}) == 1  # every verdict names the same return
    assert (await graphql.admin(RETURNS))["returns"]["totalCount"] == 4
    assert await level(graphql, "TEE-S", shop.other_store) == (4, 0, 1)
    assert await level(graphql, "TEE-M", shop.other_store) == (2, 0, 0)
    await assert_stock_holds(database)


async def test_one_client_id_raced_for_two_orders_is_recorded_once(graphql, database, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    other_order = await shipped_order(graphql, ("TEE-M", 1))
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    client_id = uuid.uuid4()

    payloads = await asyncio.gather(
        sync(graphql, counter_return(order, ("TEE-S", 1), client_id=client_id), token=till),
        sync(graphql, counter_return(other_order, ("TEE-M", 1), client_id=client_id), token=till),
    )

    assert sorted(statuses(p)[0] for p in payloads) == ["ACCEPTED", "DUPLICATE"]
    numbers = {p["results"][0]["return"]["number"] for p in payloads}
    assert len(numbers) == 1
    assert (await graphql.admin(RETURNS))["returns"]["totalCount"] == 1
    await assert_stock_holds(database)


async def test_batches_naming_the_same_new_ids_in_crossing_order_do_not_deadlock(
    graphql, database, shop
):
    """Each batch inserts its returns in client id order, so two batches that name the same
    ids (for other orders) queue on the first one instead of each waiting for the other."""
    skus = ("TEE-S", "TEE-S", "TEE-M", "TEE-M")
    orders = [(await shipped_order(graphql, (sku, 1)), sku) for sku in skus]
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    first_id, second_id = uuid.uuid4(), uuid.uuid4()

    def batch(one, other):
        return (
            counter_return(one[0], (one[1], 1), client_id=first_id),
            counter_return(other[0], (other[1], 1), client_id=second_id),
        )

    forwards, backwards = batch(orders[0], orders[2]), batch(orders[1], orders[3])[::-1]
    payloads = await asyncio.gather(
        sync(graphql, *forwards, token=till), sync(graphql, *backwards, token=till)
    )

    verdicts = sorted(status for payload in payloads for status in statuses(payload))
    assert verdicts == ["ACCEPTED", "ACCEPTED", "DUPLICATE", "DUPLICATE"]
    assert (await graphql.admin(RETURNS))["returns"]["totalCount"] == 2
    await assert_stock_holds(database)


# -- each return judged on its own ----------------------------------------------------------


async def test_returns_that_break_a_rule_are_rejected_while_the_rest_go_through(
    graphql, database, shop
):
    order = await shipped_order(graphql, ("TEE-S", 3))
    unshipped = (await place(graphql, shipping_order(("TEE-M", 1))))["order"]
    await change(graphql, "confirmOrder", unshipped["id"])
    till = graphql.token(Role.POS, locations=(shop.other_store,))
    too_many = counter_return(order, ("TEE-S", 1), ("TEE-S", 1, "DAMAGED"))

    payload = await sync(
        graphql,
        counter_return(order, ("TEE-S", 2)),
        too_many,  # only 1 left once the first is back
        counter_return({"number": "SO-999999"}, ("TEE-S", 1), by_number=True),
        counter_return(order, ("MUG", 1)),
        counter_return(unshipped, ("TEE-M", 1)),
        counter_return(order, ("TEE-S", 1), orderNumber=order["number"]),
        counter_return({"id": to_base64("Location", 1)}, ("TEE-S", 1)),
        token=till,
    )

    assert statuses(payload) == ["ACCEPTED"] + ["REJECTED"] * 6
    assert (payload["accepted"], payload["duplicates"], payload["rejected"]) == (1, 0, 6)
    results = payload["results"]
    assert error_of(results[1]) == (
        "INVALID_INPUT",
        ["input", "returns", "1", "lines", "0", "quantity"],
        "SKU TEE-S: 1 returnable, 2 requested",
    )
    assert error_of(results[2]) == (
        "NOT_FOUND",
        ["input", "returns", "2", "orderNumber"],
        "order SO-999999 not found",
    )
    assert error_of(results[3])[:2] == ("NOT_FOUND", ["input", "returns", "3", "lines", "0", "sku"])
    assert error_of(results[4])[:2] == ("INVALID_TRANSITION", ["input", "returns", "4", "orderId"])
    assert "cannot go from CONFIRMED to PARTIALLY_RETURNED" in error_of(results[4])[2]
    assert error_of(results[5])[:2] == ("INVALID_INPUT", ["input", "returns", "5", "orderId"])
    assert error_of(results[6])[:2] == ("NOT_FOUND", ["input", "returns", "6", "orderId"])
    assert all(r["return"] is None for r in results[1:])
    assert await level(graphql, "TEE-S", shop.other_store) == (2, 0, 0)
    await assert_stock_holds(database)

    # A rejected return was not recorded: sent again, corrected, it goes through.
    corrected = await sync(
        graphql, {**too_many, "lines": [{"sku": "TEE-S", "quantity": 1}]}, token=till
    )
    assert statuses(corrected) == ["ACCEPTED"]
    assert (await graphql.admin(ORDER_STATUS, {"id": order["id"]}))["order"]["status"] == "RETURNED"


async def test_a_malformed_batch_is_refused_whole_and_changes_nothing(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    till = graphql.token(Role.POS, locations=(shop.other_store,))

    empty = await sync(graphql, token=till)
    too_big = await sync(
        graphql, *[counter_return(order, ("TEE-S", 1)) for _ in range(1001)], token=till
    )

    for payload, message in ((empty, "at least one"), (too_big, "at most 1000")):
        [error] = payload["userErrors"]
        assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "returns"])
        assert message in error["message"]
        assert payload["results"] == []
    assert (await graphql.admin(RETURNS))["returns"]["totalCount"] == 0


# -- who may ---------------------------------------------------------------------------------


async def test_only_callers_who_work_at_the_store_sync_counter_returns(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 3))
    refused = {
        "customer": (graphql.token(Role.CUSTOMER, customer=shop.customer), None),
        "anonymous": (None, shop.other_store),
        "warehouse clerk": (
            graphql.token(Role.STAFF, locations=(shop.warehouse,)),
            shop.other_store,
        ),
        "another store's till": (
            graphql.token(Role.POS, locations=(shop.store,)),
            shop.other_store,
        ),
    }

    for token, location in refused.values():
        payload = await sync(
            graphql, counter_return(order, ("TEE-S", 1)), token=token, location_code=location
        )
        assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]
    assert (await graphql.admin(RETURNS))["returns"]["totalCount"] == 0
    assert await level(graphql, "TEE-S", shop.other_store) == (0, 0, 0)


async def test_staff_and_admins_name_the_store_a_terminal_uses_its_own(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 3))
    admin = graphql.token(Role.ADMIN)
    clerk = graphql.token(Role.STAFF, locations=(shop.other_store,))

    unnamed = await sync(graphql, counter_return(order, ("TEE-S", 1)), token=admin)
    warehouse = await sync(
        graphql, counter_return(order, ("TEE-S", 1)), token=admin, location_code=shop.warehouse
    )
    by_admin = await sync(
        graphql, counter_return(order, ("TEE-S", 1)), token=admin, location_code=shop.store
    )
    by_clerk = await sync(graphql, counter_return(order, ("TEE-S", 1)), token=clerk)

    assert [(e["code"], e["field"]) for e in unnamed["userErrors"]] == [
        ("INVALID_INPUT", ["input", "locationCode"])
    ]
    assert [(e["code"], e["field"]) for e in warehouse["userErrors"]] == [
        ("INVALID_INPUT", ["input", "locationCode"])
    ]
    assert by_admin["results"][0]["return"]["receivingLocation"] == {"code": shop.store}
    assert by_clerk["results"][0]["return"]["receivingLocation"] == {"code": shop.other_store}
    assert await level(graphql, "TEE-S", shop.store) == (4, 0, 0)
    assert await level(graphql, "TEE-S", shop.other_store) == (1, 0, 0)


# -- counter sales come back too ------------------------------------------------------------


async def test_a_counter_sale_is_taken_back_at_the_till_that_rang_it_up(graphql, database, shop):
    till = (await register(graphql, shop.store))["token"]
    sold_at = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    sold = await sync_sales(graphql, till, sale(("MUG", 2, "9.50"), when=sold_at))
    order = sold["results"][0]["order"]

    payload = await sync(
        graphql, counter_return(order, ("MUG", 1), by_number=True, reason="chipped"), token=till
    )

    rma = payload["results"][0]["return"]
    assert (rma["status"], rma["refund"]) == ("REFUNDED", {"amount": "9.50", "currency": "USD"})
    assert rma["order"] == {"number": order["number"], "status": "PARTIALLY_RETURNED"}
    assert await level(graphql, "MUG", shop.store) == (3, 0, 0)
    await assert_stock_holds(database)
