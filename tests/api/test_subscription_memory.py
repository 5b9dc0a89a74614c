"""A long-lived subscription does not grow the server's memory with every event."""

import tracemalloc

import strawberry

from api.schema import EventScopedExecutionContext

EVENTS = 2000


@strawberry.type
class Query:
    ping: int = 1


@strawberry.type
class Tick:
    number: int
    square: int


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self, count: int) -> Tick:
        for number in range(count):
            yield Tick(number=number, square=number * number)


async def peak_memory_of_one_subscription(**options) -> int:
    schema = strawberry.Schema(query=Query, subscription=Subscription, **options)
    tracemalloc.start()
    try:
        events = await schema.subscribe(f"subscription {{ ticks(count: {EVENTS}) {{ number }} }}")
        received = 0
        async for _ in events:
            received += 1
        assert received == EVENTS
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_memory_stays_flat_over_thousands_of_events():
    ours = await peak_memory_of_one_subscription(
        execution_context_class=EventScopedExecutionContext
    )
    libraries = await peak_memory_of_one_subscription()
    assert ours < 256 * 1024
    assert ours * 4 < libraries, "the library no longer leaks: drop EventScopedExecutionContext"
