"""Bills of materials: what a manufactured variant is made of, level by level.

A bill of materials (BOM) lists a variant's components: other variants, each with the units
needed to make one unit. A component may be manufactured itself, with a BOM of its own, so
BOMs stack in levels:

    TABLE ─┬─ 4 x LEG ─── 2 x DOWEL        level 1: LEG, TOP
           └─ 1 x TOP ─── 6 x DOWEL        level 2: DOWEL (8 + 6 = 14 per table)

The rules of one BOM: at least one component (an empty list removes the BOM), at most
MAX_COMPONENTS, each SKU once, 1 to MAX_PER_UNIT units per unit, never the variant itself,
and no cycle through any depth (TABLE → LEG → TABLE).

Exploding N units lists every component below a variant once, with the units needed over
every path to it, at its low-level code: the deepest level where it appears, so a
component's total is complete before its own BOM is exploded. Shared components therefore
cost one step each, not one per path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from domain.access import Principal, Role
from domain.errors import InvalidInput

MAX_COMPONENTS = 100
MAX_PER_UNIT = 10_000
MAX_UNITS = 1_000_000_000  # no explosion needs more units of anything than this


@dataclass(frozen=True, slots=True)
class Component:
    """`quantity` units of a variant go into one unit of the variant whose BOM this is."""

    variant_id: int
    sku: str
    quantity: int


# The BOMs known: a manufactured variant's id → its components. Variants without a BOM
# (bought, not made) are absent.
Structure = Mapping[int, Sequence[Component]]


@dataclass(frozen=True, slots=True)
class ExplodedComponent:
    """Units of one component needed for some units of a variant, over all its levels."""

    variant_id: int
    sku: str
    quantity: int
    level: int  # 1 for a direct component; the deepest level when it appears at several
    manufactured: bool  # it has a BOM of its own, exploded further


def validate_components(sku: str, components: Sequence[tuple[str, int]]) -> None:
    """The shape of one BOM (SKUs already normalised): see the module's rules."""
    if len(components) > MAX_COMPONENTS:
        raise InvalidInput(
            f"a bill of materials has at most {MAX_COMPONENTS} components", field="components"
        )
    seen: set[str] = set()
    for index, (component, quantity) in enumerate(components):
        where = f"components.{index}"
        if component == sku:
            raise InvalidInput(f"{sku} cannot be a component of itself", field=f"{where}.sku")
        if component in seen:
            raise InvalidInput(f"SKU {component} appears twice", field=f"{where}.sku")
        if not 0 < quantity <= MAX_PER_UNIT:
            raise InvalidInput(
                f"quantity per unit must be 1 to {MAX_PER_UNIT}", field=f"{where}.quantity"
            )
        seen.add(component)


def find_cycle(
    variant_id: int, sku: str, components: Sequence[Component], structure: Structure
) -> list[str] | None:
    """The SKUs of a path from the variant back to itself if it took `components` as its
    BOM (TABLE, LEG, TABLE), or None. `structure` holds the other BOMs below them."""
    graph = {**structure, variant_id: components}
    finished: set[int] = set()

    def path_back(component: Component, path: list[str]) -> list[str] | None:
        if component.variant_id == variant_id:
            return [*path, component.sku]
        if component.variant_id in finished:
            return None
        for child in graph.get(component.variant_id, ()):
            found = path_back(child, [*path, component.sku])
            if found:
                return found
        finished.add(component.variant_id)
        return None

    for component in components:
        found = path_back(component, [sku])
        if found:
            return found
    return None


def require_no_cycle(
    variant_id: int, sku: str, components: Sequence[Component], structure: Structure
) -> None:
    cycle = find_cycle(variant_id, sku, components, structure)
    if cycle:
        raise InvalidInput(
            "a bill of materials cannot contain itself: " + " → ".join(cycle), field="components"
        )


def topological_order(roots: Iterable[int], structure: Structure) -> list[int]:
    """Every variant reachable from `roots` (them included), each after every variant whose
    BOM holds it: the order in which to explode, so each total is complete first."""
    order: list[int] = []
    seen: set[int] = set()

    def visit(variant_id: int) -> None:
        seen.add(variant_id)
        for child in structure.get(variant_id, ()):
            if child.variant_id not in seen:
                visit(child.variant_id)
        order.append(variant_id)

    for root in roots:
        if root not in seen:
            visit(root)
    return order[::-1]


def explode(variant_id: int, units: int, structure: Structure) -> list[ExplodedComponent]:
    """Every component below `units` of a variant, once each, by level and then SKU."""
    totals: dict[int, int] = {variant_id: units}
    levels: dict[int, int] = {variant_id: 0}
    skus: dict[int, str] = {}
    for parent in topological_order([variant_id], structure):
        for child in structure.get(parent, ()):
            needed = totals.get(child.variant_id, 0) + totals[parent] * child.quantity
            if needed > MAX_UNITS:
                raise InvalidInput(
                    f"{units} units need more than {MAX_UNITS:,} of {child.sku}", field="units"
                )
            totals[child.variant_id] = needed
            levels[child.variant_id] = max(levels.get(child.variant_id, 0), levels[parent] + 1)
            skus[child.variant_id] = child.sku
    exploded = [
        ExplodedComponent(
            variant_id=component_id,
            sku=skus[component_id],
            quantity=totals[component_id],
            level=levels[component_id],
            manufactured=component_id in structure,
        )
        for component_id in totals
        if component_id != variant_id
    ]
    return sorted(exploded, key=lambda c: (c.level, c.sku))


def leaf_requirements(variant_id: int, units: int, structure: Structure) -> dict[str, int]:
    """Units of each bought component (one without a BOM) that `units` of a variant need."""
    return {c.sku: c.quantity for c in explode(variant_id, units, structure) if not c.manufactured}


def may_read(principal: Principal) -> bool:
    """Bills of materials are internal: ADMIN and STAFF read (and set) them."""
    return principal.role in (Role.ADMIN, Role.STAFF)
