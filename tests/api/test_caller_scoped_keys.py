"""What a caller sends to have a request recorded once is looked up in that caller's own
space: an idempotency key in its sender's (a customer's, shared by its devices; a
terminal's; a staff member's), a POS client id in its store's. Another caller's key neither
blocks nor finds nor names their order, and no refusal names an internal id. Every test
runs on SQLite and PostgreSQL."""

import asyncio
import re
import uuid

from domain.access import Principal, Role
from tests.api.orders_documents import (
    ORDERS,
    change,
    pickup_order,
    place,
    shipping_order,
)
from tests.api.pos_documents import register, sale, sync
from tests.api.pos_returns_documents import counter_return, statuses
from tests.api.pos_returns_documents import sync as sync_returns
from tests.api.returns_documents import REQUEST_RETURN, shipped_order
from tests.api.services_documents import book, create_service, set_capacity, step, tomorrow

# The shop (tests/api/conftest.py): WH-A holds TEE-S 10 and TEE-M 5, ST-B holds TEE-S 3 and
# MUG 4, ST-C holds nothing; WEB orders are filled from WH-A and ST-B.

# A number standing alone, as an internal id would ("order 12"); not one inside SO-000012.
BARE_NUMBER = re.compile(r"(?<![\w-])\d+(?![\w-])")


def refusal(payload: dict) -> tuple[str, str]:
    """The code and message of a payload's one user error, checked to name no bare number."""
    [error] = payload["userErrors"]
    assert not BARE_NUMBER.search(error["message"]), error["message"]
    return error["code"], error["message"]


async def order_count(graphql) -> int:
    return (await graphql.admin(ORDERS))["orders"]["totalCount"]


# -- placing orders -------------------------------------------------------------------------


async def test_a_customer_reusing_anothers_key_gets_an_order_of_its_own(graphql, shop):
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)
    request = shipping_order(("TEE-M", 1), idempotencyKey="checkout-1")

    adas = await place(graphql, request, token=ada)
    bobs = await place(graphql, request, token=bob)
    adas_retry = await place(graphql, request, token=ada)
    bobs_retry = await place(graphql, request, token=bob)

    assert (adas["userErrors"], bobs["userErrors"]) == ([], [])
    assert bobs["order"]["id"] != adas["order"]["id"]
    assert bobs["order"]["customer"] == {"email": shop.other_customer}
    assert adas_retry["order"]["id"] == adas["order"]["id"]
    assert bobs_retry["order"]["id"] == bobs["order"]["id"]
    assert await order_count(graphql) == 2


async def test_one_customer_on_two_devices_shares_its_keys(graphql, shop):
    phone = graphql.token(Role.CUSTOMER, customer=shop.customer, subject="ada-phone")
    laptop = graphql.token(Role.CUSTOMER, customer=shop.customer, subject="ada-laptop")
    request = shipping_order(("TEE-M", 1), idempotencyKey="checkout-1")

    first = await place(graphql, request, token=phone)
    again = await place(graphql, request, token=laptop)

    assert again["order"]["id"] == first["order"]["id"]
    assert await order_count(graphql) == 1


async def test_staff_members_admins_and_customers_each_have_keys_of_their_own(graphql, shop):
    callers = [
        graphql.token(Role.STAFF, subject="kim"),
        graphql.token(Role.STAFF, subject="sam"),
        graphql.token(Role.ADMIN),
        graphql.token(Role.CUSTOMER, customer=shop.customer),
    ]
    request = shipping_order(("TEE-M", 1), idempotencyKey="k-1", customerEmail=shop.customer)

    firsts = [await place(graphql, request, token=token) for token in callers]
    retries = [await place(graphql, request, token=token) for token in callers]

    assert [p["userErrors"] for p in firsts] == [[]] * len(callers)
    assert len({p["order"]["id"] for p in firsts}) == len(callers)
    assert [p["order"]["id"] for p in retries] == [p["order"]["id"] for p in firsts]
    assert await order_count(graphql) == len(callers)


async def test_concurrent_retries_of_two_customers_with_one_key_make_one_order_each(graphql, shop):
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)
    request = shipping_order(("TEE-M", 1), idempotencyKey="flaky-network-1")

    payloads = await asyncio.gather(
        *(place(graphql, request, token=token) for token in [ada, bob] * 4)
    )

    assert [p["userErrors"] for p in payloads] == [[]] * 8
    adas = {p["order"]["id"] for p in payloads[0::2]}
    bobs = {p["order"]["id"] for p in payloads[1::2]}
    assert len(adas) == len(bobs) == 1
    assert adas != bobs
    assert await order_count(graphql) == 2


# -- booking services -----------------------------------------------------------------------


async def test_a_customer_reusing_anothers_booking_key_books_a_place_of_its_own(graphql, shop):
    await create_service(graphql)
    await set_capacity(graphql, shop.store, 2)
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)

    adas = await book(graphql, shop.store, tomorrow(10), token=ada, idempotencyKey="visit-1")
    bobs = await book(graphql, shop.store, tomorrow(10), token=bob, idempotencyKey="visit-1")
    adas_retry = await book(graphql, shop.store, tomorrow(10), token=ada, idempotencyKey="visit-1")

    assert (adas["userErrors"], bobs["userErrors"]) == ([], [])
    assert bobs["order"]["id"] != adas["order"]["id"]
    assert bobs["order"]["customer"] == {"email": shop.other_customer}
    assert adas_retry["order"]["id"] == adas["order"]["id"]
    full = await book(graphql, shop.store, tomorrow(10))
    # Two places, two bookings: the retry took none.
    assert [e["code"] for e in full["userErrors"]] == ["SLOT_FULL"]


async def test_a_key_that_placed_an_order_books_nothing_and_names_only_what_the_caller_sees(
    graphql, shop
):
    await create_service(graphql)
    await set_capacity(graphql, shop.store, 2)
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    placed = await place(graphql, shipping_order(("TEE-M", 1), idempotencyKey="k-1"), token=ada)

    booked = await book(graphql, shop.store, tomorrow(10), token=ada, idempotencyKey="k-1")

    assert booked["order"] is None
    assert refusal(booked) == (
        "DUPLICATE",
        f"SHIPPING order {placed['order']['number']} was placed with this key; book with another",
    )


# -- POS client ids ---------------------------------------------------------------------------


async def test_a_sale_id_another_store_used_is_a_sale_of_this_store(graphql, shop):
    till = await register(graphql, shop.store)
    other_store_till = await register(graphql, shop.other_store)
    sold = sale(("MUG", 1, "9.50"))

    first = await sync(graphql, till["token"], sold)
    elsewhere = await sync(graphql, other_store_till["token"], sold)
    resent = await sync(graphql, till["token"], sold)

    [recorded], [other], [repeat] = first["results"], elsewhere["results"], resent["results"]
    assert (recorded["status"], other["status"], repeat["status"]) == (
        "ACCEPTED",
        "ACCEPTED",
        "DUPLICATE",
    )
    assert other["order"]["id"] != recorded["order"]["id"]
    assert other["order"]["lines"][0]["allocations"][0]["location"] == {"code": shop.other_store}
    assert repeat["order"]["id"] == recorded["order"]["id"]


async def test_a_return_id_another_store_used_is_a_return_of_this_store(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 2))
    store = graphql.token(Role.POS, locations=(shop.store,))
    other_store = graphql.token(Role.POS, locations=(shop.other_store,))
    client_id = uuid.uuid4()

    first = await sync_returns(
        graphql, counter_return(order, ("TEE-S", 1), client_id=client_id), token=store
    )
    elsewhere = await sync_returns(
        graphql, counter_return(order, ("TEE-S", 1), client_id=client_id), token=other_store
    )
    resent = await sync_returns(
        graphql, counter_return(order, ("TEE-S", 1), client_id=client_id), token=store
    )

    assert (statuses(first), statuses(elsewhere), statuses(resent)) == (
        ["ACCEPTED"],
        ["ACCEPTED"],
        ["DUPLICATE"],
    )
    [recorded], [other], [repeat] = first["results"], elsewhere["results"], resent["results"]
    assert other["return"]["number"] != recorded["return"]["number"]
    assert other["return"]["receivingLocation"] == {"code": shop.other_store}
    assert repeat["return"]["number"] == recorded["return"]["number"]


# -- refusals --------------------------------------------------------------------------------


async def test_refusals_of_what_the_caller_may_not_see_name_no_internal_id(graphql, shop):
    await create_service(graphql)
    await set_capacity(graphql, shop.store, 2)
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)
    other_store_clerk = graphql.token(Role.STAFF, locations=(shop.other_store,))
    adas_order = (await place(graphql, pickup_order(shop.store, ("MUG", 1)), token=ada))["order"]
    adas_booking = (await book(graphql, shop.store, tomorrow(10), token=ada))["order"]
    shipped = await shipped_order(graphql, ("TEE-S", 1))
    unregistered_till = graphql.tokens.issue(
        Principal(Role.POS, "ghost", frozenset({shop.store}), terminal_id=9876)
    )

    cancelled_by_another = await change(graphql, "cancelOrder", adas_order["id"], token=bob)
    confirmed_elsewhere = await change(
        graphql, "confirmOrder", adas_order["id"], token=other_store_clerk
    )
    service_cancelled_by_another = await step(
        graphql, "cancelService", adas_booking["id"], token=bob
    )
    return_by_another = (
        await graphql.data(
            REQUEST_RETURN,
            {"input": {"orderId": shipped["id"], "lines": [{"sku": "TEE-S", "quantity": 1}]}},
            token=bob,
        )
    )["requestReturn"]
    synced_by_a_stranger = await sync(graphql, unregistered_till, sale(("MUG", 1, "9.50")))

    assert refusal(cancelled_by_another) == ("NOT_FOUND", "no such order")
    assert refusal(confirmed_elsewhere) == ("NOT_FOUND", "no such order")
    assert refusal(service_cancelled_by_another) == ("NOT_FOUND", "no such order")
    assert refusal(return_by_another) == ("NOT_FOUND", "no such order")
    assert refusal(synced_by_a_stranger)[0] == "FORBIDDEN"
