"""A provider that declines a refund stops the command that needed it, whole: the order is
not cancelled, the return stays RECEIVED, the counter-return batch records nothing. Nobody
is told money went back that did not. (The test provider declines every refund of a card
paid with `tok_refund_fails`.)"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from api.payments.test_gateway import event_body, signed_headers
from domain.access import Role
from domain.money import Money
from persistence.database import Database
from tests.api.conftest import GraphQL
from tests.api.orders_documents import status_mutation
from tests.api.payments_documents import (
    AUTHORIZE_PAYMENT,
    ORDER_PAYMENTS,
    TEST_PROVIDER_SECRET,
    client_with_test_provider,
    placed_order,
)
from tests.api.pos_returns_documents import counter_return, sync
from tests.api.returns_documents import approved_return, receive, shipped_order

CANCEL_ORDER = status_mutation("cancelOrder")
REFUND_RETURN = """
mutation($input: RefundReturnInput!) {
  refundReturn(input: $input) { return { status } userErrors { field code message } }
}"""
RETURN_STATUS = "query($id: ID!) { return(id: $id) { status refunds { id } } }"
RETURNS = "query { returns(first: 10) { totalCount } }"


@pytest.fixture
async def graphql(database: Database) -> AsyncIterator[GraphQL]:
    """A client of an app with the test provider, which posts no webhooks by itself."""
    async with client_with_test_provider(database) as client:
        yield client


async def paid_by_a_card_that_refunds_nothing(graphql: GraphQL, order: dict[str, Any]) -> None:
    """The order paid in full by the test provider (a sale), every refund of it declined."""
    data = await graphql.admin(
        AUTHORIZE_PAYMENT,
        {
            "input": {
                "orderId": order["id"],
                "provider": "test",
                "method": "CARD",
                "token": "tok_refund_fails",
                "idempotencyKey": "pay",
            }
        },
    )
    payment = data["authorizePayment"]["payment"]
    total = Money.of(order["total"]["amount"], "USD")
    body = event_body("payment.captured", payment["providerReference"], total)
    response = await graphql.http.post(
        "/webhooks/payments/test",
        content=body,
        headers=signed_headers(TEST_PROVIDER_SECRET, body, int(time.time())),
    )
    assert response.status_code == 200
    assert (await money_of(graphql, order))["paymentStatus"] == "PAID"


async def money_of(graphql: GraphQL, order: dict[str, Any]) -> dict[str, Any]:
    return (await graphql.admin(ORDER_PAYMENTS, {"id": order["id"]}))["order"]


async def test_an_order_whose_refund_is_declined_is_not_cancelled(graphql, shop):
    pending = await placed_order(graphql, ("TEE-S", 1))
    await paid_by_a_card_that_refunds_nothing(graphql, pending)

    payload = (await graphql.admin(CANCEL_ORDER, {"input": {"orderId": pending["id"]}}))[
        "cancelOrder"
    ]

    assert payload["userErrors"][0]["code"] == "PAYMENT_DECLINED"
    money = await money_of(graphql, pending)
    assert (money["status"], money["paymentStatus"]) == ("PENDING", "PAID")
    assert money["totalRefunded"]["amount"] == "0.00"


async def test_a_return_whose_refund_is_declined_stays_received(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 1))
    await paid_by_a_card_that_refunds_nothing(graphql, order)
    rma = await approved_return(graphql, order["id"], ("TEE-S", 1, ""))
    await receive(graphql, rma["id"], shop.store, ("TEE-S", 1, "RESTOCK"))

    payload = (await graphql.admin(REFUND_RETURN, {"input": {"returnId": rma["id"]}}))[
        "refundReturn"
    ]

    assert payload["userErrors"][0]["code"] == "PAYMENT_DECLINED"
    read = (await graphql.admin(RETURN_STATUS, {"id": rma["id"]}))["return"]
    assert read == {"status": "RECEIVED", "refunds": []}
    assert (await money_of(graphql, order))["totalRefunded"]["amount"] == "0.00"


async def test_a_counter_return_whose_refund_is_declined_refuses_its_batch(graphql, shop):
    order = await shipped_order(graphql, ("TEE-S", 2))
    await paid_by_a_card_that_refunds_nothing(graphql, order)
    till = graphql.token(Role.POS, locations=(shop.store,))

    payload = await sync(graphql, counter_return(order, ("TEE-S", 1)), token=till)

    assert payload["userErrors"][0]["code"] == "PAYMENT_DECLINED"
    assert payload["results"] == []
    assert (await graphql.admin(RETURNS))["returns"]["totalCount"] == 0
    assert (await money_of(graphql, order))["totalRefunded"]["amount"] == "0.00"
