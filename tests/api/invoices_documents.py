"""GraphQL documents and helpers shared by the invoice tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.access import Role
from tests.api.orders_documents import SHIP_ORDER, change, place
from tests.api.wholesale_documents import (
    assign_group,
    create_group,
    customer_by_email,
    wholesale_order,
)

INVOICE_FIELDS = """
  id number kind issuedAt dueDate pdfUrl
  total { amount currency } allocated { amount } balance { amount }
  lines { sku name quantity unitPrice { amount } total { amount } }
  allocations { amount { amount } reference }
  order { id number }
  customer { email }
  invoice { number }
  creditNotes { number total { amount } lines { name quantity total { amount } } }
"""
ISSUE_INVOICE = f"""
mutation($input: IssueInvoiceInput!) {{ issueInvoice(input: $input) {{
  invoice {{ {INVOICE_FIELDS} }} userErrors {{ field code message }} }} }}"""
INVOICE = f"query($id: ID!) {{ invoice(id: $id) {{ {INVOICE_FIELDS} }} }}"
INVOICES = f"""
query($filter: InvoiceFilter) {{ invoices(first: 50, filter: $filter) {{
  totalCount edges {{ node {{ {INVOICE_FIELDS} }} }} }} }}"""
SET_TERMS = """
mutation($input: SetCustomerGroupPaymentTermsInput!) {
  setCustomerGroupPaymentTerms(input: $input) {
    customerGroup { code paymentTerms } userErrors { field code message } } }"""
RECEIVABLES = """
query($asOf: Date, $customerId: ID) { receivables(asOf: $asOf, customerId: $customerId) {
  asOf
  invoices { invoice { number dueDate } balance { amount currency } daysOverdue bucket
             customerEmail }
  totals { bucket total { amount currency } count }
} }"""
RECORD_CUSTOMER_PAYMENT = """
mutation($input: RecordCustomerPaymentInput!) { recordCustomerPayment(input: $input) {
  customerPayment { amount { amount currency } allocated { amount } unallocated { amount }
                    reference receivedOn }
  invoices { number balance { amount } order { paymentStatus totalPaid { amount } } }
  userErrors { field code message }
} }"""
ORDER_INVOICES = """
query($orderId: ID!) { invoices(first: 50, filter: {orderId: $orderId}) {
  edges { node { number kind total { amount } balance { amount } dueDate } } } }"""


def year() -> int:
    return datetime.now(UTC).year


async def trade_customer(graphql: Any, email: str, terms: str | None = None) -> dict[str, Any]:
    """The customer with `email`, in the group TRADE (created if need be), with `terms`."""
    await create_group(graphql)  # DUPLICATE when it exists already, which is as good
    customer = await customer_by_email(graphql, email)
    assert customer is not None
    assert (await assign_group(graphql, customer["id"]))["userErrors"] == []
    if terms is not None:
        set_terms = await graphql.admin(
            SET_TERMS, {"input": {"groupCode": "TRADE", "paymentTerms": terms}}
        )
        assert set_terms["setCustomerGroupPaymentTerms"]["userErrors"] == []
    return customer


async def confirmed_wholesale_order(
    graphql: Any, email: str, *lines: tuple[str, int]
) -> dict[str, Any]:
    placed = await place(graphql, wholesale_order(*lines, customerEmail=email))
    assert placed["userErrors"] == [], placed
    await change(graphql, "confirmOrder", placed["order"]["id"])
    return placed["order"]


async def ship(graphql: Any, order_id: str, *lines: tuple[str, int]) -> dict[str, Any]:
    shipped = await graphql.admin(
        SHIP_ORDER,
        {
            "input": {
                "orderId": order_id,
                "carrier": "UPS",
                "trackingNumber": "1Z",
                "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
            }
        },
    )
    assert shipped["shipOrder"]["userErrors"] == [], shipped
    return shipped["shipOrder"]["order"]


async def issue(graphql: Any, order_id: str, key: str | None = None) -> dict[str, Any]:
    data = await graphql.admin(
        ISSUE_INVOICE, {"input": {"orderId": order_id, "idempotencyKey": key}}
    )
    return data["issueInvoice"]


async def order_invoices(graphql: Any, order_id: str) -> list[dict[str, Any]]:
    data = await graphql.admin(ORDER_INVOICES, {"orderId": order_id})
    return [edge["node"] for edge in reversed(data["invoices"]["edges"])]  # oldest first


async def customer_payment(
    graphql: Any,
    customer_id: str,
    amount: str,
    key: str,
    allocations: list[dict[str, str]] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    data = await graphql.data(
        RECORD_CUSTOMER_PAYMENT,
        {
            "input": {
                "customerId": customer_id,
                "amount": {"amount": amount, "currency": "USD"},
                "reference": f"BANK-{key}",
                "receivedOn": datetime.now(UTC).date().isoformat(),
                "allocations": allocations,
                "idempotencyKey": key,
            }
        },
        token=token or graphql.token(Role.ADMIN),
    )
    return data["recordCustomerPayment"]
