"""Queries on shipping: the zones and their methods, and what a checkout offers."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.errors import request_error
from api.types.shipping_methods import ShippingMethod, ShippingZone
from domain.errors import InvalidInput
from domain.model.addresses import country_code
from domain.model.locations import ChannelCode
from persistence.reads import shipping_methods as shipping_reads


@strawberry.type
class ShippingMethodQueries:
    @strawberry.field(
        description="Every shipping zone, by code, with its countries and methods (anyone; "
        "inactive methods only for staff)."
    )
    async def shipping_zones(self, info: strawberry.Info) -> list[ShippingZone]:
        async with info.context.database.read_session() as session:
            views = await shipping_reads.all_zones(session)
        return [ShippingZone.from_view(view) for view in views]

    @strawberry.field(
        description="The shipping methods a checkout on `channel` offers for delivery to "
        "`country`: the active methods of the country's zone offered on the channel, by "
        "code; empty when the country is in no zone. A country that is no ISO 3166-1 "
        "alpha-2 code is INVALID_INPUT."
    )
    async def shipping_methods(
        self,
        info: strawberry.Info,
        channel: Annotated[
            ChannelCode, strawberry.argument(description="The channel the order is placed on.")
        ],
        country: Annotated[
            str,
            strawberry.argument(
                description="ISO 3166-1 alpha-2 code of the delivery address, any case (GB, de)."
            ),
        ],
    ) -> list[ShippingMethod]:
        try:
            code = country_code(country, field="country")
        except InvalidInput as error:
            raise request_error(error) from error
        async with info.context.database.read_session() as session:
            views = await shipping_reads.offered_methods(session, channel.value, code)
        return [ShippingMethod.from_view(view) for view in views]
