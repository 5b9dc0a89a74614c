"""Allocation policy: from which locations an order line is filled.

A line is filled from the first candidate location (in the channel's order) that can
fill it whole; only when none can is it split across locations, in the same order.
An order that allows backorders takes what there is, in the same order, and leaves the
rest unallocated (backordered) instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.errors import InsufficientStock


@dataclass(frozen=True, slots=True)
class LineDemand:
    variant_id: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Allotment:
    location_id: int
    quantity: int


def allocate(
    demands: Sequence[LineDemand],
    candidate_location_ids: Sequence[int],
    available: Mapping[tuple[int, int], int],
    location_names: Mapping[int, str],
    allow_backorder: bool = False,
) -> list[list[Allotment]]:
    """Allotments for each demand, in order. Raises InsufficientStock naming the SKU,
    unless `allow_backorder`: then a short line gets what there is.

    `available` maps (variant_id, location_id) to units free to reserve. Lines for the same
    variant draw from one running balance, so an order cannot promise a unit twice.
    """
    remaining = dict(available)
    plan: list[list[Allotment]] = []
    for index, demand in enumerate(demands):
        free = {loc: remaining.get((demand.variant_id, loc), 0) for loc in candidate_location_ids}
        whole = next((loc for loc in candidate_location_ids if free[loc] >= demand.quantity), None)
        if whole is not None:
            allotments = [Allotment(whole, demand.quantity)]
        elif allow_backorder:
            allotments = take_available(demand.quantity, candidate_location_ids, free)
        else:
            allotments = _split(demand, candidate_location_ids, free, location_names, index)
        for allotment in allotments:
            remaining[(demand.variant_id, allotment.location_id)] = (
                free[allotment.location_id] - allotment.quantity
            )
        plan.append(allotments)
    return plan


def _split(
    demand: LineDemand,
    candidate_location_ids: Sequence[int],
    free: Mapping[int, int],
    location_names: Mapping[int, str],
    index: int,
) -> list[Allotment]:
    total = sum(max(units, 0) for units in free.values())
    if total < demand.quantity:
        where = ", ".join(location_names.get(loc, str(loc)) for loc in candidate_location_ids)
        raise InsufficientStock(
            demand.sku, where or "no location", total, demand.quantity, field=f"lines.{index}"
        )
    return take_available(demand.quantity, candidate_location_ids, free)


def take_available(
    quantity: int, candidate_location_ids: Sequence[int], free: Mapping[int, int]
) -> list[Allotment]:
    """Up to `quantity` units from the locations in order, each giving what it has free."""
    allotments: list[Allotment] = []
    still_needed = quantity
    for location_id in candidate_location_ids:
        take = min(free.get(location_id, 0), still_needed)
        if take > 0:
            allotments.append(Allotment(location_id, take))
            still_needed -= take
        if still_needed == 0:
            break
    return allotments
