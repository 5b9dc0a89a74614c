"""Ports for the servers tests start, a block of its own for each pytest-xdist worker.

A port the kernel picks (`bind(("127.0.0.1", 0))`) is free when picked but released before
the server binds it, and a test on another worker may be handed the same one in between.
So each worker draws from its own block below the kernel's ephemeral range (32768 and up,
where outgoing connections take their ports), and skips a port something else holds.
"""

from __future__ import annotations

import itertools
import os
import socket

FIRST_PORT = 20_000
BLOCK = 500  # ports per worker: far more than a worker's tests start at once


def _worker_index() -> int:
    """0 for `gw0` (or when the suite runs in one process), 1 for `gw1`, …"""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


_candidates = itertools.cycle(
    range(FIRST_PORT + _worker_index() * BLOCK, FIRST_PORT + (_worker_index() + 1) * BLOCK)
)


def free_port() -> int:
    """A port of this worker's block that nothing listens on or is bound to now."""
    for port in itertools.islice(_candidates, BLOCK):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port left in worker {_worker_index()}'s block")
