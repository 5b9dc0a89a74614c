"""The read side of shipping: zones with their countries, methods with their channels and
weight brackets. A zone or a method is a few rows of several tables; each read here
returns them put together (`ZoneView`, `MethodView`), in a fixed number of statements
whatever the number of zones or methods."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.records import (
    ShippingMethodBracketRecord,
    ShippingMethodChannelRecord,
    ShippingMethodRecord,
    ShippingZoneCountryRecord,
    ShippingZoneRecord,
)
from persistence.sql_types import AnySelect

ZONE = ShippingZoneRecord
COUNTRY = ShippingZoneCountryRecord
METHOD = ShippingMethodRecord
CHANNEL = ShippingMethodChannelRecord
BRACKET = ShippingMethodBracketRecord

METHOD_COLUMNS = (
    METHOD.id,
    METHOD.zone_id,
    METHOD.code,
    METHOD.name,
    METHOD.pricing,
    METHOD.currency,
    METHOD.price_cents,
    METHOD.free_above_cents,
    METHOD.tax_class,
    METHOD.active,
)


@dataclass(frozen=True, slots=True)
class ZoneView:
    id: int
    code: str
    name: str
    countries: tuple[str, ...]  # alphabetical


@dataclass(frozen=True, slots=True)
class MethodView:
    id: int
    zone_id: int
    code: str
    name: str
    pricing: str
    currency: str
    price_cents: int | None
    free_above_cents: int | None
    tax_class: str | None
    active: bool
    channels: tuple[str, ...]  # alphabetical
    brackets: tuple[tuple[int | None, int], ...]  # (up to grams, price cents), lightest first


async def all_zones(session: AsyncSession) -> list[ZoneView]:
    """Every zone, by code."""
    return await _zones(session, select(ZONE.id, ZONE.code, ZONE.name).order_by(ZONE.code))


async def zones_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[ZoneView]:
    return await _zones(session, select(ZONE.id, ZONE.code, ZONE.name).where(ZONE.id.in_(ids)))


async def methods_by_zone_ids(
    session: AsyncSession, zone_ids: Sequence[int], *, active_only: bool
) -> list[MethodView]:
    """The zones' methods (only the active ones with `active_only`), by code."""
    statement = select(*METHOD_COLUMNS).where(METHOD.zone_id.in_(zone_ids))
    if active_only:
        statement = statement.where(METHOD.active.is_(True))
    return await _methods(session, statement.order_by(METHOD.code))


async def methods_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[MethodView]:
    return await _methods(session, select(*METHOD_COLUMNS).where(METHOD.id.in_(ids)))


async def offered_methods(session: AsyncSession, channel: str, country: str) -> list[MethodView]:
    """The active methods on `channel` of the zone `country` belongs to, by code."""
    statement = (
        select(*METHOD_COLUMNS)
        .join(COUNTRY, COUNTRY.zone_id == METHOD.zone_id)
        .join(CHANNEL, CHANNEL.method_id == METHOD.id)
        .where(COUNTRY.country == country, CHANNEL.channel == channel, METHOD.active.is_(True))
        .order_by(METHOD.code)
    )
    return await _methods(session, statement)


async def _zones(session: AsyncSession, statement: AnySelect) -> list[ZoneView]:
    rows = (await session.execute(statement)).all()
    if not rows:
        return []
    countries: dict[int, list[str]] = defaultdict(list)
    for zone_id, country in await session.execute(
        select(COUNTRY.zone_id, COUNTRY.country)
        .where(COUNTRY.zone_id.in_([row[0] for row in rows]))
        .order_by(COUNTRY.country)
    ):
        countries[zone_id].append(country)
    return [
        ZoneView(zone_id, code, name, tuple(countries[zone_id])) for zone_id, code, name in rows
    ]


async def _methods(session: AsyncSession, statement: AnySelect) -> list[MethodView]:
    rows = (await session.execute(statement)).all()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    channels: dict[int, list[str]] = defaultdict(list)
    for method_id, channel in await session.execute(
        select(CHANNEL.method_id, CHANNEL.channel)
        .where(CHANNEL.method_id.in_(ids))
        .order_by(CHANNEL.method_id, CHANNEL.channel)
    ):
        channels[method_id].append(channel)
    brackets: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
    for method_id, up_to_grams, price_cents in await session.execute(
        select(BRACKET.method_id, BRACKET.up_to_grams, BRACKET.price_cents)
        .where(BRACKET.method_id.in_(ids))
        .order_by(BRACKET.method_id, BRACKET.position)
    ):
        brackets[method_id].append((up_to_grams, price_cents))
    return [
        MethodView(
            method_id,
            zone_id,
            code,
            name,
            pricing,
            currency,
            price_cents,
            free_above_cents,
            tax_class,
            active,
            tuple(channels[method_id]),
            tuple(brackets[method_id]),
        )
        for (
            method_id,
            zone_id,
            code,
            name,
            pricing,
            currency,
            price_cents,
            free_above_cents,
            tax_class,
            active,
        ) in rows
    ]
