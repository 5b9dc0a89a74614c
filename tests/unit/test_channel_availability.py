"""Where a product is sold: the channels it is published on, and orders on a channel."""

import pytest

from domain.errors import InvalidInput, NotPublished
from domain.model.channel_availability import (
    EVERY_CHANNEL,
    published_channels,
    require_published,
)
from domain.model.locations import ChannelCode


def test_a_new_product_is_published_on_every_channel():
    assert set(EVERY_CHANNEL) == set(ChannelCode)


def test_channels_are_kept_in_their_own_order():
    given = [ChannelCode.WHOLESALE, ChannelCode.WEB]
    assert published_channels(given) == (ChannelCode.WEB, ChannelCode.WHOLESALE)


def test_a_channel_given_twice_is_refused():
    with pytest.raises(InvalidInput) as refused:
        published_channels([ChannelCode.POS, ChannelCode.POS])
    assert refused.value.field == "channelCodes"


def test_no_channel_withdraws_a_product_from_every_one():
    assert published_channels([]) == ()


def test_an_order_may_not_hold_a_product_unpublished_on_its_channel():
    with pytest.raises(NotPublished) as refused:
        require_published(["TEE-S", "MUG"], {"MUG"}, ChannelCode.WEB)
    assert refused.value.field == "lines.1.sku"
    assert "MUG is not sold on WEB" in refused.value.message


def test_an_order_of_published_products_passes():
    require_published(["TEE-S", "MUG"], set(), ChannelCode.WEB)
