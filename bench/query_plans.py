"""Benchmark the query-plan executor: each page with plans on against plans off, same run.

    .venv/bin/python -m bench.query_plans --backend sqlite
    .venv/bin/python -m bench.query_plans --backend postgresql --runs 5 --seconds 10

Makes a fresh database (removed afterwards), seeds the catalog as bench/catalog_and_orders
does (500 products x 4 variants x 5 locations) and starts two `omniorder serve` processes
over it, one with OMNIORDER_QUERY_PLANS=on and one with =off, plus the hand-written
reference (bench/reference_catalog.py) for the catalog page. It places `--orders` orders
for `--customers` customers through placeOrder, then, for each page of --pages
(bench/query_plan_pages.py), probes every server once (the plans-on, plans-off and
reference responses must carry the same `data`), warms each up, and measures `--runs` runs
of `--seconds` each per server, the servers taking turns run by run. It prints per page
the median req/s of each mode, their ratio on/off, the servers' CPU share and the size of
a response; plans-on as a share of the reference's throughput; and the SQL statements each
page costs at two page sizes (bench/statement_counts.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.arguments import add_postgres_admin, bounded
from bench.fixtures import Seeded, fresh_database, migrate_and_seed
from bench.load import RunResult, Workload, bearer, graphql_data, run_once
from bench.query_plan_pages import (
    PAGE_NAMES,
    PAGES,
    SMALL_PAGE_SIZE,
    Page,
    catalog_product_ids,
    classifier,
    place_orders,
)
from bench.server import Server, admin_token, app_environment, running_server
from bench.statement_counts import StatementCount, count_statements

REFERENCE = "reference"
REFERENCE_GOAL = 0.25  # plans on serves the catalog page at least at this share of it
PRODUCTS_CYCLED = 50  # the product pages go through the first this many products
REPOSITORY = Path(__file__).resolve().parents[1]


@dataclass
class Contender:
    """One server answering a page: plans on, plans off, or the hand-written reference."""

    label: str
    server: Server
    token: str | None
    workload: Workload


@dataclass
class PageResult:
    page: Page
    contenders: list[Contender] = field(default_factory=list)
    response_bytes: dict[str, int] = field(default_factory=dict)
    failed: str | None = None

    def of(self, label: str) -> Contender | None:
        return next((c for c in self.contenders if c.label == label), None)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.query_plans",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--pages", nargs="+", choices=PAGE_NAMES, default=list(PAGE_NAMES))
    parser.add_argument("--runs", type=bounded(1, 50), default=5, help="per page and server")
    parser.add_argument("--seconds", type=bounded(1, 300), default=10, help="per run")
    parser.add_argument("--warmup", type=bounded(0, 60), default=2, help="seconds, not counted")
    parser.add_argument("--clients", type=bounded(1, 256), default=16, help="concurrent")
    parser.add_argument(
        "--client",
        choices=["light", "httpx"],
        default="light",
        help="HTTP client of the load: bench/light_client.py (default) or httpx",
    )
    parser.add_argument("--products", type=bounded(50, 100_000), default=500)
    parser.add_argument("--variants", type=bounded(1, 8), default=4, help="per product")
    parser.add_argument("--orders", type=bounded(50, 10_000), default=60, help="to seed")
    parser.add_argument("--customers", type=bounded(1, 10_000), default=20, help="to seed")
    parser.add_argument(
        "--max-requests", type=bounded(1, 10_000_000), default=200_000, help="per run"
    )
    parser.add_argument("--seed", type=int, default=1, help="for data and order lines")
    add_postgres_admin(parser)
    return parser.parse_args(argv)


async def benchmark(
    args: argparse.Namespace,
) -> tuple[Seeded, list[PageResult], list[StatementCount], int]:
    pages = [page for page in PAGES if page.name in args.pages]
    async with fresh_database(args.backend, args.postgres_admin) as url:
        seeded = await migrate_and_seed(
            url, products=args.products, variants=args.variants, seed=args.seed
        )
        secret = secrets.token_urlsafe(32)
        env = app_environment(url, secret)
        token = admin_token(env)
        print(f"seeded {seeded.size}: {seeded.levels} stock levels")
        with contextlib.ExitStack() as stack:
            servers = {
                mode: stack.enter_context(running_server({**env, "OMNIORDER_QUERY_PLANS": mode}))
                for mode in ("off", "on")
            }
            if any(page.reference for page in pages):
                reference_env = {**env, "PYTHONPATH": str(REPOSITORY)}
                reference_command = [sys.executable, "-m", "bench.reference_catalog"]
                servers[REFERENCE] = stack.enter_context(
                    running_server(reference_env, command=reference_command)
                )
            await place_orders(
                servers["off"].base_url,
                token,
                seeded.web_skus,
                orders=args.orders,
                customers=args.customers,
                seed=args.seed,
            )
            print(f"placed {args.orders} orders for {args.customers} customers")
            product_ids = await catalog_product_ids(servers["off"].base_url, token, PRODUCTS_CYCLED)
            results = []
            for page in pages:
                result = await measure_page(page, servers, token, product_ids, args)
                results.append(result)
        log_errors = sum(server.log_errors for server in servers.values())
        counts = await count_statements(url, secret, pages, product_ids)
    return seeded, results, counts, log_errors


async def measure_page(
    page: Page,
    servers: dict[str, Server],
    token: str,
    product_ids: Sequence[str],
    args: argparse.Namespace,
) -> PageResult:
    result = PageResult(page)
    caller = None if page.anonymous else token
    labels = ["off", "on"] + ([REFERENCE] if page.reference else [])
    expected = None
    for label in labels:
        try:
            data, body = await probe_data(servers[label].base_url, caller, page, product_ids)
        except ProbeFailed as failure:
            result.failed = f"{label}: {failure}"
            break
        expected = data if expected is None else expected
        if data != expected:
            result.failed = f"{label} answered other data than plans off"
            break
        result.response_bytes[label] = len(body)
        classify = classifier(page, data, body)
        workload = Workload(
            f"{page.name} {label}", args.clients, page.bodies(product_ids), classify
        )
        result.contenders.append(Contender(label, servers[label], caller, workload))
    if result.failed:
        print(f"  {page.name}: NOT MEASURED: {result.failed}")
        return result
    for contender in result.contenders:
        if args.warmup:
            await run(contender, args, args.warmup)
    for number in range(args.runs):
        turn = number % len(result.contenders)
        for contender in result.contenders[turn:] + result.contenders[:turn]:
            outcome = await run(contender, args, args.seconds)
            contender.workload.results.append(outcome)
            print(
                f"  {page.name} {contender.label}: run {number + 1}/{args.runs} "
                f"{outcome.rate:.1f}/s, server CPU {_share(outcome.server_cpu, outcome.elapsed)}"
                f"{_problems(outcome)}",
                flush=True,
            )
    return result


class ProbeFailed(Exception):
    """A page's first request failed: the page is reported, not hammered."""


async def probe_data(
    base_url: str, token: str | None, page: Page, product_ids: Sequence[str]
) -> tuple[Any, bytes]:
    """The `data` of one request of the page and its whole response."""
    body = page.bodies(product_ids)()
    async with httpx.AsyncClient(base_url=base_url, headers=bearer(token), timeout=60) as client:
        response = await client.post("/graphql", json=body)
    data, problem = graphql_data(response)
    if problem:
        raise ProbeFailed(f"{problem} ({response.text[:300]})")
    return data, response.content


async def run(contender: Contender, args: argparse.Namespace, seconds: float) -> RunResult:
    return await run_once(
        contender.workload,
        base_url=contender.server.base_url,
        token=contender.token,
        seconds=seconds,
        max_requests=args.max_requests,
        server_cpu=contender.server.cpu_seconds,
        light=args.client == "light",
    )


def report(
    args: argparse.Namespace,
    seeded: Seeded,
    results: list[PageResult],
    counts: list[StatementCount],
    log_errors: int,
) -> bool:
    """Print the tables; whether every page was measured without a failed request and
    cost as many statements at both sizes."""
    print()
    print(
        f"{args.backend}, {seeded.size}, {args.clients} {args.client} clients, {args.runs} runs x "
        f"{args.seconds}s per server after {args.warmup}s warm-up, 1 process per server; "
        f"{os.cpu_count()} CPUs shared by clients, servers and database; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    measured = throughput_table(results)
    for result in results:
        reference_line(result)
    constant = statements_table(counts)
    print(f"\nserver log error lines: {log_errors}")
    return measured and constant and log_errors == 0


def throughput_table(results: list[PageResult]) -> bool:
    """Req/s per mode, and the server's CPU per request: on a machine busy with other
    work the req/s follow what the scheduler gives, the CPU per request much less so."""
    rows: list[tuple[str, ...]] = [
        (
            "page",
            "KiB",
            "off req/s",
            "on req/s",
            "on/off",
            "CPU ms/req off/on",
            "on/off by CPU",
            "server CPU off/on",
            "client CPU",
            "off runs",
            "on runs",
        )
    ]
    measured = True
    for result in results:
        off, on = result.of("off"), result.of("on")
        if result.failed or off is None or on is None:
            measured = False
            rows.append((result.page.name, *["-"] * 8, "failed", "failed"))
            continue
        measured = measured and all(_clean(c.workload) for c in result.contenders)
        off_rate, on_rate = _median(off.workload), _median(on.workload)
        off_ms, on_ms = _cpu_ms(off.workload), _cpu_ms(on.workload)
        rows.append(
            (
                result.page.name,
                f"{result.response_bytes['on'] / 1024:.1f}",
                f"{off_rate:.1f}",
                f"{on_rate:.1f}",
                f"{on_rate / off_rate:.2f}x" if off_rate else "-",
                f"{off_ms:.2f}/{on_ms:.2f}",
                f"{off_ms / on_ms:.2f}x" if on_ms else "-",
                f"{_cpu(off.workload)}/{_cpu(on.workload)}",
                _client_cpu(on.workload),
                _runs(off.workload),
                _runs(on.workload),
            )
        )
    _table(rows)
    return measured


def reference_line(result: PageResult) -> None:
    reference, on = result.of(REFERENCE), result.of("on")
    if reference is None or on is None:
        return
    share = _median(on.workload) / _median(reference.workload)
    reference_ms, on_ms = _cpu_ms(reference.workload), _cpu_ms(on.workload)
    print(
        f"\n{result.page.name}: hand-written reference {_median(reference.workload):.1f} req/s "
        f"(runs {_runs(reference.workload)}; server CPU {_cpu(reference.workload)}, "
        f"{reference_ms:.2f} ms per request; client CPU {_client_cpu(reference.workload)}; "
        f"{result.response_bytes[REFERENCE] / 1024:.1f} KiB, "
        f"same data). Plans on serves {share:.0%} of its req/s (goal {REFERENCE_GOAL:.0%}: "
        f"{'met' if share >= REFERENCE_GOAL else 'NOT met'}), at "
        f"{reference_ms / on_ms if on_ms else 0:.0%} of its CPU efficiency."
    )


def statements_table(counts: list[StatementCount]) -> bool:
    print(
        f"\nSQL statements per request (in process; BEGIN and PRAGMA not counted), "
        f"at first: {SMALL_PAGE_SIZE} and at the page's own size:"
    )
    rows = [("page", "off", "on", "constant in page size")]
    all_constant = True
    for page in dict.fromkeys(count.page for count in counts):
        of_page = {count.mode: count for count in counts if count.page == page}
        constant = all(count.constant for count in of_page.values())
        all_constant = all_constant and constant
        rows.append(
            (page, _sizes(of_page["off"]), _sizes(of_page["on"]), "yes" if constant else "NO")
        )
    _table(rows)
    return all_constant


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def _sizes(count: StatementCount) -> str:
    return str(count.full) if count.small is None else f"{count.small} / {count.full}"


def _median(workload: Workload) -> float:
    return workload.median_rate or 0.0


def _runs(workload: Workload) -> str:
    return " ".join(f"{r.rate:.1f}" for r in workload.results)


def _cpu_ms(workload: Workload) -> float:
    """The server's CPU milliseconds per successful request, median over the runs."""
    costs = [
        1000 * r.server_cpu / r.successes
        for r in workload.results
        if r.server_cpu is not None and r.successes
    ]
    return statistics.median(costs) if costs else 0.0


def _cpu(workload: Workload) -> str:
    shares = [r.server_cpu / r.elapsed for r in workload.results if r.server_cpu is not None]
    return f"{statistics.median(shares):.0%}" if shares else "n/a"


def _client_cpu(workload: Workload) -> str:
    return f"{statistics.median(r.client_cpu / r.elapsed for r in workload.results):.0%}"


def _clean(workload: Workload) -> bool:
    return set(workload.outcomes()) <= {"ok"}


def _problems(outcome: RunResult) -> str:
    others = {name: n for name, n in outcome.outcomes.items() if name != "ok"}
    return f" ({', '.join(f'{k}={v}' for k, v in sorted(others.items()))})" if others else ""


def _share(cpu_seconds: float | None, elapsed: float) -> str:
    return "n/a" if cpu_seconds is None or not elapsed else f"{cpu_seconds / elapsed:.0%}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"query-plan benchmark on {args.backend}: pages {' '.join(args.pages)}")
    try:
        seeded, results, counts, log_errors = asyncio.run(benchmark(args))
    except KeyboardInterrupt:
        print("interrupted: the servers were stopped and the database removed")
        return 130
    return 0 if report(args, seeded, results, counts, log_errors) else 1


if __name__ == "__main__":
    sys.exit(main())
