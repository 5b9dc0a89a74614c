"""A deadlock PostgreSQL breaks is a conflict the mutation layer runs again, not an error."""

from __future__ import annotations

import asyncio

import pytest

from api.errors import RequestError
from api.mutations.runner import CONFLICT_RETRY_DELAYS, run_again_after_conflicts
from persistence.database import Database
from persistence.uow import SqlUnitOfWork, TransactionConflict
from tests.api.orders_documents import place, shipping_order


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite: one writer
async def test_two_commands_locking_two_orders_in_crossing_order_end_in_one_conflict(
    graphql, shop, database: Database
):
    first, second = [
        int((await place(graphql, shipping_order(("MUG", 1))))["order"]["number"][3:])
        for _ in range(2)
    ]
    holding = [asyncio.Event(), asyncio.Event()]

    async def lock(one: int, then: int, mine: asyncio.Event, theirs: asyncio.Event) -> None:
        async with SqlUnitOfWork(database) as uow:
            await uow.orders.get(one)
            mine.set()
            await theirs.wait()
            await uow.orders.get(then)

    results = await asyncio.gather(
        lock(first, second, holding[0], holding[1]),
        lock(second, first, holding[1], holding[0]),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in results) == [
        "NoneType",
        "TransactionConflict",
    ]


async def test_a_command_that_lost_a_deadlock_runs_again_and_succeeds():
    calls = 0

    async def loses_twice() -> str:
        nonlocal calls
        calls += 1
        if calls <= 2:
            raise TransactionConflict("deadlock detected")
        return "done"

    assert await run_again_after_conflicts(loses_twice) == "done"
    assert calls == 3


async def test_a_command_that_keeps_losing_is_refused_with_conflict_after_its_last_try():
    calls = 0

    async def always_loses() -> str:
        nonlocal calls
        calls += 1
        raise TransactionConflict("deadlock detected")

    with pytest.raises(RequestError) as refused:
        await run_again_after_conflicts(always_loses)
    assert refused.value.extensions == {"code": "CONFLICT"}
    assert calls == len(CONFLICT_RETRY_DELAYS) + 1
