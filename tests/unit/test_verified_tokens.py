"""TokenService remembers the tokens it verified, each until it expires."""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from api import auth
from api.auth import InvalidToken, TokenService
from domain.access import Principal, Role

SECRET = "a-test-secret-of-at-least-32-characters"


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens whose signature was checked, in order."""
    checked: list[str] = []
    decode = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        checked.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(auth.jwt, "decode", counting)
    return checked


def test_a_token_sent_again_is_not_checked_again(decodes: list[str]) -> None:
    tokens = TokenService(SECRET, 3600)
    principal = Principal(role=Role.STAFF, subject="ada", location_codes=frozenset({"ST-A"}))
    token = tokens.issue(principal)

    assert tokens.verify(token) == principal
    assert tokens.verify(token) == principal
    assert decodes == [token]


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    tokens = TokenService(SECRET, 3600)
    expires_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    token = tokens.issue(Principal(role=Role.ADMIN), expires_at=expires_at)
    tokens.verify(token)

    time.sleep((expires_at - datetime.now(UTC)).total_seconds() + 0.05)

    with pytest.raises(InvalidToken, match="the token has expired"):
        tokens.verify(token)


def test_a_refused_token_is_refused_every_time(decodes: list[str]) -> None:
    tokens = TokenService(SECRET, 3600)
    forged = TokenService("another-secret-of-at-least-32-characters", 3600).issue(
        Principal(role=Role.ADMIN)
    )

    for _ in range(2):
        with pytest.raises(InvalidToken):
            tokens.verify(forged)
    assert decodes == [forged, forged]


def test_it_remembers_a_bounded_number_of_tokens_the_least_recently_used_leaving_first(
    decodes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "VERIFIED_TOKENS_KEPT", 2)
    tokens = TokenService(SECRET, 3600)
    first, second, third = (tokens.issue(Principal(role=Role.STAFF, subject=s)) for s in "abc")

    for token in (first, second, first, third, first, second):
        tokens.verify(token)

    assert decodes == [first, second, third, second]
