"""Locations and channels."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from domain.model.addresses import Address
from domain.model.catalog import ProductKind
from domain.model.locations import Channel, ChannelCode, Location
from domain.model.payments import CaptureMoment
from persistence.mappers import address_to_json, location_from_record
from persistence.records import (
    ChannelLocationRecord,
    ChannelRecord,
    LocationRecord,
    ProductRecord,
    StockLevelRecord,
    VariantRecord,
)


class SqlLocationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, location: Location) -> Location:
        record = LocationRecord(
            code=location.code,
            name=location.name,
            kind=location.kind.value,
            address=location.address,
            postal_address=address_to_json(location.postal_address),
        )
        self.session.add(record)
        await self.session.flush()
        # Every goods variant gets an empty level here, so levels only ever get updated
        # (a service holds no stock).
        await self.session.execute(
            insert(StockLevelRecord).from_select(
                ["variant_id", "location_id", "on_hand", "reserved"],
                select(VariantRecord.id, literal(record.id), literal(0), literal(0))
                .join(ProductRecord, ProductRecord.id == VariantRecord.product_id)
                .where(ProductRecord.kind == ProductKind.GOODS.value),
            )
        )
        location.id = record.id
        return location

    async def by_code(self, codes: Iterable[str]) -> dict[str, Location]:
        records = await self.session.scalars(
            select(LocationRecord).where(LocationRecord.code.in_(list(codes)))
        )
        return {r.code: location_from_record(r) for r in records}

    async def by_id(self, ids: Iterable[int]) -> dict[int, Location]:
        records = await self.session.scalars(
            select(LocationRecord).where(LocationRecord.id.in_(list(ids)))
        )
        return {r.id: location_from_record(r) for r in records}

    async def channel(self, code: ChannelCode) -> Channel:
        record = await self.session.scalar(select(ChannelRecord).where(ChannelRecord.code == code))
        if record is None:
            raise NotFound.of("channel", code, field="channel")
        location_ids = await self.session.scalars(
            select(ChannelLocationRecord.location_id)
            .where(ChannelLocationRecord.channel_id == record.id)
            .order_by(ChannelLocationRecord.position)
        )
        return Channel(
            id=record.id,
            code=ChannelCode(record.code),
            name=record.name,
            location_ids=list(location_ids),
            capture_on=CaptureMoment(record.capture_on),
            unpaid_order_ttl=timedelta(seconds=record.unpaid_order_ttl_seconds)
            if record.unpaid_order_ttl_seconds is not None
            else None,
            prices_include_tax=record.prices_include_tax,
        )

    async def set_payment_settings(self, channel: Channel) -> None:
        ttl = channel.unpaid_order_ttl
        await self.session.execute(
            update(ChannelRecord)
            .where(ChannelRecord.id == channel.id)
            .values(
                capture_on=channel.capture_on.value,
                unpaid_order_ttl_seconds=int(ttl.total_seconds()) if ttl is not None else None,
            )
        )

    async def set_tax_settings(self, channel: Channel) -> None:
        await self.session.execute(
            update(ChannelRecord)
            .where(ChannelRecord.id == channel.id)
            .values(prices_include_tax=channel.prices_include_tax)
        )

    async def set_postal_address(self, location_id: int, address: Address | None) -> None:
        await self.session.execute(
            update(LocationRecord)
            .where(LocationRecord.id == location_id)
            .values(postal_address=address_to_json(address))
        )

    async def set_channel_locations(self, channel: Channel, location_ids: list[int]) -> None:
        await self.session.execute(
            delete(ChannelLocationRecord).where(ChannelLocationRecord.channel_id == channel.id)
        )
        if location_ids:
            await self.session.execute(
                insert(ChannelLocationRecord),
                [
                    {"channel_id": channel.id, "location_id": loc, "position": position}
                    for position, loc in enumerate(location_ids)
                ],
            )
