"""A minimal HTTP/1.1 keep-alive client for closed-loop load on small requests.

httpx costs about 1.5 ms of client CPU per request here, more than a `{ __typename }`
costs the server: at a few hundred requests a second the benchmark process, sharing the
machine's cores with the server, becomes what is measured. This client writes a prepared
request on one asyncio stream per connection and reads the status line, the headers and a
`Content-Length` body: tens of microseconds a request. It speaks only to the benchmark's
own servers (uvicorn answers every GraphQL POST with a `Content-Length`); anything else
(chunked bodies, a closed connection) is an `httpx.HTTPError`, counted as a transport error.
Responses are `httpx.Response` objects, so workloads classify them as they do httpx's.
"""

from __future__ import annotations

import asyncio
import json
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpx


class LightClient:
    """One keep-alive connection per concurrent request, opened on first use and reused."""

    def __init__(self, base_url: str, headers: dict[str, str], timeout: float) -> None:
        address = urlsplit(base_url)
        self.host, self.port = address.hostname or "127.0.0.1", address.port or 80
        self.timeout = timeout
        fixed = {"host": f"{self.host}:{self.port}", "content-type": "application/json"}
        self.header_lines = "".join(f"{k}: {v}\r\n" for k, v in {**fixed, **headers}.items())
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.open: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> LightClient:
        return self

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        for writer in self.open:
            writer.close()

    async def post(self, path: str, *, json: Any) -> httpx.Response:
        body = _encode(json)
        head = f"POST {path} HTTP/1.1\r\n{self.header_lines}content-length: {len(body)}\r\n\r\n"
        reader, writer = self.idle.pop() if self.idle else await self._connect()
        try:
            writer.write(head.encode() + body)
            status, content = await asyncio.wait_for(_read_response(reader), self.timeout)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as error:
            writer.close()
            raise httpx.TransportError(f"{type(error).__name__}: {error}") from error
        self.idle.append((reader, writer))
        return httpx.Response(status, content=content)

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.open.append(writer)
        return reader, writer


def _encode(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split(b" ", 2)[1])
    length = None
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise ValueError("a response without Content-Length")
    return status, await reader.readexactly(length)
