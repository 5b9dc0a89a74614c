"""Sales insight: the rules behind the sales reports and inventory turnover.

What counts (the queries in persistence/report_reads.py follow these rules):

- **Booked sales**: orders placed in [start, end) whose status is anything but CANCELLED,
  at the prices of their lines. A PENDING or BACKORDERED order, or a booked service, is
  business taken; an order cancelled later drops out of every period (reports read current
  status). Units are the lines' quantities.
- **Returns**: the value of the units received back in [start, end) (restocked or damaged),
  at their order's prices: what the return refunds. It is counted when the goods arrive,
  whether or not the refund has been recorded yet, and attributed to its order's channel
  and location, its line's product and the day it was received.
- **Locations**: a line's units and revenue belong where they were allocated; a line split
  across locations is split by allocated quantity. Units allocated nowhere (what a
  BACKORDERED order still waits for, a service) belong to the order's pickup or service
  location, else to none. A clerk bound to locations sees only the share that is there,
  whatever the grouping.
- **Periods** are UTC: days run from midnight UTC, weeks start on Monday, months on the 1st.

Who may read them: ADMIN and STAFF (a bound clerk only its locations' figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.access import Principal, Role
from domain.errors import Forbidden, InvalidInput
from domain.model.moments import utc_moment
from domain.money import currency_code

SECONDS_PER_DAY = Decimal(86_400)
TWO_PLACES = Decimal("0.01")


class SalesGrouping(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"  # starting on Monday
    MONTH = "MONTH"
    CHANNEL = "CHANNEL"
    LOCATION = "LOCATION"
    PRODUCT = "PRODUCT"

    @property
    def is_period(self) -> bool:
        return self in PERIODS


class ProductRanking(StrEnum):
    REVENUE = "REVENUE"
    UNITS = "UNITS"


PERIODS = frozenset({SalesGrouping.DAY, SalesGrouping.WEEK, SalesGrouping.MONTH})
# A report by day has a row per day: a bit over a year at most. Anything else may span ten.
MAX_DAILY_SPAN = timedelta(days=400)
MAX_SPAN = timedelta(days=3660)


def report_locations(principal: Principal) -> frozenset[str] | None:
    """Whose figures a caller may read: every location (None), or a bound clerk's."""
    if principal.role in (Role.ADMIN, Role.STAFF):
        return None if principal.sees_all_locations else principal.location_codes
    who = principal.role.value if principal.role else "an anonymous caller"
    raise Forbidden(f"{who} may not read sales figures: staff and admins only")


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """[start, end) in UTC."""

    start: datetime
    end: datetime

    @classmethod
    def checked(
        cls, start: datetime, end: datetime, grouping: SalesGrouping | None = None
    ) -> ReportPeriod:
        """The period from `start` to `end`, both with a UTC offset, start before end, and
        no longer than the grouping allows (400 days by day, else 3,660)."""
        start_utc = utc_moment(start, "from")
        end_utc = utc_moment(end, "to")
        if start_utc >= end_utc:
            raise InvalidInput(
                f"from ({start_utc.isoformat()}) must be before to ({end_utc.isoformat()})",
                field="from",
            )
        longest = MAX_DAILY_SPAN if grouping is SalesGrouping.DAY else MAX_SPAN
        if end_utc - start_utc > longest:
            by = " by day" if grouping is SalesGrouping.DAY else ""
            raise InvalidInput(
                f"a report{by} covers at most {longest.days} days, "
                f"asked for {(end_utc - start_utc).days}",
                field="to",
            )
        return cls(start_utc, end_utc)

    def elapsed_days(self, now: datetime) -> Decimal:
        """Days of the period that have passed by `now` (none before it starts)."""
        until = min(self.end, now)
        if until <= self.start:
            return Decimal(0)
        return Decimal((until - self.start).total_seconds()) / SECONDS_PER_DAY


def normalise_currency(currency: str | None) -> str | None:
    """The currency a report is narrowed to, if any."""
    return None if currency is None else currency_code(currency, field="currency")


@dataclass(frozen=True, slots=True)
class Turnover:
    """How fast a SKU's stock sells, over a period.

    opening = on hand now less every movement since the period began; closing = on hand now
    less every movement since it ended; the average on hand is their mean (an approximation
    that ignores swings within the period); turnover = units sold / average on hand (None
    unless the average is above zero); days of cover = available now / units sold per day
    of the period so far (None when nothing sold; 0 when nothing is available).
    """

    units_sold: int
    opening_on_hand: int
    closing_on_hand: int
    on_hand: int
    available: int
    average_on_hand: Decimal
    turnover: Decimal | None
    days_of_cover: Decimal | None

    @classmethod
    def of(
        cls,
        *,
        units_sold: int,
        on_hand: int,
        available: int,
        moved_since_start: int,
        moved_since_end: int,
        elapsed_days: Decimal,
    ) -> Turnover:
        opening = on_hand - moved_since_start
        closing = on_hand - moved_since_end
        average = Decimal(opening + closing) / 2
        turnover = None
        if average > 0:
            turnover = (Decimal(units_sold) / average).quantize(TWO_PLACES, ROUND_HALF_UP)
        cover = None
        if units_sold > 0 and elapsed_days > 0:
            per_day = Decimal(units_sold) / elapsed_days
            cover = (Decimal(max(available, 0)) / per_day).quantize(TWO_PLACES, ROUND_HALF_UP)
        return cls(
            units_sold=units_sold,
            opening_on_hand=opening,
            closing_on_hand=closing,
            on_hand=on_hand,
            available=available,
            average_on_hand=average.quantize(Decimal("0.1")),
            turnover=turnover,
            days_of_cover=cover,
        )
