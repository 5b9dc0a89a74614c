"""The pricing checks of `omniorder verify-ledger`: what an order charges adds up.

- an order's total is its lines' net and tax plus its shipping charge's, its tax total
  their tax, and its discount total its lines' discounts;
- a line's net and tax are what its unit price times its quantity comes to after its
  discounts: that amount is the gross when the order's prices include tax, the net when
  they do not;
- a voucher code has been used as many times as orders redeemed it, and never more than
  its usage limit.

One statement per check, returning only the offenders, each as one line.
"""

from __future__ import annotations

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.records import (
    OrderLineRecord,
    OrderRecord,
    VoucherCodeRecord,
    VoucherRedemptionRecord,
)

ORDER = OrderRecord
LINE = OrderLineRecord


async def price_discrepancies(session: AsyncSession) -> list[str]:
    return [
        *await _order_totals(session),
        *await _line_amounts(session),
        *await _voucher_uses(session),
    ]


async def _order_totals(session: AsyncSession) -> list[str]:
    lines = (
        select(
            LINE.order_id,
            func.sum(LINE.net_cents + LINE.tax_cents).label("gross"),
            func.sum(LINE.tax_cents).label("tax"),
            func.sum(LINE.discount_cents).label("discount"),
        )
        .group_by(LINE.order_id)
        .subquery()
    )
    shipping_tax = func.coalesce(ORDER.shipping_tax_cents, 0)
    total = lines.c.gross + func.coalesce(ORDER.shipping_net_cents, 0) + shipping_tax
    tax = lines.c.tax + shipping_tax
    statement = (
        select(
            ORDER.number,
            ORDER.total_cents,
            ORDER.tax_cents,
            ORDER.discount_cents,
            total.label("total"),
            tax.label("tax"),
            lines.c.discount,
        )
        .join(lines, lines.c.order_id == ORDER.id)
        .where(
            or_(
                ORDER.total_cents != total,
                ORDER.tax_cents != tax,
                ORDER.discount_cents != lines.c.discount,
            )
        )
        .order_by(ORDER.id)
    )
    return [
        f"order {row.number}: total_cents={row.total_cents}, tax_cents={row.tax_cents}, "
        f"discount_cents={row.discount_cents}; its lines and shipping come to {row.total}, "
        f"tax {row.tax}, discounts {row.discount}"
        for row in (await session.execute(statement)).all()
    ]


async def _line_amounts(session: AsyncSession) -> list[str]:
    after_discounts = LINE.unit_price_cents * LINE.quantity - LINE.discount_cents
    priced = case((ORDER.prices_include_tax, LINE.net_cents + LINE.tax_cents), else_=LINE.net_cents)
    statement = (
        select(ORDER.number, LINE.sku, after_discounts.label("expected"), priced.label("priced"))
        .join(ORDER, ORDER.id == LINE.order_id)
        .where(after_discounts != priced)
        .order_by(LINE.id)
    )
    return [
        f"order {row.number} line {row.sku}: unit price x quantity - discounts is "
        f"{row.expected}, its net (and tax, when prices include it) {row.priced}"
        for row in (await session.execute(statement)).all()
    ]


async def _voucher_uses(session: AsyncSession) -> list[str]:
    redeemed = (
        select(VoucherRedemptionRecord.voucher_id, func.count().label("redeemed"))
        .group_by(VoucherRedemptionRecord.voucher_id)
        .subquery()
    )
    counted = func.coalesce(redeemed.c.redeemed, 0)
    voucher = VoucherCodeRecord
    statement = (
        select(voucher.code, voucher.used, voucher.usage_limit, counted.label("redeemed"))
        .outerjoin(redeemed, redeemed.c.voucher_id == voucher.id)
        .where(or_(voucher.used != counted, voucher.used > voucher.usage_limit))
        .order_by(voucher.id)
    )
    return [
        f"voucher {row.code}: used={row.used} (limit {row.usage_limit}); orders redeemed it "
        f"{row.redeemed} times"
        for row in (await session.execute(statement)).all()
    ]
