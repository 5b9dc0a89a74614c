"""Use cases of POS terminals: registering one at a store, and syncing its offline sales.

A sync is one transaction: every sale of the batch is checked first, then the accepted ones
are written together (orders, sales, tenders, stock), each sale's tenders as CAPTURED `pos`
payments in the money ledger (what the till kept: cash less the change handed back). Each
sale stands alone: a malformed one is rejected with its reason while the rest go through.
A sale recorded before (the same `clientSaleId`, by an earlier sync or earlier in the same
batch) is a DUPLICATE answered with its order, so a terminal may send a batch again, or
batches that overlap, in any order.
Client ids belong to the store: its terminals share them, and an id another store used is
no duplicate here (it is neither answered with nor named by that store's order).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.access import Principal, Role
from domain.commands.pos import PosSale, RegisterPosTerminal, SyncPosSales
from domain.errors import DomainError, Duplicate, Forbidden, InvalidInput
from domain.model.catalog import Variant, normalise_sku
from domain.model.customers import Customer, normalise_email
from domain.model.identity import id_of
from domain.model.locations import ChannelCode, normalise_location_code
from domain.model.orders import Order
from domain.model.payments import POS_PROVIDER, Payment
from domain.model.pos import (
    MAX_LINES,
    MAX_SALES,
    CounterSale,
    PosTerminal,
    PricedSale,
    SaleOutcome,
    SyncReport,
    check_time,
    counter_order,
    kept,
    price_sale,
    shortfalls,
    terminal_name,
    units_sold,
)
from domain.model.pos_sync import SyncStatus
from domain.model.sessions import Session, SessionKind
from domain.model.store_pricing import StoreTaxes
from domain.ports import UnitOfWork
from domain.usecases.customer_recognition import recognise_customer
from domain.usecases.order_pricing import store_taxes
from domain.usecases.payments import take_payment
from domain.usecases.sessions import open_session
from domain.usecases.stores import store_by_code

MAX_PAYMENTS = 20  # per sale
ATTEMPTS = 4  # passes of a sync that races others for the same sales


@dataclass(frozen=True)
class RegisteredTerminal:
    terminal: PosTerminal
    session: Session  # its token's


async def register_pos_terminal(
    uow: UnitOfWork, principal: Principal, command: RegisterPosTerminal, now: datetime
) -> RegisteredTerminal:
    """A new terminal at a store (ADMIN only), and the session of its token."""
    principal.require_admin("register POS terminals")
    code = normalise_location_code(command.store_code, field="storeCode")
    name = terminal_name(command.name)
    async with uow:
        store = await store_by_code(uow, code, field="storeCode", why="terminals stand in stores")
        terminal = await uow.pos.add_terminal(PosTerminal(name, id_of(store), code, now))
        session = await open_session(
            uow, SessionKind.POS_TERMINAL, terminal.principal(), now, command.token_lifetime
        )
        await uow.commit()
    return RegisteredTerminal(terminal, session)


async def sync_pos_sales(
    uow: UnitOfWork, principal: Principal, command: SyncPosSales, now: datetime
) -> SyncReport:
    """Record a registered terminal's sales, each once; see the module's docstring."""
    principal.require(
        principal.role is Role.POS and principal.terminal_id is not None,
        "sync POS sales (only the token of a registered terminal may)",
    )
    _check_batch(command)
    attempt = 1
    while True:
        try:
            return await _sync(uow, principal, command, now)
        except Duplicate:
            # Another sync recorded some of these sales first: the next pass sees them as
            # duplicates. One terminal syncs one batch at a time, so this takes batches of
            # several terminals naming the same sales, each loss a sign another one won.
            if attempt == ATTEMPTS:
                raise
            attempt += 1


def _check_batch(command: SyncPosSales) -> None:
    """What makes the whole request malformed: then nothing is written."""
    if len(command.sales) > MAX_SALES:
        raise InvalidInput(
            f"a sync carries at most {MAX_SALES} sales, got {len(command.sales)}; split it",
            field="sales",
        )
    for index, sale in enumerate(command.sales):
        if len(sale.lines) > MAX_LINES:
            raise InvalidInput(
                f"a sale has at most {MAX_LINES} lines", field=f"sales.{index}.lines"
            )
        if len(sale.payments) > MAX_PAYMENTS:
            raise InvalidInput(
                f"a sale has at most {MAX_PAYMENTS} payments", field=f"sales.{index}.payments"
            )


async def _sync(
    uow: UnitOfWork, principal: Principal, command: SyncPosSales, now: datetime
) -> SyncReport:
    sales = command.sales
    outcomes: dict[int, SaleOutcome] = {}
    async with uow:
        terminal = (
            await uow.pos.terminal(principal.terminal_id)
            if principal.terminal_id is not None
            else None
        )
        if terminal is None:
            raise Forbidden("the terminal this token names is not registered")
        if terminal.deactivated_at is not None:
            raise Forbidden("the terminal this token names is deactivated")
        principal.require_works_at(terminal.location_code, "sync sales")
        recorded = await uow.pos.recorded_sales(
            terminal.location_id, {sale.client_sale_id for sale in sales}
        )
        variants = await uow.catalog.variants_by_sku(_skus(sales))
        taxes = await store_taxes(uow, ChannelCode.POS, terminal.location_id)
        first: dict[UUID, int] = {}  # where each sale first appears in the batch
        priced: dict[int, tuple[PricedSale, str | None]] = {}
        for index, sale in enumerate(sales):
            if sale.client_sale_id in recorded:
                outcomes[index] = SaleOutcome(
                    sale.client_sale_id, SyncStatus.DUPLICATE, recorded[sale.client_sale_id]
                )
            elif sale.client_sale_id not in first:
                first[sale.client_sale_id] = index
                try:
                    priced[index] = _priced(sale, variants, taxes, now)
                except DomainError as error:
                    outcomes[index] = _rejected(sale, index, error)
        customers = await _customers(uow, sales, priced, outcomes, now)
        accepted = sorted(priced, key=lambda index: (sales[index].occurred_at, index))
        counter_sales = [
            CounterSale(
                sales[index].client_sale_id,
                counter_order(
                    priced[index][0],
                    terminal,
                    customers.get(priced[index][1] or ""),
                    principal.subject,
                    sales[index].occurred_at,
                ),
                priced[index][0].payments,
            )
            for index in accepted
        ]
        orders = await uow.orders.add_many([sale.order for sale in counter_sales])
        await uow.pos.add_sales(terminal, counter_sales, now)
        await uow.payments.add_many(
            [
                (sale.order, tender)
                for sale, index in zip(counter_sales, accepted, strict=True)
                for tender in _tenders(sale.order, priced[index][0], principal.subject)
            ]
        )
        await uow.stock.apply([m for order in orders for m in units_sold(order, principal.subject)])
        levels = await uow.stock.levels(
            {line.variant_id for order in orders for line in order.lines}, [terminal.location_id]
        )
        warnings = shortfalls(orders, {key[0]: level.on_hand for key, level in levels.items()})
        for index, order, short in zip(accepted, orders, warnings, strict=True):
            outcomes[index] = SaleOutcome(
                sales[index].client_sale_id, SyncStatus.ACCEPTED, order.id, warnings=short
            )
        await uow.pos.mark_synced(id_of(terminal), now)
        await uow.commit()
    return SyncReport([_outcome(index, sales, first, outcomes) for index in range(len(sales))])


def _tenders(order: Order, sale: PricedSale, actor: str) -> list[Payment]:
    """The sale's tenders as CAPTURED payments of its order: what the till kept of each."""
    return [
        take_payment(
            order, tender.method, POS_PROVIDER, tender.amount, None, actor, order.created_at
        )
        for tender in kept(sale)
    ]


def _skus(sales: tuple[PosSale, ...]) -> set[str]:
    """Every well-formed SKU of the batch, to look up at once."""
    skus = set()
    for sale in sales:
        for line in sale.lines:
            with suppress(InvalidInput):
                skus.add(normalise_sku(line.sku))
    return skus


def _priced(
    sale: PosSale, variants: Mapping[str, Variant], taxes: StoreTaxes, now: datetime
) -> tuple[PricedSale, str | None]:
    """The sale priced, and its customer's email; or the first rule it breaks."""
    check_time(sale.occurred_at, now)
    priced = price_sale(sale.lines, sale.payments, variants, taxes, sale.occurred_at)
    email = (sale.customer_email or "").strip()
    return priced, normalise_email(email, field="customerEmail") if email else None


async def _customers(
    uow: UnitOfWork,
    sales: tuple[PosSale, ...],
    priced: dict[int, tuple[PricedSale, str | None]],
    outcomes: dict[int, SaleOutcome],
    now: datetime,
) -> dict[str, Customer]:
    """The customer of every priced sale that names one, created when unknown; only sales
    that keep every other rule get this far, so no customer is made for a rejected sale."""
    customers: dict[str, Customer] = {}
    for index, (_, email) in list(priced.items()):
        if email is None or email in customers:
            continue
        try:
            customer = await recognise_customer(uow, email=email, phone=None, name=None, now=now)
        except DomainError as error:
            del priced[index]
            outcomes[index] = _rejected(sales[index], index, error)
            continue
        if customer is not None:
            customers[email] = customer
    return customers


def _rejected(sale: PosSale, index: int, error: DomainError) -> SaleOutcome:
    """A rejection naming the field at fault in the whole request (`sales.3.lines.0.sku`)."""
    error.field = f"sales.{index}.{error.field}" if error.field else f"sales.{index}"
    return SaleOutcome(sale.client_sale_id, SyncStatus.REJECTED, error=error)


def _outcome(
    index: int, sales: tuple[PosSale, ...], first: dict[UUID, int], outcomes: dict[int, SaleOutcome]
) -> SaleOutcome:
    """A repeat within the batch answers as its first appearance did: DUPLICATE of the
    order it became, or REJECTED for the same reason."""
    if index in outcomes:
        return outcomes[index]
    original = outcomes[first[sales[index].client_sale_id]]
    if original.status is SyncStatus.ACCEPTED:
        return SaleOutcome(original.client_sale_id, SyncStatus.DUPLICATE, original.order_id)
    return original
