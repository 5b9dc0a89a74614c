"""Checking a provider's signed webhook, in the scheme of Stripe's `Stripe-Signature`.

`<header>: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the shared secret>`,
the scheme our own outgoing webhooks use (api/webhooks/signing.py signs them). A request is
taken only when one of its `v1` signatures matches (a provider rolling its secret sends two)
and its `t` is within the tolerance of our clock: the signature covers `t`, so a request
captured on the way cannot be replayed later, nor its timestamp refreshed.

Stripe signs in exactly this scheme, so a Stripe adapter verifies with `verify_signature`
too (its header is `Stripe-Signature`, its secret the endpoint's `whsec_…`).
"""

from __future__ import annotations

import hmac

from api.webhooks.signing import SCHEME, signature, signature_header

__all__ = ["SignatureRefused", "signature_header", "verify_signature"]

MAX_HEADER = 1_000  # far above a header with a few signatures; refuses nonsense early


class SignatureRefused(Exception):
    """The request is not the provider's, or is too old (or too new) to be taken."""


def verify_signature(
    secret: str, header: str | None, body: bytes, now: float, tolerance: float
) -> int:
    """The signed timestamp of a request whose `header` signs `body` with `secret` within
    `tolerance` seconds of `now`; SignatureRefused (saying why) otherwise."""
    if not header:
        raise SignatureRefused("no signature")
    if len(header) > MAX_HEADER:
        raise SignatureRefused("the signature header is too long")
    timestamp, candidates = _parse(header)
    expected = signature(secret, timestamp, body).encode()
    # compare_digest on bytes: its time does not tell how much of a guess was right (and,
    # unlike on str, it takes any bytes a header may hold).
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureRefused("the signature does not match")
    if abs(now - timestamp) > tolerance:
        raise SignatureRefused(
            f"the signature's timestamp is {int(abs(now - timestamp))} s from our clock "
            f"(tolerance {tolerance:g} s)"
        )
    return timestamp


def _parse(header: str) -> tuple[int, list[bytes]]:
    timestamp: int | None = None
    candidates: list[bytes] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif key == SCHEME and value:
            candidates.append(value.encode())
    if timestamp is None or not candidates:
        raise SignatureRefused(f"the signature header has no t=<unix time> or no {SCHEME}=")
    return timestamp, candidates
