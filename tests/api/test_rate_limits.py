"""Mutations are rate-limited per caller: a customer by its own space, an anonymous caller
by its address, staff only when configured. Over the limit a mutation does not run, and
the answer is a 429 with Retry-After and a RATE_LIMITED error. Every test runs on SQLite
and PostgreSQL; the race counts in a Redis of its own."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest

from api import rate_limits
from api.app import create_app
from api.rate_rules import RateRule
from api.settings import RateLimitSettings, Settings
from domain.access import Principal, Role
from persistence.database import Database
from tests.api.conftest import SECRET, Shop
from tests.api.orders_documents import ORDERS, PLACE_ORDER, shipping_order
from tests.e2e.processes import RedisServer

TEE = shipping_order(("TEE-S", 1))
PRODUCTS = "query { products(first: 1) { totalCount } }"
# Two mutation fields, one operation: one hit.
TWO_ORDERS = """
mutation($input: PlaceOrderInput!) {
  first: placeOrder(input: $input) { userErrors { code } }
  second: placeOrder(input: $input) { userErrors { code } }
}"""


class Caller:
    """Posts documents to one app from one client address, and gives back the response."""

    def __init__(self, http: httpx.AsyncClient, token: str | None) -> None:
        self.http = http
        self.token = token

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )


Connect = Callable[..., Caller]


@asynccontextmanager
async def limited_app(
    database: Database, redis_url: str | None = None, **rules: str
) -> AsyncIterator[Connect]:
    """An app with the given rules (by RateLimitSettings field); `connect(role, address=…)`
    gives a caller of it with a token of that role (none: anonymous) from that address."""
    limits = replace(
        RateLimitSettings(),
        **{name: RateRule.parse(name, text) for name, text in rules.items()},
    )
    settings = Settings(
        database_url=str(database.url), secret=SECRET, redis_url=redis_url, rate_limits=limits
    )
    app = create_app(settings, database=database)
    clients: list[httpx.AsyncClient] = []

    def connect(
        role: Role | None = None, *, customer: str | None = None, address: str = "192.0.2.1"
    ) -> Caller:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        http = httpx.AsyncClient(transport=transport, base_url="http://test")
        clients.append(http)
        token = None
        if role is not None:
            subject = customer or role.value.lower()
            principal = Principal(role=role, subject=subject, customer_email=customer)
            token = app.state.tokens.issue(principal)
        return Caller(http, token)

    try:
        yield connect
    finally:
        for http in clients:
            await http.aclose()
        await app.state.rate_limiter.close()


def assert_rate_limited(response: httpx.Response) -> int:
    """Checks a refusal's status, header and error; gives back its Retry-After."""
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": retry_after}
    assert response.json()["data"] is None
    return retry_after


async def order_count(connect: Connect) -> int:
    response = await connect(Role.ADMIN).post(ORDERS)
    return response.json()["data"]["orders"]["totalCount"]


async def test_a_customer_over_the_limit_is_refused_and_told_when_to_come_back(
    database, shop: Shop
):
    async with limited_app(database, mutation="3/minute") as connect:
        ada = connect(Role.CUSTOMER, customer=shop.customer)

        allowed = [await ada.post(PLACE_ORDER, TEE) for _ in range(3)]
        refused = await ada.post(PLACE_ORDER, TEE)

        assert [r.status_code for r in allowed] == [200, 200, 200]
        assert all(r.json()["data"]["placeOrder"]["userErrors"] == [] for r in allowed)
        assert 1 <= assert_rate_limited(refused) <= 60
        assert await order_count(connect) == 3  # the refused one did not run


async def test_another_customer_is_not_affected(database, shop: Shop):
    async with limited_app(database, mutation="2/minute") as connect:
        ada = connect(Role.CUSTOMER, customer=shop.customer)
        bob = connect(Role.CUSTOMER, customer=shop.other_customer)
        for _ in range(2):
            await ada.post(PLACE_ORDER, TEE)

        adas = await ada.post(PLACE_ORDER, TEE)
        bobs = await bob.post(PLACE_ORDER, TEE)

        assert_rate_limited(adas)
        assert bobs.status_code == 200
        assert bobs.json()["data"]["placeOrder"]["userErrors"] == []


async def test_queries_are_not_counted(database, shop: Shop):
    async with limited_app(database, mutation="1/minute") as connect:
        ada = connect(Role.CUSTOMER, customer=shop.customer)

        reads = [await ada.post(PRODUCTS) for _ in range(5)]
        first, second = await ada.post(PLACE_ORDER, TEE), await ada.post(PLACE_ORDER, TEE)

        assert [r.status_code for r in reads] == [200] * 5
        assert first.status_code == 200
        assert_rate_limited(second)
        assert (await ada.post(PRODUCTS)).status_code == 200  # reads go on


async def test_a_document_of_several_mutations_counts_once(database, shop: Shop):
    async with limited_app(database, mutation="1/minute") as connect:
        ada = connect(Role.CUSTOMER, customer=shop.customer)

        both = await ada.post(TWO_ORDERS, TEE)
        again = await ada.post(PLACE_ORDER, TEE)

        assert both.status_code == 200
        assert "errors" not in both.json()
        assert_rate_limited(again)


async def test_anonymous_callers_are_counted_by_their_address(database, shop: Shop):
    async with limited_app(database, mutation="2/minute") as connect:
        here = connect(address="198.51.100.7")
        also_here = connect(address="198.51.100.7")
        elsewhere = connect(address="203.0.113.9")

        first = [await here.post(PLACE_ORDER, TEE), await also_here.post(PLACE_ORDER, TEE)]
        third = await here.post(PLACE_ORDER, TEE)
        other = await elsewhere.post(PLACE_ORDER, TEE)

        assert [r.status_code for r in first] == [200, 200]
        assert_rate_limited(third)
        assert other.status_code == 200


async def test_a_customer_is_counted_apart_from_its_address(database, shop: Shop):
    async with limited_app(database, mutation="1/minute") as connect:
        anonymous = connect(address="198.51.100.7")
        ada = connect(Role.CUSTOMER, customer=shop.customer, address="198.51.100.7")
        await anonymous.post(PLACE_ORDER, TEE)

        adas = await ada.post(PLACE_ORDER, TEE)

        assert adas.status_code == 200


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.POS])
async def test_staff_are_not_limited_by_default(database, shop: Shop, role: Role):
    async with limited_app(database, mutation="1/minute") as connect:
        caller = connect(role)

        responses = [await caller.post(PLACE_ORDER, TEE) for _ in range(5)]

        assert [r.status_code for r in responses] == [200] * 5


async def test_staff_are_limited_when_configured(database, shop: Shop):
    async with limited_app(database, staff_mutation="2/minute") as connect:
        clerk = connect(Role.STAFF)
        other_clerk = connect(Role.ADMIN)

        allowed = [await clerk.post(PLACE_ORDER, TEE) for _ in range(2)]
        refused = await clerk.post(PLACE_ORDER, TEE)
        others = await other_clerk.post(PLACE_ORDER, TEE)

        assert [r.status_code for r in allowed] == [200, 200]
        assert_rate_limited(refused)
        assert others.status_code == 200


async def test_the_429_stands_when_the_client_asks_for_graphql_response_json(database, shop: Shop):
    async with limited_app(database, mutation="1/minute") as connect:
        ada = connect(Role.CUSTOMER, customer=shop.customer)
        ada.http.headers["accept"] = "application/graphql-response+json"
        await ada.post(PLACE_ORDER, TEE)

        refused = await ada.post(PLACE_ORDER, TEE)

        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/graphql-response+json")
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


CONCURRENT = 30
LIMIT = 7


async def test_concurrent_mutations_of_one_customer_pass_exactly_the_limit_in_redis(
    database, shop: Shop, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
):
    # Thirty connections to Redis opened at once on a loaded machine may take more than the
    # second after which the limiter gives Redis up and lets the hit through.
    monkeypatch.setattr(rate_limits, "REDIS_TIMEOUT_SECONDS", 10.0)
    async with limited_app(
        database, redis_url=redis_server.url, mutation=f"{LIMIT}/minute"
    ) as connect:
        callers = [connect(Role.CUSTOMER, customer=shop.customer) for _ in range(CONCURRENT)]

        responses = await asyncio.gather(*(c.post(PLACE_ORDER, TEE) for c in callers))

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] * LIMIT + [429] * (CONCURRENT - LIMIT)
        assert await order_count(connect) == LIMIT
