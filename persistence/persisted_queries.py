"""The persisted-queries allow-list: documents an operator registered, by SHA-256 hash.

Servers read the whole list into memory and read it again only when its fingerprint (the
number of rows and the latest `added_at`) changes: adding or removing documents changes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.records import PersistedQueryRecord
from persistence.sql_types import rows_matched

QUERY = PersistedQueryRecord


@dataclass(frozen=True, slots=True)
class PersistedQuery:
    """One registered operation; `id` is the SHA-256 of `body` in hex."""

    id: str
    name: str
    operation_type: str
    body: str


Fingerprint = tuple[int, datetime | None]


async def fingerprint(session: AsyncSession) -> Fingerprint:
    row = (await session.execute(select(func.count(), func.max(QUERY.added_at)))).one()
    return int(row[0]), row[1]


async def documents(session: AsyncSession) -> dict[str, str]:
    """Every registered document's body by its hash."""
    rows = await session.execute(select(QUERY.id, QUERY.body))
    return {query_id: body for query_id, body in rows}


async def listed(session: AsyncSession) -> list[PersistedQuery]:
    """Every registered operation, by name then hash."""
    rows = await session.execute(
        select(QUERY.id, QUERY.name, QUERY.operation_type, QUERY.body).order_by(
            QUERY.name, QUERY.id
        )
    )
    return [PersistedQuery(*row) for row in rows]


async def add(session: AsyncSession, queries: Sequence[PersistedQuery], at: datetime) -> list[str]:
    """Registers the queries not registered yet; returns the hashes it added."""
    wanted = {query.id: query for query in queries}
    known = set(
        (await session.execute(select(QUERY.id).where(QUERY.id.in_(wanted)))).scalars().all()
    )
    new = [query for query_id, query in wanted.items() if query_id not in known]
    if new:
        await session.execute(
            insert(QUERY),
            [
                {
                    "id": query.id,
                    "name": query.name,
                    "operation_type": query.operation_type,
                    "body": query.body,
                    "added_at": at,
                }
                for query in new
            ],
        )
    return [query.id for query in new]


async def remove(session: AsyncSession, query_id: str) -> bool:
    """Unregisters one document; False if it was not registered."""
    result = await session.execute(delete(QUERY).where(QUERY.id == query_id))
    return rows_matched(result) > 0
