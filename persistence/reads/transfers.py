"""The read side of transfers: lean SELECTs for their list, their loaders and their lines.

Rows carry the codes of both locations, so the API can tell who may see a transfer without
another query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Page, Rows, fetch_page
from persistence.records import LocationRecord, TransferLineRecord, TransferRecord
from persistence.sql_types import AnySelect

ORIGIN = aliased(LocationRecord, name="origin")
DESTINATION = aliased(LocationRecord, name="destination")

TRANSFER_COLUMNS = (
    TransferRecord.id,
    TransferRecord.number,
    TransferRecord.status,
    TransferRecord.from_location_id,
    TransferRecord.to_location_id,
    TransferRecord.carrier,
    TransferRecord.tracking_number,
    TransferRecord.created_at,
    TransferRecord.updated_at,
    ORIGIN.code.label("from_location_code"),
    DESTINATION.code.label("to_location_code"),
)


@dataclass(frozen=True, slots=True)
class TransferScope:
    """Which transfers a caller may see: all (None), or those from or to some locations."""

    location_codes: frozenset[str] | None = None


def _transfers(scope: TransferScope) -> AnySelect:
    query = (
        select(*TRANSFER_COLUMNS)
        .join(ORIGIN, ORIGIN.id == TransferRecord.from_location_id)
        .join(DESTINATION, DESTINATION.id == TransferRecord.to_location_id)
    )
    if scope.location_codes is not None:
        codes = sorted(scope.location_codes)
        query = query.where(or_(ORIGIN.code.in_(codes), DESTINATION.code.in_(codes)))
    return query


async def transfers_page(
    session: AsyncSession,
    page: Page,
    scope: TransferScope,
    *,
    status: str | None = None,
    from_code: str | None = None,
    to_code: str | None = None,
) -> tuple[Rows, int]:
    query = _transfers(scope)
    if status:
        query = query.where(TransferRecord.status == status)
    if from_code:
        query = query.where(ORIGIN.code == from_code)
    if to_code:
        query = query.where(DESTINATION.code == to_code)
    return await fetch_page(session, query, TransferRecord.id, page)


# Transfers by id, whoever may see them: the caller filters by the location codes.
transfers_by_ids = KeyedRead(_transfers(TransferScope()).where(TransferRecord.id.in_(KEYS)))


transfer_lines_by_transfer_ids = KeyedRead(
    select(
        TransferLineRecord.id,
        TransferLineRecord.transfer_id,
        TransferLineRecord.variant_id,
        TransferLineRecord.sku,
        TransferLineRecord.quantity,
        TransferLineRecord.received,
        TransferLineRecord.lost,
    )
    .where(TransferLineRecord.transfer_id.in_(KEYS))
    .order_by(TransferLineRecord.id)
)
