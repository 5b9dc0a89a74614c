"""Use cases for product media: add an image, change its alt text or variants, reorder,
delete.

Bytes are stored before the row that names them is committed, and deleted after the last
row naming them is: a failed transaction may leave an unnamed object behind (harmless: its
key is its content, and the same upload reuses it), never a row without its bytes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from domain.access import Principal
from domain.commands.media import (
    AddProductMedia,
    DeleteProductMedia,
    ReorderProductMedia,
    UpdateProductMedia,
)
from domain.errors import NotFound
from domain.media_ports import ImageDecoder, MediaStorage
from domain.model.identity import id_of
from domain.model.media import (
    ProductMedia,
    check_image,
    check_upload,
    media_key,
    normalise_alt,
    reordered,
    unique_ids,
)
from domain.ports import UnitOfWork


async def _require_variants_of(
    uow: UnitOfWork, product_id: int, variant_ids: tuple[int, ...]
) -> tuple[int, ...]:
    unique_ids(variant_ids, field="variantIds")
    if set(variant_ids) - await uow.media.variant_ids_of(product_id):
        raise NotFound("a variant named is not one of this product's", field="variantIds")
    return variant_ids


def add_product_media(
    storage: MediaStorage, decoder: ImageDecoder, max_bytes: int
) -> Callable[[UnitOfWork, Principal, AddProductMedia, datetime], Awaitable[ProductMedia]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: AddProductMedia, now: datetime
    ) -> ProductMedia:
        """Store an image and place it last on the product (and on the variants named)."""
        principal.require_catalog_manager("add product media")
        alt = normalise_alt(command.alt)
        declared = check_upload(command.content_type, command.byte_size, max_bytes, field="file")
        data = await command.read()
        # The declared size is the client's word; what counts is what arrived.
        check_upload(declared, len(data), max_bytes, field="file")
        facts = check_image(declared, decoder.decode(data), field="file")
        async with uow:
            if await uow.catalog.status_of(command.product_id) is None:
                raise NotFound.no_such("product", field="productId")
            variant_ids = await _require_variants_of(uow, command.product_id, command.variant_ids)
            existing = await uow.media.of_product(command.product_id)
            key = media_key(data, facts.content_type)
            await storage.save(key, data, facts.content_type)
            media = await uow.media.add(
                ProductMedia(
                    product_id=command.product_id,
                    key=key,
                    alt=alt,
                    content_type=facts.content_type,
                    width=facts.width,
                    height=facts.height,
                    byte_size=len(data),
                    position=max((m.position for m in existing), default=-1) + 1,
                    created_at=now,
                    variant_ids=variant_ids,
                )
            )
            await uow.commit()
        return media

    return use_case


async def update_product_media(
    uow: UnitOfWork, principal: Principal, command: UpdateProductMedia
) -> ProductMedia:
    """Change an image's alt text or the variants it is shown for (None: unchanged)."""
    principal.require_catalog_manager("change product media")
    async with uow:
        media = await uow.media.get(command.media_id)
        if media is None:
            raise NotFound.no_such("product media", field="id")
        if command.alt is not None:
            media.alt = normalise_alt(command.alt)
        if command.variant_ids is not None:
            media.variant_ids = await _require_variants_of(
                uow, media.product_id, command.variant_ids
            )
        await uow.media.update(media)
        await uow.commit()
    return media


async def reorder_product_media(
    uow: UnitOfWork, principal: Principal, command: ReorderProductMedia
) -> int:
    """Put a product's media in the order given (every one of them, once); returns the
    product's id."""
    principal.require_catalog_manager("reorder product media")
    async with uow:
        if await uow.catalog.status_of(command.product_id) is None:
            raise NotFound.no_such("product", field="productId")
        current = [id_of(m) for m in await uow.media.of_product(command.product_id)]
        await uow.media.set_positions(reordered(current, command.media_ids, field="mediaIds"))
        await uow.commit()
    return command.product_id


def delete_product_media(
    storage: MediaStorage,
) -> Callable[[UnitOfWork, Principal, DeleteProductMedia], Awaitable[int]]:
    async def use_case(uow: UnitOfWork, principal: Principal, command: DeleteProductMedia) -> int:
        """Take an image off its product (the others keep their order); its stored bytes
        go too when no other media names them. Returns the product's id."""
        principal.require_catalog_manager("delete product media")
        async with uow:
            media = await uow.media.get(command.media_id)
            if media is None:
                raise NotFound.no_such("product media", field="id")
            await uow.media.of_product(media.product_id)  # holds the product's media
            await uow.media.delete(command.media_id)
            orphaned = not await uow.media.key_in_use(media.key)
            await uow.commit()
        if orphaned:
            await storage.delete(media.key)
        return media.product_id

    return use_case
