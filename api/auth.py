"""Bearer tokens: signed (itsdangerous) claims naming a role and what it is bound to."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

from domain.access import Principal, Role

SALT = "omniorder.bearer-token"


class InvalidToken(Exception):
    """The token is malformed, forged or expired."""


class TokenService:
    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self._max_age = max_age_seconds

    def issue(self, principal: Principal) -> str:
        if principal.role is None:
            raise ValueError("anonymous callers have no token")
        return self._serializer.dumps(
            {
                "role": principal.role.value,
                "sub": principal.subject,
                "locations": sorted(principal.location_codes),
                "customer": principal.customer_email,
                "terminal": principal.terminal_id,
            }
        )

    def verify(self, token: str) -> Principal:
        try:
            claims = self._serializer.loads(token, max_age=self._max_age)
            return Principal(
                role=Role(claims["role"]),
                subject=str(claims["sub"]),
                location_codes=frozenset(claims.get("locations") or ()),
                customer_email=claims.get("customer"),
                terminal_id=_terminal_id(claims.get("terminal")),
            )
        except (BadSignature, KeyError, TypeError, ValueError) as error:
            raise InvalidToken("invalid or expired token") from error

    def principal_from_header(self, authorization: str | None) -> Principal:
        """`Bearer <token>` → the caller; no header → anonymous."""
        if not authorization:
            return Principal.anonymous()
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("the Authorization header must be 'Bearer <token>'")
        return self.verify(token.strip())


def _terminal_id(claim: object) -> int | None:
    """The POS terminal a token names; tokens issued before terminals existed name none."""
    if claim is None:
        return None
    if isinstance(claim, bool) or not isinstance(claim, int):
        raise ValueError("the terminal claim must be an integer")
    return claim
