"""Sessions and account tokens are forgotten a month after they expired (the relay's
periodic prune), and kept until then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from api.relay import prune
from persistence.records import AccountTokenRecord, SessionRecord
from tests.api.accounts_documents import (
    SESSIONS,
    capture_account_messages,
    sign_in,
    signed_up,
)

EMAIL = "grace@example.com"


@pytest.fixture(autouse=True)
def _messages(caplog: pytest.LogCaptureFixture) -> None:
    capture_account_messages(caplog)


async def test_sessions_and_tokens_expired_a_month_ago_are_pruned_and_younger_ones_kept(
    graphql, database, caplog
):
    # Given three sessions: one expired 31 days ago, one 29 days ago, one live
    await signed_up(graphql, caplog, EMAIL)
    await sign_in(graphql, EMAIL)
    await sign_in(graphql, EMAIL)
    now = datetime.now(UTC)
    async with database.writing() as session, session.begin():
        ids = (await session.scalars(select(SessionRecord.id).order_by(SessionRecord.id))).all()
        for session_id, age in zip(ids, (31, 29), strict=False):
            await session.execute(
                update(SessionRecord)
                .where(SessionRecord.id == session_id)
                .values(expires_at=now - timedelta(days=age))
            )
        await session.execute(
            update(AccountTokenRecord).values(expires_at=now - timedelta(days=31))
        )

    # When the relay prunes
    await prune(database, now, timedelta(days=30))

    # Then only the one expired over a month ago is gone, with the old account token
    listed = await graphql.admin(SESSIONS, {"includeEnded": True})
    assert listed["sessions"]["totalCount"] == 2
    async with database.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(AccountTokenRecord)) == 0
        kept = (await session.scalars(select(SessionRecord.id).order_by(SessionRecord.id))).all()
    assert kept == ids[1:]
