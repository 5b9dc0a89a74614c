"""Every operation has a cost, computed before it runs (docs/api.md, "Query cost"): one
costing more than OMNIORDER_QUERY_COST_LIMIT is refused unrun, with QUERY_COST_EXCEEDED;
each response says its cost in `extensions.cost`. Introspection can be turned off
(OMNIORDER_INTROSPECTION=0). The cost does not depend on the database: one back-end."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
import websockets
from starlette.types import ASGIApp
from websockets.asyncio.client import connect

from api.app import create_app
from api.settings import DEFAULT_QUERY_COST_LIMIT, Settings
from bench.catalog_and_orders import CATALOG_PAGE
from domain.access import Role
from persistence.database import Database
from tests.api.conftest import SECRET, GraphQL

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

CREATE_STORE = """
mutation { createLocation(input: {code: "ST-NEW", name: "New", kind: STORE}) {
  location { code } userErrors { code } } }
"""
CREATE_STORE_COST = 10 + 1 + 1 + 10  # the mutation, its payload, location, 10 userErrors
STORES = "{ locations { code } }"  # 10: a list without a size
INTROSPECTION = "{ __schema { queryType { name } } }"

Client = Callable[..., AbstractAsyncContextManager[GraphQL]]


@pytest.fixture
def client(database: Database) -> Client:
    """A GraphQL client of an app configured with the given settings."""

    @asynccontextmanager
    async def open_client(**settings: Any) -> AsyncIterator[GraphQL]:
        app = create_app(Settings(str(database.url), SECRET, **settings), database=database)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
            yield GraphQL(http, app.state.tokens)

    return open_client


async def test_every_response_says_what_it_cost(graphql, shop):
    body = await graphql.post("{ products(first: 2) { totalCount edges { node { name } } } }")
    assert "errors" not in body
    assert body["extensions"]["cost"] == {
        "requestedQueryCost": 1 + 2 * (1 + 1),
        "limit": DEFAULT_QUERY_COST_LIMIT,
    }


async def test_the_benchmark_catalog_page_fits_under_the_default_limit(graphql, shop):
    body = await graphql.post(CATALOG_PAGE, {"first": 50}, token=graphql.token(Role.ADMIN))
    assert "errors" not in body
    # 50 products, each with up to 10 variants, each with up to 10 stock levels
    assert body["extensions"]["cost"]["requestedQueryCost"] == 1 + 50 * (2 + 10 * (2 + 10 * 2))


async def test_a_mutation_costs_ten_plus_its_selection(client: Client):
    async with client() as graphql:
        body = await graphql.post(CREATE_STORE, token=graphql.token(Role.ADMIN))
    assert body["data"]["createLocation"]["location"] == {"code": "ST-NEW"}
    assert body["extensions"]["cost"]["requestedQueryCost"] == CREATE_STORE_COST


async def test_an_operation_over_the_limit_is_refused_unrun_with_its_cost(client: Client):
    limit = CREATE_STORE_COST - 1
    async with client(query_cost_limit=limit) as graphql:
        admin = graphql.token(Role.ADMIN)
        refused = await graphql.post(CREATE_STORE, token=admin)
        stores = await graphql.data(STORES, token=admin)
        strict = await graphql.http.post(
            "/graphql",
            json={"query": CREATE_STORE},
            headers={
                "accept": "application/graphql-response+json",
                "authorization": f"Bearer {admin}",
            },
        )
    assert refused["data"] is None
    [error] = refused["errors"]
    assert error["extensions"] == {
        "code": "QUERY_COST_EXCEEDED",
        "cost": {"requested": CREATE_STORE_COST, "limit": limit},
    }
    assert refused["extensions"]["cost"] == {
        "requestedQueryCost": CREATE_STORE_COST,
        "limit": limit,
    }
    assert stores == {"locations": []}  # nothing was created
    # a request error, as the GraphQL over HTTP spec answers one: 400 and no data
    assert strict.status_code == 400
    assert "data" not in strict.json()
    assert strict.json()["errors"][0]["extensions"]["code"] == "QUERY_COST_EXCEEDED"


async def test_introspection_is_on_by_default(graphql):
    body = await graphql.post(INTROSPECTION)
    assert body["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert body["extensions"]["cost"]["requestedQueryCost"] == 0


async def test_introspection_turned_off_is_refused_with_a_code(client: Client):
    async with client(introspection=False) as graphql:
        refused = await graphql.post(INTROSPECTION)
        typename = await graphql.data("{ __typename }")
    assert refused["data"] is None
    assert refused["errors"]  # one for each introspection field
    for error in refused["errors"]:
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection has been disabled" in error["message"]
    assert typename == {"__typename": "Query"}


@asynccontextmanager
async def served(app: ASGIApp) -> AsyncIterator[str]:
    """The app behind a real server on a free port: its WebSocket URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        yield f"ws://127.0.0.1:{sock.getsockname()[1]}/graphql"
    finally:
        server.should_exit = True
        await serving


async def test_a_subscription_over_the_limit_is_refused_when_subscribed(database: Database):
    settings = Settings(str(database.url), SECRET, query_cost_limit=5)
    subscription = "subscription { orderStatusChanged { order { number lines { sku } } } }"
    async with (
        served(create_app(settings, database=database)) as url,
        connect(url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws,
    ):
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": subscription}})
        )
        answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert answer["type"] == "next"
    [error] = answer["payload"]["errors"]
    # the event 1, its order 1, up to 10 lines
    assert error["extensions"] == {
        "code": "QUERY_COST_EXCEEDED",
        "cost": {"requested": 12, "limit": 5},
    }
