"""Invoices through the API: issued on shipment and on demand, credit notes for refunds,
payment terms and due dates, receivables, customer payments, PDFs."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader

from domain.access import Role
from tests.api.conftest import build_app, client_of
from tests.api.invoices_documents import (
    INVOICE,
    INVOICE_FIELDS,
    INVOICES,
    RECEIVABLES,
    confirmed_wholesale_order,
    customer_payment,
    issue,
    order_invoices,
    ship,
    trade_customer,
    year,
)
from tests.api.orders_documents import place, shipping_order
from tests.api.payments_documents import REFUND_ORDER, manual_payment, placed_order
from tests.api.returns_documents import approved_return, receive, shipped_order
from tests.api.test_query_count import statements_for
from tests.api.test_return_refunds import refund_return


def today() -> date:
    return datetime.now(UTC).date()


async def test_each_wholesale_shipment_issues_an_invoice_of_what_it_sent(graphql, shop):
    await trade_customer(graphql, shop.customer, terms="NET_30")
    order = await confirmed_wholesale_order(graphql, shop.customer, ("TEE-S", 3), ("MUG", 1))

    await ship(graphql, order["id"], ("TEE-S", 2))
    await ship(graphql, order["id"], ("TEE-S", 1), ("MUG", 1))

    first, second = await order_invoices(graphql, order["id"])
    assert first["number"] == f"INV-{year()}-000001"
    assert first["total"]["amount"] == "39.80"
    assert first["dueDate"] == (today() + timedelta(days=30)).isoformat()
    assert second["number"] == f"INV-{year()}-000002"
    assert second["total"]["amount"] == "29.40"
    again = await issue(graphql, order["id"])
    assert again["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_issue_invoice_bills_all_not_yet_invoiced_and_then_refuses(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 2), customerEmail=shop.customer)))[
        "order"
    ]

    issued = await issue(graphql, order["id"])
    refused = await issue(graphql, order["id"])

    assert issued["userErrors"] == []
    invoice = issued["invoice"]
    assert invoice["kind"] == "INVOICE"
    assert invoice["lines"] == [
        {
            "sku": "TEE-S",
            "name": "S",
            "quantity": 2,
            "unitPrice": {"amount": "19.90"},
            "total": {"amount": "39.80"},
        }
    ]
    assert invoice["customer"] == {"email": shop.customer}
    assert invoice["dueDate"] == today().isoformat()  # IMMEDIATE: no group, no terms
    assert invoice["balance"]["amount"] == "39.80"
    assert refused["userErrors"][0]["code"] == "INVALID_INPUT"
    assert refused["invoice"] is None


async def test_a_repeated_issue_with_its_key_answers_with_the_first_invoice(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer)))[
        "order"
    ]

    first = await issue(graphql, order["id"], key="inv-1")
    again = await issue(graphql, order["id"], key="inv-1")

    assert again["userErrors"] == []
    assert again["invoice"]["number"] == first["invoice"]["number"]


async def test_an_order_without_a_customer_cannot_be_invoiced(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 1))

    refused = await issue(graphql, order["id"])

    assert refused["userErrors"][0]["field"] == ["input", "orderId"]


async def test_money_captured_before_the_invoice_is_allocated_to_it(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2), customerEmail=shop.customer)
    await manual_payment(graphql, order["id"], "30.00", "part")

    invoice = (await issue(graphql, order["id"]))["invoice"]

    assert invoice["allocated"]["amount"] == "30.00"
    assert invoice["balance"]["amount"] == "9.80"
    assert invoice["allocations"] == [{"amount": {"amount": "30.00"}, "reference": None}]


async def test_money_recorded_after_the_invoice_is_allocated_to_it(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2), customerEmail=shop.customer)
    invoice = (await issue(graphql, order["id"]))["invoice"]

    await manual_payment(graphql, order["id"], "39.80", "later")

    read = (await graphql.admin(INVOICE, {"id": invoice["id"]}))["invoice"]
    assert read["balance"]["amount"] == "0.00"


async def test_a_refunded_return_of_an_invoiced_order_credits_the_returned_lines(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 2))
    await manual_payment(graphql, order["id"], "39.80", "paid")
    invoice = (await issue(graphql, order["id"]))["invoice"]
    rma = await approved_return(graphql, order["id"], ("TEE-S", 1, "too small"))
    await receive(graphql, rma["id"], shop.store, ("TEE-S", 1, "RESTOCK"))

    refunded = await refund_return(graphql, rma["id"])

    assert refunded["userErrors"] == []
    read = (await graphql.admin(INVOICE, {"id": invoice["id"]}))["invoice"]
    assert read["creditNotes"] == [
        {
            "number": f"CN-{year()}-000001",
            "total": {"amount": "19.90"},
            "lines": [{"name": "S", "quantity": 1, "total": {"amount": "19.90"}}],
        }
    ]


async def test_a_refund_of_an_invoiced_order_issues_a_credit_note(graphql, shop):
    order = await placed_order(graphql, ("TEE-S", 2), customerEmail=shop.customer)
    await manual_payment(graphql, order["id"], "39.80", "paid")
    invoice = (await issue(graphql, order["id"]))["invoice"]

    refunded = await graphql.admin(
        REFUND_ORDER,
        {
            "input": {
                "orderId": order["id"],
                "amount": "5.00",
                "reason": "scratched",
                "idempotencyKey": "goodwill",
            }
        },
    )

    assert refunded["refundOrder"]["userErrors"] == []
    read = (await graphql.admin(INVOICE, {"id": invoice["id"]}))["invoice"]
    assert read["creditNotes"] == [
        {
            "number": f"CN-{year()}-000001",
            "total": {"amount": "5.00"},
            "lines": [{"name": "Refund: scratched", "quantity": 1, "total": {"amount": "5.00"}}],
        }
    ]
    notes = await graphql.admin(INVOICES, {"filter": {"kind": "CREDIT_NOTE"}})
    note = notes["invoices"]["edges"][0]["node"]
    assert note["invoice"] == {"number": invoice["number"]}
    assert note["balance"]["amount"] == "0.00"


async def test_customers_see_only_their_own_invoices(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer)))[
        "order"
    ]
    invoice = (await issue(graphql, order["id"]))["invoice"]
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)

    own = await graphql.data(INVOICES, token=ada)
    others = await graphql.data(INVOICES, token=bob)
    peeked = await graphql.data(INVOICE, {"id": invoice["id"]}, token=bob)

    assert [e["node"]["number"] for e in own["invoices"]["edges"]] == [invoice["number"]]
    assert others["invoices"]["totalCount"] == 0
    assert peeked["invoice"] is None


async def test_the_pdf_opens_and_holds_the_number_and_total(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 2), customerEmail=shop.customer)))[
        "order"
    ]
    invoice = (await issue(graphql, order["id"]))["invoice"]
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)

    response = await graphql.http.get(invoice["pdfUrl"], headers={"Authorization": f"Bearer {ada}"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert invoice["number"] in text
    assert "39.80 USD" in text


async def test_the_pdf_of_an_invoice_the_caller_may_not_see_is_not_found(graphql, shop):
    order = (await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer)))[
        "order"
    ]
    invoice = (await issue(graphql, order["id"]))["invoice"]
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)

    foreign = await graphql.http.get(invoice["pdfUrl"], headers={"Authorization": f"Bearer {bob}"})
    anonymous = await graphql.http.get(invoice["pdfUrl"])
    missing = await graphql.http.get(
        "/invoices/99999.pdf", headers={"Authorization": f"Bearer {graphql.token(Role.ADMIN)}"}
    )

    assert (foreign.status_code, anonymous.status_code, missing.status_code) == (404, 404, 404)


async def test_receivables_age_open_invoices_into_buckets_with_totals(graphql, shop):
    await trade_customer(graphql, shop.customer, terms="NET_15")
    order = await confirmed_wholesale_order(graphql, shop.customer, ("TEE-S", 2))
    await ship(graphql, order["id"], ("TEE-S", 1))
    await ship(graphql, order["id"], ("TEE-S", 1))
    due = today() + timedelta(days=15)

    on_time = await graphql.admin(RECEIVABLES, {"asOf": today().isoformat()})
    late = await graphql.admin(RECEIVABLES, {"asOf": (due + timedelta(days=45)).isoformat()})

    assert [r["bucket"] for r in on_time["receivables"]["invoices"]] == ["CURRENT", "CURRENT"]
    assert [(r["daysOverdue"], r["bucket"]) for r in late["receivables"]["invoices"]] == [
        (45, "DAYS_31_60"),
        (45, "DAYS_31_60"),
    ]
    assert late["receivables"]["totals"] == [
        {"bucket": "DAYS_31_60", "total": {"amount": "39.80", "currency": "USD"}, "count": 2}
    ]


async def test_receivables_are_aged_on_the_servers_clock_by_default(graphql, shop, database):
    await trade_customer(graphql, shop.customer, terms="NET_15")
    order = await confirmed_wholesale_order(graphql, shop.customer, ("TEE-S", 2))
    await ship(graphql, order["id"], ("TEE-S", 2))
    later = datetime.now(UTC) + timedelta(days=15 + 45)

    async with client_of(build_app(database, clock=lambda: later)) as client:
        aged = await client.admin(RECEIVABLES)

    assert aged["receivables"]["asOf"] == later.date().isoformat()
    assert [(r["daysOverdue"], r["bucket"]) for r in aged["receivables"]["invoices"]] == [
        (45, "DAYS_31_60")
    ]


async def test_only_staff_and_admins_read_receivables(graphql, shop):
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)

    refused = await graphql.post(RECEIVABLES, token=ada)

    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_customer_payment_pays_invoices_oldest_due_first_and_keeps_the_rest(graphql, shop):
    customer = await trade_customer(graphql, shop.customer, terms="NET_30")
    order = await confirmed_wholesale_order(graphql, shop.customer, ("TEE-S", 2))
    await ship(graphql, order["id"], ("TEE-S", 1))
    await ship(graphql, order["id"], ("TEE-S", 1))

    paid = await customer_payment(graphql, customer["id"], "50.00", "transfer-1")

    assert paid["userErrors"] == []
    assert paid["customerPayment"]["allocated"]["amount"] == "39.80"
    assert paid["customerPayment"]["unallocated"]["amount"] == "10.20"
    assert [(i["number"], i["balance"]["amount"]) for i in paid["invoices"]] == [
        (f"INV-{year()}-000001", "0.00"),
        (f"INV-{year()}-000002", "0.00"),
    ]
    assert paid["invoices"][0]["order"]["paymentStatus"] == "PAID"
    assert paid["invoices"][0]["order"]["totalPaid"]["amount"] == "39.80"
    again = await customer_payment(graphql, customer["id"], "50.00", "transfer-1")
    assert again["customerPayment"] == paid["customerPayment"]
    assert again["invoices"][0]["order"]["totalPaid"]["amount"] == "39.80"


async def test_a_customer_payment_as_given_never_passes_an_invoice_balance(graphql, shop):
    customer = await trade_customer(graphql, shop.customer)
    order = await confirmed_wholesale_order(graphql, shop.customer, ("TEE-S", 1))
    await ship(graphql, order["id"], ("TEE-S", 1))
    invoice = (await order_invoices(graphql, order["id"]))[0]
    read = await graphql.admin(INVOICES, {"filter": {"orderId": order["id"]}})
    invoice_id = read["invoices"]["edges"][0]["node"]["id"]

    refused = await customer_payment(
        graphql, customer["id"], "30.00", "t-1", [{"invoiceId": invoice_id, "amount": "20.00"}]
    )
    paid = await customer_payment(
        graphql, customer["id"], "30.00", "t-2", [{"invoiceId": invoice_id, "amount": "5.00"}]
    )

    assert refused["userErrors"][0]["code"] == "AMOUNT_EXCEEDS_BALANCE"
    assert invoice["balance"]["amount"] == "19.90"
    assert paid["invoices"][0]["balance"]["amount"] == "14.90"
    assert paid["customerPayment"]["unallocated"]["amount"] == "25.00"


INVOICES_PAGE = f"""
query($first: Int) {{ invoices(first: $first) {{ edges {{ node {{ {INVOICE_FIELDS} }} }} }} }}"""


async def test_a_page_of_invoices_costs_the_same_statements_whatever_its_size(
    graphql, database, shop
):
    for _ in range(4):
        order = await placed_order(graphql, ("TEE-S", 1), customerEmail=shop.customer)
        await manual_payment(graphql, order["id"], "19.90", f"pay-{order['id']}")
        await issue(graphql, order["id"])
    counts = {}

    for first in (1, 4):
        counts[first], data = await statements_for(graphql, database, INVOICES_PAGE, first)
        assert len(data["invoices"]["edges"]) == first

    assert counts[1] == counts[4]  # page, lines, allocations, orders, customers, credit notes
