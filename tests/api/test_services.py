"""Services: set-up, bookings in slots of limited capacity, the service steps and the goods
they use up, and who may do what. Every test runs on SQLite and PostgreSQL."""

import asyncio
import base64
from datetime import UTC, datetime, timedelta

import pytest

from domain.access import Role
from persistence.reads import services as service_reads
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import change, level, place, shipping_order
from tests.api.services_documents import (
    SERVICE,
    book,
    complete,
    create_service,
    set_capacity,
    set_recipe,
    step,
    tomorrow,
)
from tests.api.test_customer_history import CUSTOMER, customer_id
from tests.api.test_query_count import counting_statements, statements_for
from tests.api.transfers_documents import movements

# The shop (tests/api/conftest.py): WH-A holds TEE-S 10 and TEE-M 5, ST-B holds TEE-S 3
# and MUG 4, ST-C holds nothing. Each test adds the service CUT (USD 30.00) and the dye it
# uses, DYE, 5 of them at ST-B.

RECEIVE = """
mutation($sku: String!, $location: String!, $delta: Int!) {
  adjustStock(input: {sku: $sku, locationCode: $location, delta: $delta, reason: RECEIVED}) {
    userErrors { field code message }
  }
}"""
CREATE_DYE = """
mutation { createProduct(input: {name: "Dye", variants: [
  {sku: "DYE", name: "Dye", price: {amount: "5.00", currency: "USD"}}]}) {
  userErrors { code } } }"""
BOOKINGS_PAGE = """
query($first: Int!) {
  orders(first: $first) { edges { node {
    number booking { scheduledAt location { code } }
    lines { variant { sku product { kind } recipe { sku } capacities { location { code } } } }
  } } }
}"""
CREATE_LOCATION = """
mutation { createLocation(input: {code: "ST-NEW", name: "New", kind: STORE}) {
  userErrors { code } } }"""


@pytest.fixture
async def salon(graphql, shop):
    """CUT at ST-B, an hour a slot, two places; its recipe: 2 DYE."""
    assert (await create_service(graphql))["userErrors"] == []
    await graphql.admin(CREATE_DYE)
    await graphql.admin(RECEIVE, {"sku": "DYE", "location": shop.store, "delta": 5})
    assert (await set_recipe(graphql, "CUT", ("DYE", 2)))["userErrors"] == []
    assert (await set_capacity(graphql, shop.store, 2))["userErrors"] == []
    return shop


def codes(payload: dict) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


async def slots_agree_with_bookings(database) -> bool:
    async with database.read_session() as session:
        return list(await service_reads.slot_discrepancies(session)) == []


# -- set-up ----------------------------------------------------------------------------------


async def test_a_service_holds_no_stock_and_shows_its_recipe_and_capacities(graphql, salon):
    await graphql.admin(CREATE_LOCATION)  # a location made later gives it no level either

    service = (await graphql.admin(SERVICE, {"sku": "CUT"}))["variant"]

    assert service == {
        "sku": "CUT",
        "product": {"kind": "SERVICE"},
        "stockLevels": [],
        "recipe": [{"sku": "DYE", "quantity": 2}],
        "capacities": [{"slotMinutes": 60, "capacity": 2, "location": {"code": "ST-B"}}],
    }
    dye = (await graphql.admin(SERVICE, {"sku": "DYE"}))["variant"]
    assert (dye["product"]["kind"], len(dye["stockLevels"]), dye["recipe"]) == ("GOODS", 4, [])


async def test_a_recipe_names_goods_and_a_capacity_a_service(graphql, salon):
    service_in_recipe = await set_recipe(graphql, "CUT", ("CUT", 1))
    unknown = await set_recipe(graphql, "CUT", ("NOPE", 1))
    recipe_of_goods = await set_recipe(graphql, "MUG", ("DYE", 1))
    capacity_of_goods = await set_capacity(graphql, salon.store, 1, sku="MUG")
    odd_slot = await set_capacity(graphql, salon.store, 1, minutes=7)

    assert service_in_recipe["userErrors"][0]["field"] == ["input", "consumables", "0", "sku"]
    assert [codes(p) for p in (service_in_recipe, unknown, recipe_of_goods)] == [
        ["INVALID_INPUT"],
        ["NOT_FOUND"],
        ["INVALID_INPUT"],
    ]
    assert codes(capacity_of_goods) == codes(odd_slot) == ["INVALID_INPUT"]
    emptied = await set_recipe(graphql, "CUT")
    assert emptied["variant"]["recipe"] == []


async def test_stock_and_orders_of_goods_refuse_a_service(graphql, salon):
    ordered = await place(graphql, shipping_order(("CUT", 1)))
    received = await graphql.admin(RECEIVE, {"sku": "CUT", "location": salon.store, "delta": 1})

    error = ordered["userErrors"][0]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "lines", "0", "sku"])
    assert "bookService" in error["message"]
    assert codes(received["adjustStock"]) == ["INVALID_INPUT"]


# -- booking ---------------------------------------------------------------------------------


async def test_a_booking_is_a_booked_order_holding_a_place_at_its_location(graphql, salon):
    payload = await book(graphql, salon.store, tomorrow(10, 20), customerEmail="cy@example.com")

    order = payload["order"]
    assert payload["userErrors"] == []
    assert (order["status"], order["fulfilment"], order["channel"]) == ("BOOKED", "SERVICE", "WEB")
    assert order["total"] == {"amount": "30.00", "currency": "USD"}
    assert order["lines"] == [
        {"sku": "CUT", "quantity": 1, "unitPrice": {"amount": "30.00"}, "allocations": []}
    ]
    assert order["booking"] == {
        "location": {"code": "ST-B"},
        "scheduledAt": tomorrow(10, 20),
        "slotStart": tomorrow(10),
    }
    assert order["pickupLocation"] is None
    assert order["customer"] == {"email": "cy@example.com"}  # recognised, here created
    assert order["history"] == [
        {"fromStatus": None, "toStatus": "BOOKED", "actor": "admin", "note": None}
    ]


async def test_a_full_slot_is_refused_and_the_next_one_is_free(graphql, database, salon):
    await book(graphql, salon.store, tomorrow(10, 5))
    await book(graphql, salon.store, tomorrow(10, 50))

    full = await book(graphql, salon.store, tomorrow(10, 30))
    next_hour = await book(graphql, salon.store, tomorrow(11))

    error = full["userErrors"][0]
    assert (full["order"], error["code"], error["field"]) == (
        None,
        "SLOT_FULL",
        ["input", "scheduledAt"],
    )
    assert "is full (2 booked)" in error["message"]
    assert next_hour["order"]["status"] == "BOOKED"
    assert await slots_agree_with_bookings(database)


SLOTS = """
query($sku: String!, $from: DateTime!, $to: DateTime!) { variant(sku: $sku) {
  capacities { location { code } slots(from: $from, to: $to) {
    startsAt endsAt capacity booked free } }
} }"""


async def test_a_booking_screen_sees_the_places_left_in_each_slot(graphql, salon):
    await book(graphql, salon.store, tomorrow(10, 5))
    await book(graphql, salon.store, tomorrow(10, 50))
    await book(graphql, salon.store, tomorrow(12, 30))
    cancelled = (await book(graphql, salon.store, tomorrow(11)))["order"]
    await step(graphql, "cancelService", cancelled["id"])

    window = {"sku": "CUT", "from": tomorrow(9, 30), "to": tomorrow(13)}
    seen = await graphql.data(SLOTS, window)  # anonymous, like the catalog

    [capacity] = seen["variant"]["capacities"]
    assert capacity["location"] == {"code": salon.store}
    assert [
        (slot["startsAt"], slot["endsAt"], slot["capacity"], slot["booked"], slot["free"])
        for slot in capacity["slots"]
    ] == [
        (_iso(tomorrow(9)), _iso(tomorrow(10)), 2, 0, 2),
        (_iso(tomorrow(10)), _iso(tomorrow(11)), 2, 2, 0),
        (_iso(tomorrow(11)), _iso(tomorrow(12)), 2, 0, 2),
        (_iso(tomorrow(12)), _iso(tomorrow(13)), 2, 1, 1),
    ]


async def test_slots_that_have_ended_are_not_offered_and_a_window_is_bounded(graphql, salon):
    now = datetime.now(UTC)
    since_yesterday = await graphql.data(
        SLOTS, {"sku": "CUT", "from": (now - timedelta(days=1)).isoformat(), "to": tomorrow(0)}
    )
    too_long = await graphql.post(
        SLOTS, {"sku": "CUT", "from": tomorrow(0), "to": _days_after(tomorrow(0), 32)}
    )
    backwards = await graphql.post(SLOTS, {"sku": "CUT", "from": tomorrow(10), "to": tomorrow(9)})

    offered = since_yesterday["variant"]["capacities"][0]["slots"]
    assert datetime.fromisoformat(offered[0]["endsAt"]) > now  # the slot under way comes first
    assert datetime.fromisoformat(offered[0]["startsAt"]) <= now
    assert len(offered) == 24 - now.hour
    for refused, message in ((too_long, "at most 31 days"), (backwards, "to must be after from")):
        [error] = refused["errors"]
        assert (error["extensions"]["code"], message in error["message"]) == ("INVALID_INPUT", True)


async def test_the_slots_of_every_location_are_read_in_one_statement(graphql, database, salon):
    await set_capacity(graphql, salon.other_store, 1)
    window = {"sku": "CUT", "from": tomorrow(9), "to": tomorrow(17)}
    without_slots = """
query($sku: String!) { variant(sku: $sku) { capacities { location { code } } } }"""

    with counting_statements(database) as with_slots:
        seen = await graphql.admin(SLOTS, window)
    with counting_statements(database) as capacities_only:
        await graphql.admin(without_slots, {"sku": "CUT"})

    assert [len(c["slots"]) for c in seen["variant"]["capacities"]] == [8, 8]
    assert len(with_slots) == len(capacities_only) + 1


def _iso(at: str) -> str:
    """A time as the API writes it back."""
    return datetime.fromisoformat(at).isoformat()


def _days_after(at: str, days: int) -> str:
    return (datetime.fromisoformat(at) + timedelta(days=days)).isoformat()


async def test_a_location_without_capacity_for_a_service_takes_no_booking(graphql, salon):
    payload = await book(graphql, salon.other_store, tomorrow(10))

    assert codes(payload) == ["INVALID_INPUT"]
    assert payload["userErrors"][0]["message"].startswith("no capacity for CUT at ST-C")


async def test_concurrent_bookings_of_the_last_places_take_exactly_the_capacity(
    graphql, database, salon
):
    await set_capacity(graphql, salon.store, 3)

    payloads = await asyncio.gather(
        *(book(graphql, salon.store, tomorrow(15, minute)) for minute in range(0, 60, 6))
    )

    assert sorted(codes(p)[0] if p["userErrors"] else "BOOKED" for p in payloads) == (
        ["BOOKED"] * 3 + ["SLOT_FULL"] * 7
    )
    assert await slots_agree_with_bookings(database)


async def test_a_retried_booking_is_booked_once(graphql, database, salon):
    first = await book(graphql, salon.store, tomorrow(10), idempotencyKey="visit-1")
    again = await book(graphql, salon.store, tomorrow(10), idempotencyKey="visit-1")
    other = await book(graphql, salon.store, tomorrow(10))

    assert again["order"]["id"] == first["order"]["id"]
    assert other["order"]["status"] == "BOOKED"  # the retry took no second place
    assert await slots_agree_with_bookings(database)


# -- the service steps -----------------------------------------------------------------------


async def test_a_completed_service_uses_up_its_recipe_and_frees_its_place(graphql, database, salon):
    await set_capacity(graphql, salon.store, 1)
    order = (await book(graphql, salon.store, tomorrow(10)))["order"]

    started = await step(graphql, "startService", order["id"])
    done = await complete(graphql, order["id"])

    assert (started["order"]["status"], done["order"]["status"]) == ("IN_SERVICE", "COMPLETED")
    assert [h["toStatus"] for h in done["order"]["history"]] == [
        "BOOKED",
        "IN_SERVICE",
        "COMPLETED",
    ]
    assert await level(graphql, "DYE", salon.store) == (3, 0)
    order_key = base64.b64decode(order["id"]).decode().split(":")[1]
    assert await movements(graphql, f"order:{order_key}") == [
        ("CONSUMPTION", "DYE", "ST-B", -2, 0, 0)
    ]
    assert (await book(graphql, salon.store, tomorrow(10, 30)))["order"]["status"] == "BOOKED"
    await assert_stock_holds(database)
    assert await slots_agree_with_bookings(database)


async def test_what_was_reported_used_replaces_the_recipe(graphql, database, salon):
    order = (await book(graphql, salon.store, tomorrow(10)))["order"]
    await step(graphql, "startService", order["id"])

    done = await complete(graphql, order["id"], [("DYE", 1), ("MUG", 1)])

    assert done["userErrors"] == []
    assert await level(graphql, "DYE", salon.store) == (4, 0)
    assert await level(graphql, "MUG", salon.store) == (3, 0)
    await assert_stock_holds(database)


async def test_completing_without_the_goods_at_the_location_changes_nothing(
    graphql, database, salon
):
    await set_recipe(graphql, "CUT", ("DYE", 6))
    order = (await book(graphql, salon.store, tomorrow(10)))["order"]
    await step(graphql, "startService", order["id"])

    by_recipe = await complete(graphql, order["id"])
    reported = await complete(graphql, order["id"], [("MUG", 1), ("TEE-M", 1)])

    assert codes(by_recipe) == codes(reported) == ["INSUFFICIENT_STOCK"]
    assert "SKU DYE: 5 available at ST-B, 6 requested" in by_recipe["userErrors"][0]["message"]
    assert reported["userErrors"][0]["field"] == ["input", "consumablesUsed", "1", "quantity"]
    data = await graphql.admin("query($id: ID!) { order(id: $id) { status } }", {"id": order["id"]})
    assert data["order"]["status"] == "IN_SERVICE"
    assert await level(graphql, "DYE", salon.store) == (5, 0)
    assert await level(graphql, "MUG", salon.store) == (4, 0)
    assert await slots_agree_with_bookings(database)


async def test_cancelling_a_booking_frees_its_place_but_a_started_service_is_completed(
    graphql, database, salon
):
    await set_capacity(graphql, salon.store, 1)
    cancelled = (await book(graphql, salon.store, tomorrow(10)))["order"]

    assert (await step(graphql, "cancelService", cancelled["id"]))["order"]["status"] == (
        "CANCELLED"
    )
    started = (await book(graphql, salon.store, tomorrow(10)))["order"]
    await step(graphql, "startService", started["id"])
    assert codes(await step(graphql, "cancelService", started["id"])) == ["INVALID_TRANSITION"]
    assert await slots_agree_with_bookings(database)


async def test_the_steps_of_goods_orders_refuse_a_service_and_the_reverse(graphql, salon):
    service = (await book(graphql, salon.store, tomorrow(10)))["order"]
    goods = (await place(graphql, shipping_order(("TEE-S", 1))))["order"]

    for mutation in ("cancelOrder", "confirmOrder", "completeOrder"):
        refused = await change(graphql, mutation, service["id"])
        assert codes(refused) == ["INVALID_INPUT"], mutation
        assert "startService" in refused["userErrors"][0]["message"]
    assert codes(await step(graphql, "startService", goods["id"])) == ["INVALID_INPUT"]


async def test_a_slot_keeps_its_length_while_bookings_hold_places_in_it(graphql, salon):
    order = (await book(graphql, salon.store, tomorrow(10)))["order"]

    refused = await set_capacity(graphql, salon.store, 4, minutes=30)
    more = await set_capacity(graphql, salon.store, 4)
    await step(graphql, "cancelService", order["id"])
    shorter = await set_capacity(graphql, salon.store, 4, minutes=30)

    assert refused["userErrors"][0]["field"] == ["input", "slotMinutes"]
    assert more["capacity"]["capacity"] == 4
    assert shorter["capacity"]["slotMinutes"] == 30


# -- customers and who may do what -----------------------------------------------------------


async def test_a_customer_books_for_itself_and_finds_it_in_its_history(graphql, salon):
    ada = graphql.token(Role.CUSTOMER, customer=salon.customer)

    booked = await book(graphql, salon.store, tomorrow(10), token=ada, channel="MOBILE")
    for_bob = await book(
        graphql, salon.store, tomorrow(10), token=ada, customerEmail=salon.other_customer
    )
    cancelled = await step(graphql, "cancelService", booked["order"]["id"], token=ada)

    assert booked["order"]["customer"] == {"email": salon.customer}
    assert codes(for_bob) == ["FORBIDDEN"]
    assert cancelled["order"]["status"] == "CANCELLED"
    rebooked = (await book(graphql, salon.store, tomorrow(11), token=ada))["order"]
    history = await graphql.data(
        CUSTOMER, {"id": await customer_id(graphql, salon.customer)}, token=ada
    )
    customer = history["customer"]
    assert [e["node"]["number"] for e in customer["orders"]["edges"]] == [
        rebooked["number"],
        booked["order"]["number"],
    ]
    assert (customer["orderCount"], customer["lifetimeValue"]) == (
        1,
        [{"amount": "30.00", "currency": "USD"}],
    )


async def test_staff_work_on_the_services_of_their_own_location(graphql, salon):
    ada = graphql.token(Role.CUSTOMER, customer=salon.customer)
    bob = graphql.token(Role.CUSTOMER, customer=salon.other_customer)
    here = graphql.token(Role.STAFF, locations=(salon.store,))
    elsewhere = graphql.token(Role.STAFF, locations=(salon.other_store,))
    till = graphql.token(Role.POS, locations=(salon.store,))
    order = (await book(graphql, salon.store, tomorrow(10), token=ada))["order"]

    assert codes(await step(graphql, "startService", order["id"], token=ada)) == ["FORBIDDEN"]
    assert codes(await step(graphql, "cancelService", order["id"], token=bob)) == ["NOT_FOUND"]
    assert codes(await step(graphql, "startService", order["id"], token=elsewhere)) == ["NOT_FOUND"]
    assert codes(await book(graphql, salon.store, tomorrow(10), token=elsewhere)) == ["FORBIDDEN"]
    assert codes(await set_capacity(graphql, salon.store, 5, token=elsewhere)) == ["FORBIDDEN"]
    assert codes(await set_recipe(graphql, "CUT", token=ada)) == ["FORBIDDEN"]
    assert codes(await book(graphql, salon.store, tomorrow(10), token="")) == ["FORBIDDEN"]
    assert (await step(graphql, "startService", order["id"], token=here))["userErrors"] == []
    done = await complete(graphql, order["id"], [], token=till)
    assert (done["order"]["status"], done["order"]["history"][-1]["actor"]) == (
        "COMPLETED",
        "pos",
    )
    assert await level(graphql, "DYE", salon.store) == (5, 0)  # nothing was used


async def test_a_page_of_bookings_costs_a_fixed_number_of_statements(graphql, database, salon):
    await set_capacity(graphql, salon.store, 6)
    for minute in range(0, 60, 10):
        await book(graphql, salon.store, tomorrow(10, minute))

    for first in (1, 6):
        count, data = await statements_for(graphql, database, BOOKINGS_PAGE, first)
        assert len(data["orders"]["edges"]) == first
        assert all(edge["node"]["booking"] for edge in data["orders"]["edges"])
        # count + page, bookings, lines, variants, products, recipes, capacities,
        # locations (one batch or two)
        assert count <= 10
