"""Real processes for end-to-end tests: `omniorder serve`, redis-server, and the graphql-ws
client (npm), each on a free port, each stopped by its test."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "tests" / "clients"
SECRET = "e2e-secret-of-at-least-32-characters"
START_TIMEOUT = 60.0  # generous: a loaded two-core machine starts a server slowly


def _wait_until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not come up within {timeout}s")


def _empty_file(suffix: str) -> Path:
    descriptor, path = tempfile.mkstemp(suffix)
    os.close(descriptor)
    return Path(path)


@dataclass
class Server:
    """`omniorder serve` on a free port. It logs to a file, which `log_lines` reads: a pipe
    that nobody reads would fill up and stall the server."""

    database_url: str
    redis_url: str | None = None
    workers: int = 1
    cors_origins: str = ""  # OMNIORDER_CORS_ORIGINS: none unless a test lists some
    env: dict[str, str] = field(default_factory=dict)  # more settings, e.g. rate limits
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path = field(default_factory=lambda: _empty_file(".log"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_lines(self) -> list[str]:
        return self.log_path.read_text().splitlines()

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def start(self) -> Server:
        env = os.environ | {"DATABASE_URL": self.database_url, "OMNIORDER_SECRET": SECRET}
        env.pop("REDIS_URL", None)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env["OMNIORDER_CORS_ORIGINS"] = self.cors_origins
        env |= self.env
        with self.log_path.open("ab") as log:  # appending: every worker writes to it
            self.process = self._popen(env, log)
        return self._wait_until_healthy()

    def _popen(self, env: dict[str, str], log: Any) -> subprocess.Popen:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )

    def _wait_until_healthy(self) -> Server:
        def healthy() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + "\n".join(self.log_lines()))
            try:
                return httpx.get(f"{self.url}/health", timeout=0.5).status_code == 200
            except httpx.HTTPError:
                return False

        _wait_until(healthy, START_TIMEOUT, "omniorder serve")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_path.unlink(missing_ok=True)


@dataclass
class RedisServer:
    """A redis-server of the test's own, so it can be stopped and started again."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answering() -> bool:
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", self.port)) == 0

        _wait_until(answering, START_TIMEOUT, "redis-server")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Subscriber:
    """The graphql-ws client (npm) in a Node process; one JSON line per event."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def open(
        cls,
        server: Server,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str = "",
        count: int = 1,
        timeout: float = 20.0,
    ) -> Subscriber:
        process = await asyncio.create_subprocess_exec(
            "node",
            str(CLIENTS / "subscribe.mjs"),
            server.ws_url,
            token,
            query,
            json.dumps(variables or {}),
            str(count),
            str(int(timeout * 1000)),
            stdout=asyncio.subprocess.PIPE,
        )
        subscriber = cls(process)
        first = await subscriber.next(timeout)
        if first != {"ready": True}:
            raise AssertionError(f"connection not acknowledged: {first}")
        # The subscribe message follows the acknowledgement; give the server a moment to
        # register it before the test makes the changes it should see.
        await asyncio.sleep(0.5)
        return subscriber

    async def next(self, timeout: float = 20.0) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        if not line:
            raise AssertionError("the subscriber ended without another message")
        return json.loads(line)

    async def events(self, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        return [await self.next(timeout) for _ in range(count)]

    async def close(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()
