"""Bearer tokens of our own: JWTs (HS256, PyJWT) naming a role, its bindings and the
session they belong to.

Verifying a token checks its signature and expiry only; whether its session was revoked
is the Authenticator's question (api/authentication.py), asked of every process's
revocation list on every request.

Checking a signature costs ~0.15 ms, a good share of a small request, and a client sends
the same token again and again: a bounded cache remembers the tokens verified lately, each
until it expires. A token's claims never change, so a remembered answer stays right.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

import jwt

from api.settings import Settings
from domain.access import Principal, Role

ALGORITHM = "HS256"
ISSUER = "omniorder"
AUDIENCE = "omniorder-api"
VERIFIED_TOKENS_KEPT = 10_000  # a few MB at most


class InvalidToken(Exception):
    """The token is malformed, forged, expired or revoked."""


class TokenService:
    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._secret = secret
        self.default_lifetime = timedelta(seconds=max_age_seconds)
        # token → (its principal, when it expires as a Unix time), least recently used first
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenService:
        """Signing with OMNIORDER_SECRET, tokens living OMNIORDER_TOKEN_DAYS by default."""
        return cls(settings.secret, int(settings.sessions.token_lifetime.total_seconds()))

    def issue(
        self,
        principal: Principal,
        *,
        expires_at: datetime | None = None,
        now: datetime | None = None,
    ) -> str:
        """A token for `principal`, valid until `expires_at` (by default the service's
        token lifetime from now); it names the principal's session, when it has one."""
        if principal.role is None:
            raise ValueError("anonymous callers have no token")
        issued_at = now or datetime.now(UTC)
        claims: dict[str, object] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": issued_at,
            "exp": expires_at or issued_at + self.default_lifetime,
            "role": principal.role.value,
            "sub": principal.subject,
            "locations": sorted(principal.location_codes),
            "customer": principal.customer_email,
            "terminal": principal.terminal_id,
            "sid": principal.session_id,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        """The principal of a token signed by us and not expired; InvalidToken otherwise."""
        remembered = self._verified.get(token)
        if remembered is not None:
            principal, expires_at = remembered
            if time.time() < expires_at:
                self._verified.move_to_end(token)
                return principal
            del self._verified[token]
        principal, expires_at = self._decode(token)
        self._verified[token] = (principal, expires_at)
        if len(self._verified) > VERIFIED_TOKENS_KEPT:
            self._verified.popitem(last=False)
        return principal

    def _decode(self, token: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "role"]},
            )
            principal = Principal(
                role=Role(claims["role"]),
                subject=str(claims["sub"]),
                location_codes=frozenset(_strings(claims.get("locations"))),
                customer_email=_optional_string(claims.get("customer")),
                terminal_id=_terminal_id(claims.get("terminal")),
                session_id=_session_id(claims.get("sid")),
            )
            return principal, float(claims["exp"])
        except jwt.ExpiredSignatureError as error:
            raise InvalidToken("the token has expired") from error
        except (jwt.InvalidTokenError, KeyError, TypeError, ValueError) as error:
            raise InvalidToken("invalid token") from error


def bearer_token(authorization: str) -> str:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def _strings(claim: object) -> list[str]:
    if claim is None:
        return []
    if not isinstance(claim, list) or not all(isinstance(item, str) for item in claim):
        raise ValueError("a list of strings was expected")
    return claim


def _optional_string(claim: object) -> str | None:
    if claim is not None and not isinstance(claim, str):
        raise ValueError("a string was expected")
    return claim


def _optional_int(claim: object) -> int | None:
    if claim is None:
        return None
    if isinstance(claim, bool) or not isinstance(claim, int):
        raise ValueError("an integer was expected")
    return claim


_terminal_id = _optional_int  # the POS terminal a token names, if any
_session_id = _optional_int  # the session a token belongs to, if any
