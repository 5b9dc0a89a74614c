"""GraphQL documents and helpers of customer accounts and sessions, shared by their tests."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest

TOKENS = "accessToken accessTokenExpiresAt refreshToken session { id kind expiresAt current }"
ERRORS = "userErrors { field code message }"
REGISTER = f"""
mutation($input: RegisterCustomerInput!) {{
  registerCustomer(input: $input) {{ verificationSent customer {{ email name }} {ERRORS} }}
}}"""
VERIFY = f"""
mutation($token: String!, $password: String!) {{
  verifyCustomerEmail(input: {{token: $token, password: $password}}) {{ {TOKENS} {ERRORS} }}
}}"""
SIGN_IN = f"""
mutation($email: String!, $password: String!, $label: String) {{
  signIn(input: {{email: $email, password: $password, label: $label}}) {{ {TOKENS} {ERRORS} }}
}}"""
REFRESH = f"""
mutation($refreshToken: String!) {{
  refreshToken(input: {{refreshToken: $refreshToken}}) {{ {TOKENS} {ERRORS} }}
}}"""
SIGN_OUT = f"mutation {{ signOut {{ revokedSessions {ERRORS} }} }}"
SIGN_OUT_EVERYWHERE = f"mutation {{ signOutEverywhere {{ revokedSessions {ERRORS} }} }}"
REQUEST_RESET = f"""
mutation($email: String!) {{
  requestPasswordReset(input: {{email: $email}}) {{ accepted {ERRORS} }}
}}"""
RESET = f"""
mutation($token: String!, $password: String!) {{
  resetPassword(input: {{token: $token, newPassword: $password}}) {{ {TOKENS} {ERRORS} }}
}}"""
CHANGE = f"""
mutation($current: String!, $new: String!) {{
  changePassword(input: {{currentPassword: $current, newPassword: $new}}) {{
    revokedSessions {ERRORS}
  }}
}}"""
REVOKE = f"""
mutation($id: ID!) {{
  revokeSession(input: {{sessionId: $id}}) {{ session {{ id revokedAt revokedBy }} {ERRORS} }}
}}"""
SESSIONS = """
query($includeEnded: Boolean) {
  sessions(includeEnded: $includeEnded) {
    totalCount edges { node { id kind role subject customerEmail label current revokedAt } }
  }
}"""
ME = "{ me { role subject customer { email name } } }"
PASSWORD = "correct horse battery staple"

TOKEN_LINE = re.compile(r"account message (\w+)(?: \(registered again\))? for (\S+): token (\S+) ")


async def sent_token(caplog: pytest.LogCaptureFixture, purpose: str, email: str) -> str:
    """The last token the log notifier wrote for `email` and `purpose`; messages are sent
    in the background once the mutation has answered, so this waits a little for one."""
    for _ in range(100):
        found = [
            match.group(3)
            for record in caplog.records
            if record.name == "omniorder.accounts"
            and (match := TOKEN_LINE.search(record.getMessage()))
            and match.group(1) == purpose
            and match.group(2) == email
        ]
        if found:
            return found[-1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {purpose} token was sent to {email}")


def capture_account_messages(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="omniorder.accounts")


async def signed_up(graphql: Any, caplog: pytest.LogCaptureFixture, email: str) -> dict:
    """Register `email` with PASSWORD and verify it: the signed-in payload."""
    registered = await graphql.data(
        REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Grace Hopper"}}
    )
    assert registered["registerCustomer"]["userErrors"] == []
    token = await sent_token(caplog, "VERIFY_EMAIL", email)
    verified = (await graphql.data(VERIFY, {"token": token, "password": PASSWORD}))[
        "verifyCustomerEmail"
    ]
    assert verified["userErrors"] == []
    return verified


async def sign_in(graphql: Any, email: str, password: str = PASSWORD) -> dict:
    return (await graphql.data(SIGN_IN, {"email": email, "password": password}))["signIn"]
