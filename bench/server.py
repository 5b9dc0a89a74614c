"""The server under test: a real `omniorder serve` process on a free loopback port.

The CLI is the one installed next to the running interpreter (`.venv/bin/omniorder`), so the
benchmark measures exactly what ships. Its output goes to a log file, read back for errors.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
CLI_TIMEOUT_SECONDS = 120.0


def omniorder_cli() -> str:
    beside = Path(sys.executable).with_name("omniorder")
    if beside.exists():
        return str(beside)
    found = shutil.which("omniorder")
    if found is None:
        raise SystemExit("the omniorder CLI is not installed (pip install -e .)")
    return found


def app_environment(database_url: str, secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, OMNIORDER_SECRET=secret, OMNIORDER_GRAPHIQL="0")
    env.pop("REDIS_URL", None)  # one server process needs no shared broker
    return env


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [omniorder_cli(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )


def admin_token(env: dict[str, str]) -> str:
    result = run_cli(["token", "--role", "ADMIN", "--subject", "bench"], env)
    if result.returncode != 0:
        raise SystemExit(f"omniorder token failed: {result.stderr.strip()}")
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    log_errors: int = 0  # error lines in its log, counted once it has stopped

    def cpu_seconds(self) -> float | None:
        """User + system CPU so far of the server and its worker processes (Linux only)."""
        total, pending, seen = 0, [self.process.pid], set()
        while pending:
            pid = pending.pop()
            if pid in seen:
                continue
            seen.add(pid)
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pending += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                if pid == self.process.pid:
                    return None
                continue  # a worker that just exited
            total += int(stat[11]) + int(stat[12])
        return total / os.sysconf("SC_CLK_TCK")

    def log_problems(self) -> list[str]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [
            line
            for line in text.splitlines()
            if "Traceback" in line or " ERROR " in line or line.startswith("ERROR")
        ]

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def running_server(
    env: dict[str, str], *, workers: int = 1, command: list[str] | None = None
) -> Iterator[Server]:
    """Start `omniorder serve` (or `command`, which takes `--host` and `--port` too and
    answers /ready), wait until /ready answers, and always stop it afterwards."""
    port = free_port()
    log_directory = Path(tempfile.mkdtemp(prefix="omniorder-bench-log-"))
    log_path = log_directory / "server.log"
    command = command or [omniorder_cli(), "serve", "--workers", str(workers)]
    command = [*command, "--host", HOST, "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=log_directory
        )
    server = Server(process, f"http://{HOST}:{port}", log_path)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        _stop(process)
        problems = server.log_problems()
        server.log_errors = len(problems)
        if problems:
            print(f"server log had {len(problems)} error lines; last lines:\n{server.log_tail()}")
        shutil.rmtree(log_directory, ignore_errors=True)


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(
                f"the server exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.base_url}/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(
        f"the server was not ready within {START_TIMEOUT_SECONDS:.0f}s:\n{server.log_tail()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
