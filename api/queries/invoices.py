"""Queries on invoices: a caller sees the invoices of the orders it may see; receivables
(what customers owe, aged) are for staff and admins."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import strawberry
from strawberry import relay

from api.errors import RequestError
from api.loaders import order_scope
from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import CallerPermission, IsSignedIn
from api.types.common import Money
from api.types.invoices import AgingTotal, Invoice, Receivable, Receivables
from api.types.nodes import node_of_type, parse_key
from domain.access import Principal, Role
from domain.model.invoices import AgingBucket, InvoiceKind, aging_bucket, days_overdue
from persistence.reads import invoices as invoice_reads


class CanReadReceivables(CallerPermission):
    message = "only staff and admins may read receivables"

    def allows(self, principal: Principal) -> bool:
        return principal.role in (Role.ADMIN, Role.STAFF)


@strawberry.input(description="Narrow a list of invoices.")
class InvoiceFilter:
    kind: InvoiceKind | None = strawberry.field(default=None, description="Only this kind.")
    order_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only those of this order."
    )
    customer_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only those of this customer."
    )
    open: bool = strawberry.field(
        default=False, description="Only invoices with a balance above zero."
    )


def _key(global_id: relay.GlobalID | None, type_name: str, field: str) -> int | None:
    if global_id is None:
        return None
    key = parse_key(global_id.node_id) if global_id.type_name == type_name else None
    if key is None:
        raise RequestError(f"{field}: {global_id} is not the id of a {type_name}")
    return key


@strawberry.type
class InvoiceQueries:
    @strawberry.field(
        description="Invoices and credit notes of the orders the caller may see, newest first.",
        permission_classes=[IsSignedIn],
    )
    async def invoices(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: InvoiceFilter | None = None,
    ) -> Connection[Invoice]:
        scope = order_scope(info.context.principal)
        assert scope is not None  # IsSignedIn: every caller signed in sees some scope
        page = page_from(info, first, after, last, before, newest_first=True)
        filter = filter or InvoiceFilter()
        async with info.context.database.read_session() as session:
            rows, total = await invoice_reads.invoices_page(
                session,
                page,
                scope,
                kind=filter.kind.value if filter.kind else None,
                order_id=_key(filter.order_id, "Order", "filter.orderId"),
                customer_id=_key(filter.customer_id, "Customer", "filter.customerId"),
                open_only=filter.open,
            )
        return connection(rows, total, page, Invoice.from_row)

    @strawberry.field(description="One invoice or credit note; null if the caller may not see it.")
    async def invoice(self, info: strawberry.Info, id: relay.GlobalID) -> Invoice | None:
        result: Invoice | None = await node_of_type(Invoice, info, id)
        return result

    @strawberry.field(
        description="Open invoices (balance above zero) issued by `asOf`, aged on `asOf` "
        "(today, UTC, by default): days overdue, aging bucket, and totals per bucket and "
        "currency (staff and admins).",
        permission_classes=[CanReadReceivables],
    )
    async def receivables(
        self,
        info: strawberry.Info,
        as_of: date | None = None,
        customer_id: relay.GlobalID | None = None,
    ) -> Receivables:
        day = as_of or info.context.now().date()
        scope = order_scope(info.context.principal)
        assert scope is not None
        async with info.context.database.read_session() as session:
            rows = await invoice_reads.open_invoices(
                session,
                scope,
                customer_id=_key(customer_id, "Customer", "customerId"),
                issued_by=day,
            )
        receivables = []
        totals: dict[tuple[AgingBucket, str], tuple[Decimal, int]] = defaultdict(
            lambda: (Decimal(0), 0)
        )
        for row in rows:
            invoice = Invoice.from_row(row)
            bucket = aging_bucket(row.due_on, day)
            receivables.append(
                Receivable(
                    invoice=invoice,
                    balance=invoice.balance,
                    days_overdue=days_overdue(row.due_on, day),
                    bucket=bucket,
                    customer_email=row.email,
                )
            )
            amount, count = totals[(bucket, row.currency)]
            totals[(bucket, row.currency)] = (amount + invoice.balance.amount, count + 1)
        order = list(AgingBucket)
        return Receivables(
            as_of=day,
            invoices=receivables,
            totals=[
                AgingTotal(
                    bucket=bucket, total=Money(amount=amount, currency=currency), count=count
                )
                for (bucket, currency), (amount, count) in sorted(
                    totals.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
                )
            ],
        )
