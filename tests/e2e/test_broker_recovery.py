"""The Redis listener outlives a failed replay: the database behind it may be down for a
moment, and the process must go on hearing events once it is back."""

import asyncio

from api.broker import EventHub, Message, RedisBroker


async def test_a_replay_that_fails_is_tried_again_and_events_still_arrive(redis_server):
    replays: list[int] = []

    async def replay(position: int) -> list[Message]:
        replays.append(position)
        if len(replays) == 1:
            raise RuntimeError("the database is down")  # as a DBAPIError would, not an OSError
        return []

    async def last_position() -> int:
        return 0

    hub = EventHub()
    broker = RedisBroker(redis_server.url, hub, replay=replay, last_position=last_position)
    await broker.start()
    try:
        async with hub.subscription() as queue:
            async with asyncio.timeout(10):
                while len(replays) < 2 or not broker.connected.is_set():
                    await asyncio.sleep(0.02)
            await broker.publish([{"position": 1, "kind": "test"}])
            async with asyncio.timeout(10):
                assert await queue.get() == {"position": 1, "kind": "test"}
    finally:
        await broker.stop()
