"""Commands on promotions and their voucher codes: what an admin asks, as plain frozen data.

Targets are named as a client knows them: products by id, categories and collections by
slug, customer groups by code; the use case looks them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.model.locations import ChannelCode
from domain.model.promotions import PromotionKind


@dataclass(frozen=True)
class VoucherRequest:
    """A new voucher code; no limit: as many uses as orders name it."""

    code: str
    usage_limit: int | None = None
    per_customer_limit: int | None = None


@dataclass(frozen=True)
class CreatePromotion:
    name: str
    kind: PromotionKind
    value: Decimal
    channels: tuple[ChannelCode, ...]
    currency: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    stackable: bool = False
    product_ids: tuple[int, ...] = ()
    category_slugs: tuple[str, ...] = ()
    collection_slugs: tuple[str, ...] = ()
    customer_group_codes: tuple[str, ...] = ()
    buy_quantity: int | None = None
    get_quantity: int | None = None
    minimum_subtotal: Decimal | None = None
    voucher_codes: tuple[VoucherRequest, ...] = ()


@dataclass(frozen=True)
class UpdatePromotion:
    """New values for a promotion; None keeps a value, a list given replaces the old one,
    and the optional values named in `cleared` (CLEARABLE) are removed."""

    promotion_id: int
    name: str | None = None
    kind: PromotionKind | None = None
    value: Decimal | None = None
    channels: tuple[ChannelCode, ...] | None = None
    currency: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    stackable: bool | None = None
    product_ids: tuple[int, ...] | None = None
    category_slugs: tuple[str, ...] | None = None
    collection_slugs: tuple[str, ...] | None = None
    customer_group_codes: tuple[str, ...] | None = None
    buy_quantity: int | None = None
    get_quantity: int | None = None
    minimum_subtotal: Decimal | None = None
    active: bool | None = None
    cleared: frozenset[str] = frozenset()


# The values of a promotion it may go without: its window's ends, currency and minimum.
CLEARABLE = frozenset({"starts_at", "ends_at", "currency", "minimum_subtotal"})


@dataclass(frozen=True)
class AddVoucherCodes:
    promotion_id: int
    codes: tuple[VoucherRequest, ...]
