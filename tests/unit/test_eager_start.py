"""Starting a resolver's coroutine at once (api/plans/eager.py): a coroutine that need not
wait gives its value with no task made; one that waits is carried on, with its errors and
its cancellation, as a Task would carry it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.plans.eager import start


async def read(future: asyncio.Future[Any], then: asyncio.Future[Any] | None = None) -> Any:
    value = await future
    if then is not None:
        value += await then
    return value


def test_a_coroutine_that_need_not_wait_gives_its_value_with_no_task() -> None:
    async def scenario() -> tuple[bool, Any, int]:
        done = asyncio.get_running_loop().create_future()
        done.set_result(7)
        tasks = len(asyncio.all_tasks())
        finished, value = start(read(done))
        return finished, value, len(asyncio.all_tasks()) - tasks

    assert asyncio.run(scenario()) == (True, 7, 0)


def test_a_coroutine_that_waits_is_carried_on_when_its_future_is_done() -> None:
    async def scenario() -> tuple[bool, Any]:
        pending = asyncio.get_running_loop().create_future()
        finished, outcome = start(read(pending))
        asyncio.get_running_loop().call_soon(pending.set_result, 5)
        return finished, await outcome

    assert asyncio.run(scenario()) == (False, 5)


def test_coroutines_waiting_on_one_future_all_go_on() -> None:
    """Two loads of one DataLoader key share a future: the second must be able to await it."""

    async def scenario() -> list[Any]:
        shared = asyncio.get_running_loop().create_future()
        started = [start(read(shared)) for _ in range(3)]
        shared.set_result(1)
        return await asyncio.gather(*(outcome for _, outcome in started))

    assert asyncio.run(scenario()) == [1, 1, 1]


def test_a_bare_turn_of_the_loop_is_carried_on() -> None:
    async def turns() -> str:
        await asyncio.sleep(0)
        return "after a turn"

    async def scenario() -> Any:
        finished, outcome = start(turns())
        assert not finished
        return await outcome

    assert asyncio.run(scenario()) == "after a turn"


def test_an_error_before_waiting_is_raised_at_once_and_one_after_on_await() -> None:
    async def fails_now() -> None:
        raise ValueError("now")

    async def scenario() -> None:
        with pytest.raises(ValueError, match="now"):
            start(fails_now())
        pending = asyncio.get_running_loop().create_future()
        _, outcome = start(read(pending))
        pending.set_exception(KeyError("later"))
        with pytest.raises(KeyError, match="later"):
            await outcome

    asyncio.run(scenario())


async def cleaned_up(future: asyncio.Future[Any], log: list[str]) -> Any:
    """Waits on `future`; its clean-up awaits too, as `async with session:` does."""
    try:
        return await future
    except asyncio.CancelledError:
        log.append("cancelled")
        raise
    finally:
        await asyncio.sleep(0)
        log.append("cleaned up")


@pytest.mark.parametrize("resumed_first", [False, True])
def test_a_cancelled_coroutine_meets_the_cancellation_where_it_waits(resumed_first: bool) -> None:
    """Cancelled before it is resumed, or after (waiting on a second future), the coroutine
    gets CancelledError where it stopped and runs its clean-up to the end."""
    log: list[str] = []

    async def scenario() -> bool:
        loop = asyncio.get_running_loop()
        first, second = loop.create_future(), loop.create_future()
        waiting_on = first
        if resumed_first:

            async def twice() -> Any:
                inner = await first
                return await cleaned_up(inner, log)

            _, outcome = start(twice())
            first.set_result(second)
            await asyncio.sleep(0)
            await asyncio.sleep(0)  # resumed in its Task, which now waits on `second`
            assert outcome._task is not None
            waiting_on = second
        else:
            _, outcome = start(cleaned_up(first, log))
        assert outcome.cancel()
        with pytest.raises(asyncio.CancelledError):
            await outcome
        return waiting_on.cancelled()

    assert asyncio.run(scenario()) is True
    assert log == ["cancelled", "cleaned up"]
