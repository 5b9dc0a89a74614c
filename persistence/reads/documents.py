"""Read side: Status histories of stock documents (transfers, returns)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.pages import Rows
from persistence.records import (
    DocumentStatusChangeRecord,
)

DOCUMENT_CHANGE_COLUMNS = (
    DocumentStatusChangeRecord.document_id,
    DocumentStatusChangeRecord.sequence,
    DocumentStatusChangeRecord.from_status,
    DocumentStatusChangeRecord.to_status,
    DocumentStatusChangeRecord.actor,
    DocumentStatusChangeRecord.note,
    DocumentStatusChangeRecord.occurred_at,
)


async def document_changes_by_ids(
    session: AsyncSession, document: str, document_ids: Sequence[int]
) -> Rows:
    """The histories of several documents of one kind, each oldest first."""
    change = DocumentStatusChangeRecord
    query = (
        select(*DOCUMENT_CHANGE_COLUMNS)
        .where(change.document_type == document, change.document_id.in_(document_ids))
        .order_by(change.document_id, change.sequence)
    )
    return (await session.execute(query)).all()
