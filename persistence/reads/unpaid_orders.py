"""Which orders the unpaid-order expiry looks at (domain/usecases/unpaid_orders.py).

A read only: it proposes orders; the expiry checks each again with its row held, so an
order paid between this read and its cancellation is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.locations import ChannelCode
from domain.model.orders import OrderStatus
from domain.usecases.unpaid_orders import PAID_STATES
from persistence.records import ChannelRecord, OrderRecord, PaymentRecord


@dataclass(frozen=True, slots=True)
class UnpaidOrderLimit:
    """A channel that cancels orders unpaid for `ttl`."""

    channel: ChannelCode
    ttl: timedelta


async def unpaid_order_limits(session: AsyncSession) -> list[UnpaidOrderLimit]:
    rows = await session.execute(
        select(ChannelRecord.code, ChannelRecord.unpaid_order_ttl_seconds)
        .where(ChannelRecord.unpaid_order_ttl_seconds.is_not(None))
        .order_by(ChannelRecord.code)
    )
    return [
        UnpaidOrderLimit(ChannelCode(code), timedelta(seconds=ttl))
        for code, ttl in rows
        if ttl is not None
    ]


async def expired_unpaid_orders(
    session: AsyncSession, channel: ChannelCode, placed_before: datetime, limit: int
) -> list[int]:
    """Ids of the channel's PENDING orders placed by `placed_before` with no payment that
    holds, took, or waits for money; oldest first."""
    paid = exists().where(
        PaymentRecord.order_id == OrderRecord.id,
        PaymentRecord.state.in_([state.value for state in PAID_STATES]),
    )
    ids = await session.scalars(
        select(OrderRecord.id)
        .where(
            OrderRecord.channel == channel.value,
            OrderRecord.status == OrderStatus.PENDING.value,
            OrderRecord.created_at <= placed_before,
            ~paid,
        )
        .order_by(OrderRecord.id)
        .limit(limit)
    )
    return list(ids)
