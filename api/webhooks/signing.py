"""Request signatures, in the scheme of Stripe's `Stripe-Signature`.

`Omniorder-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
webhook's secret>`. Signing the timestamp with the body lets a receiver refuse a request
replayed later: it checks the HMAC, then that `t` is within its tolerance of its clock.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Omniorder-Signature"
SCHEME = "v1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>`."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},{SCHEME}={signature(secret, timestamp, body)}"
