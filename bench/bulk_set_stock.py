"""Benchmark setting stock levels through the API: bulkSetStock against adjustStock.

    .venv/bin/python -m bench.bulk_set_stock --backend sqlite
    .venv/bin/python -m bench.bulk_set_stock --backend postgresql

Makes a fresh database (removed afterwards), migrated and seeded as the other benchmarks
seed it (`bench.fixtures`: 500 products x 4 variants x 5 locations, so 10,000 levels), starts
`omniorder serve` on a free loopback port and, as an ADMIN, sets every one of the 10,000
levels to a new random on-hand quantity with `bulkSetStock`: one location at a time, 1,000
lines a call (10 calls), one after the other, as an import script would. Then it does the
same for a sample of `--sample` levels with `adjustStock`, one line per request (the delta
from the quantity just set to a new one), and extrapolates that to all the levels.

Prints each bulk call's wall time, the total and levels/s, the adjustStock sample's, and
the ratio; afterwards checks that every level shows the quantity it was set to, that the
calls wrote one movement per changed level, and that `omniorder verify-stock` passes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.arguments import add_postgres_admin, bounded
from bench.fixtures import LOCATIONS, fresh_database, migrate_and_seed
from bench.server import admin_token, app_environment, run_cli, running_server

LINES_PER_CALL = 1000
REQUEST_TIMEOUT_SECONDS = 300.0

SKUS = """
query Skus($after: String) {
  products(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { variants { sku } } }
  }
}
"""
BULK_SET_STOCK = """
mutation Bulk($input: BulkSetStockInput!) {
  bulkSetStock(input: $input) {
    stockLevels { onHand }
    movementsWritten
    userErrors { field code message }
  }
}
"""
ADJUST = """
mutation Adjust($input: AdjustStockInput!) {
  adjustStock(input: $input) { stockLevel { onHand } userErrors { field code message } }
}
"""
LEVELS = """
query Levels($location: String!, $after: String) {
  stockLevels(first: 100, after: $after, filter: {locationCode: $location}) {
    pageInfo { hasNextPage endCursor }
    edges { node { onHand variant { sku } } }
  }
}
"""


@dataclass
class Outcome:
    levels: int = 0
    bulk_calls: list[float] = field(default_factory=list)  # seconds each
    movements_written: int = 0
    changed_lines: int = 0
    sample: int = 0
    sample_seconds: float = 0.0
    levels_as_set: bool = False
    verify_stock: str = "not run"
    server_log_problems: int = 0

    @property
    def bulk_seconds(self) -> float:
        return sum(self.bulk_calls)

    @property
    def bulk_rate(self) -> float:
        return self.levels / self.bulk_seconds

    @property
    def adjust_rate(self) -> float:
        return self.sample / self.sample_seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bulk_set_stock",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--products", type=bounded(50, 2000), default=500, help="products of 4 variants"
    )
    parser.add_argument(
        "--sample", type=bounded(10, 2000), default=500, help="levels set with adjustStock"
    )
    parser.add_argument("--seed", type=int, default=1)
    add_postgres_admin(parser)
    return parser.parse_args(argv)


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


async def all_skus(client: httpx.AsyncClient, token: str) -> list[str]:
    skus: list[str] = []
    after = None
    while True:
        page = (await graphql(client, SKUS, {"after": after}, token))["products"]
        skus += [v["sku"] for edge in page["edges"] for v in edge["node"]["variants"]]
        if not page["pageInfo"]["hasNextPage"]:
            return skus
        after = page["pageInfo"]["endCursor"]


async def on_hand_at(client: httpx.AsyncClient, token: str, location: str) -> dict[str, int]:
    found: dict[str, int] = {}
    after = None
    while True:
        variables = {"location": location, "after": after}
        page = (await graphql(client, LEVELS, variables, token))["stockLevels"]
        found |= {e["node"]["variant"]["sku"]: e["node"]["onHand"] for e in page["edges"]}
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def set_in_bulk(
    client: httpx.AsyncClient,
    token: str,
    targets: dict[tuple[str, str], int],
    outcome: Outcome,
) -> None:
    """Every target with bulkSetStock, 1,000 lines a call, location by location."""
    by_location: dict[str, list[dict[str, Any]]] = {}
    for (location, sku), quantity in targets.items():
        by_location.setdefault(location, []).append({"sku": sku, "onHand": quantity})
    for location, lines in by_location.items():
        for start in range(0, len(lines), LINES_PER_CALL):
            chunk = lines[start : start + LINES_PER_CALL]
            variables = {"input": {"locationCode": location, "quantities": chunk}}
            started = time.perf_counter()
            data = await graphql(client, BULK_SET_STOCK, variables, token)
            seconds = time.perf_counter() - started
            payload = data["bulkSetStock"]
            if payload["userErrors"]:
                raise SystemExit(f"bulkSetStock refused: {payload['userErrors'][:3]}")
            outcome.bulk_calls.append(seconds)
            outcome.movements_written += payload["movementsWritten"]
            print(
                f"  bulkSetStock {location} lines {start}-{start + len(chunk) - 1}: "
                f"{seconds:.2f}s, {len(chunk) / seconds:.0f} levels/s, "
                f"{payload['movementsWritten']} movements"
            )


async def set_one_by_one(
    client: httpx.AsyncClient,
    token: str,
    sample: dict[tuple[str, str], tuple[int, int]],
) -> float:
    """Each (current, target) of the sample with adjustStock, one request per level."""
    started = time.perf_counter()
    for (location, sku), (current, target) in sample.items():
        variables = {
            "input": {
                "sku": sku,
                "locationCode": location,
                "delta": target - current,
                "reason": "CORRECTION",
            }
        }
        payload = (await graphql(client, ADJUST, variables, token))["adjustStock"]
        if payload["userErrors"]:
            raise SystemExit(f"adjustStock refused: {payload['userErrors']}")
    return time.perf_counter() - started


async def benchmark(args: argparse.Namespace) -> Outcome:
    outcome = Outcome()
    rng = random.Random(args.seed)
    async with fresh_database(args.backend, args.postgres_admin) as url:
        seeded = await migrate_and_seed(url, products=args.products, variants=4, seed=args.seed)
        print(f"seeded {seeded.size}: {seeded.levels} levels, {seeded.movements} movements")
        env = app_environment(url, secrets.token_urlsafe(32))
        admin = admin_token(env)
        with running_server(env) as server:
            async with httpx.AsyncClient(
                base_url=server.base_url, timeout=REQUEST_TIMEOUT_SECONDS
            ) as client:
                skus = await all_skus(client, admin)
                before = {
                    (code, sku): quantity
                    for code, *_ in LOCATIONS
                    for sku, quantity in (await on_hand_at(client, admin, code)).items()
                }
                targets = {key: rng.randint(0, 200) for key in before}
                outcome.levels = len(targets)
                outcome.changed_lines = sum(targets[key] != before[key] for key in targets)
                print(f"{len(skus)} SKUs x {len(LOCATIONS)} locations: {outcome.levels} levels")
                await set_in_bulk(client, admin, targets, outcome)
                chosen = rng.sample(sorted(targets), k=min(args.sample, len(targets)))
                sample = {key: (targets[key], targets[key] + rng.randint(1, 50)) for key in chosen}
                outcome.sample = len(sample)
                outcome.sample_seconds = await set_one_by_one(client, admin, sample)
                final = targets | {key: target for key, (_, target) in sample.items()}
                after = {
                    (code, sku): quantity
                    for code, *_ in LOCATIONS
                    for sku, quantity in (await on_hand_at(client, admin, code)).items()
                }
                outcome.levels_as_set = after == final
        outcome.server_log_problems = server.log_errors
        verified = run_cli(["verify-stock"], env)
        lines = verified.stdout.strip().splitlines()
        verdict = "passed" if verified.returncode == 0 else f"FAILED (exit {verified.returncode})"
        outcome.verify_stock = f"{verdict}: {'; '.join(lines) or 'no output'}"
    return outcome


def report(args: argparse.Namespace, outcome: Outcome) -> bool:
    extrapolated = outcome.sample_seconds * outcome.levels / outcome.sample
    print()
    print(
        f"{args.backend}: {outcome.levels} levels, {os.cpu_count()} CPUs shared by client, "
        f"server and database, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"bulkSetStock: {outcome.bulk_seconds:.2f}s for {outcome.levels} levels "
        f"({len(outcome.bulk_calls)} calls of up to {LINES_PER_CALL} lines), "
        f"{outcome.bulk_rate:.0f} levels/s"
    )
    print(
        f"adjustStock, one level per request: {outcome.sample_seconds:.2f}s for "
        f"{outcome.sample} levels, {outcome.adjust_rate:.0f} levels/s; "
        f"{extrapolated:.0f}s for {outcome.levels} levels (extrapolated)"
    )
    print(f"bulkSetStock is {extrapolated / outcome.bulk_seconds:.0f}x faster")
    print(
        f"movements written by bulkSetStock: {outcome.movements_written} "
        f"(expected {outcome.changed_lines})"
    )
    print(f"every level as set: {outcome.levels_as_set}")
    print(f"verify-stock: {outcome.verify_stock}")
    print(f"server log error lines: {outcome.server_log_problems}")
    return (
        outcome.levels_as_set
        and outcome.movements_written == outcome.changed_lines
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
