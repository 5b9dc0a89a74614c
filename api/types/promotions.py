"""Promotions and their voucher codes as GraphQL types, and their DataLoaders.

Staff and admins read them (a promotion says what a shop is willing to give away, and
its codes are what customers type: nobody else lists them); only admins change them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import Row
from strawberry import relay

from api.types.catalog import Product
from api.types.categories import Category, category_after_key
from api.types.collections import Collection
from api.types.common import MembersByValue
from api.types.customer_groups import CustomerGroup
from api.types.nodes import load_nodes
from domain.model.locations import ChannelCode
from domain.model.promotions import PromotionKind
from persistence.reads import promotions as promotion_reads
from persistence.reads.promotions import promotion_value, stored_amount

strawberry.enum(
    PromotionKind,
    description="What a promotion takes off: PERCENTAGE off each targeted line, "
    "FIXED_AMOUNT off each targeted unit, BUY_X_GET_Y (for every buyQuantity units, "
    "getQuantity more at `value` per cent off, the cheapest first), ORDER_PERCENTAGE or "
    "ORDER_FIXED_AMOUNT off the whole order's goods.",
)
KINDS = MembersByValue(PromotionKind)
CHANNELS = MembersByValue(ChannelCode)


@strawberry.type(description="A code an order names to get its promotion.")
class VoucherCode:
    code: str = strawberry.field(description="The code, upper case (matched in any case).")
    usage_limit: int | None = strawberry.field(
        description="How many orders may use it in all; null: no limit."
    )
    per_customer_limit: int | None = strawberry.field(
        description="How many orders of one customer may use it; null: no limit."
    )
    used: int = strawberry.field(description="How many orders have used it.")

    @classmethod
    def from_row(cls, row: Row) -> VoucherCode:
        return cls(
            code=row.code,
            usage_limit=row.usage_limit,
            per_customer_limit=row.per_customer_limit,
            used=row.used,
        )


@strawberry.type(
    description="A rule that takes money off orders: a kind and a value, the channels and "
    "window it runs in, what it targets, and whether it stacks with others "
    "(docs/promotions.md). ADMIN and STAFF read promotions."
)
class Promotion(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What customers see on the discount, 1-200 chars.")
    kind: PromotionKind = strawberry.field(description="What it takes off.")
    value: Decimal = strawberry.field(
        description="Per cent off (0-100, two decimals) for PERCENTAGE, BUY_X_GET_Y (100: "
        "free) and ORDER_PERCENTAGE; an amount in `currency` for FIXED_AMOUNT (per unit) "
        "and ORDER_FIXED_AMOUNT."
    )
    currency: str | None = strawberry.field(
        description="Of a fixed value and of minimumSubtotal; when set, only orders in "
        "this currency get it."
    )
    starts_at: datetime | None = strawberry.field(
        description="When it starts to run (UTC); null: from its creation."
    )
    ends_at: datetime | None = strawberry.field(
        description="When it stops running (UTC, not included); null: never."
    )
    stackable: bool = strawberry.field(
        description="Whether it adds up with other stackable discounts; a non-stackable one "
        "only ever applies alone, when it takes more off than the stackable ones together."
    )
    buy_quantity: int | None = strawberry.field(
        description="BUY_X_GET_Y: units bought for each getQuantity discounted; else null."
    )
    get_quantity: int | None = strawberry.field(
        description="BUY_X_GET_Y: units discounted for each buyQuantity bought; else null."
    )
    minimum_subtotal: Decimal | None = strawberry.field(
        description="What the order's goods must come to, in `currency` (after line "
        "discounts for the order kinds, before any for the line kinds); null: no minimum."
    )
    needs_voucher: bool = strawberry.field(
        description="Whether only orders naming one of its voucher codes get it (it has "
        "codes); else it applies by itself."
    )
    active: bool = strawberry.field(description="Inactive promotions apply to no order.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Promotion:
        """`row`: promotion_reads.PROMOTION_COLUMNS, by position."""
        (
            key,
            name,
            kind,
            value,
            currency,
            starts_at,
            ends_at,
            stackable,
            buy_quantity,
            get_quantity,
            minimum_subtotal,
            needs_voucher,
            active,
            created_at,
            updated_at,
        ) = row
        return cls(
            id=key,
            name=name,
            kind=KINDS[kind],
            value=promotion_value(value, kind, currency),
            currency=currency,
            starts_at=starts_at,
            ends_at=ends_at,
            stackable=stackable,
            buy_quantity=buy_quantity,
            get_quantity=get_quantity,
            minimum_subtotal=stored_amount(minimum_subtotal, currency),
            needs_voucher=needs_voucher,
            active=active,
            created_at=created_at,
            updated_at=updated_at,
        )

    @strawberry.field(description="The channels it runs on.")
    async def channels(self, info: strawberry.Info) -> list[ChannelCode]:
        return await info.context.loaders.promotions.channels.load(self.id)

    @strawberry.field(
        description="Products whose lines its line kinds touch (with categories and "
        "collections; all three empty: every line)."
    )
    async def products(self, info: strawberry.Info) -> list[Product]:
        return await info.context.loaders.promotions.products.load(self.id)

    @strawberry.field(
        description="Categories whose products' lines it touches, with every category below them."
    )
    async def categories(self, info: strawberry.Info) -> list[Category]:
        return await info.context.loaders.promotions.categories.load(self.id)

    @strawberry.field(description="Collections whose products' lines it touches.")
    async def collections(self, info: strawberry.Info) -> list[Collection]:
        return await info.context.loaders.promotions.collections.load(self.id)

    @strawberry.field(
        description="The customer groups it is for; empty: every customer (and orders without one)."
    )
    async def customer_groups(self, info: strawberry.Info) -> list[CustomerGroup]:
        return await info.context.loaders.promotions.customer_groups.load(self.id)

    @strawberry.field(description="Its voucher codes, by code; empty for an automatic one.")
    async def voucher_codes(self, info: strawberry.Info) -> list[VoucherCode]:
        return await info.context.loaders.promotions.vouchers.load(self.id)

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loaders.promotions.promotion, node_ids)


def _channel(row: Row) -> ChannelCode:
    return CHANNELS[row.code]


def _after_key_product(row: Sequence[Any]) -> Product:
    return Product.from_row(row[1:])


def _after_key_collection(row: Sequence[Any]) -> Collection:
    return Collection.from_row(row[1:])


class PromotionLoaders:
    """Per-request DataLoaders of promotions; `loaders` is the request's
    api.loaders.Loaders. Only ADMIN and STAFF load any (for anyone else each loads
    nothing and costs no query), so a promotion's global id shows nothing to a customer."""

    def __init__(self, loaders: Any) -> None:
        allowed = loaders.principal.may_manage_catalog()

        def only_staff(fetch: Any) -> Any:
            return loaders.fetch_if(allowed, fetch)

        reads = promotion_reads
        self.promotion = loaders.by_id(only_staff(reads.promotions_by_ids), Promotion.from_row)
        self.channels = loaders.grouped(
            only_staff(reads.channels_by_promotion_ids), "promotion_id", _channel
        )
        self.products = loaders.grouped(
            only_staff(reads.products_by_promotion_ids), "promotion_id", _after_key_product
        )
        self.categories = loaders.grouped(
            only_staff(reads.categories_by_promotion_ids), "promotion_id", category_after_key
        )
        self.collections = loaders.grouped(
            only_staff(reads.collections_by_promotion_ids), "promotion_id", _after_key_collection
        )
        self.customer_groups = loaders.grouped(
            only_staff(reads.customer_groups_by_promotion_ids),
            "promotion_id",
            CustomerGroup.from_row,
        )
        self.vouchers = loaders.grouped(
            only_staff(reads.vouchers_by_promotion_ids), "promotion_id", VoucherCode.from_row
        )
