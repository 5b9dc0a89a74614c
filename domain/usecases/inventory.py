"""Use cases that change stock by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.access import Principal
from domain.commands.inventory import AdjustStock, BulkSetStock, SetStockThresholds
from domain.errors import NotFound
from domain.model.bulk_stock import Batch, line_movements, line_skus, stocked_variants
from domain.model.catalog import normalise_sku, require_goods
from domain.model.identity import id_of
from domain.model.inventory import StockLevel, adjustment, validate_thresholds
from domain.model.locations import normalise_location_code
from domain.ports import UnitOfWork
from domain.usecases.backorders import apply_movements, fill_backorders
from domain.usecases.catalog import known_location


async def adjust_stock(
    uow: UnitOfWork, principal: Principal, command: AdjustStock, now: datetime
) -> StockLevel:
    """Add or remove on-hand units for a reason; optionally only if on hand is as expected."""
    sku = normalise_sku(command.sku)
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "adjust stock")
    async with uow:
        variant_id, location_id = await _level_key(uow, sku, code)
        movement = adjustment(
            variant_id=variant_id,
            location_id=location_id,
            delta=command.delta,
            reason=command.reason,
            actor=principal.subject,
            at=now,
            note=command.note,
            expected_on_hand=command.expected_on_hand,
        )
        await apply_movements(uow, [movement], principal.subject, now)
        level = (await uow.stock.levels([variant_id], [location_id]))[movement.level_key]
        await uow.commit()
    return level


@dataclass(frozen=True)
class BulkStockResult:
    """The levels a bulk change named (their variants, in line order, at one location), and
    how many movements it wrote."""

    variant_ids: list[int]
    location_id: int
    movements_written: int


async def bulk_set_stock(
    uow: UnitOfWork, principal: Principal, command: BulkSetStock, now: datetime
) -> BulkStockResult:
    """Set or change many levels of one location at once, each changed line one adjustment,
    all or nothing; a few statements however many lines (see `StockRepository.hold_levels`)."""
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "adjust stock")
    skus = line_skus(command.lines)
    async with uow:
        location = await known_location(uow, code)
        variants = stocked_variants(skus, await uow.catalog.variants_by_sku(skus))
        variant_ids = [id_of(variant) for variant in variants]
        levels = await uow.stock.hold_levels(variant_ids, [id_of(location)])
        batch = Batch(location, command.reason, command.note, principal.subject, now)
        movements = [
            m for m in line_movements(batch, command.lines, variants, levels) if m is not None
        ]
        await uow.stock.apply_held(movements)
        await fill_backorders(uow, movements, principal.subject, now)
        await uow.commit()
    return BulkStockResult(variant_ids, id_of(location), len(movements))


async def set_stock_thresholds(
    uow: UnitOfWork, principal: Principal, command: SetStockThresholds
) -> StockLevel:
    """Set when a level counts as low, and how much of it must stay put."""
    sku = normalise_sku(command.sku)
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "set stock thresholds")
    validate_thresholds(command.reorder_point, command.safety_stock)
    async with uow:
        variant_id, location_id = await _level_key(uow, sku, code)
        await uow.stock.set_thresholds(
            variant_id, location_id, command.reorder_point, command.safety_stock
        )
        level = (await uow.stock.levels([variant_id], [location_id]))[(variant_id, location_id)]
        await uow.commit()
    return level


async def _level_key(uow: UnitOfWork, sku: str, location_code: str) -> tuple[int, int]:
    """(variant id, location id) of a level, or NotFound naming what is unknown."""
    variant = (await uow.catalog.variants_by_sku([sku])).get(sku)
    if variant is None:
        raise NotFound.of("SKU", sku, field="sku")
    require_goods(variant, field="sku")
    location = await known_location(uow, location_code)
    return id_of(variant), id_of(location)
