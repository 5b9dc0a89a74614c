"""Webhooks through the API, against a real HTTP receiver on 127.0.0.1: signed deliveries,
payloads chosen by a query, retries, failure and automatic disabling, replay, and the
rules on who may manage webhooks and where they may point."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import ColumnElement, update

from api.app import create_app
from api.broker import EventHub
from api.context import Context
from api.relay import prune
from api.schema import schema
from api.settings import Settings, WebhookSettings
from domain.access import Principal, Role
from domain.model.webhooks import RetryPolicy
from persistence import outbox
from persistence.database import Database
from persistence.records import WebhookDeliveryRecord
from tests.api.conftest import SECRET, GraphQL, Shop
from tests.api.orders_documents import place, shipping_order
from tests.api.webhook_receiver import Receiver, receiving, verify

HOOK_SECRET = "whsec-0123456789abcdef"
WEBHOOK_FIELDS = "id url events query active consecutiveFailures disabledReason"
CREATE_WEBHOOK = f"""
mutation($input: CreateWebhookInput!) {{
  createWebhook(input: $input) {{
    webhook {{ {WEBHOOK_FIELDS} }} userErrors {{ field code message }}
  }}
}}"""


def switch_webhook(mutation: str) -> str:
    return f"""
mutation($id: ID!) {{
  {mutation}(input: {{webhookId: $id}}) {{
    webhook {{ {WEBHOOK_FIELDS} }} userErrors {{ code }}
  }}
}}"""


UPDATE_WEBHOOK = f"""
mutation($input: UpdateWebhookInput!) {{
  updateWebhook(input: $input) {{
    webhook {{ {WEBHOOK_FIELDS} }} userErrors {{ field code message }}
  }}
}}"""
DELETE_WEBHOOK = """
mutation($id: ID!) {
  deleteWebhook(input: {webhookId: $id}) { deletedWebhookId userErrors { field code } }
}"""
DISABLE_WEBHOOK = switch_webhook("disableWebhook")
ENABLE_WEBHOOK = switch_webhook("enableWebhook")
REPLAY_WEBHOOK = """
mutation($id: ID!, $from: Int!) {
  replayWebhook(input: {webhookId: $id, fromSequence: $from}) {
    webhook { id } userErrors { field code message }
  }
}"""
WEBHOOKS = f"query {{ webhooks {{ totalCount edges {{ node {{ {WEBHOOK_FIELDS} }} }} }} }}"
DELIVERIES = """
query($id: ID!, $status: WebhookDeliveryStatus) {
  webhookDeliveries(webhookId: $id, status: $status) {
    totalCount
    edges { node {
      id eventType eventSequence eventId status attempts lastResponseStatusCode lastError
      nextAttemptAt createdAt deliveredAt
    } }
  }
}"""
ORDER_PAYLOAD_QUERY = """
subscription { event { ... on OrderStatusEvent {
  status order { number status total { amount currency } }
} } }"""
FAST = WebhookSettings(
    allow_private=True,
    retry=RetryPolicy(base_seconds=0.05, max_attempts=3, disable_after=1),
    timeout_seconds=2.0,
    poll_seconds=0.05,
)
STRICT = dataclasses.replace(FAST, allow_private=False)
Serve = Callable[..., AbstractAsyncContextManager[GraphQL]]


@pytest.fixture
def serve(database: Database) -> Serve:
    """The app with its lifespan running (relay and webhook dispatcher), as a client."""

    @asynccontextmanager
    async def running(webhooks: WebhookSettings = FAST) -> AsyncIterator[GraphQL]:
        settings = Settings(database_url=str(database.url), secret=SECRET, webhooks=webhooks)
        app = create_app(settings, database=database)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as http,
        ):
            yield GraphQL(http, app.state.tokens)

    return running


async def create_webhook(graphql: GraphQL, url: str, **fields: Any) -> dict[str, Any]:
    webhook_input = {"url": url, "events": ["ORDER_STATUS_CHANGED"], "secret": HOOK_SECRET}
    data = await graphql.admin(CREATE_WEBHOOK, {"input": webhook_input | fields})
    return data["createWebhook"]


async def hook_for(graphql: GraphQL, receiver: Receiver, **fields: Any) -> str:
    created = await create_webhook(graphql, receiver.url, **fields)
    assert created["userErrors"] == []
    return created["webhook"]["id"]


async def deliveries(graphql: GraphQL, webhook_id: str, **filters: Any) -> list[dict[str, Any]]:
    data = await graphql.admin(DELIVERIES, {"id": webhook_id} | filters)
    return [edge["node"] for edge in data["webhookDeliveries"]["edges"]]


async def relayed(database: Database) -> None:
    """Once every event stored so far has been published and queued for webhooks."""
    for _ in range(300):
        async with database.read_session() as session:
            if not (
                await outbox.has_unpublished(session)
                or await outbox.has_unqueued_for_webhooks(session)
            ):
                return
        await asyncio.sleep(0.02)
    raise AssertionError("the outbox was not relayed")


async def settled(graphql: GraphQL, webhook_id: str, count: int) -> list[dict[str, Any]]:
    """The webhook's deliveries, once `count` of them are DELIVERED or FAILED."""
    for _ in range(300):
        found = await deliveries(graphql, webhook_id)
        if sum(d["status"] != "PENDING" for d in found) >= count:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"deliveries did not settle: {found}")


async def test_an_order_event_is_delivered_signed_with_the_webhooks_secret(
    serve: Serve, shop: Shop
) -> None:
    # given a webhook on order status changes
    with receiving() as receiver:
        async with serve() as graphql:
            webhook_id = await hook_for(graphql, receiver)
            # when an order is placed
            order = (await place(graphql, shipping_order(("TEE-S", 1))))["order"]
            [request] = await receiver.wait_for(1)
            [delivery] = await settled(graphql, webhook_id, 1)
    # then the receiver got the event's message, signed, with its headers
    assert verify(HOOK_SECRET, request.header("Omniorder-Signature"), request.body)
    assert not verify("another-secret-0123", request.header("Omniorder-Signature"), request.body)
    assert request.header("Content-Type") == "application/json"
    assert request.header("Omniorder-Event") == "OrderStatusChanged"
    assert request.json["kind"] == "OrderStatusChanged"
    assert request.json["status"] == order["status"]
    assert request.header("Omniorder-Delivery") == delivery["id"]
    assert request.header("Omniorder-Sequence") == str(delivery["eventSequence"])
    assert delivery["eventType"] == "ORDER_STATUS_CHANGED"
    assert delivery["eventId"] == request.json["eventId"]
    assert (delivery["status"], delivery["attempts"]) == ("DELIVERED", 1)
    assert delivery["lastResponseStatusCode"] == 200
    assert delivery["deliveredAt"] is not None and delivery["nextAttemptAt"] is None


async def test_the_webhooks_query_chooses_the_payloads_fields(serve: Serve, shop: Shop) -> None:
    # given a webhook whose query selects the order's number, status and total
    with receiving() as receiver:
        async with serve() as graphql:
            await hook_for(graphql, receiver, query=ORDER_PAYLOAD_QUERY)
            # when an order is placed
            order = (await place(graphql, shipping_order(("TEE-S", 2))))["order"]
            [request] = await receiver.wait_for(1)
    # then the body holds exactly those fields, resolved as a query would
    assert request.json == {
        "status": order["status"],
        "order": {
            "number": order["number"],
            "status": order["status"],
            "total": order["total"],
        },
    }
    assert verify(HOOK_SECRET, request.header("Omniorder-Signature"), request.body)


async def test_one_query_serves_every_event_type_of_a_webhook(
    serve: Serve, shop: Shop, database: Database
) -> None:
    # given a webhook on orders and stock, whose query has a fragment for each
    query = """
    subscription { event {
      __typename
      ... on OrderStatusEvent { status }
      ... on StockLevel { onHand reserved location { code } variant { sku } }
    } }"""
    events = ["ORDER_STATUS_CHANGED", "STOCK_LEVEL_CHANGED"]
    with receiving() as receiver:
        async with serve() as graphql:
            await relayed(database)  # the shop's stock, received before the webhook existed
            await hook_for(graphql, receiver, query=query, events=events)
            # when an order reserves two units at the warehouse
            await place(graphql, shipping_order(("TEE-S", 2)))
            requests = await receiver.wait_for(2)
    # then the order event and the stock change each came with their own fields
    bodies = {r.header("Omniorder-Event"): r.json for r in requests}
    assert bodies["OrderStatusChanged"] == {"__typename": "OrderStatusEvent", "status": "PENDING"}
    assert bodies["StockLevelChanged"] == {
        "__typename": "StockLevel",
        "onHand": 10,
        "reserved": 2,
        "location": {"code": "WH-A"},
        "variant": {"sku": "TEE-S"},
    }


async def test_a_delivery_answered_500_is_retried_with_the_same_body(
    serve: Serve, shop: Shop
) -> None:
    # given a receiver that answers 500 once, then 200
    with receiving(statuses=[500]) as receiver:
        async with serve() as graphql:
            webhook_id = await hook_for(graphql, receiver, query=ORDER_PAYLOAD_QUERY)
            # when an event is delivered
            await place(graphql, shipping_order(("TEE-S", 1)))
            first, second = await receiver.wait_for(2)
            [delivery] = await settled(graphql, webhook_id, 1)
            [webhook] = (await graphql.admin(WEBHOOKS))["webhooks"]["edges"]
    # then the second attempt sent the very same bytes, and the delivery succeeded
    assert first.body == second.body
    assert first.header("Omniorder-Delivery") == second.header("Omniorder-Delivery")
    assert verify(HOOK_SECRET, second.header("Omniorder-Signature"), second.body)
    assert (delivery["status"], delivery["attempts"]) == ("DELIVERED", 2)
    assert delivery["lastResponseStatusCode"] == 200
    assert webhook["node"]["active"] is True
    assert webhook["node"]["consecutiveFailures"] == 0


async def test_after_its_last_attempt_a_delivery_fails_and_disables_the_webhook(
    serve: Serve, shop: Shop, database: Database
) -> None:
    # given a receiver that always answers 500 (three attempts; one FAILED delivery disables)
    with receiving(statuses=[500] * 10) as receiver:
        async with serve() as graphql:
            webhook_id = await hook_for(graphql, receiver)
            # when an event is sent
            await place(graphql, shipping_order(("TEE-S", 1)))
            [delivery] = await settled(graphql, webhook_id, 1)
            [webhook] = (await graphql.admin(WEBHOOKS))["webhooks"]["edges"]
            # and no further event reaches the disabled webhook
            await place(graphql, shipping_order(("TEE-S", 1)))
            await relayed(database)
            waiting = await deliveries(graphql, webhook_id)
            enabled = await graphql.admin(ENABLE_WEBHOOK, {"id": webhook_id})
    # then it was tried three times, FAILED, and the webhook was disabled, saying why
    assert len(receiver.requests) == 3
    assert (delivery["status"], delivery["attempts"]) == ("FAILED", 3)
    assert (delivery["lastResponseStatusCode"], delivery["lastError"]) == (500, "HTTP 500")
    assert delivery["nextAttemptAt"] is None
    assert webhook["node"]["active"] is False
    assert webhook["node"]["consecutiveFailures"] == 1
    assert "1 deliveries in a row failed (last: HTTP 500)" in webhook["node"]["disabledReason"]
    assert len(waiting) == 1
    # and enabling it again forgets the failures
    assert enabled["enableWebhook"]["webhook"]["active"] is True
    assert enabled["enableWebhook"]["webhook"]["consecutiveFailures"] == 0
    assert enabled["enableWebhook"]["webhook"]["disabledReason"] is None


async def test_a_disabled_webhook_gets_no_deliveries(
    serve: Serve, shop: Shop, database: Database
) -> None:
    with receiving() as receiver:
        async with serve() as graphql:
            # given a webhook an admin disabled
            webhook_id = await hook_for(graphql, receiver)
            disabled = await graphql.admin(DISABLE_WEBHOOK, {"id": webhook_id})
            # when an order is placed
            await place(graphql, shipping_order(("TEE-S", 1)))
            await relayed(database)
            # then nothing is queued for it
            webhook = disabled["disableWebhook"]["webhook"]
            assert (webhook["active"], webhook["disabledReason"]) == (False, "by admin")
            assert await deliveries(graphql, webhook_id) == []
    assert receiver.requests == []


async def test_a_redirect_is_not_followed_but_fails_the_attempt(serve: Serve, shop: Shop) -> None:
    # given a receiver that first answers 302 (with a Location elsewhere), then 200
    with receiving(statuses=[302]) as receiver:
        async with serve() as graphql:
            webhook_id = await hook_for(graphql, receiver)
            # when an event is delivered
            await place(graphql, shipping_order(("TEE-S", 1)))
            [delivery] = await settled(graphql, webhook_id, 1)
    # then the 302 counted as a failed attempt, and the retry went to the webhook's URL
    assert [r.path for r in receiver.requests] == ["/hooks", "/hooks"]
    assert (delivery["status"], delivery["attempts"]) == ("DELIVERED", 2)


async def test_where_a_request_goes_is_checked_again_when_it_is_sent(
    serve: Serve, shop: Shop, database: Database
) -> None:
    # given a webhook to 127.0.0.1 made while private addresses were allowed
    with receiving() as receiver:
        async with serve() as graphql:
            webhook_id = await hook_for(graphql, receiver)
        # when the servers no longer allow them and an event is sent
        async with serve(dataclasses.replace(STRICT, retry=RetryPolicy(0.05, 2, 5))) as graphql:
            await place(graphql, shipping_order(("TEE-S", 1)))
            [delivery] = await settled(graphql, webhook_id, 1)
    # then no request left: each attempt was refused before connecting
    assert receiver.requests == []
    assert (delivery["status"], delivery["attempts"]) == ("FAILED", 2)
    assert delivery["lastResponseStatusCode"] is None
    assert "127.0.0.1, a private, loopback or reserved address" in delivery["lastError"]


async def test_replay_sends_the_events_from_a_sequence_again(serve: Serve, shop: Shop) -> None:
    # given two order events delivered
    with receiving() as receiver:
        async with serve() as graphql:
            webhook_id = await hook_for(graphql, receiver)
            await place(graphql, shipping_order(("TEE-S", 1)))
            await place(graphql, shipping_order(("TEE-M", 1)))
            delivered = await settled(graphql, webhook_id, 2)
            second = max(d["eventSequence"] for d in delivered)
            # when the webhook is replayed from the second event's sequence
            replayed = await graphql.admin(REPLAY_WEBHOOK, {"id": webhook_id, "from": second})
            requests = await receiver.wait_for(3)
            after = await settled(graphql, webhook_id, 3)
    # then that event (and only it) is delivered again, as a new delivery (the first two
    # went out in one batch, in either order)
    assert replayed["replayWebhook"]["userErrors"] == []
    assert len(requests) == 3
    assert requests[2].header("Omniorder-Sequence") == str(second)
    [original] = [r for r in requests[:2] if r.header("Omniorder-Sequence") == str(second)]
    assert requests[2].body == original.body
    assert requests[2].header("Omniorder-Delivery") != original.header("Omniorder-Delivery")
    assert len(after) == 3 and all(d["status"] == "DELIVERED" for d in after)


async def age_deliveries(database: Database, *where: ColumnElement[bool]) -> None:
    """Make the deliveries (those matching `where`) look created 31 days ago."""
    month_ago = datetime.now(UTC) - timedelta(days=31)
    async with database.writing() as session, session.begin():
        await session.execute(
            update(WebhookDeliveryRecord).where(*where).values(created_at=month_ago)
        )


async def test_settled_deliveries_past_the_retention_are_pruned_pending_ones_stay(
    serve: Serve, shop: Shop, database: Database
) -> None:
    # given one delivery DELIVERED and one FAILED a month ago (one attempt each)
    once = dataclasses.replace(FAST, retry=RetryPolicy(0.05, max_attempts=1, disable_after=5))
    with receiving(statuses=[200, 500]) as receiver:
        async with serve(once) as graphql:
            webhook_id = await hook_for(graphql, receiver)
            await place(graphql, shipping_order(("TEE-S", 1)))
            await settled(graphql, webhook_id, 1)
            await place(graphql, shipping_order(("TEE-S", 1)))
            old = await settled(graphql, webhook_id, 2)
            await age_deliveries(database)
            # and one delivered today, and three PENDING a month old (replayed while disabled)
            await place(graphql, shipping_order(("TEE-S", 1)))
            [recent] = [
                d
                for d in await settled(graphql, webhook_id, 3)
                if d["id"] not in {o["id"] for o in old}
            ]
            await graphql.admin(DISABLE_WEBHOOK, {"id": webhook_id})
            first = min(d["eventSequence"] for d in old)
            await graphql.admin(REPLAY_WEBHOOK, {"id": webhook_id, "from": first})
            await age_deliveries(database, WebhookDeliveryRecord.status == "PENDING")
            # when the relay prunes with a retention of 30 days
            await prune(database, datetime.now(UTC), timedelta(days=30))
            kept = await deliveries(graphql, webhook_id)
    # then the old DELIVERED and FAILED ones are gone; today's and the PENDING ones stay
    assert sorted(d["status"] for d in old) == ["DELIVERED", "FAILED"]
    assert [(d["status"], d["id"]) for d in kept if d["status"] != "PENDING"] == [
        ("DELIVERED", recent["id"])
    ]
    assert sorted(d["eventSequence"] for d in kept if d["status"] == "PENDING") == sorted(
        d["eventSequence"] for d in [*old, recent]
    )


async def test_an_updated_webhook_sends_to_its_new_url_signed_with_its_new_secret(
    serve: Serve, shop: Shop
) -> None:
    new_secret = "whsec-new-fedcba9876543210"
    with receiving() as old, receiving() as new:
        async with serve() as graphql:
            # given a webhook to one receiver
            webhook_id = await hook_for(graphql, old)
            # when its URL, secret, events and query change, and an order is placed
            changes = {
                "webhookId": webhook_id,
                "url": new.url,
                "secret": new_secret,
                "events": ["ORDER_STATUS_CHANGED", "STOCK_LEVEL_CHANGED"],
                "query": "subscription { event { __typename } }",
            }
            updated = (await graphql.admin(UPDATE_WEBHOOK, {"input": changes}))["updateWebhook"]
            await place(graphql, shipping_order(("TEE-S", 1)))
            requests = await new.wait_for(2)
            # and its query is removed again
            cleared = await graphql.admin(
                UPDATE_WEBHOOK, {"input": {"webhookId": webhook_id, "query": None}}
            )
    # then both events went to the new URL, signed with the new secret, shaped by the query
    assert updated["userErrors"] == []
    webhook = updated["webhook"]
    assert (webhook["url"], webhook["events"]) == (new.url, changes["events"])
    assert old.requests == []
    assert {r.header("Omniorder-Event"): r.json for r in requests} == {
        "OrderStatusChanged": {"__typename": "OrderStatusEvent"},
        "StockLevelChanged": {"__typename": "StockLevel"},
    }
    assert all(verify(new_secret, r.header("Omniorder-Signature"), r.body) for r in requests)
    assert not verify(HOOK_SECRET, requests[0].header("Omniorder-Signature"), requests[0].body)
    assert cleared["updateWebhook"]["webhook"]["query"] is None
    assert cleared["updateWebhook"]["webhook"]["url"] == new.url


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"url": "http://127.0.0.1:9/hooks"}, "url", "127.0.0.1, a private"),
        ({"url": "ftp://example.com/hooks"}, "url", "http:// or https://"),
        ({"secret": "short"}, "secret", "16-255 characters"),
        ({"events": []}, "events", "at least one"),
        ({"query": "subscription { event { "}, "query", "not GraphQL"),
    ],
)
async def test_an_update_with_a_bad_field_changes_nothing(
    serve: Serve, changes: dict[str, Any], field: str, words: str
) -> None:
    # given a webhook to a public address
    async with serve(STRICT) as graphql:
        created = await create_webhook(graphql, "https://93.184.215.14/hooks")
        webhook_id = created["webhook"]["id"]
        # when an update brings a bad field along with a good one
        update_input = {"webhookId": webhook_id, "events": ["STOCK_LEVEL_CHANGED"]} | changes
        updated = (await graphql.admin(UPDATE_WEBHOOK, {"input": update_input}))["updateWebhook"]
        [listed] = (await graphql.admin(WEBHOOKS))["webhooks"]["edges"]
    # then it is refused on that field, and the webhook is as it was
    assert updated["webhook"] is None
    [error] = updated["userErrors"]
    assert (error["field"], error["code"]) == (["input", field], "INVALID_INPUT")
    assert words in error["message"]
    assert listed["node"] == created["webhook"]


async def test_a_deleted_webhook_loses_its_deliveries_and_gets_no_more(
    serve: Serve, shop: Shop, database: Database
) -> None:
    # given a webhook whose receiver answered 500, so its delivery waits to be retried
    slow = dataclasses.replace(FAST, retry=RetryPolicy(base_seconds=3600))
    with receiving(statuses=[500]) as receiver:
        async with serve(slow) as graphql:
            webhook_id = await hook_for(graphql, receiver)
            await place(graphql, shipping_order(("TEE-S", 1)))
            await receiver.wait_for(1)
            pending = await deliveries(graphql, webhook_id, status="PENDING")
            # when it is deleted, and another order is placed
            deleted = await graphql.admin(DELETE_WEBHOOK, {"id": webhook_id})
            await place(graphql, shipping_order(("TEE-S", 1)))
            await relayed(database)
            await asyncio.sleep(0.3)  # several dispatcher polls
            left = await deliveries(graphql, webhook_id)
            listed = await graphql.admin(WEBHOOKS)
            again = await graphql.admin(DELETE_WEBHOOK, {"id": webhook_id})
    # then it is gone with its pending delivery, and nothing more was sent
    assert len(pending) == 1
    assert deleted["deleteWebhook"] == {"deletedWebhookId": webhook_id, "userErrors": []}
    assert left == [] and listed["webhooks"]["totalCount"] == 0
    assert len(receiver.requests) == 1
    assert again["deleteWebhook"]["userErrors"] == [
        {"field": ["input", "webhookId"], "code": "NOT_FOUND"}
    ]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.com/hooks", "http:// or https://"),
        ("http://127.0.0.1:9/hooks", "127.0.0.1, a private, loopback or reserved address"),
        ("http://10.0.0.1/hooks", "10.0.0.1, a private"),
        ("http://localhost:9/hooks", "host localhost resolves to"),
        ("http://[::1]/hooks", "::1, a private"),
        ("https://user:pw@example.com/hooks", "credentials"),
        ("not a url", "http:// or https://"),
    ],
)
async def test_webhooks_go_to_public_http_addresses_only(
    serve: Serve, url: str, words: str
) -> None:
    async with serve(STRICT) as graphql:
        created = await create_webhook(graphql, url)
        listed = await graphql.admin(WEBHOOKS)
    assert created["webhook"] is None
    [error] = created["userErrors"]
    assert (error["field"], error["code"]) == (["input", "url"], "INVALID_INPUT")
    assert words in error["message"]
    assert listed["webhooks"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"query": "subscription { event { ... on Nope { id } } }"}, "query", "Nope"),
        ({"query": "query { viewer { role } }"}, "query", "one subscription"),
        ({"query": "subscription { event { "}, "query", "not GraphQL"),
        ({"query": "subscription($x: Int) { event { __typename } }"}, "query", "variables"),
        ({"secret": "short"}, "secret", "16-255 characters"),
        ({"events": []}, "events", "at least one"),
    ],
)
async def test_a_bad_query_secret_or_event_list_is_refused(
    serve: Serve, fields: dict[str, Any], field: str, words: str
) -> None:
    async with serve() as graphql:
        created = await create_webhook(graphql, "http://127.0.0.1:9/hooks", **fields)
    [error] = created["userErrors"]
    assert (error["field"], error["code"]) == (["input", field], "INVALID_INPUT")
    assert words in error["message"]


async def test_only_admins_manage_webhooks(serve: Serve) -> None:
    async with serve() as graphql:
        staff = graphql.token(Role.STAFF)
        webhook_input = {
            "url": "http://127.0.0.1:9/hooks",
            "events": ["STOCK_LEVEL_CHANGED"],
            "secret": HOOK_SECRET,
        }
        created = await graphql.data(CREATE_WEBHOOK, {"input": webhook_input}, token=staff)
        listed = await graphql.post(WEBHOOKS, token=staff)
        webhook_id = (await create_webhook(graphql, webhook_input["url"]))["webhook"]["id"]
        disabled = await graphql.data(DISABLE_WEBHOOK, {"id": webhook_id}, token=staff)
        read = await graphql.post(DELIVERIES, {"id": webhook_id}, token=staff)
        change = {"webhookId": webhook_id, "url": "http://127.0.0.1:8/elsewhere"}
        updated = await graphql.data(UPDATE_WEBHOOK, {"input": change}, token=staff)
        deleted = await graphql.data(DELETE_WEBHOOK, {"id": webhook_id}, token=staff)
        [kept] = (await graphql.admin(WEBHOOKS))["webhooks"]["edges"]
    assert updated["updateWebhook"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert deleted["deleteWebhook"]["userErrors"] == [{"field": None, "code": "FORBIDDEN"}]
    assert (kept["node"]["url"], kept["node"]["active"]) == (webhook_input["url"], True)
    assert created["createWebhook"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert disabled["disableWebhook"]["userErrors"] == [{"code": "FORBIDDEN"}]
    assert read["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_event_field_serves_webhook_queries_only(database: Database) -> None:
    # given a subscription to `event` that is no webhook's query (as over WebSocket)
    context = Context(principal=Principal.system(), database=database, hub=EventHub())
    stream = await schema.subscribe("subscription { event { __typename } }", context_value=context)
    # then it ends at once with an error saying what `event` is for
    result = await anext(stream)
    assert result.errors[0].message == "event is for webhook queries (createWebhook's query) only"
