"""Promotions and vouchers: what takes money off an order, and which discounts combine.

A promotion is a rule with a kind, a value, conditions and targets:

- PERCENTAGE: `value` per cent off each targeted line;
- FIXED_AMOUNT: `value` off each targeted unit (never below zero);
- BUY_X_GET_Y: for every `buy_quantity` targeted units bought, `get_quantity` more are
  `value` per cent off (100: free), the cheapest units of the order's targeted lines;
- ORDER_PERCENTAGE / ORDER_FIXED_AMOUNT: `value` per cent, or `value`, off the whole
  order's goods, spread over its lines in proportion to what each costs.

Targets (products, categories with their subcategories, collections) restrict the line
kinds to the lines they name; none means every line. Conditions: the channels it runs
on, a validity window, the customer groups it is for (none: everyone), the currency of a
FIXED_AMOUNT value, and `minimum_subtotal`, what the order's goods must come to (after
line discounts, for the order kinds; before any, for the line kinds).

A promotion applies by itself (automatic) unless it has voucher codes: then only an
order that names one of its codes gets it. A code may be used `usage_limit` times in all
and `per_customer_limit` times by one customer.

Which discounts stack is explicit, per promotion (`stackable`), and is decided line by
line, then once for the order kinds:

- every stackable discount that applies adds up (each reckoned on the undiscounted
  amount), capped at what the line (or the order) costs;
- a non-stackable discount never combines: the best one alone competes with the sum of
  the stackable ones, and the customer gets whichever takes more off.

Order discounts come after line discounts, on what the lines cost after them. Every
discount is recorded on each line it touches, with its source (promotion, voucher code).
Wholesale group prices are the price a line starts from: promotions for the WHOLESALE
channel apply on top of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import InvalidInput
from domain.model.codes import display_name, normalised_code
from domain.model.locations import ChannelCode
from domain.model.moments import utc_moment
from domain.money import CENT, Money

HUNDRED = Decimal(100)
VOUCHER_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]{2,63}")
MAX_PROMOTION_NAME = 200


class PromotionKind(StrEnum):
    PERCENTAGE = "PERCENTAGE"
    FIXED_AMOUNT = "FIXED_AMOUNT"
    BUY_X_GET_Y = "BUY_X_GET_Y"
    ORDER_PERCENTAGE = "ORDER_PERCENTAGE"
    ORDER_FIXED_AMOUNT = "ORDER_FIXED_AMOUNT"

    @property
    def on_order(self) -> bool:
        return self in (PromotionKind.ORDER_PERCENTAGE, PromotionKind.ORDER_FIXED_AMOUNT)

    @property
    def in_percent(self) -> bool:
        return self not in (PromotionKind.FIXED_AMOUNT, PromotionKind.ORDER_FIXED_AMOUNT)


class DiscountSource(StrEnum):
    PROMOTION = "PROMOTION"  # applied by itself
    VOUCHER = "VOUCHER"  # applied because the order named one of its codes
    MANUAL = "MANUAL"  # given by hand at a till (a POS line discount)


@dataclass(frozen=True)
class Promotion:
    name: str
    kind: PromotionKind
    value: Decimal
    channels: tuple[ChannelCode, ...]
    currency: str | None = None  # of a fixed value and of `minimum_subtotal`
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    stackable: bool = False
    product_ids: frozenset[int] = frozenset()
    category_ids: frozenset[int] = frozenset()
    collection_ids: frozenset[int] = frozenset()
    customer_group_ids: frozenset[int] = frozenset()
    buy_quantity: int | None = None
    get_quantity: int | None = None
    minimum_subtotal: Decimal | None = None
    needs_voucher: bool = False
    active: bool = True
    id: int | None = None

    def runs_for(
        self, channel: ChannelCode, now: datetime, currency: str, group_id: int | None
    ) -> str | None:
        """Why this promotion does not run for such an order; None when it does."""
        if not self.active:
            return "is not active"
        if channel not in self.channels:
            return f"does not run on channel {channel}"
        if self.starts_at is not None and now < self.starts_at:
            return "has not started yet"
        if self.ends_at is not None and now >= self.ends_at:
            return "has ended"
        if self.currency is not None and self.currency != currency:
            return f"is for orders in {self.currency}"
        if self.customer_group_ids and group_id not in self.customer_group_ids:
            return "is for other customer groups"
        return None

    def targets(self, line: PricingTarget) -> bool:
        """Whether a line kind of this promotion touches `line` (no targets: every line)."""
        if not (self.product_ids or self.category_ids or self.collection_ids):
            return True
        return (
            line.product_id in self.product_ids
            or not self.category_ids.isdisjoint(line.category_ids)
            or not self.collection_ids.isdisjoint(line.collection_ids)
        )


@dataclass(frozen=True, slots=True)
class PricingTarget:
    """What a promotion's targets are matched with: a line's product, every category it
    sits in (with their ancestors) and its collections."""

    product_id: int
    category_ids: frozenset[int] = frozenset()
    collection_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class VoucherCode:
    code: str
    promotion_id: int
    usage_limit: int | None = None
    per_customer_limit: int | None = None
    used: int = 0
    id: int | None = None


@dataclass(frozen=True, slots=True)
class LineDiscount:
    """Money taken off one line, and where it came from."""

    source: DiscountSource
    name: str
    amount: Money
    promotion_id: int | None = None
    code: str | None = None  # the voucher code, for a VOUCHER discount


@dataclass(frozen=True)
class Offer:
    """A promotion that applies to an order, and the code that brought it, if any."""

    promotion: Promotion
    code: str | None = None

    @property
    def source(self) -> DiscountSource:
        return DiscountSource.VOUCHER if self.code else DiscountSource.PROMOTION

    def discount(self, amount: Money) -> LineDiscount:
        return LineDiscount(self.source, self.promotion.name, amount, self.promotion.id, self.code)


@dataclass
class Candidate:
    """What one offer would take off each line (by line index)."""

    offer: Offer
    amounts: dict[int, Money] = field(default_factory=dict)


def percent_of(amount: Money, percent: Decimal) -> Money:
    return Money.rounded(amount.amount * percent / HUNDRED, amount.currency)


def line_candidate(
    offer: Offer,
    bases: Sequence[Money],
    units: Sequence[Money],
    quantities: Sequence[int],
    targeted: Sequence[bool],
) -> Candidate:
    """What a line kind of promotion takes off each targeted line; `bases` are the lines'
    undiscounted amounts, `units` their unit prices."""
    promotion = offer.promotion
    candidate = Candidate(offer)
    if promotion.kind is PromotionKind.BUY_X_GET_Y:
        for index, amount in _buy_x_get_y(promotion, units, quantities, targeted).items():
            candidate.amounts[index] = amount
        return candidate
    for index, base in enumerate(bases):
        if not targeted[index]:
            continue
        if promotion.kind is PromotionKind.PERCENTAGE:
            off = percent_of(base, promotion.value)
        else:
            off = Money.rounded(promotion.value * quantities[index], base.currency)
        candidate.amounts[index] = _at_most(off, base)
    return candidate


def _buy_x_get_y(
    promotion: Promotion,
    units: Sequence[Money],
    quantities: Sequence[int],
    targeted: Sequence[bool],
) -> dict[int, Money]:
    """For every buy+get targeted units, `get` of them at `value` per cent off, cheapest
    units first."""
    buy, get = promotion.buy_quantity or 1, promotion.get_quantity or 1
    lines = sorted(
        (index for index, hit in enumerate(targeted) if hit),
        key=lambda index: (units[index].amount, index),
    )
    free = sum(quantities[index] for index in lines) // (buy + get) * get
    amounts: dict[int, Money] = {}
    for index in lines:
        if free <= 0:
            break
        taken = min(free, quantities[index])
        free -= taken
        amounts[index] = percent_of(units[index].times(taken), promotion.value)
    return amounts


def _at_most(amount: Money, limit: Money) -> Money:
    return amount if amount.amount <= limit.amount else limit


def best_combination(
    candidates: Iterable[Candidate], limit: Money, index: int
) -> list[LineDiscount]:
    """The discounts one line gets: the stackable ones together, or the best non-stackable
    one alone, whichever takes more off; never more than `limit` in all."""
    stacked: list[LineDiscount] = []
    stacked_total = Money.zero(limit.currency)
    single: LineDiscount | None = None
    for candidate in sorted(
        candidates, key=lambda c: (c.offer.promotion.id or 0, c.offer.code or "")
    ):
        amount = candidate.amounts.get(index)
        if amount is None or amount.amount <= 0:
            continue
        if candidate.offer.promotion.stackable:
            amount = _at_most(amount, limit - stacked_total)
            if amount.amount > 0:
                stacked.append(candidate.offer.discount(amount))
                stacked_total = stacked_total + amount
        elif single is None or amount.amount > single.amount.amount:
            single = candidate.offer.discount(_at_most(amount, limit))
    if single is not None and single.amount.amount > stacked_total.amount:
        return [single]
    return stacked


def spread(amount: Money, weights: Sequence[Money]) -> list[Money]:
    """`amount` shared over lines in proportion to `weights`, in minor units, the units
    left by rounding down going to the largest remainders (ties: the earlier line)."""
    total = sum(weight.minor_units for weight in weights)
    units = amount.minor_units
    if total == 0:
        return [Money.zero(amount.currency) for _ in weights]
    exact = [units * weight.minor_units for weight in weights]
    shares = [part // total for part in exact]
    left = units - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] % total), i))
    for index in by_remainder[:left]:
        shares[index] += 1
    return [Money.from_minor_units(share, amount.currency) for share in shares]


def normalise_voucher_code(code: str, *, field: str = "code") -> str:
    """Voucher codes are matched in any case: 3-64 letters, digits, '_' or '-'."""
    return normalised_code(
        code,
        kind="voucher code",
        field=field,
        pattern=VOUCHER_PATTERN,
        rule="3-64 letters, digits, '_' or '-'",
    )


def promotion_name(name: str, *, field: str = "name") -> str:
    return display_name(name, kind="a promotion", limit=MAX_PROMOTION_NAME, field=field)


def checked_promotion(promotion: Promotion) -> Promotion:
    """A promotion whose value, quantities and window make sense for its kind."""
    value = promotion.value
    if not value.is_finite() or value <= 0:
        raise InvalidInput("a promotion's value is above zero", field="value")
    if promotion.kind.in_percent and value > HUNDRED:
        raise InvalidInput("a percentage is at most 100", field="value")
    if not promotion.kind.in_percent and promotion.currency is None:
        raise InvalidInput("a fixed amount needs its currency", field="currency")
    if promotion.minimum_subtotal is not None and promotion.currency is None:
        raise InvalidInput("a minimum subtotal needs its currency", field="currency")
    if promotion.kind is PromotionKind.BUY_X_GET_Y:
        for name, quantity in (
            ("buyQuantity", promotion.buy_quantity),
            ("getQuantity", promotion.get_quantity),
        ):
            if quantity is None or not 1 <= quantity <= 1000:
                raise InvalidInput("BUY_X_GET_Y needs 1-1000 units to buy and to get", field=name)
    if not promotion.channels:
        raise InvalidInput("a promotion runs on at least one channel", field="channels")
    if promotion.starts_at and promotion.ends_at and promotion.ends_at <= promotion.starts_at:
        raise InvalidInput("a promotion ends after it starts", field="endsAt")
    return promotion


MAX_VOUCHER_USES = 1_000_000


def checked_amounts(promotion: Promotion) -> Promotion:
    """A promotion (already `checked_promotion`) whose numbers fit what is stored: a
    percentage to two decimals, an amount to its currency's minor unit, times with a UTC
    offset; each is returned as stored (a percentage to two places, an amount to its
    currency's, times in UTC)."""
    value = promotion.value
    if promotion.kind.in_percent:
        if value != value.quantize(CENT):
            raise InvalidInput(f"percentage {value} has more than two decimals", field="value")
        value = value.quantize(CENT)
    else:
        value = Money.of(value, promotion.currency or "", field="value").amount
    minimum = promotion.minimum_subtotal
    if minimum is not None:
        minimum = Money.of(minimum, promotion.currency or "", field="minimumSubtotal").amount
    return replace(
        promotion,
        value=value,
        minimum_subtotal=minimum,
        starts_at=_utc(promotion.starts_at, "startsAt"),
        ends_at=_utc(promotion.ends_at, "endsAt"),
    )


def _utc(moment: datetime | None, field: str) -> datetime | None:
    return None if moment is None else utc_moment(moment, field)


def new_voucher(
    code: str,
    promotion_id: int,
    usage_limit: int | None,
    per_customer_limit: int | None,
    *,
    field: str,
) -> VoucherCode:
    """A new code of a promotion: its code normalised, each limit 1-1,000,000 uses (or
    none); `field` is the input path of the entry (`voucherCodes.0`)."""
    for name, limit in (("usageLimit", usage_limit), ("perCustomerLimit", per_customer_limit)):
        if limit is not None and not 1 <= limit <= MAX_VOUCHER_USES:
            raise InvalidInput(
                f"a voucher's {name} is 1-{MAX_VOUCHER_USES:,} uses, or null for no limit",
                field=f"{field}.{name}",
            )
    return VoucherCode(
        code=normalise_voucher_code(code, field=f"{field}.code"),
        promotion_id=promotion_id,
        usage_limit=usage_limit,
        per_customer_limit=per_customer_limit,
    )
