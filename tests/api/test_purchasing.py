"""Purchase orders: the lifecycle, what each step does to stock (incoming, then on hand), the
backorders a delivery fills, and the rules of creating one (who may do what, and listing
them: test_purchase_order_access.py). Every test runs on SQLite and PostgreSQL."""

import asyncio
from datetime import datetime, timedelta

import pytest

from tests.api import purchasing_documents as po
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import ORDER, place, shipping_order
from tests.api.purchasing_documents import (
    PURCHASE_ORDER,
    PURCHASE_ORDERS,
    TEE,
    cancel,
    create,
    level,
    movements,
    ordered,
    receive,
    submit,
)
from tests.api.services_documents import create_service
from tests.api.transfers_documents import codes
from tests.api.wholesale_documents import join_trade_group, wholesale_order

# The shop (tests/api/conftest.py): WH-A holds TEE-S 10 and TEE-M 5, ST-B holds TEE-S 3
# and MUG 4, ST-C holds nothing. Every SKU is priced in USD. ACME supplies in 7 days.


@pytest.fixture(autouse=True)
async def acme(graphql, shop):
    created = await po.create_supplier(graphql, "ACME", lead_time_days=7)
    assert created["userErrors"] == [], created


# -- the lifecycle and its stock ---------------------------------------------------------


async def test_a_purchase_order_goes_from_draft_to_received_and_the_stock_follows_it(
    graphql, database, shop
):
    # given a DRAFT for 10 TEE-M at WH-A, which holds 5
    created = await create(graphql, ("TEE-M", 10, "4.20"), note="autumn restock")
    order = created["purchaseOrder"]
    assert (order["number"], order["status"], order["total"]) == (
        "PO-000001",
        "DRAFT",
        {"amount": "42.00", "currency": "USD"},
    )
    assert await level(graphql, "TEE-M", shop.warehouse) == (5, 5, 0)
    # when it is submitted, the 10 are incoming, and not available
    submitted = (await submit(graphql, order["id"]))["purchaseOrder"]
    assert submitted["status"] == "ORDERED"
    assert await level(graphql, "TEE-M", shop.warehouse) == (5, 5, 10)
    # when 6 arrive, they are on hand and 4 are still incoming
    partly = (await receive(graphql, order["id"], ("TEE-M", 6)))["purchaseOrder"]
    assert partly["status"] == "PARTIALLY_RECEIVED"
    assert [(line["received"], line["outstanding"]) for line in partly["lines"]] == [(6, 4)]
    assert await level(graphql, "TEE-M", shop.warehouse) == (11, 11, 4)
    # when the last 4 arrive, it is RECEIVED and nothing is incoming
    received = (await receive(graphql, order["id"], ("TEE-M", 4)))["purchaseOrder"]
    assert received["status"] == "RECEIVED"
    assert await level(graphql, "TEE-M", shop.warehouse) == (15, 15, 0)
    # then its history and the ledger tell the whole story
    assert [
        (h["sequence"], h["fromStatus"], h["toStatus"], h["actor"], h["note"])
        for h in received["history"]
    ] == [
        (1, None, "DRAFT", "admin", "autumn restock"),
        (2, "DRAFT", "ORDERED", "admin", None),
        (3, "ORDERED", "PARTIALLY_RECEIVED", "admin", None),
        (4, "PARTIALLY_RECEIVED", "RECEIVED", "admin", None),
    ]
    assert await movements(graphql, received["reference"]) == [
        ("PURCHASE_ORDERED", "TEE-M", "WH-A", 0, 0, 10),
        ("PURCHASE_RECEIPT", "TEE-M", "WH-A", 6, 0, -6),
        ("PURCHASE_RECEIPT", "TEE-M", "WH-A", 4, 0, -4),
    ]
    await assert_stock_holds(database)


async def test_incoming_units_cannot_be_sold(graphql, shop):
    await ordered(graphql, ("TEE-M", 10, "4.20"))

    payload = await place(graphql, shipping_order(("TEE-M", 6)))

    assert codes(payload) == ["INSUFFICIENT_STOCK"]


async def test_receiving_more_than_is_outstanding_is_refused_and_changes_nothing(
    graphql, database, shop
):
    order = await ordered(graphql, ("TEE-M", 10, "4.20"), ("MUG", 2, "1.00"))
    await receive(graphql, order["id"], ("TEE-M", 8))

    payload = await receive(graphql, order["id"], ("MUG", 2), ("TEE-M", 3))

    assert payload["purchaseOrder"] is None
    [error] = payload["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "lines", "1", "quantity"])
    assert error["message"] == "SKU TEE-M: 2 outstanding on purchase order PO-000001, 3 received"
    after = (await graphql.admin(PURCHASE_ORDER, {"id": order["id"]}))["purchaseOrder"]
    assert after["status"] == "PARTIALLY_RECEIVED"
    assert [line["received"] for line in after["lines"]] == [8, 0]
    assert await level(graphql, "TEE-M", shop.warehouse) == (13, 13, 2)
    assert await level(graphql, "MUG", shop.warehouse) == (0, 0, 2)
    await assert_stock_holds(database)


async def test_cancelling_after_a_partial_receipt_releases_what_did_not_arrive(
    graphql, database, shop
):
    order = await ordered(graphql, ("TEE-M", 10, "4.20"), ("MUG", 2, "1.00"))
    await receive(graphql, order["id"], ("TEE-M", 6), ("MUG", 2))

    cancelled = (await cancel(graphql, order["id"], note="supplier ran out"))["purchaseOrder"]

    assert cancelled["status"] == "CANCELLED"
    assert cancelled["history"][-1]["note"] == "supplier ran out"
    assert [line["outstanding"] for line in cancelled["lines"]] == [4, 0]
    assert await level(graphql, "TEE-M", shop.warehouse) == (11, 11, 0)
    assert await level(graphql, "MUG", shop.warehouse) == (2, 2, 0)
    assert (await movements(graphql, cancelled["reference"]))[-1] == (
        "PURCHASE_CANCELLED",
        "TEE-M",
        "WH-A",
        0,
        0,
        -4,
    )
    await assert_stock_holds(database)


async def test_cancelling_a_draft_moves_no_stock(graphql, shop):
    order = (await create(graphql, ("TEE-M", 3, "4.20")))["purchaseOrder"]

    cancelled = (await cancel(graphql, order["id"]))["purchaseOrder"]

    assert cancelled["status"] == "CANCELLED"
    assert await movements(graphql, cancelled["reference"]) == []


async def test_steps_out_of_order_are_invalid_transitions_and_change_nothing(graphql, shop):
    draft = (await create(graphql, ("TEE-M", 3, "4.20")))["purchaseOrder"]
    done = await ordered(graphql, ("TEE-M", 2, "4.20"))
    await receive(graphql, done["id"], ("TEE-M", 2))

    refusals = [
        await receive(graphql, draft["id"], ("TEE-M", 1)),
        await submit(graphql, done["id"]),
        await receive(graphql, done["id"], ("TEE-M", 1)),
        await cancel(graphql, done["id"]),
    ]

    assert [codes(payload) for payload in refusals] == [["INVALID_TRANSITION"]] * 4
    assert "RECEIVED" in refusals[3]["userErrors"][0]["message"]
    assert await level(graphql, "TEE-M", shop.warehouse) == (7, 7, 0)


async def test_a_delivery_fills_a_waiting_backorder(graphql, database, shop):
    # given a wholesale order that took the 5 TEE-M at WH-A and waits for 3 more
    await join_trade_group(graphql, shop.customer)
    placed = await place(
        graphql, wholesale_order(("TEE-M", 8), customerEmail=shop.customer, allowBackorder=True)
    )
    backorder = placed["order"]
    assert backorder["status"] == "BACKORDERED"
    order = await ordered(graphql, ("TEE-M", 10, "4.20"))
    # (units on order do not fill it)
    assert (await graphql.admin(ORDER, {"id": backorder["id"]}))["order"]["status"] == (
        "BACKORDERED"
    )

    # when 4 arrive
    received = await receive(graphql, order["id"], ("TEE-M", 4))

    # then the backorder takes 3 of them and is complete
    assert received["userErrors"] == []
    assert (await graphql.admin(ORDER, {"id": backorder["id"]}))["order"]["status"] == "PENDING"
    assert await level(graphql, "TEE-M", shop.warehouse) == (9, 1, 6)
    await assert_stock_holds(database)


async def test_two_clerks_receiving_the_last_units_at_once_receive_them_once(
    graphql, database, shop
):
    order = await ordered(graphql, ("TEE-M", 4, "4.20"))

    payloads = await asyncio.gather(
        *(receive(graphql, order["id"], ("TEE-M", 4)) for _ in range(4))
    )

    assert sorted(codes(p)[0] if codes(p) else "OK" for p in payloads) == [
        "INVALID_TRANSITION"
    ] * 3 + ["OK"]
    assert await level(graphql, "TEE-M", shop.warehouse) == (9, 9, 0)
    await assert_stock_holds(database)


# -- creating one ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("triples", "extra", "code", "field"),
    [
        (TEE, {"supplierCode": "NOPE"}, "NOT_FOUND", "supplierCode"),
        (TEE, {"locationCode": "WH-Z"}, "NOT_FOUND", "locationCode"),
        ([*TEE, ("SOCKS", 1, "1")], {}, "NOT_FOUND", "lines.1.sku"),
        ([], {}, "INVALID_INPUT", "lines"),
        ([("TEE-M", 0, "4.20")], {}, "INVALID_INPUT", "lines.0.quantity"),
        ([*TEE, ("tee-m", 2, "4.20")], {}, "INVALID_INPUT", "lines.1.sku"),
        ([("TEE-M", 1, "-0.01")], {}, "INVALID_INPUT", "lines.0.unitCost"),
        ([("TEE-M", 1, "4.201")], {}, "INVALID_INPUT", "lines.0.unitCost"),
        (TEE, {"currency": "DOLLARS"}, "INVALID_INPUT", "currency"),
        (TEE, {"expectedAt": "2026-12-01T10:00:00"}, "INVALID_INPUT", "expectedAt"),
    ],
    ids=[
        "no-supplier",
        "no-location",
        "unknown-sku",
        "no-lines",
        "zero",
        "twice",
        "negative-cost",
        "sub-cent-cost",
        "bad-currency",
        "no-offset",
    ],
)
async def test_a_purchase_order_that_breaks_a_rule_is_not_created(
    graphql, shop, triples, extra, code, field
):
    payload = await create(graphql, *triples, **extra)

    assert payload["purchaseOrder"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        (code, ["input", *field.split(".")])
    ]
    assert (await graphql.admin(PURCHASE_ORDERS))["purchaseOrders"]["totalCount"] == 0


async def test_a_service_holds_no_stock_so_it_is_neither_bought_nor_priced(graphql, shop):
    await create_service(graphql, "CUT")

    bought = await create(graphql, *TEE, ("CUT", 1, "5.00"))
    priced = await po.set_supplier_prices(graphql, {"sku": "CUT", "unitCost": "5.00"})

    assert [(e["code"], e["field"]) for e in bought["userErrors"]] == [
        ("INVALID_INPUT", ["input", "lines", "1", "sku"])
    ]
    assert [(e["code"], e["field"]) for e in priced["userErrors"]] == [
        ("INVALID_INPUT", ["input", "prices", "0", "sku"])
    ]


async def test_goods_are_expected_after_the_suppliers_lead_time_unless_a_date_is_given(
    graphql, shop
):
    default = (await create(graphql, *TEE))["purchaseOrder"]
    dated = (await create(graphql, *TEE, expectedAt="2026-12-01T10:00:00+01:00"))["purchaseOrder"]

    created_at = datetime.fromisoformat(default["createdAt"])
    assert datetime.fromisoformat(default["expectedAt"]) - created_at == timedelta(days=7)
    assert datetime.fromisoformat(dated["expectedAt"]) == datetime.fromisoformat(
        "2026-12-01T09:00:00+00:00"
    )


async def test_codes_and_skus_are_read_in_any_case_and_costs_may_be_in_another_currency(
    graphql, shop
):
    payload = await create(
        graphql, (" tee-m ", 3, "3.9"), supplier=" acme", location="wh-a", currency="eur"
    )

    order = payload["purchaseOrder"]
    assert (order["supplier"], order["location"]) == ({"code": "ACME"}, {"code": "WH-A"})
    assert order["lines"][0]["sku"] == "TEE-M"
    assert order["lines"][0]["unitCost"] == {"amount": "3.90", "currency": "EUR"}
    assert order["lines"][0]["lineTotal"] == {"amount": "11.70"}
    assert order["total"] == {"amount": "11.70", "currency": "EUR"}
