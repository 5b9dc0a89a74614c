"""What an order costs: the one calculation placeOrder and priceOrder share.

In order: each line starts from its unit price (list price, or the customer group's on
WHOLESALE) times its quantity; a hand-given discount (a POS line's) comes off first; line
promotions next, then order promotions (domain/model/promotions.py says which stack);
then each line is split into net, tax and gross at the rate for its tax class where the
goods are taxed (domain/model/taxes.py), rounded per line; last the shipping charge of
the chosen method, on what the goods cost after discounts, taxed like goods of the
method's tax class. The order's total is its lines' gross plus the shipping's gross.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain.model.locations import ChannelCode
from domain.model.promotions import (
    Candidate,
    DiscountSource,
    LineDiscount,
    Offer,
    PricingTarget,
    best_combination,
    line_candidate,
    percent_of,
    spread,
)
from domain.model.shipping import ShippingMethod
from domain.model.taxes import TaxPlace, TaxRate, applicable_rate, plain_percent, split
from domain.money import Money


@dataclass(frozen=True, slots=True)
class LineToPrice:
    sku: str
    quantity: int
    unit_price: Money
    target: PricingTarget
    tax_class: str | None = None
    weight_grams: int | None = None
    manual_discount: Money | None = None  # taken off by hand at a till, for the line


@dataclass(frozen=True, slots=True)
class TaxedAmount:
    """An amount split at one rate: a line after its discounts, or the shipping charge."""

    net: Money
    tax: Money
    tax_name: str
    tax_percent: Decimal

    @property
    def gross(self) -> Money:
        return self.net + self.tax


@dataclass(frozen=True, slots=True)
class PricedLine:
    discounts: tuple[LineDiscount, ...]
    amounts: TaxedAmount


@dataclass(frozen=True, slots=True)
class ShippingCharge:
    method_code: str
    method_name: str
    amounts: TaxedAmount


@dataclass(frozen=True, slots=True)
class TaxSummaryLine:
    """What one rate comes to over an order: the net it taxes and the tax."""

    name: str
    percent: Decimal
    net: Money
    tax: Money


@dataclass(frozen=True)
class PricingTerms:
    channel: ChannelCode
    currency: str
    now: datetime
    prices_include_tax: bool = True
    tax_rates: tuple[TaxRate, ...] = ()
    tax_place: TaxPlace | None = None
    customer_group_id: int | None = None
    offers: tuple[Offer, ...] = ()
    shipping_method: ShippingMethod | None = None


@dataclass(frozen=True)
class PricedOrder:
    lines: tuple[PricedLine, ...]
    shipping: ShippingCharge | None
    used_offers: frozenset[tuple[int | None, str | None]] = field(default_factory=frozenset)

    def used(self, offer: Offer) -> bool:
        return (offer.promotion.id, offer.code) in self.used_offers


def price(lines: Sequence[LineToPrice], terms: PricingTerms) -> PricedOrder:
    """Each line's discounts, net, tax and gross, and the shipping charge (module docstring);
    `used_offers` names the promotions (and codes) that took something off."""
    currency = terms.currency
    bases = [line.unit_price.times(line.quantity) for line in lines]
    manual = [_manual(line, base) for line, base in zip(lines, bases, strict=True)]
    after_manual = [base - _sum(found, currency) for base, found in zip(bases, manual, strict=True)]
    offers = [
        offer
        for offer in terms.offers
        if offer.promotion.runs_for(terms.channel, terms.now, currency, terms.customer_group_id)
        is None
    ]
    line_discounts = _line_discounts(lines, after_manual, offers, currency)
    after_lines = [
        amount - _sum(found, currency)
        for amount, found in zip(after_manual, line_discounts, strict=True)
    ]
    order_discounts = _order_discounts(after_lines, offers, currency)
    discounts = [
        tuple(manual[i] + line_discounts[i] + order_discounts[i]) for i in range(len(lines))
    ]
    priced = tuple(
        PricedLine(
            discounts[i],
            _taxed(after_lines[i] - _sum(order_discounts[i], currency), line.tax_class, terms),
        )
        for i, line in enumerate(lines)
    )
    goods = Money.total(
        (bases[i] - _sum(discounts[i], currency) for i in range(len(lines))), currency
    )
    used = frozenset(
        (discount.promotion_id, discount.code)
        for found in discounts
        for discount in found
        if discount.source is not DiscountSource.MANUAL
    )
    return PricedOrder(priced, _shipping(lines, goods, terms), used)


def _manual(line: LineToPrice, base: Money) -> list[LineDiscount]:
    if line.manual_discount is None or line.manual_discount.amount <= 0:
        return []
    amount = line.manual_discount if line.manual_discount.amount <= base.amount else base
    return [LineDiscount(DiscountSource.MANUAL, "Discount at the till", amount)]


def _line_discounts(
    lines: Sequence[LineToPrice], amounts: list[Money], offers: Iterable[Offer], currency: str
) -> list[list[LineDiscount]]:
    subtotal = Money.total(amounts, currency)
    units = [line.unit_price for line in lines]
    quantities = [line.quantity for line in lines]
    candidates = [
        line_candidate(
            offer,
            amounts,
            units,
            quantities,
            [offer.promotion.targets(line.target) for line in lines],
        )
        for offer in offers
        if not offer.promotion.kind.on_order and _reaches_minimum(offer, subtotal)
    ]
    return [best_combination(candidates, amount, i) for i, amount in enumerate(amounts)]


def _order_discounts(
    amounts: list[Money], offers: Iterable[Offer], currency: str
) -> list[list[LineDiscount]]:
    subtotal = Money.total(amounts, currency)
    whole = [
        _whole_order_candidate(offer, subtotal)
        for offer in offers
        if offer.promotion.kind.on_order and _reaches_minimum(offer, subtotal)
    ]
    # The order is weighed as one line (key 0): the same stacking rule picks its discounts.
    chosen = best_combination(whole, subtotal, 0)
    per_line: list[list[LineDiscount]] = [[] for _ in amounts]
    for discount in chosen:
        for index, share in enumerate(spread(discount.amount, amounts)):
            if share.amount > 0:
                per_line[index].append(
                    LineDiscount(
                        discount.source, discount.name, share, discount.promotion_id, discount.code
                    )
                )
    return per_line


def _whole_order_candidate(offer: Offer, subtotal: Money) -> Candidate:
    promotion = offer.promotion
    if promotion.kind.in_percent:
        amount = percent_of(subtotal, promotion.value)
    else:
        amount = Money.rounded(promotion.value, subtotal.currency)
    return Candidate(offer, {0: amount})


def _reaches_minimum(offer: Offer, subtotal: Money) -> bool:
    minimum = offer.promotion.minimum_subtotal
    return minimum is None or subtotal.amount >= minimum


def _taxed(amount: Money, tax_class: str | None, terms: PricingTerms) -> TaxedAmount:
    rate = applicable_rate(terms.tax_rates, terms.tax_place, tax_class)
    parts = split(amount, rate, prices_include_tax=terms.prices_include_tax)
    return TaxedAmount(parts.net, parts.tax, rate.name, plain_percent(rate.percent))


def _shipping(
    lines: Sequence[LineToPrice], goods: Money, terms: PricingTerms
) -> ShippingCharge | None:
    method = terms.shipping_method
    if method is None:
        return None
    weight = sum((line.weight_grams or 0) * line.quantity for line in lines)
    charge = method.charge(goods, weight)
    return ShippingCharge(method.code, method.name, _taxed(charge, method.tax_class, terms))


def _sum(discounts: Iterable[LineDiscount], currency: str) -> Money:
    return Money.total((discount.amount for discount in discounts), currency)


def tax_summary(amounts: Iterable[TaxedAmount], currency: str) -> list[TaxSummaryLine]:
    """One line per rate (name and percent) the order's lines and shipping were taxed at,
    highest rate first; untaxed amounts are left out."""
    totals: dict[tuple[str, Decimal], tuple[Money, Money]] = {}
    for amount in amounts:
        if amount.tax_percent == 0:
            continue
        key = (amount.tax_name, amount.tax_percent)
        net, tax = totals.get(key, (Money.zero(currency), Money.zero(currency)))
        totals[key] = (net + amount.net, tax + amount.tax)
    return [
        TaxSummaryLine(name, percent, net, tax)
        for (name, percent), (net, tax) in sorted(
            totals.items(), key=lambda item: (-item[0][1], item[0][0])
        )
    ]
