"""GraphQL documents and helpers shared by the payment tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from api.payments.registry import close_gateways
from api.settings import PaymentSettings
from persistence.database import Database
from tests.api.conftest import GraphQL, build_app, client_of

TEST_PROVIDER_SECRET = "test-payments-secret-for-the-api-tests"

PAYMENT_FIELDS = """
  id method provider providerReference state failureReason
  amount { amount currency } authorized { amount } captured { amount }
  refunded { amount } capturable { amount } refundable { amount }
  entries { sequence kind amount { amount } reason actor }
"""
ORDER_MONEY = """
  id number status paymentStatus total { amount currency }
  totalPaid { amount } totalRefunded { amount } balanceDue { amount }
"""
PAYMENT_PAYLOAD = f"""
  payment {{ {PAYMENT_FIELDS} }}
  order {{ {ORDER_MONEY} }}
  userErrors {{ field code message }}
"""
REFUND_PAYLOAD = f"""
  refunds {{ kind amount {{ amount }} reason payment {{ id }} }}
  order {{ {ORDER_MONEY} }}
  userErrors {{ field code message }}
"""
AUTHORIZE_PAYMENT = f"""
mutation($input: AuthorizePaymentInput!) {{
  authorizePayment(input: $input) {{ {PAYMENT_PAYLOAD} }}
}}"""
CAPTURE_PAYMENT = f"""
mutation($input: CapturePaymentInput!) {{
  capturePayment(input: $input) {{ {PAYMENT_PAYLOAD} }}
}}"""
VOID_PAYMENT = f"""
mutation($input: VoidPaymentInput!) {{ voidPayment(input: $input) {{ {PAYMENT_PAYLOAD} }} }}"""
RECORD_MANUAL_PAYMENT = f"""
mutation($input: RecordManualPaymentInput!) {{
  recordManualPayment(input: $input) {{ {PAYMENT_PAYLOAD} }}
}}"""
REFUND_PAYMENT = f"""
mutation($input: RefundPaymentInput!) {{ refundPayment(input: $input) {{ {REFUND_PAYLOAD} }} }}"""
REFUND_ORDER = f"""
mutation($input: RefundOrderInput!) {{ refundOrder(input: $input) {{ {REFUND_PAYLOAD} }} }}"""
ORDER_PAYMENTS = f"""
query($id: ID!) {{ order(id: $id) {{ {ORDER_MONEY} payments {{ {PAYMENT_FIELDS} }} }} }}"""
PLACE_ORDER = f"""
mutation($input: PlaceOrderInput!) {{
  placeOrder(input: $input) {{ order {{ {ORDER_MONEY} }} userErrors {{ field code message }} }}
}}"""


async def placed_order(graphql: GraphQL, *lines: tuple[str, int], **extra: Any) -> dict[str, Any]:
    """A WEB SHIPPING order placed by an admin: its id, number, total and money fields."""
    data = await graphql.admin(
        PLACE_ORDER,
        {
            "input": {
                "channel": "WEB",
                "fulfilment": "SHIPPING",
                "shippingAddress": {
                    "line1": "1 Main Street",
                    "city": "Springfield",
                    "postalCode": "62701",
                    "country": "US",
                },
                "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
            }
            | extra
        },
    )
    assert data["placeOrder"]["userErrors"] == []
    return data["placeOrder"]["order"]


async def manual_payment(
    graphql: GraphQL, order_id: str, amount: str, key: str, method: str = "BANK_TRANSFER"
) -> dict[str, Any]:
    data = await graphql.admin(
        RECORD_MANUAL_PAYMENT,
        {
            "input": {
                "orderId": order_id,
                "amount": amount,
                "method": method,
                "reference": f"ref-{key}",
                "idempotencyKey": key,
            }
        },
    )
    return data["recordManualPayment"]


@contextlib.asynccontextmanager
async def client_with_test_provider(database: Database) -> AsyncIterator[GraphQL]:
    """A client of an app that offers the test provider (signing with TEST_PROVIDER_SECRET),
    which posts no webhooks by itself: a test delivers them."""
    app = build_app(database, payments=PaymentSettings(test_secret=TEST_PROVIDER_SECRET))
    async with client_of(app) as client:
        yield client
    await close_gateways(app.state.payment_gateways)
