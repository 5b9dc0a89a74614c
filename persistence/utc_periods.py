"""The UTC day, week (from Monday) or month a time falls in, as a date, in SQL.

One expression, compiled for each back-end, so that both bucket the same way:

    SQLite      date(t), date(t, '-6 days', 'weekday 1'), date(t, 'start of month')
                (times are stored as UTC text, 'YYYY-MM-DD HH:MM:SS.ffffff')
    PostgreSQL  date_trunc('day' | 'week' | 'month', t AT TIME ZONE 'UTC')::date
                (in UTC whatever the session's TimeZone; date_trunc's weeks start on Monday)

Everything is rendered as literal SQL (no bound parameters), so the same expression in
SELECT and GROUP BY is the same text and PostgreSQL accepts it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, SQLColumnExpression
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from domain.model.sales_insight import SalesGrouping


class _PeriodStart(FunctionElement[Any]):
    type = Date()
    inherit_cache = True
    unit: str  # date_trunc's field
    sqlite_modifiers: str  # date()'s modifiers after the time


class DayStart(_PeriodStart):
    name = "day_start"
    inherit_cache = True
    unit = "day"
    sqlite_modifiers = ""


class WeekStart(_PeriodStart):
    name = "week_start"
    inherit_cache = True
    unit = "week"
    sqlite_modifiers = ", '-6 days', 'weekday 1'"  # back 6 days, then on to a Monday


class MonthStart(_PeriodStart):
    name = "month_start"
    inherit_cache = True
    unit = "month"
    sqlite_modifiers = ", 'start of month'"


PERIOD_STARTS: dict[SalesGrouping, type[_PeriodStart]] = {
    SalesGrouping.DAY: DayStart,
    SalesGrouping.WEEK: WeekStart,
    SalesGrouping.MONTH: MonthStart,
}


def period_start(grouping: SalesGrouping, moment: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """The first day of the UTC day, week or month `moment` falls in."""
    return PERIOD_STARTS[grouping](moment)


@compiles(_PeriodStart, "sqlite")
def _sqlite(element: _PeriodStart, compiler: SQLCompiler, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"date({moment}{element.sqlite_modifiers})"


@compiles(_PeriodStart, "postgresql")
def _postgresql(element: _PeriodStart, compiler: SQLCompiler, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('{element.unit}', {moment} AT TIME ZONE 'UTC') AS DATE)"
