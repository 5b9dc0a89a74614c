"""The media side's ports: where image bytes are kept, how they are decoded, and the
rows that place them on products.

`MediaRepository` is part of domain/ports.py's UnitOfWork (as `media`); the storage and
the decoder are adapters the API layer picks (api/media/): a local directory or an
S3-compatible bucket, and Pillow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from domain.model.media import ImageFacts, ProductMedia


class MediaStorage(Protocol):
    """Bytes by key. Keys are content-addressed (domain/model/media.py), so saving a key
    that exists stores the same bytes again, harmlessly."""

    async def save(self, key: str, data: bytes, content_type: str) -> None: ...

    async def read(self, key: str) -> bytes | None:
        """The bytes under `key`; None when nothing is stored there."""
        ...

    async def delete(self, key: str) -> None:
        """Forget `key`; nothing happens when nothing is stored there."""
        ...

    def url(self, key: str) -> str:
        """Where clients fetch `key`: an absolute URL, or a path on this server."""
        ...


class ImageDecoder(Protocol):
    def decode(self, data: bytes) -> ImageFacts | None:
        """What the bytes are, if they are an image of a type the catalog takes; None
        when they are not (or cannot be read)."""
        ...


class MediaRepository(Protocol):
    async def of_product(self, product_id: int) -> list[ProductMedia]:
        """The product's media by position, its row held until the transaction ends, so
        that changes to one product's media take turns."""
        ...

    async def get(self, media_id: int) -> ProductMedia | None: ...
    async def variant_ids_of(self, product_id: int) -> set[int]: ...
    async def add(self, media: ProductMedia) -> ProductMedia: ...
    async def update(self, media: ProductMedia) -> None: ...
    async def set_positions(self, media_ids: Iterable[int]) -> None: ...
    async def delete(self, media_id: int) -> None: ...
    async def key_in_use(self, key: str) -> bool: ...
