"""Replenishment: which warehouse should send how much to a store that runs low.

A store level is low when its available units are at or below its reorder point. It needs

    need  = reorder point + safety stock - available     (at least 1)
            - units on their way                          (never below 0)

to be safely above the reorder point again, where the units on their way are those in
transit to it (shipped transfers), incoming (open purchase orders) and requested from a
warehouse (transfers requested but not shipped yet): a store is not sent again what is
already coming. A warehouse can spare what it has available
beyond its own safety stock:

    spare = available - safety stock                      (only when positive)

The warehouse that can spare the most gives first; another warehouse is asked only for what
the first cannot cover. What one suggestion takes is no longer spare for the next, so two
stores short of the same SKU are never both promised the same units. A low level that no
warehouse can help with gets no suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.model.inventory import StockLevel


@dataclass(frozen=True, slots=True)
class TransferSuggestion:
    """Send `quantity` units of a variant from a warehouse to a store."""

    variant_id: int
    from_location_id: int
    to_location_id: int
    quantity: int
    store_available: int
    reorder_point: int
    on_the_way: int  # units already coming to the store


def on_the_way(level: StockLevel, requested: int = 0) -> int:
    """Units coming to a level: in transit, incoming, and `requested` from a warehouse."""
    return level.in_transit + level.incoming + requested


def need(level: StockLevel, requested: int = 0) -> int:
    """Units a low level should still receive to be back at reorder point + safety stock,
    beyond those on their way (`requested`: units requested from warehouses, not shipped)."""
    short = max(1, level.reorder_point + level.safety_stock - level.available)
    return max(0, short - on_the_way(level, requested))


def spare(level: StockLevel) -> int:
    """Units a warehouse level may send away without breaking into its safety stock."""
    return max(0, level.available - level.safety_stock)


def suggest_replenishment(
    store_levels: Iterable[StockLevel],
    warehouse_levels: Iterable[StockLevel],
    requested: Mapping[tuple[int, int], int] | None = None,
) -> list[TransferSuggestion]:
    """Transfers from warehouses that bring each low store level back up, in the order of
    `store_levels` (levels that are not low, or whose need is on its way, are skipped).
    `requested` holds the units requested from warehouses and not shipped yet, by (variant
    id, store id). Warehouses with equal spare are asked in location id order, so the
    answer is deterministic."""
    requested = requested or {}
    spare_by_variant: dict[int, dict[int, int]] = {}
    for level in warehouse_levels:
        if spare(level) > 0:
            spare_by_variant.setdefault(level.variant_id, {})[level.location_id] = spare(level)
    suggestions: list[TransferSuggestion] = []
    for store in store_levels:
        if not store.is_low:
            continue
        sources = spare_by_variant.get(store.variant_id, {})
        requested_here = requested.get((store.variant_id, store.location_id), 0)
        still_needed = need(store, requested_here)
        for warehouse_id in sorted(sources, key=lambda location: (-sources[location], location)):
            if still_needed == 0:
                break
            units = min(sources[warehouse_id], still_needed)
            if units == 0:
                continue
            sources[warehouse_id] -= units
            still_needed -= units
            suggestions.append(
                TransferSuggestion(
                    variant_id=store.variant_id,
                    from_location_id=warehouse_id,
                    to_location_id=store.location_id,
                    quantity=units,
                    store_available=store.available,
                    reorder_point=store.reorder_point,
                    on_the_way=on_the_way(store, requested_here),
                )
            )
    return suggestions
