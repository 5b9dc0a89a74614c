"""What the mutations of accounts and sessions share, built once per app: the token
signer, the revocation list, the account use cases and the notifier."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

from api.auth import TokenService
from api.notifier import AccountNotifier, load_notifier
from api.passwords import Argon2Hasher
from api.revocations import RevocationList
from api.settings import SessionSettings, Settings
from domain.model.accounts import AccountMessage
from domain.model.sessions import Revocation, Session, SessionKind
from domain.usecases.accounts import AccountService
from persistence.database import Database

log = logging.getLogger("omniorder.accounts")
SEND_GRACE_SECONDS = 10.0  # how long stopping waits for messages still being sent


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: datetime


@dataclass
class SessionService:
    tokens: TokenService
    revocations: RevocationList
    accounts: AccountService
    notifier: AccountNotifier
    settings: SessionSettings
    _sending: set[asyncio.Task[None]] = field(default_factory=set)

    @classmethod
    def build(cls, settings: Settings, database: Database) -> SessionService:
        sessions = settings.sessions
        return cls(
            tokens=TokenService.from_settings(settings),
            revocations=RevocationList.from_settings(settings, database),
            accounts=AccountService(Argon2Hasher(), sessions.sign_in_lifetime),
            notifier=load_notifier(sessions.account_notifier),
            settings=sessions,
        )

    def access_token(self, session: Session, now: datetime) -> AccessToken:
        """A token of `session`: a signed-in customer's lives minutes (its refresh token
        renews it), any other as long as its session."""
        expires_at = session.expires_at
        if session.kind is SessionKind.SIGN_IN:
            expires_at = min(expires_at, now + self.settings.access_token_lifetime)
        token = self.tokens.issue(session.principal(), expires_at=expires_at, now=now)
        return AccessToken(token, expires_at)

    def send_later(self, message: AccountMessage) -> None:
        """Hand a committed message to the notifier in the background: the request does
        not wait for a mail server, and so its answer takes as long whether or not the
        email has an account. A notifier that fails is logged; the customer can ask again."""
        task = asyncio.create_task(self._send(message), name="account message")
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, message: AccountMessage) -> None:
        try:
            await self.notifier.send(message)
        except Exception:
            log.exception("the account notifier failed to send a %s message", message.purpose.value)

    async def finish_sending(self) -> None:
        """Wait (a while) for the messages still being sent, when the server stops."""
        if self._sending:
            await asyncio.wait(set(self._sending), timeout=SEND_GRACE_SECONDS)

    async def revoked(self, revocations: list[Revocation]) -> None:
        """Tell every process about revocations just committed."""
        await self.revocations.add(revocations)
