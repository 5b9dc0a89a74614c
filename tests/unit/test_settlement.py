"""Settlement groupings: which period limit applies to each."""

from domain.model.sales_insight import SalesGrouping
from domain.model.settlement import SettlementGrouping


def test_a_daily_settlement_report_is_limited_as_a_daily_sales_report_is():
    assert SettlementGrouping.DAY.period_rule is SalesGrouping.DAY


def test_other_settlement_groupings_may_span_the_longer_period():
    others = [g for g in SettlementGrouping if g is not SettlementGrouping.DAY]
    assert [g.period_rule for g in others] == [None, None, None]
