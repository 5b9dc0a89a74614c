"""Use case for bills of materials: replacing a manufactured variant's BOM.

ADMIN and STAFF set BOMs; they belong to the catalog, not to a location.
"""

from __future__ import annotations

from domain.access import Principal
from domain.commands.manufacturing import SetBillOfMaterials
from domain.errors import NotFound
from domain.model.boms import Component, require_no_cycle, validate_components
from domain.model.catalog import Variant, normalise_sku
from domain.model.identity import id_of
from domain.ports import UnitOfWork


async def set_bill_of_materials(
    uow: UnitOfWork, principal: Principal, command: SetBillOfMaterials
) -> Variant:
    """Replace the variant's BOM with `components` (none removes it); the variant."""
    principal.require_catalog_manager("set bills of materials")
    sku = normalise_sku(command.sku)
    skus = [
        normalise_sku(component.sku, field=f"components.{index}.sku")
        for index, component in enumerate(command.components)
    ]
    validate_components(sku, list(zip(skus, (c.quantity for c in command.components), strict=True)))
    async with uow:
        await uow.boms.hold()
        variants = await uow.catalog.variants_by_sku([sku, *skus])
        variant = variants.get(sku)
        if variant is None:
            raise NotFound.of("SKU", sku, field="sku")
        components = []
        for index, (component_sku, request) in enumerate(
            zip(skus, command.components, strict=True)
        ):
            component = variants.get(component_sku)
            if component is None:
                raise NotFound.of("SKU", component_sku, field=f"components.{index}.sku")
            components.append(Component(id_of(component), component_sku, request.quantity))
        below = await uow.boms.structure(c.variant_id for c in components)
        require_no_cycle(id_of(variant), sku, components, below)
        await uow.boms.replace(id_of(variant), components)
        await uow.commit()
    return variant
