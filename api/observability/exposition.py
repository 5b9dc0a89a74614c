"""`/metrics` in Prometheus's text format, for one process or for all of `serve`'s workers.

With several workers each process writes its metrics to files in PROMETHEUS_MULTIPROC_DIR
(prometheus-client's multiprocess mode, api/observability/multiprocess_dir.py); a scrape,
answered by whichever worker the connection reaches, reads them all. The live gauges of
workers that died are removed at each scrape, as prometheus-client asks
(`mark_process_dead`).
"""

from __future__ import annotations

import os
import re
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from sqlalchemy import event
from starlette.requests import Request
from starlette.responses import Response

from api.observability.metrics import DB_POOL_CHECKED_OUT
from api.observability.multiprocess_dir import multiprocess_dir
from persistence.database import Database

LIVE_GAUGE_FILE = re.compile(r"^gauge_live\w+?_(\d+)\.db$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def forget_dead_workers(directory: str) -> None:
    """Drop the live gauges (open subscriptions, checked-out connections) of dead workers."""
    pids = {int(m.group(1)) for f in os.listdir(directory) if (m := LIVE_GAUGE_FILE.match(f))}
    for pid in pids:
        if not _alive(pid):
            mark_process_dead(pid, directory)


def forget_this_worker() -> None:
    """At a worker's orderly exit: its live gauges no longer count."""
    directory = multiprocess_dir()
    if directory is not None:
        mark_process_dead(os.getpid(), directory)


async def metrics_endpoint(_: Request) -> Response:
    directory = multiprocess_dir()
    if directory is None:
        registry = REGISTRY
    else:
        forget_dead_workers(directory)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=directory)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def _checked_out(*_: Any) -> None:
    DB_POOL_CHECKED_OUT.inc()


def _checked_in(*_: Any) -> None:
    DB_POOL_CHECKED_OUT.dec()


def observe_pool(database: Database) -> None:
    """Count the connections checked out of the database's pools (once per engine)."""
    for engine in database.engines:
        if not event.contains(engine.sync_engine, "checkout", _checked_out):
            event.listen(engine.sync_engine, "checkout", _checked_out)
            event.listen(engine.sync_engine, "checkin", _checked_in)
