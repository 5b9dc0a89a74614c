"""Shipping zones, their countries and methods; and the weights of variants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate
from domain.model.locations import ChannelCode
from domain.model.shipping import ShippingMethod, ShippingPricing, ShippingZone, WeightBracket
from persistence.conflict_inserts import conflict_insert
from persistence.mappers import from_cents, to_cents
from persistence.records import (
    ShippingMethodBracketRecord,
    ShippingMethodChannelRecord,
    ShippingMethodRecord,
    ShippingZoneCountryRecord,
    ShippingZoneRecord,
    VariantRecord,
)
from persistence.records.base import table_of
from persistence.repositories.catalog import touch_products_of

ZONE = ShippingZoneRecord
COUNTRY = ShippingZoneCountryRecord
METHOD = ShippingMethodRecord
CHANNEL = ShippingMethodChannelRecord
BRACKET = ShippingMethodBracketRecord
VARIANT_TABLE = table_of(VariantRecord)
# One statement, many rows (executemany): Core, since the ORM's bulk update is by key only.
SET_WEIGHT = (
    update(VARIANT_TABLE)
    .where(VARIANT_TABLE.c.id == bindparam("variant_id"))
    .values(weight_grams=bindparam("grams"))
)


class SqlShippingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- what pricing reads ---------------------------------------------------------
    async def zone_of(self, country: str) -> ShippingZone | None:
        record = await self.session.scalar(
            select(ZONE).join(COUNTRY, COUNTRY.zone_id == ZONE.id).where(COUNTRY.country == country)
        )
        return await self._zone(record) if record else None

    async def methods_in(self, zone_code: str) -> list[ShippingMethod]:
        records = (
            await self.session.scalars(
                select(METHOD)
                .join(ZONE, ZONE.id == METHOD.zone_id)
                .where(ZONE.code == zone_code)
                .order_by(METHOD.code)
            )
        ).all()
        return await self._methods(records, zone_code)

    # -- setting shipping up --------------------------------------------------------
    async def zone_by_code(self, code: str) -> ShippingZone | None:
        record = await self.session.scalar(select(ZONE).where(ZONE.code == code).with_for_update())
        return await self._zone(record) if record else None

    async def add_zone(self, zone: ShippingZone) -> ShippingZone:
        record = ZONE(code=zone.code, name=zone.name)
        self.session.add(record)
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise Duplicate(f"shipping zone {zone.code} exists", field="code") from error
        return ShippingZone(zone.code, zone.name, zone.countries, id=record.id)

    async def rename_zone(self, zone_id: int, name: str) -> None:
        await self.session.execute(
            update(ZONE)
            .where(ZONE.id == zone_id)
            .values(name=name)
            .execution_options(synchronize_session=False)
        )

    async def claim_countries(self, zone_id: int, countries: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(countries))  # one order for every claim: no deadlocks between them
        await self.session.execute(
            delete(COUNTRY).where(COUNTRY.zone_id == zone_id, COUNTRY.country.not_in(wanted))
        )
        if not wanted:
            return {}
        # A row another transaction inserted and has not committed yet makes this insert
        # wait for it (PostgreSQL); once it commits, the country is skipped, and read below.
        await self.session.execute(
            conflict_insert(self.session, COUNTRY)
            .values([{"country": country, "zone_id": zone_id} for country in wanted])
            .on_conflict_do_nothing(index_elements=[COUNTRY.country])
        )
        holders = await self.session.execute(
            select(COUNTRY.country, ZONE.code)
            .join(ZONE, ZONE.id == COUNTRY.zone_id)
            .where(COUNTRY.country.in_(wanted), COUNTRY.zone_id != zone_id)
        )
        return {country: code for country, code in holders}

    async def method_by_code(self, code: str) -> ShippingMethod | None:
        row = (
            await self.session.execute(
                select(METHOD, ZONE.code)
                .join(ZONE, ZONE.id == METHOD.zone_id)
                .where(METHOD.code == code)
                .with_for_update(of=METHOD)
            )
        ).first()
        if row is None:
            return None
        record, zone_code = row
        (method,) = await self._methods([record], zone_code)
        return method

    async def add_method(self, method: ShippingMethod, zone_id: int) -> ShippingMethod:
        record = METHOD(zone_id=zone_id, **_method_values(method))
        self.session.add(record)
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise Duplicate(f"shipping method {method.code} exists", field="code") from error
        await self._add_parts(record.id, method)
        return _with_id(method, record.id)

    async def update_method(self, method: ShippingMethod) -> None:
        method_id = method.id
        assert method_id is not None  # a stored method, loaded by method_by_code
        await self.session.execute(
            update(METHOD)
            .where(METHOD.id == method_id)
            .values(**_method_values(method))
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(delete(CHANNEL).where(CHANNEL.method_id == method_id))
        await self.session.execute(delete(BRACKET).where(BRACKET.method_id == method_id))
        await self._add_parts(method_id, method)

    async def set_weights(self, weights: Mapping[int, int | None]) -> None:
        """A new weight changes the variant's product for `updatedSince`, as a price does."""
        if not weights:
            return
        ids = sorted(weights)
        await self.session.execute(
            SET_WEIGHT,
            [{"variant_id": variant_id, "grams": weights[variant_id]} for variant_id in ids],
        )
        await touch_products_of(self.session, ids, datetime.now(UTC))

    # -- building -------------------------------------------------------------------
    async def _zone(self, record: ShippingZoneRecord) -> ShippingZone:
        countries = await self.session.scalars(
            select(COUNTRY.country).where(COUNTRY.zone_id == record.id).order_by(COUNTRY.country)
        )
        return ShippingZone(record.code, record.name, tuple(countries), id=record.id)

    async def _methods(
        self, records: Sequence[ShippingMethodRecord], zone_code: str
    ) -> list[ShippingMethod]:
        if not records:
            return []
        ids = [record.id for record in records]
        channels: dict[int, list[ChannelCode]] = defaultdict(list)
        for method_id, channel in await self.session.execute(
            select(CHANNEL.method_id, CHANNEL.channel)
            .where(CHANNEL.method_id.in_(ids))
            .order_by(CHANNEL.method_id, CHANNEL.channel)
        ):
            channels[method_id].append(ChannelCode(channel))
        brackets: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
        for method_id, up_to_grams, price_cents in await self.session.execute(
            select(BRACKET.method_id, BRACKET.up_to_grams, BRACKET.price_cents)
            .where(BRACKET.method_id.in_(ids))
            .order_by(BRACKET.method_id, BRACKET.position)
        ):
            brackets[method_id].append((up_to_grams, price_cents))
        return [
            _method(record, zone_code, channels[record.id], brackets[record.id])
            for record in records
        ]

    async def _add_parts(self, method_id: int, method: ShippingMethod) -> None:
        if method.channels:
            await self.session.execute(
                insert(CHANNEL),
                [{"method_id": method_id, "channel": channel.value} for channel in method.channels],
            )
        if method.brackets:
            await self.session.execute(
                insert(BRACKET),
                [
                    {
                        "method_id": method_id,
                        "position": position,
                        "up_to_grams": bracket.up_to_grams,
                        "price_cents": to_cents(bracket.price),
                    }
                    for position, bracket in enumerate(method.brackets, start=1)
                ],
            )


def _method_values(method: ShippingMethod) -> dict[str, Any]:
    return dict(
        code=method.code,
        name=method.name,
        pricing=method.pricing.value,
        currency=method.currency,
        price_cents=None if method.price is None else to_cents(method.price),
        free_above_cents=None if method.free_above is None else to_cents(method.free_above),
        tax_class=method.tax_class,
        active=method.active,
    )


def _method(
    record: ShippingMethodRecord,
    zone_code: str,
    channels: list[ChannelCode],
    brackets: list[tuple[int | None, int]],
) -> ShippingMethod:
    currency = record.currency
    return ShippingMethod(
        id=record.id,
        code=record.code,
        name=record.name,
        zone_code=zone_code,
        pricing=ShippingPricing(record.pricing),
        currency=currency,
        channels=tuple(channels),
        price=None if record.price_cents is None else from_cents(record.price_cents, currency),
        brackets=tuple(
            WeightBracket(up_to_grams, from_cents(price_cents, currency))
            for up_to_grams, price_cents in brackets
        ),
        free_above=(
            None
            if record.free_above_cents is None
            else from_cents(record.free_above_cents, currency)
        ),
        tax_class=record.tax_class,
        active=record.active,
    )


def _with_id(method: ShippingMethod, method_id: int) -> ShippingMethod:
    return replace(method, id=method_id)
