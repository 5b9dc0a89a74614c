"""Forgetting sessions and account tokens long after they expired: every sign-in adds a
session, so without this the table only grows. An expired session's tokens are expired
too, so no revocation is lost with it; the retention keeps them a while for whoever looks
into what happened (the `sessions` query with `includeEnded`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.records import AccountTokenRecord, SessionRecord


async def prune(session: AsyncSession, expired_before: datetime) -> None:
    await session.execute(delete(SessionRecord).where(SessionRecord.expires_at < expired_before))
    await session.execute(
        delete(AccountTokenRecord).where(AccountTokenRecord.expires_at < expired_before)
    )
