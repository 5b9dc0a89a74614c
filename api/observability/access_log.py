"""One log line per HTTP request, written when its response has gone out.

Uvicorn's access log knows neither the request id nor the GraphQL operation nor the
caller, so this middleware replaces it (`omniorder serve` turns uvicorn's off). The
operation and the caller are learnt while the request runs: the GraphQL layer fills in
the `RequestRecord` found in `current_request` (api/observability/operations.py).
Probes (/health, /ready, /metrics) are logged at DEBUG, so they do not drown the rest.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("omniorder.access")
PROBES = frozenset({"/health", "/ready", "/metrics"})


@dataclass
class RequestRecord:
    """What the access log line says about a request beyond its method, path and status."""

    operation: str | None = None
    role: str | None = None


current_request: ContextVar[RequestRecord | None] = ContextVar("current_request", default=None)


class AccessLogMiddleware:
    """Pure ASGI middleware; it must sit inside RequestIdMiddleware to log the request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record = RequestRecord()
        token = current_request.set(record)
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before it answers

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            current_request.reset(token)
            path = scope["path"]
            log.log(
                logging.DEBUG if path in PROBES else logging.INFO,
                "%s %s %s",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "operationName": record.operation,
                    "role": record.role,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
