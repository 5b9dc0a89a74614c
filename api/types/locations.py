"""Location and channel types."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.errors import RequestError
from api.types.addresses import Address
from api.types.common import MembersByValue
from api.types.nodes import load_nodes
from domain.model.locations import ChannelCode, LocationKind
from domain.model.payments import CaptureMoment
from persistence.reads import locations as location_reads

LOCATION_KINDS = MembersByValue(LocationKind)


@strawberry.type(description="A store or a warehouse that holds stock.")
class Location(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Short unique code, e.g. WH-EAST.")
    name: str = strawberry.field(description="Display name.")
    kind: LocationKind = strawberry.field(description="STORE or WAREHOUSE.")
    address: str = strawberry.field(description="Postal address, as typed when it was created.")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Location:
        """`row`: location_reads.LOCATION_COLUMNS, by position."""
        location_id, code, name, kind, address = row
        return cls(id=location_id, code=code, name=name, kind=LOCATION_KINDS[kind], address=address)

    @strawberry.field(
        description="Its structured postal address, what a pickup, a counter sale or a "
        "service booked there is taxed by; null until setLocationAddress sets it."
    )
    async def postal_address(self, info: strawberry.Info) -> Address | None:
        return await info.context.loaders.postal_address.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.location, node_ids)


@strawberry.type(description="A sales channel and the locations it fulfils from, in order.")
class Channel:
    channel_id: strawberry.Private[int]
    code: ChannelCode = strawberry.field(description="WEB, MOBILE, POS or WHOLESALE.")
    name: str = strawberry.field(description="Display name.")
    capture_on: CaptureMoment = strawberry.field(
        description="When its orders' authorized money is taken: PLACEMENT (at once, a sale) "
        "or SHIPMENT (what ships, as it ships)."
    )
    unpaid_order_ttl_minutes: int | None = strawberry.field(
        description="PENDING orders with no money authorized or captured are cancelled after "
        "this many minutes, releasing their stock; null: never."
    )
    prices_include_tax: bool = strawberry.field(
        description="Whether its prices (list, customer group, shipping) are entered with tax "
        "included, what the customer pays (true), or without it, tax added on top (false; "
        "WHOLESALE). See setChannelTaxSettings."
    )

    @classmethod
    def after_key(cls, row: Sequence[Any]) -> Channel:
        """The channel of a row that starts with its owner's key (a product's, a
        collection's), then location_reads.CHANNEL_COLUMNS."""
        return cls.from_row(row[1:])

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Channel:
        """`row`: location_reads.CHANNEL_COLUMNS, by position."""
        channel_id, code, name, capture_on, ttl, prices_include_tax = row
        return cls(
            channel_id=channel_id,
            code=ChannelCode(code),
            name=name,
            capture_on=CaptureMoment(capture_on),
            unpaid_order_ttl_minutes=ttl // 60 if ttl is not None else None,
            prices_include_tax=prices_include_tax,
        )

    @strawberry.field(description="Locations this channel may allocate from, first preferred.")
    async def locations(self, info: strawberry.Info) -> list[Location]:
        loaders = info.context.loaders
        location_ids = await loaders.channel_location_ids.load(self.channel_id)
        return list(await loaders.location.load_many(location_ids))


async def location_named(session: Any, location_code: str) -> Row:
    """The location a read names by code (any case, spaces around); NOT_FOUND if none."""
    code = location_code.strip().upper()
    location = await location_reads.location_by_code(session, code)
    if location is None:
        raise RequestError(f"location {code} not found", code="NOT_FOUND")
    return location
