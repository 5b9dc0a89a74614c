"""Where a product is sold: it is published on some sales channels (on every one unless
told otherwise), and an order on a channel may hold only products published there."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from domain.errors import InvalidInput, NotPublished
from domain.model.locations import ChannelCode

EVERY_CHANNEL = tuple(ChannelCode)  # where a new product is published


def published_channels(channels: Iterable[ChannelCode]) -> tuple[ChannelCode, ...]:
    """The channels a product is to be published on, each once, in ChannelCode order."""
    given = list(channels)
    if len(set(given)) != len(given):
        raise InvalidInput("each channel may be given once", field="channelCodes")
    return tuple(channel for channel in ChannelCode if channel in given)


def require_published(skus: Sequence[str], unpublished: set[str], channel: ChannelCode) -> None:
    """NotPublished at the first line whose SKU's product is not published on `channel`."""
    for index, sku in enumerate(skus):
        if sku in unpublished:
            raise NotPublished(
                f"SKU {sku} is not sold on {channel.value}: its product is not published there",
                field=f"lines.{index}.sku",
            )
