"""Webhooks may follow ORDER_PAYMENT_CHANGED: each money event of an order is delivered,
signed, its payload chosen by the webhook's query as for any other event."""

from __future__ import annotations

from tests.api.conftest import Shop
from tests.api.payments_documents import manual_payment, placed_order
from tests.api.test_webhooks import HOOK_SECRET, Serve, hook_for, serve, verify
from tests.api.webhook_receiver import receiving

__all__ = ["serve"]  # the fixture, shared with the webhook tests

PAYMENT_PAYLOAD_QUERY = """
subscription { event { ... on OrderPaymentEvent {
  sequence entryKind amount { amount currency } paymentState order { number }
} } }"""


async def test_a_webhook_on_payment_changes_receives_each_entry_with_its_query(
    serve: Serve, shop: Shop
) -> None:
    # given a webhook that follows money events only, with a query choosing its payload
    with receiving() as receiver:
        async with serve() as graphql:
            await hook_for(
                graphql, receiver, events=["ORDER_PAYMENT_CHANGED"], query=PAYMENT_PAYLOAD_QUERY
            )
            # when an order is placed (a status event: not followed) and paid
            order = await placed_order(graphql, ("TEE-S", 1))
            paid = await manual_payment(graphql, order["id"], "19.90", "hooked")
            assert paid["userErrors"] == []
            requests = await receiver.wait_for(2)
    # then the two ledger entries arrive, signed, as the query chose them
    bodies = sorted((request.json for request in requests), key=lambda body: body["sequence"])
    assert bodies == [
        {
            "sequence": sequence,
            "entryKind": kind,
            "amount": {"amount": "19.90", "currency": "USD"},
            "paymentState": "CAPTURED",
            "order": {"number": order["number"]},
        }
        for sequence, kind in ((1, "AUTHORIZATION"), (2, "CAPTURE"))
    ]
    for request in requests:
        assert request.header("Omniorder-Event") == "OrderPaymentChanged"
        assert verify(HOOK_SECRET, request.header("Omniorder-Signature"), request.body)
