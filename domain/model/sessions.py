"""Sessions: every token the service issues belongs to one, so that any can be revoked.

A session speaks for one caller (a role and its bindings). Its kind tells where it came
from: a customer signing in (short-lived access tokens, renewed with a refresh token), the
`omniorder token` command (one long-lived token, for staff and tools), or a POS terminal's
registration (its till's token). Revoking a session stops every token of it at once;
expired and revoked sessions are never revived.

The refresh token of a sign-in session is a secret only its holder knows: the session
keeps a SHA-256 digest of it (the secret is 256 random bits, so no slow hash is needed),
and each use replaces it with a new one (rotation), so a stolen copy dies at the next
refresh.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from hashlib import sha256

from domain.access import Principal, Role

SECRET_BYTES = 32
MAX_SUBJECT_LENGTH = 255  # who a session speaks for, as stored
MAX_LABEL_LENGTH = 200  # what a session is, for its holder


class SessionKind(StrEnum):
    SIGN_IN = "SIGN_IN"  # a customer signed in with a password
    CLI = "CLI"  # a token printed by `omniorder token`
    POS_TERMINAL = "POS_TERMINAL"  # a terminal's token, from registerPosTerminal


def new_secret() -> str:
    """A secret for a caller to hold (a refresh token, a reset token): 256 random bits."""
    return secrets.token_urlsafe(SECRET_BYTES)


def digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256, in hex."""
    return sha256(secret.encode()).hexdigest()


@dataclass
class Session:
    kind: SessionKind
    role: Role
    subject: str
    created_at: datetime
    expires_at: datetime
    location_codes: frozenset[str] = field(default_factory=frozenset)
    customer_email: str | None = None
    terminal_id: int | None = None
    label: str | None = None
    id: int | None = None
    refreshed_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    @classmethod
    def for_principal(
        cls,
        kind: SessionKind,
        principal: Principal,
        now: datetime,
        expires_at: datetime,
        label: str | None = None,
    ) -> Session:
        if principal.role is None:
            raise ValueError("anonymous callers have no session")
        return cls(
            kind=kind,
            role=principal.role,
            subject=principal.subject,
            created_at=now,
            expires_at=expires_at,
            location_codes=principal.location_codes,
            customer_email=principal.customer_email,
            terminal_id=principal.terminal_id,
            label=label,
        )

    def principal(self) -> Principal:
        """Who the session's tokens speak for."""
        return Principal(
            role=self.role,
            subject=self.subject,
            location_codes=self.location_codes,
            customer_email=self.customer_email,
            terminal_id=self.terminal_id,
            session_id=self.id,
        )

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True)
class Revocation:
    """A revoked session, and until when a token of it could still be presented (after
    that its tokens have expired anyway, and nobody need remember it)."""

    session_id: int
    until: datetime


@dataclass(frozen=True)
class SessionGrant:
    """A sign-in session as its holder gets it: the session, and the refresh token (the
    secret itself, shown once and never stored)."""

    session: Session
    refresh_token: str
