"""Fixtures for API tests: the ASGI app, a GraphQL client, tokens and a small shop."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette

from api.app import create_app
from api.auth import TokenService
from api.context import utc_now
from api.passwords import Argon2Hasher
from api.settings import Settings
from domain.access import Principal, Role
from domain.commands.catalog import CreateLocation, CreateProduct, NewVariant, SetChannelLocations
from domain.commands.customers import CreateCustomer
from domain.commands.inventory import AdjustStock
from domain.model.inventory import AdjustmentReason
from domain.model.locations import ChannelCode, LocationKind
from domain.usecases import catalog, customers, inventory
from persistence.database import Database
from persistence.uow import SqlUnitOfWork

SECRET = "test-secret-of-at-least-32-characters"
# How the apps under test execute queries: `make test` runs the API suite both ways.
QUERY_PLANS = os.environ.get("OMNIORDER_QUERY_PLANS") or "on"
CHEAP_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class GraphQL:
    """Posts GraphQL documents to the app, as a given caller."""

    def __init__(self, http: httpx.AsyncClient, tokens: TokenService) -> None:
        self.http = http
        self.tokens = tokens

    def token(
        self,
        role: Role,
        *,
        locations: tuple[str, ...] = (),
        customer: str | None = None,
        subject: str | None = None,
    ) -> str:
        return self.tokens.issue(
            Principal(
                role=role,
                subject=subject or customer or role.value.lower(),
                location_codes=frozenset(locations),
                customer_email=customer,
            )
        )

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """The `data` of a response that must have no errors."""
        body = await self.post(query, variables, token=token)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def admin(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.data(query, variables, token=self.token(Role.ADMIN))


def build_app(
    database: Database, clock: Callable[[], datetime] = utc_now, **changes: Any
) -> Starlette:
    """An app over `database` with the tests' settings, and `changes` to them."""
    # No settle window: a test's writes are committed before it reads the POS feed.
    settings = Settings(
        database_url=str(database.url),
        secret=SECRET,
        pos_feed_settle_seconds=0,
        **{"query_plans": QUERY_PLANS, **changes},
    )
    app = create_app(settings, database=database, clock=clock)
    # argon2id still, at the lowest cost: the default takes 50-500 ms of CPU per hash, and
    # these tests hash hundreds of passwords (the servers of tests/e2e keep the default).
    app.state.sessions.accounts.hasher = Argon2Hasher(CHEAP_ARGON2)
    return app


@contextlib.asynccontextmanager
async def client_of(app: Starlette) -> AsyncIterator[GraphQL]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphQL(http, app.state.tokens)


@pytest.fixture
async def graphql(database: Database) -> AsyncIterator[GraphQL]:
    async with client_of(build_app(database)) as client:
        yield client


@dataclass(frozen=True)
class Shop:
    """A small shop: a warehouse, two stores, three SKUs, one customer."""

    warehouse: str = "WH-A"
    store: str = "ST-B"
    other_store: str = "ST-C"
    customer: str = "ada@example.com"
    other_customer: str = "bob@example.com"


async def build_shop(database: Database, stock: dict[tuple[str, str], int]) -> Shop:
    shop = Shop()
    seeder = Principal.system("test-setup")

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(database)

    for code, kind in [
        (shop.warehouse, LocationKind.WAREHOUSE),
        (shop.store, LocationKind.STORE),
        (shop.other_store, LocationKind.STORE),
    ]:
        await catalog.create_location(uow(), seeder, CreateLocation(code, code, kind))
    for channel in ChannelCode:
        await catalog.set_channel_locations(
            uow(), seeder, SetChannelLocations(channel, (shop.warehouse, shop.store))
        )
    for email in (shop.customer, shop.other_customer):
        await customers.create_customer(uow(), seeder, CreateCustomer(email, email))
    await catalog.create_product(
        uow(),
        seeder,
        CreateProduct(
            "T-shirt",
            (
                NewVariant("TEE-S", "S", Decimal("19.90"), "USD"),
                NewVariant("TEE-M", "M", Decimal("19.90"), "USD"),
            ),
        ),
    )
    await catalog.create_product(
        uow(),
        seeder,
        CreateProduct("Mug", (NewVariant("MUG", "Mug", Decimal("9.50"), "USD"),)),
    )
    await add_stock(database, stock)
    return shop


async def add_stock(database: Database, stock: dict[tuple[str, str], int]) -> None:
    """Receive units of each (SKU, location code)."""
    for (sku, location), quantity in stock.items():
        await inventory.adjust_stock(
            SqlUnitOfWork(database),
            Principal.system("test-setup"),
            AdjustStock(sku, location, quantity, AdjustmentReason.RECEIVED),
            datetime.now(UTC),
        )


DEFAULT_STOCK = {
    ("TEE-S", "WH-A"): 10,
    ("TEE-S", "ST-B"): 3,
    ("TEE-M", "WH-A"): 5,
    ("MUG", "ST-B"): 4,
}


@pytest.fixture
async def shop(database: Database) -> Shop:
    return await build_shop(database, DEFAULT_STOCK)
