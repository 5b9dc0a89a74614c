"""Races on accounts and sessions: many concurrent requests for one change through one
app, on SQLite and PostgreSQL; exactly one makes the change, the others are refused with
a code, and the stored state is the winner's."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import pytest
from argon2 import PasswordHasher as Argon2Parameters
from sqlalchemy import func, select

from api.passwords import Argon2Hasher
from api.settings import RateLimitSettings
from domain.access import Role
from domain.model.sessions import digest
from domain.ports import PasswordHasher
from persistence.database import Database
from persistence.records import CustomerAccountRecord, CustomerRecord, SessionRecord
from tests.api.accounts_documents import (
    CHANGE,
    PASSWORD,
    REFRESH,
    REGISTER,
    REQUEST_RESET,
    RESET,
    REVOKE,
    VERIFY,
    capture_account_messages,
    sent_token,
    sign_in,
    signed_up,
)
from tests.api.conftest import GraphQL, build_app, client_of

EMAIL = "grace@example.com"
RACERS = 12
# Sign-in and mutation limits would refuse most of the racers before they race.
UNLIMITED = RateLimitSettings(sign_in_per_email=None, sign_in_per_address=None, mutation=None)


@pytest.fixture(autouse=True)
def _messages(caplog: pytest.LogCaptureFixture) -> None:
    capture_account_messages(caplog)


@pytest.fixture
async def graphql(database: Database) -> AsyncIterator[GraphQL]:
    async with client_of(build_app(database, rate_limits=UNLIMITED)) as client:
        yield client


async def race(requests: list[Awaitable[dict[str, Any]]], field: str) -> list[dict[str, Any]]:
    """The payloads of `field` of requests sent all at once."""
    return [data[field] for data in await asyncio.gather(*requests)]


def outcomes(payloads: list[dict[str, Any]]) -> Counter[str]:
    """How many succeeded ("OK") and how many were refused with each code."""
    return Counter(p["userErrors"][0]["code"] if p["userErrors"] else "OK" for p in payloads)


async def count(database: Database, table: Any, *criteria: Any) -> int:
    async with database.read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(table).where(*criteria)))


async def test_a_refresh_token_sent_many_times_at_once_is_rotated_once(graphql, database, caplog):
    # Given a signed-in customer
    signed_in = await signed_up(graphql, caplog, EMAIL)
    session_id = graphql.tokens.verify(signed_in["accessToken"]).session_id

    # When its refresh token is sent many times at once
    payloads = await race(
        [graphql.data(REFRESH, {"refreshToken": signed_in["refreshToken"]}) for _ in range(RACERS)],
        "refreshToken",
    )

    # Then one request got a new refresh token, the rest were refused
    assert outcomes(payloads) == {"OK": 1, "INVALID_TOKEN": RACERS - 1}
    [winner] = [p for p in payloads if not p["userErrors"]]
    # and the session keeps the winner's token, which works (once) in turn
    async with database.read_session() as session:
        stored = await session.scalar(
            select(SessionRecord.refresh_token_hash).where(SessionRecord.id == session_id)
        )
    assert stored == digest(winner["refreshToken"])
    again = (await graphql.data(REFRESH, {"refreshToken": winner["refreshToken"]}))["refreshToken"]
    assert again["userErrors"] == []
    replayed = (await graphql.data(REFRESH, {"refreshToken": winner["refreshToken"]}))[
        "refreshToken"
    ]
    assert outcomes([replayed]) == {"INVALID_TOKEN": 1}


async def test_a_reset_token_used_many_times_at_once_sets_one_password(graphql, caplog):
    # Given a reset token
    await signed_up(graphql, caplog, EMAIL)
    await graphql.data(REQUEST_RESET, {"email": EMAIL})
    token = await sent_token(caplog, "RESET_PASSWORD", EMAIL)
    passwords = [f"new password number {n}" for n in range(RACERS)]

    # When it is used at once with different passwords
    payloads = await race(
        [graphql.data(RESET, {"token": token, "password": p}) for p in passwords],
        "resetPassword",
    )

    # Then one reset took, and the account signs in with that password only
    assert outcomes(payloads) == {"OK": 1, "INVALID_TOKEN": RACERS - 1}
    [won] = [p for p, payload in zip(passwords, payloads, strict=True) if not payload["userErrors"]]
    signs_in = await asyncio.gather(*(sign_in(graphql, EMAIL, p) for p in [PASSWORD, *passwords]))
    assert [
        p for p, s in zip([PASSWORD, *passwords], signs_in, strict=True) if not s["userErrors"]
    ] == [won]


async def test_an_email_registered_many_times_at_once_makes_one_account(graphql, database, caplog):
    passwords = [f"{PASSWORD} {n}" for n in range(RACERS)]
    payloads = await race(
        [
            graphql.data(REGISTER, {"input": {"email": EMAIL, "password": p, "name": f"G{n}"}})
            for n, p in enumerate(passwords)
        ],
        "registerCustomer",
    )

    # One registration made the account and got the verification token; those that came
    # after it were answered alike (the holder got a reset token each), and those that
    # collided with it while it was being written, DUPLICATE
    answered = outcomes(payloads)
    assert set(answered) <= {"OK", "DUPLICATE"} and answered["OK"] >= 1
    assert await count(database, CustomerRecord, CustomerRecord.email == EMAIL) == 1
    assert await count(database, CustomerAccountRecord) == 1
    token = await sent_token(caplog, "VERIFY_EMAIL", EMAIL)

    def messages(kind: str) -> int:
        return sum(kind in record.getMessage() for record in caplog.records)

    for _ in range(100):  # the messages go out in the background
        if messages("(registered again)") == answered["OK"] - 1:
            break
        await asyncio.sleep(0.02)
    assert (messages("VERIFY_EMAIL for"), messages("(registered again)")) == (
        1,
        answered["OK"] - 1,
    )
    verified = await asyncio.gather(
        *(graphql.data(VERIFY, {"token": token, "password": p}) for p in passwords)
    )
    assert sum(not v["verifyCustomerEmail"]["userErrors"] for v in verified) == 1


async def test_a_session_revoked_many_times_at_once_is_revoked_once(graphql, caplog):
    signed_in = await signed_up(graphql, caplog, EMAIL)
    admin = graphql.token(Role.ADMIN)

    payloads = await race(
        [
            graphql.data(REVOKE, {"id": signed_in["session"]["id"]}, token=admin)
            for _ in range(RACERS)
        ],
        "revokeSession",
    )

    assert outcomes(payloads) == {"OK": 1, "INVALID_TRANSITION": RACERS - 1}
    assert [p["session"]["revokedAt"] is not None for p in payloads if p["session"]] == [True]


async def test_a_password_changed_many_times_at_once_changes_once(graphql, caplog):
    # Given a signed-in customer
    signed_in = await signed_up(graphql, caplog, EMAIL)
    passwords = [f"changed password {n}" for n in range(RACERS)]

    # When it changes its password many times at once, each time from the current one
    payloads = await race(
        [
            graphql.data(CHANGE, {"current": PASSWORD, "new": p}, token=signed_in["accessToken"])
            for p in passwords
        ],
        "changePassword",
    )

    # Then one change took, and only its password signs in
    assert outcomes(payloads) == {"OK": 1, "INVALID_CREDENTIALS": RACERS - 1}
    [won] = [p for p, payload in zip(passwords, payloads, strict=True) if not payload["userErrors"]]
    signs_in = await asyncio.gather(*(sign_in(graphql, EMAIL, p) for p in [PASSWORD, *passwords]))
    assert [
        p for p, s in zip([PASSWORD, *passwords], signs_in, strict=True) if not s["userErrors"]
    ] == [won]


class HeldVerifications:
    """A password hasher whose verifications, once done, wait until `release` is set: a
    sign-in has checked the password and not yet opened its session."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self.hasher = hasher
        self.verified = asyncio.Event()
        self.verifications = 0
        self.release = asyncio.Event()

    async def hash(self, password: str) -> str:
        return await self.hasher.hash(password)

    async def verify(self, password_hash: str, password: str) -> bool:
        result = await self.hasher.verify(password_hash, password)
        self.verifications += 1
        self.verified.set()
        await self.release.wait()
        return result

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.needs_rehash(password_hash)


async def test_a_sign_in_with_the_old_password_during_a_reset_opens_no_session(database, caplog):
    # Given an account with a reset token, and a sign-in with the old password that has
    # checked it but not yet opened its session
    app = build_app(database, rate_limits=UNLIMITED)
    async with client_of(app) as graphql:
        await signed_up(graphql, caplog, EMAIL)
        await graphql.data(REQUEST_RESET, {"email": EMAIL})
        token = await sent_token(caplog, "RESET_PASSWORD", EMAIL)
        held = HeldVerifications(app.state.sessions.accounts.hasher)
        app.state.sessions.accounts.hasher = held
        signing_in = asyncio.create_task(sign_in(graphql, EMAIL, PASSWORD))
        await held.verified.wait()

        # When the password is reset meanwhile, and then the sign-in goes on
        reset = await graphql.data(RESET, {"token": token, "password": "a brand new password"})
        held.release.set()
        signed_in = await signing_in

    # Then the sign-in is refused, and the reset's session is the account's only live one
    assert reset["resetPassword"]["userErrors"] == []
    assert signed_in["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    assert signed_in["accessToken"] is None
    live = await count(
        database,
        SessionRecord,
        SessionRecord.customer_email == EMAIL,
        SessionRecord.revoked_at.is_(None),
    )
    assert live == 1


async def test_two_sign_ins_that_both_rehash_the_password_both_sign_in(database, caplog):
    # Given an account whose hash the hasher's parameters have outgrown, and two sign-ins
    # that have both verified the password and not yet stored its new hash
    app = build_app(database, rate_limits=UNLIMITED)
    async with client_of(app) as graphql:
        await signed_up(graphql, caplog, EMAIL)
        stronger = Argon2Hasher(Argon2Parameters(time_cost=1, memory_cost=2048, parallelism=1))
        held = HeldVerifications(stronger)
        app.state.sessions.accounts.hasher = held
        first = asyncio.create_task(sign_in(graphql, EMAIL, PASSWORD))
        second = asyncio.create_task(sign_in(graphql, EMAIL, PASSWORD))
        while held.verifications < 2:
            await asyncio.sleep(0.01)

        # When both go on: the first to store the new hash changes what the other verified
        held.release.set()
        signed_in = [await first, await second]

    # Then both are signed in, and the hash is the stronger one
    assert [payload["userErrors"] for payload in signed_in] == [[], []]
    async with database.read_session() as session:
        stored = await session.scalar(select(CustomerAccountRecord.password_hash))
    assert not stronger.needs_rehash(stored)
