"""A real HTTP receiver for webhook tests: records every request, answers as told."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str:
        return self.headers[name.lower()]


@dataclass
class Receiver:
    """`statuses` are the answers to the first requests, in order; 200 after them.
    `delay` is how long each answer takes (seconds)."""

    port: int = 0
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def answer(self) -> int:
        return self.statuses.pop(0) if self.statuses else 200

    async def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        """The requests, once there are at least `count`."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"{len(self.requests)} of {count} requests came"
            await asyncio.sleep(0.02)
        return list(self.requests)


def verify(secret: str, header: str, body: bytes, now: float | None = None) -> bool:
    """What a receiver does (docs/webhooks.md): the HMAC of "<t>.<body>" matches a v1
    signature, and t is within the tolerance of the receiver's clock."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = parts["t"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    fresh = abs((now or time.time()) - int(timestamp)) <= TOLERANCE_SECONDS
    return fresh and hmac.compare_digest(expected, parts["v1"])


@contextmanager
def receiving(statuses: list[int] | None = None, delay: float = 0.0) -> Iterator[Receiver]:
    """A receiver listening on 127.0.0.1 (a port of its own) while the block runs."""
    receiver = Receiver(statuses=list(statuses or []), delay=delay)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(receiver.delay)
            with lock:
                receiver.requests.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status = receiver.answer()
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # a dispatcher opens up to 20 connections at once

    server = Server(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
