"""Revocation across real servers: a session ended on one `omniorder serve` is refused at
once by another over the same database, through Redis; without Redis, by the next poll.

Two separate processes (not workers of one) share the database; the revocation poll is set
to an hour where Redis must carry the revocation alone."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

import httpx

from tests.api.accounts_documents import PASSWORD, REGISTER, SIGN_OUT, VERIFY
from tests.api.orders_documents import PLACE_ORDER as PLACE
from tests.api.orders_documents import shipping_order
from tests.e2e.conftest import ADMIN, graphql
from tests.e2e.processes import ROOT, SECRET, Server

ME = "{ me { role subject } }"
NO_POLLING = {"OMNIORDER_REVOCATION_POLL_SECONDS": "3600"}
REGISTER_TERMINAL = """
mutation { registerPosTerminal(input: {storeCode: "ST-B", name: "Till 9"}) {
  token terminal { id } userErrors { code } } }"""
ORDERS_CHANGED = "subscription { orderStatusChanged { status order { number } } }"
DEACTIVATE = """
mutation($id: ID!) { deactivatePosTerminal(input: {terminalId: $id}) {
  revokedSessions userErrors { code } } }"""


async def status(server: Server, token: str) -> int:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        response = await client.post(
            "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
        )
    return response.status_code


async def token_in_log(server: Server, email: str) -> str:
    """The verification token the server's log notifier wrote for `email` (in the
    background, once registerCustomer has answered)."""
    pattern = re.compile(rf"account message VERIFY_EMAIL for {re.escape(email)}: token (\S+) ")
    for _ in range(100):
        found = [m.group(1) for line in server.log_lines() if (m := pattern.search(line))]
        if found:
            return found[-1]
        await asyncio.sleep(0.05)
    raise AssertionError("no verification token in the log")


async def signed_up(server: Server, email: str) -> str:
    """Register on `server`, read the token from its log, verify: the access token."""
    variables = {"input": {"email": email, "password": PASSWORD, "name": "Grace"}}
    assert (await graphql(server, REGISTER, variables))["registerCustomer"]["verificationSent"]
    token = await token_in_log(server, email)
    verified = await graphql(server, VERIFY, {"token": token, "password": PASSWORD})
    return verified["verifyCustomerEmail"]["accessToken"]


def omniorder(database_url: str, redis_url: str, *args: str) -> str:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "OMNIORDER_SECRET": SECRET,
        "REDIS_URL": redis_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


async def test_a_session_ended_on_one_server_is_refused_at_once_by_another(
    shop_database, servers, redis_server
):
    # Given two servers over one database and one Redis, that never poll
    url = str(shop_database.url)
    one = await servers(url, redis_url=redis_server.url, env=NO_POLLING)
    other = await servers(url, redis_url=redis_server.url, env=NO_POLLING)
    customer = await signed_up(one, "grace@example.com")
    assert await status(other, customer) == 200

    # When the customer signs out on the first
    signed_out = await graphql(one, SIGN_OUT, auth=customer)

    # Then the second refuses its token at once
    assert signed_out["signOut"]["revokedSessions"] == 1
    assert await status(other, customer) == 401


async def test_a_deactivated_terminal_and_a_revoked_printed_token_stop_at_once_everywhere(
    shop_database, servers, redis_server
):
    url = str(shop_database.url)
    one = await servers(url, redis_url=redis_server.url, env=NO_POLLING)
    other = await servers(url, redis_url=redis_server.url, env=NO_POLLING)
    registered = (await graphql(one, REGISTER_TERMINAL))["registerPosTerminal"]
    till = registered["token"]
    printed = omniorder(url, redis_server.url, "token", "--role", "STAFF", "--subject", "kim")
    assert await status(one, till) == await status(other, printed) == 200

    # When the till is deactivated on one server and the printed token revoked by the CLI
    deactivated = await graphql(other, DEACTIVATE, {"id": registered["terminal"]["id"]})
    listed = omniorder(url, redis_server.url, "tokens", "list")
    (kim,) = [line.split()[0] for line in listed.splitlines() if "STAFF kim" in line]
    omniorder(url, redis_server.url, "tokens", "revoke", kim)

    # Then both servers refuse both tokens at once
    assert deactivated["deactivatePosTerminal"] == {"revokedSessions": 1, "userErrors": []}
    for server in (one, other):
        assert await status(server, till) == 401
        assert await status(server, printed) == 401


async def test_without_redis_a_revocation_reaches_another_server_at_its_next_poll(
    shop_database, servers
):
    url = str(shop_database.url)
    polling = {"OMNIORDER_REVOCATION_POLL_SECONDS": "0.5"}
    one = await servers(url, env=polling)
    other = await servers(url, env=polling)
    customer = await signed_up(one, "grace@example.com")

    await graphql(one, SIGN_OUT, auth=customer)

    assert await status(one, customer) == 401  # at once where it was revoked
    async with asyncio.timeout(10):
        while await status(other, customer) != 401:
            await asyncio.sleep(0.1)
    assert await status(other, ADMIN) == 200


async def test_a_subscription_ends_when_its_session_is_revoked(shop_database, servers, subscribers):
    # Given a signed-in customer following its orders over a WebSocket
    server = await servers(str(shop_database.url))
    customer = await signed_up(server, "ada@example.com")
    subscriber = await subscribers(server, ORDERS_CHANGED, token=customer, count=2)
    await graphql(server, PLACE, shipping_order(("MUG", 1)), auth=customer)
    assert (await subscriber.next())["data"]["orderStatusChanged"]["status"] == "PENDING"

    # When it signs out, and another of its orders changes
    await graphql(server, SIGN_OUT, auth=customer)
    await graphql(server, PLACE, shipping_order(("MUG", 1), customerEmail="ada@example.com"))

    # Then the subscription ends with an error instead of the event
    ended = await subscriber.next()
    assert ended["data"] is None
    assert ended["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
