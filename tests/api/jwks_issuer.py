"""A stand-in identity provider for tests: key pairs made here (RSA and EC), its JWKS
document served over real HTTP on 127.0.0.1, and tokens signed with its keys.

    with serving_identity_provider() as provider:
        settings = provider.settings()          # ExternalTokenSettings pointing at it
        token = provider.token({"omniorder_role": "ADMIN"})
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from api.external_tokens import ExternalTokenSettings

ISSUER = "https://id.example.com/"
AUDIENCE = "omniorder-api"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    @classmethod
    def rsa(cls, kid: str) -> SigningKey:
        return cls(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def ec(cls, kid: str) -> SigningKey:
        return cls(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, Any]:
        """The public half, as a JWKS document lists it."""
        public = self.private_key.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            described = RSAAlgorithm.to_jwk(public, as_dict=True)
        else:
            described = ECAlgorithm.to_jwk(public, as_dict=True)
        return {**described, "kid": self.kid, "alg": self.algorithm, "use": "sig"}

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@dataclass
class IdentityProvider:
    """`keys` are the keys its JWKS document lists (change them to rotate); `fetches`
    counts the times the document was fetched (or asked for while `down`: then the
    answer is a 503)."""

    keys: list[SigningKey] = field(
        default_factory=lambda: [SigningKey.rsa("rsa-1"), SigningKey.ec("ec-1")]
    )
    port: int = 0
    fetches: int = 0
    down: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/.well-known/jwks.json"

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.jwk() for key in self.keys]}

    def settings(self, **changes: Any) -> ExternalTokenSettings:
        """Settings trusting this provider; no wait before a refetch for an unknown kid."""
        base = ExternalTokenSettings(
            jwks=self.url, issuer=ISSUER, audience=AUDIENCE, jwks_refetch_seconds=0
        )
        return replace(base, **changes)

    def key(self, kid: str) -> SigningKey:
        return next(key for key in self.keys if key.kid == kid)

    def token(
        self,
        claims: dict[str, Any] | None = None,
        *,
        key: SigningKey | str = "rsa-1",
        expires_in: int = 300,
    ) -> str:
        """A token signed with `key` (a listed key's kid, or any SigningKey) with the
        standard claims filled in; a claim given as None is left out."""
        signer = self.key(key) if isinstance(key, str) else key
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "idp-user-1",
            "iat": now,
            "exp": now + expires_in,
            **(claims or {}),
        }
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(
            payload, signer.private_key, algorithm=signer.algorithm, headers={"kid": signer.kid}
        )


@contextmanager
def serving_identity_provider(
    provider: IdentityProvider | None = None,
) -> Iterator[IdentityProvider]:
    """`provider` (a new one by default) serving its JWKS document while the block runs."""
    provider = provider or IdentityProvider()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                provider.fetches += 1
                body = json.dumps(provider.jwks()).encode()
            if provider.down:
                self.send_error(503)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
