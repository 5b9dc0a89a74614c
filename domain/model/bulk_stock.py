"""Setting many stock levels of one location at once (a bulk import, a full shelf count).

Each line names a SKU and either the units on hand it should now have (`on_hand`) or a
change (`delta`), optionally only if on hand is still `expected_on_hand` (compare-and-set).
A line becomes one adjustment, checked by the same rules as a single adjustment
(`inventory.adjustment`, `inventory.refusal`) against the level as the transaction holds it;
a line that changes nothing becomes none. Any refused line refuses the whole batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidInput, NotFound, StaleQuantity
from domain.model.catalog import Variant, normalise_sku, require_goods
from domain.model.identity import id_of
from domain.model.inventory import AdjustmentReason, StockLevel, StockMovement, adjustment, refusal
from domain.model.locations import Location

MAX_LINES = 1000  # per call
LINES = "quantities"  # the input the lines come in, named in refusals


@dataclass(frozen=True, slots=True)
class StockLine:
    """Set on hand to `on_hand`, or change it by `delta`: exactly one of the two."""

    sku: str
    on_hand: int | None = None
    delta: int | None = None
    expected_on_hand: int | None = None


def line_skus(lines: Sequence[StockLine]) -> list[str]:
    """The lines' SKUs, normalised, in order; refuses a batch that is empty or too long,
    names a SKU twice, or has a line without exactly one non-negative target."""
    if not lines:
        raise InvalidInput("send at least one line", field=LINES)
    if len(lines) > MAX_LINES:
        raise InvalidInput(
            f"send at most {MAX_LINES} lines at a time, got {len(lines)}; split them",
            field=LINES,
        )
    first_line_of: dict[str, int] = {}
    for index, line in enumerate(lines):
        where = f"{LINES}.{index}"
        sku = normalise_sku(line.sku, field=f"{where}.sku")
        if sku in first_line_of:
            raise InvalidInput(
                f"SKU {sku} appears twice (lines {first_line_of[sku]} and {index})",
                field=f"{where}.sku",
            )
        first_line_of[sku] = index
        if (line.on_hand is None) == (line.delta is None):
            raise InvalidInput("give exactly one of onHand and delta", field=f"{where}.onHand")
        if line.on_hand is not None and line.on_hand < 0:
            raise InvalidInput("onHand cannot be negative", field=f"{where}.onHand")
        if line.expected_on_hand is not None and line.expected_on_hand < 0:
            raise InvalidInput("expectedOnHand cannot be negative", field=f"{where}.expectedOnHand")
    return list(first_line_of)


def stocked_variants(skus: Sequence[str], found: Mapping[str, Variant]) -> list[Variant]:
    """The variant of each line's SKU, in line order; NOT_FOUND or INVALID_INPUT (a service
    holds no stock) on the first line that names none."""
    variants = []
    for index, sku in enumerate(skus):
        variant = found.get(sku)
        if variant is None:
            raise NotFound.of("SKU", sku, field=f"{LINES}.{index}.sku")
        variants.append(require_goods(variant, field=f"{LINES}.{index}.sku"))
    return variants


@dataclass(frozen=True, slots=True)
class Batch:
    """Who sets the levels, why, and when."""

    location: Location
    reason: AdjustmentReason
    note: str | None
    actor: str
    at: datetime


def line_movements(
    batch: Batch,
    lines: Sequence[StockLine],
    variants: Sequence[Variant],
    levels: Mapping[tuple[int, int], StockLevel],
) -> list[StockMovement | None]:
    """One adjustment per line (None for a line that leaves its level as it is), in line
    order; refuses at the first line that may not change its level as it is now."""
    location_id = id_of(batch.location)
    movements: list[StockMovement | None] = []
    for index, (line, variant) in enumerate(zip(lines, variants, strict=True)):
        where = f"{LINES}.{index}"
        level = levels[id_of(variant), location_id]
        if line.expected_on_hand is not None and level.on_hand != line.expected_on_hand:
            raise StaleQuantity(
                variant.sku,
                batch.location.code,
                line.expected_on_hand,
                level.on_hand,
                field=f"{where}.expectedOnHand",
            )
        if line.delta is not None:
            field, delta = f"{where}.delta", line.delta
        else:
            assert line.on_hand is not None  # `line_skus` saw to one of the two
            field, delta = f"{where}.onHand", line.on_hand - level.on_hand
        if delta == 0:
            movements.append(None)
            continue
        movement = adjustment(
            variant_id=level.variant_id,
            location_id=location_id,
            delta=delta,
            reason=batch.reason,
            actor=batch.actor,
            at=batch.at,
            note=batch.note,
            field=field,
        )
        refused = refusal(movement, level, variant.sku, batch.location.code, field=field)
        if refused is not None:
            raise refused
        movements.append(movement)
    return movements
