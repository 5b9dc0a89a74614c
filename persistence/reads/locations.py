"""Read side: Locations and channels."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.pages import Rows
from persistence.records import (
    ChannelLocationRecord,
    ChannelRecord,
    LocationRecord,
)
from persistence.sql_types import AnyRow

# Built by position (`Location.from_row`, `Channel.from_row`): every query of these rows
# selects exactly these columns, in this order.
LOCATION_COLUMNS = (
    LocationRecord.id,
    LocationRecord.code,
    LocationRecord.name,
    LocationRecord.kind,
    LocationRecord.address,
)

CHANNEL_COLUMNS = (
    ChannelRecord.id,
    ChannelRecord.code,
    ChannelRecord.name,
    ChannelRecord.capture_on,
    ChannelRecord.unpaid_order_ttl_seconds,
    ChannelRecord.prices_include_tax,
)


async def locations(session: AsyncSession, kind: str | None) -> Rows:
    query = select(*LOCATION_COLUMNS).order_by(LocationRecord.code)
    if kind:
        query = query.where(LocationRecord.kind == kind)
    return (await session.execute(query)).all()


locations_by_ids = KeyedRead(select(*LOCATION_COLUMNS).where(LocationRecord.id.in_(KEYS)))


# The structured address of each location, apart from LOCATION_COLUMNS: stock levels embed
# their location's columns in every row, and a JSON document per row would cost them all.
postal_addresses_by_location_ids = KeyedRead(
    select(LocationRecord.id, LocationRecord.postal_address).where(LocationRecord.id.in_(KEYS))
)


async def location_by_code(session: AsyncSession, code: str) -> AnyRow | None:
    query = select(*LOCATION_COLUMNS).where(LocationRecord.code == code)
    return (await session.execute(query)).first()


async def channels(session: AsyncSession, codes: Sequence[str] | None = None) -> Rows:
    query = select(*CHANNEL_COLUMNS).order_by(ChannelRecord.id)
    if codes is not None:
        query = query.where(ChannelRecord.code.in_(codes))
    return (await session.execute(query)).all()


channel_location_ids = KeyedRead(
    select(ChannelLocationRecord.channel_id, ChannelLocationRecord.location_id)
    .where(ChannelLocationRecord.channel_id.in_(KEYS))
    .order_by(ChannelLocationRecord.channel_id, ChannelLocationRecord.position)
)
