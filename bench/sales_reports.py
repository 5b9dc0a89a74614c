"""Benchmark the sales insight reports on a million order lines, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.sales_reports                        # both back-ends
    .venv/bin/python -m bench.sales_reports --backend sqlite --runs 7
    .venv/bin/python -m bench.sales_reports --backend postgresql --explain

Builds (or reuses) a database holding a year of trade (bench/sales_data.py: 250,000 orders
x 4 lines, their allocations, ~2 million ledger movements, ~4,000 returns), migrated to
head, then times each report through the GraphQL API in process (the app over httpx's ASGI
transport, an ADMIN token, one request at a time): one warm-up request, then `--runs`
timed ones; prints the median and every run. `--explain` also prints the plan of every
statement the reports ran (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).

The SQLite database is cached as bench/.cache/sales-<orders>x<lines>-s<seed>.db (about
0.5 GB; building it takes a few minutes): later runs reuse it (migrating it to head
first) unless `--rebuild`. The PostgreSQL database (omniorder_bench_sales_…) is built
afresh and dropped at the end, unless `--keep`, which keeps it for the next run. PostgreSQL
is reached through `--postgres-admin` / OMNIORDER_BENCH_POSTGRES, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event, select

from api.app import create_app
from api.settings import Settings
from bench.arguments import add_postgres_admin
from bench.fixtures import require_loopback
from bench.sales_data import END, START, Dataset, generate
from domain.access import Principal, Role
from persistence.database import Database
from persistence.migrate import upgrade_to_head
from persistence.records import ChannelRecord

CACHE = Path(__file__).parent / ".cache"
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a UTC time in SQLite
YEAR = {"from": START.isoformat(), "to": END.isoformat()}
JUNE = {"from": "2025-06-01T00:00:00+00:00", "to": "2025-07-01T00:00:00+00:00"}

FIGURES = "currency orders units revenue { amount } returns { amount } netRevenue { amount }"
SALES = f"""
query Sales($from: DateTime!, $to: DateTime!, $groupBy: SalesGrouping!) {{
  salesReport(from: $from, to: $to, groupBy: $groupBy) {{
    rows {{ key {{ label }} {FIGURES} }}
    totals {{ {FIGURES} }}
  }}
}}"""
TOP = """
query Top($from: DateTime!, $to: DateTime!, $by: ProductRanking!) {
  topProducts(from: $from, to: $to, first: 10, by: $by) {
    rank productName currency orders units revenue { amount }
  }
}"""
TURNOVER = """
query Turnover($from: DateTime!, $to: DateTime!, $locationCode: String) {
  inventoryTurnover(from: $from, to: $to, locationCode: $locationCode, first: 100) {
    sku unitsSold openingOnHand closingOnHand averageOnHand onHand available turnover
    daysOfCover
  }
}"""


@dataclass(frozen=True)
class Report:
    label: str
    document: str
    variables: dict[str, Any]
    clerk: str | None = None  # a STAFF token bound to this location instead of ADMIN


REPORTS = [
    *(
        Report(f"salesReport {g} (year)", SALES, YEAR | {"groupBy": g})
        for g in ("DAY", "WEEK", "MONTH", "CHANNEL", "LOCATION", "PRODUCT")
    ),
    Report("salesReport DAY (June)", SALES, JUNE | {"groupBy": "DAY"}),
    Report("salesReport DAY (year), clerk", SALES, YEAR | {"groupBy": "DAY"}, "ST-MALL"),
    Report("topProducts REVENUE (year)", TOP, YEAR | {"by": "REVENUE"}),
    Report("topProducts UNITS (year)", TOP, YEAR | {"by": "UNITS"}),
    Report("inventoryTurnover (year)", TURNOVER, YEAR),
    Report("inventoryTurnover WH-EAST (year)", TURNOVER, YEAR | {"locationCode": "WH-EAST"}),
    Report("inventoryTurnover (June)", TURNOVER, JUNE),
]


# -- building the database ------------------------------------------------------------------


async def _channel_ids(url: str) -> dict[str, int]:
    database = Database(url)
    try:
        await upgrade_to_head(database.write_engine)
        async with database.read_session() as session:
            rows = await session.execute(select(ChannelRecord.code, ChannelRecord.id))
            return {row[0]: row[1] for row in rows}
    finally:
        await database.dispose()


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _write_sqlite(path: Path, dataset: Dataset) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA synchronous=OFF")
        for name, table in dataset.tables.items():
            if not table.rows:
                continue
            times = [i for i, value in enumerate(table.rows[0]) if isinstance(value, datetime)]
            rows: Any = table.rows
            if times:
                rows = (
                    tuple(
                        v.strftime(SQLITE_TIME) if i in times and v else v for i, v in enumerate(r)
                    )
                    for r in table.rows
                )
            marks = ", ".join("?" * len(table.columns))
            statement = f"INSERT INTO {name} ({', '.join(table.columns)}) VALUES ({marks})"
            started = time.perf_counter()
            with connection:
                connection.executemany(statement, rows)
            _progress(
                f"  {name}: {len(table.rows):,} rows in {time.perf_counter() - started:.1f} s"
            )
    finally:
        connection.close()


async def _write_postgres(dsn: str, dataset: Dataset) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        for name, table in dataset.tables.items():
            if not table.rows:
                continue
            started = time.perf_counter()
            await connection.copy_records_to_table(name, records=table.rows, columns=table.columns)
            if "id" in table.columns:
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            _progress(
                f"  {name}: {len(table.rows):,} rows in {time.perf_counter() - started:.1f} s"
            )
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


async def _generate(url: str, args: argparse.Namespace) -> Dataset:
    channel_ids = await _channel_ids(url)
    started = time.perf_counter()
    dataset = generate(args.orders, args.lines, args.seed, channel_ids)
    lines = dataset.count("order_lines")
    _progress(f"generated {lines:,} order lines in {time.perf_counter() - started:.0f} s")
    return dataset


async def sqlite_database(args: argparse.Namespace) -> str:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"sales-{args.orders}x{args.lines}-s{args.seed}.db"
    if path.exists() and not args.rebuild:
        url = f"sqlite+aiosqlite:///{path}"
        await _channel_ids(url)  # migrates to head
        _progress(f"reusing {path}")
        return url
    building = path.with_suffix(".building")
    for stale in (path, building):
        stale.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{building}"
    dataset = await _generate(url, args)
    _write_sqlite(building, dataset)
    building.rename(path)
    return f"sqlite+aiosqlite:///{path}"


async def postgres_database(args: argparse.Namespace) -> tuple[str, str]:
    """The asyncpg URL of the benchmark database, and its name."""
    admin = args.postgres_admin
    require_loopback(admin)
    name = f"omniorder_bench_sales_{args.orders}x{args.lines}_s{args.seed}"
    dsn = f"{admin.rsplit('/', 1)[0]}/{name}"
    url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    connection = await asyncpg.connect(admin)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and args.keep and not args.rebuild:
            await _channel_ids(url)
            _progress(f"reusing PostgreSQL database {name}")
            return url, name
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    dataset = await _generate(url, args)
    await _write_postgres(dsn, dataset)
    return url, name


# -- measuring ----------------------------------------------------------------------------


@contextmanager
def captured(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """The statements the app runs meanwhile, with their parameters."""
    statements: list[tuple[str, Any]] = []

    def remember(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    engine = database.read_engine.sync_engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)


async def explain(database: Database, statement: str, parameters: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if database.is_sqlite else "EXPLAIN (ANALYZE, COSTS OFF) "
    async with database.read_engine.connect() as connection:
        result = await connection.exec_driver_sql(prefix + statement, tuple(parameters))
        rows = result.all()
    if database.is_sqlite:
        return "\n".join(f"{'  ' * (row[1] > 0)}{row[3]}" for row in rows)
    return "\n".join(row[0] for row in rows)


async def measure(url: str, args: argparse.Namespace) -> dict[str, tuple[float, list[float], int]]:
    database = Database(url)
    app = create_app(
        Settings(database_url=url, secret="bench-secret-of-at-least-32-characters"),
        database=database,
    )
    tokens = app.state.tokens
    results: dict[str, tuple[float, list[float], int]] = {}
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            for report in REPORTS:
                principal = (
                    Principal(Role.STAFF, "clerk", frozenset({report.clerk}))
                    if report.clerk
                    else Principal(Role.ADMIN, "bench")
                )
                headers = {"Authorization": f"Bearer {tokens.issue(principal)}"}
                body = {"query": report.document, "variables": report.variables}
                with captured(database) as statements:
                    size = _size(await _post(http, body, headers))
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    await _post(http, body, headers)
                    times.append((time.perf_counter() - started) * 1000)
                results[report.label] = (statistics.median(times), times, size)
                print(f"{report.label:<36} {statistics.median(times):8.0f} ms", flush=True)
                if args.explain:
                    for statement, parameters in statements:
                        print(
                            f"\n{statement}\n--\n{await explain(database, statement, parameters)}\n"
                        )
    finally:
        await database.dispose()
    return results


async def _post(http: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = await http.post("/graphql", json=body, headers=headers, timeout=600)
    payload = response.json()
    if response.status_code != 200 or payload.get("errors"):
        raise SystemExit(f"report failed: {response.status_code} {payload}")
    return payload["data"]


def _size(data: dict[str, Any]) -> int:
    (value,) = data.values()
    return len(value["rows"]) if isinstance(value, dict) else len(value)


def table(results: dict[str, dict[str, tuple[float, list[float], int]]]) -> str:
    backends = list(results)
    head = "| report | rows | " + " | ".join(f"{b} median ms | {b} runs" for b in backends) + " |"
    lines = [head, "|" + "---|" * (2 + 2 * len(backends))]
    for report in REPORTS:
        cells = [report.label, str(next(iter(results.values()))[report.label][2])]
        for backend in backends:
            median, runs, _ = results[backend][report.label]
            cells += [f"{median:.0f}", " ".join(f"{r:.0f}" for r in runs)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results = {}
    for backend in backends:
        print(f"\n== {backend}", flush=True)
        if backend == "sqlite":
            results[backend] = await measure(await sqlite_database(args), args)
            continue
        url, name = await postgres_database(args)
        try:
            results[backend] = await measure(url, args)
        finally:
            if not args.keep:
                connection = await asyncpg.connect(args.postgres_admin)
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await connection.close()
    print(f"\n{args.orders:,} orders x {args.lines} lines, {args.runs} runs each\n")
    print(table(results))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--orders", type=int, default=250_000)
    parser.add_argument("--lines", type=int, default=4, help="lines per order")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print every statement's plan")
    parser.add_argument("--rebuild", action="store_true", help="build the database anew")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    add_postgres_admin(parser)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
