"""Invoices under concurrency: numbers stay gap-free, customer payments never pass a
balance. On SQLite and PostgreSQL (the `graphql` fixture runs both)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from persistence.database import Database
from persistence.uow import SqlUnitOfWork
from tests.api.invoices_documents import (
    INVOICES,
    confirmed_wholesale_order,
    customer_payment,
    issue,
    ship,
    trade_customer,
    year,
)
from tests.api.orders_documents import place, shipping_order

ORDERS = 8


async def test_concurrent_issues_number_invoices_one_to_n_without_gap_or_duplicate(graphql, shop):
    orders = [
        (await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer)))["order"]
        for _ in range(ORDERS)
    ]

    # Every order twice at once: one of each pair is refused (nothing left to invoice).
    results = await asyncio.gather(*(issue(graphql, o["id"]) for o in orders + orders))

    issued = [r["invoice"]["number"] for r in results if r["invoice"] is not None]
    refused = [r for r in results if r["userErrors"]]
    assert len(refused) == ORDERS
    assert sorted(issued) == [f"INV-{year()}-{n:06d}" for n in range(1, ORDERS + 1)]
    listed = await graphql.admin(INVOICES)
    assert listed["invoices"]["totalCount"] == ORDERS


async def test_a_rolled_back_transaction_gives_its_number_back(graphql, database: Database, shop):
    async with SqlUnitOfWork(database) as uow:
        taken = await uow.invoices.next_number("INV", year())  # never committed
    order = (await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer)))[
        "order"
    ]

    issued = await issue(graphql, order["id"])

    assert taken == 1
    assert issued["invoice"]["number"] == f"INV-{year()}-000001"


async def test_concurrent_customer_payments_never_pass_an_invoice_balance(graphql, shop):
    customer = await trade_customer(graphql, shop.customer)
    order = await confirmed_wholesale_order(graphql, shop.customer, ("TEE-S", 2))
    await ship(graphql, order["id"], ("TEE-S", 2))  # one invoice of 39.80

    paid = await asyncio.gather(
        *(customer_payment(graphql, customer["id"], "10.00", f"race-{n}") for n in range(8))
    )

    assert all(p["userErrors"] == [] for p in paid)
    allocated = sum(Decimal(p["customerPayment"]["allocated"]["amount"]) for p in paid)
    unallocated = sum(Decimal(p["customerPayment"]["unallocated"]["amount"]) for p in paid)
    assert allocated == Decimal("39.80")
    assert unallocated == Decimal("40.20")
    listed = await graphql.admin(INVOICES, {"filter": {"orderId": order["id"]}})
    invoice = listed["invoices"]["edges"][0]["node"]
    assert invoice["balance"]["amount"] == "0.00"
    assert sum(Decimal(a["amount"]["amount"]) for a in invoice["allocations"]) == allocated
