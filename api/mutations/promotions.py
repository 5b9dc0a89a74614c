"""Mutations on promotions and their voucher codes (ADMIN: a promotion gives money away on
every order it reaches)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypeVar

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.nodes import forget
from api.types.promotions import Promotion as PromotionType
from domain.commands.promotions import (
    AddVoucherCodes,
    CreatePromotion,
    UpdatePromotion,
    VoucherRequest,
)
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.model.promotions import Promotion, PromotionKind
from domain.usecases import promotions

T = TypeVar("T")
TARGETS = (
    "Products, categories (with everything below them) and collections are the lines its "
    "line kinds touch; none of the three: every line."
)


@strawberry.type(description="Result of a mutation on a promotion.")
class PromotionPayload:
    promotion: PromotionType | None = strawberry.field(
        default=None, description="The promotion, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A voucher code for a promotion.")
class VoucherCodeInput:
    code: str = strawberry.field(
        description="3-64 letters, digits, '_' or '-', unique among every promotion's codes; "
        "sent in any case, kept upper case."
    )
    usage_limit: int | None = strawberry.field(
        default=None, description="How many orders may use it in all (1-1,000,000); null: any."
    )
    per_customer_limit: int | None = strawberry.field(
        default=None,
        description="How many orders of one customer may use it (1-1,000,000); null: any. "
        "Orders without a customer cannot use a code with this limit.",
    )


@strawberry.input(description="A new promotion, active at once.")
class CreatePromotionInput:
    name: str = strawberry.field(description="What customers see on the discount, 1-200 chars.")
    kind: PromotionKind = strawberry.field(description="What it takes off.")
    value: Decimal = strawberry.field(
        description='Above zero, sent as a string ("12.5"): per cent off (at most 100, two '
        "decimals) for the percentage kinds and BUY_X_GET_Y, an amount in `currency` for "
        "the fixed kinds."
    )
    channels: list[ChannelCode] = strawberry.field(description="The channels it runs on, 1+.")
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217; needed by the fixed kinds and by minimumSubtotal. When set, "
        "only orders in this currency get it.",
    )
    starts_at: datetime | None = strawberry.field(
        default=None, description="When it starts (with a UTC offset); null: now."
    )
    ends_at: datetime | None = strawberry.field(
        default=None, description="When it ends, after startsAt; null: never."
    )
    stackable: bool = strawberry.field(
        default=False, description="Whether it adds up with other stackable discounts."
    )
    product_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description=f"Products it targets. {TARGETS}"
    )
    category_slugs: list[str] = strawberry.field(
        default_factory=list, description="Categories it targets, by slug."
    )
    collection_slugs: list[str] = strawberry.field(
        default_factory=list, description="Collections it targets, by slug."
    )
    customer_group_codes: list[str] = strawberry.field(
        default_factory=list,
        description="The customer groups it is for, by code; empty: every customer.",
    )
    buy_quantity: int | None = strawberry.field(
        default=None, description="BUY_X_GET_Y: units bought (1-1000); ignored by other kinds."
    )
    get_quantity: int | None = strawberry.field(
        default=None,
        description="BUY_X_GET_Y: units then discounted (1-1000); ignored by other kinds.",
    )
    minimum_subtotal: Decimal | None = strawberry.field(
        default=None, description="What the order's goods must come to, in `currency`."
    )
    voucher_codes: list[VoucherCodeInput] = strawberry.field(
        default_factory=list,
        description="Its codes (at most 500); with any, only orders naming one get it.",
    )


@strawberry.input(
    description="New values for a promotion: a field left out or null keeps its value (but "
    "null removes currency, startsAt, endsAt and minimumSubtotal), a list given replaces the "
    "old one (an empty list clears targets). Voucher codes are added by addVoucherCodes."
)
class UpdatePromotionInput:
    id: strawberry.ID = strawberry.field(description="The promotion.")
    name: str | None = strawberry.field(default=None, description="New name.")
    kind: PromotionKind | None = strawberry.field(default=None, description="New kind.")
    value: Decimal | None = strawberry.field(default=None, description="New value.")
    channels: list[ChannelCode] | None = strawberry.field(
        default=None, description="The channels it runs on, replacing the others."
    )
    currency: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="New currency; left out: unchanged; null: none (not for the fixed kinds "
        "nor with a minimumSubtotal).",
    )
    starts_at: datetime | None = strawberry.field(
        default=strawberry.UNSET,
        description="New start; left out: unchanged; null: it runs from now.",
    )
    ends_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="New end; left out: unchanged; null: never."
    )
    stackable: bool | None = strawberry.field(default=None, description="Stacks or not.")
    product_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Products it targets, replacing the others."
    )
    category_slugs: list[str] | None = strawberry.field(
        default=None, description="Categories it targets, replacing the others."
    )
    collection_slugs: list[str] | None = strawberry.field(
        default=None, description="Collections it targets, replacing the others."
    )
    customer_group_codes: list[str] | None = strawberry.field(
        default=None, description="Customer groups it is for, replacing the others."
    )
    buy_quantity: int | None = strawberry.field(default=None, description="BUY_X_GET_Y.")
    get_quantity: int | None = strawberry.field(default=None, description="BUY_X_GET_Y.")
    minimum_subtotal: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="New minimum subtotal; left out: unchanged; null: no minimum.",
    )
    active: bool | None = strawberry.field(
        default=None, description="False stops it applying to any order; true resumes it."
    )


@strawberry.input(description="More voucher codes for a promotion.")
class AddVoucherCodesInput:
    promotion_id: strawberry.ID = strawberry.field(description="The promotion.")
    codes: list[VoucherCodeInput] = strawberry.field(
        description="1-500 new codes; from then on only orders naming one get the promotion."
    )


def _vouchers(codes: list[VoucherCodeInput]) -> tuple[VoucherRequest, ...]:
    return tuple(
        VoucherRequest(code.code, code.usage_limit, code.per_customer_limit) for code in codes
    )


def _products(ids: list[strawberry.ID]) -> tuple[int, ...]:
    return tuple(key_of(key, "Product", f"productIds.{index}") for index, key in enumerate(ids))


def _maybe(items: list[T] | None) -> tuple[T, ...] | None:
    return None if items is None else tuple(items)


def _given(value: T | None) -> T | None:
    """A value sent, or None for one left out (UNSET)."""
    return None if value is strawberry.UNSET else value


def _cleared(input: UpdatePromotionInput) -> frozenset[str]:
    """The optional values sent as null: the promotion goes without them."""
    sent = {
        "currency": input.currency,
        "starts_at": input.starts_at,
        "ends_at": input.ends_at,
        "minimum_subtotal": input.minimum_subtotal,
    }
    return frozenset(name for name, value in sent.items() if value is None)


async def _show(context: Context, promotion: Promotion) -> PromotionPayload:
    loaders = context.loaders.promotions
    key = id_of(promotion)
    for loader in (
        loaders.channels,
        loaders.products,
        loaders.categories,
        loaders.collections,
        loaders.customer_groups,
        loaders.vouchers,
    ):
        forget(loader, key)
    return PromotionPayload(promotion=await reload(loaders.promotion, key))


@strawberry.type
class PromotionMutations:
    @strawberry.mutation(description="Create a promotion (ADMIN).")
    async def create_promotion(
        self, info: strawberry.Info, input: CreatePromotionInput
    ) -> PromotionPayload:
        return await run_mutation(
            info,
            PromotionPayload,
            promotions.create_promotion,
            lambda: CreatePromotion(
                name=input.name,
                kind=input.kind,
                value=input.value,
                channels=tuple(input.channels),
                currency=input.currency,
                starts_at=input.starts_at,
                ends_at=input.ends_at,
                stackable=input.stackable,
                product_ids=_products(input.product_ids),
                category_slugs=tuple(input.category_slugs),
                collection_slugs=tuple(input.collection_slugs),
                customer_group_codes=tuple(input.customer_group_codes),
                buy_quantity=input.buy_quantity,
                get_quantity=input.get_quantity,
                minimum_subtotal=input.minimum_subtotal,
                voucher_codes=_vouchers(input.voucher_codes),
            ),
            _show,
        )

    @strawberry.mutation(description="Change a promotion, or stop or resume it (ADMIN).")
    async def update_promotion(
        self, info: strawberry.Info, input: UpdatePromotionInput
    ) -> PromotionPayload:
        return await run_mutation(
            info,
            PromotionPayload,
            promotions.update_promotion,
            lambda: UpdatePromotion(
                promotion_id=key_of(input.id, "Promotion"),
                name=input.name,
                kind=input.kind,
                value=input.value,
                channels=_maybe(input.channels),
                currency=_given(input.currency),
                starts_at=_given(input.starts_at),
                ends_at=_given(input.ends_at),
                stackable=input.stackable,
                product_ids=None if input.product_ids is None else _products(input.product_ids),
                category_slugs=_maybe(input.category_slugs),
                collection_slugs=_maybe(input.collection_slugs),
                customer_group_codes=_maybe(input.customer_group_codes),
                buy_quantity=input.buy_quantity,
                get_quantity=input.get_quantity,
                minimum_subtotal=_given(input.minimum_subtotal),
                active=input.active,
                cleared=_cleared(input),
            ),
            _show,
        )

    @strawberry.mutation(
        description="Add voucher codes to a promotion, which then applies only to orders "
        "naming one of its codes (ADMIN). A code that exists already is DUPLICATE."
    )
    async def add_voucher_codes(
        self, info: strawberry.Info, input: AddVoucherCodesInput
    ) -> PromotionPayload:
        return await run_mutation(
            info,
            PromotionPayload,
            promotions.add_voucher_codes,
            lambda: AddVoucherCodes(
                key_of(input.promotion_id, "Promotion", "promotionId"),
                _vouchers(input.codes),
            ),
            _show,
        )
