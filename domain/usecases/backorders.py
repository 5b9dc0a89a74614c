"""Backorders: units ordered while stock was short, allocated when stock arrives.

Every use case that moves stock (an adjustment, a transfer receipt, a restocked return,
a count that finds more, a purchase receipt, a finished work order) writes its movements
through `apply_movements` before it commits (a bulk change of levels it holds writes them
with `apply_held`, then calls `fill_backorders`), so an arrival and the allocations it makes
are one transaction. Orders are
served oldest first; each gets what it can from the arrived units at the locations it may
be filled from, and moves forward (still BACKORDERED, or PENDING once complete).

On PostgreSQL the arrival's own level update holds the row lock until commit, so no
concurrent order can take the arrived units between reading them here and reserving them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.model.inventory import StockMovement
from domain.model.orders import FulfilmentMethod, Order
from domain.ports import UnitOfWork


async def apply_movements(
    uow: UnitOfWork, movements: list[StockMovement], actor: str, now: datetime
) -> None:
    """Write the movements to the ledger and their levels, then let the units they bring
    in fill waiting backorders."""
    await uow.stock.apply(movements)
    await fill_backorders(uow, movements, actor, now)


async def fill_backorders(
    uow: UnitOfWork, movements: Iterable[StockMovement], actor: str, now: datetime
) -> list[Order]:
    """Allocate waiting orders from the units these movements brought in; the orders moved."""
    arrived = {m.level_key for m in movements if m.on_hand_delta > 0}
    if not arrived:
        return []
    order_ids = await uow.orders.backordered({variant_id for variant_id, _ in arrived})
    if not order_ids:
        return []
    location_ids = {location_id for _, location_id in arrived}
    levels = await uow.stock.levels({variant_id for variant_id, _ in arrived}, location_ids)
    free = {key: max(level.available, 0) for key, level in levels.items() if key in arrived}
    codes = {loc_id: loc.code for loc_id, loc in (await uow.locations.by_id(location_ids)).items()}
    channel_locations: dict[str, list[int]] = {}
    moved: list[Order] = []
    reservations: list[StockMovement] = []
    for order_id in order_ids:
        if not any(free.values()):
            break  # the arrival is used up: the younger orders keep waiting, unread
        order = await uow.orders.get(order_id)
        if order is None:
            continue
        if order.fulfilment is FulfilmentMethod.PICKUP:
            pickup = order.pickup_location_id
            sources = [pickup] if pickup is not None else []
        else:
            if order.channel not in channel_locations:
                channel = await uow.locations.channel(order.channel)
                channel_locations[order.channel] = list(channel.location_ids)
            sources = channel_locations[order.channel]
        # The order's own preference among the locations where stock arrived.
        order_codes = {loc_id: codes[loc_id] for loc_id in sources if loc_id in location_ids}
        taken = order.fill_backorder(free, order_codes, actor, now)
        if taken:
            await uow.orders.save(order)
            reservations.extend(taken)
            moved.append(order)
    await uow.stock.apply(reservations)
    return moved
