"""What the lifecycle race tests share: sending commands at once, and the checks every race
ends with (the server they race against is the `race_server` fixture in conftest.py).

Each race sends N conflicting commands at one document at the same moment, over separate
HTTP connections, to an `omniorder serve` with two worker processes: on PostgreSQL the
requests meet in the database from different processes and connections; on SQLite, in its
single-writer lock from two processes.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from tests.e2e.processes import ROOT

CLIENTS = 8  # concurrent requests in every race
TRIALS = 3  # races per scenario, each on a fresh document


async def race(*commands: Callable[[], Awaitable[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every command's payload, all sent at once."""
    return list(await asyncio.gather(*(command() for command in commands)))


def times(
    count: int, command: Callable[..., Awaitable[dict[str, Any]]], *args: Any, **kwargs: Any
) -> list[Any]:
    """`count` copies of the call `command(*args, **kwargs)`, to race."""
    return [functools.partial(command, *args, **kwargs)] * count


def winner(payloads: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The payload of the command that succeeded (the first, where several could)."""
    return next(p for p in payloads if not p["userErrors"])


def outcomes(payloads: Iterable[dict[str, Any]]) -> Counter[str]:
    """How the payloads ended: "OK", or the code of their first userError."""
    return Counter(p["userErrors"][0]["code"] if p["userErrors"] else "OK" for p in payloads)


def assert_one_chain(history: list[dict[str, Any]]) -> None:
    """A document's history is one chain: sequences 1, 2, 3… and each change starting from
    the status the one before it ended in."""
    assert [change["sequence"] for change in history] == list(range(1, len(history) + 1)), history
    for before, after in itertools.pairwise(history):
        assert after["fromStatus"] == before["toStatus"], history


async def verify_stock(database_url: str) -> None:
    """`omniorder verify-stock` passes: levels equal their ledger and their holders."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "api.cli",
        "verify-stock",
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()
