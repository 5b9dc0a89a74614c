"""Where a webhook request may go: a host's addresses, public ones only unless allowed.

Checked when a webhook is created and again before every request, on the addresses the
request then connects to (`pinned_address`): a host that resolved to a public address at
creation may resolve to an internal one later (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from domain.model.webhooks import check_addresses


async def resolve(host: str) -> list[str]:
    """The addresses `host` resolves to, in the resolver's order; none if it does not."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in found))


async def pinned_address(host: str, *, allow_private: bool) -> str:
    """The address a request to `host` connects to, once every address `host` resolves to
    passed the check (InvalidInput otherwise)."""
    addresses = await resolve(host)
    check_addresses(host, addresses, allow_private=allow_private)
    return addresses[0]
