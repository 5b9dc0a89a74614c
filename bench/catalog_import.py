"""Benchmark `omniorder import` and `omniorder export` of a product CSV.

    .venv/bin/python -m bench.catalog_import --backend sqlite
    .venv/bin/python -m bench.catalog_import --backend postgresql

Writes a product CSV of `--products` products x `--variants` variants (a Size option, a
price in EUR, a barcode, one or two categories, a material), then, `--runs` times: makes a
fresh database (removed afterwards), migrates it, creates the categories and the attribute
the file names, and times `omniorder import FILE` into it (the whole command:
start-up, reading, every product through createProduct, setProductCategories and
setProductAttributes, one transaction), then `omniorder export`. Prints each run's
seconds and the medians, and fails unless the export gives back the file imported.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from api.catalog_csv import COLUMNS
from bench.arguments import add_postgres_admin, bounded
from bench.fixtures import VARIANT_NAMES, fresh_database
from bench.server import app_environment, omniorder_cli
from domain.access import Principal, Role
from domain.commands.categories import CreateCategory
from domain.commands.options import CreateAttribute
from domain.usecases import categories, options
from persistence.database import Database
from persistence.migrate import upgrade_to_head
from persistence.uow import SqlUnitOfWork

COMMAND_TIMEOUT_SECONDS = 1800.0
CATEGORIES = ("Tops", "Sale")
MATERIALS = ("Cotton", "Fleece", "Wool")
BENCH_ADMIN = Principal(role=Role.ADMIN, subject="bench")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.catalog_import",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--products", type=bounded(1, 100_000), default=500)
    parser.add_argument("--variants", type=bounded(1, len(VARIANT_NAMES)), default=4)
    parser.add_argument("--runs", type=bounded(1, 20), default=3)
    add_postgres_admin(parser)
    return parser.parse_args(argv)


def write_catalog(path: Path, products: int, variants: int) -> None:
    """The file `omniorder export` would write for such a catalog (handles are the names'
    slugs, product columns on first rows only), so the round trip can be checked."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in range(1, products + 1):
            for v, size in enumerate(VARIANT_NAMES[:variants]):
                first = v == 0
                row = dict.fromkeys(COLUMNS, "")
                row.update(
                    handle=f"product-{p}",
                    option1_value=size,
                    sku=f"P{p:05d}-{size}",
                    variant_name=f"Product {p} {size}",
                    barcode=f"{p:07d}{v:05d}",
                    price=f"{10 + p % 90}.{v * 25:02d}",
                    currency="EUR",
                )
                if first:
                    row.update(
                        product_name=f"Product {p}",
                        description=f"Benchmark product number {p}",
                        status="ACTIVE",
                        kind="GOODS",
                        option1_name="Size",
                        categories="sale|tops" if p % 3 == 0 else "tops",
                        attributes=f"material={MATERIALS[p % len(MATERIALS)]}",
                    )
                writer.writerow([row[column] for column in COLUMNS])


async def prepare_catalog(database: Database) -> None:
    """The categories and the attribute the file names, as createCategory and
    createAttribute make them."""
    now = datetime.now(UTC)
    for name in CATEGORIES:
        await categories.create_category(
            SqlUnitOfWork(database), BENCH_ADMIN, CreateCategory(name=name), now
        )
    await options.create_attribute(
        SqlUnitOfWork(database), BENCH_ADMIN, CreateAttribute("Material", values=MATERIALS)
    )


def timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    result = subprocess.run(
        [omniorder_cli(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"omniorder {args[0]} failed: {result.stderr.strip()[-2000:]}")
    return seconds, result


async def one_run(args: argparse.Namespace, catalog: Path) -> tuple[float, float]:
    async with fresh_database(args.backend, args.postgres_admin) as url:
        database = Database(url)
        try:
            await upgrade_to_head(database.write_engine)
            await prepare_catalog(database)
        finally:
            await database.dispose()
        env = app_environment(url, "bench-secret-of-at-least-32-characters")
        imported, _ = await asyncio.to_thread(timed, ["import", str(catalog)], env)
        exported, result = await asyncio.to_thread(timed, ["export"], env)
        if result.stdout != catalog.read_text(encoding="utf-8"):
            raise SystemExit("the export differs from the file imported")
        return imported, exported


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="omniorder-import-") as directory:
        catalog = Path(directory) / "catalog.csv"
        write_catalog(catalog, args.products, args.variants)
        lines = args.products * args.variants
        print(f"{args.backend}: {args.products} products x {args.variants} variants ({lines} rows)")
        runs = [asyncio.run(one_run(args, catalog)) for _ in range(args.runs)]
    imports = [imported for imported, _ in runs]
    exports = [exported for _, exported in runs]
    median = statistics.median(imports)
    print(f"import runs (s): {' '.join(f'{s:.2f}' for s in imports)}")
    print(f"import median:   {median:.2f} s, {args.products / median:.0f} products/s")
    print(f"export runs (s): {' '.join(f'{s:.2f}' for s in exports)}")
    print(f"export median:   {statistics.median(exports):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
