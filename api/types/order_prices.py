"""What priceOrder answers: an order as placeOrder would price it, never stored."""

from __future__ import annotations

import strawberry

from api.types.common import Money
from api.types.order_pricing import OrderShippingCharge, TaxSummaryLine, summary_lines
from api.types.orders import OrderLine
from domain.model.orders import Order as DomainOrder
from domain.money import Money as DomainMoney


@strawberry.type(
    description="The price of an order not placed: its lines with discounts and tax, the "
    "shipping charge, totals and tax summary, exactly as placeOrder would price it now."
)
class OrderPrice:
    currency: str = strawberry.field(description="ISO 4217 code of every amount.")
    prices_include_tax: bool = strawberry.field(
        description="Whether the unit prices are entered with tax (the channel's setting)."
    )
    lines: list[OrderLine] = strawberry.field(description="Each line, priced.")
    shipping: OrderShippingCharge | None = strawberry.field(
        description="The delivery charge, for a SHIPPING order with a method chosen."
    )
    subtotal: Money = strawberry.field(description="The lines' totals: after discounts, with tax.")
    discount_total: Money = strawberry.field(description="What discounts take off the lines.")
    tax_total: Money = strawberry.field(description="The tax on the lines and the shipping.")
    total: Money = strawberry.field(description="What the customer would pay.")
    tax_summary: list[TaxSummaryLine] = strawberry.field(
        description="What each tax rate comes to, highest rate first."
    )

    @classmethod
    def of(cls, order: DomainOrder) -> OrderPrice:
        currency = order.currency
        shipping = order.shipping
        amounts = order.taxed_amounts()
        discounts = DomainMoney.total(
            (d.amount for line in order.lines for d in line.discounts), currency
        )
        subtotal = DomainMoney.total((line.total for line in order.lines), currency)
        return cls(
            currency=currency,
            prices_include_tax=order.prices_include_tax,
            lines=[OrderLine.from_domain(line) for line in order.lines],
            shipping=None
            if shipping is None
            else OrderShippingCharge.of(
                shipping.method_code, shipping.method_name, shipping.amounts
            ),
            subtotal=_money(subtotal),
            discount_total=_money(discounts),
            tax_total=_money(DomainMoney.total((a.tax for a in amounts), currency)),
            total=_money(order.total),
            tax_summary=summary_lines(amounts, currency),
        )


def _money(amount: DomainMoney) -> Money:
    return Money(amount=amount.amount, currency=amount.currency)
