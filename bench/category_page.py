"""A storefront's category page with filters, on SQLite or PostgreSQL: its latency and the
SQL statements it costs.

    python -m bench.category_page --backend sqlite
    python -m bench.category_page --backend postgresql

Seeds bench/fixtures.py's catalog (500 products x 4 variants x 5 locations by default;
every product in a subcategory of `clothing`, with a Size option), then asks, anonymously,
in this process (the app behind httpx's ASGI transport), for 24 products of `clothing` and
its subcategories in size M or L, priced 20-150 USD, cheapest first; `--requests` times per
run, `--runs` runs, and prints the median run's milliseconds per request, the statements
one request costs, and the next page's (read with the first page's end cursor).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx

from api.app import create_app
from api.settings import Settings
from bench.arguments import add_postgres_admin, bounded
from bench.fixtures import CATEGORY_ROOT, fresh_database, migrate_and_seed
from bench.load import graphql_data
from bench.statement_counts import counting_statements
from persistence.database import Database

CATEGORY_PAGE = """
query CategoryPage($after: String) {
  products(
    first: 24, after: $after, sortKey: PRICE,
    filter: {
      categorySlug: "$category", options: [{name: "Size", values: ["M", "L"]}],
      priceRange: {currency: "USD", min: "20", max: "150"}
    }
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name variants { sku price { amount currency } } } }
  }
}
""".replace("$category", CATEGORY_ROOT)
SECRET = "bench-secret-of-at-least-32-characters"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--products", type=bounded(50, 100_000), default=500)
    parser.add_argument("--variants", type=bounded(1, 8), default=4, help="per product")
    parser.add_argument("--runs", type=bounded(3, 50), default=5)
    parser.add_argument("--requests", type=bounded(1, 1_000), default=50, help="per run")
    parser.add_argument("--seed", type=int, default=1)
    add_postgres_admin(parser)
    return parser.parse_args(argv)


async def measure(args: argparse.Namespace) -> None:
    async with fresh_database(args.backend, args.postgres_admin) as url:
        seeded = await migrate_and_seed(
            url, products=args.products, variants=args.variants, seed=args.seed
        )
        database = Database(url)
        app = create_app(Settings(database_url=url, secret=SECRET), database=database)
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:

                async def page(after: str | None) -> dict:
                    body = {"query": CATEGORY_PAGE, "variables": {"after": after}}
                    data, problem = graphql_data(await http.post("/graphql", json=body))
                    if data is None:
                        raise SystemExit(f"category page: {problem}")
                    return data["products"]

                first = await page(None)  # caches filled, as on a running server
                with counting_statements(database) as statements:
                    await page(None)
                with counting_statements(database) as next_statements:
                    await page(first["pageInfo"]["endCursor"])
                runs = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    for _ in range(args.requests):
                        await page(None)
                    runs.append((time.perf_counter() - started) * 1000 / args.requests)
        finally:
            await database.dispose()
    print(
        f"{args.backend}: {seeded.size}; category page of 24 ({first['totalCount']} match): "
        f"median {statistics.median(runs):.1f} ms/request over {args.runs} runs of "
        f"{args.requests} (min {min(runs):.1f}, max {max(runs):.1f}); "
        f"{len(statements)} statements, next page {len(next_statements)}"
    )


def main(argv: list[str] | None = None) -> None:
    asyncio.run(measure(parse_args(argv)))


if __name__ == "__main__":
    main()
