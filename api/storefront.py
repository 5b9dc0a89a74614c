"""Which products a caller sees: those published on the caller's sales channel.

Who manages the catalog (ADMIN, STAFF) sees every product. A POS terminal sells what is
published on POS. Anyone else (anonymous callers, customers) sees the products published
on the channel it names: a field's `channel` argument where there is one, else the
`X-Channel` request header, else WEB. An unknown channel is a BAD_REQUEST error. A product
the caller may not see is simply absent: null by id, missing from every list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import strawberry

from api.errors import RequestError
from domain.access import Role
from domain.model.locations import ChannelCode

CHANNEL_HEADER = "x-channel"
STOREFRONT_CHANNEL = ChannelCode.WEB  # the channel of a caller that names none

T = TypeVar("T")


def header_channel(info: strawberry.Info) -> ChannelCode | None:
    """The channel the request's X-Channel header names (any case), if it has one."""
    headers = getattr(info.context.request, "headers", None)
    sent = None if headers is None else headers.get(CHANNEL_HEADER)
    if sent is None:
        return None
    try:
        return ChannelCode(sent.strip().upper())
    except ValueError:
        known = ", ".join(code.value for code in ChannelCode)
        raise RequestError(f"X-Channel: {sent!r} is not a channel ({known})") from None


def catalog_channel(info: strawberry.Info, channel: ChannelCode | None = None) -> str | None:
    """The code of the channel whose products the caller sees; None: every product."""
    principal = info.context.principal
    if principal.may_manage_catalog():
        return None
    if principal.role is Role.POS:
        return ChannelCode.POS.value
    return (channel or header_channel(info) or STOREFRONT_CHANNEL).value


async def visible(
    info: strawberry.Info, found: Sequence[T | None], product_id: Any
) -> list[T | None]:
    """`found` (products or variants), with None for those whose product (its id:
    `product_id(item)`) the caller may not see."""
    channel = catalog_channel(info)
    if channel is None:
        return list(found)
    keys = [product_id(item) for item in found if item is not None]
    channels = await info.context.loaders.channels_by_product.load_many(keys)
    seen = {
        key
        for key, published in zip(keys, channels, strict=True)
        if any(each.code.value == channel for each in published)
    }
    return [item if item is not None and product_id(item) in seen else None for item in found]
