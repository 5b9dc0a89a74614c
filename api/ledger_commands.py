"""`omniorder verify-stock`, `verify-ledger` and `expire-unpaid-orders`: the commands that
check the stock and money ledgers against their projections, and sweep unpaid orders.
Each prints what it found, a line per offender, and exits 1 when something is wrong."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime

from api.settings import Settings
from api.unpaid_orders import Sweep, sweep_unpaid_orders
from persistence import ledger_invariants, stock_invariants
from persistence.database import Database
from persistence.reads import services as service_reads
from persistence.reads import stock as stock_reads


def verify_stock(args: argparse.Namespace, settings: Settings) -> int:
    """Errors: levels that disagree with their movements or break a rule, reserved, in
    transit or incoming units that disagree with the open orders, transfers, work orders
    and purchase orders holding them, service slots whose places taken disagree with their
    bookings (exit 1). Warnings: levels a counter sale left short (on hand below zero or
    below reserved)."""

    async def run() -> tuple[list, list, list, list]:
        database = Database(settings.database_url)
        try:
            async with database.read_session() as session:
                offenders = list(await stock_reads.ledger_discrepancies(session))
                unheld = await stock_invariants.holder_discrepancies(session)
                slots = list(await service_reads.slot_discrepancies(session))
                shortfalls = list(await stock_reads.stock_shortfalls(session))
                return offenders, unheld, slots, shortfalls
        finally:
            await database.dispose()

    offenders, unheld, slots, shortfalls = asyncio.run(run())
    for row in offenders:
        level = " ".join(f"{q}={getattr(row, q)}" for q in stock_reads.QUANTITIES)
        ledger = " ".join(f"{q}={getattr(row, f'ledger_{q}')}" for q in stock_reads.QUANTITIES)
        print(f"{row.sku} at {row.code}: level {level}; sum of movements {ledger}")
    for held in unheld:
        each = ", ".join(f"{name} {units}" for name, units in held.holders)
        print(
            f"{held.sku} at {held.location_code}: level {held.quantity}={held.level}; "
            f"held by documents {held.quantity}={held.held} ({each})"
        )
    for row in slots:
        print(
            f"{row.sku} at {row.code}: the slot from {row.slot_start:%Y-%m-%d %H:%M} UTC counts "
            f"{row.booked} places taken; {row.held} bookings hold one"
        )
    for row in shortfalls:
        print(
            f"warning: {row.sku} at {row.code}: on_hand={row.on_hand} reserved={row.reserved}; "
            "sold at the counter beyond the recorded stock, count the shelf"
        )
    print(f"{len(offenders)} stock levels disagree with the ledger or break a rule")
    print(
        f"{len(unheld)} reserved, in-transit or incoming quantities disagree with their documents"
    )
    if slots:
        print(f"{len(slots)} service slots disagree with their bookings")
    if shortfalls:
        print(f"{len(shortfalls)} stock levels are short (warnings)")
    return 1 if offenders or unheld or slots else 0


def verify_ledger(args: argparse.Namespace, settings: Settings) -> int:
    """Each payment, order or invoice whose money projection disagrees with the ledger, a
    line each (exit 1); else one line saying how much was checked."""

    async def run() -> ledger_invariants.LedgerCheck:
        database = Database(settings.database_url)
        try:
            async with database.read_session() as session:
                return await ledger_invariants.verify_ledger(session)
        finally:
            await database.dispose()

    check = asyncio.run(run())
    for line in check.offenders:
        print(line)
    if not check.consistent:
        print(f"{len(check.offenders)} ledger discrepancies")
        return 1
    size = check.size
    print(
        f"ledger consistent: {size.payments} payments, {size.entries} entries, {size.orders} orders"
    )
    return 0


def expire_unpaid_orders(args: argparse.Namespace, settings: Settings) -> int:
    """One sweep of the unpaid-order expiry, at once and whichever server holds its lease
    (each order is cancelled only once all the same). Exit 1 if some order failed."""

    async def run() -> Sweep:
        database = Database(settings.database_url)
        try:
            return await sweep_unpaid_orders(database, datetime.now(UTC))
        finally:
            await database.dispose()

    sweep = asyncio.run(run())
    for order_id in sweep.failed:
        print(f"order id {order_id}: could not be cancelled (see the log)")
    print(f"{len(sweep.cancelled)} unpaid orders cancelled")
    return 1 if sweep.failed else 0
