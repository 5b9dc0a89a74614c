"""Status history of stock documents (transfers, returns), shared by their repositories.

Each change is a numbered row in `document_status_changes` and, in the same transaction, a
`DocumentStatusChanged` event in the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import DocumentStatusChanged, DomainEvent
from domain.model.lifecycle import StatusChange
from persistence.records import DocumentStatusChangeRecord

CHANGE = DocumentStatusChangeRecord


async def insert_status_changes(
    session: AsyncSession,
    events: list[DomainEvent],
    *,
    document: str,
    document_id: int,
    changes: Sequence[StatusChange],
    stored: int,
    location_codes: Iterable[str],
    customer_email: str | None = None,
) -> None:
    """Store `changes`, which follow the `stored` ones already in the history, numbered
    stored + 1, stored + 2…, each with its event."""
    numbered = list(enumerate(changes, start=stored + 1))
    if not numbered:
        return
    await session.execute(
        insert(CHANGE),
        [
            {
                "document_type": document,
                "document_id": document_id,
                "sequence": sequence,
                "from_status": change.from_status,
                "to_status": change.to_status,
                "actor": change.actor,
                "note": change.note,
                "occurred_at": change.occurred_at,
            }
            for sequence, change in numbered
        ],
    )
    codes = tuple(sorted(set(location_codes)))
    events.extend(
        DocumentStatusChanged(
            document=document,
            document_id=document_id,
            sequence=sequence,
            previous_status=change.from_status,
            status=change.to_status,
            actor=change.actor,
            occurred_at=change.occurred_at,
            location_codes=codes,
            customer_email=customer_email,
        )
        for sequence, change in numbered
    )


async def load_status_changes(
    session: AsyncSession, document: str, document_id: int
) -> list[StatusChange]:
    """A document's history, oldest first, with statuses as stored (strings)."""
    rows = await session.execute(
        select(CHANGE.from_status, CHANGE.to_status, CHANGE.actor, CHANGE.occurred_at, CHANGE.note)
        .where(CHANGE.document_type == document, CHANGE.document_id == document_id)
        .order_by(CHANGE.sequence)
    )
    return [StatusChange(*row) for row in rows]
