"""Benchmark syncing POS sales: sales recorded per second, batches of 1,000 at a time.

    .venv/bin/python -m bench.pos_sync --backend sqlite
    .venv/bin/python -m bench.pos_sync --backend postgresql

Makes a fresh database (removed afterwards), migrates it and loads the demo data with the
CLI (`omniorder migrate`, `omniorder seed-demo`: 47 goods SKUs, 3 stores), starts
`omniorder serve` on a free loopback port, registers a terminal at ST-MALL and, as that
terminal, sends `--batches` batches of `--sales` new sales (`--lines` distinct random SKUs
each, 1-3 units at the list price, paid by card) one after the other, then one of them
again (every sale a DUPLICATE). Each batch is one `syncPosSales` request, answered with
every sale's status, warnings and order number. The demo stores hold a few units of each
SKU, so most lines take the store's stock below zero: the worst case, every line warned.

Prints per batch the wall time of the request and sales/s, and the median; afterwards
checks that the database holds exactly the orders accepted and that `omniorder
verify-stock` passes (its NEGATIVE_STOCK warnings expected).
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
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from bench.arguments import add_postgres_admin
from bench.fixtures import fresh_database, tally_orders
from bench.server import admin_token, app_environment, run_cli, running_server

STORE = "ST-MALL"
REQUEST_TIMEOUT_SECONDS = 300.0

CATALOG = """
query Catalog { products(first: 100) { edges { node {
  kind variants { sku price { amount } } } } } }
"""
REGISTER = """
mutation Register($input: RegisterPosTerminalInput!) {
  registerPosTerminal(input: $input) { token userErrors { code message } }
}
"""
SYNC = """
mutation Sync($input: SyncPosSalesInput!) {
  syncPosSales(input: $input) {
    accepted duplicates rejected
    results { clientSaleId status warnings { sku onHand } order { number } }
    userErrors { field code message }
  }
}
"""


@dataclass
class Batch:
    label: str
    sales: int
    seconds: float
    accepted: int
    duplicates: int
    rejected: int
    warnings: int

    @property
    def rate(self) -> float:
        return self.sales / self.seconds


@dataclass
class Outcome:
    batches: list[Batch] = field(default_factory=list)
    resend: Batch | None = None
    orders_in_database: int = 0
    verify_stock: str = "not run"
    server_log_problems: int = 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pos_sync",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--batches", type=int, default=5, help="measured batches (1-50)")
    parser.add_argument("--sales", type=int, default=1000, help="sales per batch (1-1000)")
    parser.add_argument("--lines", type=int, default=5, help="distinct SKUs per sale (1-20)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured batches first (0-5)")
    parser.add_argument("--seed", type=int, default=1)
    add_postgres_admin(parser)
    args = parser.parse_args(argv)
    for name, low, high in (
        ("batches", 1, 50),
        ("sales", 1, 1000),
        ("lines", 1, 20),
        ("warmup", 0, 5),
    ):
        if not low <= getattr(args, name) <= high:
            parser.error(f"--{name} must be between {low} and {high}")
    return args


def make_batch(rng: random.Random, prices: dict[str, str], sales: int, lines: int) -> list[dict]:
    skus = sorted(prices)
    batch = []
    for _ in range(sales):
        chosen = [(sku, rng.randint(1, 3)) for sku in rng.sample(skus, k=min(lines, len(skus)))]
        total = sum(int(prices[sku].replace(".", "")) * quantity for sku, quantity in chosen)
        batch.append(
            {
                "clientSaleId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "occurredAt": datetime.now(UTC).isoformat(),
                "lines": [
                    {"sku": sku, "quantity": quantity, "unitPrice": prices[sku]}
                    for sku, quantity in chosen
                ],
                "payments": [{"method": "CARD", "amount": f"{total // 100}.{total % 100:02d}"}],
            }
        )
    return batch


async def graphql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise SystemExit(f"GraphQL errors: {body['errors']}")
    return body["data"]


async def send(
    client: httpx.AsyncClient, token: str, label: str, sales: list[dict[str, Any]]
) -> Batch:
    started = time.perf_counter()
    data = await graphql(client, SYNC, {"input": {"sales": sales}}, token)
    seconds = time.perf_counter() - started
    report = data["syncPosSales"]
    if report["userErrors"]:
        raise SystemExit(f"the batch was refused: {report['userErrors']}")
    return Batch(
        label,
        len(sales),
        seconds,
        report["accepted"],
        report["duplicates"],
        report["rejected"],
        sum(len(result["warnings"]) for result in report["results"]),
    )


async def benchmark(args: argparse.Namespace) -> Outcome:
    outcome = Outcome()
    rng = random.Random(args.seed)
    async with fresh_database(args.backend, args.postgres_admin) as url:
        env = app_environment(url, secrets.token_urlsafe(32))
        for command in (["migrate"], ["seed-demo"]):
            result = run_cli(command, env)
            if result.returncode != 0:
                raise SystemExit(f"omniorder {command[0]} failed: {result.stderr.strip()}")
        admin = admin_token(env)
        with running_server(env) as server:
            async with httpx.AsyncClient(
                base_url=server.base_url, timeout=REQUEST_TIMEOUT_SECONDS
            ) as client:
                catalog = await graphql(client, CATALOG, {}, admin)
                prices = {
                    variant["sku"]: variant["price"]["amount"]
                    for edge in catalog["products"]["edges"]
                    if edge["node"]["kind"] == "GOODS"  # a service is booked, not sold at a till
                    for variant in edge["node"]["variants"]
                }
                registered = await graphql(
                    client, REGISTER, {"input": {"storeCode": STORE, "name": "Bench till"}}, admin
                )
                token = registered["registerPosTerminal"]["token"]
                print(f"demo catalog: {len(prices)} SKUs; terminal registered at {STORE}")
                for number in range(1, args.warmup + 1):
                    batch = make_batch(rng, prices, args.sales, args.lines)
                    warm = await send(client, token, f"warm-up {number}", batch)
                    print(f"  {warm.label}: {warm.seconds:.2f}s, {warm.rate:.0f} sales/s")
                last: list[dict[str, Any]] = []
                for number in range(1, args.batches + 1):
                    last = make_batch(rng, prices, args.sales, args.lines)
                    batch = await send(client, token, f"batch {number}", last)
                    outcome.batches.append(batch)
                    print(
                        f"  {batch.label}: {batch.seconds:.2f}s, {batch.rate:.0f} sales/s "
                        f"({batch.accepted} accepted, {batch.warnings} NEGATIVE_STOCK warnings)"
                    )
                outcome.resend = await send(client, token, "resent batch", last)
                print(
                    f"  {outcome.resend.label}: {outcome.resend.seconds:.2f}s, "
                    f"{outcome.resend.rate:.0f} sales/s ({outcome.resend.duplicates} duplicates)"
                )
        outcome.server_log_problems = server.log_errors
        outcome.orders_in_database = (await tally_orders(url)).orders
        verified = run_cli(["verify-stock"], env)
        lines = verified.stdout.strip().splitlines()
        verdict = "passed" if verified.returncode == 0 else f"FAILED (exit {verified.returncode})"
        summary = [line for line in lines if not line.startswith("warning:")]
        outcome.verify_stock = f"{verdict}: {'; '.join(summary) or 'no output'}"
    return outcome


def report(args: argparse.Namespace, outcome: Outcome) -> bool:
    rates = [batch.rate for batch in outcome.batches]
    resend = outcome.resend
    expected_orders = (args.warmup + args.batches) * args.sales
    print()
    print(
        f"{args.backend}: batches of {args.sales} sales x {args.lines} lines, "
        f"{os.cpu_count()} CPUs shared by client, server and database, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"new sales: median {statistics.median(rates):.0f} sales/s "
        f"(runs {' '.join(f'{rate:.0f}' for rate in rates)}; "
        f"median {statistics.median(b.seconds for b in outcome.batches):.2f}s per batch)"
    )
    if resend is not None:
        print(f"re-sent batch (all DUPLICATE): {resend.rate:.0f} sales/s ({resend.seconds:.2f}s)")
    print(f"orders in the database: {outcome.orders_in_database} (expected {expected_orders})")
    print(f"verify-stock: {outcome.verify_stock}")
    print(f"server log error lines: {outcome.server_log_problems}")
    return (
        all(batch.accepted == batch.sales for batch in outcome.batches)
        and resend is not None
        and resend.duplicates == resend.sales
        and outcome.orders_in_database == expected_orders
        and outcome.verify_stock.startswith("passed")
        and outcome.server_log_problems == 0
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        outcome = asyncio.run(benchmark(args))
    except KeyboardInterrupt:
        print("interrupted: the server was stopped and the database removed")
        return 130
    return 0 if report(args, outcome) else 1


if __name__ == "__main__":
    sys.exit(main())
