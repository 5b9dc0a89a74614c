"""The settlement report: what the business took and gave back over a period.

Staff and admins only, scoped as the sales reports are (a clerk bound to locations sees
the money of its locations' orders); the rules are in domain/model/settlement.py and the
figures come from one SQL aggregate (persistence/reads/settlement.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.errors import request_error
from api.types.settlement import SettlementReport, settlement_rows, settlement_totals
from domain.errors import DomainError
from domain.model.sales_insight import ReportPeriod, report_locations
from domain.model.settlement import SettlementGrouping
from persistence.reads import reports as report_reads
from persistence.reads import settlement as settlement_reads
from persistence.reads.settlement import SettlementQuery

FROM = strawberry.argument(name="from", description="Start of the period, with a UTC offset.")
TO = strawberry.argument(description="End of the period (excluded), with a UTC offset.")


@strawberry.type
class SettlementQueries:
    @strawberry.field(
        description="Money captured and refunded in [from, to) (CAPTURE and REFUND entries "
        "of the payment ledger, POS tenders included), a row per group and currency, with "
        "net = captured - refunded and count = captures; amounts in different currencies "
        "are never added. Staff and admins; a clerk bound to locations sees the orders of "
        "its locations only. A period runs at most 400 days by DAY, 3,660 otherwise; from "
        "must be before to (INVALID_INPUT)."
    )
    async def settlement_report(
        self,
        info: strawberry.Info,
        from_: Annotated[datetime, FROM],
        to: Annotated[datetime, TO],
        group_by: Annotated[SettlementGrouping, strawberry.argument(description="What a row is.")],
    ) -> SettlementReport:
        try:
            locations = report_locations(info.context.principal)
            period = ReportPeriod.checked(from_, to, group_by.period_rule)
        except DomainError as error:
            raise request_error(error) from error
        query = SettlementQuery(period.start, period.end, locations)
        async with info.context.database.read_session() as session:
            rows = await settlement_reads.settlement_rows(session, query, group_by)
            codes: dict[int, str] = {}
            if group_by is SettlementGrouping.LOCATION:
                ids = [row.key for row in rows if row.key is not None]
                codes = await report_reads.location_codes(session, ids)
        return SettlementReport(
            group_by=group_by,
            from_=period.start,
            to=period.end,
            rows=settlement_rows(group_by, rows, codes),
            totals=settlement_totals(rows),
        )
