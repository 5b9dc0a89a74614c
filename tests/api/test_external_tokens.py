"""Tokens from the business's own identity provider, verified against its JWKS document
served over real HTTP (or read from a key file), with keys made in the test."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.warnings import InsecureKeyLengthWarning

from api.auth import InvalidToken
from api.external_tokens import (
    ExternalTokenSettings,
    ExternalTokenVerifier,
    KeysUnavailable,
    is_identity_provider_token,
)
from api.settings import SettingsError
from domain.access import Principal, Role
from tests.api.jwks_issuer import (
    AUDIENCE,
    ISSUER,
    IdentityProvider,
    SigningKey,
    serving_identity_provider,
)

STAFF = {"omniorder_role": "STAFF", "omniorder_locations": ["wh-east", "ST-MALL"]}
CUSTOMER = {"roles": ["shopper", "customer"], "email": "Ada@Example.com", "email_verified": True}


@pytest.fixture
def provider() -> Iterator[IdentityProvider]:
    with serving_identity_provider() as provider:
        yield provider


@pytest.fixture
def verifier(provider: IdentityProvider) -> ExternalTokenVerifier:
    return ExternalTokenVerifier(provider.settings())


def _segment(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, object]:
    return jwt.decode(token, options={"verify_signature": False})


# -- accepted -----------------------------------------------------------------------


async def test_an_rs256_token_maps_to_its_principal(provider, verifier):
    # given a STAFF token signed with the provider's RSA key
    token = provider.token({**STAFF, "sub": "kim"}, key="rsa-1")

    # when it is verified
    principal = await verifier.verify(token)

    # then it names the clerk at its locations, written the way codes are stored
    assert principal == Principal(
        role=Role.STAFF, subject="kim", location_codes=frozenset({"WH-EAST", "ST-MALL"})
    )


async def test_an_es256_token_maps_to_its_customer(provider, verifier):
    token = provider.token(CUSTOMER, key="ec-1")

    principal = await verifier.verify(token)

    assert principal == Principal(
        role=Role.CUSTOMER, subject="idp-user-1", customer_email="ada@example.com"
    )


async def test_an_audience_list_holding_ours_is_accepted(provider, verifier):
    token = provider.token({"omniorder_role": "ADMIN", "aud": ["other-app", AUDIENCE]})

    assert (await verifier.verify(token)).role is Role.ADMIN


# -- refused ------------------------------------------------------------------------


async def test_an_expired_token_is_refused(provider, verifier):
    token = provider.token({"omniorder_role": "ADMIN"}, expires_in=-120)

    with pytest.raises(InvalidToken, match="the token has expired"):
        await verifier.verify(token)


async def test_a_token_without_exp_is_refused(provider, verifier):
    token = provider.token({"omniorder_role": "ADMIN", "exp": None})

    with pytest.raises(InvalidToken, match="the token has no exp claim"):
        await verifier.verify(token)


async def test_a_token_for_another_audience_is_refused(provider, verifier):
    token = provider.token({"omniorder_role": "ADMIN", "aud": "another-app"})

    with pytest.raises(InvalidToken, match=r"another audience \(aud\)"):
        await verifier.verify(token)


async def test_a_token_from_another_issuer_is_refused(provider, verifier):
    token = provider.token({"omniorder_role": "ADMIN", "iss": "https://evil.example.com/"})

    with pytest.raises(InvalidToken, match=r"another issuer \(iss\)"):
        await verifier.verify(token)


async def test_a_tampered_token_is_refused(provider, verifier):
    # given a CUSTOMER token whose claims are rewritten to ADMIN, its signature kept
    header, _, signature = provider.token(CUSTOMER).split(".")
    claims = {**_claims(provider.token(CUSTOMER)), "omniorder_role": "ADMIN"}
    tampered = f"{header}.{_segment(claims)}.{signature}"

    with pytest.raises(InvalidToken, match="signature does not verify"):
        await verifier.verify(tampered)


async def test_an_unsigned_token_is_refused(provider, verifier):
    claims = _claims(provider.token({"omniorder_role": "ADMIN"}))
    unsigned = f"{_segment({'alg': 'none', 'kid': 'rsa-1'})}.{_segment(claims)}."

    with pytest.raises(InvalidToken, match="tokens signed with none are not accepted"):
        await verifier.verify(unsigned)
    assert provider.fetches == 0  # refused before any key was looked up


async def test_hs256_signed_with_the_public_key_as_secret_is_refused(provider, verifier):
    # given the classic confusion attack: HMAC over the token, keyed with the public PEM
    claims = _claims(provider.token({"omniorder_role": "ADMIN"}))
    signing_input = f"{_segment({'alg': 'HS256', 'kid': 'rsa-1'})}.{_segment(claims)}"
    mac = hmac.new(provider.key("rsa-1").public_pem(), signing_input.encode(), hashlib.sha256)
    forged = f"{signing_input}.{base64.urlsafe_b64encode(mac.digest()).rstrip(b'=').decode()}"

    with pytest.raises(InvalidToken, match="tokens signed with HS256 are not accepted"):
        await verifier.verify(forged)


async def test_a_key_the_provider_does_not_list_is_refused(provider, verifier):
    stranger = SigningKey.rsa("rsa-1-lookalike")
    token = provider.token({"omniorder_role": "ADMIN"}, key=stranger)

    with pytest.raises(InvalidToken, match=r"signing key \(kid\) is not among"):
        await verifier.verify(token)


async def test_a_token_signed_by_another_key_under_a_listed_kid_is_refused(provider, verifier):
    impostor = SigningKey("rsa-1", "RS256", SigningKey.rsa("x").private_key)
    token = provider.token({"omniorder_role": "ADMIN"}, key=impostor)

    with pytest.raises(InvalidToken, match="signature does not verify"):
        await verifier.verify(token)


async def test_an_algorithm_not_allowed_by_the_settings_is_refused(provider):
    verifier = ExternalTokenVerifier(provider.settings(algorithms=("RS256",)))
    token = provider.token(CUSTOMER, key="ec-1")

    with pytest.raises(InvalidToken, match=r"ES256 are not accepted \(accepted: RS256\)"):
        await verifier.verify(token)


async def test_a_role_the_claims_do_not_name_is_refused(provider, verifier):
    token = provider.token({"roles": ["shopper"]})

    with pytest.raises(InvalidToken, match="the token names no role"):
        await verifier.verify(token)


async def test_a_short_rsa_key_is_refused():
    # given a provider publishing a 1024-bit RSA key
    weak = SigningKey(
        "weak", "RS256", rsa.generate_private_key(public_exponent=65537, key_size=1024)
    )
    with serving_identity_provider(IdentityProvider(keys=[weak])) as provider:
        verifier = ExternalTokenVerifier(provider.settings())
        with pytest.warns(InsecureKeyLengthWarning):  # PyJWT signs with it, but warns
            token = provider.token({"omniorder_role": "ADMIN"}, key="weak")

        with pytest.raises(InvalidToken, match="too short"):
            await verifier.verify(token)


# -- keys: caching, rotation, outages -------------------------------------------------


async def test_the_jwks_document_is_fetched_once_for_many_tokens(provider, verifier):
    for _ in range(5):
        await verifier.verify(provider.token({"omniorder_role": "ADMIN"}, key="rsa-1"))
        await verifier.verify(provider.token(CUSTOMER, key="ec-1"))

    assert provider.fetches == 1


async def test_a_rotated_in_key_is_picked_up(provider, verifier):
    # given a verifier that has fetched the provider's keys
    await verifier.verify(provider.token({"omniorder_role": "ADMIN"}, key="rsa-1"))
    # when the provider rotates to a new key and signs with it
    provider.keys = [SigningKey.rsa("rsa-2"), provider.key("ec-1")]
    token = provider.token({"omniorder_role": "ADMIN"}, key="rsa-2")

    # then the unknown kid makes the verifier fetch the document again, and it is accepted
    assert (await verifier.verify(token)).role is Role.ADMIN
    assert provider.fetches == 2


async def test_unknown_kids_refetch_at_most_once_per_refetch_period(provider):
    # given the default wait between refetches
    verifier = ExternalTokenVerifier(provider.settings(jwks_refetch_seconds=30))
    await verifier.verify(provider.token({"omniorder_role": "ADMIN"}))

    # when a flood of tokens names keys the provider does not list
    for number in range(5):
        stranger = SigningKey.ec(f"random-{number}")
        with pytest.raises(InvalidToken, match="is not among"):
            await verifier.verify(provider.token({"omniorder_role": "ADMIN"}, key=stranger))

    # then the provider was not asked again
    assert provider.fetches == 1


async def test_an_unreachable_provider_makes_tokens_uncheckable():
    # given a provider that has stopped
    with serving_identity_provider() as provider:
        verifier = ExternalTokenVerifier(provider.settings())
        token = provider.token({"omniorder_role": "ADMIN"})

    with pytest.raises(KeysUnavailable, match="keys could not be fetched"):
        await verifier.verify(token)


async def test_a_provider_that_is_down_is_asked_once_per_refetch_period(provider):
    # given a verifier whose provider fails to serve its keys
    verifier = ExternalTokenVerifier(provider.settings(jwks_refetch_seconds=30))
    provider.down = True
    token = provider.token({"omniorder_role": "ADMIN"})

    # when tokens come, at once and one after another
    refusals = await asyncio.gather(
        *(verifier.verify(token) for _ in range(5)), return_exceptions=True
    )
    with pytest.raises(KeysUnavailable, match="keys could not be fetched"):
        await verifier.verify(token)

    # then each is refused, and the provider was asked once
    assert all(isinstance(refusal, KeysUnavailable) for refusal in refusals)
    assert provider.fetches == 1


async def test_a_provider_back_up_is_asked_again_after_the_refetch_period(provider):
    # given a verifier that failed to fetch the keys, with no wait before asking again
    verifier = ExternalTokenVerifier(provider.settings(jwks_refetch_seconds=0))
    provider.down = True
    token = provider.token({"omniorder_role": "ADMIN"})
    with pytest.raises(KeysUnavailable):
        await verifier.verify(token)

    # when the provider is back
    provider.down = False

    # then its tokens are accepted
    assert (await verifier.verify(token)).role is Role.ADMIN
    assert provider.fetches == 2


# -- key files ------------------------------------------------------------------------


def _file_settings(path: Path) -> ExternalTokenSettings:
    return ExternalTokenSettings(jwks=str(path), issuer=ISSUER, audience=AUDIENCE)


async def test_a_jwks_file_is_read_once_and_names_keys_by_kid(tmp_path):
    provider = IdentityProvider()
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(provider.jwks()))
    verifier = ExternalTokenVerifier(_file_settings(path))
    path.unlink()  # read at start, not per token

    assert (await verifier.verify(provider.token(CUSTOMER, key="ec-1"))).customer_email
    with pytest.raises(InvalidToken, match="is not among"):
        await verifier.verify(provider.token(CUSTOMER, key=SigningKey.ec("other")))


@pytest.mark.parametrize("make_key", [SigningKey.rsa, SigningKey.ec])
async def test_a_pem_public_key_file_verifies_its_tokens(tmp_path, make_key):
    key = make_key("any-kid")
    provider = IdentityProvider(keys=[key])
    path = tmp_path / "idp.pem"
    path.write_bytes(key.public_pem())
    verifier = ExternalTokenVerifier(_file_settings(path))

    assert (await verifier.verify(provider.token({"omniorder_role": "ADMIN"}, key=key))).role
    with pytest.raises(InvalidToken, match="signature does not verify"):
        forged = SigningKey(key.kid, key.algorithm, make_key("x").private_key)
        await verifier.verify(provider.token({"omniorder_role": "ADMIN"}, key=forged))


@pytest.mark.parametrize(
    "content",
    [
        "not a key",
        '{"keys": []}',
        '{"kty": "RSA"}',
        SigningKey.rsa("private")
        .private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode(),
    ],
)
def test_a_key_file_holding_no_public_key_is_refused_at_start(tmp_path, content):
    path = tmp_path / "idp.pem"
    path.write_text(content)

    with pytest.raises(SettingsError, match="holds no public key") as refused:
        ExternalTokenVerifier(_file_settings(path))
    assert "PRIVATE" not in str(refused.value)


# -- routing --------------------------------------------------------------------------


def test_asymmetric_jwts_are_routed_to_the_identity_provider_verifier():
    provider = IdentityProvider()

    assert is_identity_provider_token(provider.token(key="rsa-1"))
    assert is_identity_provider_token(provider.token(key="ec-1"))
    assert not is_identity_provider_token(jwt.encode({"sub": "x"}, "s" * 32, algorithm="HS256"))
    assert not is_identity_provider_token("eyJyb2xlIjoiQURNSU4ifQ.aGVsbG8.c2ln")
    assert not is_identity_provider_token("not a token")
