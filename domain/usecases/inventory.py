"""Use cases that change stock by hand."""

from __future__ import annotations

from datetime import datetime

from domain.access import Principal
from domain.commands import AdjustStock
from domain.errors import NotFound
from domain.model.catalog import normalise_sku
from domain.model.inventory import StockLevel, adjustment
from domain.model.locations import normalise_location_code
from domain.ports import UnitOfWork


async def adjust_stock(
    uow: UnitOfWork, principal: Principal, command: AdjustStock, now: datetime
) -> StockLevel:
    """Add or remove on-hand units for a reason; optionally only if on hand is as expected."""
    sku = normalise_sku(command.sku)
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "adjust stock")
    async with uow:
        variant = (await uow.catalog.variants_by_sku([sku])).get(sku)
        if variant is None:
            raise NotFound.of("SKU", sku, field="sku")
        location = (await uow.locations.by_code([code])).get(code)
        if location is None:
            raise NotFound.of("location", code, field="locationCode")
        movement = adjustment(
            variant_id=variant.id,  # type: ignore[arg-type]
            location_id=location.id,  # type: ignore[arg-type]
            delta=command.delta,
            reason=command.reason,
            actor=principal.subject,
            at=now,
            note=command.note,
            expected_on_hand=command.expected_on_hand,
        )
        await uow.stock.apply([movement])
        level = (await uow.stock.levels([variant.id], [location.id]))[movement.level_key]  # type: ignore[list-item]
        await uow.commit()
    return level
