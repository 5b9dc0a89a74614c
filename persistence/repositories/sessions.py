"""Sessions. Revoking and rotating are single conditional UPDATEs, so of concurrent
requests for one change exactly one makes it, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.access import Role
from domain.model.sessions import Revocation, Session, SessionKind
from persistence.records import SessionRecord
from persistence.sql_types import AnyRow


class SqlSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, session: Session, refresh_digest: str | None = None) -> Session:
        session.id = await self.session.scalar(
            insert(SessionRecord)
            .values(
                kind=session.kind.value,
                role=session.role.value,
                subject=session.subject,
                location_codes=",".join(sorted(session.location_codes)),
                customer_email=session.customer_email,
                terminal_id=session.terminal_id,
                label=session.label,
                refresh_token_hash=refresh_digest,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
            .returning(SessionRecord.id)
        )
        return session

    async def get(self, session_id: int) -> Session | None:
        row = (
            await self.session.execute(select(*COLUMNS).where(SessionRecord.id == session_id))
        ).first()
        return session_from_row(row) if row is not None else None

    async def by_refresh_digest(self, refresh_digest: str) -> Session | None:
        row = (
            await self.session.execute(
                select(*COLUMNS).where(SessionRecord.refresh_token_hash == refresh_digest)
            )
        ).first()
        return session_from_row(row) if row is not None else None

    async def rotate_refresh(self, session_id: int, old: str, new: str, at: datetime) -> bool:
        rotated = await self.session.execute(
            update(SessionRecord)
            .where(
                SessionRecord.id == session_id,
                SessionRecord.refresh_token_hash == old,
                SessionRecord.revoked_at.is_(None),
            )
            .values(refresh_token_hash=new, refreshed_at=at)
            .returning(SessionRecord.id)
        )
        return rotated.first() is not None

    async def revoke(
        self,
        by: str,
        at: datetime,
        *,
        session_id: int | None = None,
        customer_email: str | None = None,
        terminal_id: int | None = None,
        role: Role | None = None,
        subject: str | None = None,
        kind: SessionKind | None = None,
        except_id: int | None = None,
    ) -> list[Revocation]:
        criteria = [SessionRecord.revoked_at.is_(None), SessionRecord.expires_at > at]
        if session_id is not None:
            criteria.append(SessionRecord.id == session_id)
        if customer_email is not None:
            criteria.append(SessionRecord.customer_email == customer_email)
        if terminal_id is not None:
            criteria.append(SessionRecord.terminal_id == terminal_id)
        if role is not None:
            criteria.append(SessionRecord.role == role.value)
        if subject is not None:
            criteria.append(SessionRecord.subject == subject)
        if len(criteria) == 2:
            raise ValueError("revoking needs a session or a caller to revoke the sessions of")
        if kind is not None:
            criteria.append(SessionRecord.kind == kind.value)
        if except_id is not None:
            criteria.append(SessionRecord.id != except_id)
        revoked = await self.session.execute(
            update(SessionRecord)
            .where(*criteria)
            .values(revoked_at=at, revoked_by=by[:255])
            .returning(SessionRecord.id, SessionRecord.expires_at)
        )
        return [Revocation(session_id, until) for session_id, until in revoked.all()]


COLUMNS = (
    SessionRecord.id,
    SessionRecord.kind,
    SessionRecord.role,
    SessionRecord.subject,
    SessionRecord.location_codes,
    SessionRecord.customer_email,
    SessionRecord.terminal_id,
    SessionRecord.label,
    SessionRecord.created_at,
    SessionRecord.expires_at,
    SessionRecord.refreshed_at,
    SessionRecord.revoked_at,
    SessionRecord.revoked_by,
)


def session_from_row(row: AnyRow) -> Session:
    """A session from a row of COLUMNS, read by position."""
    (
        session_id,
        kind,
        role,
        subject,
        codes,
        customer_email,
        terminal_id,
        label,
        created_at,
        expires_at,
        refreshed_at,
        revoked_at,
        revoked_by,
    ) = row
    return Session(
        id=session_id,
        kind=SessionKind(kind),
        role=Role(role),
        subject=subject,
        location_codes=frozenset(code for code in codes.split(",") if code),
        customer_email=customer_email,
        terminal_id=terminal_id,
        label=label,
        created_at=created_at,
        expires_at=expires_at,
        refreshed_at=refreshed_at,
        revoked_at=revoked_at,
        revoked_by=revoked_by,
    )
