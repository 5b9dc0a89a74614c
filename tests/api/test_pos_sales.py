"""POS terminals and their offline sales: registering a till, syncing what it rang up
(each sale once, however often it is sent), stock that may run short at the counter, and
who may do what. Every test runs on SQLite and PostgreSQL."""

import asyncio
import base64
import os
import subprocess
import sys
from pathlib import Path

from domain.access import Principal, Role
from tests.api.conftest import SECRET
from tests.api.pos_documents import (
    CUSTOMER_ORDERS,
    NODE,
    TERMINALS,
    level,
    movements,
    register,
    sale,
    statuses,
    sync,
)

# The shop (tests/api/conftest.py): WH-A holds TEE-S 10 and TEE-M 5, ST-B holds TEE-S 3
# and MUG 4, ST-C holds nothing. TEE-S and TEE-M cost 19.90 USD, MUG 9.50 USD.

PLACE_COUNTER_ORDER = """
mutation { placeOrder(input: { channel: POS, fulfilment: COUNTER,
                               lines: [{ sku: "MUG", quantity: 1 }] }) {
  order { id } userErrors { field code message } } }
"""
CREATE_EURO_PRODUCT = """
mutation { createProduct(input: { name: "Scarf", variants: [
    { sku: "SCARF", name: "Scarf", price: { amount: "25.00", currency: "EUR" } }] }) {
  userErrors { code } } }
"""


def reference(order_id: str) -> str:
    return "order:" + base64.b64decode(order_id).decode().split(":")[1]


# -- registering terminals -----------------------------------------------------------------


async def test_an_admin_registers_a_terminal_at_a_store_and_gets_its_token(graphql, shop):
    registered = await register(graphql, shop.store, " Till 1 ")

    assert registered["userErrors"] == []
    terminal = registered["terminal"]
    assert (terminal["name"], terminal["store"], terminal["lastSyncedAt"]) == (
        "Till 1",
        {"code": "ST-B", "kind": "STORE"},
        None,
    )
    principal = graphql.tokens.verify(registered["token"])
    assert (principal.role, principal.location_codes) == (Role.POS, frozenset({"ST-B"}))
    assert principal.terminal_id is not None


async def test_a_terminal_cannot_stand_in_a_warehouse_or_an_unknown_store(graphql, shop):
    warehouse = await register(graphql, shop.warehouse)
    unknown = await register(graphql, "ST-NOWHERE")

    assert (warehouse["terminal"], warehouse["token"]) == (None, None)
    assert warehouse["userErrors"][0]["code"] == "INVALID_INPUT"
    assert warehouse["userErrors"][0]["field"] == ["input", "storeCode"]
    assert unknown["userErrors"][0]["code"] == "NOT_FOUND"


async def test_only_an_admin_registers_terminals_and_names_are_unique_per_store(graphql, shop):
    staff = graphql.token(Role.STAFF, locations=(shop.store,))
    refused = await graphql.data(
        'mutation { registerPosTerminal(input: {storeCode: "ST-B", name: "T"}) {'
        " terminal { id } userErrors { code } } }",
        token=staff,
    )
    await register(graphql, shop.store, "Till 1")
    twice = await register(graphql, shop.store, "Till 1")
    elsewhere = await register(graphql, shop.other_store, "Till 1")

    assert refused["registerPosTerminal"]["userErrors"] == [{"code": "FORBIDDEN"}]
    assert twice["userErrors"][0]["code"] == "DUPLICATE"
    assert elsewhere["userErrors"] == []


async def test_staff_see_the_terminals_of_their_stores_and_admins_all(graphql, shop):
    await register(graphql, shop.store, "Till 1")
    other = await register(graphql, shop.other_store, "Till 9")
    clerk = graphql.token(Role.STAFF, locations=(shop.store,))

    everything = await graphql.admin(TERMINALS)
    one_store = await graphql.admin(TERMINALS, {"storeCode": "st-c"})
    theirs = await graphql.data(TERMINALS, token=clerk)
    hidden = await graphql.data(NODE, {"id": other["terminal"]["id"]}, token=clerk)
    pos = await graphql.post(TERMINALS, token=other["token"])

    assert everything["posTerminals"]["totalCount"] == 2
    assert [e["node"]["name"] for e in one_store["posTerminals"]["edges"]] == ["Till 9"]
    assert [e["node"]["store"]["code"] for e in theirs["posTerminals"]["edges"]] == ["ST-B"]
    assert hidden["node"] is None
    assert pos["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# -- syncing sales ---------------------------------------------------------------------------


async def test_a_synced_sale_becomes_a_completed_counter_order_and_the_stock_leaves(graphql, shop):
    terminal = await register(graphql, shop.store)
    sold = sale(
        ("TEE-S", 2, "15.00"),
        ("MUG", 1, "9.50"),
        paid=(("CARD", "20.00"), ("CASH", "20.00")),
        when="2026-11-25T09:30:00+01:00",
    )

    report = await sync(graphql, terminal["token"], sold)

    assert (report["accepted"], report["duplicates"], report["rejected"]) == (1, 0, 0)
    result = report["results"][0]
    assert (result["clientSaleId"], result["status"], result["error"]) == (
        sold["clientSaleId"],
        "ACCEPTED",
        None,
    )
    order = result["order"]
    assert (order["status"], order["channel"], order["fulfilment"]) == (
        "COMPLETED",
        "POS",
        "COUNTER",
    )
    assert order["createdAt"] == "2026-11-25T08:30:00+00:00"
    assert order["total"] == {"amount": "39.50", "currency": "USD"}
    assert [
        (line["sku"], line["quantity"], line["unitPrice"]["amount"], line["allocations"])
        for line in order["lines"]
    ] == [
        ("TEE-S", 2, "15.00", [{"quantity": 2, "fulfilled": 2, "location": {"code": "ST-B"}}]),
        ("MUG", 1, "9.50", [{"quantity": 1, "fulfilled": 1, "location": {"code": "ST-B"}}]),
    ]
    assert order["tenders"] == [
        {"method": "CARD", "amount": {"amount": "20.00", "currency": "USD"}},
        {"method": "CASH", "amount": {"amount": "20.00", "currency": "USD"}},
    ]
    assert [(h["sequence"], h["fromStatus"], h["toStatus"]) for h in order["history"]] == [
        (1, None, "COMPLETED")
    ]
    assert await level(graphql, "TEE-S", shop.store) == (1, 0, 1)
    assert await level(graphql, "MUG", shop.store) == (3, 0, 3)
    assert await movements(graphql, reference(order["id"])) == [
        ("SALE", "MUG", "ST-B", -1, 0),
        ("SALE", "TEE-S", "ST-B", -2, 0),
    ]
    listed = await graphql.admin(TERMINALS)
    assert listed["posTerminals"]["edges"][0]["node"]["lastSyncedAt"] is not None


async def test_a_batch_sent_again_is_recorded_once_and_answered_with_the_same_orders(graphql, shop):
    terminal = await register(graphql, shop.store)
    batch = [sale(("MUG", 1, "9.50")), sale(("TEE-S", 1, "19.90"))]
    first = await sync(graphql, terminal["token"], *batch)

    again = await sync(graphql, terminal["token"], *reversed(batch))

    assert statuses(first) == ["ACCEPTED", "ACCEPTED"]
    assert (again["accepted"], again["duplicates"], again["rejected"]) == (0, 2, 0)
    assert [r["order"]["number"] for r in again["results"]] == [
        r["order"]["number"] for r in reversed(first["results"])
    ]
    assert await level(graphql, "MUG", shop.store) == (3, 0, 3)
    assert await level(graphql, "TEE-S", shop.store) == (2, 0, 2)


async def test_a_sale_repeated_within_one_batch_is_recorded_once(graphql, shop):
    terminal = await register(graphql, shop.store)
    once = sale(("MUG", 1, "9.50"))

    report = await sync(graphql, terminal["token"], once, sale(("MUG", 1, "9.50")), once)

    assert statuses(report) == ["ACCEPTED", "ACCEPTED", "DUPLICATE"]
    assert report["results"][2]["order"]["id"] == report["results"][0]["order"]["id"]
    assert await level(graphql, "MUG", shop.store) == (2, 0, 2)


async def test_overlapping_batches_sent_at_once_record_every_sale_once(graphql, shop):
    till = await register(graphql, shop.store, "Till 1")
    other_till = await register(graphql, shop.store, "Till 2")
    sales = [sale(("MUG", 1, "9.50")) for _ in range(6)]

    reports = await asyncio.gather(
        sync(graphql, till["token"], *sales[:4]),
        sync(graphql, till["token"], *sales[2:]),
        sync(graphql, other_till["token"], *sales[1:5]),
    )

    assert [r["userErrors"] for r in reports] == [[], [], []]
    assert sum(report["accepted"] for report in reports) == 6
    assert sum(report["duplicates"] for report in reports) == 12 - 6
    orders: dict[str, set[str]] = {}
    for report in reports:
        for result in report["results"]:
            orders.setdefault(result["clientSaleId"], set()).add(result["order"]["number"])
    assert all(len(numbers) == 1 for numbers in orders.values())
    assert len(orders) == 6
    assert await level(graphql, "MUG", shop.store) == (-2, 0, -2)


async def test_a_sale_beyond_the_recorded_stock_is_accepted_with_a_warning(
    graphql, database_url, shop
):
    terminal = await register(graphql, shop.store)

    report = await sync(
        graphql,
        terminal["token"],
        sale(("MUG", 3, "9.50")),
        sale(("MUG", 2, "9.50"), ("TEE-M", 1, "19.90"), ("TEE-S", 1, "19.90")),
    )

    assert statuses(report) == ["ACCEPTED", "ACCEPTED"]
    assert report["results"][0]["warnings"] == []
    assert report["results"][1]["warnings"] == [
        {"code": "NEGATIVE_STOCK", "sku": "MUG", "onHand": -1},
        {"code": "NEGATIVE_STOCK", "sku": "TEE-M", "onHand": -1},
    ]
    assert await level(graphql, "MUG", shop.store) == (-1, 0, -1)
    assert await level(graphql, "TEE-M", shop.store) == (-1, 0, -1)
    verified = verify_stock(database_url)
    assert verified.returncode == 0, verified.stdout
    assert "warning: MUG at ST-B: on_hand=-1 reserved=0" in verified.stdout
    assert "0 stock levels disagree" in verified.stdout
    assert "2 stock levels are short" in verified.stdout


async def test_a_short_level_still_takes_receipts_but_no_other_sale_below_zero(graphql, shop):
    terminal = await register(graphql, shop.store)
    await sync(graphql, terminal["token"], sale(("MUG", 6, "9.50")))
    adjust = """mutation($input: AdjustStockInput!) { adjustStock(input: $input) {
      stockLevel { onHand } userErrors { code } } }"""
    place = """mutation { placeOrder(input: { channel: POS, fulfilment: PICKUP,
      pickupLocationCode: "ST-B", lines: [{ sku: "MUG", quantity: 1 }] }) {
      userErrors { code } } }"""

    received = await graphql.admin(
        adjust,
        {"input": {"sku": "MUG", "locationCode": "ST-B", "delta": 1, "reason": "RECEIVED"}},
    )
    ordered = await graphql.admin(place)

    assert received["adjustStock"] == {"stockLevel": {"onHand": -1}, "userErrors": []}
    assert ordered["placeOrder"]["userErrors"] == [{"code": "INSUFFICIENT_STOCK"}]


async def test_malformed_sales_are_rejected_with_reasons_while_the_rest_are_recorded(graphql, shop):
    await graphql.admin(CREATE_EURO_PRODUCT)
    terminal = await register(graphql, shop.store)
    good = sale(("MUG", 1, "9.50"))
    bad = [
        sale(("NOPE", 1, "1.00")),
        sale(("MUG", 0, "9.50")),
        sale(),
        sale(("MUG", 1, "-1.00"), paid=()),
        sale(("MUG", 2, "9.50"), paid=(("CARD", "10.00"),)),
        sale(("MUG", 1, "9.50"), paid=(("CASH", "0.00"), ("CARD", "9.50"))),
        sale(("MUG", 1, "9.50"), ("SCARF", 1, "25.00")),
        sale(("MUG", 1, "9.50"), paid=(("CARD", "20.00"),)),
        sale(("MUG", 1, "9.50"), ("MUG", 1, "8.00")),
        sale(("MUG", 1, "9.50"), email="not an email"),
        sale(("MUG", 1, "9.50"), when="2026-11-25T10:15:00"),
    ]

    report = await sync(graphql, terminal["token"], good, *bad)

    assert (report["accepted"], report["rejected"]) == (1, len(bad))
    errors = [(r["error"]["code"], r["error"]["field"][2:]) for r in report["results"][1:]]
    assert errors == [
        ("NOT_FOUND", ["1", "lines", "0", "sku"]),
        ("INVALID_INPUT", ["2", "lines", "0", "quantity"]),
        ("INVALID_INPUT", ["3", "lines"]),
        ("INVALID_INPUT", ["4", "lines", "0", "unitPrice"]),
        ("INVALID_INPUT", ["5", "payments"]),
        ("INVALID_INPUT", ["6", "payments", "0", "amount"]),
        ("INVALID_INPUT", ["7", "lines"]),
        ("INVALID_INPUT", ["8", "payments"]),
        ("INVALID_INPUT", ["9", "lines", "1", "unitPrice"]),
        ("INVALID_INPUT", ["10", "customerEmail"]),
        ("INVALID_INPUT", ["11", "occurredAt"]),
    ]
    assert "do not cover the total of 19.00" in report["results"][5]["error"]["message"]
    assert [r["order"] for r in report["results"][1:]] == [None] * len(bad)
    assert await level(graphql, "MUG", shop.store) == (3, 0, 3)


async def test_lines_of_one_sku_at_one_price_are_merged_and_cash_overpaid_is_change(graphql, shop):
    terminal = await register(graphql, shop.store)

    report = await sync(
        graphql,
        terminal["token"],
        sale(("MUG", 1, "9.50"), ("MUG", 2, "9.50"), paid=(("CASH", "30.00"),)),
    )

    order = report["results"][0]["order"]
    assert [(line["sku"], line["quantity"]) for line in order["lines"]] == [("MUG", 3)]
    assert order["total"]["amount"] == "28.50"
    assert order["tenders"] == [
        {"method": "CASH", "amount": {"amount": "30.00", "currency": "USD"}}
    ]


async def test_a_malformed_request_is_refused_whole_and_records_nothing(graphql, shop):
    terminal = await register(graphql, shop.store)
    too_long = sale(*[("MUG", 1, "9.50")] * 101)

    report = await sync(graphql, terminal["token"], sale(("MUG", 1, "9.50")), too_long)

    assert (report["results"], report["accepted"]) == ([], 0)
    assert report["userErrors"][0]["code"] == "INVALID_INPUT"
    assert report["userErrors"][0]["field"] == ["input", "sales", "1", "lines"]
    assert await level(graphql, "MUG", shop.store) == (4, 0, 4)


async def test_only_a_registered_terminal_may_sync_sales(graphql, shop):
    callers = [
        graphql.token(Role.ADMIN),
        graphql.token(Role.STAFF, locations=(shop.store,)),
        graphql.token(Role.POS, locations=(shop.store,)),  # a POS token of no terminal
        graphql.tokens.issue(  # naming a terminal nobody registered
            Principal(Role.POS, "ghost", frozenset({shop.store}), terminal_id=99)
        ),
        None,
    ]

    reports = [await sync(graphql, token, sale(("MUG", 1, "9.50"))) for token in callers]

    assert [r["userErrors"][0]["code"] for r in reports] == ["FORBIDDEN"] * len(callers)
    assert await level(graphql, "MUG", shop.store) == (4, 0, 4)


async def test_a_customer_email_links_the_sale_to_that_customer_new_or_known(graphql, shop):
    terminal = await register(graphql, shop.store)

    report = await sync(
        graphql,
        terminal["token"],
        sale(("MUG", 1, "9.50"), email=" Ada@Example.com "),
        sale(("MUG", 1, "9.50"), email="newcomer@example.com"),
    )

    assert [r["order"]["customer"] for r in report["results"]] == [
        {"email": "ada@example.com"},
        {"email": "newcomer@example.com"},
    ]
    known = await graphql.admin(CUSTOMER_ORDERS, {"email": "ada@example.com"})
    new = await graphql.admin(CUSTOMER_ORDERS, {"email": "newcomer@example.com"})
    ada = known["customers"]["edges"][0]["node"]
    newcomer = new["customers"]["edges"][0]["node"]
    assert [e["node"]["channel"] for e in ada["orders"]["edges"]] == ["POS"]
    assert newcomer["name"] == "newcomer"
    assert [e["node"]["number"] for e in newcomer["orders"]["edges"]] == [
        report["results"][1]["order"]["number"]
    ]


async def test_counter_orders_come_only_from_terminals(graphql, shop):
    payload = (await graphql.admin(PLACE_COUNTER_ORDER))["placeOrder"]

    assert payload["order"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "fulfilment"],
            "code": "INVALID_INPUT",
            "message": "COUNTER orders are sales a POS terminal syncs (syncPosSales)",
        }
    ]


async def test_orders_placed_otherwise_have_no_tenders(graphql, shop):
    placed = await graphql.admin(
        """mutation { placeOrder(input: { channel: WEB, fulfilment: SHIPPING,
          shippingAddress: { line1: "1 Main St", city: "Springfield", postalCode: "62701",
          country: "US" }, lines: [{ sku: "TEE-S", quantity: 1 }] }) {
          order { tenders { method } } } }"""
    )

    assert placed["placeOrder"]["order"]["tenders"] == []


def verify_stock(database_url: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": database_url, "OMNIORDER_SECRET": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "verify-stock"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
