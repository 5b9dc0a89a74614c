"""`omniorder verify-ledger` checks every money projection against the ledger, on SQLite and
PostgreSQL: real payments of every kind pass; a balance changed behind the ledger's back is
named, and the command exits 1.

The activity, through the API: order A paid by bank transfer (39.80) and refunded 10.00;
order B authorized (39.80), captured 19.90, the rest voided; order C paid in two tenders
(cash 10.00, cheque 9.90); order D placed and never paid. The invoiced activity: a trade
customer's wholesale order shipped in two parcels (two invoices of 19.90), then a bank
transfer of 50.00 set against both (10.20 left as credit).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import text

from api import cli
from persistence.database import Database
from tests.api.conftest import DEFAULT_STOCK, GraphQL, Shop, build_app, build_shop
from tests.api.invoices_documents import (
    confirmed_wholesale_order,
    customer_payment,
    ship,
    trade_customer,
)
from tests.api.payments_documents import (
    AUTHORIZE_PAYMENT,
    CAPTURE_PAYMENT,
    REFUND_PAYMENT,
    VOID_PAYMENT,
    manual_payment,
    placed_order,
)

CAPTURE_ON_SHIPMENT = """mutation {
  setChannelPaymentSettings(input: { channel: WEB, captureOn: SHIPMENT }) { userErrors { code } }
}"""


def ok(payload: dict) -> dict:
    assert payload["userErrors"] == [], payload
    return payload


async def activity(graphql: GraphQL) -> dict[str, str]:
    """Payments of every kind; the numbers of orders A, B and C."""
    await graphql.admin(CAPTURE_ON_SHIPMENT)  # so an authorization stays a hold
    a = await placed_order(graphql, ("TEE-S", 2))
    paid = ok(await manual_payment(graphql, a["id"], "39.80", "a-paid"))
    refund = {"paymentId": paid["payment"]["id"], "amount": "10.00", "idempotencyKey": "a-back"}
    ok((await graphql.admin(REFUND_PAYMENT, {"input": refund}))["refundPayment"])
    b = await placed_order(graphql, ("TEE-S", 2))
    hold = {"orderId": b["id"], "provider": "manual", "idempotencyKey": "b-hold"}
    held = ok((await graphql.admin(AUTHORIZE_PAYMENT, {"input": hold}))["authorizePayment"])
    payment_id = held["payment"]["id"]
    part = {"paymentId": payment_id, "amount": "19.90", "idempotencyKey": "b-part"}
    ok((await graphql.admin(CAPTURE_PAYMENT, {"input": part}))["capturePayment"])
    void = {"paymentId": payment_id, "idempotencyKey": "b-void"}
    ok((await graphql.admin(VOID_PAYMENT, {"input": void}))["voidPayment"])
    c = await placed_order(graphql, ("TEE-M", 1))
    ok(await manual_payment(graphql, c["id"], "10.00", "c-cash", "CASH"))
    ok(await manual_payment(graphql, c["id"], "9.90", "c-cheque", "CHEQUE"))
    await placed_order(graphql, ("MUG", 1))
    return {"a": a["number"], "b": b["number"], "c": c["number"]}


async def invoiced_activity(graphql: GraphQL, shop: Shop) -> dict[str, str]:
    """Two invoices paid by one customer payment; the order's number."""
    customer = await trade_customer(graphql, shop.customer)
    order = await confirmed_wholesale_order(graphql, shop.customer, ("TEE-S", 2))
    await ship(graphql, order["id"], ("TEE-S", 1))
    await ship(graphql, order["id"], ("TEE-S", 1))
    paid = await customer_payment(graphql, customer["id"], "50.00", "transfer")
    assert paid["customerPayment"]["allocated"]["amount"] == "39.80", paid
    return {"order": order["number"]}


async def make_activity(url: str, invoiced: bool = False) -> dict[str, str]:
    database = Database(url)
    try:
        shop = await build_shop(database, DEFAULT_STOCK)
        app = build_app(database)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            graphql = GraphQL(http, app.state.tokens)
            if invoiced:
                return await invoiced_activity(graphql, shop)
            return await activity(graphql)
    finally:
        await database.dispose()


async def tamper(url: str, statement: str, numbers: dict[str, str]) -> None:
    database = Database(url)
    try:
        async with database.writing() as session:
            await session.execute(text(statement), numbers)
            await session.commit()
    finally:
        await database.dispose()


def verify_ledger(url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, str]:
    """`omniorder verify-ledger` on the database at `url`: its exit code and what it printed."""
    monkeypatch.setenv("DATABASE_URL", url)
    code = cli.main(["verify-ledger"])
    return code, capsys.readouterr().out


@pytest.fixture
def busy(database_url: str) -> tuple[str, dict[str, str]]:
    return database_url, asyncio.run(make_activity(database_url))


@pytest.fixture
def invoiced(database_url: str) -> tuple[str, dict[str, str]]:
    return database_url, asyncio.run(make_activity(database_url, invoiced=True))


ORDER_A_PAYMENT = (
    "(SELECT id FROM payments WHERE order_id = (SELECT id FROM orders WHERE number = :a))"
)


def test_a_consistent_ledger_passes_and_says_what_it_checked(busy, monkeypatch, capsys):
    # given payments captured, refunded, captured in part and voided, and a split tender
    url, _ = busy
    # when the ledger is verified
    code, printed = verify_ledger(url, monkeypatch, capsys)
    # then nothing disagrees: 4 payments, 3 + 3 + 2 + 2 entries, 4 orders
    assert code == 0, printed
    assert printed.splitlines() == ["ledger consistent: 4 payments, 10 entries, 4 orders"]


def test_an_empty_database_is_consistent(database_url, monkeypatch, capsys):
    code, printed = verify_ledger(database_url, monkeypatch, capsys)

    assert (code, printed) == (0, "ledger consistent: 0 payments, 0 entries, 0 orders\n")


def test_a_payment_balance_changed_behind_the_ledgers_back_is_named(busy, monkeypatch, capsys):
    # given a refund that went missing from a payment's balance
    url, numbers = busy
    asyncio.run(
        tamper(url, f"UPDATE payments SET refunded_cents = 0 WHERE id = {ORDER_A_PAYMENT}", numbers)
    )
    # when the ledger is verified
    code, printed = verify_ledger(url, monkeypatch, capsys)
    # then the payment is named with what its entries say, and so is its order
    assert code == 1
    lines = printed.splitlines()
    assert any(
        line.startswith("payment ")
        and f"of order {numbers['a']}: refunded_cents=0; its REFUND entries sum to 1000" in line
        for line in lines
    ), printed
    assert f"order {numbers['a']}: refunded_cents=1000; its payments refunded 0" in lines
    assert lines[-1] == "2 ledger discrepancies"


def test_a_capture_above_what_was_held_breaks_a_balance_rule(busy, monkeypatch, capsys):
    # given a payment whose captured amount and entries grew past its authorization
    url, numbers = busy
    payment = ORDER_A_PAYMENT
    asyncio.run(
        tamper(
            url,
            f"UPDATE payment_entries SET amount_cents = 5000 WHERE payment_id = {payment}"
            " AND kind = 'CAPTURE'",
            numbers,
        )
    )
    asyncio.run(
        tamper(url, f"UPDATE payments SET captured_cents = 5000 WHERE id = {payment}", numbers)
    )
    # when the ledger is verified
    code, printed = verify_ledger(url, monkeypatch, capsys)
    # then the payment breaks captured <= authorized - released; the order's paid disagrees
    assert code == 1
    assert (
        f"of order {numbers['a']}: captured_cents=5000 exceeds authorized - released "
        "= 3980 - 0 = 3980" in printed
    )
    assert f"order {numbers['a']}: paid_cents=3980; its payments captured 5000" in printed


def test_an_order_paid_amount_or_sequence_out_of_step_is_named(busy, monkeypatch, capsys):
    # given an order whose paid amount and payment sequence were changed by hand
    url, numbers = busy
    asyncio.run(
        tamper(
            url,
            "UPDATE orders SET paid_cents = paid_cents + 1, payment_sequence = 9 WHERE number = :c",
            numbers,
        )
    )
    # when the ledger is verified
    code, printed = verify_ledger(url, monkeypatch, capsys)
    # then the order is named twice, and nothing else
    assert code == 1
    assert printed.splitlines() == [
        f"order {numbers['c']}: paid_cents=1991; its payments captured 1990",
        f"order {numbers['c']}: payment_sequence=9; it has 4 payment entries, the last numbered 4",
        "2 ledger discrepancies",
    ]


def test_invoices_paid_by_a_customer_payment_pass(invoiced, monkeypatch, capsys):
    # given two invoices set off by one bank transfer, with credit left over
    url, _ = invoiced
    # when the ledger is verified
    code, printed = verify_ledger(url, monkeypatch, capsys)
    # then the balances agree with the allocations
    assert code == 0, printed
    assert printed.startswith("ledger consistent: ")


def test_an_invoice_balance_changed_behind_the_ledgers_back_is_named(invoiced, monkeypatch, capsys):
    # given the first invoice's allocated amount cut by hand, reopening 5.00 of it
    url, _ = invoiced
    first = f"INV-{datetime.now(UTC).year}-000001"
    asyncio.run(
        tamper(url, "UPDATE invoices SET allocated_cents = 1490 WHERE number = :n", {"n": first})
    )
    # when the ledger is verified
    code, printed = verify_ledger(url, monkeypatch, capsys)
    # then the invoice is named with the balance its allocations leave
    assert code == 1
    assert printed.splitlines() == [
        f"invoice {first}: balance 500 (total 1990 - allocated_cents 1490); its allocations "
        "sum to 1990, leaving 0",
        "1 ledger discrepancies",
    ]


def test_a_customer_payment_that_allocated_more_than_its_allocations_is_named(
    invoiced, monkeypatch, capsys
):
    # given a customer payment whose allocated amount no longer matches its allocations
    url, _ = invoiced
    asyncio.run(tamper(url, "UPDATE customer_payments SET allocated_cents = 5000", {}))
    # when the ledger is verified
    code, printed = verify_ledger(url, monkeypatch, capsys)
    # then it is named
    assert code == 1
    assert "(BANK-transfer): allocated_cents=5000; its allocations sum to 3980" in printed


def test_an_entry_in_another_currency_than_its_payment_is_named(busy, monkeypatch, capsys):
    # given a capture of order A's payment whose currency was changed by hand
    url, numbers = busy
    asyncio.run(
        tamper(
            url,
            f"UPDATE payment_entries SET currency = 'EUR' WHERE payment_id = {ORDER_A_PAYMENT}"
            " AND kind = 'CAPTURE'",
            numbers,
        )
    )
    # when the ledger is verified
    code, printed = verify_ledger(url, monkeypatch, capsys)
    # then the entry is named: its amount would be added to another currency's
    assert code == 1
    [entry, count] = printed.splitlines()
    assert entry.startswith("entry ")
    assert entry.endswith("(CAPTURE 3980 EUR) of payment 1: in EUR, its payment in USD")
    assert count == "1 ledger discrepancies"
