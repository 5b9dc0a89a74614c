"""Publishing products on sales channels."""

from __future__ import annotations

from domain.access import Principal
from domain.commands.catalog import SetProductChannels
from domain.errors import NotFound
from domain.model.channel_availability import published_channels
from domain.ports import UnitOfWork


async def set_product_channels(
    uow: UnitOfWork, principal: Principal, command: SetProductChannels
) -> int:
    """Publish a product on the given channels only (none: withdrawn from every one); its
    id. Callers who read the catalog on another channel no longer see it."""
    principal.require_catalog_manager("change where a product is published")
    channels = published_channels(command.channels)
    async with uow:
        if not await uow.catalog.set_channels(command.product_id, channels):
            raise NotFound.no_such("product", field="productId")
        await uow.commit()
    return command.product_id
