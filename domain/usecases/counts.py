"""Use cases for stock counts and write-offs: finding out what is really on the shelf, and
throwing away what is broken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.access import Principal
from domain.errors import InsufficientStock, InvalidInput, NotFound
from domain.model.catalog import normalise_sku, require_goods
from domain.model.counts import CountedLine, StockCount
from domain.model.identity import id_of
from domain.model.inventory import MovementKind, StockLevel, StockMovement
from domain.model.locations import normalise_location_code
from domain.ports import UnitOfWork
from domain.usecases.backorders import apply_movements
from domain.usecases.catalog import known_location, known_variants

WRITE_OFF_REFERENCE = "write-off"

# -- commands --------------------------------------------------------------------------


@dataclass(frozen=True)
class StartStockCount:
    location_code: str
    skus: tuple[str, ...] | None = None  # None: every variant at the location


@dataclass(frozen=True)
class SubmitStockCount:
    count_id: int
    lines: tuple[CountedLine, ...]


@dataclass(frozen=True)
class WriteOffDamaged:
    location_code: str
    sku: str
    quantity: int
    note: str | None = None


# -- use cases ---------------------------------------------------------------------------


async def start_stock_count(
    uow: UnitOfWork, principal: Principal, command: StartStockCount, now: datetime
) -> StockCount:
    """Open a count at a location, expecting what the ledger shows on hand right now."""
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "count stock")
    skus = _validated_skus(command.skus)
    async with uow:
        location = await known_location(uow, code)
        variant_ids = None
        if skus is not None:
            variants = await known_variants(uow, skus, field="skus.{}", goods_only=True)
            variant_ids = [id_of(variants[sku]) for sku in skus]
        snapshot = await uow.counts.snapshot(id_of(location), variant_ids)
        count = StockCount.start(id_of(location), code, snapshot, principal.subject, now)
        count = await uow.counts.add(count)
        await uow.commit()
    return count


async def submit_stock_count(
    uow: UnitOfWork, principal: Principal, command: SubmitStockCount, now: datetime
) -> StockCount:
    """Close a count: each counted line's variance corrects on hand, all in one transaction."""
    principal.require(principal.may_read_stock(), "count stock")
    lines = tuple(
        CountedLine(normalise_sku(line.sku, field=f"lines.{index}.sku"), line.counted)
        for index, line in enumerate(command.lines)
    )
    async with uow:
        count = await uow.counts.get(command.count_id)
        if count is None or not principal.works_at(count.location_code):
            raise NotFound.no_such("stock count", field="countId")
        movements = count.submit(lines, principal.subject, now)
        await uow.counts.save(count)
        try:
            await apply_movements(uow, movements, principal.subject, now)
        except InsufficientStock as error:
            # Point at the line whose count would take on hand below what is reserved.
            skus = [line.sku for line in lines]
            if error.sku in skus:
                error.field = f"lines.{skus.index(error.sku)}.counted"
            raise
        await uow.commit()
    return count


async def write_off_damaged(
    uow: UnitOfWork, principal: Principal, command: WriteOffDamaged, now: datetime
) -> StockLevel:
    """Dispose of damaged units: they leave the books for good."""
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require_works_at(code, "write off stock")
    sku = normalise_sku(command.sku)
    if command.quantity <= 0:
        raise InvalidInput("quantity must be positive", field="quantity")
    async with uow:
        variant = (await uow.catalog.variants_by_sku([sku])).get(sku)
        if variant is None:
            raise NotFound.of("SKU", sku, field="sku")
        require_goods(variant, field="sku")
        location = await known_location(uow, code)
        movement = StockMovement(
            variant_id=id_of(variant),
            location_id=id_of(location),
            kind=MovementKind.WRITE_OFF,
            on_hand_delta=0,
            reserved_delta=0,
            damaged_delta=-command.quantity,
            reference=WRITE_OFF_REFERENCE,
            actor=principal.subject,
            occurred_at=now,
            note=command.note,
        )
        try:
            await uow.stock.apply([movement])
        except InsufficientStock as error:
            error.field = "quantity"
            raise
        level = (await uow.stock.levels([id_of(variant)], [id_of(location)]))[movement.level_key]
        await uow.commit()
    return level


def _validated_skus(skus: tuple[str, ...] | None) -> list[str] | None:
    if skus is None:
        return None
    if not skus:
        raise InvalidInput(
            "name at least one SKU, or leave skus out to count everything", field="skus"
        )
    normalised: list[str] = []
    for index, raw in enumerate(skus):
        sku = normalise_sku(raw, field=f"skus.{index}")
        if sku in normalised:
            raise InvalidInput(f"SKU {sku} appears twice", field=f"skus.{index}")
        normalised.append(sku)
    return normalised
