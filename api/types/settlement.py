"""Settlement report types: money captured and refunded over a period, per group and
currency (rules in domain/model/settlement.py, figures from persistence/reads/settlement.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import strawberry
from sqlalchemy import Row

from api.types.common import Money
from api.types.locations import Location
from domain.model.locations import ChannelCode
from domain.model.payments import PaymentMethod
from domain.model.settlement import SettlementGrouping

strawberry.enum(
    SettlementGrouping,
    description="What each row of a settlement report is about: the UTC DAY the money moved, "
    "the order's CHANNEL, the order's LOCATION (its pickup location, else where its first "
    "units were allocated) or the payment's METHOD.",
)

UNLOCATED = "(no location)"


@strawberry.type(
    description="What a row of a settlement report is about; the field of its grouping."
)
class SettlementKey:
    location_id: strawberry.Private[int | None]
    day: date | None = strawberry.field(description="DAY: the UTC day.")
    channel: ChannelCode | None = strawberry.field(description="CHANNEL: the order's channel.")
    location_code: str | None = strawberry.field(
        description="LOCATION: the location's code; null for orders at no location yet "
        "(a backorder that holds no stock)."
    )
    method: PaymentMethod | None = strawberry.field(description="METHOD: the payment method.")
    label: str = strawberry.field(
        description="The key as text: 2026-12-06, WEB, WH-EAST, (no location) or CARD."
    )

    @strawberry.field(description="LOCATION: the location; null for orders at none.")
    async def location(self, info: strawberry.Info) -> Location | None:
        if self.location_id is None:
            return None
        return await info.context.loaders.location.load(self.location_id)


def settlement_key(
    grouping: SettlementGrouping, value: Any, locations: dict[int, str]
) -> SettlementKey:
    """The key of a row whose group value (a date, a channel, a location id, a method) is
    `value`."""
    fields: dict[str, Any] = dict.fromkeys(
        ("location_id", "day", "channel", "location_code", "method")
    )
    if grouping is SettlementGrouping.DAY:
        fields["day"] = value if isinstance(value, date) else date.fromisoformat(str(value))
        label = fields["day"].isoformat()
    elif grouping is SettlementGrouping.CHANNEL:
        fields["channel"] = ChannelCode(value)
        label = value
    elif grouping is SettlementGrouping.LOCATION:
        fields["location_id"] = value
        fields["location_code"] = locations.get(value) if value is not None else None
        label = fields["location_code"] or UNLOCATED
    else:
        fields["method"] = PaymentMethod(value)
        label = value
    return SettlementKey(label=label, **fields)


@strawberry.type(description="Money captured and refunded, in one currency.")
class SettlementTotals:
    currency: str = strawberry.field(description="ISO 4217 code of every amount here.")
    captured: Money = strawberry.field(description="Sum of the CAPTURE entries.")
    refunded: Money = strawberry.field(description="Sum of the REFUND entries.")
    net: Money = strawberry.field(description="captured - refunded.")
    count: int = strawberry.field(description="CAPTURE entries: how many times money came in.")
    refund_count: int = strawberry.field(description="REFUND entries.")


@strawberry.type(description="One row of a settlement report: a group, in one currency.")
class SettlementRow(SettlementTotals):
    key: SettlementKey = strawberry.field(description="What the row is about.")


@dataclass
class Settled:
    """A row's sums as they come from SQL (minor units)."""

    captured_cents: int = 0
    refunded_cents: int = 0
    captures: int = 0
    refunds: int = 0

    @classmethod
    def of(cls, row: Row) -> Settled:
        return cls(int(row.captured_cents), int(row.refunded_cents), row.captures, row.refunds)

    def add(self, other: Settled) -> None:
        self.captured_cents += other.captured_cents
        self.refunded_cents += other.refunded_cents
        self.captures += other.captures
        self.refunds += other.refunds

    def fields(self, currency: str) -> dict[str, Any]:
        return {
            "currency": currency,
            "captured": Money.from_cents(self.captured_cents, currency),
            "refunded": Money.from_cents(self.refunded_cents, currency),
            "net": Money.from_cents(self.captured_cents - self.refunded_cents, currency),
            "count": self.captures,
            "refund_count": self.refunds,
        }


def settlement_rows(
    grouping: SettlementGrouping, rows: Iterable[Row], locations: dict[int, str]
) -> list[SettlementRow]:
    """The report's rows, by day, channel, location code (no location last) or method;
    then currency."""
    made = [
        SettlementRow(
            key=settlement_key(grouping, row.key, locations), **Settled.of(row).fields(row.currency)
        )
        for row in rows
    ]

    def order(row: SettlementRow) -> tuple[Any, ...]:
        key = row.key
        if grouping is SettlementGrouping.LOCATION:
            return (key.location_code is None, key.location_code or "", row.currency)
        return (key.label, row.currency)

    return sorted(made, key=order)


def settlement_totals(rows: Iterable[Row]) -> list[SettlementTotals]:
    """Per currency: the sums of the rows (each entry is in exactly one row)."""
    by_currency: dict[str, Settled] = {}
    for row in rows:
        by_currency.setdefault(row.currency, Settled()).add(Settled.of(row))
    return [
        SettlementTotals(**by_currency[currency].fields(currency))
        for currency in sorted(by_currency)
    ]


@strawberry.type(description="Money captured and refunded over a period, per group and currency.")
class SettlementReport:
    group_by: SettlementGrouping = strawberry.field(description="What each row is about.")
    from_: datetime = strawberry.field(name="from", description="Start of the period (UTC).")
    to: datetime = strawberry.field(description="End of the period, excluded (UTC).")
    rows: list[SettlementRow] = strawberry.field(
        description="A row per group and currency with a capture or refund in the period: by "
        "day, channel, location code (no location last) or method, then currency."
    )
    totals: list[SettlementTotals] = strawberry.field(
        description="The whole period (what the caller may see), per currency."
    )
