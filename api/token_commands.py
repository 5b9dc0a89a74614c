"""`omniorder token` and `omniorder tokens list|revoke`: tokens for staff, tools and tests,
each in a session of its own, so that any can be listed and revoked.

A token printed once cannot be shown again (nothing of it is stored but its session);
revoking its session stops it on every running server (api/revocations.py), at once with
Redis, else within OMNIORDER_REVOCATION_POLL_SECONDS.
"""

from __future__ import annotations

from datetime import UTC, datetime

from api.auth import TokenService
from api.revocations import RevocationList
from api.settings import Settings
from domain.access import Principal
from domain.model.sessions import Session, SessionKind
from domain.usecases.sessions import issue_session
from persistence.database import Database
from persistence.reads import sessions as session_reads
from persistence.reads.pages import Page
from persistence.repositories.sessions import session_from_row
from persistence.uow import SqlUnitOfWork

LIST_LIMIT = 1000


async def issue_token(settings: Settings, principal: Principal, label: str | None) -> str:
    now = datetime.now(UTC)
    lifetime = settings.sessions.token_lifetime
    database = Database(settings.database_url)
    try:
        session = await issue_session(SqlUnitOfWork(database), principal, now, lifetime, label)
    finally:
        await database.dispose()
    return TokenService.from_settings(settings).issue(
        session.principal(), expires_at=session.expires_at, now=now
    )


async def command_line_sessions(settings: Settings, *, every: bool) -> list[Session]:
    """The sessions of tokens the command printed, oldest first; only the live ones
    unless `every`."""
    now = datetime.now(UTC)
    database = Database(settings.database_url)
    try:
        async with database.read_session() as session:
            rows, _ = await session_reads.sessions_page(
                session,
                Page(limit=LIST_LIMIT, count_total=False),
                Principal.system(),
                live_at=None if every else now,
                kind=SessionKind.CLI,
            )
    finally:
        await database.dispose()
    return [session_from_row(row) for row in rows[:LIST_LIMIT]]


async def revoke_command_line_session(settings: Settings, session_id: int) -> bool:
    """Revoke a session of a printed token; False if there is no such live session. With
    REDIS_URL, running servers refuse the token at once; without, at their next poll."""
    now = datetime.now(UTC)
    database = Database(settings.database_url)
    revocations = RevocationList.from_settings(settings, database)
    try:
        async with SqlUnitOfWork(database) as uow:
            revoked = await uow.sessions.revoke(
                "omniorder tokens revoke", now, session_id=session_id, kind=SessionKind.CLI
            )
            await uow.commit()
        await revocations.add(revoked)
    finally:
        await revocations.stop()
        await database.dispose()
    return bool(revoked)


def describe(session: Session, now: datetime) -> str:
    """One line of `tokens list`."""
    bindings = [
        *(f"location={code}" for code in sorted(session.location_codes)),
        *([f"customer={session.customer_email}"] if session.customer_email else []),
        *([f"terminal={session.terminal_id}"] if session.terminal_id is not None else []),
    ]
    state = (
        f"revoked {session.revoked_at:%Y-%m-%d %H:%M} by {session.revoked_by}"
        if session.revoked_at is not None
        else "expired"
        if session.expires_at <= now
        else f"live until {session.expires_at:%Y-%m-%d %H:%M} UTC"
    )
    label = f"  {session.label!r}" if session.label else ""
    return (
        f"{session.id}  {session.role.value} {session.subject}"
        f"{' ' + ' '.join(bindings) if bindings else ''}  issued "
        f"{session.created_at:%Y-%m-%d %H:%M}  {state}{label}"
    )
