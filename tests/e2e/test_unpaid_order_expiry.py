"""Unpaid order expiry across processes: two servers on one PostgreSQL database both run
the sweep's timer; the job's lease lets one of them sweep at a time, and every expired
order is cancelled exactly once."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from persistence.database import Database
from persistence.records import JobLeaseRecord, OrderRecord, OutboxEventRecord
from tests.api.ledger_documents import assert_stock_holds
from tests.e2e.conftest import graphql
from tests.e2e.processes import Server

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

SWEEP_EVERY = {"OMNIORDER_UNPAID_ORDER_SWEEP_SECONDS": "0.3"}
SET_TTL = """
mutation {
  setChannelPaymentSettings(
    input: { channel: WEB, captureOn: PLACEMENT, unpaidOrderTtlMinutes: 1 }
  ) { userErrors { code } }
}"""
PLACE = """
mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id } userErrors { code } }
}"""
PAY = """
mutation($input: RecordManualPaymentInput!) {
  recordManualPayment(input: $input) { userErrors { code } }
}"""
ORDER = "query($id: ID!) { order(id: $id) { status history { toStatus actor } } }"
ORDERS = 6
SWEEP_LOG = re.compile(r"unpaid orders: (\d+) cancelled")


@pytest.fixture
async def two_servers(shop_database, database_url) -> AsyncIterator[tuple[Server, Server]]:
    """Two `omniorder serve` processes on the database, sweeping every 0.3 s (no Node.js
    needed, unlike the `servers` fixture's subscribers)."""
    started = [Server(database_url, env=SWEEP_EVERY) for _ in range(2)]
    try:
        for server in started:
            await asyncio.to_thread(server.start)
        yield started[0], started[1]
    finally:
        for server in started:
            await asyncio.to_thread(server.stop)


def key_of(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def place(server, sku: str = "TEE-S") -> str:
    data = await graphql(
        server,
        PLACE,
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
                "lines": [{"sku": sku, "quantity": 1}],
            }
        },
    )
    assert data["placeOrder"]["userErrors"] == []
    return data["placeOrder"]["order"]["id"]


async def placed_long_ago(database: Database, order_ids: list[str]) -> None:
    """Move the orders' placing two minutes back, past the one-minute limit."""
    async with database.writing() as session, session.begin():
        await session.execute(
            update(OrderRecord)
            .where(OrderRecord.id.in_([key_of(order_id) for order_id in order_ids]))
            .values(created_at=datetime.now(UTC) - timedelta(minutes=2))
        )


def cancelled_in_log(server: Server) -> int:
    """How many orders the server's sweeps say they cancelled."""
    counts = (SWEEP_LOG.search(line) for line in server.log_lines())
    return sum(int(found.group(1)) for found in counts if found)


async def cancelled_events(database: Database, order_id: str) -> list[dict]:
    async with database.read_session() as session:
        payloads = await session.scalars(
            select(OutboxEventRecord.payload).where(OutboxEventRecord.kind == "OrderStatusChanged")
        )
        messages = [json.loads(payload) for payload in payloads]
    return [m for m in messages if m["orderId"] == key_of(order_id) and m["status"] == "CANCELLED"]


async def test_two_processes_cancel_each_expired_order_once(two_servers, shop_database):
    # given two servers sweeping every 0.3 s, and WEB orders expiring after a minute
    first, second = two_servers
    await graphql(first, SET_TTL)
    unpaid = [await place(server) for server in (first, second) * (ORDERS // 2)]
    paid = await place(first)
    pay = {"orderId": paid, "amount": "19.90", "method": "CASH", "idempotencyKey": "cash"}
    await graphql(second, PAY, {"input": pay})

    # when their placing is two minutes old
    await placed_long_ago(shop_database, [*unpaid, paid])

    # then the servers cancel every unpaid order, each once, and keep the paid one
    async with asyncio.timeout(30):
        while True:
            statuses = [(await graphql(first, ORDER, {"id": o}))["order"] for o in unpaid]
            if all(order["status"] == "CANCELLED" for order in statuses):
                break
            await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # several more sweeps on both servers
    for order_id in unpaid:
        order = (await graphql(second, ORDER, {"id": order_id}))["order"]
        cancellations = [h for h in order["history"] if h["toStatus"] == "CANCELLED"]
        assert cancellations == [{"toStatus": "CANCELLED", "actor": "system:unpaid-order-expiry"}]
        assert len(await cancelled_events(shop_database, order_id)) == 1
    assert (await graphql(first, ORDER, {"id": paid}))["order"]["status"] == "PENDING"
    await assert_stock_holds(shop_database)

    # and the servers' logs count each cancellation once between them
    assert sum(cancelled_in_log(server) for server in (first, second)) == len(unpaid)

    # and both servers are still running; one of them holds the job's lease
    for server in (first, second):
        assert server.process is not None and server.process.poll() is None
        assert not [line for line in server.log_lines() if "Traceback" in line]
    async with shop_database.read_session() as session:
        holders = list(await session.scalars(select(JobLeaseRecord.holder)))
    assert len(holders) == 1 and holders[0]
