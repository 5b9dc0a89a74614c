"""The read side of sessions: pages of them for their holders and admins, and the revoked
ones every process keeps in memory (api/revocations.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.access import Principal, Role
from domain.model.sessions import Session, SessionKind
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import SessionRecord
from persistence.repositories.sessions import COLUMNS, session_from_row

SESSION = SessionRecord


async def revoked_since(
    session: AsyncSession, since: datetime | None, now: datetime
) -> list[tuple[int, datetime]]:
    """(id, expires_at) of the sessions revoked at or after `since` (ever, when None)
    that have not expired by `now`."""
    criteria = [SESSION.revoked_at.is_not(None), SESSION.expires_at > now]
    if since is not None:
        criteria.append(SESSION.revoked_at >= since)
    rows = await session.execute(select(SESSION.id, SESSION.expires_at).where(*criteria))
    return [(session_id, until) for session_id, until in rows]


async def sessions_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Session]:
    rows = await session.execute(select(*COLUMNS).where(SESSION.id.in_(ids)))
    return [session_from_row(row) for row in rows]


async def sessions_page(
    session: AsyncSession,
    page: Page,
    viewer: Principal,
    *,
    live_at: datetime | None = None,
    customer_email: str | None = None,
    kind: SessionKind | None = None,
) -> tuple[Rows, int]:
    """Every session for an ADMIN; a customer's own; anyone else's of its
    own role and subject. With `live_at`, only those neither revoked nor expired then."""
    query = select(*COLUMNS).where(*_visible_to(viewer))
    if live_at is not None:
        query = query.where(SESSION.revoked_at.is_(None), SESSION.expires_at > live_at)
    if customer_email is not None:
        query = query.where(SESSION.customer_email == customer_email)
    if kind is not None:
        query = query.where(SESSION.kind == kind.value)
    return await fetch_page(session, query, SESSION.id, page)


def _visible_to(viewer: Principal) -> list[ColumnElement[bool]]:
    if viewer.role is Role.ADMIN:
        return []
    if viewer.role is Role.CUSTOMER:
        return [SESSION.customer_email == (viewer.customer_email or "")]
    role = viewer.role.value if viewer.role else ""
    return [SESSION.role == role, SESSION.subject == viewer.subject]
