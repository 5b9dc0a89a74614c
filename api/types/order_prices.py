"""What priceOrder answers: an order as placeOrder would price it, never stored."""

from __future__ import annotations

import strawberry

from api.types.common import Money
from api.types.order_pricing import OrderShippingCharge, TaxSummaryLine, summary_lines
from api.types.orders import OrderLine
from domain.model.orders import Order as DomainOrder


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
        return cls(
            currency=currency,
            prices_include_tax=order.prices_include_tax,
            lines=[OrderLine.from_domain(line) for line in order.lines],
            shipping=None
            if shipping is None
            else OrderShippingCharge.of(
                shipping.method_code, shipping.method_name, shipping.amounts
            ),
            subtotal=Money.of(order.subtotal),
            discount_total=Money.of(order.discount_total),
            tax_total=Money.of(order.tax_total),
            total=Money.of(order.total),
            tax_summary=summary_lines(order.taxed_amounts(), currency),
        )
