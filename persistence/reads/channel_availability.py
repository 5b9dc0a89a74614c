"""Read side: which channels products are published on, and the condition that keeps a
list to the products published on one channel."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.reads.locations import CHANNEL_COLUMNS
from persistence.records import ChannelRecord, ProductChannelRecord, ProductRecord


def products_published_on(channel: str) -> Select[Any]:
    """The ids of the products published on the channel of this code."""
    return (
        select(ProductChannelRecord.product_id)
        .join(ChannelRecord, ChannelRecord.id == ProductChannelRecord.channel_id)
        .where(ChannelRecord.code == channel)
    )


def published_on(channel: str) -> ColumnElement[bool]:
    """The product (ProductRecord of the enclosing query) is published on `channel`."""
    return ProductRecord.id.in_(products_published_on(channel))


# Rows: product_id, then the channel's CHANNEL_COLUMNS; channels in their order.
channels_by_product_ids = KeyedRead(
    select(ProductChannelRecord.product_id, *CHANNEL_COLUMNS)
    .join(ChannelRecord, ChannelRecord.id == ProductChannelRecord.channel_id)
    .where(ProductChannelRecord.product_id.in_(KEYS))
    .order_by(ProductChannelRecord.product_id, ChannelRecord.id)
)
