"""Use cases for returns (RMAs): asking, deciding, receiving the goods, refunding.

A customer asks back units of its own orders; staff, POS terminals and admins of orders
they can see. Staff and admins approve or reject. The goods are received by someone who
works where they arrive, which may be a store the order never touched; receiving puts the
units back in stock and moves the order to PARTIALLY_RETURNED or RETURNED, all at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from domain.access import Principal, Role
from domain.commands.returns import ChangeReturnStatus, ReceiveReturn, RefundReturn, RequestReturn
from domain.errors import InvalidInput, NotFound
from domain.model.identity import id_of
from domain.model.locations import normalise_location_code
from domain.model.orders import Order
from domain.model.payments import split_refund
from domain.model.returns import Return, units_returned
from domain.payment_gateway import PaymentGateways
from domain.ports import UnitOfWork
from domain.usecases.backorders import apply_movements
from domain.usecases.catalog import known_location
from domain.usecases.money_requests import idempotency_key
from domain.usecases.refunds import chosen_shares, refund

OPERATORS = (Role.ADMIN, Role.STAFF, Role.POS)
DECIDERS = (Role.ADMIN, Role.STAFF)


async def request_return(
    uow: UnitOfWork, principal: Principal, command: RequestReturn, now: datetime
) -> Return:
    """A new REQUESTED return, if every unit asked for left and is not already coming back."""
    principal.require(principal.is_authenticated, "request returns")
    async with uow:
        others = await uow.returns.of_order(command.order_id)  # holds the order
        order = await uow.orders.get(command.order_id)
        if order is None or not principal.may_see_order(order.location_codes, order.customer_email):
            raise NotFound.no_such("order", field="orderId")
        rma = Return.request(order, command.lines, others, principal.subject, now)
        rma = await uow.returns.add(rma)
        await uow.commit()
    return rma


async def approve_return(
    uow: UnitOfWork, principal: Principal, command: ChangeReturnStatus, now: datetime
) -> Return:
    principal.require(principal.role in DECIDERS, "approve returns")
    return await _change(uow, principal, command, now, Return.approve)


async def reject_return(
    uow: UnitOfWork, principal: Principal, command: ChangeReturnStatus, now: datetime
) -> Return:
    """A REQUESTED or APPROVED return is refused; its units may be asked for again."""
    principal.require(principal.role in DECIDERS, "reject returns")
    return await _change(uow, principal, command, now, Return.reject)


def refund_return(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, RefundReturn, datetime], Awaitable[Return]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: RefundReturn, now: datetime
    ) -> Return:
        """RECEIVED → REFUNDED: every unit received, at the price it was ordered at, given
        back through the order's captured payments, in one transaction with the status.

        The money goes back as REFUND entries naming the return, split as the caller says
        or largest refundable payment first, and never above what was captured and not yet
        refunded (AMOUNT_EXCEEDS_BALANCE, and the return stays RECEIVED). An order that
        never had money captured (paid outside the ledger, or on account) is refunded
        without money moving, as Shopify's restock-only refund: its return is settled by
        other means (a credit note). Every provider is asked with the key `return-<id>`,
        since a return is refunded once."""
        principal.require(principal.role in OPERATORS, "refund returns")
        key = idempotency_key(command.idempotency_key) if command.idempotency_key else None
        async with uow:
            found = await _visible(uow, principal, command.return_id)
            returns = await uow.returns.of_order(found.order_id)  # holds the order, then reads
            rma = next(r for r in returns if r.id == found.id)
            if key is not None:
                remembered = await uow.payments.remembered(principal.idempotency_scope, key)
                if remembered is not None:
                    if remembered.kind != _request_kind(rma):
                        raise InvalidInput(
                            "this idempotency key was used for another request",
                            field="idempotencyKey",
                        )
                    return rma  # refunded by the first request with this key
            order = await _order_of(uow, rma)
            amount = rma.mark_refunded(principal.subject, now, command.note)
            payments = await uow.payments.of_order(found.order_id)
            request_id = (
                None
                if key is None
                else await uow.payments.remember(
                    principal.idempotency_scope, key, _request_kind(rma), id_of(order), None, now
                )
            )
            if any(p.captured.amount for p in payments) or command.payments:
                await refund(
                    uow,
                    gateways,
                    order,
                    split_refund(
                        amount, payments, chosen_shares(command, payments, amount.currency)
                    )
                    if amount.amount
                    else [],
                    f"return-{rma.id}",
                    principal.subject,
                    now,
                    reason=f"return {rma.number}",
                    return_id=rma.id,
                    request_id=request_id,
                )
            await uow.returns.save(rma)
            await uow.commit()
        return rma

    return use_case


def _request_kind(rma: Return) -> str:
    """What an idempotency key of refundReturn is remembered as: the return it refunded."""
    return f"return:{rma.id}"


async def receive_return(
    uow: UnitOfWork, principal: Principal, command: ReceiveReturn, now: datetime
) -> Return:
    """The goods arrive: restock or hold as damaged, and the order records them back."""
    principal.require(principal.role in OPERATORS, "receive returns")
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "receive returns")
    async with uow:
        found = await _visible(uow, principal, command.return_id)
        returns = await uow.returns.of_order(found.order_id)  # holds the order, then reads
        rma = next(r for r in returns if r.id == found.id)
        location = await known_location(uow, code)
        movements = rma.receive(
            id_of(location),
            location.code,
            command.lines,
            principal.subject,
            now,
            command.note,
        )
        order = await _order_of(uow, rma)
        order.record_returned(
            units_returned(returns), principal.subject, now, f"{rma.number} received"
        )
        await uow.returns.save(rma)
        await uow.orders.save(order)
        await apply_movements(uow, movements, principal.subject, now)
        await uow.commit()
    return rma


# -- helpers -----------------------------------------------------------------------------


async def _visible(uow: UnitOfWork, principal: Principal, return_id: int) -> Return:
    """A return the caller may see; one it may not is reported as not existing."""
    rma = await uow.returns.get(return_id)
    if rma is None or not principal.may_see_order(rma.order_location_codes, rma.customer_email):
        raise NotFound.no_such("return", field="returnId")
    return rma


async def _order_of(uow: UnitOfWork, rma: Return) -> Order:
    order = await uow.orders.get(rma.order_id)
    if order is None:  # returns are never without their order
        raise NotFound.no_such("order", field="returnId")
    return order


async def _change(
    uow: UnitOfWork,
    principal: Principal,
    command: ChangeReturnStatus,
    now: datetime,
    step: Callable[[Return, str, datetime, str | None], object],
) -> Return:
    """Load a visible return, take one step of its lifecycle, store it."""
    async with uow:
        rma = await _visible(uow, principal, command.return_id)
        step(rma, principal.subject, now, command.note)
        await uow.returns.save(rma)
        await uow.commit()
    return rma
