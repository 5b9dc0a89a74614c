"""Benchmark subscription latency: from a mutation's commit to a WebSocket client's receipt.

    .venv/bin/python -m bench.subscription_latency

Set-ups (`--setup`, repeatable; by default all three):

  a-postgresql  one `omniorder serve` process on PostgreSQL, in-process broker (no REDIS_URL)
  a-sqlite      the same on SQLite
  b             two server processes sharing one PostgreSQL database and a redis-server of
                the benchmark's own (REDIS_URL set); subscribers alternate between the two
                processes (a lone subscriber is on the second), mutations all go to the first

For each set-up and subscriber count (`--subscribers`, by default 1 and 500) the benchmark
makes `--runs` runs. Each run opens that many graphql-transport-ws connections from this
process, authenticates each as ADMIN in `connection_init` and subscribes to every order's
status changes; places warm-up orders until every subscriber has received one (so all are
subscribed); issues `--mutations` order mutations one after another (placeOrder, then
confirmOrder of the same order), all to the first server process; and closes the
connections. After each mutation it waits until every subscriber has received the event
(bounded by `--event-timeout`) before sending the next, so the figures are the latency of
one event at a time, not of a backlog. Fresh connections per run keep runs independent of
what earlier runs left in the server (its resident memory is printed after every run).

Latency is "commit -> receipt, measured from the mutation response": the client's receive
time of an event minus the time the mutation's HTTP response arrived at the client. The
transaction commits before the response is sent, so the response's arrival is an upper bound
on the commit time (plus a negligible loopback hop), and the figure slightly understates the
true commit -> receipt time (by the response's serialisation and transit); it can even be
negative when the event overtakes the response. The "from send" column (receipt minus the
moment the mutation request was sent) overstates it; the truth lies between the two. Both
times come from this process's monotonic clock. The event's `occurredAt` is the domain's
clock, taken before the commit, and is not used. Receipt is timestamped when the
subscriber's task reads the message, so with 500 subscribers it includes this process
working through 500 messages.

Each run gives a median and a p99 (nearest rank) over all (subscriber, event) pairs; the
table shows the median over runs of both, and every run. With one subscriber a run has only
`--mutations` samples, so its p99 is close to (with 40, equal to) its maximum. Every
subscriber's events are checked: each measured event exactly once, in the order the
mutations were issued, with the expected sequence and status.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from strawberry import relay
from websockets.asyncio.client import ClientConnection

from bench.arguments import add_postgres_admin, bounded
from bench.fixtures import Seeded, fresh_database, migrate_and_seed
from bench.server import HOST, Server, admin_token, app_environment, free_port, running_server

SETUPS = ("a-postgresql", "a-sqlite", "b")
PROTOCOL = "graphql-transport-ws"
SUBSCRIPTION = "subscription { orderStatusChanged { eventId sequence status occurredAt } }"
PLACE_ORDER = """
mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id number status } userErrors { field code message } }
}
"""
CONFIRM_ORDER = """
mutation ConfirmOrder($input: OrderStatusInput!) {
  confirmOrder(input: $input) { order { id status } userErrors { field code message } }
}
"""
CONNECT_CONCURRENCY = 50  # connections being opened at once
HANDSHAKE_TIMEOUT_SECONDS = 15.0
CLOSE_TIMEOUT_SECONDS = 5.0
REQUEST_TIMEOUT_SECONDS = 30.0
WARMUP_ROUNDS = 5
PLACE_ATTEMPTS = 5  # SKUs tried per order when one has run out
MAX_TIMEOUTS = 3  # events some subscriber never got, before a subscriber count is given up
REDIS_START_SECONDS = 10.0


# -- subscribers ------------------------------------------------------------------------------


@dataclass
class Received:
    event_id: str
    sequence: int
    status: str
    at: float  # time.perf_counter() when this process read the message


class Tracker:
    """How many subscribers have received each event, and which are live (saw anything)."""

    def __init__(self, subscribers: int) -> None:
        self.subscribers = subscribers
        self.counts: Counter[str] = Counter()
        self.live: set[int] = set()
        self._changed = asyncio.Event()

    def note(self, subscriber: int, event_id: str) -> None:
        self.counts[event_id] += 1
        self.live.add(subscriber)
        self._changed.set()

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until `condition()` holds, at most `timeout` seconds; whether it held."""
        deadline = time.perf_counter() + timeout
        while not condition():
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return False
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return True


@dataclass
class Subscriber:
    index: int
    process: str  # which server process it is connected to ("p1", "p2")
    connection: ClientConnection
    events: list[Received] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # error/complete messages, closes
    task: asyncio.Task[None] | None = None

    async def read(self, tracker: Tracker, max_messages: int) -> None:
        try:
            for _ in range(max_messages):
                raw = await self.connection.recv()
                at = time.perf_counter()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "next":
                    payload = message.get("payload") or {}
                    event = (payload.get("data") or {}).get("orderStatusChanged")
                    if payload.get("errors") or not event:
                        self.problems.append(f"next without event: {str(payload)[:200]}")
                        continue
                    self.events.append(
                        Received(event["eventId"], event["sequence"], event["status"], at)
                    )
                    tracker.note(self.index, event["eventId"])
                elif kind == "ping":
                    await self.connection.send(json.dumps({"type": "pong"}))
                elif kind != "pong":
                    self.problems.append(f"{kind}: {str(message.get('payload'))[:200]}")
            self.problems.append(f"stopped reading after {max_messages} messages")
        except websockets.ConnectionClosed as closed:
            self.problems.append(f"connection closed: {closed.rcvd}")


async def open_subscriber(
    index: int, process: str, ws_url: str, token: str, deflate: bool
) -> Subscriber:
    connection = await websockets.connect(
        ws_url,
        subprotocols=[PROTOCOL],
        compression="deflate" if deflate else None,
        proxy=None,
        open_timeout=HANDSHAKE_TIMEOUT_SECONDS,
        ping_interval=None,
        close_timeout=CLOSE_TIMEOUT_SECONDS,
    )
    try:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await connection.send(json.dumps(init))
        ack = json.loads(await asyncio.wait_for(connection.recv(), HANDSHAKE_TIMEOUT_SECONDS))
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"expected connection_ack, got {ack}")
        subscribe = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}
        await connection.send(json.dumps(subscribe))
    except BaseException:
        await connection.close()
        raise
    return Subscriber(index, process, connection)


@contextlib.asynccontextmanager
async def subscribers_connected(
    count: int,
    ws_urls: list[tuple[str, str]],
    token: str,
    tracker: Tracker,
    *,
    deflate: bool,
    max_messages: int,
) -> AsyncIterator[list[Subscriber]]:
    """`count` subscribers, spread round-robin over `ws_urls` starting with the last one (with
    several processes, a lone subscriber is on one that serves no mutations); all closed
    afterwards."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(index: int) -> Subscriber:
        process, url = ws_urls[(index - 1) % len(ws_urls)]
        async with gate:
            return await open_subscriber(index, process, url, token, deflate)

    results = await asyncio.gather(*(one(i) for i in range(count)), return_exceptions=True)
    opened = [r for r in results if isinstance(r, Subscriber)]
    try:
        failures = [r for r in results if not isinstance(r, Subscriber)]
        if failures:
            raise RuntimeError(
                f"{len(failures)} of {count} subscribers failed to connect: {failures[0]!r}"
            )
        for subscriber in opened:
            subscriber.task = asyncio.create_task(subscriber.read(tracker, max_messages))
        yield opened
    finally:
        await _close_all(opened)


async def _close_all(subscribers: list[Subscriber]) -> None:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def close(subscriber: Subscriber) -> None:
        async with gate:
            with contextlib.suppress(Exception):
                complete = json.dumps({"id": "1", "type": "complete"})
                await asyncio.wait_for(subscriber.connection.send(complete), CLOSE_TIMEOUT_SECONDS)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(subscriber.connection.close(), CLOSE_TIMEOUT_SECONDS * 2)
        if subscriber.task is not None:
            subscriber.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await subscriber.task

    await asyncio.gather(*(close(s) for s in subscribers))


# -- mutations --------------------------------------------------------------------------------


@dataclass
class Issued:
    event_id: str
    sequence: int
    status: str
    sent: float  # perf_counter before the request
    answered: float  # perf_counter when the response arrived


class Orders:
    """Places and confirms orders on one server, one request at a time."""

    def __init__(self, client: httpx.AsyncClient, skus: tuple[str, ...]) -> None:
        self.client = client
        self.skus = skus
        self.next_sku = 0
        self.refusals: Counter[str] = Counter()

    async def _post(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables})
        if response.status_code != 200:
            raise RuntimeError(f"http {response.status_code}: {response.text[:300]}")
        document = response.json()
        if document.get("errors"):
            raise RuntimeError(f"graphql errors: {document['errors']}")
        return document["data"]

    async def place(self) -> tuple[str, Issued]:
        """A new order (PENDING, sequence 1): its global id and the event it caused."""
        for _ in range(PLACE_ATTEMPTS):
            sku = self.skus[self.next_sku % len(self.skus)]
            self.next_sku += 1
            order_input = {
                "channel": "WEB",
                "fulfilment": "SHIPPING",
                "shippingAddress": {
                    "line1": "1 Benchmark Street",
                    "city": "Springfield",
                    "postalCode": "62701",
                    "country": "US",
                },
                "lines": [{"sku": sku, "quantity": 1}],
            }
            sent = time.perf_counter()
            data = await self._post(PLACE_ORDER, {"input": order_input})
            answered = time.perf_counter()
            payload = data["placeOrder"]
            if payload["userErrors"]:
                self.refusals[payload["userErrors"][0]["code"]] += 1
                continue
            order_id = payload["order"]["id"]
            return order_id, Issued(_event_id(order_id, 1), 1, "PENDING", sent, answered)
        raise RuntimeError(f"placeOrder refused {PLACE_ATTEMPTS} times: {dict(self.refusals)}")

    async def confirm(self, order_id: str) -> Issued:
        sent = time.perf_counter()
        data = await self._post(CONFIRM_ORDER, {"input": {"orderId": order_id}})
        answered = time.perf_counter()
        payload = data["confirmOrder"]
        if payload["userErrors"]:
            raise RuntimeError(f"confirmOrder refused: {payload['userErrors']}")
        return Issued(_event_id(order_id, 2), 2, "CONFIRMED", sent, answered)


def _event_id(global_id: str, sequence: int) -> str:
    """The `eventId` the server gives the change: "order-<key>-<sequence>" (the warm-up
    checks that it still does)."""
    type_name, node_id = relay.from_base64(global_id)
    if type_name != "Order":
        raise RuntimeError(f"not an order id: {global_id}")
    return f"order-{int(node_id)}-{sequence}"


# -- measuring --------------------------------------------------------------------------------


@dataclass
class Run:
    latencies_ms: list[float]  # receipt - mutation response (the figure reported)
    from_send_ms: list[float]  # receipt - mutation request sent (an upper bound)
    by_process_ms: dict[str, list[float]]
    mutation_ms: list[float]  # HTTP round trip of each measured mutation
    timeouts: int  # events not received by every subscriber within --event-timeout
    elapsed: float
    client_cpu: float
    server_cpu: float | None
    server_rss_mb: float | None = None  # at the end of the run, subscribers still connected

    @property
    def median(self) -> float | None:
        return statistics.median(self.latencies_ms) if self.latencies_ms else None

    @property
    def p99(self) -> float | None:
        return percentile(self.latencies_ms, 0.99)

    @property
    def median_from_send(self) -> float | None:
        return statistics.median(self.from_send_ms) if self.from_send_ms else None


@dataclass
class Delivery:
    """What the subscribers got of the measured events."""

    expected: int = 0  # subscribers x measured events
    received: int = 0
    missing: int = 0
    duplicates: int = 0
    out_of_order: int = 0  # adjacent pairs received in an order other than issued
    wrong_payload: int = 0  # sequence or status not the one the mutation caused
    foreign: int = 0  # events neither measured nor warm-up
    problems: Counter[str] = field(default_factory=Counter)

    @property
    def exact(self) -> bool:
        return not (
            self.missing
            or self.duplicates
            or self.out_of_order
            or self.wrong_payload
            or self.foreign
            or self.problems
        )


@dataclass
class Result:
    setup: str
    database: str
    processes: int
    subscribers: int
    runs: list[Run] = field(default_factory=list)
    delivery: Delivery = field(default_factory=Delivery)
    warmup_orders: int = 0
    failed: str | None = None  # not measured, and why
    stopped: str | None = None  # measured only in part, and why
    load_before: float = 0.0
    server_log_errors: int = 0

    def median_of(self, pick: Callable[[Run], float | None]) -> float | None:
        values = [v for v in (pick(run) for run in self.runs) if v is not None]
        return statistics.median(values) if values else None


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)  # nearest rank
    return ordered[min(len(ordered), max(1, math.ceil(fraction * len(ordered)))) - 1]


async def warm_up(orders: Orders, tracker: Tracker, timeout: float) -> tuple[list[str], str | None]:
    """Place orders until every subscriber has received one; the warm-up event ids, and
    why it failed if it did."""
    event_ids: list[str] = []
    for _ in range(WARMUP_ROUNDS):
        _, issued = await orders.place()
        event_ids.append(issued.event_id)
        if await tracker.wait_until(lambda: len(tracker.live) >= tracker.subscribers, timeout):
            # Everyone is live; let those that were already live receive this last one too.
            last = issued.event_id
            if not tracker.counts[last] and not await tracker.wait_until(
                lambda e=last: tracker.counts[e] > 0, timeout
            ):
                return event_ids, (
                    f"no subscriber received an event with id {last}; event ids seen: "
                    f"{sorted(tracker.counts)[:5]}"
                )
            if await tracker.wait_until(
                lambda e=last: tracker.counts[e] >= tracker.subscribers, timeout
            ):
                return event_ids, None
            return event_ids, f"warm-up event reached {tracker.counts[last]} subscribers"
    return event_ids, (
        f"after {WARMUP_ROUNDS} warm-up orders only {len(tracker.live)} of "
        f"{tracker.subscribers} subscribers had received an event"
    )


async def measure_run(
    orders: Orders,
    tracker: Tracker,
    subscribers: list[Subscriber],
    servers: list[Server],
    args: argparse.Namespace,
) -> tuple[Run, list[Issued]]:
    issued: list[Issued] = []
    timeouts = 0
    cpu_before, server_before = time.process_time(), _server_cpu(servers)
    started = time.perf_counter()
    deadline = started + args.run_timeout
    order_id: str | None = None
    for number in range(args.mutations):
        if time.perf_counter() > deadline:
            break
        if number % 2 == 0:
            order_id, event = await orders.place()
        else:
            assert order_id is not None
            event = await orders.confirm(order_id)
        issued.append(event)
        if not await tracker.wait_until(
            lambda e=event.event_id: tracker.counts[e] >= tracker.subscribers, args.event_timeout
        ):
            timeouts += 1
            if timeouts >= MAX_TIMEOUTS:
                break
        if args.gap:
            await asyncio.sleep(args.gap)
    elapsed = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_before
    server_after = _server_cpu(servers)
    if timeouts:  # late events are still timed, and count for the delivery check
        await tracker.wait_until(
            lambda: all(tracker.counts[e.event_id] >= tracker.subscribers for e in issued),
            args.event_timeout,
        )

    answered = {event.event_id: event.answered for event in issued}
    sent = {event.event_id: event.sent for event in issued}
    latencies: list[float] = []
    from_send: list[float] = []
    by_process: dict[str, list[float]] = {}
    for subscriber in subscribers:
        first_receipts = {}  # a duplicate is counted by check_delivery, not timed
        for received in subscriber.events:
            first_receipts.setdefault(received.event_id, received)
        for received in first_receipts.values():
            if received.event_id in answered:
                latency = (received.at - answered[received.event_id]) * 1000
                latencies.append(latency)
                from_send.append((received.at - sent[received.event_id]) * 1000)
                by_process.setdefault(subscriber.process, []).append(latency)
    run = Run(
        latencies,
        from_send,
        by_process,
        [(event.answered - event.sent) * 1000 for event in issued],
        timeouts,
        elapsed,
        client_cpu,
        None if server_after is None or server_before is None else server_after - server_before,
    )
    return run, issued


def _server_cpu(servers: list[Server]) -> float | None:
    values = [server.cpu_seconds() for server in servers]
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def check_delivery(
    delivery: Delivery, subscribers: list[Subscriber], issued: list[Issued], warmup_ids: set[str]
) -> None:
    """Every measured event exactly once per subscriber, in the order issued, as caused;
    what is not is added to `delivery`."""
    position = {event.event_id: i for i, event in enumerate(issued)}
    for subscriber in subscribers:
        delivery.expected += len(issued)
        seen: Counter[str] = Counter()
        last = -1
        for received in subscriber.events:
            index = position.get(received.event_id)
            if index is None:
                if received.event_id not in warmup_ids:
                    delivery.foreign += 1
                continue
            delivery.received += 1
            seen[received.event_id] += 1
            if seen[received.event_id] > 1:
                delivery.duplicates += 1
                continue
            if index < last:
                delivery.out_of_order += 1
            last = max(last, index)
            expected = issued[index]
            if (received.sequence, received.status) != (expected.sequence, expected.status):
                delivery.wrong_payload += 1
        delivery.missing += sum(1 for event in issued if not seen[event.event_id])
        for problem in subscriber.problems:
            delivery.problems[problem.split(":")[0]] += 1


async def measure_count(
    result: Result,
    servers: list[Server],
    token: str,
    seeded: Seeded,
    args: argparse.Namespace,
) -> None:
    """One subscriber count on running servers: every run connects its own subscribers,
    warms up, measures, checks what each got, and closes them again."""
    headers = {"authorization": f"Bearer {token}"}
    result.load_before = os.getloadavg()[0]
    async with httpx.AsyncClient(
        base_url=servers[0].base_url,
        headers=headers,
        timeout=REQUEST_TIMEOUT_SECONDS,
        trust_env=False,
    ) as client:
        orders = Orders(client, seeded.web_skus)
        for number in range(1, args.runs + 1):
            rss_before = _server_rss_mb(servers)
            run = await measure_one_run(result, servers, token, orders, args)
            if run is None:
                return
            print(
                f"  {result.setup} x{result.subscribers}: run {number}/{args.runs}: "
                f"{len(run.latencies_ms)} deliveries of {len(run.mutation_ms)} events "
                f"in {run.elapsed:.1f}s, "
                f"median {_ms(run.median)} ms, p99 {_ms(run.p99)} ms, "
                f"mutation median {_ms(statistics.median(run.mutation_ms))} ms, "
                f"timeouts {run.timeouts}, client CPU {_share(run.client_cpu, run.elapsed)}, "
                f"server CPU {_share(run.server_cpu, run.elapsed)}, server RSS "
                f"{_mb(rss_before)} -> {_mb(run.server_rss_mb)} MB (subscribers connected)"
            )
            if run.timeouts >= MAX_TIMEOUTS:
                result.stopped = (
                    f"stopped in run {number}: {run.timeouts} events did not reach every "
                    f"subscriber within {args.event_timeout}s"
                )
                print(f"  {result.setup} x{result.subscribers}: {result.stopped}")
                break
        if orders.refusals:
            print(f"  placeOrder refusals (another SKU was tried): {dict(orders.refusals)}")


async def measure_one_run(
    result: Result,
    servers: list[Server],
    token: str,
    orders: Orders,
    args: argparse.Namespace,
) -> Run | None:
    """Fresh subscribers, so that runs do not depend on what earlier ones left behind."""
    ws_urls = [
        (f"p{i + 1}", server.base_url.replace("http://", "ws://", 1) + "/graphql")
        for i, server in enumerate(servers)
    ]
    tracker = Tracker(result.subscribers)
    max_messages = (args.mutations + WARMUP_ROUNDS) * 2 + 100
    async with subscribers_connected(
        result.subscribers,
        ws_urls,
        token,
        tracker,
        deflate=args.deflate,
        max_messages=max_messages,
    ) as subscribers:
        warmup_ids, problem = await warm_up(orders, tracker, args.event_timeout)
        result.warmup_orders += len(warmup_ids)
        if problem:
            result.failed = problem
            return None
        run, issued = await measure_run(orders, tracker, subscribers, servers, args)
        run.server_rss_mb = _server_rss_mb(servers)
        result.runs.append(run)
        check_delivery(result.delivery, subscribers, issued, set(warmup_ids))
    return run


def _server_rss_mb(servers: list[Server]) -> float | None:
    """Resident memory of the server processes (Linux only)."""
    total = 0
    for server in servers:
        try:
            status = Path(f"/proc/{server.process.pid}/status").read_text()
        except OSError:
            return None
        lines = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        if not lines:
            return None
        total += int(lines[0].split()[1])
    return total / 1024


def _mb(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"


# -- set-ups ----------------------------------------------------------------------------------


@contextlib.contextmanager
def running_redis() -> Iterator[str]:
    """A redis-server of the benchmark's own on a free loopback port, stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed")
    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="omniorder-bench-redis-"))
    log_path = directory / "redis.log"
    command = [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
    command += ["--dir", str(directory), "--logfile", str(log_path)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + REDIS_START_SECONDS
        while not _redis_answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                log = log_path.read_text(errors="replace") if log_path.exists() else ""
                raise RuntimeError(f"redis-server did not start:\n{log[-2000:]}")
            time.sleep(0.1)
        yield f"redis://{HOST}:{port}/0"
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Interrupt:
    """Ctrl-C cancels only the measurement under way, so that stopping the servers and redis
    and dropping the database run undisturbed; a second Ctrl-C gives up at once."""

    def __init__(self) -> None:
        self.requested = False
        self.task: asyncio.Task[None] | None = None

    def __call__(self) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print(
            "\ninterrupted: stopping the servers and removing the database (Ctrl-C again to quit)"
        )
        if self.task is not None:
            self.task.cancel()


async def run_setup(setup: str, args: argparse.Namespace, interrupt: Interrupt) -> list[Result]:
    backend = "sqlite" if setup == "a-sqlite" else "postgresql"
    processes = 2 if setup == "b" else 1
    results = [Result(setup, backend, processes, count) for count in args.subscribers]
    print(f"\n{setup}: {processes} server process(es) on {backend}")
    async with fresh_database(backend, args.postgres_admin) as url:
        seeded = await migrate_and_seed(url, products=args.products, variants=2, seed=args.seed)
        if not seeded.web_skus:
            raise SystemExit("no SKU has stock for the WEB channel")
        env = app_environment(url, secrets.token_urlsafe(32))
        token = admin_token(env)
        servers: list[Server] = []
        with contextlib.ExitStack() as stack:  # on the way out: the servers, then redis
            if setup == "b":
                env = env | {"REDIS_URL": stack.enter_context(running_redis())}
            for _ in range(processes):
                servers.append(stack.enter_context(running_server(env)))
            for result in results:
                if interrupt.requested:
                    result.failed = "interrupted"
                    continue
                interrupt.task = asyncio.create_task(
                    measure_count(result, servers, token, seeded, args)
                )
                try:
                    await interrupt.task
                except asyncio.CancelledError:
                    result.failed = "interrupted"
                except (RuntimeError, OSError, httpx.HTTPError) as error:
                    result.failed = f"{type(error).__name__}: {error}"[:300]
                finally:
                    interrupt.task = None
                if result.failed:
                    print(f"  {setup} x{result.subscribers}: NOT MEASURED: {result.failed}")
        for result in results:  # counted once the servers have stopped
            result.server_log_errors = sum(server.log_errors for server in servers)
    return results


# -- report -----------------------------------------------------------------------------------


def report(results: list[Result], args: argparse.Namespace) -> None:
    header = (
        "setup",
        "db",
        "procs",
        "subs",
        "events",
        "deliveries",
        "median ms",
        "p99 ms",
        "run medians",
        "run p99s",
        "from send",
        "missing",
        "dup",
        "out of order",
        "exactly once, in order",
    )
    rows = [header]
    for r in results:
        events = sum(len(run.mutation_ms) for run in r.runs)
        deliveries = sum(len(run.latencies_ms) for run in r.runs)
        d = r.delivery
        verdict = "-" if r.failed else ("yes" if d.exact else "NO")
        if r.stopped and not r.failed:
            verdict += " (stopped early)"
        rows.append(
            (
                r.setup,
                r.database,
                str(r.processes),
                str(r.subscribers),
                str(events),
                str(deliveries),
                _ms(r.median_of(lambda run: run.median)),
                _ms(r.median_of(lambda run: run.p99)),
                " ".join(_ms(run.median) for run in r.runs) or "not measured",
                " ".join(_ms(run.p99) for run in r.runs) or "-",
                _ms(r.median_of(lambda run: run.median_from_send)),
                str(d.missing),
                str(d.duplicates),
                str(d.out_of_order),
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print()
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print()
    print(
        f"latency: commit -> receipt, measured from the mutation's HTTP response ('from send': "
        f"median from the request instead, an upper bound); "
        f"{args.runs} runs x {args.mutations} mutations (placeOrder/confirmOrder), one event "
        f"at a time; median and p99 are medians over runs; {os.cpu_count()} CPUs shared by "
        f"subscribers, mutation client, servers, database and redis"
    )
    for r in results:
        if r.failed:
            print(f"{r.setup} x{r.subscribers}: not measured: {r.failed}")
            continue
        mutation = statistics.median(ms for run in r.runs for ms in run.mutation_ms)
        timeouts = sum(run.timeouts for run in r.runs)
        server = [run.server_cpu / run.elapsed for run in r.runs if run.server_cpu is not None]
        client = statistics.median(run.client_cpu / run.elapsed for run in r.runs)
        line = (
            f"{r.setup} x{r.subscribers}: mutation round trip median {mutation:.1f} ms; "
            f"CPU servers {statistics.median(server):.0%} client {client:.0%}; "
            f"load average before {r.load_before:.1f}; warm-up orders {r.warmup_orders}; "
            f"event timeouts {timeouts}"
        )
        if r.stopped:
            line += f"; {r.stopped}"
        if r.processes > 1:
            pooled: dict[str, list[float]] = {}
            for run in r.runs:
                for process, values in run.by_process_ms.items():
                    pooled.setdefault(process, []).extend(values)
            line += "; median by process " + ", ".join(
                f"{process} {statistics.median(values):.1f} ms"
                for process, values in sorted(pooled.items())
            )
        d = r.delivery
        if not d.exact:
            line += (
                f"; DELIVERY: expected {d.expected}, received {d.received}, missing "
                f"{d.missing}, duplicates {d.duplicates}, out of order {d.out_of_order}, "
                f"wrong payload {d.wrong_payload}, foreign {d.foreign}, "
                f"protocol problems {dict(d.problems)}"
            )
        print(line)
    errors = {r.setup: r.server_log_errors for r in results}
    print(f"server log error lines: {errors}")


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _share(cpu_seconds: float | None, elapsed: float) -> str:
    return "n/a" if cpu_seconds is None or not elapsed else f"{cpu_seconds / elapsed:.0%}"


# -- command line -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.subscription_latency",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--setup", action="append", choices=SETUPS, help="repeatable; default: all three"
    )
    parser.add_argument(
        "--subscribers",
        type=bounded(1, 2000),
        nargs="+",
        default=[1, 500],
        help="subscriber counts (default: 1 500)",
    )
    parser.add_argument("--runs", type=bounded(1, 50), default=5, help="per subscriber count")
    parser.add_argument(
        "--mutations", type=bounded(2, 1000), default=40, help="measured mutations per run"
    )
    parser.add_argument(
        "--event-timeout",
        type=float,
        default=10.0,
        help="seconds to wait for every subscriber to receive one event (default 10)",
    )
    parser.add_argument(
        "--run-timeout", type=float, default=300.0, help="no new mutation after this (s)"
    )
    parser.add_argument(
        "--gap", type=float, default=0.02, help="pause between mutations, seconds (default 0.02)"
    )
    parser.add_argument(
        "--deflate", action="store_true", help="offer permessage-deflate (browsers do)"
    )
    parser.add_argument("--products", type=bounded(1, 100_000), default=200)
    parser.add_argument("--seed", type=int, default=1)
    add_postgres_admin(parser)
    args = parser.parse_args(argv)
    args.setup = list(dict.fromkeys(args.setup or SETUPS))
    for name in ("event_timeout", "run_timeout", "gap"):
        value = getattr(args, name)
        if not 0 <= value <= 3600:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 3600")
    return args


async def benchmark(args: argparse.Namespace, interrupt: Interrupt) -> list[Result]:
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, interrupt)
    results: list[Result] = []
    try:
        for setup in args.setup:
            if interrupt.requested:
                break
            try:
                results += await run_setup(setup, args, interrupt)
            except RuntimeError as error:  # e.g. redis-server missing
                print(f"{setup}: NOT MEASURED: {error}")
                results += [
                    Result(setup, "-", 0, count, failed=str(error)[:300])
                    for count in args.subscribers
                ]
    finally:
        loop.remove_signal_handler(signal.SIGINT)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"omniorder subscription latency: set-ups {', '.join(args.setup)}; subscribers "
        f"{' '.join(map(str, args.subscribers))}; {args.runs} runs x {args.mutations} mutations"
    )
    interrupt = Interrupt()
    try:
        results = asyncio.run(benchmark(args, interrupt))
    except KeyboardInterrupt:
        print("interrupted twice: the cleanup may not have finished")
        return 130
    report(results, args)
    if interrupt.requested:
        print("interrupted: the servers and redis were stopped and the databases removed")
        return 130
    healthy = all(
        not r.failed and not r.stopped and r.delivery.exact and r.server_log_errors == 0
        for r in results
    )
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
