"""Use cases for credit limits: setting them (ADMIN only: a limit is a decision about how
much the business lends), and judging a WHOLESALE order by its customer's limit as it is
placed.

The judgement runs in the order's transaction with the customer's row held
(`CustomerRepository.credit_position`), so concurrent orders of one customer are judged
one after the other, each seeing the orders committed before it: under PostgreSQL's READ
COMMITTED two orders that each fit alone cannot both pass a limit they pass together.
"""

from __future__ import annotations

from domain.access import Principal, Role
from domain.commands.credit import (
    CreditLimitRequest,
    SetCustomerCreditLimit,
    SetCustomerGroupCreditLimit,
)
from domain.errors import NotFound
from domain.model.customers import Customer
from domain.model.identity import id_of
from domain.model.locations import ChannelCode
from domain.model.orders import Order
from domain.model.pricing import CustomerGroup, normalise_group_code
from domain.money import Money
from domain.ports import UnitOfWork

OVERRIDE_FIELD = "overrideCreditLimit"


def _limit(request: CreditLimitRequest | None) -> Money | None:
    if request is None:
        return None
    return Money.of(request.amount, request.currency.strip().upper(), field="limit")


async def set_customer_credit_limit(
    uow: UnitOfWork, principal: Principal, command: SetCustomerCreditLimit
) -> Customer:
    """A customer's own limit, which overrides its group's; none lets the group's hold."""
    principal.require_admin("set credit limits")
    limit = _limit(command.limit)
    async with uow:
        customer = await uow.customers.get(command.customer_id)
        if customer is None:
            raise NotFound.no_such("customer", field="customerId")
        await uow.customers.set_credit_limit(command.customer_id, limit)
        await uow.commit()
    return customer


async def set_customer_group_credit_limit(
    uow: UnitOfWork, principal: Principal, command: SetCustomerGroupCreditLimit
) -> CustomerGroup:
    """The limit of every customer of the group that has none of its own."""
    principal.require_admin("set credit limits")
    code = normalise_group_code(command.group_code, field="groupCode")
    limit = _limit(command.limit)
    async with uow:
        group = await uow.customer_groups.by_code(code)
        if group is None:
            raise NotFound.of("customer group", code, field="groupCode")
        await uow.customer_groups.set_credit_limit(id_of(group), limit)
        await uow.commit()
    return group


def require_override_right(principal: Principal, override: bool) -> None:
    """Only an admin may place an order past a credit limit; anyone else asking is refused,
    whether or not the order would pass one."""
    if override:
        principal.require(principal.role is Role.ADMIN, "override credit limits")


async def judge_credit(uow: UnitOfWork, order: Order, *, override: bool) -> str | None:
    """Refuse a WHOLESALE order that would take its customer past its credit limit
    (CREDIT_LIMIT_EXCEEDED), unless an admin overrides it; then the note its history
    keeps. Call it inside the order's transaction, before anything is written."""
    if order.channel is not ChannelCode.WHOLESALE or order.customer_id is None:
        return None
    position = await uow.customers.credit_position(order.customer_id)
    if override:
        return position.override_note(order.total)
    position.require_room_for(order.total)
    return None
