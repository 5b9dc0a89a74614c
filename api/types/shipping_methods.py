"""GraphQL types of shipping zones and methods, and their DataLoaders."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from api.types.common import MembersByValue, Money
from domain.model.locations import ChannelCode
from domain.model.shipping import ShippingPricing
from persistence.reads import shipping_methods as shipping_reads
from persistence.reads.shipping_methods import MethodView, ZoneView

strawberry.enum(
    ShippingPricing,
    description="How a shipping method prices a parcel: FLAT, one price per order; BY_WEIGHT, "
    "the price of the first weight bracket the parcel fits.",
)
PRICINGS = MembersByValue(ShippingPricing)
CHANNELS = MembersByValue(ChannelCode)


@strawberry.type(description="A BY_WEIGHT method's price for parcels up to a weight.")
class WeightBracket:
    up_to_grams: int | None = strawberry.field(
        description="The heaviest parcel (grams, goods' weights summed) it takes; null: any "
        "weight (only the last bracket)."
    )
    price: Money = strawberry.field(description="What such a parcel costs.")


@strawberry.type(
    description="A way an order is delivered in one zone (Standard, Express): what it costs, "
    "on which channels it is offered, and how its charge is taxed."
)
class ShippingMethod:
    id: strawberry.Private[int]
    zone_id: strawberry.Private[int]
    code: str = strawberry.field(description="Unique code, upper case, e.g. EU-STANDARD.")
    name: str = strawberry.field(description="What a customer sees, e.g. Standard (3-5 days).")
    pricing: ShippingPricing = strawberry.field(description="FLAT or BY_WEIGHT.")
    price: Money | None = strawberry.field(
        description="FLAT: the price per order; null for BY_WEIGHT. Entered as its channel "
        "enters prices (with or without tax)."
    )
    brackets: list[WeightBracket] = strawberry.field(
        description="BY_WEIGHT: the prices by parcel weight, lightest first; empty for FLAT."
    )
    free_above: Money | None = strawberry.field(
        description="Orders whose goods come to this much or more (after discounts) ship "
        "free; null: never free."
    )
    tax_class: str | None = strawberry.field(
        description="The tax class its charge is taxed as, at the delivery address; null: STANDARD."
    )
    channels: list[ChannelCode] = strawberry.field(
        description="The channels it is offered on, alphabetically."
    )
    active: bool = strawberry.field(
        description="Whether it is offered at all; only staff see inactive methods."
    )

    @classmethod
    def from_view(cls, view: MethodView) -> ShippingMethod:
        currency = view.currency
        return cls(
            id=view.id,
            zone_id=view.zone_id,
            code=view.code,
            name=view.name,
            pricing=PRICINGS[view.pricing],
            price=None
            if view.price_cents is None
            else Money.from_cents(view.price_cents, currency),
            brackets=[
                WeightBracket(up_to_grams=grams, price=Money.from_cents(cents, currency))
                for grams, cents in view.brackets
            ],
            free_above=(
                None
                if view.free_above_cents is None
                else Money.from_cents(view.free_above_cents, currency)
            ),
            tax_class=view.tax_class,
            channels=[CHANNELS[channel] for channel in view.channels],
            active=view.active,
        )

    @strawberry.field(description="The zone it delivers to.")
    async def zone(self, info: strawberry.Info) -> ShippingZone:
        return await info.context.loaders.shipping_methods.zone.load(self.zone_id)


@strawberry.type(
    description="Countries that share shipping methods (EU, UK, North America); a country "
    "is in at most one zone."
)
class ShippingZone:
    id: strawberry.Private[int]
    code: str = strawberry.field(description="Unique code, upper case, e.g. EU.")
    name: str = strawberry.field(description="What the zone is, e.g. European Union.")
    countries: list[str] = strawberry.field(
        description="Its countries, ISO 3166-1 alpha-2 codes, alphabetically."
    )

    @classmethod
    def from_view(cls, view: ZoneView) -> ShippingZone:
        return cls(id=view.id, code=view.code, name=view.name, countries=list(view.countries))

    @strawberry.field(
        description="Its methods, by code: every one for staff (ADMIN, STAFF), the active "
        "ones for everyone else."
    )
    async def methods(self, info: strawberry.Info) -> list[ShippingMethod]:
        return await info.context.loaders.shipping_methods.methods_by_zone.load(self.id)


async def _zones_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[ShippingZone]:
    return [
        ShippingZone.from_view(view) for view in await shipping_reads.zones_by_ids(session, ids)
    ]


async def _methods_by_zone_ids(
    session: AsyncSession, zone_ids: Sequence[int], *, active_only: bool
) -> list[ShippingMethod]:
    views = await shipping_reads.methods_by_zone_ids(session, zone_ids, active_only=active_only)
    return [ShippingMethod.from_view(view) for view in views]


async def _methods_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[ShippingMethod]:
    views = await shipping_reads.methods_by_ids(session, ids)
    return [ShippingMethod.from_view(view) for view in views]


def _built(obj: Any) -> Any:
    return obj


class ShippingLoaders:
    """Per-request DataLoaders for shipping; `loaders` is the request's api.loaders.Loaders.

    Zones and methods are public (a storefront lists them at checkout), but inactive
    methods only staff see: `methods_by_zone` leaves them out for anyone else (`method`,
    by id, shows what a mutation of ADMIN's changed).
    """

    def __init__(self, loaders: Any) -> None:
        active_only = not loaders.principal.may_manage_catalog()
        self.zone: DataLoader[int, ShippingZone | None] = loaders.by_id(_zones_by_ids, _built)
        self.method: DataLoader[int, ShippingMethod | None] = loaders.by_id(_methods_by_ids, _built)
        self.methods_by_zone: DataLoader[int, list[ShippingMethod]] = loaders.grouped(
            partial(_methods_by_zone_ids, active_only=active_only), "zone_id", _built
        )
