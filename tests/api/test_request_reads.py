"""The loaders of an HTTP request share one read connection on PostgreSQL, and on SQLite
read through a pool of a few (persistence/request_reads.py): a read still shows what the
request itself wrote, and a connection that died in the pool costs no request."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event

from persistence.database import SQLITE_LOADER_CONNECTIONS, Database
from tests.api.conftest import GraphQL

VARIANT_WITH_STOCK = """
query($sku: String!) {
  variant(sku: $sku) {
    product { name variants { sku stockLevels { onHand location { code } } } }
  }
}"""
TWO_PRICES = """
mutation {
  first: updateVariantPrice(input: {sku: "TEE-S", price: {amount: "21.00", currency: "USD"}}) {
    variant { price { amount } }
  }
  second: updateVariantPrice(input: {sku: "TEE-S", price: {amount: "22.00", currency: "USD"}}) {
    variant { price { amount } }
  }
}"""


@dataclass
class Checkouts:
    connections: list[Any] = field(default_factory=list)  # each checkout's, in turn
    in_use: int = 0
    most_in_use: int = 0


@contextlib.contextmanager
def watching_checkouts(database: Database) -> Iterator[Checkouts]:
    """The connections checked out of the loaders' pool meanwhile, and the most out at once."""
    checkouts = Checkouts()

    def checked_out(dbapi_connection: Any, *_: Any) -> None:
        checkouts.connections.append(dbapi_connection)
        checkouts.in_use += 1
        checkouts.most_in_use = max(checkouts.most_in_use, checkouts.in_use)

    def checked_in(*_: Any) -> None:
        checkouts.in_use -= 1

    engine = database.loader_engine.sync_engine
    event.listen(engine, "checkout", checked_out)
    event.listen(engine, "checkin", checked_in)
    try:
        yield checkouts
    finally:
        event.remove(engine, "checkout", checked_out)
        event.remove(engine, "checkin", checked_in)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_request_reads_all_its_loader_batches_on_one_connection(
    graphql: GraphQL, shop, database: Database
) -> None:
    with watching_checkouts(database) as lookup_alone:
        await graphql.admin('{ variant(sku: "TEE-S") { sku } }')
    with watching_checkouts(database) as checkouts:  # and four loader batches
        data = await graphql.admin(VARIANT_WITH_STOCK, {"sku": "TEE-S"})

    variants = data["variant"]["product"]["variants"]
    assert [v["sku"] for v in variants] == ["TEE-S", "TEE-M"]
    on_hand = {level["location"]["code"]: level["onHand"] for level in variants[0]["stockLevels"]}
    assert on_hand["WH-A"] == 10
    assert len(checkouts.connections) == len(lookup_alone.connections) + 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_concurrent_requests_on_sqlite_read_through_a_few_connections(
    graphql: GraphQL, shop, database: Database
) -> None:
    """Each SQLite connection reads in a thread of its own: a connection per request in
    flight had a thread per request contend for the interpreter."""
    with watching_checkouts(database) as checkouts:
        answers = await asyncio.gather(
            *(graphql.admin(VARIANT_WITH_STOCK, {"sku": "TEE-S"}) for _ in range(8))
        )

    assert all(answer["variant"]["product"]["name"] for answer in answers)
    assert 1 <= checkouts.most_in_use <= SQLITE_LOADER_CONNECTIONS


async def test_each_request_gives_its_connection_back(
    graphql: GraphQL, shop, database: Database
) -> None:
    for _ in range(3):
        await graphql.admin(VARIANT_WITH_STOCK, {"sku": "TEE-S"})

    assert database.loader_engine.sync_engine.pool.checkedout() == 0


async def test_a_read_after_a_write_in_the_same_request_sees_the_write(
    graphql: GraphQL, shop
) -> None:
    data = await graphql.admin(TWO_PRICES)

    assert data["first"]["variant"]["price"]["amount"] == "21.00"
    assert data["second"]["variant"]["price"]["amount"] == "22.00"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # a server's sessions
async def test_connections_the_database_ended_cost_no_request(
    graphql: GraphQL, shop, database: Database
) -> None:
    await graphql.admin(VARIANT_WITH_STOCK, {"sku": "TEE-S"})  # a connection in each pool
    assert database.loader_engine.sync_engine.pool.checkedin() > 0
    admin = await asyncpg.connect(
        database.url.set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        ended = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    assert ended > 0

    data = await graphql.admin(VARIANT_WITH_STOCK, {"sku": "TEE-S"})

    assert [v["sku"] for v in data["variant"]["product"]["variants"]] == ["TEE-S", "TEE-M"]
    ready = await graphql.http.get("/ready")
    assert ready.status_code == 200
