"""Unpaid order expiry: a channel's PENDING orders that nobody paid for within its
unpaidOrderTtl are cancelled by a sweep, their reservations released; and the lease that
lets one process of several run each sweep."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from api.unpaid_orders import UnpaidOrderExpiry, sweep_unpaid_orders
from persistence.database import Database
from persistence.job_leases import take_lease
from persistence.records import OrderRecord
from tests.api.conftest import GraphQL
from tests.api.ledger_documents import assert_stock_holds
from tests.api.orders_documents import LEVEL, ORDER, status_mutation
from tests.api.payments_documents import (
    AUTHORIZE_PAYMENT,
    VOID_PAYMENT,
    client_with_test_provider,
    manual_payment,
    placed_order,
)
from tests.test_cli import omniorder

SET_PAYMENT_SETTINGS = """
mutation($input: SetChannelPaymentSettingsInput!) {
  setChannelPaymentSettings(input: $input) { userErrors { code } }
}"""
CONFIRM_ORDER = status_mutation("confirmOrder")
TTL = timedelta(minutes=30)


async def unpaid_orders_expire(
    graphql: GraphQL, channel: str = "WEB", minutes: int = 30, capture_on: str = "PLACEMENT"
) -> None:
    data = await graphql.admin(
        SET_PAYMENT_SETTINGS,
        {
            "input": {
                "channel": channel,
                "captureOn": capture_on,
                "unpaidOrderTtlMinutes": minutes,
            }
        },
    )
    assert data["setChannelPaymentSettings"]["userErrors"] == []


async def order_of(graphql: GraphQL, order_id: str) -> dict[str, Any]:
    return (await graphql.admin(ORDER, {"id": order_id}))["order"]


async def reserved(graphql: GraphQL, sku: str, location: str) -> int:
    data = await graphql.admin(LEVEL, {"sku": sku, "location": location})
    return data["stockLevels"]["edges"][0]["node"]["reserved"]


def later(delta: timedelta) -> datetime:
    return datetime.now(UTC) + delta


async def test_an_order_unpaid_past_its_channels_limit_is_cancelled_and_releases_its_units(
    graphql, database, shop
):
    # given a channel that cancels orders unpaid for 30 minutes, and an unpaid order
    await unpaid_orders_expire(graphql)
    order = await placed_order(graphql, ("TEE-S", 2))
    assert await reserved(graphql, "TEE-S", "WH-A") == 2

    # when a sweep runs 31 minutes later
    sweep = await sweep_unpaid_orders(database, later(TTL + timedelta(minutes=1)))

    # then the order is cancelled by the expiry, and its units are on sale again
    assert len(sweep.cancelled) == 1 and sweep.failed == []
    read = await order_of(graphql, order["id"])
    assert read["status"] == "CANCELLED"
    assert read["history"][-1] == {
        "fromStatus": "PENDING",
        "toStatus": "CANCELLED",
        "actor": "system:unpaid-order-expiry",
        "note": "unpaid after 30 minutes",
    }
    assert await reserved(graphql, "TEE-S", "WH-A") == 0
    await assert_stock_holds(database)


async def test_an_order_younger_than_the_limit_is_kept(graphql, database, shop):
    await unpaid_orders_expire(graphql)
    order = await placed_order(graphql, ("TEE-S", 1))

    sweep = await sweep_unpaid_orders(database, later(TTL - timedelta(minutes=1)))

    assert sweep.cancelled == []
    assert (await order_of(graphql, order["id"]))["status"] == "PENDING"


async def test_authorized_and_paid_orders_are_kept_and_a_voided_one_expires(
    graphql, database, shop
):
    # given three orders: one held, one paid by hand, one whose hold was voided
    await unpaid_orders_expire(graphql, capture_on="SHIPMENT")
    held = await placed_order(graphql, ("TEE-S", 1))
    paid = await placed_order(graphql, ("TEE-S", 1))
    voided = await placed_order(graphql, ("TEE-S", 1))
    await authorize(graphql, held["id"], "held")
    await manual_payment(graphql, paid["id"], "19.90", "paid")
    hold = await authorize(graphql, voided["id"], "to-void")
    await graphql.admin(VOID_PAYMENT, {"input": {"paymentId": hold, "idempotencyKey": "void"}})

    # when the sweep runs past the limit
    await sweep_unpaid_orders(database, later(TTL * 2))

    # then only the order with nothing paid or held is cancelled
    assert (await order_of(graphql, held["id"]))["status"] == "PENDING"
    assert (await order_of(graphql, paid["id"]))["status"] == "PENDING"
    assert (await order_of(graphql, voided["id"]))["status"] == "CANCELLED"
    assert await reserved(graphql, "TEE-S", "WH-A") == 2
    await assert_stock_holds(database)


async def test_other_channels_and_other_statuses_are_untouched(graphql, database, shop):
    # given WEB orders expire, and an unpaid MOBILE order and a confirmed WEB order
    await unpaid_orders_expire(graphql, "WEB")
    mobile = await placed_order(graphql, ("TEE-S", 1), channel="MOBILE")
    confirmed = await placed_order(graphql, ("TEE-S", 1))
    await graphql.admin(CONFIRM_ORDER, {"input": {"orderId": confirmed["id"]}})

    # when the sweep runs long after
    sweep = await sweep_unpaid_orders(database, later(timedelta(days=30)))

    # then neither is cancelled
    assert sweep.cancelled == []
    assert (await order_of(graphql, mobile["id"]))["status"] == "PENDING"
    assert (await order_of(graphql, confirmed["id"]))["status"] == "CONFIRMED"


async def test_a_second_sweep_finds_nothing_more_to_cancel(graphql, database, shop):
    await unpaid_orders_expire(graphql)
    order = await placed_order(graphql, ("TEE-S", 1))
    when = later(TTL * 2)

    first, second = await asyncio.gather(
        sweep_unpaid_orders(database, when), sweep_unpaid_orders(database, when)
    )

    assert len(first.cancelled) + len(second.cancelled) == 1
    read = await order_of(graphql, order["id"])
    assert [h["toStatus"] for h in read["history"]].count("CANCELLED") == 1
    await assert_stock_holds(database)


async def test_one_process_takes_a_lease_until_it_runs_out(database):
    now = datetime.now(UTC)
    minute = timedelta(minutes=1)

    first = await take_lease(database, "job", "process-a", now, minute)
    second = await take_lease(database, "job", "process-b", now + minute / 2, minute)
    after = await take_lease(database, "job", "process-b", now + minute, minute)
    other_job = await take_lease(database, "other", "process-a", now, minute)

    assert (first, second, after, other_job) == (True, False, True, True)


async def test_of_many_processes_taking_a_lease_at_once_one_gets_it(database):
    now = datetime.now(UTC)

    taken = await asyncio.gather(
        *(take_lease(database, "job", f"process-{n}", now, timedelta(minutes=1)) for n in range(10))
    )

    assert taken.count(True) == 1


async def test_of_two_timers_on_one_database_one_sweeps_each_interval(graphql, database, shop):
    # given two processes' timers, and an order long unpaid
    await unpaid_orders_expire(graphql)
    order = await placed_order(graphql, ("TEE-S", 1))
    clock = [later(TTL * 2)]
    timers = [UnpaidOrderExpiry(database, 60, clock=lambda: clock[0]) for _ in range(2)]

    # when both tick at once, then both a minute later
    first = await asyncio.gather(*(timer.tick() for timer in timers))
    clock[0] += timedelta(seconds=60)
    second = await asyncio.gather(*(timer.tick() for timer in timers))

    # then one of them swept each time, and the order was cancelled once
    assert [sweep is None for sweep in first].count(False) == 1
    assert [sweep is None for sweep in second].count(False) == 1
    assert sum(len(sweep.cancelled) for sweep in first + second if sweep) == 1
    read = await order_of(graphql, order["id"])
    assert read["status"] == "CANCELLED"


async def test_the_command_cancels_what_is_unpaid_now(graphql, database, shop):
    # given an order placed two hours ago (its time moved back in the database)
    await unpaid_orders_expire(graphql)
    order = await placed_order(graphql, ("TEE-S", 1))
    order_key = int(base64.b64decode(order["id"]).decode().split(":")[1])
    async with database.writing() as session, session.begin():
        await session.execute(
            update(OrderRecord)
            .where(OrderRecord.id == order_key)
            .values(created_at=datetime.now(UTC) - timedelta(hours=2))
        )

    # when an operator (or cron) runs the sweep
    url = database.url.render_as_string(hide_password=False)
    result = await asyncio.to_thread(omniorder, "expire-unpaid-orders", database=url)

    # then the order is cancelled
    assert result.returncode == 0, result.stderr
    assert "1 unpaid orders cancelled" in result.stdout
    assert (await order_of(graphql, order["id"]))["status"] == "CANCELLED"
    await assert_stock_holds(database)


async def authorize(graphql: GraphQL, order_id: str, key: str) -> str:
    data = await graphql.admin(
        AUTHORIZE_PAYMENT,
        {"input": {"orderId": order_id, "provider": "manual", "idempotencyKey": key}},
    )
    assert data["authorizePayment"]["userErrors"] == []
    return data["authorizePayment"]["payment"]["id"]


@pytest.fixture
async def with_test_provider(database: Database) -> AsyncIterator[GraphQL]:
    """A client of an app that offers the test provider (which posts nothing by itself)."""
    async with client_with_test_provider(database) as client:
        yield client


async def test_a_payment_still_pending_at_its_provider_keeps_the_order(
    with_test_provider, database, shop
):
    # given an order paid by card, whose provider has not answered yet
    graphql = with_test_provider
    await unpaid_orders_expire(graphql)
    order = await placed_order(graphql, ("TEE-S", 1))
    paying = await graphql.admin(
        AUTHORIZE_PAYMENT,
        {
            "input": {
                "orderId": order["id"],
                "provider": "test",
                "method": "CARD",
                "token": "tok_visa",
                "idempotencyKey": "card",
            }
        },
    )
    assert paying["authorizePayment"]["payment"]["state"] == "PENDING"

    # when the sweep runs past the limit
    sweep = await sweep_unpaid_orders(database, later(TTL * 2))

    # then the order waits for the provider's answer
    assert sweep.cancelled == []
    assert (await order_of(graphql, order["id"]))["status"] == "PENDING"
