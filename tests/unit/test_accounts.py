"""Rules of accounts and sessions, without I/O: acceptable passwords, how long tokens
live, which sessions a caller may manage, and our own tokens signed and verified."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from api.auth import AUDIENCE, ISSUER, InvalidToken, TokenService, bearer_token
from api.session_service import SessionService
from api.settings import SessionSettings
from domain.access import Principal, Role
from domain.errors import InvalidInput
from domain.model.accounts import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    AccountTokenPurpose,
    acceptable_password,
)
from domain.model.sessions import Session, SessionKind
from domain.usecases.sessions import may_manage

SECRET = "unit-test-secret-of-at-least-32-characters"
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
ADA = "ada@example.com"


def session(
    kind: SessionKind = SessionKind.SIGN_IN,
    *,
    role: Role = Role.CUSTOMER,
    subject: str = ADA,
    customer_email: str | None = ADA,
    expires_in: timedelta = timedelta(days=30),
    **fields: Any,
) -> Session:
    return Session(
        kind=kind,
        role=role,
        subject=subject,
        created_at=NOW,
        expires_at=NOW + expires_in,
        customer_email=customer_email,
        id=fields.pop("id", 7),
        **fields,
    )


# -- passwords --------------------------------------------------------------------------


def test_a_password_of_the_minimum_to_the_maximum_length_is_acceptable():
    for length in (MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH):
        password = "x" * length
        assert acceptable_password(password, ADA) == password


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("x" * (MIN_PASSWORD_LENGTH - 1), "at least 8 characters"),
        ("x" * (MAX_PASSWORD_LENGTH + 1), "at most 256 characters"),
        (" Ada@Example.COM ", "may not be the email address"),
    ],
)
def test_a_short_long_or_email_password_is_refused_on_its_field(password, why):
    with pytest.raises(InvalidInput, match=why) as refused:
        acceptable_password(password, ADA, field="newPassword")

    assert refused.value.field == "newPassword"


def test_a_password_needs_no_composition_and_is_kept_as_typed():
    assert acceptable_password("  all lowercase words  ", ADA) == "  all lowercase words  "


# -- how long tokens live ---------------------------------------------------------------


def test_a_verification_token_lives_three_days_and_a_reset_token_one_hour():
    assert AccountTokenPurpose.VERIFY_EMAIL.lifetime == timedelta(days=3)
    assert AccountTokenPurpose.RESET_PASSWORD.lifetime == timedelta(hours=1)


def test_a_session_is_live_until_it_expires_or_is_revoked():
    live = session(expires_in=timedelta(minutes=1))
    revoked = session(revoked_at=NOW)

    assert live.is_live(NOW)
    assert not live.is_live(NOW + timedelta(minutes=1))
    assert not revoked.is_live(NOW)


def test_a_sessions_principal_names_the_session_and_its_bindings():
    till = session(
        SessionKind.POS_TERMINAL,
        role=Role.POS,
        subject="terminal:3",
        customer_email=None,
        location_codes=frozenset({"ST-B"}),
        terminal_id=3,
        id=42,
    )

    assert till.principal() == Principal(
        role=Role.POS,
        subject="terminal:3",
        location_codes=frozenset({"ST-B"}),
        terminal_id=3,
        session_id=42,
    )


def test_an_anonymous_caller_has_no_session():
    with pytest.raises(ValueError, match="anonymous"):
        Session.for_principal(SessionKind.CLI, Principal.anonymous(), NOW, NOW)


# -- who may manage a session -----------------------------------------------------------


def test_an_admin_manages_every_session():
    admin = Principal(role=Role.ADMIN, subject="root")

    assert may_manage(admin, session())
    assert may_manage(admin, session(SessionKind.CLI, role=Role.STAFF, customer_email=None))


def test_a_customer_manages_the_sessions_of_its_customer_only():
    ada = Principal(role=Role.CUSTOMER, subject=ADA, customer_email=ADA)

    assert may_manage(ada, session())
    assert not may_manage(ada, session(subject="bob", customer_email="bob@example.com"))
    # a session bound to no customer is nobody's, even with the customer's name as subject
    assert not may_manage(ada, session(SessionKind.CLI, role=Role.STAFF, customer_email=None))


def test_staff_manage_the_sessions_of_their_own_role_and_subject_only():
    kim = Principal(role=Role.STAFF, subject="kim", location_codes=frozenset({"ST-B"}))

    def staff_session(subject: str, role: Role = Role.STAFF) -> Session:
        return session(SessionKind.CLI, role=role, subject=subject, customer_email=None)

    assert may_manage(kim, staff_session("kim"))
    assert not may_manage(kim, staff_session("lee"))
    assert not may_manage(kim, staff_session("kim", Role.ADMIN))
    assert not may_manage(kim, session(subject="kim"))  # a customer's session named "kim"


# -- access tokens of a session ---------------------------------------------------------


def session_service(access_token_lifetime: timedelta = timedelta(minutes=15)) -> SessionService:
    """A service with only what access tokens need: the signer and the settings (the
    revocation list, accounts and notifier are not used, so left out)."""
    return SessionService(
        tokens=TokenService(SECRET, 3600),
        revocations=None,
        accounts=None,
        notifier=None,
        settings=SessionSettings(access_token_lifetime=access_token_lifetime),
    )


def expiry_claim(token: str) -> datetime:
    claims = jwt.decode(token, options={"verify_signature": False})
    return datetime.fromtimestamp(claims["exp"], UTC)


def test_a_signed_in_access_token_lives_minutes_but_never_past_its_session():
    service = session_service(timedelta(minutes=15))

    long_session = service.access_token(session(), NOW)
    ending_soon = service.access_token(session(expires_in=timedelta(minutes=5)), NOW)

    assert long_session.expires_at == NOW + timedelta(minutes=15)
    assert ending_soon.expires_at == NOW + timedelta(minutes=5)
    assert expiry_claim(long_session.token) == long_session.expires_at


@pytest.mark.parametrize("kind", [SessionKind.CLI, SessionKind.POS_TERMINAL])
def test_a_command_line_or_terminal_token_lives_as_long_as_its_session(kind):
    service = session_service(timedelta(minutes=15))
    issued = session(kind, role=Role.STAFF, subject="kim", customer_email=None, id=9)

    access = service.access_token(issued, NOW)

    assert access.expires_at == issued.expires_at == NOW + timedelta(days=30)
    assert expiry_claim(access.token) == issued.expires_at
    assert (
        jwt.decode(
            access.token,
            SECRET,
            algorithms=["HS256"],
            audience=AUDIENCE,
            options={"verify_exp": False},
        )["sid"]
        == 9
    )


# -- our own tokens ---------------------------------------------------------------------


def test_a_token_names_its_principal_and_session():
    tokens = TokenService(SECRET, 3600)
    principal = Principal(
        role=Role.POS,
        subject="terminal:3",
        location_codes=frozenset({"ST-B", "ST-C"}),
        terminal_id=3,
        session_id=11,
    )
    customer = Principal(role=Role.CUSTOMER, subject=ADA, customer_email=ADA)

    assert tokens.verify(tokens.issue(principal)) == principal
    assert tokens.verify(tokens.issue(customer)) == customer


def test_an_expired_token_is_refused_as_expired():
    tokens = TokenService(SECRET, 3600)
    then = datetime.now(UTC) - timedelta(hours=2)
    token = tokens.issue(Principal(role=Role.ADMIN), expires_at=then + timedelta(hours=1), now=then)

    with pytest.raises(InvalidToken, match="the token has expired"):
        tokens.verify(token)


def test_a_tampered_token_or_one_signed_with_another_secret_is_refused():
    tokens = TokenService(SECRET, 3600)
    header, payload, signature = tokens.issue(Principal(role=Role.STAFF)).split(".")
    forged_payload = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b'"STAFF"', b'"ADMIN"')
    ).decode()
    other_secret = TokenService("another-secret-of-at-least-32-characters", 3600)

    for token in (
        f"{header}.{forged_payload}.{signature}",
        other_secret.issue(Principal(role=Role.ADMIN)),
        "not a token",
    ):
        with pytest.raises(InvalidToken, match="invalid token"):
            tokens.verify(token)


@pytest.mark.parametrize(
    "change",
    [
        {"role": None},
        {"sub": None},
        {"exp": None},
        {"iat": None},
        {"aud": "another-api"},
        {"iss": "someone-else"},
        {"role": "EMPEROR"},
        {"terminal": True},
        {"sid": "7"},
        {"locations": "ST-B"},
    ],
)
def test_a_token_missing_a_claim_or_with_a_wrong_one_is_refused(change):
    now = datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "role": "STAFF",
        "sub": "kim",
        "locations": ["ST-B"],
        "terminal": None,
        "sid": 7,
    }
    claims.update(change)
    token = jwt.encode(
        {name: value for name, value in claims.items() if value is not None},
        SECRET,
        algorithm="HS256",
    )

    with pytest.raises(InvalidToken, match="invalid token"):
        TokenService(SECRET, 3600).verify(token)


def test_an_anonymous_caller_gets_no_token():
    with pytest.raises(ValueError, match="anonymous"):
        TokenService(SECRET, 3600).issue(Principal.anonymous())


@pytest.mark.parametrize("header", ["Basic abc", "Bearer ", "token"])
def test_only_a_bearer_authorization_header_names_a_token(header):
    assert bearer_token("bearer  abc.def.ghi ") == "abc.def.ghi"
    with pytest.raises(InvalidToken):
        bearer_token(header)
