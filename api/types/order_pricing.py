"""How an order's price is made up: discounts per line with their source, the tax rate a
line or the shipping was taxed at, the shipping charge, and the tax summary per rate
(domain/model/order_pricing.py computes them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import strawberry

from api.types.common import Money
from domain.model.order_pricing import TaxedAmount, tax_summary
from domain.model.promotions import DiscountSource
from domain.money import Money as DomainMoney

strawberry.enum(
    DiscountSource,
    description="Where a discount came from: a promotion applied by itself, a voucher code "
    "the order named, or a clerk at a till.",
)


@strawberry.type(description="Money taken off one order line, and where it came from.")
class OrderLineDiscount:
    source: DiscountSource = strawberry.field(
        description="PROMOTION (applied by itself), VOUCHER (a code the order named) or "
        "MANUAL (given at a till)."
    )
    name: str = strawberry.field(description="The promotion's name, as it was.")
    code: str | None = strawberry.field(description="The voucher code, for a VOUCHER discount.")
    amount: Money = strawberry.field(description="What it took off the line.")

    @classmethod
    def from_json(cls, item: dict[str, Any], currency: str) -> OrderLineDiscount:
        """From an order line's `discounts` column (persistence/mappers.py)."""
        return cls(
            source=DiscountSource(item["source"]),
            name=item["name"],
            code=item.get("code"),
            amount=Money.from_cents(item["amount"], currency),
        )


@strawberry.type(description="The tax rate an amount was taxed at.")
class AppliedTaxRate:
    name: str = strawberry.field(description="Its name, e.g. VAT; 'No tax' when none applied.")
    percent: Decimal = strawberry.field(description="Per cent, e.g. 20 or 8.875.")


@strawberry.type(description="What the order's delivery costs, by the method chosen.")
class OrderShippingCharge:
    method_code: str = strawberry.field(description="The shipping method's code.")
    method_name: str = strawberry.field(description="Its name when the order was placed.")
    net: Money = strawberry.field(description="Without tax.")
    tax: Money = strawberry.field(description="The tax on it.")
    total: Money = strawberry.field(description="With tax: what the customer pays for it.")
    tax_rate: AppliedTaxRate = strawberry.field(description="The rate it was taxed at.")

    @classmethod
    def of(cls, code: str, name: str, amounts: TaxedAmount) -> OrderShippingCharge:
        return cls(
            method_code=code,
            method_name=name,
            net=Money.of(amounts.net),
            tax=Money.of(amounts.tax),
            total=Money.of(amounts.gross),
            tax_rate=AppliedTaxRate(name=amounts.tax_name, percent=amounts.tax_percent),
        )


@strawberry.type(description="What one tax rate comes to over an order.")
class TaxSummaryLine:
    name: str = strawberry.field(description="The rate's name, e.g. VAT.")
    percent: Decimal = strawberry.field(description="Per cent.")
    net: Money = strawberry.field(description="The amount it taxed (without tax).")
    tax: Money = strawberry.field(description="The tax.")


def summary_lines(amounts: Iterable[TaxedAmount], currency: str) -> list[TaxSummaryLine]:
    return [
        TaxSummaryLine(
            name=line.name, percent=line.percent, net=Money.of(line.net), tax=Money.of(line.tax)
        )
        for line in tax_summary(amounts, currency)
    ]


def taxed(net: Money, tax: Money, rate: AppliedTaxRate) -> TaxedAmount:
    """An amount as the API shows it, back as the domain sums it in a tax summary."""
    return TaxedAmount(
        DomainMoney(net.amount, net.currency),
        DomainMoney(tax.amount, tax.currency),
        rate.name,
        rate.percent,
    )


def discounts_of(items: Sequence[dict[str, Any]], currency: str) -> list[OrderLineDiscount]:
    return [OrderLineDiscount.from_json(item, currency) for item in items]
