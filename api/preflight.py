"""What the `omniorder` command checks before it starts work, so that a wrong setting is
one line saying what to fix (and exit code 2) rather than a traceback halfway through:
the database URL and the database behind it, for `serve` the port to listen on and the
secret, for `token` what the token is bound to.

`serve` refuses the development secret (OMNIORDER_SECRET unset) on an address other
machines can reach, unless told `--dev`: that secret is in the source, so anyone who can
reach the port could sign themselves an ADMIN token.

The port check binds a socket the way uvicorn will (SO_REUSEADDR, IPv6 sockets v6-only,
every address the host resolves to), then lets it go; uvicorn on its own would build the
app, log "[Errno 98]" among its start-up lines and exit with 3 (1 with --workers).
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.access import Principal
from persistence.database import Database
from persistence.database_checks import check_connection, check_schema, check_url
from persistence.reads import customers as customer_reads
from persistence.reads import locations as location_reads
from persistence.reads import pos as pos_reads

MAX_PORT = 65_535


class PortUnavailable(Exception):
    """`serve` cannot listen where it was asked to; the message says why and what to do."""


class DevelopmentSecretRefused(Exception):
    """`serve` would sign tokens with the published development secret where other
    machines can reach it."""


class TokenRefused(Exception):
    """`token` was asked for a token that makes no sense or names something that does not
    exist; the message says which."""


def check_port(host: str, port: int) -> None:
    if not 0 <= port <= MAX_PORT:
        raise PortUnavailable(f"--port {port} is not a TCP port — choose one from 1 to {MAX_PORT}")
    for family, kind, protocol, _name, address in _addresses(host, port):
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as error:
                raise PortUnavailable(_explain(error, host, port)) from None


def _addresses(
    host: str, port: int
) -> Sequence[tuple[socket.AddressFamily, socket.SocketKind, int, str, Any]]:
    """Every address uvicorn would listen on for `host` (an empty host is every interface)."""
    try:
        return socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror:
        raise PortUnavailable(
            f"cannot resolve --host {host!r} — give an address of this machine,"
            " such as 127.0.0.1 or 0.0.0.0"
        ) from None


def only_loopback(host: str) -> bool:
    """Every address `host` resolves to is a loopback one (127.0.0.0/8, ::1): no other
    machine can connect. 0.0.0.0 and :: are every interface, not loopback."""
    return all(
        ipaddress.ip_address(address[0].partition("%")[0]).is_loopback
        for *_, address in _addresses(host, 0)
    )


def check_secret(host: str, *, development_secret: bool, dev: bool) -> None:
    if development_secret and not dev and not only_loopback(host):
        raise DevelopmentSecretRefused(
            f"OMNIORDER_SECRET is not set and --host {host} is reachable from other machines,"
            " where anyone could sign tokens with the published development secret"
            " — set OMNIORDER_SECRET, serve on 127.0.0.1, or pass --dev to run so anyway"
        )


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
    async with _checked_database(url, migrating=migrating):
        pass


@asynccontextmanager
async def _checked_database(url: str, *, migrating: bool) -> AsyncIterator[Database]:
    """The database at `url`, once `check_database` has found it usable; disposed after."""
    check_url(url, must_exist=not migrating)
    database = Database(url)
    try:
        await check_connection(database)
        if not migrating:
            await check_schema(database)
        yield database
    finally:
        await database.dispose()


async def check_token_bindings(url: str, principal: Principal) -> None:
    """The locations, customer and POS terminal a token names exist, and the terminal
    stands at the token's store. The database is checked first, as for every command that
    uses it, and then read over the same connection pool."""
    async with (
        _checked_database(url, migrating=False) as database,
        database.read_session() as session,
    ):
        await _check_bindings(session, principal)


async def _check_bindings(session: AsyncSession, principal: Principal) -> None:
    missing = [
        code
        for code in sorted(principal.location_codes)
        if await location_reads.location_by_code(session, code) is None
    ]
    if missing:
        raise TokenRefused(
            f"no location has the code {', '.join(missing)} — see the codes with the"
            " `locations` query, or create one with `createLocation`"
        )
    email = principal.customer_email
    if email is not None and await customer_reads.customer_by_email(session, email) is None:
        raise TokenRefused(f"no customer has the email {email} — create one with `createCustomer`")
    if principal.terminal_id is not None:
        terminal = principal.terminal_id
        found = await pos_reads.terminals_by_ids(session, [terminal])
        if not found:
            raise TokenRefused(
                f"no POS terminal has the id {terminal} — see them with the `posTerminals`"
                " query, or register one with `registerPosTerminal`"
            )
        store = found[0].location_code
        if store not in principal.location_codes:
            raise TokenRefused(
                f"POS terminal {terminal} stands at {store} — give --location {store}"
            )
        if found[0].deactivated_at is not None:
            raise TokenRefused(
                f"POS terminal {terminal} was deactivated — register the till again with"
                " `registerPosTerminal`"
            )
