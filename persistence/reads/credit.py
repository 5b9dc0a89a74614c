"""Credit: what a customer owes, as one SQL aggregate, and its limits (domain/model/credit.py).

The write side (`SqlCustomerRepository.credit_position`) and the read side (the credit
fields of `Customer`) both sum through `exposure_cents`, so an order is judged by the
number the customer is shown.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from domain.model.orders import OrderStatus
from domain.money import Money
from persistence.mappers import from_cents, to_cents
from persistence.reads.keyed import KEYS, KeyedRead
from persistence.records import CustomerGroupRecord, CustomerRecord, OrderRecord


def credit_limit_values(limit: Money | None) -> dict[str, int | str | None]:
    """The `credit_limit_*` columns of a customer or group for `limit` (None: both null)."""
    if limit is None:
        return {"credit_limit_cents": None, "credit_limit_currency": None}
    return {"credit_limit_cents": to_cents(limit), "credit_limit_currency": limit.currency}


def credit_limit_of(cents: int | None, currency: str | None) -> Money | None:
    """The limit stored in a pair of `credit_limit_*` columns, if any."""
    return None if cents is None or currency is None else from_cents(cents, currency)


def exposure_cents(customer_id: Any, currency: Any) -> ColumnElement[int]:
    """What the customer `customer_id` owes in `currency` (minor units): over its orders in
    that currency that are not CANCELLED, total less paid, each never below zero. Both
    arguments may be values or columns of an enclosing query (then it is correlated)."""
    owed = case(
        (
            OrderRecord.total_cents > OrderRecord.paid_cents,
            OrderRecord.total_cents - OrderRecord.paid_cents,
        ),
        else_=0,
    )
    return (
        select(func.coalesce(func.sum(owed), 0))
        .where(
            OrderRecord.customer_id == customer_id,
            OrderRecord.currency == currency,
            OrderRecord.status != OrderStatus.CANCELLED.value,
        )
        .scalar_subquery()
    )


# The limit that holds: the customer's own, else its group's (both columns set or neither).
LIMIT_CENTS = func.coalesce(
    CustomerRecord.credit_limit_cents, CustomerGroupRecord.credit_limit_cents
)
LIMIT_CURRENCY = func.coalesce(
    CustomerRecord.credit_limit_currency, CustomerGroupRecord.credit_limit_currency
)


# Per customer: its own limit, the limit that holds, and what it owes in that limit's
# currency (null when no limit holds), in one query for a page of customers.
credit_by_customer_ids = KeyedRead(
    select(
        CustomerRecord.id,
        CustomerRecord.credit_limit_cents.label("own_limit_cents"),
        CustomerRecord.credit_limit_currency.label("own_limit_currency"),
        LIMIT_CENTS.label("limit_cents"),
        LIMIT_CURRENCY.label("limit_currency"),
        case(
            (LIMIT_CURRENCY.is_not(None), exposure_cents(CustomerRecord.id, LIMIT_CURRENCY)),
            else_=None,
        ).label("exposure_cents"),
    )
    .select_from(CustomerRecord)
    .outerjoin(CustomerGroupRecord, CustomerGroupRecord.id == CustomerRecord.group_id)
    .where(CustomerRecord.id.in_(KEYS))
)
