"""Mutations on product media: upload an image (the GraphQL multipart request spec),
change its alt text or variants, reorder a product's images, delete one."""

from __future__ import annotations

from typing import Any

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import ProductPayload, user_errors_field
from api.mutations.runner import key_of, run_mutation, without_clock
from api.types.media import ProductMedia
from domain.commands.media import (
    AddProductMedia,
    DeleteProductMedia,
    ReorderProductMedia,
    UpdateProductMedia,
)
from domain.errors import InvalidInput
from domain.model.media import ProductMedia as DomainProductMedia
from domain.usecases import media


@strawberry.input(description="An image to add to a product, last in its order.")
class AddProductMediaInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    file: Upload = strawberry.field(
        description="The image, sent as a file of a multipart request (the GraphQL multipart "
        "request spec): JPEG, PNG, WebP or GIF, its declared type the one its bytes are, at "
        "most OMNIORDER_MEDIA_MAX_BYTES (10 MB by default)."
    )
    alt: str = strawberry.field(default="", description="Alternative text, at most 500 characters.")
    variant_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Variants of the product this image is shown for (their own images).",
    )


@strawberry.input(description="A change to an image; what is left out stays as it is.")
class UpdateProductMediaInput:
    id: strawberry.ID = strawberry.field(description="The image.")
    alt: str | None = strawberry.field(default=None, description="New alternative text.")
    variant_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="The variants it is shown for, replacing those it had; [] for none.",
    )


@strawberry.input(description="A product's images in a new order.")
class ReorderProductMediaInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    media_ids: list[strawberry.ID] = strawberry.field(
        description="Every one of the product's images, once, first shown first."
    )


@strawberry.input(description="An image to take off its product.")
class DeleteProductMediaInput:
    id: strawberry.ID = strawberry.field(description="The image.")


@strawberry.type(description="Result of a mutation on one product image.")
class ProductMediaPayload:
    media: ProductMedia | None = strawberry.field(
        default=None, description="The image, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


def _variant_keys(ids: list[strawberry.ID]) -> tuple[int, ...]:
    return tuple(key_of(each, "Variant", f"variantIds.{i}") for i, each in enumerate(ids))


def _add_command(input: AddProductMediaInput) -> AddProductMedia:
    product_id = key_of(input.product_id, "Product", "productId")
    upload: Any = input.file  # Starlette's UploadFile, spooled to disk when it is large
    if not isinstance(upload, UploadFile):  # a value in the JSON, where a file should be
        raise InvalidInput(
            "send the file as a part of a multipart request (the GraphQL multipart request "
            "spec), its place in the variables null",
            field="file",
        )
    return AddProductMedia(
        product_id=product_id,
        content_type=upload.content_type or "",
        byte_size=_size_of(upload),
        read=lambda: _read_from_start(upload),
        alt=input.alt,
        variant_ids=_variant_keys(input.variant_ids),
    )


async def _read_from_start(upload: UploadFile) -> bytes:
    """All of the file, however often it is read (a transaction lost to a deadlock runs
    its command again)."""
    await upload.seek(0)
    return await upload.read()


def _size_of(upload: Any) -> int:
    """The upload's size as received (Starlette counts it while spooling)."""
    size: int | None = upload.size
    if size is None:
        upload.file.seek(0, 2)
        size = upload.file.tell()
        upload.file.seek(0)
    return size


async def _show_media(context: Context, result: DomainProductMedia) -> ProductMediaPayload:
    return ProductMediaPayload(media=await reload(context.loaders.media.by_id, result.id))


async def _show_product(context: Context, product_id: int) -> ProductPayload:
    return ProductPayload(product=await reload(context.loaders.product, product_id))


@strawberry.type
class MediaMutations:
    @strawberry.mutation(
        description="Add an image to a product, last in its order, optionally shown for some "
        "of its variants; sent as a multipart request (ADMIN, STAFF)."
    )
    async def add_product_media(
        self, info: strawberry.Info, input: AddProductMediaInput
    ) -> ProductMediaPayload:
        context: Context = info.context
        return await run_mutation(
            info,
            ProductMediaPayload,
            media.add_product_media(
                context.media_storage, context.image_decoder, context.settings.media.max_bytes
            ),
            lambda: _add_command(input),
            _show_media,
        )

    @strawberry.mutation(
        description="Change an image's alternative text or the variants it is shown for "
        "(ADMIN, STAFF)."
    )
    async def update_product_media(
        self, info: strawberry.Info, input: UpdateProductMediaInput
    ) -> ProductMediaPayload:
        return await run_mutation(
            info,
            ProductMediaPayload,
            without_clock(media.update_product_media),
            lambda: UpdateProductMedia(
                media_id=key_of(input.id, "ProductMedia"),
                alt=input.alt,
                variant_ids=None if input.variant_ids is None else _variant_keys(input.variant_ids),
            ),
            _show_media,
        )

    @strawberry.mutation(description="Put a product's images in a new order (ADMIN, STAFF).")
    async def reorder_product_media(
        self, info: strawberry.Info, input: ReorderProductMediaInput
    ) -> ProductPayload:
        return await run_mutation(
            info,
            ProductPayload,
            without_clock(media.reorder_product_media),
            lambda: ReorderProductMedia(
                product_id=key_of(input.product_id, "Product", "productId"),
                media_ids=tuple(
                    key_of(each, "ProductMedia", f"mediaIds.{i}")
                    for i, each in enumerate(input.media_ids)
                ),
            ),
            _show_product,
        )

    @strawberry.mutation(
        description="Take an image off its product; its file is deleted when no other image "
        "uses the same bytes. Returns the product (ADMIN, STAFF)."
    )
    async def delete_product_media(
        self, info: strawberry.Info, input: DeleteProductMediaInput
    ) -> ProductPayload:
        context: Context = info.context
        return await run_mutation(
            info,
            ProductPayload,
            without_clock(media.delete_product_media(context.media_storage)),
            lambda: DeleteProductMedia(key_of(input.id, "ProductMedia")),
            _show_product,
        )
