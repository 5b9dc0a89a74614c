"""The rules behind sales insight: who reads it, which periods are fair to ask for, and the
turnover arithmetic. No I/O."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.access import Principal, Role
from domain.errors import Forbidden, InvalidInput
from domain.model.sales_insight import (
    ReportPeriod,
    SalesGrouping,
    Turnover,
    normalise_currency,
    report_locations,
)

START = datetime(2025, 3, 1, tzinfo=UTC)


# -- who reads sales figures ------------------------------------------------------------------


def test_admins_and_unbound_staff_read_every_location():
    assert report_locations(Principal(Role.ADMIN, "boss")) is None
    assert report_locations(Principal(Role.STAFF, "clerk")) is None


def test_a_bound_clerk_reads_only_its_locations():
    clerk = Principal(Role.STAFF, "clerk", frozenset({"ST-B", "WH-A"}))

    assert report_locations(clerk) == frozenset({"ST-B", "WH-A"})


@pytest.mark.parametrize(
    "principal",
    [
        Principal(Role.POS, "till", frozenset({"ST-B"})),
        Principal(Role.CUSTOMER, "ada", customer_email="ada@example.com"),
        Principal.anonymous(),
    ],
)
def test_terminals_customers_and_strangers_may_not_read_sales_figures(principal):
    with pytest.raises(Forbidden, match="staff and admins only"):
        report_locations(principal)


# -- periods ----------------------------------------------------------------------------------


def test_a_period_is_kept_in_utc():
    paris = timezone(timedelta(hours=1))

    period = ReportPeriod.checked(datetime(2025, 3, 1, 1, tzinfo=paris), START + timedelta(days=1))

    assert period == ReportPeriod(START, START + timedelta(days=1))
    assert period.start.tzinfo is UTC


@pytest.mark.parametrize("end", [START, START - timedelta(seconds=1)])
def test_a_period_must_end_after_it_starts(end):
    with pytest.raises(InvalidInput, match="must be before") as refused:
        ReportPeriod.checked(START, end)

    assert refused.value.field == "from"


def test_a_daily_report_covers_at_most_400_days_and_others_ten_years():
    ReportPeriod.checked(START, START + timedelta(days=400), SalesGrouping.DAY)
    ReportPeriod.checked(START, START + timedelta(days=3660), SalesGrouping.MONTH)

    with pytest.raises(InvalidInput, match="by day covers at most 400 days, asked for 401"):
        ReportPeriod.checked(START, START + timedelta(days=401), SalesGrouping.DAY)
    with pytest.raises(InvalidInput, match="at most 3660 days"):
        ReportPeriod.checked(START, START + timedelta(days=3661), SalesGrouping.WEEK)


def test_a_time_without_a_utc_offset_is_refused():
    with pytest.raises(InvalidInput, match="to needs a UTC offset") as refused:
        ReportPeriod.checked(START, datetime(2025, 4, 1))

    assert refused.value.field == "to"


def test_a_time_an_offset_pushes_out_of_the_calendar_is_refused():
    with pytest.raises(InvalidInput, match="from is out of range"):
        ReportPeriod.checked(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))), START)


def test_the_days_elapsed_stop_at_now_and_start_at_the_period():
    period = ReportPeriod(START, START + timedelta(days=31))

    assert period.elapsed_days(START + timedelta(days=40)) == 31
    assert period.elapsed_days(START + timedelta(hours=36)) == Decimal("1.5")
    assert period.elapsed_days(START - timedelta(days=1)) == 0


def test_a_currency_is_three_letters_in_upper_case():
    assert normalise_currency(" eur ") == "EUR"
    assert normalise_currency(None) is None
    for wrong in ("EURO", "€", "E1R", ""):
        with pytest.raises(InvalidInput, match="ISO 4217"):
            normalise_currency(wrong)


# -- turnover ---------------------------------------------------------------------------------


def turnover(**figures):
    defaults = {"moved_since_start": 0, "moved_since_end": 0, "elapsed_days": Decimal(31)}
    return Turnover.of(**(defaults | figures))


def test_opening_and_closing_stock_are_now_less_what_moved_since():
    figures = turnover(units_sold=7, on_hand=3, available=3, moved_since_start=-7)

    assert (figures.opening_on_hand, figures.closing_on_hand) == (10, 3)
    assert figures.average_on_hand == Decimal("6.5")
    assert figures.turnover == Decimal("1.08")  # 7 / 6.5


def test_days_of_cover_is_what_is_available_at_the_rate_of_sale():
    figures = turnover(units_sold=7, on_hand=3, available=3, moved_since_start=-7)

    assert figures.days_of_cover == Decimal("13.29")  # 3 / (7 / 31)


def test_nothing_sold_has_no_days_of_cover_and_nothing_available_has_none_left():
    unsold = turnover(units_sold=0, on_hand=5, available=5)
    sold_out = turnover(units_sold=4, on_hand=2, available=-2, moved_since_start=-4)

    assert (unsold.turnover, unsold.days_of_cover) == (Decimal("0.00"), None)
    assert sold_out.days_of_cover == Decimal("0.00")  # below zero at a till: nothing to sell


def test_no_stock_on_average_has_no_turnover():
    figures = turnover(units_sold=2, on_hand=-2, available=-2, moved_since_start=-2)

    assert figures.average_on_hand == Decimal("-1.0")
    assert figures.turnover is None


def test_a_period_not_begun_has_no_days_of_cover():
    figures = turnover(units_sold=0, on_hand=5, available=5, elapsed_days=Decimal(0))

    assert figures.days_of_cover is None
