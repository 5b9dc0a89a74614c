"""Sessions through the API: who sees which, revoking one, deactivating a POS terminal,
access tokens expiring, revocations made by another process, and identity-provider
tokens; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from api.settings import SessionSettings
from domain.access import Principal, Role
from tests.api.accounts_documents import (
    ME,
    REFRESH,
    REVOKE,
    SESSIONS,
    capture_account_messages,
    sign_in,
    signed_up,
)
from tests.api.conftest import GraphQL, build_app, client_of
from tests.api.jwks_issuer import serving_identity_provider
from tests.api.pos_documents import register, sale, sync

ADA = "ada@example.com"
BOB = "bob@example.com"
SESSION_NODE = "query($id: ID!) { node(id: $id) { ... on Session { id subject } } }"
DEACTIVATE = """
mutation($id: ID!) {
  deactivatePosTerminal(input: {terminalId: $id}) {
    terminal { id name deactivatedAt }
    revokedSessions
    userErrors { field code message }
  }
}"""
TERMINALS = "{ posTerminals(first: 10) { edges { node { id name deactivatedAt } } } }"


@pytest.fixture(autouse=True)
def _messages(caplog: pytest.LogCaptureFixture) -> None:
    capture_account_messages(caplog)


async def me(graphql: GraphQL, token: str):
    """The response to `me` with `token`."""
    return await graphql.http.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
    )


async def revoke(graphql: GraphQL, session_id: str, token: str) -> dict:
    return (await graphql.data(REVOKE, {"id": session_id}, token=token))["revokeSession"]


async def sessions_seen(graphql: GraphQL, token: str, *, include_ended: bool = False) -> dict:
    """{session id: its node} of the `sessions` the caller sees."""
    data = await graphql.data(SESSIONS, {"includeEnded": include_ended}, token=token)
    return {edge["node"]["id"]: edge["node"] for edge in data["sessions"]["edges"]}


# -- who sees which sessions ------------------------------------------------------------


async def test_a_customer_sees_only_its_own_sessions_and_an_admin_all(graphql, caplog):
    # Given two devices of Ada's and one of Bob's
    phone = await signed_up(graphql, caplog, ADA)
    laptop = await sign_in(graphql, ADA)
    bob = await signed_up(graphql, caplog, BOB)

    # When each looks at the sessions
    ada_sees = await sessions_seen(graphql, phone["accessToken"])
    admin_sees = await sessions_seen(graphql, graphql.token(Role.ADMIN))
    hidden = await graphql.data(
        SESSION_NODE, {"id": bob["session"]["id"]}, token=phone["accessToken"]
    )
    own = await graphql.data(
        SESSION_NODE, {"id": laptop["session"]["id"]}, token=phone["accessToken"]
    )

    # Then Ada sees her two, the one she calls with marked current; the admin sees all three
    assert set(ada_sees) == {phone["session"]["id"], laptop["session"]["id"]}
    assert ada_sees[phone["session"]["id"]]["current"] is True
    assert ada_sees[laptop["session"]["id"]]["current"] is False
    assert {node["customerEmail"] for node in ada_sees.values()} == {ADA}
    assert set(admin_sees) == set(ada_sees) | {bob["session"]["id"]}
    assert not any(node["current"] for node in admin_sees.values())  # its token has no session
    assert hidden["node"] is None
    assert own["node"] == {"id": laptop["session"]["id"], "subject": ADA}


async def test_ended_sessions_are_listed_only_when_asked_for(graphql, caplog):
    phone = await signed_up(graphql, caplog, ADA)
    laptop = await sign_in(graphql, ADA)
    await revoke(graphql, laptop["session"]["id"], phone["accessToken"])

    live = await sessions_seen(graphql, phone["accessToken"])
    everything = await sessions_seen(graphql, phone["accessToken"], include_ended=True)

    assert set(live) == {phone["session"]["id"]}
    assert set(everything) == {phone["session"]["id"], laptop["session"]["id"]}
    assert everything[laptop["session"]["id"]]["revokedAt"] is not None
    assert everything[phone["session"]["id"]]["revokedAt"] is None


# -- revokeSession ----------------------------------------------------------------------


async def test_a_customer_revokes_its_other_session_whose_token_stops_at_once(graphql, caplog):
    phone = await signed_up(graphql, caplog, ADA)
    laptop = await sign_in(graphql, ADA)

    revoked = await revoke(graphql, laptop["session"]["id"], phone["accessToken"])
    refused = await me(graphql, laptop["accessToken"])

    assert revoked["userErrors"] == []
    assert revoked["session"]["id"] == laptop["session"]["id"]
    assert revoked["session"]["revokedAt"] is not None
    assert revoked["session"]["revokedBy"] == ADA
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert (await me(graphql, phone["accessToken"])).status_code == 200
    # and its refresh token is dead too
    renewed = await graphql.data(REFRESH, {"refreshToken": laptop["refreshToken"]})
    assert renewed["refreshToken"]["userErrors"][0]["code"] == "INVALID_TOKEN"


async def test_a_customer_cannot_revoke_another_customers_session(graphql, caplog):
    ada = await signed_up(graphql, caplog, ADA)
    bob = await signed_up(graphql, caplog, BOB)

    refused = await revoke(graphql, bob["session"]["id"], ada["accessToken"])

    assert refused["session"] is None
    assert refused["userErrors"] == [
        {"field": ["input", "sessionId"], "code": "NOT_FOUND", "message": "no such session"}
    ]
    assert (await me(graphql, bob["accessToken"])).status_code == 200


async def test_an_admin_revokes_any_session_once(graphql, caplog):
    ada = await signed_up(graphql, caplog, ADA)
    admin = graphql.token(Role.ADMIN)

    first = await revoke(graphql, ada["session"]["id"], admin)
    second = await revoke(graphql, ada["session"]["id"], admin)

    assert first["userErrors"] == [] and first["session"]["revokedBy"] == "admin"
    assert (await me(graphql, ada["accessToken"])).status_code == 401
    assert second["session"] is None
    assert [error["code"] for error in second["userErrors"]] == ["INVALID_TRANSITION"]


async def test_revoking_a_malformed_or_foreign_id_is_a_user_error(graphql, caplog):
    ada = await signed_up(graphql, caplog, ADA)

    malformed = await revoke(graphql, "not-an-id", ada["accessToken"])
    customer_id = await revoke(graphql, "Q3VzdG9tZXI6MQ==", ada["accessToken"])  # Customer:1

    codes = [
        [(e["field"], e["code"]) for e in refused["userErrors"]]
        for refused in (malformed, customer_id)
    ]
    assert codes == [
        [(["input", "sessionId"], "INVALID_INPUT")],
        [(["input", "sessionId"], "NOT_FOUND")],
    ]
    assert malformed["session"] is None and customer_id["session"] is None
    assert (await me(graphql, ada["accessToken"])).status_code == 200


# -- deactivatePosTerminal --------------------------------------------------------------


async def test_a_deactivated_terminals_token_stops_at_once(graphql, shop):
    # Given a till that syncs
    till = await register(graphql, shop.store)
    assert (await sync(graphql, till["token"], sale(("MUG", 1, "9.50"))))["accepted"] == 1

    # When an admin deactivates it
    deactivated = (await graphql.admin(DEACTIVATE, {"id": till["terminal"]["id"]}))[
        "deactivatePosTerminal"
    ]
    refused = await graphql.http.post(
        "/graphql",
        json={"query": ME},
        headers={"Authorization": f"Bearer {till['token']}"},
    )
    listed = await graphql.admin(TERMINALS)

    # Then its token is refused and the terminal says when it was taken out
    assert deactivated["userErrors"] == []
    assert deactivated["revokedSessions"] == 1
    assert deactivated["terminal"]["deactivatedAt"] is not None
    assert refused.status_code == 401
    assert "www-authenticate" in refused.headers
    [node] = [edge["node"] for edge in listed["posTerminals"]["edges"]]
    assert node["deactivatedAt"] == deactivated["terminal"]["deactivatedAt"]


async def test_staff_deactivate_only_the_terminals_of_their_stores_and_only_once(graphql, shop):
    till = await register(graphql, shop.store)
    elsewhere = graphql.token(Role.STAFF, locations=(shop.other_store,), subject="kim")
    here = graphql.token(Role.STAFF, locations=(shop.store,), subject="lee")

    foreign = await graphql.data(DEACTIVATE, {"id": till["terminal"]["id"]}, token=elsewhere)
    still_syncs = await sync(graphql, till["token"], sale(("MUG", 1, "9.50")))
    done = await graphql.data(DEACTIVATE, {"id": till["terminal"]["id"]}, token=here)
    twice = await graphql.data(DEACTIVATE, {"id": till["terminal"]["id"]}, token=here)

    assert foreign["deactivatePosTerminal"]["terminal"] is None
    assert [e["code"] for e in foreign["deactivatePosTerminal"]["userErrors"]] == ["NOT_FOUND"]
    assert still_syncs["accepted"] == 1
    assert done["deactivatePosTerminal"]["userErrors"] == []
    assert done["deactivatePosTerminal"]["terminal"]["deactivatedAt"] is not None
    assert [e["code"] for e in twice["deactivatePosTerminal"]["userErrors"]] == [
        "INVALID_TRANSITION"
    ]


async def test_a_token_naming_a_deactivated_terminal_syncs_nothing_even_unrevoked(graphql, shop):
    # Given a deactivated till, and a token naming it that belongs to no session
    till = await register(graphql, shop.store)
    terminal_id = graphql.tokens.verify(till["token"]).terminal_id
    sessionless = graphql.tokens.issue(
        Principal(
            role=Role.POS,
            subject="till",
            location_codes=frozenset({shop.store}),
            terminal_id=terminal_id,
        )
    )
    await graphql.admin(DEACTIVATE, {"id": till["terminal"]["id"]})

    # When it syncs a sale
    report = await sync(graphql, sessionless, sale(("MUG", 1, "9.50")))

    # Then the sync is refused
    assert [e["code"] for e in report["userErrors"]] == ["FORBIDDEN"]
    assert report["accepted"] == 0


# -- tokens expiring, and tokens without a session ---------------------------------------


async def test_an_access_token_expires_and_its_refresh_token_renews_it(database, caplog):
    lifetime = timedelta(seconds=2)
    app = build_app(database, sessions=SessionSettings(access_token_lifetime=lifetime))
    async with client_of(app) as graphql:
        # Given a customer signed in with access tokens that live two seconds
        signed_in = await signed_up(graphql, caplog, ADA)
        assert (await me(graphql, signed_in["accessToken"])).status_code == 200

        # When the token has outlived them
        await asyncio.sleep(2.5)
        expired = await me(graphql, signed_in["accessToken"])
        renewed = (await graphql.data(REFRESH, {"refreshToken": signed_in["refreshToken"]}))[
            "refreshToken"
        ]

        # Then it is refused as expired, and the refresh token gives one that works
        assert expired.status_code == 401
        assert expired.text == "the token has expired"
        assert expired.headers["www-authenticate"] == 'Bearer error="invalid_token"'
        assert renewed["userErrors"] == []
        assert (await me(graphql, renewed["accessToken"])).status_code == 200


async def test_a_token_without_a_session_works(graphql):
    token = graphql.token(Role.STAFF, locations=("ST-B",), subject="kim")

    response = await me(graphql, token)

    assert graphql.tokens.verify(token).session_id is None
    assert response.status_code == 200
    assert response.json()["data"]["me"]["subject"] == "kim"


async def test_a_session_revoked_by_another_process_is_refused_after_a_poll(database, caplog):
    # Given two processes over one database, without Redis, and a customer signed in on one
    here, there = build_app(database), build_app(database)
    async with client_of(here) as graphql, client_of(there) as other:
        signed_in = await signed_up(graphql, caplog, ADA)
        await here.state.sessions.revocations.poll()

        # When the other process revokes the session
        revoked = await revoke(other, signed_in["session"]["id"], other.token(Role.ADMIN))
        before_poll = await me(graphql, signed_in["accessToken"])
        await here.state.sessions.revocations.poll()
        after_poll = await me(graphql, signed_in["accessToken"])

        # Then this process refuses the token once it has polled (at once on the other)
        assert revoked["userErrors"] == []
        assert (await me(other, signed_in["accessToken"])).status_code == 401
        assert before_poll.status_code == 200  # the window polling leaves, without Redis
        assert after_poll.status_code == 401
        assert after_poll.text == "the token's session has been revoked"


# -- identity-provider tokens -----------------------------------------------------------


async def test_an_identity_provider_token_is_accepted_and_a_forged_one_refused(database):
    with serving_identity_provider() as provider:
        app = build_app(database, external_tokens=provider.settings())
        async with client_of(app) as graphql:
            token = provider.token({"omniorder_role": "STAFF", "sub": "kim"})
            forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

            accepted = await me(graphql, token)
            refused = await me(graphql, forged)

    assert accepted.status_code == 200
    assert accepted.json()["data"]["me"] == {
        "role": "STAFF",
        "subject": "kim",
        "customer": None,
    }
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Bearer error="invalid_token"'
