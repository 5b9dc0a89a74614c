"""Bearer tokens from a business's own identity provider: JWTs it signs with its private
keys (RS256, ES256, ...), checked against its public keys (a JWKS URL or a key file) and
mapped to a `Principal` by the claims described in docs/access.md, "Tokens from your
identity provider".

Our own tokens (api/auth.py) are signed with a shared secret (HS256); a token whose header
names an asymmetric algorithm comes here instead (`is_identity_provider_token`). Only the
asymmetric algorithms configured are accepted, never `none` or HS*: a verifier that let
the token choose HS256 could be fooled into using the provider's *public* key as the
secret, which anyone can do.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidSubjectError

from api.auth import InvalidToken
from api.identity_claims import principal_from_claims
from api.settings import SettingsError, _count, _seconds
from domain.access import Principal

log = logging.getLogger("omniorder.external_tokens")

ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "PS256")
DEFAULT_ALGORITHMS = ("RS256", "ES256")
# Clock skew between the identity provider and this server, allowed on exp, nbf and iat.
LEEWAY_SECONDS = 30
FETCH_TIMEOUT_SECONDS = 5
NO_KEY_ID = "the token names no signing key (kid header)"
UNKNOWN_KEY_ID = "the token's signing key (kid) is not among the identity provider's keys"
KEYS_UNAVAILABLE = "the identity provider's keys could not be fetched (OMNIORDER_JWT_JWKS)"


class KeysUnavailable(InvalidToken):
    """The identity provider's keys could not be fetched, so no token of it can be checked
    (the provider is down, or OMNIORDER_JWT_JWKS names no JWKS document)."""


@dataclass(frozen=True)
class ExternalTokenSettings:
    """Where the identity provider's public keys are and what its tokens must say."""

    jwks: str  # an http(s) URL of a JWKS document, or the path of a JWKS or PEM file
    issuer: str  # `iss` must be exactly this
    audience: str  # `aud` must be (or contain) this
    algorithms: tuple[str, ...] = DEFAULT_ALGORITHMS
    role_claim: str = "omniorder_role"  # one role name
    roles_claim: str = "roles"  # a list holding one role name among others
    locations_claim: str = "omniorder_locations"
    jwks_cache_seconds: int = 300  # how long a fetched JWKS document is used
    jwks_refetch_seconds: float = 30.0  # at most one refetch per this long for an unknown kid

    @property
    def jwks_is_url(self) -> bool:
        return _is_url(self.jwks)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ExternalTokenSettings | None:
        """None unless OMNIORDER_JWT_JWKS is set; then the issuer and audience are required,
        for a provider's token meant for another application must not work here."""
        jwks = env.get("OMNIORDER_JWT_JWKS", "").strip()
        issuer = env.get("OMNIORDER_JWT_ISSUER", "").strip()
        audience = env.get("OMNIORDER_JWT_AUDIENCE", "").strip()
        if not jwks:
            for name in ("OMNIORDER_JWT_ISSUER", "OMNIORDER_JWT_AUDIENCE"):
                if env.get(name, "").strip():
                    raise SettingsError(
                        f"{name} is set but OMNIORDER_JWT_JWKS is not: name the identity "
                        "provider's JWKS URL or key file too"
                    )
            return None
        _check_jwks(jwks)
        for name, value in (("OMNIORDER_JWT_ISSUER", issuer), ("OMNIORDER_JWT_AUDIENCE", audience)):
            if not value:
                raise SettingsError(
                    f"{name} is required with OMNIORDER_JWT_JWKS: tokens are accepted only "
                    "from that issuer, for that audience"
                )
        return cls(
            jwks=jwks,
            issuer=issuer,
            audience=audience,
            algorithms=_algorithms(env, "OMNIORDER_JWT_ALGORITHMS"),
            role_claim=_claim(env, "OMNIORDER_JWT_ROLE_CLAIM", cls.role_claim),
            roles_claim=_claim(env, "OMNIORDER_JWT_ROLES_CLAIM", cls.roles_claim),
            locations_claim=_claim(env, "OMNIORDER_JWT_LOCATIONS_CLAIM", cls.locations_claim),
            jwks_cache_seconds=_count(env, "OMNIORDER_JWT_JWKS_CACHE_SECONDS", 300, most=86_400),
            jwks_refetch_seconds=_seconds(env, "OMNIORDER_JWT_JWKS_REFETCH_SECONDS", 30.0),
        )


def _is_url(jwks: str) -> bool:
    return urlsplit(jwks).scheme.lower() in ("http", "https")


def _check_jwks(jwks: str) -> None:
    """An https URL, an http one on this host only (keys fetched in the clear from elsewhere
    could be swapped on the way), or an existing file."""
    if _is_url(jwks):
        parts = urlsplit(jwks)
        if not parts.hostname:
            raise SettingsError(f"OMNIORDER_JWT_JWKS must be a URL with a host, got {jwks!r}")
        if parts.scheme.lower() == "http" and not _is_loopback(parts.hostname):
            raise SettingsError(
                f"OMNIORDER_JWT_JWKS must be an https URL (http only on this host), got {jwks!r}"
            )
    elif not Path(jwks).is_file():
        raise SettingsError(
            "OMNIORDER_JWT_JWKS must be an https URL of a JWKS document or the path of a "
            f"JWKS or PEM public key file, got {jwks!r}, which is no file"
        )


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _algorithms(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    items = [item.strip().upper() for item in env.get(name, "").split(",") if item.strip()]
    if not items:
        return DEFAULT_ALGORITHMS
    unknown = [item for item in items if item not in ALGORITHMS]
    if unknown:
        raise SettingsError(
            f"{name} must be comma-separated names among {', '.join(ALGORITHMS)}, got {env[name]!r}"
        )
    return tuple(dict.fromkeys(items))


def _claim(env: Mapping[str, str], name: str, default: str) -> str:
    return env.get(name, "").strip() or default


def is_identity_provider_token(token: str) -> bool:
    """Whether `token` is a JWT whose header names an asymmetric algorithm (RS*, ES*, PS*),
    i.e. one for `ExternalTokenVerifier`; anything else is left to our own TokenService.
    The header is read unverified: this only routes, the verifier decides."""
    try:
        algorithm = jwt.get_unverified_header(token).get("alg")
    except jwt.PyJWTError:
        return False
    return isinstance(algorithm, str) and algorithm.startswith(("RS", "ES", "PS"))


class ExternalTokenVerifier:
    """Checks a token of the identity provider and says who it names. Keys from a URL are
    fetched when first needed and then cached; a key file is read once, here."""

    def __init__(self, settings: ExternalTokenSettings) -> None:
        self._settings = settings
        self._keys: _JwksEndpoint | _KeyFile = (
            _JwksEndpoint(settings) if settings.jwks_is_url else _KeyFile.load(settings.jwks)
        )

    async def verify(self, token: str) -> Principal:
        kid = self._key_id(token)
        key = await self._keys.signing_key(kid)
        return principal_from_claims(self._claims(token, key), self._settings)

    def _key_id(self, token: str) -> str | None:
        """The token's `kid`, once its algorithm is known to be one accepted (checked before
        any key is looked up, so a token signed with `none` never reaches the network)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("the token is not a JWT") from None
        algorithm = header.get("alg")
        if algorithm not in self._settings.algorithms:
            # Named back only when it looks like an algorithm's name (the header is anyone's).
            named = isinstance(algorithm, str) and algorithm.isalnum() and len(algorithm) <= 10
            raise InvalidToken(
                f"tokens signed with {algorithm if named else 'that algorithm'} are not "
                f"accepted (accepted: {', '.join(self._settings.algorithms)})"
            )
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise InvalidToken("the token's kid header must be a string")
        return kid

    def _claims(self, token: str, key: jwt.PyJWK) -> dict[str, Any]:
        settings = self._settings
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=list(settings.algorithms),
                audience=settings.audience,
                issuer=settings.issuer,
                leeway=LEEWAY_SECONDS,
                # A short RSA key (under 2048 bits) is refused rather than warned about.
                options={
                    "require": ["exp", "iss", "aud", "sub"],
                    "enforce_minimum_key_length": True,
                },
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(_reason(error)) from None
        return claims


def _reason(error: jwt.PyJWTError) -> str:
    """What is wrong with a token, in words that name the problem and no key material."""
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"the token has no {error.claim} claim"
    for kind, reason in _REASONS:
        if isinstance(error, kind):
            return reason
    return "the token is malformed"


_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "the token has expired"),
    (jwt.ImmatureSignatureError, "the token is not valid yet (nbf or iat in the future)"),
    (jwt.InvalidAudienceError, "the token is meant for another audience (aud)"),
    (jwt.InvalidIssuerError, "the token comes from another issuer (iss)"),
    (jwt.InvalidSignatureError, "the token's signature does not verify"),
    (jwt.InvalidAlgorithmError, "the token's algorithm does not fit its key"),
    (jwt.InvalidKeyError, "the token's key does not fit its algorithm or is too short"),
    (InvalidSubjectError, "the token's sub claim must be a string"),
)


class _JwksEndpoint:
    """The provider's JWKS document, through PyJWT's client: the document is cached for
    `jwks_cache_seconds`, and a token naming a kid it lacks makes it fetch the document
    again (at most once per `jwks_refetch_seconds`), so a rotated-in key is picked up.
    The client fetches with urllib, which blocks: it runs in a thread, one at a time, and
    only when the cached document does not answer. After a failed fetch, tokens whose key
    is not cached are refused at once for `jwks_refetch_seconds`: a provider that is down
    is not asked again by every request, each holding a thread for up to
    FETCH_TIMEOUT_SECONDS (the threads password hashing needs too)."""

    def __init__(self, settings: ExternalTokenSettings) -> None:
        self._url = settings.jwks
        self._retry_seconds = settings.jwks_refetch_seconds
        self._failed_at: float | None = None
        self._fetching = asyncio.Lock()
        self._client = jwt.PyJWKClient(
            settings.jwks,
            lifespan=settings.jwks_cache_seconds,
            cooldown_duration=settings.jwks_refetch_seconds,
            timeout=FETCH_TIMEOUT_SECONDS,
            headers={"User-Agent": "omniorder"},  # some CDNs refuse urllib's default
        )

    async def signing_key(self, kid: str | None) -> jwt.PyJWK:
        if kid is None:
            raise InvalidToken(NO_KEY_ID)
        cached = self._cached(kid)
        if cached is not None:
            return cached
        async with self._fetching:  # the others wait here, not in the thread pool
            cached = self._cached(kid)
            if cached is not None:
                return cached
            if self._failed_recently():
                raise KeysUnavailable(KEYS_UNAVAILABLE)
            try:
                return await asyncio.to_thread(self._fetched, kid)
            except KeysUnavailable:
                self._failed_at = time.monotonic()
                raise

    def _failed_recently(self) -> bool:
        return (
            self._failed_at is not None and time.monotonic() - self._failed_at < self._retry_seconds
        )

    def _cached(self, kid: str) -> jwt.PyJWK | None:
        cache = self._client.jwk_set_cache
        keys = cache.get() if cache is not None else None
        if keys is None:
            return None
        return next(
            (key for key in keys.keys if key.key_id == kid and key.public_key_use != "enc"),
            None,
        )

    def _fetched(self, kid: str) -> jwt.PyJWK:
        """Blocking: the key named `kid`, from the cached document or a fetched one. A
        failure to fetch (or a document holding no keys) is the provider's; a kid missing
        from a good document is the token's."""
        try:
            self._client.get_signing_keys()
        except jwt.PyJWTError as error:
            raise self._unavailable(error) from None
        try:
            return self._client.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError as error:
            raise self._unavailable(error) from None
        except jwt.PyJWKClientError:
            raise InvalidToken(UNKNOWN_KEY_ID) from None

    def _unavailable(self, error: jwt.PyJWTError) -> KeysUnavailable:
        log.warning("the identity provider's keys at %s are unavailable: %s", self._url, error)
        return KeysUnavailable(KEYS_UNAVAILABLE)


@dataclass(frozen=True)
class _KeyFile:
    """Keys read once from a file: a JWKS document, one JWK, or one PEM public key."""

    keys: tuple[jwt.PyJWK, ...]

    @classmethod
    def load(cls, path: str) -> _KeyFile:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SettingsError(f"OMNIORDER_JWT_JWKS: cannot read {path!r}: {error}") from None
        try:
            keys = _parsed_keys(text)
        except (ValueError, TypeError, AttributeError, jwt.PyJWTError):
            keys = []
        signing = tuple(key for key in keys if key.public_key_use != "enc")
        if not signing:
            raise SettingsError(
                f"OMNIORDER_JWT_JWKS: {path!r} holds no public key: it must be a JWKS "
                "document, one JWK, or a PEM public key (RSA or EC)"
            )
        return cls(signing)

    async def signing_key(self, kid: str | None) -> jwt.PyJWK:
        """The key named `kid`; a file's only key if it names none or the token none."""
        if len(self.keys) == 1 and (kid is None or self.keys[0].key_id is None):
            return self.keys[0]
        for key in self.keys:
            if kid is not None and key.key_id == kid:
                return key
        raise InvalidToken(NO_KEY_ID if kid is None else UNKNOWN_KEY_ID)


def _parsed_keys(text: str) -> list[jwt.PyJWK]:
    if text.lstrip().startswith("-----BEGIN"):
        return [_pem_key(text)]
    document = json.loads(text)
    if isinstance(document, dict) and "keys" in document:
        return jwt.PyJWKSet.from_dict(document).keys
    return [jwt.PyJWK.from_dict(document)]


def _pem_key(text: str) -> jwt.PyJWK:
    public_key = load_pem_public_key(text.encode())
    if isinstance(public_key, rsa.RSAPublicKey):
        return jwt.PyJWK.from_dict(RSAAlgorithm.to_jwk(public_key, as_dict=True))
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return jwt.PyJWK.from_dict(ECAlgorithm.to_jwk(public_key, as_dict=True))
    raise ValueError("not an RSA or EC public key")
