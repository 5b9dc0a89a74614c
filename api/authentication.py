"""Who is calling: the bearer token of a request (or of a WebSocket's `connection_init`)
made into a Principal.

Our own tokens (api/auth.py) are checked for their signature, expiry and session: a token
of a revoked session is refused on every process (api/revocations.py). A token signed by
the business's own identity provider, when one is configured (api/external_tokens.py),
is checked against its keys; its sessions are the provider's to end.
"""

from __future__ import annotations

from api.auth import InvalidToken, TokenService, bearer_token
from api.external_tokens import ExternalTokenVerifier, is_identity_provider_token
from api.revocations import RevocationList
from domain.access import Principal


class Authenticator:
    def __init__(
        self,
        tokens: TokenService,
        revocations: RevocationList,
        identity_provider: ExternalTokenVerifier | None = None,
    ) -> None:
        self.tokens = tokens
        self.revocations = revocations
        self.identity_provider = identity_provider

    async def principal_from_header(self, authorization: str | None) -> Principal:
        """`Bearer <token>` → the caller; no header → anonymous; anything else refused
        with InvalidToken."""
        if not authorization:
            return Principal.anonymous()
        token = bearer_token(authorization)
        if self.identity_provider is not None and is_identity_provider_token(token):
            return await self.identity_provider.verify(token)
        principal = self.tokens.verify(token)
        if principal.session_id is not None and await self.revocations.is_revoked(
            principal.session_id
        ):
            raise InvalidToken("the token's session has been revoked")
        return principal
