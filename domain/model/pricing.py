"""Wholesale terms: customer groups, their price lists, and what a group pays per line.

A customer may belong to one group (TRADE, RESELLER…). For that customer, on a WHOLESALE
order, a SKU costs the group's explicit price for it, else the list price less the
group's discount (rounded half-up to its currency's minor unit), else the list price; and
a line of it needs at least the entry's minimum quantity, else the group's minimum per line.
Every other channel sells at list price, whoever buys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import BelowMinimumQuantity, InvalidInput
from domain.model.catalog import Variant
from domain.model.identity import id_of
from domain.money import CENT, Money

GROUP_CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")
MAX_GROUP_NAME = 200
HUNDRED = Decimal(100)
MAX_MINIMUM_QUANTITY = 1_000_000


@dataclass(frozen=True, slots=True)
class GroupPrice:
    """A group's own price for one variant and, optionally, its own minimum per line."""

    variant_id: int
    sku: str
    price: Money
    minimum_quantity: int | None = None


@dataclass
class CustomerGroup:
    code: str
    name: str
    discount_percent: Decimal | None = None
    minimum_line_quantity: int = 1
    prices: dict[int, GroupPrice] = field(default_factory=dict)  # by variant id
    id: int | None = None

    def unit_price(self, variant: Variant) -> Money:
        """The explicit price, else the discounted list price, else the list price."""
        entry = self.prices.get(id_of(variant))
        if entry is not None:
            return entry.price
        if self.discount_percent:
            return discounted(variant.price, self.discount_percent)
        return variant.price

    def minimum_quantity(self, variant: Variant) -> int:
        entry = self.prices.get(id_of(variant))
        if entry is not None and entry.minimum_quantity is not None:
            return entry.minimum_quantity
        return self.minimum_line_quantity

    def price_line(self, variant: Variant, quantity: int, *, field: str) -> Money:
        """The unit price of a line of `quantity` units; refused below its minimum.

        `field` is the line's input path (`lines.2`). An explicit price kept in another
        currency than the variant's list price (which changed since) is refused too.
        """
        minimum = self.minimum_quantity(variant)
        if quantity < minimum:
            raise BelowMinimumQuantity(
                variant.sku, self.code, minimum, quantity, field=f"{field}.quantity"
            )
        price = self.unit_price(variant)
        if price.currency != variant.price.currency:
            raise InvalidInput(
                f"SKU {variant.sku}: group {self.code} prices it in {price.currency}, its list "
                f"price is in {variant.price.currency}; set the group's price again",
                field=f"{field}.sku",
            )
        return price


def discounted(price: Money, percent: Decimal) -> Money:
    """`price` less `percent` per cent, rounded half-up to the currency's minor unit."""
    return Money.rounded(
        price.amount * (HUNDRED - percent) / HUNDRED, price.currency, ROUND_HALF_UP
    )


def normalise_group_code(code: str, *, field: str = "code") -> str:
    """Group codes are upper case letters, digits, '_' and '-', at most 32 characters."""
    candidate = code.strip().upper()
    if not GROUP_CODE_PATTERN.fullmatch(candidate):
        raise InvalidInput(
            f"group code {code!r} must be 1-32 letters, digits, '_' or '-'", field=field
        )
    return candidate


def discount_percent(value: Decimal | None, *, field: str = "discountPercent") -> Decimal | None:
    """A discount from 0 to 100 per cent, to at most two decimals; None for no discount."""
    if value is None:
        return None
    try:
        percent = Decimal(value)
        exact = percent == percent.quantize(CENT)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise InvalidInput(f"{value!r} is not a percentage", field=field) from error
    if not percent.is_finite() or not 0 <= percent <= HUNDRED:
        raise InvalidInput(f"a discount is 0-100 per cent, got {value}", field=field)
    if not exact:
        raise InvalidInput(f"discount {value} has more than two decimals", field=field)
    return percent.quantize(CENT) + 0


def minimum_quantity(value: int, *, field: str) -> int:
    if not 1 <= value <= MAX_MINIMUM_QUANTITY:
        raise InvalidInput(
            f"a minimum quantity is 1-{MAX_MINIMUM_QUANTITY:,}, got {value}", field=field
        )
    return value


def new_customer_group(
    code: str, name: str, discount: Decimal | None, minimum_line_quantity: int
) -> CustomerGroup:
    name = name.strip()
    if not name or len(name) > MAX_GROUP_NAME:
        raise InvalidInput(f"a group's name is 1-{MAX_GROUP_NAME} characters", field="name")
    return CustomerGroup(
        code=normalise_group_code(code),
        name=name,
        discount_percent=discount_percent(discount),
        minimum_line_quantity=minimum_quantity(minimum_line_quantity, field="minimumLineQuantity"),
    )


def group_price(variant: Variant, price: Decimal, minimum: int | None, *, field: str) -> GroupPrice:
    """An entry of a group's price list, in the variant's own currency."""
    return GroupPrice(
        variant_id=id_of(variant),
        sku=variant.sku,
        price=Money.of(price, variant.price.currency, field=f"{field}.price"),
        minimum_quantity=(
            None if minimum is None else minimum_quantity(minimum, field=f"{field}.minimumQuantity")
        ),
    )
