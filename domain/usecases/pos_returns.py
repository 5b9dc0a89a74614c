"""Counter returns synced from POS terminals: each taken back, received and refunded at once.

A terminal sends the returns it took back at its store, in batches, each under a client id
it chose (a UUID). The batch is one transaction: returns are recorded in the order sent, so
a later return of an order sees the earlier ones, and each gets its verdict — ACCEPTED,
DUPLICATE (that client id was recorded at this store before: nothing changes) or REJECTED
(with the reason; the rest of the batch goes through). Client ids belong to the store: one
another store used is no duplicate here, and its return is never shown. For this a terminal
may name any order, from any channel; it still reads orders only as its role allows.

Each refund goes back through the order's captured payments as a till gives it (cash for
cash, to the card for a card: `counter_refund`), as REFUND entries naming the return, in the
batch's transaction; a return whose order has less captured and not refunded than its refund
is REJECTED (AMOUNT_EXCEEDS_BALANCE). An order that never had money captured (paid outside
the ledger) is refunded without entries. Providers are asked with a key made of the store
and the `clientReturnId`, the same when a batch is sent again: a provider that refunded a
return whose batch then failed (a provider declined another return's refund: the batch is
refused whole, PAYMENT_DECLINED) does not refund it twice when the batch comes again.

Every order the batch names is held first, in id order, and the stock movements are applied
together at the end (in level order), so concurrent batches queue instead of deadlocking. If
a concurrent batch records one of the same client ids first, the unique key refuses the
second and the whole batch runs once more, now seeing it as a duplicate.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.access import Principal, Role
from domain.commands.counter_returns import CounterReturn, SyncCounterReturns
from domain.errors import DomainError, Duplicate, InvalidInput, InvalidTransition, NotFound
from domain.model.counter_returns import (
    check_note,
    check_occurred_at,
    counter_refund,
    settle,
    take_back,
)
from domain.model.identity import id_of
from domain.model.inventory import StockMovement
from domain.model.locations import Location, normalise_location_code
from domain.model.orders import Order
from domain.model.payments import RefundShare
from domain.model.pos_sync import SyncStatus
from domain.model.returns import Return, units_returned
from domain.money import Money
from domain.payment_gateway import PaymentGateways
from domain.ports import UnitOfWork
from domain.usecases.backorders import apply_movements
from domain.usecases.refunds import refund
from domain.usecases.stores import store_by_code

MAX_BATCH = 1000
SYNCERS = (Role.ADMIN, Role.STAFF, Role.POS)


@dataclass(frozen=True)
class CounterReturnResult:
    """The verdict on one counter return: the return recorded (now or before), or why not."""

    client_return_id: UUID
    status: SyncStatus
    return_id: int | None = None
    error: DomainError | None = None


def sync_pos_returns(
    gateways: PaymentGateways,
) -> Callable[
    [UnitOfWork, Principal, SyncCounterReturns, datetime], Awaitable[list[CounterReturnResult]]
]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: SyncCounterReturns, now: datetime
    ) -> list[CounterReturnResult]:
        """Record a batch of counter returns at the caller's store, each once."""
        principal.require(principal.role in SYNCERS, "sync counter returns")
        code = _store_of(principal, command.location_code)
        principal.require_works_at(code, "take back returns")
        if not command.returns:
            raise InvalidInput("send at least one return", field="returns")
        if len(command.returns) > MAX_BATCH:
            raise InvalidInput(f"send at most {MAX_BATCH} returns at a time", field="returns")
        try:
            return await _record(uow, gateways, principal, command.returns, code, now)
        except Duplicate:
            # A concurrent batch recorded one of these client ids first; now a duplicate.
            return await _record(uow, gateways, principal, command.returns, code, now)

    return use_case


async def _record(
    uow: UnitOfWork,
    gateways: PaymentGateways,
    principal: Principal,
    returns: Sequence[CounterReturn],
    code: str,
    now: datetime,
) -> list[CounterReturnResult]:
    async with uow:
        store = await store_by_code(
            uow, code, field="locationCode", why="counter returns are taken back at stores"
        )
        # The client ids first, then the orders: every batch takes its locks in this order.
        await uow.returns.hold_client_ids(counter.client_return_id for counter in returns)
        order_ids = await _order_ids(uow, returns)
        for named_id in sorted({i for i in order_ids if i is not None}):
            await uow.returns.of_order(named_id)  # holds the order until commit
        recorded = await uow.returns.ids_by_client_return_id(
            id_of(store),
            {counter.client_return_id for counter in returns},
        )
        results: list[CounterReturnResult] = []
        movements: list[StockMovement] = []
        for index, (counter, order_id) in enumerate(zip(returns, order_ids, strict=True)):
            key = counter.client_return_id
            if key in recorded:
                results.append(CounterReturnResult(key, SyncStatus.DUPLICATE, recorded[key]))
                continue
            try:  # decide: nothing is written until the return is taken back
                rma, order, others = await _take_back(uow, principal, counter, order_id, store, now)
                shares = await _money_back(uow, rma, order)
            except DomainError as error:
                error.field = f"returns.{index}" + (f".{error.field}" if error.field else "")
                results.append(CounterReturnResult(key, SyncStatus.REJECTED, error=error))
                continue
            movements.extend(
                await _settle(uow, gateways, principal, counter, rma, order, others, shares)
            )
            assert rma.id is not None
            recorded[key] = rma.id
            results.append(CounterReturnResult(key, SyncStatus.ACCEPTED, rma.id))
        await apply_movements(uow, movements, principal.subject, now)
        await uow.commit()
    return results


async def _take_back(
    uow: UnitOfWork,
    principal: Principal,
    counter: CounterReturn,
    order_id: int | None,
    store: Location,
    now: datetime,
) -> tuple[Return, Order, list[Return]]:
    """The return the counter took back, REQUESTED, with its order and the order's other
    returns — or why it cannot be taken back. Writes nothing."""
    if (counter.order_id is None) == (counter.order_number is None):
        raise InvalidInput(
            "name the order by exactly one of orderId and orderNumber", field="orderId"
        )
    field = "orderId" if counter.order_id is not None else "orderNumber"
    others = await uow.returns.of_order(order_id) if order_id is not None else []
    order = await uow.orders.get(order_id) if order_id is not None else None
    if order is None:
        number = counter.order_number.strip() if counter.order_number else None
        raise NotFound(f"order {number} not found" if number else "no such order", field=field)
    check_occurred_at(counter.occurred_at, order, now)
    check_note(counter.note)
    try:
        rma = take_back(
            order,
            counter.lines,
            others,
            location_id=id_of(store),
            location_code=store.code,
            reason=counter.reason,
            actor=principal.subject,
            at=counter.occurred_at,
        )
    except InvalidTransition as error:
        error.field = field
        raise
    rma.client_return_id = counter.client_return_id
    return rma, order, others


async def _money_back(uow: UnitOfWork, rma: Return, order: Order) -> list[RefundShare]:
    """The payments the return's refund goes back through (all its units come back), or
    why it cannot (AMOUNT_EXCEEDS_BALANCE): decided before anything is written."""
    due = Money.zero(rma.currency)
    for line in rma.lines:
        due = due + line.unit_price.times(line.quantity)
    return counter_refund(due, await uow.payments.of_order(id_of(order)))


async def _settle(
    uow: UnitOfWork,
    gateways: PaymentGateways,
    principal: Principal,
    counter: CounterReturn,
    rma: Return,
    order: Order,
    others: list[Return],
    shares: list[RefundShare],
) -> list[StockMovement]:
    """Store the return taken back, settle it at once, give its refund back through the
    order's payments and move its order along; the stock movements it makes, to apply with
    the rest of the batch."""
    rma = await uow.returns.add(rma)
    at = counter.occurred_at
    movements = settle(rma, counter.lines, principal.subject, at, counter.note)
    if shares:
        await refund(
            uow,
            gateways,
            order,
            shares,
            f"counter-return:{rma.location_id}:{counter.client_return_id}",
            principal.subject,
            at,
            reason=f"{rma.number} taken back at {rma.location_code}",
            return_id=rma.id,
        )
    order.record_returned(
        units_returned([*others, rma]),
        principal.subject,
        at,
        f"{rma.number} taken back at {rma.location_code}",
    )
    await uow.returns.save(rma)
    await uow.orders.save(order)
    return movements


async def _order_ids(uow: UnitOfWork, returns: Sequence[CounterReturn]) -> list[int | None]:
    """The order each return names: by id as given, by number looked up (None: no such)."""
    numbers = {c.order_number.strip().upper() for c in returns if c.order_number is not None}
    by_number = await uow.orders.ids_by_number(numbers) if numbers else {}
    return [
        counter.order_id
        if counter.order_id is not None
        else by_number.get(counter.order_number.strip().upper())
        if counter.order_number is not None
        else None
        for counter in returns
    ]


def _store_of(principal: Principal, location_code: str | None) -> str:
    """The store the returns were taken back at: a terminal's own, else the one named (or
    the one location a clerk is bound to)."""
    if principal.role is Role.POS:
        principal.require(
            len(principal.location_codes) == 1, "take back returns unless bound to one store"
        )
        [own] = principal.location_codes
        if location_code is not None:
            principal.require_works_at(
                normalise_location_code(location_code, field="locationCode"), "take back returns"
            )
        return own
    if location_code is not None:
        return normalise_location_code(location_code, field="locationCode")
    if principal.role is Role.STAFF and len(principal.location_codes) == 1:
        return next(iter(principal.location_codes))
    raise InvalidInput("name the store the returns were taken back at", field="locationCode")
