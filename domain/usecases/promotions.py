"""Use cases for promotions and their voucher codes (domain/model/promotions.py).

A promotion takes money off orders on every channel it names, so only an ADMIN creates,
changes or adds codes to one (staff read them). Targets are named as a client knows them
(products by id, categories and collections by slug, customer groups by code); one that
does not exist is NOT_FOUND at its place in the input (`categorySlugs.1`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from domain.access import Principal
from domain.commands.promotions import (
    CLEARABLE,
    AddVoucherCodes,
    CreatePromotion,
    UpdatePromotion,
    VoucherRequest,
)
from domain.errors import Duplicate, InvalidInput, NotFound
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.model.pricing import normalise_group_code
from domain.model.promotions import (
    Promotion,
    PromotionKind,
    VoucherCode,
    checked_amounts,
    checked_promotion,
    new_voucher,
    promotion_name,
)
from domain.money import currency_code
from domain.ports import UnitOfWork

T = TypeVar("T")
MAX_TARGETS = 500  # of each kind, per promotion
MAX_CODES = 500  # voucher codes per request


async def create_promotion(
    uow: UnitOfWork, principal: Principal, command: CreatePromotion, now: datetime
) -> Promotion:
    """A new promotion, active at once; with voucher codes it applies only to orders that
    name one of them."""
    principal.require_admin("create promotions")
    vouchers = _vouchers(command.voucher_codes, 0, "voucherCodes")
    draft = _checked(
        Promotion(
            name=promotion_name(command.name),
            kind=command.kind,
            value=command.value,
            channels=_unique_channels(command.channels),
            currency=_currency(command.currency),
            starts_at=command.starts_at,
            ends_at=command.ends_at,
            stackable=command.stackable,
            buy_quantity=command.buy_quantity,
            get_quantity=command.get_quantity,
            minimum_subtotal=command.minimum_subtotal,
            needs_voucher=bool(vouchers),
        )
    )
    async with uow:
        draft = await _with_targets(
            uow,
            draft,
            command.product_ids,
            command.category_slugs,
            command.collection_slugs,
            command.customer_group_codes,
        )
        await _require_free(uow, vouchers, "voucherCodes")
        promotion = await uow.promotions.add(draft, now)
        await uow.promotions.add_vouchers(
            [replace(voucher, promotion_id=id_of(promotion)) for voucher in vouchers],
            field="voucherCodes",
        )
        await uow.commit()
    return promotion


async def update_promotion(
    uow: UnitOfWork, principal: Principal, command: UpdatePromotion, now: datetime
) -> Promotion:
    """Change what is given of a promotion; lists given replace the old ones, and the
    values `cleared` names are removed. Its voucher codes stay (addVoucherCodes adds more)."""
    principal.require_admin("change promotions")
    unknown = command.cleared - CLEARABLE
    assert not unknown, f"a promotion cannot go without {sorted(unknown)}"
    name = None if command.name is None else promotion_name(command.name)
    currency = _currency(command.currency)
    async with uow:
        found = await uow.promotions.get(command.promotion_id)
        if found is None:
            raise NotFound.no_such("promotion", field="id")
        changed = replace(
            found,
            name=_or(name, found.name),
            kind=_or(command.kind, found.kind),
            value=_or(command.value, found.value),
            channels=(
                found.channels if command.channels is None else _unique_channels(command.channels)
            ),
            currency=_optional(command, "currency", currency, found.currency),
            starts_at=_optional(command, "starts_at", command.starts_at, found.starts_at),
            ends_at=_optional(command, "ends_at", command.ends_at, found.ends_at),
            stackable=_or(command.stackable, found.stackable),
            buy_quantity=_or(command.buy_quantity, found.buy_quantity),
            get_quantity=_or(command.get_quantity, found.get_quantity),
            minimum_subtotal=_optional(
                command, "minimum_subtotal", command.minimum_subtotal, found.minimum_subtotal
            ),
            active=_or(command.active, found.active),
        )
        changed = await _with_targets(
            uow,
            _checked(changed),
            command.product_ids,
            command.category_slugs,
            command.collection_slugs,
            command.customer_group_codes,
        )
        await uow.promotions.update(changed, now)
        await uow.commit()
    return changed


async def add_voucher_codes(
    uow: UnitOfWork, principal: Principal, command: AddVoucherCodes, now: datetime
) -> Promotion:
    """More codes for a promotion, which from then on applies only to orders naming one of
    its codes. A code any voucher has already (this promotion's or another's) is DUPLICATE."""
    principal.require_admin("add voucher codes")
    if not command.codes:
        raise InvalidInput("send at least one voucher code", field="codes")
    vouchers = _vouchers(command.codes, command.promotion_id, "codes")
    async with uow:
        promotion = await uow.promotions.get(command.promotion_id)
        if promotion is None:
            raise NotFound.no_such("promotion", field="promotionId")
        await _require_free(uow, vouchers, "codes")
        await uow.promotions.add_vouchers(vouchers, field="codes")
        if not promotion.needs_voucher:
            promotion = replace(promotion, needs_voucher=True)
            await uow.promotions.update(promotion, now)
        await uow.commit()
    return promotion


def _checked(promotion: Promotion) -> Promotion:
    """The promotion's rules (domain checked_promotion), its numbers as they are stored, and
    quantities only on the kind that has them."""
    if promotion.kind is not PromotionKind.BUY_X_GET_Y:
        promotion = replace(promotion, buy_quantity=None, get_quantity=None)
    return checked_amounts(checked_promotion(promotion))


async def _with_targets(
    uow: UnitOfWork,
    promotion: Promotion,
    product_ids: Sequence[int] | None,
    category_slugs: Sequence[str] | None,
    collection_slugs: Sequence[str] | None,
    group_codes: Sequence[str] | None,
) -> Promotion:
    """`promotion` with the targets named (None: those it has), each looked up."""
    if product_ids is not None:
        _at_most(product_ids, "productIds")
        known = await uow.promotions.known_products(product_ids)
        for index, key in enumerate(product_ids):
            if key not in known:
                raise NotFound.no_such("product", field=f"productIds.{index}")
        promotion = replace(promotion, product_ids=frozenset(product_ids))
    if category_slugs is not None:
        ids = await _named(
            category_slugs, "categorySlugs", "category", _slug, uow.promotions.category_ids
        )
        promotion = replace(promotion, category_ids=ids)
    if collection_slugs is not None:
        ids = await _named(
            collection_slugs, "collectionSlugs", "collection", _slug, uow.promotions.collection_ids
        )
        promotion = replace(promotion, collection_ids=ids)
    if group_codes is not None:
        ids = await _named(
            group_codes,
            "customerGroupCodes",
            "customer group",
            normalise_group_code,
            uow.promotions.customer_group_ids,
        )
        promotion = replace(promotion, customer_group_ids=ids)
    return promotion


async def _named(
    names: Sequence[str],
    field: str,
    kind: str,
    normalise: Callable[..., str],
    look_up: Callable[[Iterable[str]], Awaitable[dict[str, int]]],
) -> frozenset[int]:
    _at_most(names, field)
    keys = [normalise(name, field=f"{field}.{index}") for index, name in enumerate(names)]
    found = await look_up(keys)
    for index, key in enumerate(keys):
        if key not in found:
            raise NotFound.of(kind, key, field=f"{field}.{index}")
    return frozenset(found[key] for key in keys)


def _slug(slug: str, *, field: str) -> str:
    """A slug as categories and collections keep them: lower case (sent in any case)."""
    return slug.strip().lower()


def _vouchers(
    requests: Sequence[VoucherRequest], promotion_id: int, field: str
) -> list[VoucherCode]:
    if len(requests) > MAX_CODES:
        raise InvalidInput(f"at most {MAX_CODES} voucher codes at once", field=field)
    vouchers: list[VoucherCode] = []
    seen: set[str] = set()
    for index, request in enumerate(requests):
        voucher = new_voucher(
            request.code,
            promotion_id,
            request.usage_limit,
            request.per_customer_limit,
            field=f"{field}.{index}",
        )
        if voucher.code in seen:
            raise Duplicate(
                f"voucher code {voucher.code} is sent twice", field=f"{field}.{index}.code"
            )
        seen.add(voucher.code)
        vouchers.append(voucher)
    return vouchers


async def _require_free(uow: UnitOfWork, vouchers: Sequence[VoucherCode], field: str) -> None:
    taken = await uow.promotions.taken_codes(voucher.code for voucher in vouchers)
    for index, voucher in enumerate(vouchers):
        if voucher.code in taken:
            raise Duplicate(f"voucher code {voucher.code} exists", field=f"{field}.{index}.code")


def _unique_channels(channels: Iterable[ChannelCode]) -> tuple[ChannelCode, ...]:
    return tuple(dict.fromkeys(channels))


def _currency(currency: str | None) -> str | None:
    return None if currency is None else currency_code(currency, field="currency")


def _at_most(items: Sequence[object], field: str) -> None:
    if len(items) > MAX_TARGETS:
        raise InvalidInput(f"at most {MAX_TARGETS} targets of a kind", field=field)


def _or(given: T | None, kept: T) -> T:
    return kept if given is None else given


def _optional(command: UpdatePromotion, name: str, given: T | None, kept: T | None) -> T | None:
    """A value a promotion may go without: None when the command clears it, else as `_or`."""
    return None if name in command.cleared else _or(given, kept)
