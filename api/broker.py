"""Event delivery between processes: an in-process broker, or Redis pub/sub.

Events reach the broker from the outbox relay (only after their transaction committed) and
leave it through the `EventHub`, which fans each one out to this process's subscriptions.
With Redis, a mutation served by one process reaches subscribers connected to another.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

from api.observability.logs import RepeatedFailure
from api.observability.metrics import OPEN_SUBSCRIPTIONS

log = logging.getLogger("omniorder.broker")
Message = dict[str, Any]
CHANNEL = "omniorder:events"
SUBSCRIBER_BACKLOG = 10_000
RECONNECT_DELAYS = (0.1, 0.25, 0.5, 1.0, 2.0)


class BrokerUnavailable(Exception):
    """The broker cannot take events now; the outbox keeps them for a later attempt."""


class EventHub:
    """This process's subscriptions, each a queue the hub puts every event into."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Message | None]] = set()

    @contextlib.asynccontextmanager
    async def subscription(self) -> AsyncIterator[asyncio.Queue[Message | None]]:
        """A queue of events from now on; `None` in it means the subscriber fell too far
        behind and was dropped (a client can resume from its last sequence number)."""
        queue: asyncio.Queue[Message | None] = asyncio.Queue(SUBSCRIBER_BACKLOG)
        self._queues.add(queue)
        OPEN_SUBSCRIPTIONS.inc()
        try:
            yield queue
        finally:
            self._queues.discard(queue)
            OPEN_SUBSCRIPTIONS.dec()

    def dispatch(self, message: Message) -> None:
        for queue in list(self._queues):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                self._queues.discard(queue)
                queue.get_nowait()  # make room for the end marker
                queue.put_nowait(None)


class Broker(Protocol):
    hub: EventHub

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish(self, messages: Sequence[Message]) -> None: ...
    async def ping(self) -> bool: ...


class InMemoryBroker:
    """One process: published events go straight to the hub."""

    def __init__(self, hub: EventHub) -> None:
        self.hub = hub

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, messages: Sequence[Message]) -> None:
        for message in messages:
            self.hub.dispatch(message)

    async def ping(self) -> bool:
        return True


class RedisBroker:
    """Several processes: events go through one Redis pub/sub channel.

    Pub/sub keeps nothing for a listener that is away, so after every (re)connection the
    listener asks `replay` for the events published since the last one it saw, and drops
    what it has already seen (delivery is at-least-once, duplicates are filtered here).
    """

    def __init__(
        self,
        url: str,
        hub: EventHub,
        replay: Callable[[int], Awaitable[list[Message]]],
        last_position: Callable[[], Awaitable[int]],
    ) -> None:
        self.hub = hub
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        self._replay = replay
        self._last_position = last_position
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._position = 0
        self._listener: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        self._failures = RepeatedFailure(log, "redis listener")

    async def start(self) -> None:
        self._position = await self._last_position()
        self._listener = asyncio.create_task(self._listen(), name="redis-listener")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._client.aclose()

    async def publish(self, messages: Sequence[Message]) -> None:
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for message in messages:
                    pipe.publish(CHANNEL, json.dumps(message))
                await pipe.execute()
        except (RedisError, OSError) as error:
            raise BrokerUnavailable(str(error)) from error

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except (RedisError, OSError):
            return False

    async def _listen(self) -> None:
        attempt = 0
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.connected.set()
                    self._failures.succeeded()
                    attempt = 0
                    for message in await self._replay(self._position):
                        self._deliver(message)
                    async for raw in pubsub.listen():
                        if raw.get("type") == "message":
                            self._deliver(json.loads(raw["data"]))
            except Exception as error:
                # Redis gone, or the replay's database: either way the listener must live
                # on and try again, or this process would stop hearing events for good.
                self.connected.clear()
                delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                attempt += 1
                self._failures.failed(error)
                await asyncio.sleep(delay)

    def _deliver(self, message: Message) -> None:
        position = int(message["position"])
        if position in self._seen:
            return
        self._seen[position] = None
        if len(self._seen) > SUBSCRIBER_BACKLOG:
            self._seen.popitem(last=False)
        self._position = max(self._position, position)
        self.hub.dispatch(message)
