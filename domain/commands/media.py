"""Commands on product media."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AddProductMedia:
    product_id: int
    content_type: str  # as the client declared it
    byte_size: int
    read: Callable[[], Awaitable[bytes]]  # called only once the type and size are accepted
    alt: str = ""
    variant_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class UpdateProductMedia:
    media_id: int
    alt: str | None = None  # None: unchanged
    variant_ids: tuple[int, ...] | None = None  # None: unchanged


@dataclass(frozen=True)
class ReorderProductMedia:
    product_id: int
    media_ids: tuple[int, ...]


@dataclass(frozen=True)
class DeleteProductMedia:
    media_id: int
