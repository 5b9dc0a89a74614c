"""What the `omniorder` command checks before it starts work, so that a wrong setting is
one line saying what to fix (and exit code 2) rather than a traceback halfway through:
the database URL and the database behind it, and for `serve` the port to listen on.

The port check binds a socket the way uvicorn will (SO_REUSEADDR, IPv6 sockets v6-only,
every address the host resolves to), then lets it go; uvicorn on its own would build the
app, log "[Errno 98]" among its start-up lines and exit with 3 (1 with --workers).
"""

from __future__ import annotations

import errno
import socket

from persistence.database import Database
from persistence.database_checks import check_connection, check_schema, check_url

MAX_PORT = 65_535


class PortUnavailable(Exception):
    """`serve` cannot listen where it was asked to; the message says why and what to do."""


def check_port(host: str, port: int) -> None:
    if not 0 <= port <= MAX_PORT:
        raise PortUnavailable(f"--port {port} is not a TCP port — choose one from 1 to {MAX_PORT}")
    try:
        addresses = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror:
        raise PortUnavailable(
            f"cannot resolve --host {host!r} — give an address of this machine,"
            " such as 127.0.0.1 or 0.0.0.0"
        ) from None
    for family, kind, protocol, _name, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as error:
                raise PortUnavailable(_explain(error, host, port)) from None


def _explain(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use — stop what listens there"
            f" (ss -ltnp 'sport = :{port}') or choose another with --port"
        )
    if error.errno == errno.EACCES:
        return (
            f"not allowed to listen on port {port} (ports below 1024 need privileges)"
            " — choose another with --port"
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return (
            f"{host} is not an address of this machine — use 127.0.0.1, 0.0.0.0"
            " or one of its own addresses with --host"
        )
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


async def check_database(url: str, *, migrating: bool) -> None:
    """The URL is one Omniorder runs on and the database answers. `migrating`: it may be
    created or behind; otherwise it must exist and carry every migration."""
    check_url(url, must_exist=not migrating)
    database = Database(url)
    try:
        await check_connection(database)
        if not migrating:
            await check_schema(database)
    finally:
        await database.dispose()
