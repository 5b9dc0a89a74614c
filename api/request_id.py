"""A request id for every HTTP request: in the logs, and echoed in the X-Request-ID header.

Pure ASGI middleware, because Starlette's BaseHTTPMiddleware would lose the ContextVar.
The logs read it from `current_request_id` (api/observability/logs.py).
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_REQUEST = "-"
current_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)
HEADER = b"x-request-id"
ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(HEADER, b"").decode("latin-1")
        request_id = given if ACCEPTABLE.match(given) else uuid.uuid4().hex
        token = current_request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (HEADER, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)
