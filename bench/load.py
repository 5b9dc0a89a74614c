"""Closed-loop load: N asyncio clients, each sending its next request when the last returns.

Every run is bounded twice: by time (no new request after the deadline) and by count (at most
`max_requests` in all). Each response is classified into an outcome ("ok", "userError:CODE",
"http 500", "graphql error", ...); only successes count towards the throughput.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from bench.light_client import LightClient

OK = "ok"
REQUEST_TIMEOUT_SECONDS = 60.0

Classifier = Callable[[httpx.Response], str]


@dataclass
class RunResult:
    elapsed: float
    outcomes: Counter[str]
    latencies: list[float]  # seconds, successful requests only
    client_cpu: float  # CPU seconds of this (client) process during the run
    server_cpu: float | None  # CPU seconds of the server process during the run

    @property
    def successes(self) -> int:
        return self.outcomes[OK]

    @property
    def rate(self) -> float:
        return self.successes / self.elapsed if self.elapsed else 0.0


@dataclass
class Workload:
    name: str
    clients: int
    body: Callable[[], dict[str, Any]]  # the next request's GraphQL document and variables
    classify: Classifier
    results: list[RunResult] = field(default_factory=list)
    failed: str | None = None  # why it was not measured: its probe request failed
    response_bytes: int | None = None  # size of the probe's response
    # Requests one run may send at most, asked as each run starts (for a workload that uses
    # up what an earlier one made); None: as many as the run's time allows.
    budget: Callable[[], int] | None = None

    @property
    def median_rate(self) -> float | None:
        return statistics.median(r.rate for r in self.results) if self.results else None

    def latency_percentile(self, fraction: float) -> float | None:
        latencies = sorted(x for r in self.results for x in r.latencies)
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))]

    def outcomes(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for run in self.results:
            total.update(run.outcomes)
        return total


def bearer(token: str | None) -> dict[str, str]:
    """The authorization header of `token`; none for an anonymous caller (`None`)."""
    return {"authorization": f"Bearer {token}"} if token else {}


async def probe(workload: Workload, *, base_url: str, token: str | None) -> None:
    """One request before measuring, so a broken workload is reported once, not hammered."""
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT_SECONDS) as client:
        try:
            response = await client.post("/graphql", json=workload.body(), headers=bearer(token))
        except httpx.HTTPError as error:
            workload.failed = f"transport error: {error!r}"
            return
    workload.response_bytes = len(response.content)
    outcome = workload.classify(response)
    if outcome != OK:
        workload.failed = f"{outcome} ({response.text[:300]})"


async def run_once(
    workload: Workload,
    *,
    base_url: str,
    token: str | None,
    seconds: float,
    max_requests: int,
    server_cpu: Callable[[], float | None],
    light: bool = False,
) -> RunResult:
    """One run; with `light`, through bench/light_client.py instead of httpx, whose own
    CPU would otherwise limit small requests."""
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    budget = [max_requests]

    async with _client(base_url, bearer(token), workload.clients, light) as client:
        deadline = time.perf_counter() + seconds

        async def one_client() -> None:
            while time.perf_counter() < deadline and budget[0] > 0:
                budget[0] -= 1
                started = time.perf_counter()
                try:
                    response = await client.post("/graphql", json=workload.body())
                    outcome = workload.classify(response)
                except httpx.HTTPError as error:
                    outcome = f"transport error: {type(error).__name__}"
                outcomes[outcome] += 1
                if outcome == OK:
                    latencies.append(time.perf_counter() - started)

        cpu_before, server_before = time.process_time(), server_cpu()
        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(workload.clients)))
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - cpu_before
        server_after = server_cpu()
    server_used = (
        server_after - server_before
        if server_after is not None and server_before is not None
        else None
    )
    return RunResult(elapsed, outcomes, latencies, client_cpu, server_used)


class Poster(Protocol):
    async def post(self, url: str, /, *, json: Any) -> httpx.Response: ...


def _client(
    base_url: str, headers: dict[str, str], connections: int, light: bool
) -> contextlib.AbstractAsyncContextManager[Poster]:
    if light:
        return LightClient(base_url, headers, REQUEST_TIMEOUT_SECONDS)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=REQUEST_TIMEOUT_SECONDS
    )


def graphql_data(response: httpx.Response) -> tuple[dict[str, Any] | None, str | None]:
    """The `data` of a GraphQL response, or why there is none (HTTP status, errors)."""
    if response.status_code != 200:
        return None, f"http {response.status_code}"
    try:
        document = response.json()
    except ValueError:
        return None, "invalid JSON"
    if document.get("errors"):
        message = str(document["errors"][0].get("message", "?"))[:60]
        return None, f"graphql error: {message}"
    return document.get("data"), None
