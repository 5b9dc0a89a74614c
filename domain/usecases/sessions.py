"""Use cases of sessions: open one for a caller, revoke one or all of a caller's, and
deactivate a POS terminal (which revokes its tokens).

Revoking returns the `Revocation`s made, which the API hands to every process after the
commit (api/revocations.py), so a revoked token stops working at once everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.access import Principal, Role
from domain.commands.accounts import DeactivatePosTerminal, RevokeSession, SignOut
from domain.errors import InvalidTransition, NotFound
from domain.model.pos import PosTerminal
from domain.model.sessions import Revocation, Session, SessionKind
from domain.ports import UnitOfWork


async def open_session(
    uow: UnitOfWork,
    kind: SessionKind,
    principal: Principal,
    now: datetime,
    lifetime: timedelta,
    label: str | None = None,
) -> Session:
    """A session for `principal` (a command line's or a terminal's token), in `uow`'s
    transaction; the caller commits."""
    return await uow.sessions.add(
        Session.for_principal(kind, principal, now, now + lifetime, label)
    )


async def issue_session(
    uow: UnitOfWork,
    principal: Principal,
    now: datetime,
    lifetime: timedelta,
    label: str | None = None,
) -> Session:
    """A session for a token the `omniorder token` command prints."""
    async with uow:
        session = await open_session(uow, SessionKind.CLI, principal, now, lifetime, label)
        await uow.commit()
    return session


async def revoke_session(
    uow: UnitOfWork, principal: Principal, command: RevokeSession, now: datetime
) -> list[Revocation]:
    """An ADMIN revokes any session; anyone else only its own (a customer's, any of its
    customer's). A session the caller may not see is "not found", never "forbidden"."""
    principal.require(principal.is_authenticated, "revoke sessions")
    async with uow:
        session = await uow.sessions.get(command.session_id)
        if session is None or not may_manage(principal, session):
            raise NotFound.no_such("session", field="sessionId")
        revoked = await uow.sessions.revoke(principal.subject, now, session_id=session.id)
        if not revoked:  # revoked or expired before, or revoked meanwhile by another request
            expired = session.revoked_at is None and session.expires_at <= now
            raise InvalidTransition("session", "EXPIRED" if expired else "REVOKED", "REVOKED")
        await uow.commit()
    return revoked


async def sign_out(
    uow: UnitOfWork, principal: Principal, command: SignOut, now: datetime
) -> list[Revocation]:
    """Revoke the caller's own session, or (`everywhere`) every session of the caller:
    for a customer every session bound to its customer, otherwise every session of its
    role and subject."""
    principal.require(principal.session_id is not None, "sign out (this token has no session)")
    async with uow:
        if not command.everywhere:
            revoked = await uow.sessions.revoke(
                principal.subject, now, session_id=principal.session_id
            )
        elif principal.role is Role.CUSTOMER:
            revoked = await uow.sessions.revoke(
                principal.subject, now, customer_email=principal.customer_email
            )
        else:
            revoked = await uow.sessions.revoke(
                principal.subject, now, role=principal.role, subject=principal.subject
            )
        await uow.commit()
    return revoked


@dataclass(frozen=True)
class Deactivation:
    terminal: PosTerminal
    revoked: list[Revocation]


async def deactivate_pos_terminal(
    uow: UnitOfWork, principal: Principal, command: DeactivatePosTerminal, now: datetime
) -> Deactivation:
    """A lost or stolen till: it syncs nothing more and every token of it is revoked.
    An ADMIN deactivates any terminal; STAFF those of the stores they work at."""
    principal.require(principal.role in (Role.ADMIN, Role.STAFF), "deactivate POS terminals")
    async with uow:
        terminal = await uow.pos.terminal(command.terminal_id)
        if terminal is None or not principal.works_at(terminal.location_code):
            raise NotFound.no_such("POS terminal", field="terminalId")
        if not await uow.pos.deactivate(command.terminal_id, now):
            raise InvalidTransition("POS terminal", "DEACTIVATED", "DEACTIVATED")
        revoked = await uow.sessions.revoke(principal.subject, now, terminal_id=terminal.id)
        await uow.commit()
    terminal.deactivated_at = now
    return Deactivation(terminal, revoked)


def may_manage(principal: Principal, session: Session) -> bool:
    """Whether the caller may see and revoke the session."""
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.CUSTOMER:
        return session.customer_email is not None and (
            session.customer_email == principal.customer_email
        )
    return session.role is principal.role and session.subject == principal.subject
