"""Customer accounts through the API: register (claiming a known customer), verify, sign in,
refresh, sign out, reset and change the password; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from domain.access import Role
from domain.model.accounts import AccountMessage
from tests.api.accounts_documents import (
    CHANGE,
    ME,
    PASSWORD,
    REFRESH,
    REGISTER,
    REQUEST_RESET,
    RESET,
    SIGN_IN,
    SIGN_OUT,
    SIGN_OUT_EVERYWHERE,
    VERIFY,
    capture_account_messages,
    sent_token,
    sign_in,
    signed_up,
)
from tests.api.conftest import build_app, client_of
from tests.api.orders_documents import ORDERS, place, shipping_order
from tests.api.wholesale_documents import CREATE_CUSTOMER, CUSTOMERS

EMAIL = "grace@example.com"
PHONE = "+442079460958"


@pytest.fixture(autouse=True)
def _messages(caplog: pytest.LogCaptureFixture) -> None:
    capture_account_messages(caplog)


async def status_of(graphql, token: str) -> int:
    response = await graphql.http.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code


async def test_a_shopper_registers_verifies_and_is_signed_in(graphql, caplog):
    # Given a registration
    registered = await graphql.data(
        REGISTER,
        {"input": {"email": " Grace@Example.com ", "password": PASSWORD, "name": "Grace"}},
    )
    # When it signs in before verifying, then after following the emailed token
    early = await sign_in(graphql, EMAIL)
    token = await sent_token(caplog, "VERIFY_EMAIL", EMAIL)
    wrong = await graphql.data(VERIFY, {"token": token, "password": "not the one at all"})
    verified = (await graphql.data(VERIFY, {"token": token, "password": PASSWORD}))[
        "verifyCustomerEmail"
    ]
    later = await sign_in(graphql, EMAIL)

    # Then only the verified account is signed in, as its customer
    assert registered["registerCustomer"] == {
        "verificationSent": True,
        "customer": None,  # an anonymous caller sees no customer
        "userErrors": [],
    }
    assert early["userErrors"][0]["code"] == "ACCOUNT_NOT_VERIFIED"
    assert early["accessToken"] is None
    # a token without the registrant's password verifies nothing, and is not spent by it
    assert wrong["verifyCustomerEmail"]["userErrors"] == [
        {
            "field": ["input", "password"],
            "code": "INVALID_CREDENTIALS",
            "message": "the email or the password is wrong",
        }
    ]
    for signed_in in (verified, later):
        assert signed_in["userErrors"] == []
        assert signed_in["session"]["kind"] == "SIGN_IN" and signed_in["session"]["current"]
        me = await graphql.data(ME, token=signed_in["accessToken"])
        assert me["me"] == {
            "role": "CUSTOMER",
            "subject": EMAIL,
            "customer": {"email": EMAIL, "name": "Grace"},
        }
    # and the verification token is spent
    again = (await graphql.data(VERIFY, {"token": token, "password": PASSWORD}))[
        "verifyCustomerEmail"
    ]
    assert again["userErrors"][0]["code"] == "INVALID_TOKEN"


async def test_registering_claims_a_customer_known_from_an_order_with_its_orders(
    graphql, shop, caplog
):
    # Given a customer known only from an order staff placed for it
    placed = await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer))
    assert placed["userErrors"] == []

    # When that customer opens an account with its email
    signed_in = await signed_up(graphql, caplog, shop.customer)

    # Then the account is that customer, with the order it placed before
    orders = await graphql.data(ORDERS, token=signed_in["accessToken"])
    assert [edge["node"]["number"] for edge in orders["orders"]["edges"]] == [
        placed["order"]["number"]
    ]
    me = await graphql.data(ME, token=signed_in["accessToken"])
    assert me["me"]["customer"]["name"] == shop.customer  # staff's record is kept


async def test_registering_a_known_email_again_tells_nobody_but_the_holder(graphql, caplog):
    # Given an account, and a customer with a phone
    await signed_up(graphql, caplog, EMAIL)
    ada = {"email": "ada@example.org", "name": "Ada", "phone": PHONE}
    await graphql.admin(CREATE_CUSTOMER, {"input": ada})

    # When someone registers that email again, and another email with that phone
    twice = await graphql.data(
        REGISTER, {"input": {"email": EMAIL, "password": "another password", "name": "Eve"}}
    )
    phone = await graphql.data(
        REGISTER,
        {"input": {"email": "eve@example.org", "password": PASSWORD, "name": "E", "phone": PHONE}},
    )

    # Then both answer as a new registration does; the holder gets a reset token, and the
    # phone stays its customer's alone
    fresh = {"verificationSent": True, "customer": None, "userErrors": []}
    assert twice["registerCustomer"] == phone["registerCustomer"] == fresh
    reset = await sent_token(caplog, "RESET_PASSWORD", EMAIL)
    assert "RESET_PASSWORD (registered again) for grace@example.com" in caplog.text
    assert (await sign_in(graphql, EMAIL, "another password"))["userErrors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )
    reset_done = await graphql.data(RESET, {"token": reset, "password": "a brand new secret"})
    assert reset_done["resetPassword"]["userErrors"] == []
    customers = await graphql.admin(CUSTOMERS, {"filter": {"search": PHONE}})
    assert [e["node"]["email"] for e in customers["customers"]["edges"]] == ["ada@example.org"]


async def test_a_weak_password_is_refused(graphql):
    weak = await graphql.data(
        REGISTER, {"input": {"email": "new@example.com", "password": "short", "name": "N"}}
    )
    own_email = await graphql.data(
        REGISTER,
        {"input": {"email": "same@example.com", "password": "same@example.com", "name": "S"}},
    )

    assert weak["registerCustomer"]["userErrors"][0]["field"] == ["input", "password"]
    assert weak["registerCustomer"]["userErrors"][0]["code"] == "INVALID_INPUT"
    assert own_email["registerCustomer"]["userErrors"][0]["code"] == "INVALID_INPUT"


async def test_a_wrong_password_and_an_unknown_email_are_refused_alike(graphql, caplog):
    await signed_up(graphql, caplog, EMAIL)

    wrong = await sign_in(graphql, EMAIL, "not the password")
    unknown = await sign_in(graphql, "nobody@example.com")

    assert (
        wrong["userErrors"]
        == unknown["userErrors"]
        == [
            {
                "field": None,
                "code": "INVALID_CREDENTIALS",
                "message": "the email or the password is wrong",
            }
        ]
    )
    assert wrong["accessToken"] is None and unknown["accessToken"] is None


async def test_passwords_are_never_logged(graphql, caplog):
    await signed_up(graphql, caplog, EMAIL)
    await sign_in(graphql, EMAIL, "a wrong password 123")

    assert PASSWORD not in caplog.text
    assert "a wrong password 123" not in caplog.text


async def test_a_refresh_token_is_rotated_and_the_old_one_stops_working(graphql, caplog):
    first = await signed_up(graphql, caplog, EMAIL)

    renewed = await graphql.data(REFRESH, {"refreshToken": first["refreshToken"]})
    replayed = await graphql.data(REFRESH, {"refreshToken": first["refreshToken"]})

    pair = renewed["refreshToken"]
    assert pair["userErrors"] == []
    assert pair["refreshToken"] != first["refreshToken"]
    assert pair["session"]["id"] == first["session"]["id"]
    assert await status_of(graphql, pair["accessToken"]) == 200
    assert replayed["refreshToken"]["userErrors"][0]["code"] == "INVALID_TOKEN"


async def test_signing_out_ends_the_session_and_its_refresh_token(graphql, caplog):
    signed_in = await signed_up(graphql, caplog, EMAIL)
    other_device = await sign_in(graphql, EMAIL)

    out = await graphql.data(SIGN_OUT, token=signed_in["accessToken"])
    refreshed = await graphql.data(REFRESH, {"refreshToken": signed_in["refreshToken"]})

    assert out["signOut"] == {"revokedSessions": 1, "userErrors": []}
    assert await status_of(graphql, signed_in["accessToken"]) == 401
    assert refreshed["refreshToken"]["userErrors"][0]["code"] == "INVALID_TOKEN"
    assert await status_of(graphql, other_device["accessToken"]) == 200


async def test_signing_out_everywhere_ends_every_session_of_the_customer(graphql, caplog):
    phone = await signed_up(graphql, caplog, EMAIL)
    laptop = await sign_in(graphql, EMAIL)
    someone_else = await signed_up(graphql, caplog, "ada@example.org")

    out = await graphql.data(SIGN_OUT_EVERYWHERE, token=laptop["accessToken"])

    assert out["signOutEverywhere"]["revokedSessions"] == 2
    assert await status_of(graphql, phone["accessToken"]) == 401
    assert await status_of(graphql, laptop["accessToken"]) == 401
    assert await status_of(graphql, someone_else["accessToken"]) == 200


async def test_a_password_reset_ends_every_session_and_signs_in_with_the_new_password(
    graphql, caplog
):
    # Given a signed-in customer who forgot its password
    before = await signed_up(graphql, caplog, EMAIL)

    # When a reset is asked for, for it and for an email with no account
    asked = await graphql.data(REQUEST_RESET, {"email": EMAIL})
    unknown = await graphql.data(REQUEST_RESET, {"email": "nobody@example.com"})
    token = await sent_token(caplog, "RESET_PASSWORD", EMAIL)
    reset = await graphql.data(RESET, {"token": token, "password": "a brand new secret"})

    # Then both answers look alike, only the account got a token, and the reset took
    assert asked["requestPasswordReset"] == unknown["requestPasswordReset"]
    assert asked["requestPasswordReset"] == {"accepted": True, "userErrors": []}
    assert "nobody@example.com" not in caplog.text
    assert reset["resetPassword"]["userErrors"] == []
    assert await status_of(graphql, before["accessToken"]) == 401
    assert await status_of(graphql, reset["resetPassword"]["accessToken"]) == 200
    assert (await sign_in(graphql, EMAIL))["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await sign_in(graphql, EMAIL, "a brand new secret"))["userErrors"] == []
    # and the token works once
    again = await graphql.data(RESET, {"token": token, "password": "yet another secret"})
    assert again["resetPassword"]["userErrors"][0]["code"] == "INVALID_TOKEN"


async def test_a_reset_token_verifies_an_unverified_account(graphql, caplog):
    await graphql.data(REGISTER, {"input": {"email": EMAIL, "password": PASSWORD, "name": "G"}})
    await graphql.data(REQUEST_RESET, {"email": EMAIL})
    token = await sent_token(caplog, "RESET_PASSWORD", EMAIL)

    await graphql.data(RESET, {"token": token, "password": "a brand new secret"})

    assert (await sign_in(graphql, EMAIL, "a brand new secret"))["userErrors"] == []


async def test_changing_the_password_keeps_this_session_and_ends_the_others(graphql, caplog):
    here = await signed_up(graphql, caplog, EMAIL)
    elsewhere = await sign_in(graphql, EMAIL)

    wrong = await graphql.data(
        CHANGE, {"current": "not it at all", "new": "another secret"}, token=here["accessToken"]
    )
    changed = await graphql.data(
        CHANGE, {"current": PASSWORD, "new": "another secret"}, token=here["accessToken"]
    )

    assert wrong["changePassword"]["userErrors"][0] == {
        "field": ["input", "currentPassword"],
        "code": "INVALID_CREDENTIALS",
        "message": "the email or the password is wrong",
    }
    assert changed["changePassword"] == {"revokedSessions": 1, "userErrors": []}
    assert await status_of(graphql, here["accessToken"]) == 200
    assert await status_of(graphql, elsewhere["accessToken"]) == 401
    assert (await sign_in(graphql, EMAIL, "another secret"))["userErrors"] == []


async def test_only_a_signed_in_customer_changes_a_password(graphql):
    staff = await graphql.data(
        CHANGE, {"current": PASSWORD, "new": "another secret"}, token=graphql.token(Role.STAFF)
    )
    anonymous = await graphql.data(CHANGE, {"current": PASSWORD, "new": "another secret"})

    assert staff["changePassword"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert anonymous["changePassword"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_sign_in_attempts_are_limited_per_email(graphql, caplog):
    await signed_up(graphql, caplog, EMAIL)
    attempts = [
        await graphql.http.post(
            "/graphql", json={"query": SIGN_IN, "variables": {"email": EMAIL, "password": "x" * 9}}
        )
        for _ in range(6)
    ]
    other = await sign_in(graphql, "ada@example.org")

    codes = [r.json()["data"]["signIn"]["userErrors"][0]["code"] for r in attempts]
    # registering was the first attempt of the five a minute allowed for the email
    assert codes == ["INVALID_CREDENTIALS"] * 4 + ["RATE_LIMITED"] * 2
    assert 1 <= int(attempts[-1].headers["retry-after"]) <= 60
    assert other["userErrors"][0]["code"] == "INVALID_CREDENTIALS"  # another email goes on


class HeldNotifier:
    """A mail server that answers only when the test lets it."""

    def __init__(self) -> None:
        self.released = asyncio.Event()
        self.sent: list[str] = []

    async def send(self, message: AccountMessage) -> None:
        await self.released.wait()
        self.sent.append(message.email)


async def test_answers_never_wait_for_the_notifier(database, caplog):
    # Given an account, and a notifier that holds every message
    app = build_app(database)
    async with client_of(app) as graphql:
        await signed_up(graphql, caplog, EMAIL)
        held = HeldNotifier()
        app.state.sessions.notifier = held

        # When a reset is asked for the account and for an unknown email
        async with asyncio.timeout(30):  # would hang if the request awaited the notifier
            known = await graphql.data(REQUEST_RESET, {"email": EMAIL})
            unknown = await graphql.data(REQUEST_RESET, {"email": "nobody@example.com"})

        # Then both answered alike at once, and the message goes out when the server can
        assert known == unknown
        held.released.set()
        async with asyncio.timeout(10):
            while not held.sent:
                await asyncio.sleep(0.01)
    assert held.sent == [EMAIL]
