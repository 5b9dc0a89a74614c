"""Benchmark a real server: catalog pages per second and orders per second.

    .venv/bin/python -m bench.catalog_and_orders --backend sqlite
    .venv/bin/python -m bench.catalog_and_orders --backend postgresql

Makes a fresh database (removed afterwards), migrates and seeds it (500 products x 4 variants
x 5 locations by default), checks the ledger with `omniorder verify-stock`, starts
`omniorder serve` on a free loopback port and drives it with asyncio httpx clients:

(a) catalog: `products(first: 50)` with variants, prices and stock levels at every location,
    as ADMIN, from several concurrent clients;
(b) orders: `placeOrder` (WEB, SHIPPING, 1-3 random in-stock SKUs, quantity 1) from 16
    concurrent clients, successes and userErrors counted apart;
(c) confirm: `confirmOrder` on the orders (b) placed, each once, from 16 concurrent clients:
    a lifecycle command, which locks its order's row and reads it whole.

Each workload gets a warm-up, then `--runs` runs of `--seconds` each; the table shows the
median and every run. Afterwards the ledger is verified again and the orders in the database
are compared with the orders the clients were told about.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.arguments import add_postgres_admin, bounded
from bench.fixtures import OrderTally, Seeded, fresh_database, migrate_and_seed, tally_orders
from bench.load import OK, RunResult, Workload, graphql_data, probe, run_once
from bench.server import Server, admin_token, app_environment, run_cli, running_server

CATALOG_PAGE = """
query CatalogPage($first: Int!) {
  products(first: $first) {
    edges { node { id name variants {
      sku price { amount currency }
      stockLevels { onHand reserved available location { code } }
    } } }
  }
}
"""

CONFIRM_ORDER = """
mutation ConfirmOrder($input: OrderStatusInput!) {
  confirmOrder(input: $input) { order { id status } userErrors { field code message } }
}
"""

PLACE_ORDER = """
mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id number status total { amount currency } lines { sku quantity } }
    userErrors { field code message }
  }
}
"""


@dataclass
class Checks:
    """What the benchmark verified besides speed."""

    seed_seconds: float
    verify_after_seed: str
    verify_after_run: str = "not run"
    orders_confirmed: int = 0  # successes the clients saw, warm-ups included
    units_confirmed: int = 0
    tally: OrderTally | None = None
    server_log_problems: int = 0
    orders_placed: bool = False  # whether the orders workload ran at all
    pending_order_ids: list[str] = field(default_factory=list)  # placed, for (c) to confirm
    load_before: float = 0.0  # 1-minute load average: other work on the machine skews figures
    load_after: float = 0.0

    @property
    def orders_consistent(self) -> bool | None:
        """Whether the database holds exactly the orders the clients were told about."""
        if self.tally is None or not self.orders_placed:
            return None
        return (
            self.tally.orders == self.orders_confirmed
            and self.tally.units_ordered == self.units_confirmed == self.tally.units_reserved
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.catalog_and_orders",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--products", type=bounded(1, 100_000), default=500)
    parser.add_argument("--variants", type=bounded(1, 8), default=4, help="per product")
    parser.add_argument("--page-size", type=bounded(1, 100), default=50)
    parser.add_argument("--runs", type=bounded(1, 50), default=5, help="per workload")
    parser.add_argument("--seconds", type=bounded(1, 300), default=10, help="per run")
    parser.add_argument("--warmup", type=bounded(0, 60), default=2, help="seconds, not counted")
    parser.add_argument("--catalog-clients", type=bounded(1, 256), default=4)
    parser.add_argument("--order-clients", type=bounded(1, 256), default=16)
    parser.add_argument(
        "--max-requests", type=bounded(1, 10_000_000), default=200_000, help="per run"
    )
    parser.add_argument("--workers", type=bounded(1, 16), default=1, help="server processes")
    parser.add_argument("--workload", choices=["all", "catalog", "orders"], default="all")
    parser.add_argument("--seed", type=int, default=1, help="for data and order lines")
    add_postgres_admin(parser)
    return parser.parse_args(argv)


def catalog_workload(args: argparse.Namespace, seeded: Seeded) -> Workload:
    expected = min(args.page_size, seeded.products)
    body = {"query": CATALOG_PAGE, "variables": {"first": args.page_size}}

    def classify(response: httpx.Response) -> str:
        data, problem = graphql_data(response)
        if problem:
            return problem
        edges = (data or {}).get("products", {}).get("edges") or []
        return OK if len(edges) == expected else f"short page ({len(edges)} products)"

    return Workload("catalog page req/s", args.catalog_clients, lambda: body, classify)


def orders_workload(args: argparse.Namespace, seeded: Seeded, checks: Checks) -> Workload:
    if not seeded.web_skus:
        raise SystemExit("no SKU has stock for the WEB channel")
    rng = random.Random(args.seed)

    def body() -> dict[str, Any]:
        skus = rng.sample(seeded.web_skus, k=min(rng.randint(1, 3), len(seeded.web_skus)))
        order_input = {
            "channel": "WEB",
            "fulfilment": "SHIPPING",
            "shippingAddress": {
                "line1": "1 Benchmark Street",
                "city": "Springfield",
                "postalCode": "62701",
                "country": "US",
            },
            "lines": [{"sku": sku, "quantity": 1} for sku in skus],
        }
        return {"query": PLACE_ORDER, "variables": {"input": order_input}}

    def classify(response: httpx.Response) -> str:
        payload, refusal = mutation_payload(response, "placeOrder")
        if refusal:
            return refusal
        if not payload.get("order"):
            return "no order and no userErrors"
        checks.orders_confirmed += 1
        checks.units_confirmed += sum(line["quantity"] for line in payload["order"]["lines"])
        checks.pending_order_ids.append(payload["order"]["id"])
        return OK

    return Workload("placeOrder orders/s", args.order_clients, body, classify)


def mutation_payload(response: httpx.Response, name: str) -> tuple[dict[str, Any], str | None]:
    """The payload of mutation `name`, and why it failed (HTTP, GraphQL or its first
    userError), if it did."""
    data, problem = graphql_data(response)
    if problem:
        return {}, problem
    payload = (data or {}).get(name) or {}
    if payload.get("userErrors"):
        return payload, f"userError {payload['userErrors'][0]['code']}"
    return payload, None


def confirm_workload(args: argparse.Namespace, checks: Checks) -> Workload:
    """Confirm each order the orders workload placed, once; every run takes a share of
    those still pending, so none runs out."""
    pending = checks.pending_order_ids

    def body() -> dict[str, Any]:
        return {"query": CONFIRM_ORDER, "variables": {"input": {"orderId": pending.pop()}}}

    def classify(response: httpx.Response) -> str:
        payload, refusal = mutation_payload(response, "confirmOrder")
        if refusal:
            return refusal
        return OK if (payload.get("order") or {}).get("status") == "CONFIRMED" else "not confirmed"

    def budget() -> int:
        runs: int = args.runs
        return max(1, len(pending) // (runs + 1))  # the warm-up takes a share too

    return Workload("confirmOrder orders/s", args.order_clients, body, classify, budget=budget)


async def measure(workload: Workload, server: Server, token: str, args: argparse.Namespace) -> None:
    async def once(seconds: float) -> RunResult:
        return await run_once(
            workload,
            base_url=server.base_url,
            token=token,
            seconds=seconds,
            max_requests=min(args.max_requests, workload.budget())
            if workload.budget
            else args.max_requests,
            server_cpu=server.cpu_seconds,
        )

    if args.warmup:
        warm = await once(args.warmup)
        print(f"  {workload.name}: warm-up {warm.rate:.1f}/s {_outcomes(warm.outcomes)}")
    for number in range(1, args.runs + 1):
        result = await once(args.seconds)
        workload.results.append(result)
        print(
            f"  {workload.name}: run {number}/{args.runs} {result.rate:.1f}/s "
            f"({result.successes} ok in {result.elapsed:.1f}s; "
            f"client CPU {_share(result.client_cpu, result.elapsed)}, "
            f"server CPU {_share(result.server_cpu, result.elapsed)}) {_outcomes(result.outcomes)}"
        )


async def benchmark(args: argparse.Namespace) -> tuple[Seeded, Checks, list[Workload]]:
    async with fresh_database(args.backend, args.postgres_admin) as url:
        started = time.perf_counter()
        seeded = await migrate_and_seed(
            url, products=args.products, variants=args.variants, seed=args.seed
        )
        env = app_environment(url, secrets.token_urlsafe(32))
        checks = Checks(time.perf_counter() - started, _verify_stock(env))
        print(
            f"seeded {seeded.size}: {seeded.levels} levels, {seeded.movements} movements, "
            f"{seeded.units} units in {checks.seed_seconds:.1f}s; "
            f"verify-stock: {checks.verify_after_seed}"
        )
        token = admin_token(env)
        workloads = []
        if args.workload in ("all", "catalog"):
            workloads.append(catalog_workload(args, seeded))
        if args.workload in ("all", "orders"):
            workloads.append(orders_workload(args, seeded, checks))
            workloads.append(confirm_workload(args, checks))
            checks.orders_placed = True
        checks.load_before = os.getloadavg()[0]
        with running_server(env, workers=args.workers) as server:
            for workload in workloads:
                await probe(workload, base_url=server.base_url, token=token)
                if workload.failed:
                    print(
                        f"  {workload.name}: NOT MEASURED, the probe request failed: "
                        f"{workload.failed}"
                    )
                    continue
                await measure(workload, server, token, args)
            checks.load_after = os.getloadavg()[0]
        checks.server_log_problems = server.log_errors
        checks.tally = await tally_orders(url)
        checks.verify_after_run = _verify_stock(env)
    return seeded, checks, workloads


def _verify_stock(env: dict[str, str]) -> str:
    result = run_cli(["verify-stock"], env)
    lines = (result.stdout or result.stderr).strip().splitlines()
    verdict = "passed" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
    return f"{verdict}: {lines[-1] if lines else 'no output'}"


def report(
    args: argparse.Namespace, seeded: Seeded, checks: Checks, workloads: list[Workload]
) -> None:
    header = ("backend", "data", "metric", "clients", "median", "runs", "p50 ms", "p95 ms")
    rows = [header]
    for workload in workloads:
        p50, p95 = workload.latency_percentile(0.5), workload.latency_percentile(0.95)
        rows.append(
            (
                args.backend,
                seeded.size,
                workload.name,
                str(workload.clients),
                "-" if workload.median_rate is None else f"{workload.median_rate:.1f}",
                " ".join(f"{r.rate:.1f}" for r in workload.results) or "failed",
                f"{p50 * 1000:.0f}" if p50 is not None else "-",
                f"{p95 * 1000:.0f}" if p95 is not None else "-",
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
        f"server: omniorder serve, {args.workers} worker(s); {args.runs} runs x {args.seconds}s "
        f"after {args.warmup}s warm-up; {os.cpu_count()} CPUs shared by client, server "
        f"and database; load average {checks.load_before:.1f} before, "
        f"{checks.load_after:.1f} at the end"
    )
    for workload in workloads:
        if workload.failed:
            print(f"{workload.name}: not measured: {workload.failed}")
            continue
        if workload.response_bytes is not None:
            print(f"{workload.name}: response of {workload.response_bytes / 1024:.1f} KiB")
        cpu = [r.server_cpu / r.elapsed for r in workload.results if r.server_cpu is not None]
        client = statistics.median(r.client_cpu / r.elapsed for r in workload.results)
        server = f"{statistics.median(cpu):.0%}" if cpu else "n/a"
        print(
            f"{workload.name}: outcomes {_outcomes(workload.outcomes())}; median CPU "
            f"server {server}, client {client:.0%}"
        )
    tally = checks.tally
    if tally is not None and checks.orders_consistent is not None:
        print(
            f"orders: clients were told {checks.orders_confirmed} orders / "
            f"{checks.units_confirmed} units; database holds {tally.orders} orders / "
            f"{tally.units_ordered} units ordered / {tally.units_reserved} units reserved "
            f"-> {'consistent' if checks.orders_consistent else 'INCONSISTENT'}"
        )
    print(f"verify-stock after seeding: {checks.verify_after_seed}")
    print(f"verify-stock after the run: {checks.verify_after_run}")
    print(f"server log error lines: {checks.server_log_problems}")


def _outcomes(outcomes: Any) -> str:
    return ", ".join(f"{name}={count}" for name, count in sorted(outcomes.items())) or "none"


def _share(cpu_seconds: float | None, elapsed: float) -> str:
    return "n/a" if cpu_seconds is None or not elapsed else f"{cpu_seconds / elapsed:.0%}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"omniorder benchmark on {args.backend}: {args.products} products x {args.variants} "
        f"variants x 5 locations"
    )
    try:
        seeded, checks, workloads = asyncio.run(benchmark(args))
    except KeyboardInterrupt:
        print("interrupted: the server was stopped and the database removed")
        return 130
    report(args, seeded, checks, workloads)
    healthy = (
        checks.verify_after_seed.startswith("passed")
        and checks.verify_after_run.startswith("passed")
        and checks.orders_consistent is not False
        and not any(workload.failed for workload in workloads)
        and checks.server_log_problems == 0
    )
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
