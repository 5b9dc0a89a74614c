"""Command-line arguments the benchmarks share."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

DEFAULT_POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def add_postgres_admin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--postgres-admin",
        default=os.environ.get("OMNIORDER_BENCH_POSTGRES", DEFAULT_POSTGRES_ADMIN),
        help="DSN of a loopback PostgreSQL that may CREATE/DROP DATABASE "
        "(env OMNIORDER_BENCH_POSTGRES)",
    )
