"""Bills of materials: one row per component of a manufactured variant."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.boms import Component
from persistence.records import BomComponentRecord, VariantRecord

BOM = BomComponentRecord
# PostgreSQL advisory lock: one transaction at a time changes bills of materials.
BOM_LOCK_KEY = 730_412_020


class SqlBillOfMaterialsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def hold(self) -> None:
        # On SQLite a write transaction already holds the whole database.
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOM_LOCK_KEY}
            )

    async def structure(self, variant_ids: Iterable[int]) -> dict[int, list[Component]]:
        return await load_structure(self.session, variant_ids)

    async def replace(self, variant_id: int, components: Sequence[Component]) -> None:
        await self.session.execute(delete(BOM).where(BOM.variant_id == variant_id))
        if components:
            await self.session.execute(
                insert(BOM),
                [
                    {
                        "variant_id": variant_id,
                        "component_variant_id": c.variant_id,
                        "quantity": c.quantity,
                    }
                    for c in components
                ],
            )


async def load_structure(
    session: AsyncSession, variant_ids: Iterable[int]
) -> dict[int, list[Component]]:
    """The BOMs of these variants and of every component below them: one query per level.
    The read side (billOfMaterials, explosion) shares it with the repository."""
    structure: dict[int, list[Component]] = {}
    seen: set[int] = set()
    frontier = set(variant_ids)
    while frontier:
        seen |= frontier
        rows = await session.execute(
            select(BOM.variant_id, BOM.component_variant_id, VariantRecord.sku, BOM.quantity)
            .join(VariantRecord, VariantRecord.id == BOM.component_variant_id)
            .where(BOM.variant_id.in_(sorted(frontier)))
            .order_by(BOM.variant_id, BOM.id)
        )
        for parent, component_id, sku, quantity in rows:
            structure.setdefault(parent, []).append(Component(component_id, sku, quantity))
        frontier = {
            component.variant_id for parent in frontier for component in structure.get(parent, ())
        } - seen
    return structure
