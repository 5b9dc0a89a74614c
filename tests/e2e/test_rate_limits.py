"""With REDIS_URL set, every process counts a caller's mutations in one place; without
Redis, the limit lets mutations through rather than refuse them all."""

import httpx
import pytest

from domain.access import Role
from tests.api.orders_documents import PLACE_ORDER, shipping_order
from tests.e2e.conftest import token
from tests.e2e.processes import Server

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

LIMIT = 4
LIMITED = {"OMNIORDER_MUTATION_LIMIT": f"{LIMIT}/minute"}
TEE = shipping_order(("TEE-S", 1))


async def place_order(server: Server, customer_token: str) -> int:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        response = await client.post(
            "/graphql",
            json={"query": PLACE_ORDER, "variables": TEE},
            headers={"Authorization": f"Bearer {customer_token}"},
        )
    return response.status_code


async def test_two_processes_share_one_count_in_redis(
    servers, redis_server, shop_database, database_url
):
    first = await servers(database_url, redis_url=redis_server.url, env=LIMITED)
    second = await servers(database_url, redis_url=redis_server.url, env=LIMITED)
    ada = token(Role.CUSTOMER, customer="ada@example.com")

    statuses = [await place_order(server, ada) for server in [first, second] * 3]

    assert statuses == [200] * LIMIT + [429, 429]


async def test_mutations_pass_while_redis_is_down(
    servers, redis_server, shop_database, database_url
):
    server = await servers(database_url, redis_url=redis_server.url, env=LIMITED)
    ada = token(Role.CUSTOMER, customer="ada@example.com")
    redis_server.stop()

    statuses = [await place_order(server, ada) for _ in range(LIMIT + 2)]

    assert statuses == [200] * (LIMIT + 2)
    failures = [line for line in server.log_lines() if "rate limit counts in Redis" in line]
    assert len(failures) == 1, failures
