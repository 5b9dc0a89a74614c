"""Loading a document to change it: lock its row first, then read it.

Two commands on one document must not both start from the same state. On PostgreSQL
(READ COMMITTED) every statement sees the latest commits, so a document read in one
statement and its history in another can come from different moments, and two requests
can both believe they hold the current version. So a repository loading a document for a
change first locks the document's row and reads its version in that same statement; a
second command waits there until the first commits, and then everything it reads is what
the first left. The version `save()` later compares with is the one read with the lock.

SQLite has one writer at a time (write transactions open with BEGIN IMMEDIATE), so there
the lock is implicit and SQLAlchemy leaves FOR UPDATE out of the statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


async def lock_for_change(
    session: AsyncSession, version: InstrumentedAttribute[Any], key: int
) -> Any:
    """Lock the row `key` of `version`'s table until the transaction ends; its `version`
    column as it is now, or None when there is no such row."""
    table = version.class_
    return await session.scalar(select(version).where(table.id == key).with_for_update())
